// "What changed since" on the project page: mark the tree's rows the server listed as added or changed
// (the panel's data-added / data-changed hold their element ids, e.g. "task-12 deliverable-3").
(function () {
  "use strict";
  const panel = document.getElementById("changes-since");
  if (!panel) return;
  for (const state of ["added", "changed"]) {
    for (const id of (panel.dataset[state] || "").split(" ")) {
      const row = id && document.getElementById(id);
      if (!row) continue;
      row.classList.add("chg-" + state);
      const badge = document.createElement("span");
      badge.className = "chg chg-" + state + " chg-badge";
      badge.textContent = state;
      const target = row.querySelector("summary strong") || row.querySelector("td");
      if (target) target.after(badge);
    }
  }
})();
