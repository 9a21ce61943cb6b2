// Gantt enhancements: drag a bar's body (move) or its right end (resize) to propose new dates; the server checks
// them with the edit form's rules and answers with the re-drawn chart or the reason it cannot be done.
(function () {
  "use strict";
  var wrap = document.getElementById("gantt");
  var status = document.getElementById("gantt-status");
  var printButton = document.querySelector("[data-print]");
  // A chart that brings its rows in as the person scrolls prints from the page that holds every row.
  if (printButton) printButton.addEventListener("click", function () {
    if (wrap && wrap.dataset.rowsUrl) window.location.href = "?all=1&print=1";
    else window.print();
  });
  if (wrap && wrap.dataset.printNow) window.addEventListener("load", function () { window.print(); });
  if (!wrap || wrap.dataset.canPlan !== "1") return;

  function shift(iso, days) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function say(text, kind) {
    status.textContent = text;
    status.className = "gantt-status " + kind;
  }

  var drag = null;

  wrap.addEventListener("pointerdown", function (event) {
    var bar = event.target.closest("a.b");
    if (!bar || event.button !== 0) return;
    var svg = wrap.querySelector("svg");
    var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    drag = { bar: bar, x0: event.clientX, dx: 0, scale: scale, ppd: parseFloat(svg.dataset.ppd),
             resize: event.target.classList.contains("h"), first: bar.querySelector("rect") };
    drag.width = parseFloat(drag.first.getAttribute("width"));
    bar.setPointerCapture(event.pointerId);
  });

  wrap.addEventListener("pointermove", function (event) {
    if (!drag) return;
    drag.dx = (event.clientX - drag.x0) / drag.scale;
    if (Math.abs(drag.dx) < 3) return;
    drag.bar.classList.add("dragging");
    if (drag.resize) drag.first.setAttribute("width", Math.max(drag.ppd, drag.width + drag.dx));
    else drag.bar.setAttribute("transform", "translate(" + drag.dx + " 0)");
  });

  function reset(state) {
    state.bar.classList.remove("dragging");
    state.bar.removeAttribute("transform");
    state.first.setAttribute("width", state.width);
  }

  wrap.addEventListener("pointerup", function () {
    var state = drag;
    drag = null;
    if (!state) return;
    var days = Math.round(state.dx / state.ppd);
    if (Math.abs(state.dx) < 3 || days === 0) { reset(state); return; }
    state.bar.dataset.dragged = "1";
    var start = state.bar.dataset.s, end = state.bar.dataset.e;
    var body = new FormData();
    body.append("task", state.bar.dataset.id);
    body.append("start_date", state.resize ? start : shift(start, days));
    body.append("end_date", shift(end, days));
    body.append("csrfmiddlewaretoken", document.querySelector("[name=csrfmiddlewaretoken]").value);
    say("Saving…", "busy");
    fetch(wrap.dataset.moveUrl, { method: "POST", body: body, credentials: "same-origin",
                                  headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.ok) {
          wrap.innerHTML = data.svg;
          document.dispatchEvent(new CustomEvent("gantt:redrawn"));
          say(data.message, "ok");
        }
        else { reset(state); say(data.message, "error"); }
      })
      .catch(function () { reset(state); say("Could not reach the server; nothing was changed.", "error"); });
  });

  // A drag ends with a click on the bar's link: do not follow it.
  wrap.addEventListener("click", function (event) {
    var bar = event.target.closest("a.b");
    if (bar && bar.dataset.dragged) { event.preventDefault(); delete bar.dataset.dragged; }
  });
})();
