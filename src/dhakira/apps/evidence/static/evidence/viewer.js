// Graphic pictures stay blurred until a person asks to see them: a real button, so the
// keyboard and screen readers reach it; pressed again, it blurs the picture once more.
(function () {
  "use strict";
  var buttons = document.querySelectorAll(".viewer .reveal-graphic");
  Array.prototype.forEach.call(buttons, function (button) {
    var shown = button.textContent;
    var hide = button.dataset.hide;  // translated by the page
    button.addEventListener("click", function () {
      var figure = button.closest("figure");
      var hidden = figure.classList.toggle("graphic-hidden");
      button.setAttribute("aria-pressed", hidden ? "false" : "true");
      button.textContent = hidden ? shown : hide;
    });
  });
})();
