// Backtest charts: observed against model for each series of each episode.
(function () {
  const episodes = JSON.parse(document.getElementById("backtest-data").textContent);
  document.querySelectorAll(".chart.backtest").forEach(chart => {
    const episode = episodes[Number(chart.dataset.episode)];
    const series = [...new Set(episode.months.map(m => m.series))];
    const traces = [];
    series.forEach((name, i) => {
      const rows = episode.months.filter(m => m.series === name && m.observed !== null);
      const axis = i === 0 ? "" : String(i + 1);
      traces.push({ type: "scatter", mode: "markers", name: `${name}: observed`, x: rows.map(m => m.period), y: rows.map(m => m.observed),
                    xaxis: "x" + axis, yaxis: "y" + axis, marker: { color: "#444" } });
      traces.push({ type: "scatter", mode: "lines+markers", name: `${name}: model`, x: rows.map(m => m.period), y: rows.map(m => m.model),
                    xaxis: "x" + axis, yaxis: "y" + axis, line: { color: "#d62728" } });
    });
    const layout = { grid: { rows: series.length, columns: 1, pattern: "independent" }, height: 230 * series.length,
                     margin: { t: 20 }, showlegend: false,
                     annotations: series.map((name, i) => ({ text: name, showarrow: false, xref: "paper", yref: (i === 0 ? "y" : "y" + (i + 1)) + " domain",
                                                              x: 0, y: 1.12, xanchor: "left" })) };
    Plotly.newPlot(chart, traces, layout, { responsive: true, displaylogo: false });
  });
})();
