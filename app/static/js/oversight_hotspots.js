/* Hotspot map: grid squares with at least the minimum number of reports, from a JSON endpoint.
   Configuration comes from data-* attributes on #hotspot-map. No report is ever drawn as a point.
   Without tiles (offline, blocked, none configured) the squares still draw on a plain background;
   without Leaflet or JavaScript the table below the map lists the same squares. */
(function () {
  "use strict";
  var el = document.getElementById("hotspot-map");
  var statusEl = document.getElementById("hotspot-map-status");
  if (!el || typeof window.L === "undefined" || !window.fetch || !window.RuamkanMap) {
    return;
  }
  var L = window.L;
  var data = el.dataset;

  function say(text) {
    if (statusEl) {
      statusEl.textContent = text;
      statusEl.hidden = !text;
    }
  }

  // Darker squares hold more reports; the scale is relative to the busiest square shown.
  function style(count, top) {
    var share = top > 0 ? count / top : 0;
    return { color: "#083a66", weight: 1, fillColor: "#a4161a", fillOpacity: 0.15 + 0.6 * share };
  }

  // The empty state said on the map itself, where the eye is, not only under it.
  function onMap(text) {
    var note = L.control({ position: "topright" });
    note.onAdd = function () {
      var div = L.DomUtil.create("div", "map-note");
      div.setAttribute("aria-hidden", "true"); // the status line under the map says it to screen readers
      div.textContent = text;
      return div;
    };
    note.addTo(map);
  }

  var map = window.RuamkanMap.create(el, data, { center: [7.0, 100.5], zoom: 9, zoomSnap: 0.25, maxZoom: 16 });
  var layer = null;
  var shownKey = "";
  var fitted = false;

  // The grid zoom whose squares are a few dozen pixels wide at this map zoom (0.64°, 0.16°, 0.04°, 0.01°).
  function gridZoom(mapZoom) {
    if (mapZoom < 8) { return 0; }
    if (mapZoom < 10) { return 1; }
    if (mapZoom < 12) { return 2; }
    return 3;
  }

  function draw(collection) {
    var top = 0;
    collection.features.forEach(function (f) { top = Math.max(top, f.properties.count); });
    if (layer) {
      map.removeLayer(layer);
    }
    layer = L.geoJSON(collection, {
      style: function (feature) { return style(feature.properties.count, top); },
      onEachFeature: function (feature, featureLayer) {
        featureLayer.bindTooltip(String(feature.properties.count) + " " + (data.labelReports || ""));
      }
    }).addTo(map);
    el.setAttribute("data-grid-zoom", String(collection.zoom));
    return layer;
  }

  // After the first view, each pan or zoom asks only for the squares of the zoom and bounds on screen.
  function reload() {
    var b = map.getBounds();
    var zoom = gridZoom(map.getZoom());
    var bbox = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(function (v) { return v.toFixed(3); });
    var key = zoom + "|" + bbox.join(",");
    if (!fitted || key === shownKey) {
      return;
    }
    shownKey = key;
    window.RuamkanMap.loadJSON(data.url + (data.url.indexOf("?") < 0 ? "?" : "&") + "zoom=" + zoom +
                               "&bbox=" + bbox.join(","))
      .then(function (collection) {
        if (key === shownKey) {
          draw(collection);
        }
      })
      .catch(function () { say(data.error || ""); });
  }
  map.on("moveend", reload);

  window.RuamkanMap.loadJSON(data.url)
    .then(function (collection) {
      var bounds = draw(collection).getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [10, 10], maxZoom: 13 });
      }
      if (!collection.features.length) {
        say(data.empty || "");
        onMap(data.empty || "");
      }
      fitted = true;
    })
    .catch(function () {
      say(data.error || "");
    });
}());
