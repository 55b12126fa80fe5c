// Buttons marked data-print print the page (no inline handlers, so a strict CSP stays possible).
document.querySelectorAll("[data-print]").forEach(function (button) {
  "use strict";
  button.addEventListener("click", function () { window.print(); });
});
