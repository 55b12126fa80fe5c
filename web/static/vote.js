// The vote page: ask once more before a ballot that cannot be changed is cast.
(function () {
  "use strict";
  var form = document.getElementById("vote-form");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    var chosen = form.querySelector("input[name=choice]:checked");
    if (!chosen) { return; }
    var label = form.querySelector("label[for='" + chosen.id + "']").textContent;
    if (!window.confirm(form.dataset.confirm.replace("{choice}", label.trim()))) {
      event.preventDefault();
      return;
    }
    document.getElementById("vote-submit").disabled = true;
  });
}());
