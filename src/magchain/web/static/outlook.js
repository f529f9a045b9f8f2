// The outlook chart: each stage's capacity against demand, in magnet-equivalent tonnes a year,
// with the 5th-95th percentile band of the Monte Carlo draws shaded behind each line.
(function () {
  const rows = JSON.parse(document.getElementById("outlook-data").textContent);
  const bands = JSON.parse(document.getElementById("outlook-bands").textContent);
  const stages = [...new Set(rows.map(r => r.stage))];
  const colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
  const years = bands.years.map(y => y.year);
  const band = (pick, name, colour) => {
    const low = bands.years.map(y => pick(y) ? pick(y).p5 : null);
    const high = bands.years.map(y => pick(y) ? pick(y).p95 : null);
    return [{ type: "scatter", mode: "lines", x: years, y: low, line: { width: 0 }, showlegend: false, hoverinfo: "skip",
              legendgroup: name },
            { type: "scatter", mode: "lines", x: years, y: high, fill: "tonexty", fillcolor: colour + "22", line: { width: 0 },
              name: `${name} P5-P95`, legendgroup: name, showlegend: false,
              hovertemplate: `${name} P95: %{y:,.0f} t<extra></extra>` }];
  };
  const traces = [];
  stages.forEach((stage, i) => {
    const colour = colours[i % colours.length];
    traces.push(...band(y => y.stages[stage] && y.stages[stage].stage_capacity_t, stage, colour));
    const own = rows.filter(r => r.stage === stage);
    traces.push({ type: "scatter", mode: "lines+markers", name: `${stage} capacity`, legendgroup: stage, x: own.map(r => r.year),
                  y: own.map(r => r.capacity_magnet_eq_t), line: { color: colour }, marker: { size: 5 + (stages.length - i) },
                  hovertemplate: `${stage}: %{y:,.0f} t<extra></extra>` });
  });
  traces.push(...band(y => y.demand_t, "demand", "#000000"));
  const demand = rows.filter(r => r.stage === stages[stages.length - 1]);
  traces.push({ type: "scatter", mode: "lines", name: "demand", legendgroup: "demand", x: demand.map(r => r.year),
                y: demand.map(r => r.demand_magnet_eq_t), line: { color: "#000", width: 3, dash: "dash" },
                hovertemplate: "demand: %{y:,.0f} t<extra></extra>" });
  const layout = { margin: { t: 10 }, yaxis: { title: "t a year (magnet-equivalent)", rangemode: "tozero" }, xaxis: { dtick: 1 },
                   legend: { orientation: "h", y: -0.2 } };
  const chart = document.getElementById("outlook-chart");
  Plotly.newPlot(chart, traces, layout, { responsive: true, displaylogo: false }).then(() => { chart.dataset.ready = "true"; });
})();
