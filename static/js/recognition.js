// Recognition pages: a running total on the score sheet, "approve all passing" on the review
// page, and a progress indicator while a long list imports. The pages work without this file.
(function () {
  "use strict";

  function parsePoints(text) {
    var cleaned = String(text || "").trim().replace(/\s/g, "").replace(",", ".");
    if (cleaned === "") return null;
    var value = Number(cleaned);
    return isFinite(value) ? value : NaN;
  }

  function formatVi(value) {
    return (Math.round(value * 100) / 100).toString().replace(".", ",");
  }

  var form = document.getElementById("score-form");
  if (form) {
    var output = document.getElementById("score-total");
    var passMark = Number(form.getAttribute("data-pass-mark"));
    var update = function () {
      var total = 0;
      var complete = true;
      form.querySelectorAll(".score-input").forEach(function (input) {
        var value = parsePoints(input.value);
        if (value === null || isNaN(value)) { complete = false; return; }
        total += value;
      });
      var verdict = complete
        ? " · " + form.getAttribute(total >= passMark ? "data-pass-label" : "data-fail-label")
        : "";
      output.textContent = formatVi(total) + verdict;
    };
    form.addEventListener("input", update);
    update();
  }

  var importForm = document.getElementById("import-form");
  if (importForm) {
    importForm.addEventListener("submit", function () {
      // The upload is sent (a short list is also checked and saved in this request): say it is under
      // way, and stop a second click.
      document.getElementById("import-progress").hidden = false;
      importForm.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    });
  }

  var approve = document.getElementById("approve-passing");
  if (approve) {
    approve.hidden = false;
    approve.addEventListener("click", function () {
      document.querySelectorAll("#review-table tbody tr[data-passed='1']").forEach(function (row) {
        var radio = row.querySelector("input[type=radio][value=approve]");
        if (radio) radio.checked = true;
      });
    });
  }
})();
