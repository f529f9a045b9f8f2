// The review queue: accept, reject or edit a candidate with the reviewer's token. The version
// shown is sent with each decision, so a decision on a candidate someone else changed is refused.
(function () {
  const token = document.getElementById("token");
  token.value = sessionStorage.getItem("magchain-token") || "";
  token.addEventListener("change", () => sessionStorage.setItem("magchain-token", token.value.trim()));

  async function decide(card, action) {
    const outcome = card.querySelector(".outcome");
    const id = card.dataset.id, version = Number(card.dataset.version);
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${token.value.trim()}` };
    const facility = card.querySelector("input[name=facility_id]").value.trim();
    const request = action === "edit"
      ? fetch(`/api/review/${id}`, { method: "PATCH", headers, body: JSON.stringify({ version, changes: { facility_id: facility || null } }) })
      : fetch(`/api/review/${id}/${action}`, { method: "POST", headers, body: JSON.stringify({ version }) });
    const response = await request;
    const body = await response.json();
    if (!response.ok) {
      outcome.className = "outcome error";
      outcome.textContent = body.error.message;
      if (body.error.current) card.dataset.version = body.error.current.version;
      return;
    }
    card.dataset.version = body.version;
    outcome.className = "outcome";
    if (body.review === "accepted") {
      outcome.innerHTML = "";
      outcome.append(`Accepted as ${body.record_table} ${body.record_id}. `);
      if (body.facility_id) {
        const link = document.createElement("a");
        link.href = `/facilities/${body.facility_id}`;
        link.textContent = `See ${body.facility_id}`;
        outcome.append(link);
      }
    } else {
      outcome.textContent = body.review === "rejected" ? "Rejected." : `Saved (version ${body.version}).`;
    }
  }

  document.querySelectorAll("article.candidate").forEach(card => {
    card.querySelectorAll("button[data-action]").forEach(button =>
      button.addEventListener("click", () => decide(card, button.dataset.action)));
  });
})();
