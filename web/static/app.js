/* Pingyi: small progressive enhancements. Pages work without JavaScript except the diagram. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // a form sent back with problems: go to the first one (on a phone it may be far down the page)
  if (document.getElementById("form-problems")) {
    var first = document.querySelector("#task-form .is-invalid");
    if (first) { first.scrollIntoView({ block: "center" }); first.focus({ preventScroll: true }); }
  }

  // a department chosen from the organisation's list fills the form's department fields
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      if (!option || !option.value) { return; }
      JSON.parse(select.getAttribute("data-fills")).forEach(function (pair) {
        var input = document.getElementById(pair[0]);
        if (input && !(pair[2] === "soft" && input.value)) { input.value = option.getAttribute("data-" + pair[1]) || ""; }
      });
    });
  });

  var box = document.getElementById("diagram");
  if (!box || !window.BpmnJS) { return; }
  var visited = JSON.parse(box.getAttribute("data-visited") || "[]");
  var current = JSON.parse(box.getAttribute("data-current") || "[]");
  var viewer = new window.BpmnJS({ container: box });
  fetch(box.getAttribute("data-xml"), { credentials: "same-origin" })
    .then(function (response) { return response.text(); })
    .then(function (xml) { return viewer.importXML(xml); })
    .then(function () {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      var inner = canvas.viewbox().inner;
      var scale = box.clientHeight / (inner.height + 40);
      if (box.getAttribute("data-fit") === "height" && inner.width * scale > box.clientWidth) {
        // a long model: readable size, starting at its beginning; drag to pan
        scale = Math.max(0.45, Math.min(1, scale));
        canvas.viewbox({ x: inner.x - 20, y: inner.y - 20, width: box.clientWidth / scale,
                         height: box.clientHeight / scale });
      } else {
        canvas.zoom("fit-viewport", "auto");
      }
      visited.forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, "pingyi-done"); } });
      current.forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, "pingyi-current"); } });
      var frame = box.parentElement;
      var now = current.length && box.querySelector('.djs-element[data-element-id="' + current[0] + '"]');
      if (now && frame && frame.scrollWidth > frame.clientWidth) {  // a phone: bring the current task into view
        var offset = now.getBoundingClientRect().left - frame.getBoundingClientRect().left;
        frame.scrollLeft = Math.max(0, offset - 40);
      }
      box.setAttribute("data-rendered", "true");
    })
    .catch(function (error) {
      box.setAttribute("data-rendered", "failed");
      box.textContent = box.getAttribute("data-error") || String(error);
    });
})();
