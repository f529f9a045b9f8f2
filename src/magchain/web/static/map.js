// The facility map: one trace per stage, markers sized by capacity; a click opens the facility.
(function () {
  const points = JSON.parse(document.getElementById("points").textContent).filter(p => p.latitude !== null);
  const stages = [...new Set(points.map(p => p.stage))];
  const traces = stages.map(stage => {
    const rows = points.filter(p => p.stage === stage);
    return {
      type: "scattergeo", mode: "markers", name: stage,
      lat: rows.map(p => p.latitude), lon: rows.map(p => p.longitude), customdata: rows.map(p => p.id),
      text: rows.map(p => `${p.name}<br>${p.company || ""} · ${p.country || "unknown"}<br>${p.status || "status unknown"} · ${p.capacity_label}` +
        (p.placed === "country" ? "<br><i>drawn at the country's centre</i>" : "")),
      hoverinfo: "text",
      marker: { size: rows.map(p => p.marker_size), opacity: 0.75, line: { width: 0.5, color: "#333" } },
    };
  });
  const layout = {
    margin: { l: 0, r: 0, t: 10, b: 0 }, legend: { orientation: "h", y: -0.05 },
    geo: { projection: { type: "natural earth" }, showcountries: true, countrycolor: "#c9ced6", showland: true, landcolor: "#f4f5f7",
           resolution: 110 },
  };
  const config = { responsive: true, topojsonURL: "/static/topojson/", displaylogo: false };
  const chart = document.getElementById("map");
  Plotly.newPlot(chart, traces, layout, config).then(() => {
    chart.on("plotly_click", event => { window.location.href = "/facilities/" + event.points[0].customdata; });
    chart.dataset.ready = "true";
  });
})();
