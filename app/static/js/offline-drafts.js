/* The intake form on the phone: drafts saved while typing (photos made smaller first and kept too),
   several at once and resumable; a report sent without a signal waits on the phone; the server's
   corrections to a queued report are shown next to the fields when it is opened again. */
(function () {
  'use strict';
  var form = document.getElementById('report-form');
  var panel = document.getElementById('offline-drafts');
  var O = window.RuamkanOffline, Store = window.RuamkanStore, Send = window.RuamkanSend;
  if (!form || !panel || !O || !O.user || !Store || !Store.available) { return; }
  var t = O.messages, fill = O.fill, user = O.user;
  var $ = function (id) { return document.getElementById(id); };
  var keyInput = form.elements.namedItem('idempotency_key');
  var photosInput = $('photos'), cameraInput = $('camera'), submit = $('submit-report');
  // Photos the server already keeps for this form (app/reports/staging.py) count against the limit.
  var keptOnServer = parseInt(form.dataset.kept || '0', 10) || 0;
  var maxPhotos = parseInt(photosInput.dataset.max || '5', 10) || 5;
  var list = $('offline-draft-list'), notice = $('offline-notice'), category = $('category_id');
  var SKIP = { csrf_token: true, idempotency_key: true };
  var CURRENT_KEY = 'ruamkan.current';
  // Photos: longest side at most 1600 px (what the server keeps for everyone to see), JPEG quality 0.8.
  var MAX_SIDE = 1600, QUALITY = 0.8, KEEP_SMALL_JPEG_BYTES = 400 * 1024;
  var SAVE_DELAY_MS = 700;
  // photos: the draft's photos as {name, type, blob}; photosChanged: not yet written to the phone's store.
  var draft = null, photos = null, photosChanged = false, saveTimer = null, photoJob = Promise.resolve();
  var shownErrors = [];
  var lastStatus = {}, renderSeq = 0;

  function line(id, after) {
    var p = document.createElement('p');
    p.id = id;
    p.className = 'hint';
    p.setAttribute('role', 'status');
    after.insertAdjacentElement('afterend', p);
    return p;
  }
  var savedLine = line('offline-saved', submit);
  var photoLine = line('offline-photos', photosInput.parentNode);
  var chosenList = document.createElement('ul');
  chosenList.id = 'chosen-photos';
  chosenList.className = 'kept';
  chosenList.hidden = true;
  photoLine.insertAdjacentElement('beforebegin', chosenList);
  function session() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  function remember(id) {
    var s = session();
    if (s) { if (id) { s.setItem(CURRENT_KEY, id); } else { s.removeItem(CURRENT_KEY); } }
  }
  function timeText(ms) {
    var lang = document.documentElement.lang || 'th';
    return new Date(ms).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  }

  /* The form's values by name (files apart); checkboxes and radios only when ticked. */
  function controls() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.name] && el.type !== 'file' && el.type !== 'submit' && el.type !== 'button' &&
        el.tagName !== 'FIELDSET';
    });
  }
  function readFields() {
    var fields = {};
    controls().forEach(function (el) {
      if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) { return; }
      fields[el.name] = el.name in fields ? [].concat(fields[el.name], el.value) : el.value;
    });
    return fields;
  }
  function writeFields(fields) {
    controls().forEach(function (el) {
      var values = el.name in fields ? [].concat(fields[el.name]) : [];
      if (el.type === 'checkbox' || el.type === 'radio') { el.checked = values.indexOf(el.value) >= 0; }
      else { el.value = values.length ? values[0] : ''; }
    });
  }
  function hasContent(fields) {
    return Object.keys(fields).some(function (k) { return String(fields[k]).trim() !== ''; }) ||
      !!(photos && photos.length);
  }
  function titleOf(fields) {
    var option = category && category.selectedIndex > 0 ? category.options[category.selectedIndex] : null;
    return [option ? option.textContent.trim() : '', Send.titleOf(fields)].filter(Boolean).join(' · ');
  }

  /* Save the form into the draft; a report already handed over for sending is never overwritten. */
  function save(force) {
    clearTimeout(saveTimer);
    if (O.signingOut()) { return Promise.resolve(null); }
    if (!draft) { return ready.then(function () { return save(force); }); }  // still choosing the draft
    var fields = readFields();
    if (!draft.saved && !force && !hasContent(fields)) { return Promise.resolve(null); }
    return Store.update(draft.id, function (d) {
      if (d && (d.status === 'queued' || d.status === 'sending' || d.status === 'sent')) { return null; }
      d = d || { id: draft.id, user: user, createdAt: Date.now(), status: 'editing' };
      d.fields = fields;
      d.title = titleOf(fields);
      return d;
    }, photosChanged ? photos : undefined).then(function (d) {
      if (d) {
        photosChanged = false;
        draft.saved = true;
        remember(d.id);
        savedLine.textContent = fill(t.savedAt, { time: timeText(d.updatedAt) });
        $('offline-new').hidden = false;
      }
      return d;
    });
  }
  function scheduleSave() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(function () { save(false).catch(function () {}); }, SAVE_DELAY_MS);
  }

  /* Photos made smaller on the phone: less to send and to keep. A small JPEG is kept as it is
     (with its location data for the police); anything the browser cannot read is sent unchanged. */
  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: 'from-image' }).catch(function () { return decodeImg(file); });
    }
    return decodeImg(file);
  }
  function decodeImg(file) {
    return new Promise(function (resolve, reject) {
      var img = new Image(), url = URL.createObjectURL(file);
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error('unreadable')); };
      img.src = url;
    });
  }
  function shrink(file) {
    var original = { name: file.name, type: file.type, blob: file };
    return decode(file).then(function (image) {
      var w = image.width, h = image.height, scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      var jpeg = /^image\/jpe?g$/i.test(file.type);
      if (scale === 1 && jpeg && file.size <= KEEP_SMALL_JPEG_BYTES) {
        if (image.close) { image.close(); }
        return original;
      }
      var canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(w * scale));
      canvas.height = Math.max(1, Math.round(h * scale));
      var ctx = canvas.getContext('2d');
      ctx.fillStyle = '#fff';  // transparent PNG areas become white, not black
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      if (image.close) { image.close(); }
      return new Promise(function (resolve) { canvas.toBlob(resolve, 'image/jpeg', QUALITY); }).then(function (blob) {
        canvas.width = canvas.height = 0;
        if (!blob || (jpeg && scale === 1 && blob.size >= file.size)) { return original; }
        return { name: file.name.replace(/\.[^.]*$/, '') + '.jpg', type: 'image/jpeg', blob: blob };
      });
    }, function () { return original; });
  }
  function setInputFiles(items) {
    try {
      var transfer = new DataTransfer();
      items.forEach(function (p) { transfer.items.add(new File([p.blob], p.name, { type: p.type })); });
      photosInput.files = transfer.files;
    } catch (e) { /* an old browser: the photos stay in the draft and are sent from there */ }
  }
  function showPhotos(extra) {
    var bytes = (photos || []).reduce(function (sum, p) { return sum + p.blob.size; }, 0);
    photoLine.textContent = [photos && photos.length ?
      fill(t.photosKept, { n: photos.length, kb: Math.round(bytes / 1024) }) : '', extra || ''].join(' ').trim();
    renderChosen();
  }
  /* The photos chosen so far, each with a button to take it out again. */
  function renderChosen() {
    Array.prototype.forEach.call(chosenList.querySelectorAll('img'), function (img) { URL.revokeObjectURL(img.src); });
    chosenList.textContent = '';
    (photos || []).forEach(function (p, i) {
      var li = document.createElement('li'), img = document.createElement('img');
      img.src = URL.createObjectURL(p.blob);
      img.alt = fill(t.photoN, { n: keptOnServer + i + 1 });
      img.width = 96;
      img.height = 72;
      li.appendChild(img);
      li.appendChild(button(t.remove, function () {
        photos.splice(i, 1);
        photosChanged = true;
        setInputFiles(photos);
        showPhotos();
        save(true).catch(function () {});
      }, 'small'));
      chosenList.appendChild(li);
    });
    chosenList.hidden = !(photos && photos.length);
  }
  /* The camera adds one photo at a time and the gallery adds its choice: both go to the same list,
     which is what the form sends (the camera's own input is emptied so nothing goes twice). */
  function addPhotos(input) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) { return; }
    photoLine.textContent = t.preparingPhotos;
    photoJob = photoJob.then(function () {
      // One photo at a time: a 12-megapixel photo decoded takes about 48 MB of a cheap phone's memory.
      return files.reduce(function (chain, file) {
        return chain.then(function (out) { return shrink(file).then(function (p) { out.push(p); return out; }); });
      }, Promise.resolve([]));
    }).then(function (out) {
      var before = photos || [], room = Math.max(0, maxPhotos - keptOnServer - before.length);
      photos = before.concat(out.slice(0, room));
      photosChanged = true;
      setInputFiles(photos);
      if (input !== photosInput) { input.value = ''; }
      showPhotos(out.length > room ? fill(t.tooManyPhotos, { n: maxPhotos }) : '');
      return save(true);
    }).catch(function () {});
  }
  photosInput.addEventListener('change', function () { addPhotos(photosInput); });
  if (cameraInput) { cameraInput.addEventListener('change', function () { addPhotos(cameraInput); }); }

  /* Messages and the server's corrections. */
  function showNotice(lines, kind) {
    notice.textContent = '';
    [].concat(lines).filter(Boolean).forEach(function (text) {
      var p = document.createElement('p');
      p.textContent = text;
      notice.appendChild(p);
    });
    notice.className = 'flash flash-' + (kind || 'info');
    notice.hidden = !notice.childNodes.length;
    if (!notice.hidden) { panel.hidden = false; }
  }
  function clearErrors() {
    shownErrors.forEach(function (undo) { undo(); });
    shownErrors = [];
  }
  function showErrors(d) {
    clearErrors();
    var general = [];
    Object.keys(d.errors || {}).forEach(function (key) {
      var el = $(key) || form.elements.namedItem(key);
      if (el && !el.tagName && el.length) { el = el[0]; }  // radio buttons
      var field = el && el.closest ? el.closest('.field') : null;
      if (!field) { general = general.concat(d.errors[key]); return; }
      var added = d.errors[key].map(function (message, i) {
        var p = document.createElement('p');
        p.className = 'error offline-error';
        p.id = key + '-err' + (i ? '-' + i : '');
        p.textContent = message;
        field.appendChild(p);
        return p;
      });
      var hadError = field.classList.contains('has-error');
      field.classList.add('has-error');
      if (el.setAttribute) {
        el.setAttribute('aria-invalid', 'true');
        el.setAttribute('aria-describedby', added[0].id);
      }
      shownErrors.push(function () {
        added.forEach(function (p) { p.remove(); });
        if (!hadError) { field.classList.remove('has-error'); }
        if (el.removeAttribute) { el.removeAttribute('aria-invalid'); }
      });
    });
    showNotice([d.checks ? t.checksNotice : t.rejectedNotice, d.message].concat(general),
      d.checks ? 'warning' : 'error');
  }

  /* Which draft the form holds. */
  function resetVisuals() {
    ['place-preview', 'duplicates', 'boundary-confirm', 'pii-warning', 'photo-gps'].forEach(function (id) {
      if ($(id)) { $(id).hidden = true; }
    });
    savedLine.textContent = '';
    notice.hidden = true;
    clearErrors();
  }
  function fresh() {
    draft = { id: Store.newId(), saved: false };
    keyInput.value = draft.id;
    photos = null;
    photosChanged = false;
    showPhotos();
    $('offline-new').hidden = true;
    remember(null);
  }
  function open(d) {
    resetVisuals();
    writeFields(d.fields || {});
    keyInput.value = d.id;
    draft = { id: d.id, saved: true };
    photos = [];
    photosChanged = false;
    photosInput.value = '';
    showPhotos();
    remember(d.id);
    $('offline-new').hidden = false;
    if (category) { category.dispatchEvent(new Event('change')); }  // intake.js: questions, preview
    if (d.status === 'rejected') { showErrors(d); }
    photoJob = Store.photos(d.id).then(function (kept) {
      if (draft.id !== d.id) { return; }
      photos = kept;
      setInputFiles(photos);
      showPhotos(d.serverPhotos ? fill(t.photosOnServer, { n: d.serverPhotos }) : '');
    });
    return photoJob;
  }
  function newReport() {
    writeFields({});  // not form.reset(): after a server answer the defaults are the answered values
    photosInput.value = '';
    resetVisuals();
    fresh();
    if (category) { category.dispatchEvent(new Event('change')); }
  }

  /* The drafts list. */
  function statusText(d) {
    if (d.status === 'sent') { return fill(t.sent, { ref: d.reference }); }
    if (d.status === 'queued' || d.status === 'sending') {
      return d.lastError === 'signin' ? t.queued + ' · ' + t.signIn : t.queued;
    }
    return d.status === 'rejected' ? t.rejected : t.draft;
  }
  function button(text, onClick, cls) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'button ' + (cls || '');
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }
  function item(d) {
    var li = document.createElement('li'), title = document.createElement('p'), meta = document.createElement('p');
    var actions = document.createElement('div'), current = draft && d.id === draft.id;
    li.className = 'offline-item offline-' + d.status;
    li.dataset.id = d.id;
    title.className = 'offline-title';
    title.textContent = d.title || t.untitled;
    meta.className = 'offline-status';
    var bits = [statusText(d)];
    if (d.photoCount || d.serverPhotos) { bits.push(fill(t.photos, { n: d.photoCount || d.serverPhotos })); }
    bits.push(timeText(d.sentAt || d.updatedAt));
    if (current && d.status !== 'sent') { bits.push(t.openNow); }
    meta.textContent = bits.join(' · ');
    actions.className = 'offline-actions';
    if ((d.status === 'editing' || d.status === 'rejected') && !current) {
      actions.appendChild(button(t.open, function () { switchTo(d.id); }, 'primary'));
    }
    if (d.status === 'queued') {
      if (navigator.onLine) { actions.appendChild(button(t.sendNow, function () { O.sendNow(); }, 'primary')); }
      actions.appendChild(button(t.edit, function () { unqueue(d.id); }));
    }
    if (d.status === 'sent' && d.reportUrl) {
      var link = document.createElement('a');
      link.className = 'button';
      link.href = d.reportUrl;
      link.textContent = t.openReport;
      actions.appendChild(link);
    }
    if (d.status !== 'sending') {
      actions.appendChild(button(t.remove, function () { discard(d.id); }, 'danger'));
    }
    li.appendChild(title);
    li.appendChild(meta);
    li.appendChild(actions);
    return li;
  }
  function render() {
    var seq = ++renderSeq;
    return Store.list(user).then(function (rows) {
      if (seq !== renderSeq) { return; }
      list.textContent = '';
      rows.forEach(function (d) {
        var before = lastStatus[d.id];
        if (d.status === 'sent' && before && before !== 'sent') {
          showNotice(fill(t.sentNotice, { ref: d.reference }), 'success');
        }
        if (d.status === 'rejected' && before && before !== 'rejected') {
          showNotice([d.checks ? t.checksNotice : t.rejectedNotice, d.title], 'error');
        }
        lastStatus[d.id] = d.status;
        list.appendChild(item(d));
      });
      panel.hidden = rows.length === 0 && notice.hidden;
      // Only the draft being typed: the panel waits under the form, so the form does not jump down under the
      // member's finger at the first keystroke; other drafts, waiting or sent reports and notices go on top.
      var onlyThis = notice.hidden && rows.every(function (d) {
        return draft && d.id === draft.id && d.status === 'editing';
      });
      if (onlyThis && panel.nextElementSibling === form) { form.after(panel); }
      if (!onlyThis && panel.previousElementSibling === form) { form.before(panel); }
    }).catch(function () {});
  }
  function switchTo(id) {
    save(false).catch(function () {}).then(function () { return Store.get(id); }).then(function (d) {
      if (d && (d.status === 'editing' || d.status === 'rejected')) { open(d); }
      render();
      form.scrollIntoView();
    });
  }
  function unqueue(id) {
    Store.update(id, function (d) {
      if (!d || d.status !== 'queued') { return null; }
      d.status = 'editing';
      return d;
    }).then(function (d) { if (d) { switchTo(id); } else { render(); } });
  }
  function discard(id) {
    if (!window.confirm(t.confirmRemove)) { return; }
    Store.remove(id).then(function () {
      if (draft && draft.id === id) { newReport(); }
      render();
    });
  }

  /* Sending: the ordinary form post when the server answers; kept on the phone when it does not. */
  function queue(message) {
    return Store.update(draft.id, function (d) {
      if (!d) { return null; }
      d.status = 'queued';
      d.queuedAt = Date.now();
      d.errors = {};
      d.message = '';
      d.lastError = message === t.signIn ? 'signin' : '';
      return d;
    }).then(function () {
      O.registerSync();
      remember(null);
      newReport();
      showNotice(message ? [t.queuedNotice, message] : t.queuedNotice, 'warning');
      panel.scrollIntoView();
      return render();
    });
  }
  function markSending() {
    return Store.update(draft.id, function (d) {
      if (!d) { return null; }
      d.status = 'sending';
      d.sendingAt = Date.now();
      return d;
    });
  }
  function send() {
    var label = submit.textContent;
    submit.disabled = true;
    submit.textContent = t.sending;
    function done() { submit.disabled = false; submit.textContent = label; }
    ready.then(function () { return photoJob; }).then(function () { return save(true); }).then(function () {
      if (!navigator.onLine) { return queue().then(done); }
      // A fresh token, and a check that the server answers at all before the photos go.
      return Send.session(O.config.session, 10000).then(function (info) {
        if (String(info.user) !== String(user)) { return queue(t.signIn).then(done); }
        form.elements.namedItem('csrf_token').value = info.csrf_token;
        return markSending().then(function () {
          var s = session();
          if (s) { s.setItem(O.pendingKey, draft.id); }
          form.submit();
        });
      }, function () { return queue().then(done); });
    }).catch(function () {
      // The phone could not keep the draft: send the ordinary way.
      done();
      form.submit();
    });
  }
  document.addEventListener('submit', function (event) {
    if (event.target !== form) { return; }
    var submitter = event.submitter;
    if (submitter && submitter !== submit) {
      // Place search or "add to this report": these need the server.
      if (!navigator.onLine) {
        event.preventDefault();
        showNotice(t.needsSignal, 'warning');
        panel.scrollIntoView();
      }
      return;
    }
    event.preventDefault();
    send();
  }, true);  // capture: before intake.js, which then sees the event already handled
  form.addEventListener('input', scheduleSave);
  // The map, "use my location" and place search fill fields without input events: look now and then.
  var lastSeen = '';
  setInterval(function () {
    var seen = JSON.stringify(readFields());
    if (draft && seen !== lastSeen && (draft.saved || lastSeen)) { scheduleSave(); }
    lastSeen = seen;
  }, 3000);
  form.addEventListener('change', function (event) { if (event.target !== photosInput) { scheduleSave(); } });
  window.addEventListener('pagehide', function () { if (draft && draft.saved) { save(false); } });
  $('offline-new').addEventListener('click', function (event) {
    event.preventDefault();
    save(false).catch(function () {}).then(function () { newReport(); render(); form.scrollIntoView(); });
  });
  Store.onChange(render);
  window.addEventListener('online', render);
  window.addEventListener('offline', render);

  /* Which draft to show: the one the server just answered about, the one asked for (?draft=), the one
     this tab was editing (a reload, or the phone closed the tab), else a new one. */
  function start() {
    var params = new URLSearchParams(location.search), s = session();
    var asked = params.get('draft') || (params.has('new') ? null : s && s.getItem(CURRENT_KEY));
    return Promise.all([Store.get(keyInput.value), asked ? Store.get(asked) : null]).then(function (found) {
      var echoed = found[0], wanted = found[1];
      if (echoed && String(echoed.user) === String(user)) {
        // The server sent the form back for this draft (a check or a correction): carry on with it.
        draft = { id: echoed.id, saved: true };
        photos = [];
        remember(echoed.id);
        $('offline-new').hidden = false;
        if (keptOnServer) {
          // The server keeps the photos already sent and lists them: the phone's copies are not needed
          // (sending them again would only cost data), so the draft drops them and counts the server's.
          showPhotos();
          return Store.update(echoed.id, function (d) {
            if (!d || d.status === 'sent') { return null; }
            d.status = 'editing';
            d.errors = {};
            d.message = '';
            d.serverPhotos = keptOnServer;
            return d;
          }, []);
        }
        // Photos the server has not kept (an old page, or none sent yet) go into the form again.
        photoJob = Store.photos(echoed.id).then(function (kept) {
          photos = kept;
          if (!photosInput.files.length && photos.length) { setInputFiles(photos); }
          showPhotos();
        });
        return Store.update(echoed.id, function (d) {
          if (!d || d.status === 'sent') { return null; }
          d.status = 'editing';
          d.errors = {};
          d.message = '';
          return d;
        });
      }
      var mine = wanted && String(wanted.user) === String(user);
      if (mine && (wanted.status === 'editing' || wanted.status === 'rejected')) { return open(wanted); }
      fresh();
      if (mine && (wanted.status === 'queued' || wanted.status === 'sending') && params.get('draft')) {
        showNotice(t.queuedNotice, 'warning');
      } else if (mine && wanted.status === 'sent' && params.get('draft')) {
        showNotice(fill(t.sentNotice, { ref: wanted.reference }), 'success');
      }
    }).catch(fresh).then(render);
  }
  var ready = start();
})();
