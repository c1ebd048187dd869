// policyshift web: autocomplete of actor codes for every input marked data-autocomplete.
// The suggestions come from /api/actors (the store's codes, most events first, and roles).
(function () {
  "use strict";
  var list = document.getElementById("actors");
  if (!list) { return; }
  var pending = null;
  function fill(items) {
    list.textContent = "";
    items.forEach(function (a) {
      var option = document.createElement("option");
      option.value = a.code;
      var held = a.held_by ? "role held by " + a.held_by.join("; ") : "";
      var count = a.events + (a.events === 1 ? " event" : " events");
      option.label = a.kind === "role" ? held : count + (held ? "; " + held : "");
      list.appendChild(option);
    });
  }
  function suggest(input) {
    var q = input.value.trim();
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(function () {
      fetch("/api/actors?limit=20&q=" + encodeURIComponent(q))
        .then(function (r) { return r.ok ? r.json() : { actors: [] }; })
        .then(function (doc) { fill(doc.actors); })
        .catch(function () { fill([]); });
    }, 120);
  }
  document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
    input.addEventListener("input", function () { suggest(input); });
    input.addEventListener("focus", function () { suggest(input); });
  });
})();
