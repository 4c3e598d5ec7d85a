/* Reports kept on the phone (IndexedDB), shared by the pages and the service worker.
   A draft's id is also its idempotency key: made on the phone, so two drafts never share one.
   Photos sit in a store of their own, written only when they change, not at every autosave. */
(function (root) {
  'use strict';
  var DB_NAME = 'ruamkan', DB_VERSION = 1, DRAFTS = 'drafts', PHOTOS = 'photos';
  var SENT_KEEP_MS = 3 * 24 * 3600 * 1000;
  var channel = ('BroadcastChannel' in root) ? new root.BroadcastChannel('ruamkan-drafts') : null;
  var opening = null, listeners = [];

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var req = root.indexedDB.open(DB_NAME, DB_VERSION);
        req.onupgradeneeded = function () {
          [DRAFTS, PHOTOS].forEach(function (name) {
            if (!req.result.objectStoreNames.contains(name)) { req.result.createObjectStore(name, { keyPath: 'id' }); }
          });
        };
        req.onsuccess = function () {
          // A newer schema from another tab or worker: let it upgrade, and reopen next time.
          req.result.onversionchange = function () { req.result.close(); opening = null; };
          resolve(req.result);
        };
        req.onerror = function () { opening = null; reject(req.error); };
      });
    }
    return opening;
  }
  /* Run fn(stores) in one transaction; resolve with fn's result once the transaction has committed. */
  function transaction(names, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(names, mode), holder = {};
        tx.oncomplete = function () { resolve(holder.value); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
        fn(names.map(function (name) { return tx.objectStore(name); }), holder);
      });
    });
  }
  /* Tell this page's listeners and every other page and worker (a channel skips its own sender). */
  function announce(id) {
    var message = { type: 'changed', id: id };
    if (channel) { channel.postMessage(message); }
    listeners.forEach(function (fn) { setTimeout(function () { fn(message); }, 0); });
  }
  function newId() {
    if (root.crypto && root.crypto.randomUUID) { return root.crypto.randomUUID(); }
    var b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join('-');
  }

  function get(id) {
    return transaction([DRAFTS], 'readonly', function (stores, holder) {
      stores[0].get(id).onsuccess = function (e) { holder.value = e.target.result || null; };
    });
  }
  /* Read, change and write one draft atomically; fn gets the draft (or null) and returns the new
     draft, or null to leave it. photos, when given, replace the draft's photos in the same transaction. */
  function update(id, fn, photos) {
    return transaction([DRAFTS, PHOTOS], 'readwrite', function (stores, holder) {
      stores[0].get(id).onsuccess = function (e) {
        var next = fn(e.target.result || null);
        if (!next) { return; }
        if (photos) {
          next.photoCount = photos.length;
          next.photoBytes = photos.reduce(function (sum, p) { return sum + p.blob.size; }, 0);
          stores[1].put({ id: id, photos: photos });
        }
        next.updatedAt = Date.now();
        stores[0].put(next);
        holder.value = next;
      };
    }).then(function (draft) {
      if (draft) { announce(id); }
      return draft || null;
    });
  }
  function photos(id) {
    return transaction([PHOTOS], 'readonly', function (stores, holder) {
      stores[0].get(id).onsuccess = function (e) { holder.value = e.target.result ? e.target.result.photos : []; };
    });
  }
  function dropPhotos(id) {
    return transaction([PHOTOS], 'readwrite', function (stores) { stores[0].delete(id); });
  }
  function remove(id) {
    return transaction([DRAFTS, PHOTOS], 'readwrite', function (stores) {
      stores[0].delete(id);
      stores[1].delete(id);
    }).then(function () { announce(id); });
  }
  /* All reports of one user on this phone, newest first; sent ones older than a few days are dropped. */
  function list(user) {
    return transaction([DRAFTS], 'readonly', function (stores, holder) {
      stores[0].getAll().onsuccess = function (e) { holder.value = e.target.result; };
    }).then(function (all) {
      var now = Date.now();
      return (all || []).filter(function (d) {
        if (d.status === 'sent' && now - (d.sentAt || 0) > SENT_KEEP_MS) {
          remove(d.id).catch(function () {});
          return false;
        }
        return String(d.user) === String(user);
      }).sort(function (a, b) { return (b.updatedAt || 0) - (a.updatedAt || 0); });
    });
  }
  function onChange(fn) {
    listeners.push(fn);
    if (channel) { channel.addEventListener('message', function (e) { fn(e.data); }); }
  }

  root.RuamkanStore = {
    PAGES_CACHE: 'ruamkan-pages', get: get, update: update, photos: photos, dropPhotos: dropPhotos,
    remove: remove, list: list, newId: newId, onChange: onChange, available: !!root.indexedDB
  };
})(self);
