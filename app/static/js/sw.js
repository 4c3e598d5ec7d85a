/* Ruamkan service worker (served at /offline/sw.js, scope /, with RUAMKAN_CONFIG written ahead of it).
   Pages: network first, the copy on the phone when there is no signal, else the offline page.
   Static files: from the phone first; the cache's name carries a hash of every file, so a changed
   file gives a new worker and a fresh cache. The intake form posted without a signal is kept and sent
   later (Background Sync where the browser has it, else by the pages when they come online). */
'use strict';
var CONFIG = self.RUAMKAN_CONFIG;
self.importScripts.apply(self, CONFIG.scripts);
var STATIC_CACHE = 'ruamkan-static-' + CONFIG.version;
var PAGES_CACHE = self.RuamkanStore.PAGES_CACHE;
// On a weak signal a page may take this long before the copy on the phone is shown instead.
var PAGE_TIMEOUT_MS = 6000;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    var assets = CONFIG.precache.map(function (url) { return new Request(url, { cache: 'no-cache' }); });
    // The offline page is fetched without cookies: the same copy may be shown to anyone on this phone.
    var offline = fetch(new Request(CONFIG.offlineUrl, { credentials: 'omit', cache: 'no-cache' }))
      .then(function (response) {
        if (!response.ok) { throw new Error('offline page answered ' + response.status); }
        return cache.put(CONFIG.offlineUrl, response);
      });
    return Promise.all([cache.addAll(assets), offline]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf('ruamkan-static-') === 0 && name !== STATIC_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function pageKey(url) {
  // The form is the same page whichever draft it opens (?draft=…): one copy.
  return url.pathname === CONFIG.formUrl ? url.origin + url.pathname : url.href;
}
function isCachedPage(url) {
  return CONFIG.pages.indexOf(url.pathname) >= 0;
}
function isStatic(url) {
  return CONFIG.staticPrefixes.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; });
}

function fromPhone(url) {
  return caches.open(PAGES_CACHE).then(function (cache) { return cache.match(pageKey(url)); })
    .then(function (hit) { return hit || caches.match(CONFIG.offlineUrl, { cacheName: STATIC_CACHE }); });
}
function page(request) {
  var url = new URL(request.url), cacheable = isCachedPage(url);
  var network = fetch(request).then(function (response) {
    // Only a member's own page, answered directly: never a redirect to the login page or an error.
    if (cacheable && response.ok && !response.redirected && response.type === 'basic') {
      var copy = response.clone();
      caches.open(PAGES_CACHE).then(function (cache) { return cache.put(pageKey(url), copy); });
    }
    return response;
  });
  return new Promise(function (resolve) {
    var settled = false;
    function settle(response) { if (!settled && response) { settled = true; resolve(response); } }
    var timer = setTimeout(function () {
      if (!cacheable) { return; }
      caches.open(PAGES_CACHE).then(function (cache) { return cache.match(pageKey(url)); }).then(settle);
    }, PAGE_TIMEOUT_MS);
    network.then(function (response) { clearTimeout(timer); settle(response); }, function () {
      clearTimeout(timer);
      fromPhone(url).then(function (hit) { settle(hit || Response.error()); });
    });
  });
}

function staticAsset(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok && response.type === 'basic') { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

/* The intake form posted while the phone believed it had a signal: if nothing answers, keep the
   report as queued (same idempotency key) and open the form showing it waits. */
function postForm(event) {
  var copy = event.request.clone();
  return fetch(event.request).catch(function (error) {
    return copy.formData().then(self.RuamkanSend.queueFormData).then(function (draft) {
      if (!draft) { throw error; }
      registerSync();
      var target = CONFIG.formUrl + '?draft=' + encodeURIComponent(draft.id) +
        (draft.status === 'queued' ? '&queued=1' : '');
      return Response.redirect(target, 303);
    }).catch(function () { return caches.match(CONFIG.offlineUrl, { cacheName: STATIC_CACHE }); });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request, url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === 'POST' && request.mode === 'navigate' && url.pathname === CONFIG.formUrl) {
    event.respondWith(postForm(event));
  } else if (request.method !== 'GET') {
    return;
  } else if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (isStatic(url)) {
    event.respondWith(staticAsset(request));
  }
});

function registerSync() {
  if (self.registration.sync) {
    return self.registration.sync.register(self.RuamkanSend.SYNC_TAG).catch(function () {});
  }
  return Promise.resolve();
}
function sendQueued() {
  return self.RuamkanSend.sendQueued({ formUrl: CONFIG.formUrl, sessionUrl: CONFIG.sessionUrl });
}

self.addEventListener('sync', function (event) {
  if (event.tag === self.RuamkanSend.SYNC_TAG) { event.waitUntil(sendQueued()); }
});

self.addEventListener('message', function (event) {
  var data = event.data || {};
  if (data.type === 'send') {
    event.waitUntil(sendQueued().catch(function () {}));
  }
});
