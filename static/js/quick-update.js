// My work: change a task's progress or status without leaving the page. Without JavaScript the same forms post
// and redirect back; with it they post in the background and the row is updated in place.
(function () {
  "use strict";

  function show(item, data) {
    var status = item.querySelector('[data-role="status"]');
    var progress = item.querySelector('[data-role="progress"]');
    if (status) {
      status.textContent = data.status_label;
      status.className = "st st-" + data.status;
    }
    if (progress) progress.textContent = data.progress_percent + " %";
  }

  function errorsText(errors) {
    return Object.keys(errors).map(function (key) { return errors[key].join(" "); }).join(" ");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var box = form.closest(".quick");
    if (!box || !window.fetch) return;
    event.preventDefault();
    var body = new FormData(form);
    if (event.submitter && event.submitter.name) body.append(event.submitter.name, event.submitter.value);
    var result = box.querySelector(".quick-result");
    fetch(form.action, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.ok) {
          show(form.closest(".work-item") || box, data);
          result.textContent = data.message;
          result.className = "quick-result ok";
        } else {
          result.textContent = errorsText(data.errors);
          result.className = "quick-result error";
        }
      })
      .catch(function () {
        form.submit();  // fall back to the plain form post
      });
  });
})();
