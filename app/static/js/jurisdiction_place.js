/* Stations without a point on the jurisdiction editor's map: each waits as a "place me" marker in the middle
   of the province (data-centre), a little apart from the others; dragging it fills the latitude and longitude
   of its form in the "Stations without a point" list, which is the real form (typing works without the map),
   and the Save button then posts it. Uses window.RuamkanJurisdiction (jurisdiction.js). */
(function () {
  "use strict";
  var api = window.RuamkanJurisdiction;
  var forms = document.querySelectorAll("form.place-form");
  if (!api || !forms.length || !api.data.centre) {
    return;
  }
  var L = window.L, map = api.map, data = api.data;
  var centre = data.centre.split(",").map(Number);
  var SPREAD = 0.01;  // degrees between parked markers

  forms.forEach(function (form, n) {
    var lat = form.querySelector('input[name="lat"]'), lon = form.querySelector('input[name="lon"]');
    var start = lat.value && lon.value ? [Number(lat.value), Number(lon.value)]
      : [centre[0] - SPREAD * Math.floor(n / 4), centre[1] + SPREAD * (n % 4)];
    var marker = L.marker(start, {
      draggable: true, autoPan: true, keyboard: true, title: form.dataset.name,
      icon: L.divIcon({ className: "place-marker", iconSize: [28, 28], iconAnchor: [14, 14] })
    }).addTo(map);
    marker.bindTooltip((data.labelPlace || "") + ": " + form.dataset.name,
                       { permanent: true, direction: "top", offset: [0, -14], className: "place-label" });
    var icon = marker.getElement();
    if (icon) {
      icon.setAttribute("data-station", form.dataset.station);
    }
    marker.on("dragend", function () {
      var at = marker.getLatLng();
      lat.value = at.lat.toFixed(6);
      lon.value = at.lng.toFixed(6);
      if (api.statusEl) {
        api.statusEl.textContent = form.dataset.name + ": " + (data.labelMoved || "");
      }
      form.setAttribute("data-moved", "1");
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        var a = Number(lat.value), b = Number(lon.value);
        if (lat.value && lon.value && isFinite(a) && isFinite(b)) {
          marker.setLatLng([a, b]);
        }
      });
    });
  });
}());
