/* One line of the list of reports kept on this phone: its title, where it stands and what can be done
   with it (used by offline-drafts.js). */
(function () {
  'use strict';

  function button(text, onClick, cls) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'button ' + (cls || '');
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }
  function statusText(d, t, fill) {
    if (d.status === 'sent') { return fill(t.sent, { ref: d.reference }); }
    if (d.status === 'queued' || d.status === 'sending') {
      return d.lastError === 'signin' ? t.queued + ' · ' + t.signIn : t.queued;
    }
    return d.status === 'rejected' ? t.rejected : t.draft;
  }
  /* d: a kept report; opts: t, fill, time (ms -> text), current (the form holds it), and the actions
     open(id), sendNow(), edit(id), remove(id). */
  function item(d, opts) {
    var t = opts.t, li = document.createElement('li'), title = document.createElement('p');
    var meta = document.createElement('p'), actions = document.createElement('div');
    li.className = 'offline-item offline-' + d.status;
    li.dataset.id = d.id;
    title.className = 'offline-title';
    title.textContent = d.title || t.untitled;
    meta.className = 'offline-status';
    var bits = [statusText(d, t, opts.fill)];
    if (d.photoCount || d.serverPhotos) { bits.push(opts.fill(t.photos, { n: d.photoCount || d.serverPhotos })); }
    bits.push(opts.time(d.sentAt || d.updatedAt));
    if (opts.current && d.status !== 'sent') { bits.push(t.openNow); }
    meta.textContent = bits.join(' · ');
    actions.className = 'offline-actions';
    if ((d.status === 'editing' || d.status === 'rejected') && !opts.current) {
      actions.appendChild(button(t.open, function () { opts.open(d.id); }, 'primary'));
    }
    if (d.status === 'queued') {
      if (navigator.onLine) { actions.appendChild(button(t.sendNow, function () { opts.sendNow(); }, 'primary')); }
      actions.appendChild(button(t.edit, function () { opts.edit(d.id); }));
    }
    if (d.status === 'sent' && d.reportUrl) {
      var link = document.createElement('a');
      link.className = 'button';
      link.href = d.reportUrl;
      link.textContent = t.openReport;
      actions.appendChild(link);
    }
    if (d.status !== 'sending') {
      actions.appendChild(button(t.remove, function () { opts.remove(d.id); }, 'danger'));
    }
    li.appendChild(title);
    li.appendChild(meta);
    li.appendChild(actions);
    return li;
  }

  window.RuamkanDraftList = { item: item, button: button };
})();
