// Starts Redoc on the API docs page with the system's fonts: nothing is fetched from another server.
(function () {
  "use strict";
  // Redoc's sidebar credit always draws its logo from Redocly's CDN. The page's policy would
  // block it (and report it); an empty image keeps the credit's words without asking anyone.
  var REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg";
  var EMPTY = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";
  function local(value) {
    return value === REDOC_LOGO ? EMPTY : value;
  }
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    var img = this instanceof HTMLImageElement && name === "src";
    return setAttribute.call(this, name, img ? local(value) : value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      src.set.call(this, local(value));
    },
  });

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
