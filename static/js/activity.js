// "What changed since" on the project page: mark the tree's rows the server listed as added or changed
// (the panel's data-added / data-changed hold their element ids, e.g. "task-12 deliverable-3"), and again when a
// deliverable brings its task rows in later (tree-tasks.js says "tree:rows").
(function () {
  "use strict";
  const panel = document.getElementById("changes-since");
  if (!panel) return;

  function mark() {
    for (const state of ["added", "changed"]) {
      for (const id of (panel.dataset[state] || "").split(" ")) {
        const row = id && document.getElementById(id);
        if (!row || row.classList.contains("chg-" + state)) continue;
        row.classList.add("chg-" + state);
        const badge = document.createElement("span");
        badge.className = "chg chg-" + state + " chg-badge";
        badge.textContent = state;
        const name = row.querySelector("summary strong");  // a milestone's or deliverable's heading
        const cell = row.querySelector("td");  // a task's first cell
        if (name) name.after(badge);
        else if (cell) cell.append(badge);
      }
    }
  }

  mark();
  document.addEventListener("tree:rows", mark);
})();
