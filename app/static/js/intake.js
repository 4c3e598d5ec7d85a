/* Intake form enhancements: category notes, location, lazy map, place preview, duplicates,
   personal-data warning, place search and photo GPS. The form works without any of this. */
(function () {
  'use strict';
  var form = document.getElementById('report-form');
  if (!form) { return; }
  var data = form.dataset;
  var t = JSON.parse(data.i18n || '{}');
  var csrf = (form.querySelector('input[name=csrf_token]') || {}).value || '';
  var $ = function (id) { return document.getElementById(id); };
  var category = $('category_id'), lat = $('lat'), lon = $('lon'), accuracy = $('accuracy_m');
  var map = null, marker = null, mapLoading = false, refreshTimer = null, photoPoint = null;
  // Where the photos were taken (EXIF): the preview warns when the pin is far from it.
  var photoGps = data.photoGps ? data.photoGps.split(',').map(parseFloat) : null;

  function fill(text, values) {
    return String(text || '').replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }
  function show(el, visible) { if (el) { el.hidden = !visible; } }
  function get(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); });
  }
  function post(url, body) {
    return fetch(url, { method: 'POST', body: body, credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRFToken': csrf } })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); });
  }
  function point() {
    var la = parseFloat(lat.value), lo = parseFloat(lon.value);
    return (isFinite(la) && isFinite(lo) && Math.abs(la) <= 90 && Math.abs(lo) <= 180) ? [la, lo] : null;
  }

  /* Category: emergency note, its questions, nothing else hidden without a choice. */
  function onCategory() {
    var option = category.options[category.selectedIndex];
    show($('emergency-box'), !!option && option.dataset.emergency === '1');
    var chosen = category.value;
    document.querySelectorAll('.question[data-categories]').forEach(function (q) {
      q.classList.toggle('shown', !!chosen && q.dataset.categories.split(' ').indexOf(chosen) >= 0);
    });
    scheduleRefresh();
  }
  category.addEventListener('change', onCategory);
  onCategory();

  /* Place: one function moves the point, whoever set it. */
  function setPoint(la, lo, metres) {
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
    accuracy.value = metres ? Math.round(metres) : '';
    if (marker) { marker.setLatLng([la, lo]); map.setView([la, lo], Math.max(map.getZoom(), 16)); }
    else { loadMap(); }
    scheduleRefresh();
  }
  [lat, lon].forEach(function (input) {
    input.addEventListener('change', function () {
      var p = point();
      accuracy.value = '';
      if (p && marker) { marker.setLatLng(p); map.setView(p); }
      scheduleRefresh();
    });
  });

  var status = $('locate-status');
  $('locate-btn').addEventListener('click', function () {
    if (!navigator.geolocation) { status.textContent = t.noGeolocation; return; }
    status.textContent = t.locating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      status.textContent = fill(t.accuracy, { m: Math.round(pos.coords.accuracy) });
      setPoint(pos.coords.latitude, pos.coords.longitude, pos.coords.accuracy);
    }, function () { status.textContent = t.locateFailed; },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });
  $('map-btn').addEventListener('click', loadMap);

  /* Leaflet (about 150 KB) loads only when the map is wanted, to spare a phone's data. */
  function loadMap() {
    if (map || mapLoading) { return; }
    mapLoading = true;
    // The map's room is made at the tap, so nothing below jumps when Leaflet arrives a moment later.
    show($('map'), true);
    show($('map-btn'), false);
    // Leaflet starts once its styles are there too, so its panes and pin do not jump into place.
    var waiting = 2;
    function arrived() { waiting -= 1; if (waiting === 0) { initMap(); } }
    var css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = data.leafletCss;
    css.onload = arrived;
    css.onerror = arrived;
    document.head.appendChild(css);
    var script = document.createElement('script');
    script.src = data.leafletJs;
    script.onload = arrived;
    script.onerror = function () {
      mapLoading = false;
      show($('map'), false);
      show($('map-btn'), true);
      status.textContent = t.mapFailed;
    };
    document.head.appendChild(script);
  }
  function initMap() {
    var el = $('map'), start = point(), center = data.center.split(',').map(parseFloat);
    map = window.RuamkanMap.create(el, data, { center: start || center, zoom: start ? 17 : 12, maxZoom: 19,
      scrollWheelZoom: true });
    marker = window.L.marker(start || center, { draggable: true, autoPan: true, title: t.pin, alt: t.pin }).addTo(map);
    marker.on('dragend', function () {
      var p = marker.getLatLng();
      setPoint(p.lat, p.lng, null);
    });
    map.on('click', function (e) { setPoint(e.latlng.lat, e.latlng.lng, null); });
    if (!start) { setPoint(center[0], center[1], null); }
  }

  /* Preview (station, tambon) and duplicates, after the pin or category settles. */
  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 400);
  }
  function refresh() {
    var p = point();
    if (!p || !category.value) { return; }
    var query = '?category_id=' + encodeURIComponent(category.value) + '&lat=' + p[0] + '&lon=' + p[1];
    var photo = photoGps ? '&photo_lat=' + photoGps[0] + '&photo_lon=' + photoGps[1] : '';
    get(data.previewUrl + query + photo).then(renderPreview).catch(function () {});
    get(data.duplicatesUrl + query).then(renderDuplicates).catch(function () {});
  }
  function para(text, id, cls) {
    var el = document.createElement('p');
    el.textContent = text;
    if (id) { el.id = id; }
    if (cls) { el.className = cls; }
    return el;
  }
  function renderPreview(res) {
    var box = $('place-preview');
    if (!res.ok) { return; }
    var b = res.body;
    box.textContent = '';
    if (b.place_text) { box.appendChild(para(b.place_text, 'preview-place')); }
    var station = para('', 'preview-station'), strong = document.createElement('strong');
    strong.textContent = t.goesTo + ' ';
    station.appendChild(strong);
    station.appendChild(document.createTextNode(b.station ? b.station.name : t.coordinator));
    box.appendChild(station);
    if (b.explanation) {
      var why = document.createElement('details'), summary = document.createElement('summary');
      why.className = 'why';
      summary.textContent = t.why;
      why.appendChild(summary);
      why.appendChild(para(b.explanation, 'preview-why', 'hint'));
      box.appendChild(why);
    }
    show(box, true);
    renderWarnings(b.warnings || [], b.near_boundary);
  }
  /* Doubts about the pin (outside the province, at sea, far from the photo) and what confirms them. */
  function renderWarnings(warnings, nearBoundary) {
    var box = $('place-warnings'), outside = false, other = false;
    box.textContent = '';
    warnings.forEach(function (w) {
      var p = para(w.message, null, 'flash flash-warning');
      p.dataset.kind = w.kind;
      box.appendChild(p);
      if (w.kind === 'outside_province') { outside = true; } else { other = true; }
    });
    show($('outside-confirm'), outside || $('confirm_outside').checked);
    show($('boundary-note'), !!nearBoundary);
    show($('boundary-confirm'), !!nearBoundary || other || $('confirm_place').checked);
  }
  function renderDuplicates(res) {
    var list = $('duplicate-list');
    if (!res.ok) { return; }
    var rows = res.body.duplicates || [];
    list.textContent = '';
    rows.forEach(function (d) {
      var li = document.createElement('li'), text = document.createElement('span');
      text.textContent = [d.category, d.distance, fill(t.age, { d: d.age_days }),
        d.status_label].join(' · ');
      var button = document.createElement('button');
      button.type = 'submit';
      button.className = 'button';
      button.formAction = d.support_url;
      button.formNoValidate = true;
      button.textContent = t.addTo;
      li.appendChild(text);
      li.appendChild(button);
      list.appendChild(li);
    });
    show($('duplicates'), rows.length > 0);
  }

  /* Personal data in the narrative: warn while the member can still edit. */
  var narrative = $('narrative');
  narrative.addEventListener('blur', function () {
    var body = new FormData();
    body.append('narrative', narrative.value);
    post(data.checkUrl, body).then(function (res) {
      if (!res.ok) { return; }
      $('pii-text').textContent = res.body.message || '';
      show($('pii-warning'), !!res.body.message);
    }).catch(function () {});
  });

  /* Place search without leaving the page. */
  var results = $('place-results'), searchError = $('search-err');
  $('find-place').addEventListener('click', function (event) {
    event.preventDefault();
    var q = $('place_query').value.trim();
    searchError.textContent = t.searching;
    show(searchError, true);
    results.textContent = '';
    get(data.geocodeUrl + '?q=' + encodeURIComponent(q)).then(function (res) {
      var found = res.ok ? res.body.results : [];
      searchError.textContent = res.ok ? (res.body.message || '') : res.body.error.message;
      show(searchError, !!searchError.textContent);
      found.forEach(function (place) {
        var li = document.createElement('li'), button = document.createElement('button');
        button.type = 'button';
        button.className = 'link';
        button.textContent = place.label;
        button.addEventListener('click', function () {
          setPoint(place.lat, place.lon, null);
          var address = $('address_text');
          if (!address.value) { address.value = place.label.slice(0, 400); }
          results.textContent = '';
        });
        li.appendChild(button);
        results.appendChild(li);
      });
      show(results, found.length > 0);
    }).catch(function () { searchError.textContent = t.mapFailed; });
  });

  /* A photo's EXIF GPS, read from the first 64 KB only (never the whole photo twice): offered as the
     place when none is set yet, and compared with the pin. */
  function readPhotoGps(event) {
    show($('photo-gps'), false);
    photoPoint = null;
    Array.prototype.slice.call(event.target.files, 0, 5).forEach(function (file) {
      if (!/jpe?g$/i.test(file.type || file.name)) { return; }
      var body = new FormData();
      body.append('photo', file.slice(0, 65536), file.name);
      post(data.photoUrl, body).then(function (res) {
        if (!res.ok || !res.body.found || photoPoint) { return; }
        photoPoint = photoGps = [res.body.lat, res.body.lon];
        $('photo-gps-text').textContent = fill(t.photoGps, { name: file.name, lat: res.body.lat, lon: res.body.lon });
        show($('photo-gps'), true);
        scheduleRefresh();
      }).catch(function () {});
    });
  }
  $('photos').addEventListener('change', readPhotoGps);
  if ($('camera')) { $('camera').addEventListener('change', readPhotoGps); }
  $('photo-gps-use').addEventListener('click', function () {
    if (photoPoint) { setPoint(photoPoint[0], photoPoint[1], null); }
    show($('photo-gps'), false);
  });

  /* One tap sends once; the idempotency key covers retries the page cannot see. */
  form.addEventListener('submit', function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.id !== 'submit-report') { return; }
    var button = $('submit-report');
    setTimeout(function () { button.disabled = true; button.textContent = t.sending; }, 0);
  });

  if (point() && category.value) { scheduleRefresh(); }
})();
