// Backtest charts: observed against model for each series of each episode, calibration shaded.
(function () {
  const episodes = JSON.parse(document.getElementById("backtest-data").textContent);

  // Period labels as dates: a year or quarter at its middle, a month at its first day.
  function toDate(period) {
    if (/^\d{4}$/.test(period)) return `${period}-07-01`;
    const quarter = period.match(/^(\d{4})-Q([1-4])$/);
    if (quarter) return `${quarter[1]}-${String(3 * quarter[2] - 1).padStart(2, "0")}-15`;
    if (/^\d{4}-\d{2}$/.test(period)) return `${period}-01`;
    return period.slice(0, 10);
  }

  document.querySelectorAll(".chart.backtest").forEach(chart => {
    const episode = episodes[Number(chart.dataset.episode)];
    const series = [...new Set(episode.months.map(m => m.series))];
    const market = Boolean(episode.path);
    const traces = [];
    series.forEach((name, i) => {
      const rows = episode.months.filter(m => m.series === name);
      const seen = rows.filter(m => m.observed !== null);
      const axis = i === 0 ? "" : String(i + 1);
      traces.push({ type: "scatter", mode: "markers", name: "observed", x: seen.map(m => toDate(m.period)), y: seen.map(m => m.observed),
                    text: seen.map(m => m.sources || ""), hovertemplate: "observed %{y:,.0f}<br>%{text}<extra></extra>",
                    xaxis: "x" + axis, yaxis: "y" + axis, marker: { color: "#444", size: 8 } });
      const model = market ? episode.path.map(p => ({ period: p.period, model: p.price })) : rows.filter(m => m.model !== null);
      traces.push({ type: "scatter", mode: market ? "lines" : "lines+markers", name: "model", x: model.map(m => toDate(m.period)),
                    y: model.map(m => m.model), hovertemplate: "model %{y:,.0f}<extra></extra>",
                    xaxis: "x" + axis, yaxis: "y" + axis, line: { color: "#d62728" } });
    });
    const window = episode.calibration;
    const layout = {
      grid: { rows: series.length, columns: 1, pattern: "independent" }, height: 240 * series.length, margin: { t: 24 },
      showlegend: false,
      shapes: series.map((_, i) => ({ type: "rect", xref: i === 0 ? "x" : `x${i + 1}`, yref: `${i === 0 ? "y" : "y" + (i + 1)} domain`,
                                      x0: toDate(window.start), x1: toDate(window.end).replace(/-01$/, "-28"), y0: 0, y1: 1,
                                      fillcolor: "#1f77b4", opacity: 0.1, line: { width: 0 } })),
      annotations: series.map((name, i) => ({ text: `${name} (shaded: calibration)`, showarrow: false, xref: "paper",
                                               yref: `${i === 0 ? "y" : "y" + (i + 1)} domain`, x: 0, y: 1.14, xanchor: "left" })),
    };
    if (market) layout.yaxis = { type: "log" };
    Plotly.newPlot(chart, traces, layout, { responsive: true, displaylogo: false });
  });
})();
