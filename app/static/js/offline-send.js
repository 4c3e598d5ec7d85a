/* Sending reports queued on the phone, once each, from a page or the service worker.
   Each send takes a fresh CSRF token and posts the ordinary intake form with the draft's idempotency
   key, so a send repeated after a lost answer returns the report filed the first time. */
(function (root) {
  'use strict';
  var Store = root.RuamkanStore;
  var SYNC_TAG = 'ruamkan-send';
  // A send whose answer never came (page closed, lost signal) is tried again after this long.
  var STALE_SENDING_MS = 2 * 60 * 1000;
  // A server's Retry-After is followed, but never beyond this (a wrong clock must not strand a report).
  var MAX_WAIT_MS = 2 * 60 * 60 * 1000;
  var ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

  function withTimeout(ms) {
    var ctl = root.AbortController ? new root.AbortController() : null;
    var timer = ctl ? setTimeout(function () { ctl.abort(); }, ms) : null;
    return { signal: ctl ? ctl.signal : undefined, done: function () { clearTimeout(timer); } };
  }
  /* Who is signed in, with a fresh CSRF token: {user, csrf_token}. Rejects without a usable signal. */
  function session(url, timeoutMs) {
    var t = withTimeout(timeoutMs || 15000);
    return root.fetch(url, { credentials: 'same-origin', cache: 'no-store', signal: t.signal,
      headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) { throw new Error('session answered ' + r.status); }
        return r.json();
      })
      .then(function (info) { t.done(); return info; }, function (err) { t.done(); throw err; });
  }

  function text(html) {
    return String(html || '').replace(/<[^>]*>/g, ' ').replace(/&(#x?[0-9a-f]+|\w+);/gi, function (m, name) {
      if (name[0] !== '#') { return ENTITIES[name] !== undefined ? ENTITIES[name] : m; }
      var code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return String.fromCharCode(code);
    }).replace(/\s+/g, ' ').trim();
  }
  /* The intake page the server sent back: errors by field id, and the message above the form. */
  function parseForm(html) {
    var errors = {}, re = /<p class="error" id="([\w-]+)-err"[^>]*>([\s\S]*?)<\/p>/g, m;
    while ((m = re.exec(html)) !== null) {
      var message = text(m[2]);
      if (message && m[1] !== 'search') { (errors[m[1]] = errors[m[1]] || []).push(message); }
    }
    var box = /id="form-(errors|checks)"[^>]*>([\s\S]*?)<\/div>/.exec(html);
    return { errors: errors, message: box ? text(box[2]) : '', checks: !!box && box[1] === 'checks' };
  }
  function outcome(response, html) {
    var path = new URL(response.url).pathname;
    var receipt = /\/reports\/(\d+)\/receipt$/.exec(path);
    if (response.ok && receipt) {
      var ref = /id="reference"[^>]*>([^<]*)</.exec(html);
      return { kind: 'sent', reference: ref ? text(ref[1]) : '', reportUrl: path.replace(/\/receipt$/, '') };
    }
    if (response.redirected && /\/accounts\/login/.test(path)) { return { kind: 'signin' }; }
    if (/id="report-form"/.test(html)) {
      // The message above the form is not repeated: it asks to select photos again, which the draft keeps.
      var form = parseForm(html);
      return { kind: 'rejected', errors: form.errors, message: '', checks: form.checks };
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      var lead = /<p class="lead">([\s\S]*?)<\/p>/.exec(html);
      return { kind: 'rejected', errors: {}, message: lead ? text(lead[1]) : String(response.status), checks: false };
    }
    // 429: too many reports for now. The draft stays queued and waits as long as Retry-After asks.
    return { kind: 'retry', status: response.status, waitMs: retryAfterMs(response) };
  }
  function retryAfterMs(response) {
    var value = response.headers.get('Retry-After');
    if (!value) { return 0; }
    var ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
    return isFinite(ms) && ms > 0 ? Math.min(ms, MAX_WAIT_MS) : 0;
  }

  function formBody(draft, photos, token) {
    var body = new FormData(), fields = draft.fields || {};
    Object.keys(fields).forEach(function (name) {
      if (name === 'csrf_token' || name === 'idempotency_key') { return; }
      [].concat(fields[name]).forEach(function (value) { body.append(name, value); });
    });
    body.append('csrf_token', token);
    body.append('idempotency_key', draft.id);
    photos.forEach(function (photo) { body.append('photos', photo.blob, photo.name); });
    return body;
  }
  function sendOne(draft, token, formUrl) {
    return Store.photos(draft.id).then(function (photos) {
      return root.fetch(formUrl, { method: 'POST', body: formBody(draft, photos, token), credentials: 'same-origin',
        redirect: 'follow', headers: { Accept: 'text/html' } });
    }).then(function (response) {
      return response.text().then(function (html) { return outcome(response, html); });
    });
  }
  /* What the member keeps of a report the server has filed: no text, no contact, no photos. */
  function sentRecord(d, reference, reportUrl) {
    return { id: d.id, user: d.user, title: d.title, status: 'sent', reference: reference, reportUrl: reportUrl,
             photoCount: d.photoCount, createdAt: d.createdAt, sentAt: Date.now() };
  }
  function markSent(id, reference, reportUrl) {
    return Store.update(id, function (d) { return d ? sentRecord(d, reference, reportUrl) : null; })
      .then(function (d) { return Store.dropPhotos(id).then(function () { return d; }); });
  }

  function eligible(d) {
    if (d.notBefore && Date.now() < d.notBefore) { return false; }
    return d.status === 'queued' || (d.status === 'sending' && Date.now() - (d.sendingAt || 0) > STALE_SENDING_MS);
  }
  function record(id, result) {
    if (result.kind === 'sent') { return markSent(id, result.reference, result.reportUrl); }
    return Store.update(id, function (d) {
      if (!d) { return null; }
      if (result.kind === 'rejected') {
        d.status = 'rejected';
        d.errors = result.errors;
        d.message = result.message;
        d.checks = result.checks;
        return d;
      }
      d.status = 'queued';
      d.lastError = result.kind === 'signin' ? 'signin' : String(result.status || result.kind);
      d.notBefore = result.waitMs ? Date.now() + result.waitMs : 0;
      return d;
    });
  }
  function sendLoop(info, config, summary) {
    return Store.list(info.user).then(function (rows) {
      var next = rows.filter(eligible).sort(function (a, b) { return (a.queuedAt || 0) - (b.queuedAt || 0); })[0];
      if (!next) { return summary; }
      return Store.update(next.id, function (d) {
        if (!d || !eligible(d)) { return null; }
        d.status = 'sending';
        d.sendingAt = Date.now();
        d.attempts = (d.attempts || 0) + 1;
        return d;
      }).then(function (claimed) {
        if (!claimed) { return sendLoop(info, config, summary); }
        return sendOne(claimed, info.csrf_token, config.formUrl).then(function (result) {
          return record(claimed.id, result).then(function () {
            if (result.kind === 'retry' || result.kind === 'signin') {
              summary.waiting = true;
              summary.signin = result.kind === 'signin';
              return summary;
            }
            summary[result.kind] = (summary[result.kind] || 0) + 1;
            return sendLoop(info, config, summary);
          });
        }, function (error) {
          return record(claimed.id, { kind: 'retry', status: 'network' }).then(function () { throw error; });
        });
      });
    });
  }
  /* Send every queued report of the signed-in member, oldest first; one sender at a time per phone.
     Resolves with a summary; rejects when the network failed (Background Sync then tries again). */
  function sendQueued(config) {
    function run() {
      return session(config.sessionUrl).then(function (info) {
        if (!info.user) { return { signin: true }; }
        return sendLoop(info, config, {});
      });
    }
    var locks = root.navigator && root.navigator.locks;
    if (!locks) { return run(); }
    return locks.request('ruamkan-send', { ifAvailable: true }, function (lock) {
      return lock ? run() : { busy: true };
    });
  }
  function pending(user) {
    return Store.list(user).then(function (rows) {
      return rows.filter(function (d) { return d.status === 'queued' || d.status === 'sending'; });
    });
  }

  function titleOf(fields) {
    return String(fields.narrative || '').replace(/\s+/g, ' ').trim().slice(0, 80);
  }
  /* The intake form a worker could not deliver: keep it as the member's queued draft (same key). */
  function queueFormData(body) {
    var key = String(body.get('idempotency_key') || ''), fields = {}, photos = [];
    var search = ['find_place', 'use_place', 'check_place'].some(function (n) { return body.has(n); });
    body.forEach(function (value, name) {
      if (typeof value !== 'string') {
        if (value.size) { photos.push({ name: value.name || 'photo.jpg', type: value.type, blob: value }); }
        return;
      }
      if (name === 'csrf_token' || name === 'idempotency_key') { return; }
      fields[name] = name in fields ? [].concat(fields[name], value) : value;
    });
    return Store.update(key, function (d) {
      // Only a draft the page saved (it knows the member) is queued; anything else is not ours to keep.
      if (!d || d.status === 'sent') { return null; }
      d.fields = fields;
      d.title = d.title || titleOf(fields);
      d.status = search ? 'editing' : 'queued';
      d.queuedAt = Date.now();
      return d;
    }, photos.length ? photos : undefined);
  }

  root.RuamkanSend = {
    SYNC_TAG: SYNC_TAG, session: session, sendQueued: sendQueued, pending: pending, queueFormData: queueFormData,
    parseForm: parseForm, titleOf: titleOf, markSent: markSent
  };
})(self);
