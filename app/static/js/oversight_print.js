/* Monthly summary: the Print button (no inline handlers, so the page keeps a strict CSP). */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
