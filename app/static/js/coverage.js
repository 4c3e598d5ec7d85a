/* Coverage map: station areas coloured by MOU status and station points, from a GeoJSON endpoint.
   No inline script: configuration comes from data-* attributes on #coverage-map. Without tiles
   (offline, blocked) the areas still draw; without Leaflet the table below the map remains. */
(function () {
  "use strict";
  var el = document.getElementById("coverage-map");
  var statusEl = document.getElementById("coverage-map-status");
  if (!el || typeof window.L === "undefined" || !window.fetch || !window.RuamkanMap) {
    return;
  }
  var L = window.L;
  var data = el.dataset;
  var FALLBACK = { all: "#1e8a3c", partial: "#d99a00", ended: "#b3261e", none: "#8a94a0" };

  function colour(status) {
    var swatch = document.querySelector(".legend .swatch-" + status);
    var value = swatch ? window.getComputedStyle(swatch).backgroundColor : "";
    return value && value !== "rgba(0, 0, 0, 0)" ? value : (FALLBACK[status] || FALLBACK.none);
  }

  function say(text) {
    if (statusEl) {
      statusEl.textContent = text;
      statusEl.hidden = false;
    }
  }

  function node(tag, text, parent) {
    var element = document.createElement(tag);
    if (text) {
      element.textContent = text;
    }
    if (parent) {
      parent.appendChild(element);
    }
    return element;
  }

  // Built from DOM nodes and textContent, so names from imported files can never inject markup.
  function popup(props) {
    var box = node("div");
    box.className = "coverage-popup";
    node("h3", props.name, box);
    node("p", (data.labelCode || "Code") + ": " + props.code, box);
    node("p", props.status_label, box);
    if (props.kind === "station") {
      node("p", data.labelStation || "", box);
    }
    if (props.phone) {
      node("p", (data.labelPhone || "Phone") + ": " + props.phone, box);
    }
    if (props.mous && props.mous.length) {
      node("p", data.labelMous || "MOUs", box);
      var list = node("ul", "", box);
      props.mous.forEach(function (text) { node("li", text, list); });
    }
    // Signed MOU documents (oversight registry): same-origin paths only, never a script URL.
    (props.documents || []).forEach(function (doc) {
      if (typeof doc.url === "string" && doc.url.charAt(0) === "/" && doc.url.charAt(1) !== "/") {
        var link = node("a", doc.text, node("p", "", box));
        link.href = doc.url;
      }
    });
    return box;
  }

  var map = window.RuamkanMap.create(el, data, { center: [7.0, 100.5], zoom: 9, zoomSnap: 0.25, maxZoom: 18 });

  window.RuamkanMap.loadJSON(data.geojsonUrl)
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          var c = colour(feature.properties.status);
          return { color: "#1b1f24", weight: 1, fillColor: c, fillOpacity: 0.45 };
        },
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {
            radius: 6, color: "#1b1f24", weight: 2, fillColor: colour(feature.properties.status), fillOpacity: 1
          });
        },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindPopup(function () { return popup(feature.properties); });
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [10, 10] });
      }
    })
    .catch(function () {
      say(data.error || "");
    });
}());
