// The Sankey of a region's chain: own output passed on (blue), imports needed (red), surplus (grey);
// for the world, input no sourced capacity accounts for (orange).
(function () {
  const data = JSON.parse(document.getElementById("flows-data").textContent);
  const names = [...new Set(data.links.flatMap(l => [l.source, l.target]))];
  const colour = { own: "rgba(11,95,165,0.45)", import: "rgba(179,38,30,0.5)", surplus: "rgba(120,120,120,0.35)",
                   unaccounted: "rgba(230,140,20,0.5)", unused: "rgba(120,120,120,0.35)" };
  const trace = { type: "sankey", arrangement: "snap", valueformat: ",.0f", valuesuffix: " t",
                  node: { label: names, pad: 18, thickness: 16 },
                  link: { source: data.links.map(l => names.indexOf(l.source)), target: data.links.map(l => names.indexOf(l.target)),
                          value: data.links.map(l => l.tonnes), color: data.links.map(l => colour[l.kind]),
                          customdata: data.links.map(l => l.kind),
                          hovertemplate: "%{source.label} → %{target.label}: %{value} (%{customdata})<extra></extra>" } };
  const chart = document.getElementById("flows-chart");
  Plotly.newPlot(chart, [trace], { margin: { t: 10, l: 10, r: 10 } }, { responsive: true, displaylogo: false })
    .then(() => { chart.dataset.ready = "true"; });
})();
