/* Pingyi: the form editor's live preview. While the JSON Schema or UI schema is typed, the
   server renders the form (the same macros as a task page) and lists what deployment would refuse. */
(function () {
  "use strict";

  var form = document.getElementById("form-editor");
  if (!form) { return; }
  var problems = document.getElementById("form-problems");
  var preview = document.getElementById("form-preview");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var timer = null;
  var sent = 0;

  function refresh() {
    var mine = ++sent;
    var body = { name: form.getAttribute("data-name"), schema: form.elements.schema.value,
                 ui_name: form.elements.ui_name.value, ui: form.elements.ui.value };
    fetch(form.getAttribute("data-preview"), {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (response) { return response.json(); }).then(function (result) {
      if (mine !== sent) { return; }
      problems.innerHTML = "";
      (result.problems || []).forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        problems.appendChild(item);
      });
      preview.innerHTML = result.html || "";
      preview.setAttribute("data-version", String(mine));
    });
  }

  ["schema", "ui"].forEach(function (name) {
    form.elements[name].addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
  });
})();
