/* Every page: register the service worker, keep one member's pages and drafts from the next member,
   keep the member's pages on the phone, send queued reports when the signal returns, say what waits. */
(function () {
  'use strict';
  var script = document.getElementById('offline-js');
  if (!script || !window.RuamkanStore) { return; }
  var cfg = script.dataset;
  var t = JSON.parse(cfg.i18n || '{}');
  var Store = window.RuamkanStore, Send = window.RuamkanSend;
  var USER_KEY = 'ruamkan.user', PENDING_KEY = 'ruamkan.pending';
  // The offline page is the same copy for everyone: it does not say who is signed in.
  var neutral = !!document.getElementById('offline-page');
  var user = cfg.user;
  var banner = null, sending = false;

  function fill(text, values) {
    return String(text || '').replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }
  function storage(area) {
    try { return window[area]; } catch (e) { return null; }
  }
  function clearPages() {
    return window.caches ? caches.delete(Store.PAGES_CACHE).catch(function () {}) : Promise.resolve();
  }

  /* Pages kept for one member are never shown to the next one. */
  var local = storage('localStorage'), cleared = Promise.resolve();
  if (neutral) {
    user = local ? (local.getItem(USER_KEY) || '') : '';
  } else if (local) {
    var last = local.getItem(USER_KEY);
    if (last !== null && last !== user) { cleared = clearPages(); }
    local.setItem(USER_KEY, user);
  }
  /* Signing out leaves nothing of the member on the phone: drafts and copies of sent reports can
     name residents and informants. Reports not sent yet are deleted only once the member agrees. */
  var signingOut = false;
  function forgetMember() {
    if (!user || !Store.available) { return Promise.resolve(true); }
    return Store.list(user).then(function (rows) {
      var unsent = rows.filter(function (d) { return d.status !== 'sent'; }).length;
      if (unsent && !window.confirm(fill(t.signOutUnsent, { n: unsent }))) { return false; }
      signingOut = true;  // offline-drafts.js must not save the open form again on the way out
      return Promise.all(rows.map(function (d) { return Store.remove(d.id); })).then(function () { return true; });
    }).catch(function () { return true; });
  }
  document.querySelectorAll('form').forEach(function (form) {
    if (form.getAttribute('action') !== cfg.logout) { return; }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      // Without a signal the server cannot end the session: keep everything and say so.
      if (!navigator.onLine) { window.alert(t.needsSignal); return; }
      forgetMember().then(function (go) {
        if (!go) { return null; }
        if (local) { local.setItem(USER_KEY, ''); }
        return clearPages().then(function () { form.submit(); });
      });
    });
  });

  /* The result of a report sent the ordinary way from this tab (see offline-drafts.js). */
  var session = storage('sessionStorage');
  var pendingId = session && session.getItem(PENDING_KEY);
  if (pendingId && user) {
    session.removeItem(PENDING_KEY);
    var receipt = /\/reports\/\d+\/receipt$/.test(location.pathname) && document.getElementById('reference');
    if (receipt) {
      Send.markSent(pendingId, receipt.textContent.trim(), location.pathname.replace(/\/receipt$/, ''))
        .catch(function () {});
    }
    // The form came back (a check or an error): offline-drafts.js takes the draft up again. Anything
    // else (an error page): the draft stays "sending" and is sent again later with the same key.
  }

  function messageBox() {
    if (!banner) {
      var main = document.getElementById('main');
      if (!main) { return null; }
      banner = document.createElement('div');
      banner.id = 'offline-banner';
      banner.className = 'flash flash-warning offline-banner';
      banner.setAttribute('role', 'status');
      main.insertBefore(banner, main.firstChild);
    }
    return banner;
  }
  /* "No signal" and "N reports waiting"; the form page lists the reports itself. */
  function renderBanner() {
    if (!user || !Store.available) { return Promise.resolve(); }
    return Send.pending(user).then(function (rows) {
      var lines = [];
      if (!navigator.onLine) { lines.push(t.offline); }
      var box = (lines.length || rows.length) ? messageBox() : banner;
      if (!box) { return; }
      box.textContent = '';
      lines.forEach(function (line) {
        var p = document.createElement('p');
        p.textContent = line;
        box.appendChild(p);
      });
      if (rows.length && !document.getElementById('offline-drafts')) {
        var p = document.createElement('p'), link = document.createElement('a');
        p.textContent = fill(t.waiting, { n: rows.length }) + ' ';
        link.href = cfg.form + '#offline-drafts';
        link.textContent = t.showDrafts;
        p.appendChild(link);
        box.appendChild(p);
      }
      box.hidden = box.childNodes.length === 0;
    }).catch(function () {});
  }

  function registerSync() {
    if (!navigator.serviceWorker) { return Promise.resolve(); }
    return navigator.serviceWorker.ready.then(function (reg) {
      return reg.sync ? reg.sync.register(Send.SYNC_TAG) : null;
    }).catch(function () {});
  }
  /* Send what waits, from this page (the worker's Background Sync may beat it; the key keeps it once). */
  function sendNow() {
    if (sending || !user || !navigator.onLine || !Store.available) { return Promise.resolve({}); }
    sending = true;
    return Send.pending(user).then(function (rows) {
      if (!rows.length) { return {}; }
      return Send.sendQueued({ formUrl: cfg.form, sessionUrl: cfg.session });
    }).catch(function () { return {}; }).then(function (summary) {
      sending = false;
      renderBanner();
      return summary;
    });
  }

  /* Keep the member's form and list on the phone once per sign-in, so they open without a signal
     (the worker refreshes them whenever they are opened with a signal). */
  function keepMemberPages() {
    if (!cfg.keep || !navigator.onLine || !window.caches || neutral) { return; }
    caches.open(Store.PAGES_CACHE).then(function (cache) {
      return Promise.all(cfg.keep.split(' ').map(function (path) {
        var key = new URL(path, location.href).href;
        return cache.match(key).then(function (hit) {
          if (hit) { return null; }
          return fetch(path, { credentials: 'same-origin' }).then(function (response) {
            return response.ok && !response.redirected ? cache.put(key, response) : null;
          });
        });
      }));
    }).catch(function () {});
  }

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register(cfg.worker, { scope: '/' }).then(function () { return cleared; })
      .then(keepMemberPages).catch(function () {});
  }
  window.addEventListener('online', function () { renderBanner(); sendNow(); });
  // A phone may say "online" with no usable signal: try again now and then while something waits.
  setInterval(sendNow, 60000);
  window.addEventListener('offline', renderBanner);
  Store.onChange(renderBanner);
  renderBanner();
  sendNow();

  window.RuamkanOffline = {
    user: user, messages: t, config: cfg, sendNow: sendNow, registerSync: registerSync, fill: fill,
    pendingKey: PENDING_KEY, renderBanner: renderBanner,
    signingOut: function () { return signingOut; }
  };
})();
