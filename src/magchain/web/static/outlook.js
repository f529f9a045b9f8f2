// The outlook chart: each stage's capacity against demand, in magnet-equivalent tonnes a year.
(function () {
  const rows = JSON.parse(document.getElementById("outlook-data").textContent);
  const stages = [...new Set(rows.map(r => r.stage))];
  const traces = stages.map(stage => {
    const own = rows.filter(r => r.stage === stage);
    return { type: "scatter", mode: "lines+markers", name: `${stage} capacity`, x: own.map(r => r.year),
             y: own.map(r => r.capacity_magnet_eq_t), hovertemplate: `${stage}: %{y:,.0f} t<extra></extra>` };
  });
  const demand = rows.filter(r => r.stage === stages[stages.length - 1]);
  traces.push({ type: "scatter", mode: "lines", name: "demand", x: demand.map(r => r.year), y: demand.map(r => r.demand_magnet_eq_t),
                line: { color: "#000", width: 3, dash: "dash" }, hovertemplate: "demand: %{y:,.0f} t<extra></extra>" });
  const layout = { margin: { t: 10 }, yaxis: { title: "t a year (magnet-equivalent)", rangemode: "tozero" }, xaxis: { dtick: 1 },
                   legend: { orientation: "h", y: -0.2 } };
  const chart = document.getElementById("outlook-chart");
  Plotly.newPlot(chart, traces, layout, { responsive: true, displaylogo: false }).then(() => { chart.dataset.ready = "true"; });
})();
