/* Jurisdiction editor map tools, on window.RuamkanJurisdiction (jurisdiction.js):
   - Select with a box: drag a box (mouse, or a finger: the map does not pan meanwhile), or tap two opposite
     corners; every tambon whose shape meets the box (asked of the server: data-box-url) is ticked in the list,
     to be assigned with the Assign form as tapped tambon are.
   - Draw a part of a tambon: tap the corners one by one, Finish (or Cancel, or remove the last point); the
     polygon goes into the part form's hidden "points" field as [[lon, lat], ...], which the server checks.
   Plain Leaflet, no plug-in. */
(function () {
  "use strict";
  var api = window.RuamkanJurisdiction;
  if (!api || typeof window.L === "undefined") {
    return;
  }
  var L = window.L, map = api.map, data = api.data;
  var boxButton = document.getElementById("box-button"), drawButton = document.getElementById("draw-button");
  var finishButton = document.getElementById("draw-finish"), undoButton = document.getElementById("draw-undo");
  var cancelButton = document.getElementById("tool-cancel");
  var pointsInput = document.getElementById("part-points"), drawnEl = document.getElementById("part-drawn");
  var DRAG_PX = 8;
  var corner = null, down = null, preview = null, vertices = [], sketch = null;

  function say(text) {
    if (api.statusEl) {
      api.statusEl.textContent = text;
    }
  }

  function label(template, n) {
    return (template || "{n}").replace("{n}", String(n));
  }

  function setMode(mode) {
    api.mode = mode;
    api.el.setAttribute("data-mode", mode || "");
    boxButton.setAttribute("aria-pressed", String(mode === "box"));
    drawButton.setAttribute("aria-pressed", String(mode === "draw"));
    finishButton.hidden = undoButton.hidden = mode !== "draw";
    cancelButton.hidden = !mode;
    if (mode) {
      map.dragging.disable();
      map.doubleClickZoom.disable();
    } else {
      map.dragging.enable();
      map.doubleClickZoom.enable();
    }
  }

  /* Box select */
  function clearBox() {
    corner = down = null;
    if (preview) {
      map.removeLayer(preview);
      preview = null;
    }
  }

  function showBox(a, b) {
    var bounds = L.latLngBounds(a, b);
    if (preview) {
      preview.setBounds(bounds);
    } else {
      preview = L.rectangle(bounds, { color: "#000", weight: 2, dashArray: "5 4", fillOpacity: 0.1,
                                      interactive: false }).addTo(map);
    }
  }

  function selectBox(a, b) {
    var bounds = L.latLngBounds(a, b);
    var bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (v) { return v.toFixed(6); }).join(",");
    showBox(a, b);
    window.RuamkanMap.loadJSON(data.boxUrl + "&bbox=" + bbox).then(function (answer) {
      answer.tambon.forEach(function (code) { api.tick(code, true); });
      api.countSelected();
      say(label(data.labelBoxDone, answer.tambon.length));
    }).catch(function () { say(data.error || ""); }).then(function () {
      clearBox();
      setMode(null);
    });
  }

  function point(event) {
    return map.mouseEventToLatLng(event);
  }

  api.el.addEventListener("pointerdown", function (event) {
    if (api.mode === "box") {
      down = { latlng: point(event), x: event.clientX, y: event.clientY };
    }
  });
  api.el.addEventListener("pointermove", function (event) {
    if (api.mode === "box" && down && (event.buttons || event.pointerType === "touch")) {
      showBox(down.latlng, point(event));
    }
  });
  api.el.addEventListener("pointerup", function (event) {
    if (api.mode !== "box" || !down) {
      return;
    }
    var moved = Math.abs(event.clientX - down.x) + Math.abs(event.clientY - down.y) > DRAG_PX;
    var start = down.latlng, end = point(event);
    down = null;
    if (moved) {
      selectBox(start, end);
    } else if (corner) {
      selectBox(corner, end);
    } else {
      corner = end;
      showBox(end, end);
      say(data.labelCorner || "");
    }
  });

  /* Drawing a part */
  function redraw() {
    if (sketch) {
      map.removeLayer(sketch);
    }
    sketch = L.featureGroup(vertices.map(function (v) {
      return L.circleMarker(v, { radius: 6, color: "#000", weight: 2, fillColor: "#fff", fillOpacity: 1,
                                 interactive: false });
    }));
    if (vertices.length > 1) {
      sketch.addLayer(L.polygon(vertices, { color: "#000", weight: 3, dashArray: "6 4", fillOpacity: 0.2,
                                            interactive: false }));
    }
    sketch.addTo(map);
    api.el.setAttribute("data-vertices", String(vertices.length));
  }

  map.on("click", function (event) {
    if (api.mode === "draw") {
      vertices.push(event.latlng);
      redraw();
      say(label(data.labelVertices, vertices.length));
    }
  });

  function finishDrawing() {
    if (vertices.length < 3) {
      say(label(data.labelVertices, vertices.length) + " (≥ 3)");
      return;
    }
    pointsInput.value = JSON.stringify(vertices.map(function (v) {
      return [Number(v.lng.toFixed(6)), Number(v.lat.toFixed(6))];
    }));
    drawnEl.textContent = label(data.labelVertices, vertices.length);
    setMode(null);
    document.getElementById("part-form").scrollIntoView({ block: "start" });
    document.getElementById("part-station").focus();
  }

  boxButton.addEventListener("click", function () {
    clearBox();
    setMode(api.mode === "box" ? null : "box");
    say(api.mode ? data.labelCorner || "" : "");
  });
  drawButton.addEventListener("click", function () {
    vertices = [];
    redraw();
    setMode(api.mode === "draw" ? null : "draw");
  });
  finishButton.addEventListener("click", finishDrawing);
  undoButton.addEventListener("click", function () {
    vertices.pop();
    redraw();
    say(label(data.labelVertices, vertices.length));
  });
  cancelButton.addEventListener("click", function () {
    if (api.mode === "draw") {
      vertices = [];
      redraw();
      pointsInput.value = "";
    }
    clearBox();
    setMode(null);
    say("");
  });

  // A drawing the server refused comes back in the form: show it again.
  if (pointsInput.value) {
    try {
      vertices = JSON.parse(pointsInput.value).map(function (p) { return L.latLng(p[1], p[0]); });
      redraw();
    } catch (ignore) {
      vertices = [];
    }
  }
}());
