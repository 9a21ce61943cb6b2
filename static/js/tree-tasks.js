// A large project's page carries the task rows of its first deliverables only (projects.selectors.TREE_TASK_ROWS):
// a later deliverable fetches its task table when it is opened. Without JavaScript its link leads to the
// deliverable's own page. "tree:rows" tells others (the "what changed since" marks) that rows came in.
(function () {
  "use strict";
  document.addEventListener("toggle", function (event) {
    const details = event.target;
    if (!details.open) return;
    const later = details.querySelector(":scope > .tasks-later[data-rows-url]");
    if (!later || later.dataset.busy) return;
    later.dataset.busy = "1";
    fetch(later.dataset.rowsUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.statusText);
        return response.text();
      })
      .then(function (html) {
        later.insertAdjacentHTML("afterend", html);
        later.remove();
        document.dispatchEvent(new CustomEvent("tree:rows"));
      })
      .catch(function () {
        delete later.dataset.busy;
        later.append(" — could not load them here; the link shows them.");
      });
  }, true);  // toggle does not bubble
})();
