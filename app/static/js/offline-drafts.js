/* The intake form on the phone: drafts saved while typing (photos made smaller first and kept too),
   several at once and resumable; a report sent without a signal waits on the phone; the server's
   corrections to a queued report are shown next to the fields when it is opened again. */
(function () {
  'use strict';
  var form = document.getElementById('report-form');
  var panel = document.getElementById('offline-drafts');
  var O = window.RuamkanOffline, Store = window.RuamkanStore, Send = window.RuamkanSend;
  var Photos = window.RuamkanPhotos, List = window.RuamkanDraftList;
  if (!form || !panel || !O || !O.user || !Store || !Store.available || !Photos || !List || !window.RuamkanFields) {
    return;
  }
  var t = O.messages, fill = O.fill, user = O.user;
  var $ = function (id) { return document.getElementById(id); };
  var keyInput = form.elements.namedItem('idempotency_key');
  var photosInput = $('photos'), cameraInput = $('camera'), submit = $('submit-report');
  // Photos the server already keeps for this form (app/reports/staging.py) count against the limit.
  var keptOnServer = parseInt(form.dataset.kept || '0', 10) || 0;
  var maxPhotos = parseInt(photosInput.dataset.max || '5', 10) || 5;
  var list = $('offline-draft-list'), notice = $('offline-notice'), category = $('category_id');
  var CURRENT_KEY = 'ruamkan.current';
  var SAVE_DELAY_MS = 700;
  var draft = null, saveTimer = null, lastStatus = {}, renderSeq = 0;
  var fields = window.RuamkanFields(form);

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
  var photos = Photos.picker({ input: photosInput, camera: cameraInput, line: photoLine, keptOnServer: keptOnServer,
    max: maxPhotos, t: t, fill: fill, button: List.button,
    onChange: function () { return save(true).catch(function () {}); } });
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

  function hasContent(values) {
    return Object.keys(values).some(function (k) { return String(values[k]).trim() !== ''; }) ||
      !!(photos.items && photos.items.length);
  }
  function titleOf(values) {
    var option = category && category.selectedIndex > 0 ? category.options[category.selectedIndex] : null;
    return [option ? option.textContent.trim() : '', Send.titleOf(values)].filter(Boolean).join(' · ');
  }

  /* Save the form into the draft; a report already handed over for sending is never overwritten. */
  function save(force) {
    clearTimeout(saveTimer);
    if (O.signingOut()) { return Promise.resolve(null); }
    if (!draft) { return ready.then(function () { return save(force); }); }  // still choosing the draft
    var values = fields.read();
    if (!draft.saved && !force && !hasContent(values)) { return Promise.resolve(null); }
    return Store.update(draft.id, function (d) {
      if (d && (d.status === 'queued' || d.status === 'sending' || d.status === 'sent')) { return null; }
      d = d || { id: draft.id, user: user, createdAt: Date.now(), status: 'editing' };
      d.fields = values;
      d.title = titleOf(values);
      return d;
    }, photos.changed ? photos.items : undefined).then(function (d) {
      if (d) {
        photos.changed = false;
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
  function showErrors(d) {
    var general = fields.showErrors(d.errors);
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
    fields.clearErrors();
  }
  function fresh() {
    draft = { id: Store.newId(), saved: false };
    keyInput.value = draft.id;
    photos.set(null);
    photos.show();
    $('offline-new').hidden = true;
    remember(null);
  }
  function open(d) {
    resetVisuals();
    fields.write(d.fields || {});
    keyInput.value = d.id;
    draft = { id: d.id, saved: true };
    photos.set([]);
    photosInput.value = '';
    photos.show();
    remember(d.id);
    $('offline-new').hidden = false;
    if (category) { category.dispatchEvent(new Event('change')); }  // intake.js: questions, preview
    if (d.status === 'rejected') { showErrors(d); }
    photos.job = Store.photos(d.id).then(function (kept) {
      if (draft.id !== d.id) { return; }
      photos.set(kept, true);
      photos.show(d.serverPhotos ? fill(t.photosOnServer, { n: d.serverPhotos }) : '');
    });
    return photos.job;
  }
  function newReport() {
    fields.write({});  // not form.reset(): after a server answer the defaults are the answered values
    photosInput.value = '';
    resetVisuals();
    fresh();
    if (category) { category.dispatchEvent(new Event('change')); }
  }

  /* The drafts list. */
  function item(d) {
    return List.item(d, { t: t, fill: fill, time: timeText, current: draft && d.id === draft.id, open: switchTo,
      sendNow: function () { O.sendNow(); }, edit: unqueue, remove: discard });
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
    ready.then(function () { return photos.job; }).then(function () { return save(true); }).then(function () {
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
    var seen = JSON.stringify(fields.read());
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
        photos.set([]);
        remember(echoed.id);
        $('offline-new').hidden = false;
        if (keptOnServer) {
          // The server keeps the photos already sent and lists them: the phone's copies are not needed
          // (sending them again would only cost data), so the draft drops them and counts the server's.
          photos.show();
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
        photos.job = Store.photos(echoed.id).then(function (kept) {
          photos.set(kept, !photosInput.files.length && kept.length > 0);
          photos.show();
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
