/* Shared Leaflet setup for Ruamkan's maps: tiles are optional (no signal, none configured), so every map
   draws the amphoe and tambon outlines with their names from the imported admin areas as its base layer
   (the element's data-base-url, app/stations/basemap.py), and same-origin JSON fails loudly on an HTTP error. */
(function () {
  "use strict";
  var TAMBON_LABEL_ZOOM = 12, AMPHOE_LABEL_ZOOM = 9;

  function loadJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      });
  }

  function nameOf(props) {
    var lang = document.documentElement.lang === "en" ? "en" : "th";
    var name = props["name_" + lang] || props.name_th || "";
    if (lang === "th") {
      return (props.level === "amphoe" ? "อ." : "ต.") + name;
    }
    return name;
  }

  /* Outlines for what the map shows, fetched again only when the view leaves what was loaded. */
  function baseLayer(map, url) {
    var L = window.L, loaded = null, layer = null, pending = false;
    map.createPane("base");
    map.getPane("base").style.zIndex = 350;  // above tiles, below points and popups
    map.getPane("base").style.pointerEvents = "none";
    function style(feature) {
      var amphoe = feature.properties.level === "amphoe";
      return { pane: "base", color: amphoe ? "#39424d" : "#6b7785", weight: amphoe ? 2 : 1,
               dashArray: amphoe ? null : "4 3", fill: false, interactive: false };
    }
    function labels() {
      if (!layer) {
        return;
      }
      var zoom = map.getZoom();
      layer.eachLayer(function (item) {
        var level = item.feature.properties.level;
        var wanted = level === "tambon" ? zoom >= TAMBON_LABEL_ZOOM : zoom >= AMPHOE_LABEL_ZOOM && zoom < TAMBON_LABEL_ZOOM;
        if (wanted && !item.getTooltip()) {
          item.bindTooltip(nameOf(item.feature.properties), { permanent: true, direction: "center",
            className: "area-label area-label-" + level, pane: "base" });
        } else if (!wanted && item.getTooltip()) {
          item.unbindTooltip();
        }
      });
    }
    function refresh() {
      var view = map.getBounds();
      if (pending || (loaded && loaded.contains(view))) {
        labels();
        return;
      }
      var wide = view.pad(0.5);
      pending = true;
      loadJSON(url + (url.indexOf("?") < 0 ? "?" : "&") + "bbox=" + [wide.getWest(), wide.getSouth(),
        wide.getEast(), wide.getNorth()].map(function (v) { return v.toFixed(3); }).join(","))
        .then(function (collection) {
          if (layer) {
            map.removeLayer(layer);
          }
          layer = L.geoJSON(collection, { style: style, interactive: false }).addTo(map);
          loaded = wide;
          map.getContainer().setAttribute("data-base-areas", String(collection.features.length));
          labels();
        })
        .catch(function () { /* outlines are a help, not a need: the map works without them */ })
        .then(function () { pending = false; });
    }
    map.on("moveend", refresh);
    map.whenReady(refresh);
  }

  function create(el, data, view) {
    var map = window.L.map(el, { scrollWheelZoom: !!view.scrollWheelZoom, zoomSnap: view.zoomSnap || 1 })
      .setView(view.center, view.zoom);
    if (data.tileUrl) {
      window.L.tileLayer(data.tileUrl, { maxZoom: view.maxZoom || 18, attribution: data.tileAttribution || "" })
        .addTo(map);
    }
    if (data.baseUrl) {
      baseLayer(map, data.baseUrl);
    }
    return map;
  }

  window.RuamkanMap = { create: create, loadJSON: loadJSON };
}());
