// Sortable tables: <table class="metrics-sortable">, headings hold <button data-sort="text|number">,
// cells carry data-value. Sorting is announced through aria-sort.
(function () {
  "use strict";
  function sortBy(table, column, kind, button) {
    const th = button.closest("th");
    const descending = th.getAttribute("aria-sort") !== "descending";
    table.querySelectorAll("thead th").forEach((h) => h.setAttribute("aria-sort", "none"));
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    const body = table.tBodies[0];
    const rows = Array.from(body.rows).filter((row) => row.cells.length > column);
    const value = (row) => row.cells[column].dataset.value || "";
    rows.sort((a, b) => {
      const order = kind === "number"
        ? parseFloat(value(a)) - parseFloat(value(b))
        : value(a).localeCompare(value(b), document.documentElement.lang);
      return descending ? -order : order;
    });
    rows.forEach((row) => body.appendChild(row));
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("table.metrics-sortable").forEach((table) => {
      table.querySelectorAll("thead th button[data-sort]").forEach((button, index) => {
        button.addEventListener("click", () => sortBy(table, index, button.dataset.sort, button));
      });
    });
  });
})();
