// Starts Redoc on the API docs page with the system's fonts: nothing is fetched from another server.
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  var system = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  window.Redoc.init(
    container.dataset.schemaUrl,
    {
      theme: {
        typography: {
          fontFamily: system,
          headings: { fontFamily: system },
          code: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" },
        },
      },
    },
    container
  );
})();
