/* The intake form's photos on the phone (offline-drafts.js keeps them in the draft): made smaller before
   they are kept or sent, chosen from the camera and the gallery into one list, each with a button to take
   it out again. */
(function () {
  'use strict';
  // Longest side at most 1600 px (what the server keeps for everyone to see), JPEG quality 0.8.
  var MAX_SIDE = 1600, QUALITY = 0.8, KEEP_SMALL_JPEG_BYTES = 400 * 1024;

  /* A small JPEG is kept as it is (with its location data for the police); anything the browser cannot
     read is sent unchanged. */
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

  /* The photos of the draft being typed, as {name, type, blob}. opts: input (the gallery input the form
     sends), camera, line (a status line), keptOnServer, max, t, fill, button (makes a button), onChange
     (a photo was added or taken out: save the draft). `changed` stays true until the draft has kept them. */
  function picker(opts) {
    var t = opts.t, fill = opts.fill, input = opts.input;
    var self = { items: null, changed: false, job: Promise.resolve() };
    var list = document.createElement('ul');
    list.id = 'chosen-photos';
    list.className = 'kept';
    list.hidden = true;
    opts.line.insertAdjacentElement('beforebegin', list);

    function setInputFiles(items) {
      try {
        var transfer = new DataTransfer();
        items.forEach(function (p) { transfer.items.add(new File([p.blob], p.name, { type: p.type })); });
        input.files = transfer.files;
      } catch (e) { /* an old browser: the photos stay in the draft and are sent from there */ }
    }
    function render() {
      Array.prototype.forEach.call(list.querySelectorAll('img'), function (img) { URL.revokeObjectURL(img.src); });
      list.textContent = '';
      (self.items || []).forEach(function (p, i) {
        var li = document.createElement('li'), img = document.createElement('img');
        img.src = URL.createObjectURL(p.blob);
        img.alt = fill(t.photoN, { n: opts.keptOnServer + i + 1 });
        img.width = 96;
        img.height = 72;
        li.appendChild(img);
        li.appendChild(opts.button(t.remove, function () {
          self.items.splice(i, 1);
          self.changed = true;
          setInputFiles(self.items);
          self.show();
          opts.onChange();
        }, 'small'));
        list.appendChild(li);
      });
      list.hidden = !(self.items && self.items.length);
    }
    /* Say how many photos the draft keeps (and `extra`), and list them. */
    self.show = function (extra) {
      var items = self.items || [], bytes = items.reduce(function (sum, p) { return sum + p.blob.size; }, 0);
      opts.line.textContent = [items.length ? fill(t.photosKept, { n: items.length, kb: Math.round(bytes / 1024) }) : '',
        extra || ''].join(' ').trim();
      render();
    };
    /* Hold these photos (null: none yet); `toInput`: put them in the form's input too. */
    self.set = function (items, toInput) {
      self.items = items;
      self.changed = false;
      if (toInput) { setInputFiles(items); }
    };
    /* The camera adds one photo at a time and the gallery adds its choice: both go to the same list, which is
       what the form sends (the camera's own input is emptied so nothing goes twice). */
    function add(from) {
      var files = Array.prototype.slice.call(from.files || []);
      if (!files.length) { return; }
      opts.line.textContent = t.preparingPhotos;
      self.job = self.job.then(function () {
        // One photo at a time: a 12-megapixel photo decoded takes about 48 MB of a cheap phone's memory.
        return files.reduce(function (chain, file) {
          return chain.then(function (out) { return shrink(file).then(function (p) { out.push(p); return out; }); });
        }, Promise.resolve([]));
      }).then(function (out) {
        var before = self.items || [], room = Math.max(0, opts.max - opts.keptOnServer - before.length);
        self.items = before.concat(out.slice(0, room));
        self.changed = true;
        setInputFiles(self.items);
        if (from !== input) { from.value = ''; }
        self.show(out.length > room ? fill(t.tooManyPhotos, { n: opts.max }) : '');
        return opts.onChange();
      }).catch(function () {});
    }
    input.addEventListener('change', function () { add(input); });
    if (opts.camera) { opts.camera.addEventListener('change', function () { add(opts.camera); }); }
    return self;
  }

  window.RuamkanPhotos = { picker: picker };
})();
