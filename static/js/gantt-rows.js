// A long chart's rows come in as the person scrolls: the page holds the first window of rows, the server draws the
// others (cached per plan version) and this adds the windows near the viewport and drops those far from it, so the
// page stays small at any size. Layout is read once a frame, in the frame's own callback, never at start (that would
// lay the page out twice before its first paint) and never between writes. Windows beside the viewport wait until
// the page has painted: they are for the next scroll, not the first look. A new chart (after a drag) says
// "gantt:redrawn" and the windows start again.
(function () {
  "use strict";
  var wrap = document.getElementById("gantt");
  if (!wrap || !wrap.dataset.rowsUrl) return;
  var SIZE = parseInt(wrap.dataset.window, 10), ROW = 22, HEADER = 44, KEEP = 3;  // windows kept either side
  var loaded, pending, generation = 0, scheduled = false, height = 0, painted = false;

  function chart() { return wrap.querySelector("svg.gantt"); }

  function start() {
    generation += 1;
    loaded = { 0: true };
    pending = {};
  }

  // Windows stay in row order in the document, so the keyboard and screen readers meet rows as they are drawn.
  function insert(parent, first, markup) {
    var next = Array.prototype.find.call(parent.children, function (child) {
      return child.dataset.first !== undefined && parseInt(child.dataset.first, 10) > first;
    });
    if (next) next.insertAdjacentHTML("beforebegin", markup);
    else parent.insertAdjacentHTML("beforeend", markup);
  }

  function add(first, data) {
    insert(document.getElementById("gantt-labels"), first, data.labels);
    insert(document.getElementById("gantt-bars"), first, data.bars);
    loaded[first] = true;
  }

  function bring(first) {
    var svg = chart(), mine = generation;
    pending[first] = true;
    fetch(wrap.dataset.rowsUrl + "&v=" + svg.dataset.version + "&first=" + first,
          { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (mine !== generation) return;
        delete pending[first];
        if (data.stale) { window.location.reload(); return; }
        if (data.ok) add(first, data);
      })
      .catch(function () { if (mine === generation) delete pending[first]; });
  }

  function update() {
    scheduled = false;
    var svg = chart();
    if (!svg || !svg.dataset.rows) return;
    var total = parseInt(svg.dataset.rows, 10), top = wrap.scrollTop, near = painted ? 1 : 0;
    height = height || wrap.clientHeight;
    var from = Math.floor(Math.max(0, top - HEADER) / ROW / SIZE);
    var to = Math.floor(Math.max(0, top + height - HEADER) / ROW / SIZE);
    for (var w = Math.max(0, from - near); w <= to + near && w * SIZE < total; w++) {
      if (!loaded[w * SIZE] && !pending[w * SIZE]) bring(w * SIZE);
    }
    Object.keys(loaded).forEach(function (first) {
      var w = first / SIZE;
      if (w >= from - KEEP && w <= to + KEEP) return;
      wrap.querySelectorAll('g[data-first="' + first + '"]').forEach(function (group) { group.remove(); });
      delete loaded[first];
    });
  }

  function later() {
    if (!scheduled) { scheduled = true; requestAnimationFrame(update); }
  }

  wrap.addEventListener("scroll", later, { passive: true });
  window.addEventListener("resize", function () { height = 0; later(); });
  window.addEventListener("load", function () {
    requestAnimationFrame(function () { setTimeout(function () { painted = true; later(); }, 0); });
  });
  document.addEventListener("gantt:redrawn", function () { start(); later(); });
  start();
  later();
})();
