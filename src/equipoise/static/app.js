// equipoise web app: the country filter box, open evidence from a score, auto-apply profile filters.
(function () {
  "use strict";
  var filter = document.getElementById("filter");
  var table = document.getElementById("countries");
  if (filter && table) {
    var rows = table.querySelectorAll("tbody tr[data-search]");
    var none = document.getElementById("no-match");
    var apply = function () {
      var needle = filter.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var hit = !needle || row.getAttribute("data-search").indexOf(needle) !== -1;
        row.hidden = !hit;
        if (hit) { shown += 1; }
      });
      if (none) { none.hidden = shown !== 0; }
    };
    filter.addEventListener("input", apply);
    apply();
  }

  // A score links to #ev-ACTOR or #ev-ACTOR-DIMENSION: open that <details> and its parents.
  var openTarget = function () {
    if (!location.hash) { return; }
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) { return; }
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    target.scrollIntoView({block: "start"});
  };
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Profile filters: selects and checkboxes re-query at once; empty fields are left out of the URL.
  var form = document.getElementById("profile-filters");
  if (form) {
    form.querySelectorAll("select, input[type=checkbox]").forEach(function (input) {
      input.addEventListener("change", function () { form.requestSubmit(); });
    });
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name=since], input[name=until], select[name=dimension]").forEach(function (input) {
        if (!input.value) { input.disabled = true; }
      });
    });
  }
})();
