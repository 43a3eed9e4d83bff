/* Background job page: poll the job's JSON status and move the progress bar; reload the page once
   the job has finished, so the server renders the download button or the error with its Retry.
   Without JavaScript the page works by reloading it. No inline script: CSP stays strict. */
(function () {
  "use strict";

  var box = document.querySelector("[data-job-polling]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-job-percent]");
  var steps = box.querySelector("[data-job-steps]");
  var state = box.querySelector("[data-job-state]");
  var delay = 1000;

  function show(data) {
    if (state) state.textContent = data.state_label;
    if (data.percent !== null && bar) {
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
      if (percent) percent.textContent = data.percent + "%";
    }
    if (steps && data.total) steps.textContent = "(" + data.done + "/" + data.total + ")";
    // The hint under the bar follows the state (queued → running) until the page reloads.
    Array.prototype.forEach.call(box.querySelectorAll("[data-job-hint]"), function (hint) {
      hint.hidden = hint.getAttribute("data-job-hint") !== data.state;
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.2, 5000);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        window.setTimeout(poll, 10000);
      });
  }

  window.setTimeout(poll, delay);
})();
