// frappe-gantt drawing the plan in window.PLAN (bench/gantt_browser.py writes it): month view, dependencies.
(function () {
  "use strict";
  var plan = window.PLAN, after = {};
  plan.links.forEach(function (l) { (after[l[1]] = after[l[1]] || []).push(l[0]); });
  new Gantt("#chart", plan.rows.map(function (r) {
    return { id: r.id, name: r.name, start: r.start, end: r.end, progress: r.progress,
             dependencies: (after[r.id] || []).join(", ") };
  }), { view_mode: "Month", readonly: true, container_height: 860 });
})();
