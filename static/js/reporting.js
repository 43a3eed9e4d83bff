/* Report form: show the share (66,7% or 120/1 vạn dân) while the unit types numerator and denominator.
   The server computes the same figure on every reload; this only saves a round trip. */
(function () {
  "use strict";

  function parseNumber(text) {
    var s = String(text || "").replace(/[\s\u00a0]/g, "");
    if (!s) return null;
    if (s.indexOf(",") >= 0 && s.indexOf(".") >= 0) {
      s = s.lastIndexOf(",") > s.lastIndexOf(".") ? s.replace(/\./g, "").replace(",", ".") : s.replace(/,/g, "");
    } else if (s.indexOf(",") >= 0) {
      s = s.replace(",", ".");
    } else if (/^\d{1,3}(\.\d{3})+$/.test(s)) {
      s = s.replace(/\./g, "");
    }
    if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
    return parseFloat(s);
  }

  function formatNumber(value) {
    var fixed = (Math.round(value * 10) / 10).toFixed(1);
    var parts = fixed.split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return parts[1] === "0" ? whole : whole + "," + parts[1];
  }

  function update(output) {
    var code = output.getAttribute("data-share-for");
    var scale = parseFloat(output.getAttribute("data-scale") || "100");
    var num = document.getElementById("id_" + code + "-num");
    // An indicator over a base figure takes its denominator from that one field at the top.
    var den = document.getElementById(output.getAttribute("data-den-from") || "id_" + code + "-den");
    if (!num || !den) return;
    var n = parseNumber(num.value), d = parseNumber(den.value);
    if (n === null || d === null || d === 0) {
      output.textContent = "—";
      return;
    }
    var text = formatNumber((n * scale) / d) + (output.getAttribute("data-suffix") || "%");
    if (n > d) text += " ⚠";
    output.textContent = text;
  }

  document.querySelectorAll("output[data-share-for]").forEach(function (output) {
    var code = output.getAttribute("data-share-for");
    var ids = ["id_" + code + "-num", output.getAttribute("data-den-from") || "id_" + code + "-den"];
    ids.forEach(function (id) {
      var input = document.getElementById(id);
      if (input) input.addEventListener("input", function () { update(output); });
    });
    // Figures typed before this script ran (a slow connection) or restored by the browser on
    // "Back" get their share too, not only those typed from now on.
    update(output);
  });
})();
