// Scenario pages: start each run as a job, poll it, then draw shortfall beyond the baseline over
// time (events shaded), time-to-survive and prices. Two names side by side make a comparison.
(function () {
  const root = document.getElementById("runs");
  const fmt = n => (n === null || n === undefined) ? "unknown" : Math.round(n).toLocaleString("en-US");

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function start(body, panel) {
    const status = el("p", { class: "status", role: "status" }, "Starting…");
    panel.appendChild(status);
    const response = await fetch("/api/jobs/scenario", { method: "POST", headers: { "Content-Type": "application/json" },
                                                         body: JSON.stringify(body) });
    let job = await response.json();
    if (!response.ok) { status.className = "error"; status.textContent = job.error.message; return; }
    while (job.status === "queued" || job.status === "running") {
      status.textContent = job.status === "queued" ? "Waiting for the solver…" : "Running: the baseline, then each month…";
      await new Promise(r => setTimeout(r, 500));
      job = await (await fetch(`/api/jobs/${job.id}`)).json();
    }
    if (job.status !== "done") { status.className = "error"; status.textContent = job.error ? job.error.message : job.status; return; }
    status.remove();
    draw(job.result, panel);
  }

  function draw(result, panel) {
    const s = result.summary;
    panel.appendChild(el("h2", {}, result.title || result.scenario));
    const worst = s.tonnes_short < 0.5 ? "No region goes short beyond the baseline. " :
      `${s.largest_shortfall_region} is hit hardest: ${s.largest_shortfall_pct} % of its demand short beyond the baseline. `;
    panel.appendChild(el("p", { class: "answer summary" }, worst +
      `All regions: ${fmt(s.tonnes_short)} t short beyond the baseline (${fmt(s.tonnes_short_incl_baseline)} t including the baseline's own).` +
      (s.fiscal_exposure_usd ? ` Price floors cost US$${(s.fiscal_exposure_usd / 1e6).toFixed(0)} million.` : "")));
    const chart = el("div", { class: "chart shortfall", role: "img", "aria-label": "Shortfall beyond the baseline by region" });
    panel.appendChild(chart);
    const regions = [...new Set(result.by_region.map(r => r.region))];
    const traces = regions.map(region => {
      const rows = result.by_region.filter(r => r.region === region);
      return { type: "scatter", mode: "lines", stackgroup: "short", name: region, x: rows.map(r => r.period), y: rows.map(r => r.extra_t),
               hovertemplate: `${region}: %{y:,.0f} t beyond the baseline<extra></extra>` };
    });
    const shapes = result.windows.map(w => ({ type: "rect", xref: "x", yref: "paper", x0: w.start, x1: w.end || result.by_region.at(-1).period,
                                              y0: 0, y1: 1, fillcolor: "#1f77b4", opacity: 0.08, line: { width: 0 } }));
    Plotly.newPlot(chart, traces, { margin: { t: 10 }, shapes, yaxis: { title: "t short beyond the baseline", rangemode: "tozero" },
                                    legend: { orientation: "h", y: -0.2 } }, { responsive: true, displaylogo: false });
    const wrap = el("div", { class: "scroll" });
    const table = el("table", { class: "listing tts" });
    wrap.appendChild(table);
    table.appendChild(el("caption", {}, "Time-to-survive: months after the first disruption a region still gets what it got in the baseline"));
    const head = el("tr"); ["Region", "Months"].forEach(h => head.appendChild(el("th", { scope: "col" }, h)));
    table.appendChild(head);
    Object.entries(result.tts_months).forEach(([region, months]) => {
      const row = el("tr");
      row.appendChild(el("td", {}, region));
      row.appendChild(el("td", { class: "num" }, result.tts_censored.includes(region) ? "never short" : `${months}`));
      table.appendChild(row);
    });
    panel.appendChild(wrap);
    const moved = result.prices.filter(p => Math.abs(p.price_index - 1) > 0.005);
    if (moved.length) {
      const prices = el("div", { class: "chart prices", role: "img", "aria-label": "Price index by market" });
      panel.appendChild(prices);
      const series = [...new Set(result.prices.map(p => `${p.element} ${p.market}`))];
      const lines = series.map(name => {
        const rows = result.prices.filter(p => `${p.element} ${p.market}` === name);
        return { type: "scatter", mode: "lines", name, x: rows.map(p => p.period), y: rows.map(p => p.price_index),
                 text: rows.map(p => p.price === null ? "price unknown (no reference)" : `${fmt(p.price)} ${p.unit} (${p.basis})`),
                 hovertemplate: `${name}: index %{y:.2f}, %{text}<extra></extra>` };
      });
      Plotly.newPlot(prices, lines, { margin: { t: 10 }, yaxis: { title: "price index (1 = reference)" }, legend: { orientation: "h", y: -0.2 } },
                     { responsive: true, displaylogo: false });
    }
    const notes = el("ul", { class: "help" });
    result.notes.forEach(n => notes.appendChild(el("li", {}, n)));
    panel.appendChild(notes);
    panel.dataset.done = "true";
  }

  const names = (root.dataset.scenarios || "").split(",").filter(Boolean);
  if (names.length) {
    const side = el("div", { class: names.length > 1 ? "side" : "" });
    root.appendChild(side);
    names.forEach(name => { const panel = el("section", { class: "run", "data-name": name }); side.appendChild(panel); start({ scenario: name }, panel); });
  }
  const upload = document.getElementById("upload");
  if (upload) {
    upload.addEventListener("submit", event => {
      event.preventDefault();
      root.replaceChildren();
      const panel = el("section", { class: "run" });
      root.appendChild(panel);
      start({ yaml: document.getElementById("yaml").value }, panel);
    });
  }
})();
