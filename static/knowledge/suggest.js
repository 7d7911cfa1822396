// Portal new-request form: suggest articles while the customer types, and let them say one
// solved their problem (a deflection) without sending the request.
(function () {
  "use strict";
  function init(box) {
    var subject = document.getElementById("id_subject");
    var description = document.getElementById("id_description");
    var list = box.querySelector(".kb-suggestions__list");
    var done = box.querySelector(".kb-suggestions__done");
    var timer = null;
    var lastQuery = "";
    if (!subject && !description) return;

    function currentQuery() {
      return [subject ? subject.value : "", description ? description.value : ""].join(" ").trim();
    }

    function deflect(articleId, button) {
      var body = new URLSearchParams();
      body.append("article", articleId);
      body.append("query", lastQuery);
      button.disabled = true;
      fetch(box.dataset.deflectUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": box.dataset.csrf, Accept: "application/json" },
        body: body,
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        list.hidden = true;
        done.hidden = false;
        done.focus && done.setAttribute("tabindex", "-1");
        done.focus();
      }).catch(function () { button.disabled = false; });
    }

    function show(results) {
      list.textContent = "";
      results.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = item.title;
        var excerpt = document.createElement("p");
        excerpt.className = "muted";
        excerpt.textContent = item.excerpt;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--small button--secondary";
        button.textContent = box.dataset.solvedLabel;
        button.setAttribute("aria-label", box.dataset.solvedLabel + ": " + item.title);
        button.addEventListener("click", function () { deflect(item.id, button); });
        li.append(link, excerpt, button);
        list.appendChild(li);
      });
      box.hidden = results.length === 0 && done.hidden;
    }

    function lookUp() {
      var query = currentQuery();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < 3) { show([]); return; }
      fetch(box.dataset.suggestUrl + "?q=" + encodeURIComponent(query.slice(0, 500)), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (query === lastQuery) show(data.results || []); })
        .catch(function () { /* suggestions are a bonus; the form still works */ });
    }

    [subject, description].forEach(function (input) {
      if (!input) return;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(lookUp, 300);
      });
    });
    lookUp();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-kb-suggest]").forEach(init);
  });
})();
