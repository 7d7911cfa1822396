// Staff reply form: find an article and insert a Markdown link to it into the reply.
(function () {
  "use strict";
  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || 0;
    var end = textarea.selectionEnd || 0;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    textarea.value = before + text + after;
    var caret = start + text.length;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function markdownLink(title, url) {
    return "[" + title.replace(/([\[\]\\])/g, "\\$1") + "](" + url.replace(/\)/g, "%29") + ")";
  }

  function init(picker) {
    var input = picker.querySelector(".kb-picker__q");
    var list = picker.querySelector(".kb-picker__list");
    var timer = null;
    function show(results) {
      list.textContent = "";
      if (!results.length && input.value.trim()) {
        var empty = document.createElement("li");
        empty.textContent = picker.dataset.emptyLabel;
        list.appendChild(empty);
      }
      results.forEach(function (item) {
        var li = document.createElement("li");
        var title = document.createElement("span");
        title.textContent = item.title + " ";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--small button--secondary";
        button.textContent = picker.dataset.insertLabel;
        button.setAttribute("aria-label", picker.dataset.insertLabel + ": " + item.title);
        button.addEventListener("click", function () {
          var target = document.getElementById(picker.dataset.target);
          if (target) insertAtCursor(target, markdownLink(item.title, item.absolute_url));
        });
        li.append(title, button);
        list.appendChild(li);
      });
    }
    function lookUp() {
      var query = input.value.trim();
      if (!query) { show([]); return; }
      fetch(picker.dataset.suggestUrl + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(function () { show([]); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); lookUp(); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-kb-picker]").forEach(init);
  });
})();
