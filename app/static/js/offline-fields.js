/* The intake form's fields as a draft keeps them, and the server's corrections shown next to them
   (used by offline-drafts.js). */
(function () {
  'use strict';
  var SKIP = { csrf_token: true, idempotency_key: true };

  window.RuamkanFields = function (form) {
    var shown = [];

    /* The form's values by name (files apart); checkboxes and radios only when ticked. */
    function controls() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && !SKIP[el.name] && el.type !== 'file' && el.type !== 'submit' && el.type !== 'button' &&
          el.tagName !== 'FIELDSET';
      });
    }
    function read() {
      var fields = {};
      controls().forEach(function (el) {
        if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) { return; }
        fields[el.name] = el.name in fields ? [].concat(fields[el.name], el.value) : el.value;
      });
      return fields;
    }
    function write(fields) {
      controls().forEach(function (el) {
        var values = el.name in fields ? [].concat(fields[el.name]) : [];
        if (el.type === 'checkbox' || el.type === 'radio') { el.checked = values.indexOf(el.value) >= 0; }
        else { el.value = values.length ? values[0] : ''; }
      });
    }
    function clearErrors() {
      shown.forEach(function (undo) { undo(); });
      shown = [];
    }
    /* Put each of the server's messages ({field: [messages]}) under its field; return those that belong
       to no field on the page. */
    function showErrors(errors) {
      clearErrors();
      var general = [];
      Object.keys(errors || {}).forEach(function (key) {
        var el = document.getElementById(key) || form.elements.namedItem(key);
        if (el && !el.tagName && el.length) { el = el[0]; }  // radio buttons
        var field = el && el.closest ? el.closest('.field') : null;
        if (!field) { general = general.concat(errors[key]); return; }
        var added = errors[key].map(function (message, i) {
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
        shown.push(function () {
          added.forEach(function (p) { p.remove(); });
          if (!hadError) { field.classList.remove('has-error'); }
          if (el.removeAttribute) { el.removeAttribute('aria-invalid'); }
        });
      });
      return general;
    }
    return { read: read, write: write, showErrors: showErrors, clearErrors: clearErrors };
  };
})();
