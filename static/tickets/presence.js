// Who else is on this ticket: post a heartbeat every few seconds, show the others.
(() => {
  const box = document.getElementById("presence");
  if (!box || !window.fetch) return;
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  const body = document.getElementById("id_body");
  const labels = { viewing: box.dataset.viewing || "viewing", replying: box.dataset.replying || "replying" };
  const state = () => (body && (document.activeElement === body || body.value.trim()) ? "replying" : "viewing");
  const show = (others) => {
    box.textContent = others.length
      ? `${box.dataset.label || ""} ${others.map((o) => `${o.name} (${labels[o.state] || o.state})`).join(", ")}`
      : "";
    box.hidden = !others.length;
  };
  const beat = () => {
    const data = new FormData();
    data.append("state", state());
    fetch(box.dataset.url, {
      method: "POST",
      body: data,
      headers: token ? { "X-CSRFToken": token.value } : {},
      credentials: "same-origin",
    })
      .then((r) => (r.ok ? r.json() : { others: [] }))
      .then((json) => show(json.others || []))
      .catch(() => {});
  };
  beat();
  setInterval(beat, 10000);
  if (body) body.addEventListener("focus", beat);
})();
