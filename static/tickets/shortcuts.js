// Keyboard shortcuts of the workspace and the agent's ticket page; "?" lists them
// (templates/tickets/_shortcuts.html). None fires while typing in a field or with a modifier
// key held, so that typing and the browser's own shortcuts stay as they are.
(() => {
  const help = document.getElementById("shortcuts-help");
  if (!help) return;
  const kind = help.dataset.shortcuts;
  const LIST = "tickets.shortcuts.list"; // the ticket links of the list last seen, in order

  const typing = (target) =>
    target instanceof Element &&
    (target.closest("input, textarea, select, [contenteditable]") !== null || target.isContentEditable);

  const openHelp = () => { if (!help.open) help.showModal(); };
  document.querySelectorAll("[data-shortcuts-open]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", openHelp);
  });

  const submit = (form) => { if (form.requestSubmit) form.requestSubmit(); else form.submit(); };
  const focusSearch = () => {
    const box = document.getElementById("id_q");
    if (!box) return false;
    const panel = box.closest("details");
    if (panel) panel.open = true;
    box.focus();
    box.select();
    return true;
  };

  const actions = {};

  if (kind === "workspace") {
    const rows = Array.from(document.querySelectorAll("table[data-ticket-list] tbody tr[data-ticket]"));
    // A row names its ticket's number; its address is the ticket page's with that number.
    const address = (number) => help.dataset.ticketUrl.replace(/0\/$/, `${number}/`);
    const links = rows.map((row) => address(row.dataset.ticket));
    try {
      sessionStorage.setItem(LIST, JSON.stringify(links));
    } catch (error) { /* storage refused: the ticket page then has no next/previous */ }
    let current = -1;
    const select = (index) => {
      if (!rows.length) return;
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows.forEach((row, i) => row.classList.toggle("is-current", i === current));
      const row = rows[current];
      const link = row.querySelector(`a[href="${links[current]}"]`) || row.querySelector("a");
      if (link) link.focus();
      else row.scrollIntoView({ block: "nearest" });
    };
    // Back from a ticket: the row of the ticket one came from is the current one.
    const back = links.indexOf(sessionStorage.getItem(LIST + ".at"));
    if (back >= 0) select(back);

    const bulk = document.getElementById("bulk-form");
    const ticked = () => (bulk ? bulk.querySelectorAll("input[name=tickets]:checked").length : 0);
    const tickCurrent = () => {
      if (ticked() === 0 && current >= 0) rows[current].querySelector("input[name=tickets]").checked = true;
      return ticked() > 0;
    };
    const bulkField = (name) => document.getElementById(`bulk_${name}`);

    actions.j = () => select(current + 1);
    actions.k = () => select(current < 0 ? 0 : current - 1);
    actions.o = () => { if (current >= 0) window.location.assign(links[current]); };
    actions.Enter = (event) => {
      // On the row's link the browser follows it; elsewhere open the current row.
      if (current >= 0 && !(event.target instanceof HTMLAnchorElement)) actions.o();
      else return false;
      return true;
    };
    actions.x = () => {
      if (current < 0) return;
      const box = rows[current].querySelector("input[name=tickets]");
      box.checked = !box.checked;
    };
    actions.a = () => {
      const action = bulkField("bulk_action");
      if (!action || !tickCurrent()) return;
      action.value = "assign";
      bulkField("assignee").value = "me";
      submit(bulk);
    };
    actions.s = () => {
      const action = bulkField("bulk_action");
      if (!action || !tickCurrent()) return;
      action.value = "status";
      bulkField("status").focus();
    };
    actions["/"] = focusSearch;
    if (window.location.hash === "#search") focusSearch();
  } else {
    let links = [];
    try {
      links = JSON.parse(sessionStorage.getItem(LIST) || "[]");
      sessionStorage.setItem(LIST + ".at", window.location.pathname);
    } catch (error) { links = []; }
    const here = links.indexOf(window.location.pathname);
    const go = (step) => {
      const target = here >= 0 ? links[here + step] : undefined;
      if (target) window.location.assign(target);
    };
    const write = (visibility) => {
      const body = document.getElementById("id_body");
      if (!body) return;
      const choice = document.querySelector(`input[name=visibility][value=${visibility}]`);
      if (choice) choice.checked = true;
      body.focus();
    };
    actions.j = () => go(1);
    actions.k = () => go(-1);
    actions.r = () => write("public");
    actions.n = () => write("internal");
    actions.a = () => {
      const take = document.querySelector("form.take");
      if (take) submit(take);
    };
    actions.s = () => {
      const status = document.getElementById("id_props_status");
      if (status) status.focus();
    };
    actions["/"] = () => window.location.assign(`${help.dataset.workspace}#search`);
  }
  actions["?"] = openHelp;

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.isComposing || typing(event.target) || help.open) return;
    if (event.shiftKey && event.key !== "?") return;
    const action = actions[event.key];
    if (!action) return;
    if (action(event) === false) return;
    event.preventDefault();
  });
  // Said once listening: a key pressed before this (the script is deferred) does nothing.
  document.documentElement.dataset.shortcutsReady = "1";
})();
