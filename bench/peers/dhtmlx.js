// dhtmlx-gantt drawing the plan in window.PLAN (bench/gantt_browser.py writes it): month zoom, links, smart rendering.
(function () {
  "use strict";
  var plan = window.PLAN;
  gantt.config.date_format = "%Y-%m-%d";
  gantt.config.smart_rendering = true;
  gantt.config.scales = [{ unit: "year", step: 1, format: "%Y" }, { unit: "month", step: 1, format: "%M" }];
  gantt.config.min_column_width = 75;  // PIT's month zoom: 2.5 px a day
  gantt.init("chart");
  gantt.parse({
    data: plan.rows.map(function (r) {
      return { id: r.id, text: r.name, start_date: r.start, end_date: r.after, progress: r.progress / 100,
               parent: r.parent || 0, open: true, type: r.parent && r.kind === "t" ? "task" : "project" };
    }),
    links: plan.links.map(function (l, i) { return { id: i + 1, source: l[0], target: l[1], type: "0" }; })
  });
})();
