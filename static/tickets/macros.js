// The reply form's macro picker: type to narrow the list, arrow keys move, Enter picks,
// Escape closes. Picking asks the server for the macro's text filled for this ticket, puts
// it in the reply and remembers the macro, whose changes are made when the reply is sent.
(() => {
  const picker = document.querySelector("[data-macro-picker]");
  const opener = document.querySelector("[data-macro-open]");
  if (!picker || !opener || !window.fetch) return;
  const input = picker.querySelector("input[type=search]");
  const options = Array.from(picker.querySelectorAll("[role=option]"));
  const empty = picker.querySelector("[data-macro-empty]");
  const target = document.getElementById(picker.dataset.target);
  const form = target ? target.form : null;
  const chosen = form ? form.querySelector("input[name=macro]") : null;
  const summary = document.getElementById("macro-changes");
  let active = -1;

  const visible = () => options.filter((o) => !o.hidden);
  const highlight = (index) => {
    const shown = visible();
    options.forEach((o) => o.setAttribute("aria-selected", "false"));
    if (!shown.length) { active = -1; input.removeAttribute("aria-activedescendant"); return; }
    active = (index + shown.length) % shown.length;
    shown[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", shown[active].id);
    shown[active].scrollIntoView({ block: "nearest" });
  };
  const narrow = () => {
    const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    options.forEach((o) => { o.hidden = !words.every((w) => o.dataset.name.includes(w)); });
    empty.hidden = visible().length > 0;
    highlight(0);
  };
  const open = () => {
    picker.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    input.value = "";
    narrow();
    input.focus();
  };
  const close = () => {
    picker.hidden = true;
    opener.setAttribute("aria-expanded", "false");
    opener.focus();
  };
  const describe = (sets) => {
    const parts = [];
    if (sets.status) parts.push(`${picker.dataset.statusLabel}: ${sets.status}`);
    if (sets.priority) parts.push(`${picker.dataset.priorityLabel}: ${sets.priority}`);
    if (sets.tags && sets.tags.length) parts.push(`${picker.dataset.tagsLabel}: +${sets.tags.join(", +")}`);
    if (sets.assignee) {
      parts.push(`${picker.dataset.assigneeLabel}: ${sets.assignee === "me" ? picker.dataset.meLabel : sets.assignee}`);
    }
    return parts.length ? `${picker.dataset.setsLabel} ${parts.join("; ")}` : "";
  };
  const insert = (text) => {
    const start = target.selectionStart || 0;
    const end = target.selectionEnd || 0;
    const before = target.value.slice(0, start);
    target.value = before + text + target.value.slice(end);
    const caret = before.length + text.length;
    target.focus();
    target.setSelectionRange(caret, caret);
    target.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const pick = (option) => {
    fetch(option.dataset.previewUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r)))
      .then((macro) => {
        picker.hidden = true;
        opener.setAttribute("aria-expanded", "false");
        if (chosen) chosen.value = macro.id;
        const visibility = form && form.querySelector(`input[name=visibility][value=${macro.public ? "public" : "internal"}]`);
        if (visibility) visibility.checked = true;
        if (summary) {
          summary.textContent = describe(macro.sets || {});
          summary.hidden = !summary.textContent;
        }
        insert(macro.body);
      })
      .catch(() => {});
  };

  opener.setAttribute("aria-expanded", "false");
  opener.addEventListener("click", () => (picker.hidden ? open() : close()));
  input.addEventListener("input", narrow);
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Enter") {
      event.preventDefault();
      const shown = visible();
      if (active >= 0 && shown[active]) pick(shown[active]);
    } else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  picker.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  options.forEach((option) => {
    option.addEventListener("click", (event) => {
      if (event.target.closest("button")) return; // "Apply" posts the macro as it is
      pick(option);
    });
  });
})();
