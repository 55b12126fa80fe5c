/* Pingyi: the BPMN editor page. bpmn-js Modeler (window.BpmnJS) with the spiffworkflow moddle
   extension and our side panel (modeler-panel.js); the draft is kept on the server, checked with
   the deployment's checks, and every problem is shown on its element. Plain JS, no bundler. */
(function () {
  "use strict";

  var holder = document.getElementById("modeler-data");
  var box = document.getElementById("canvas");
  if (!holder || !box || !window.BpmnJS) { return; }
  var data = JSON.parse(holder.textContent);
  var L = data.labels;
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var statusLine = document.getElementById("modeler-status");
  var problemList = document.getElementById("problem-list");
  var dirty = false;
  var modeler;

  function setStatus(text, kind) {
    statusLine.textContent = text;
    statusLine.className = "small modeler-status text-" + (kind || "body-secondary");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (response) {
      if (response.redirected) { throw new Error(String(response.status)); }  // never a page taken for an answer
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok && !json.problems) { throw new Error(json.detail || response.status); }
        return json;
      });
    });
  }

  // bpmn-moddle drops a reference it cannot resolve; SpiffWorkflow's multi-instance collections
  // name task data (loopDataInputRef>departments<), not elements: keep them as placeholders.
  function keepDataReferences(event) {
    var moddle = modeler.get("moddle");
    (event.references || []).forEach(function (ref) {
      var local = String(ref.property).replace(/^bpmn:/, "");
      if (event.elementsById[ref.id] || (local !== "loopDataInputRef" && local !== "loopDataOutputRef")) { return; }
      ref.element.set(local, moddle.create("bpmn:DataInput", { id: ref.id }));
    });
  }

  function xml() {
    return modeler.saveXML({ format: true }).then(function (result) { return result.xml; });
  }

  function clearProblems() {
    var canvas = modeler.get("canvas");
    ["pingyi-problem", "pingyi-warning"].forEach(function (kind) {
      modeler.get("overlays").remove({ type: kind });
      modeler.get("elementRegistry").forEach(function (element) { canvas.removeMarker(element, kind); });
    });
    problemList.innerHTML = "";
  }

  // Problems stop a deployment; warnings (names that reach nobody) do not: marked in yellow.
  function showProblems(problems, warnings) {
    clearProblems();
    problems.forEach(function (problem) { showOne(problem, "pingyi-problem"); });
    (warnings || []).forEach(function (warning) { showOne(warning, "pingyi-warning"); });
  }

  function showOne(problem, kind) {
    var registry = modeler.get("elementRegistry");
    var canvas = modeler.get("canvas");
    var warning = kind === "pingyi-warning";
    var mine = problem.file === data.fileName;
    var element = mine && problem.element_id ? registry.get(problem.element_id) : null;
    if (element && element.type !== "bpmn:Process" && element.type !== "bpmn:Collaboration") {
      canvas.addMarker(element, kind);
      var badge = document.createElement("span");
      badge.className = "pingyi-problem-badge" + (warning ? " pingyi-warning-badge text-bg-warning" : "");
      badge.textContent = "!";
      badge.title = (warning ? L.warning + ": " : "") + problem.message;
      modeler.get("overlays").add(element, kind, { position: { top: -10, right: warning ? 34 : 10 }, html: badge });
    }
    var item = document.createElement("li");
    item.className = "list-group-item small" + (warning ? " list-group-item-warning" : "");
    item.setAttribute("data-element", problem.element_id || "");
    item.setAttribute("data-kind", warning ? "warning" : "problem");
    if (warning) {
      item.appendChild(document.createElement("span"));
      item.lastChild.className = "badge text-bg-warning me-2";
      item.lastChild.textContent = L.warning;
    }
    var where = document.createElement(element ? "a" : "span");
    where.className = "font-monospace me-2";
    where.textContent = (problem.element_id || problem.file) + (mine ? "" : " (" + problem.file + ")");
    if (element) {
      where.href = "#";
      where.addEventListener("click", function (event) {
        event.preventDefault();
        modeler.get("selection").select(element);
        canvas.scrollToElement(element);
      });
    }
    item.appendChild(where);
    item.appendChild(document.createTextNode((problem.line ? "(" + problem.line + ") " : "") + problem.message));
    problemList.appendChild(item);
  }

  function send(url, busy) {
    setStatus(busy);
    return xml().then(function (text) { return post(url, { xml: text }); });
  }

  function save() {
    return send(data.urls.save, L.saving).then(function (result) {
      if (result.problems) { showProblems(result.problems); setStatus(L.problems, "danger"); return; }
      dirty = false;
      setStatus(L.saved, "success");
    });
  }

  function check() {
    return send(data.urls.check, L.checking).then(function (result) {
      dirty = !result.saved;
      var problems = result.problems || [];
      var warnings = result.warnings || [];
      showProblems(problems, warnings);
      box.setAttribute("data-checked", String(problems.length));
      box.setAttribute("data-warnings", String(warnings.length));
      var counted = problems.length ? L.problems + ": " + problems.length : L.noProblems;
      if (warnings.length) { counted += " " + L.warnings + ": " + warnings.length; }
      setStatus(counted, problems.length ? "danger" : warnings.length ? "warning" : "success");
    });
  }

  function deploy() {
    if (!window.confirm(L.confirmDeploy)) { return Promise.resolve(); }
    return send(data.urls.deploy, L.deploying).then(function (result) {
      if (result.deployed) { dirty = false; window.location.assign(result.redirect); return; }
      showProblems(result.problems || [], result.warnings);
      box.setAttribute("data-checked", String((result.problems || []).length));
      box.setAttribute("data-warnings", String((result.warnings || []).length));
      setStatus(L.problems + ": " + (result.problems || []).length, "danger");
    });
  }

  function failed(error) { setStatus(L.failed + " " + error.message, "danger"); }

  function wire(id, action) {
    var button = document.getElementById(id);
    if (button) { button.addEventListener("click", function () { action().catch(failed); }); }
  }

  // The whole diagram when it fits at a readable size; a long one opens readable, at its start.
  function startView(canvas) {
    canvas.zoom("fit-viewport", "auto");
    if (canvas.zoom() >= 0.6) { return; }
    var inner = canvas.viewbox().inner;
    canvas.zoom(0.8);
    var view = canvas.viewbox();
    canvas.viewbox({ x: inner.x - 130, y: inner.y + inner.height / 2 - view.height / 2,  // clear of the palette
                     width: view.width, height: view.height });
  }

  function zoomButtons(canvas) {
    var group = document.createElement("div");
    group.className = "btn-group-vertical modeler-zoom";
    group.setAttribute("role", "group");
    [["+", L.zoomIn, function () { canvas.zoom(canvas.zoom() * 1.25); }],
     ["−", L.zoomOut, function () { canvas.zoom(canvas.zoom() / 1.25); }],
     ["⤢", L.zoomFit, function () { canvas.zoom("fit-viewport", "auto"); }]].forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-light border";
      button.textContent = item[0];
      button.title = item[1];
      button.setAttribute("aria-label", item[1]);
      button.addEventListener("click", item[2]);
      group.appendChild(button);
    });
    box.appendChild(group);
  }

  function refreshForms(panel) {
    fetch(data.urls.forms, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (json) {
        if (!json || JSON.stringify(json.forms) === JSON.stringify(data.forms)) { return; }
        data.forms = json.forms;
        panel.render();
      })
      .catch(function () { /* offline for a moment: the list stays as it was */ });
  }

  function start(descriptor) {
    modeler = new window.BpmnJS({ container: box, moddleExtensions: { spiffworkflow: descriptor } });
    modeler.on("import.parse.complete", keepDataReferences);
    var panel = new window.PingyiPanel(modeler, data, document.getElementById("panel"));
    modeler.on("commandStack.changed", function () {
      dirty = true;
      setStatus(L.unsaved, "warning");
      panel.refresh();
    });
    modeler.on("selection.changed", function (event) { panel.show(event.newSelection[0] || null); });
    window.addEventListener("focus", function () { refreshForms(panel); });  // back from the form editor's tab
    return fetch(data.urls.xml, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (text) { return modeler.importXML(text); })
      .then(function () {
        startView(modeler.get("canvas"));
        zoomButtons(modeler.get("canvas"));
        panel.show(null);
        box.setAttribute("data-ready", "true");
        wire("save-draft", save);
        wire("check-draft", check);
        wire("deploy-draft", deploy);
      });
  }

  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = L.leave; }
  });

  fetch(data.urls.descriptor, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(start)
    .catch(function (error) {
      box.setAttribute("data-ready", "failed");
      // bpmn-js draws only what the file lays out; a model without BPMNDiagram has nothing to show
      var undrawn = /no diagram to display/.test(error.message || "");
      setStatus(undrawn ? L.noLayout : L.loadFailed + " " + error.message, "danger");
    });
})();
