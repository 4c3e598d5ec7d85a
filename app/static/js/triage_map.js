/* The station's open reports on a map, from the queue's GeoJSON endpoint (same filters as the list).
   Points are vector circles, so they draw without tiles or marker images; popups are built from
   DOM nodes with textContent so report data can never inject markup. */
(function () {
  "use strict";
  var el = document.getElementById("triage-map");
  var statusEl = document.getElementById("triage-map-status");
  if (!el || typeof window.L === "undefined" || !window.fetch || !window.RuamkanMap) {
    return;
  }
  var L = window.L;
  var data = el.dataset;

  function say(text) {
    if (statusEl && text) {
      statusEl.textContent = text;
      statusEl.hidden = false;
    }
  }

  function colour(props) {
    if (props.overdue) {
      return "#a4161a";
    }
    return props.priority === "urgent" || props.priority === "high" ? "#d96c00" : "#0b4f8a";
  }

  function popup(props) {
    var box = document.createElement("div");
    box.className = "triage-popup";
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.reference;
    box.appendChild(link);
    [props.category, props.status_label + " · " + props.priority_label,
     props.overdue ? data.labelOverdue : ""].forEach(function (text) {
      if (text) {
        var p = document.createElement("p");
        p.textContent = text;
        box.appendChild(p);
      }
    });
    return box;
  }

  var map = window.RuamkanMap.create(el, data, {
    center: [parseFloat(data.centerLat) || 13.7367, parseFloat(data.centerLon) || 100.5232], zoom: 11, maxZoom: 19
  });

  window.RuamkanMap.loadJSON(data.geojsonUrl)
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {
            radius: feature.properties.overdue ? 9 : 7, color: "#1b1f24", weight: 2,
            fillColor: colour(feature.properties), fillOpacity: 0.95
          });
        },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindPopup(function () { return popup(feature.properties); });
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
      }
      if (!collection.features.length) {
        say(data.empty);
      } else if (collection.truncated) {
        say(data.truncated);
      }
      el.setAttribute("data-loaded", String(collection.features.length));
    })
    .catch(function () {
      say(data.error);
    });
}());
