// The report page: start an assessment as a job, poll it, then show its answer and the files.
(function () {
  const form = document.getElementById("report-form");
  const root = document.getElementById("report");
  const el = (tag, attrs, text) => {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const words = sentence => sentence.map(part => typeof part === "string" ? part : part.text).join("");

  form.addEventListener("submit", async event => {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(form).entries());
    const body = { region: fields.region, draws: Number(fields.draws) || 1000 };
    if (fields.as_of) body.as_of = fields.as_of;
    if (fields.since) body.since = fields.since;
    root.replaceChildren(el("p", { class: "status", role: "status" }, "Starting…"));
    const response = await fetch("/api/jobs/report", { method: "POST", headers: { "Content-Type": "application/json" },
                                                       body: JSON.stringify(body) });
    let job = await response.json();
    if (!response.ok) { root.replaceChildren(el("p", { class: "error" }, job.error.message)); return; }
    while (job.status === "queued" || job.status === "running") {
      root.firstChild.textContent = job.status === "queued" ? "Waiting for the worker…" : "Assessing: outlook, uncertainty, scenarios…";
      await new Promise(r => setTimeout(r, 1000));
      job = await (await fetch(`/api/jobs/${job.id}`)).json();
    }
    if (job.status !== "done") { root.replaceChildren(el("p", { class: "error" }, job.error ? job.error.message : job.status)); return; }
    const report = job.result;
    const answer = el("section", { class: "answer", "aria-label": "The answer" });
    report.answer.forEach(sentence => answer.appendChild(el("p", {}, words(sentence))));
    const files = el("p", { class: "files" }, "Download: ");
    ["pdf", "html", "xlsx"].forEach((fmt, i) => {
      if (i) files.appendChild(document.createTextNode(" · "));
      files.appendChild(el("a", { href: `/api/jobs/${job.id}/report.${fmt}`, download: "" }, fmt.toUpperCase()));
    });
    root.replaceChildren(el("h2", {}, `${report.region} as of ${report.as_of}`), answer, files,
                         el("p", { class: "help" }, `${report.sources.length} sources cited. This assessment as JSON: `));
    root.lastChild.appendChild(el("a", { href: `/api/report?region=${report.region}` }, `/api/report?region=${report.region}`));
    root.dataset.done = "true";
  });
})();
