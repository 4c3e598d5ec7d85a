/* The police report page: the place on a small map, and filling a text box from a response template.
   No inline script: everything comes from data-* attributes. Without tiles the point still shows;
   without this script the coordinates, the "open in a map app" link and template links remain. */
(function () {
  "use strict";

  var mapEl = document.getElementById("report-map");
  if (mapEl && typeof window.L !== "undefined" && window.RuamkanMap) {
    var d = mapEl.dataset;
    var point = [parseFloat(d.lat), parseFloat(d.lon)];
    var map = window.RuamkanMap.create(mapEl, d, { center: point, zoom: 15, maxZoom: 19 });
    var accuracy = parseFloat(d.accuracy);
    if (accuracy > 0) {
      window.L.circle(point, { radius: accuracy, color: "#0b4f8a", weight: 1, fillOpacity: 0.1 }).addTo(map);
    }
    window.L.circleMarker(point, { radius: 9, color: "#1b1f24", weight: 2, fillColor: "#a4161a", fillOpacity: 1 })
      .addTo(map);
  }

  var pick = document.getElementById("template-pick");
  if (pick) {
    pick.addEventListener("change", function () {
      var option = pick.options[pick.selectedIndex];
      if (!option || !option.dataset.body) {
        return;
      }
      (pick.dataset.targets || "").split(",").forEach(function (selector) {
        var box = document.querySelector(selector);
        if (box) {
          box.value = option.dataset.body;
          var details = box.closest("details");
          if (details) {
            details.open = true;
          }
        }
      });
    });
  }
}());
