// The big screen: polls the ballot's status every second; turnout while open, the result once counted.
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.statusUrl;
  var labels = JSON.parse(document.getElementById("screen-labels").textContent);

  function show(id, on) { document.getElementById(id).hidden = !on; }

  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  function render(state) {
    show("screen-open", state.status === "open");
    show("screen-void", state.status === "void");
    show("screen-result", state.status === "closed");
    document.getElementById("voted").textContent = state.turnout.voted;
    document.getElementById("eligible").textContent = state.turnout.eligible;
    if (state.status === "void") {
      document.getElementById("void-reason").textContent = state.void_reason || "";
    }
    if (state.result) {
      document.getElementById("grade").textContent = state.result.grade;
      document.getElementById("score").textContent = state.result.score === null ? "—" : state.result.score.toFixed(2);
      var rows = document.getElementById("result-rows");
      rows.replaceChildren();
      state.result.options.forEach(function (o) {
        var tr = document.createElement("tr");
        tr.append(cell("th", o.label), cell("td", o.count), cell("td", (o.rate * 100).toFixed(2) + "%"));
        rows.append(tr);
      });
      var last = document.createElement("tr");
      last.append(cell("th", labels.invalid), cell("td", state.result.invalid), cell("td", ""));
      rows.append(last);
    }
  }

  // The meeting must not read stale figures: after a few failed polls the screen says so.
  var failures = 0;
  function stale(message) {
    var note = document.getElementById("screen-stale");
    note.textContent = message || "";
    note.hidden = !message;
  }

  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (response.status === 401 || response.status === 403 || response.redirected) {
          stale(labels.signed_out);
          return null;
        }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        if (state) { failures = 0; stale(""); render(state); }
      })
      .catch(function () {
        failures += 1;
        if (failures >= 3) { stale(labels.offline); }
      })
      .finally(function () { window.setTimeout(poll, 1000); });
  }

  document.getElementById("fullscreen").addEventListener("click", function () {
    if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
  });
  window.setTimeout(poll, 1000);
}());
