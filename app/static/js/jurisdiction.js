/* Jurisdiction editor map: the province's tambon coloured by their station in the draft. Tapping a tambon
   ticks (or unticks) its box in the list below, which is the real form: keyboard and screen-reader users,
   and anyone without the map, use the list. Parts of tambon given to other stations are drawn over them.
   The map tools (box select, drawing a part: jurisdiction_tools.js; placing stations: jurisdiction_place.js)
   use window.RuamkanJurisdiction; while a tool is on (api.mode), a tap on a tambon ticks nothing.
   Configuration: data-* on the map. */
(function () {
  "use strict";
  var el = document.getElementById("jurisdiction-map");
  var statusEl = document.getElementById("jurisdiction-map-status");
  var countEl = document.getElementById("selected-count");
  if (!el || typeof window.L === "undefined" || !window.fetch || !window.RuamkanMap) {
    return;
  }
  var data = el.dataset, layers = {};

  function box(code) {
    return document.querySelector('input[data-tambon="' + code + '"]');
  }

  function style(feature) {
    var ticked = box(feature.properties.code), colour = feature.properties.colour;
    var selected = ticked && ticked.checked;
    return { color: selected ? "#000" : (colour || "#5b6570"), weight: selected ? 4 : 1,
             dashArray: colour ? null : "4 3", fillColor: colour || "#8a94a0",
             fillOpacity: selected ? 0.75 : (colour ? 0.45 : 0.15) };
  }

  function countSelected() {
    var n = document.querySelectorAll('input[name="tambon"]:checked').length;
    if (countEl) {
      countEl.textContent = n ? n + " ✓" : "";
    }
    el.setAttribute("data-selected", String(n));
  }

  function open(input) {
    var details = input.closest("details");
    if (details) {
      details.open = true;
    }
  }

  function tick(code, on) {
    var input = box(code), layer = layers[code];
    if (input) {
      input.checked = on;
      if (on) {
        open(input);
      }
    }
    if (layer) {
      layer.setStyle(style(layer.feature));
    }
  }

  function partStyle(feature) {
    return { color: "#000", weight: 3, dashArray: "6 4", fillColor: feature.properties.colour || "#8a94a0",
             fillOpacity: 0.7 };
  }

  var map = window.RuamkanMap.create(el, data, { center: [7.0, 100.5], zoom: 9 });
  var api = { map: map, el: el, data: data, statusEl: statusEl, mode: null, tick: tick, countSelected: countSelected };
  window.RuamkanJurisdiction = api;
  window.RuamkanMap.loadJSON(data.geojsonUrl).then(function (collection) {
    var group = window.L.geoJSON(collection, {
      filter: function (feature) { return !feature.properties.part; },
      style: style,
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        layers[p.code] = layer;
        layer.bindTooltip(p.name + " — " + (p.station || data.labelNone || ""), { sticky: true });
        layer.on("click", function () {
          var input = box(p.code);
          if (input && !api.mode) {
            input.checked = !input.checked;
            open(input);
            layer.setStyle(style(feature));
            countSelected();
            if (statusEl) {
              statusEl.textContent = p.name + (input.checked ? " ✓" : " ✗");
            }
          }
        });
        if (layer.getElement && layer.getElement()) {
          layer.getElement().setAttribute("data-tambon", p.code);
        }
      }
    }).addTo(map);
    group.eachLayer(function (layer) {
      var path = layer.getElement && layer.getElement();
      if (path) {
        path.setAttribute("data-tambon", layer.feature.properties.code);
      }
    });
    var parts = window.L.geoJSON(collection, {
      filter: function (feature) { return !!feature.properties.part; },
      style: partStyle,
      onEachFeature: function (feature, layer) {
        layer.bindTooltip("#" + feature.properties.part + " " + feature.properties.name + " — " +
                          feature.properties.station, { sticky: true });
      }
    }).addTo(map);
    parts.eachLayer(function (layer) {
      var path = layer.getElement && layer.getElement();
      if (path) {
        path.setAttribute("data-part", String(layer.feature.properties.part));
      }
    });
    if (collection.features.length) {
      map.fitBounds(group.getBounds(), { padding: [8, 8] });
    }
    el.setAttribute("data-tambon-count", String(Object.keys(layers).length));
  }).catch(function () {
    if (statusEl) {
      statusEl.textContent = data.error || "";
    }
  });

  document.querySelectorAll('input[name="tambon"]').forEach(function (input) {
    input.addEventListener("change", function () {
      var layer = layers[input.value];
      if (layer) {
        layer.setStyle(style(layer.feature));
      }
      countSelected();
    });
  });
}());
