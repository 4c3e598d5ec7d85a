// Tracking page: warn the resident while typing when the text looks like a Thai phone or ID number.
// A convenience only: the server checks again and asks for a confirmation (app/reports/resident.py).
(function () {
  "use strict";
  var PHONE = /(?:^|[^\d+])(?:(?:\+|00)66[ \-.]?\(?0?\)?[ \-.]?|0)[1-9](?:[ \-.]?\d){7,8}(?!\d)/;
  var CITIZEN_ID = /(?:^|[^\d])\d[ \-]?\d{4}[ \-]?\d{5}[ \-]?\d{2}[ \-]?\d(?!\d)/;

  function looksPersonal(text) {
    return PHONE.test(text) || CITIZEN_ID.test(text);
  }

  document.querySelectorAll("form[data-pii-check]").forEach(function (form) {
    var warning = form.querySelector(".pii-warning");
    var boxes = form.querySelectorAll("textarea");
    function check() {
      var found = false;
      boxes.forEach(function (box) { found = found || looksPersonal(box.value); });
      if (warning) { warning.hidden = !found; }
    }
    boxes.forEach(function (box) { box.addEventListener("input", check); });
    check();
  });
})();
