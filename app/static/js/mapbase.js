/* Shared Leaflet setup for Ruamkan's maps: a map whose tiles are optional (the data draws without
   them), and same-origin JSON loading that fails loudly on an HTTP error. */
(function () {
  "use strict";

  function create(el, data, view) {
    var map = window.L.map(el, { scrollWheelZoom: false, zoomSnap: view.zoomSnap || 1 })
      .setView(view.center, view.zoom);
    if (data.tileUrl) {
      window.L.tileLayer(data.tileUrl, { maxZoom: view.maxZoom || 18, attribution: data.tileAttribution || "" })
        .addTo(map);
    }
    return map;
  }

  function loadJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      });
  }

  window.RuamkanMap = { create: create, loadJSON: loadJSON };
}());
