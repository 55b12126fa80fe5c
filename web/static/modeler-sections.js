/* Pingyi: the element-specific parts of the editor's side panel (see modeler-panel.js). */
(function () {
  "use strict";

  var U = window.PingyiPanelUtil;
  var make = U.make, is = U.is, SPIFF = U.SPIFF;
  var HELPER = /^(?:end_of_day\()?add_(months|days)\(\s*([A-Za-z_][\w.]*)\s*,\s*(-?\d+)\s*\)\)?$/;

  function props(bo) {
    var map = {};
    U.propertiesOf(bo).forEach(function (p) { map[p[0]] = p[1]; });
    return map;
  }

  function isStartForm(bo) { return is(bo, "bpmn:StartEvent") && !(bo.eventDefinitions || []).length; }

  /* "N calendar months / days after <variable>": writes add_months(var, n) or add_days(var, n). */
  function dateHelper(panel, parent, current, wrap, onUse) {
    var L = panel.L;
    var found = HELPER.exec(current || "") || [null, "months", "", "1"];
    var number = make("input", { "class": "form-control form-control-sm", type: "number", "data-field": "helper-n", style: "width:5rem" });
    number.value = found[3];
    number.setAttribute("aria-label", "N");
    var unit = make("select", { "class": "form-select form-select-sm w-auto", "data-field": "helper-unit", "aria-label": L.months });
    [["months", L.months], ["days", L.days]].forEach(function (o) { unit.appendChild(make("option", { value: o[0], text: o[1] })); });
    unit.value = found[1];
    var variable = make("input", { "class": "form-control form-control-sm", "data-field": "helper-variable", placeholder: L.variable, style: "width:9rem" });
    variable.value = found[2];
    variable.setAttribute("aria-label", L.variable);
    var use = make("button", { "class": "btn btn-sm btn-outline-secondary", type: "button", "data-field": "helper-use", text: L.use });
    use.addEventListener("click", function () {
      if (!variable.value.trim() || number.value === "") { return; }
      var text = "add_" + unit.value + "(" + variable.value.trim() + ", " + parseInt(number.value, 10) + ")";
      panel.apply(function () { onUse.call(panel, wrap ? wrap(text) : text); });
      panel.render();
    });
    parent.appendChild(make("div", { "class": "d-flex flex-wrap gap-1 align-items-center mb-2 small" },
      [make("span", { text: L.dueHelper }), variable, make("span", { text: L.plus }), number, unit, use]));
  }

  function formSection(panel, bo) {
    var L = panel.L, data = panel.data, p = props(bo);
    var box = panel.section(L.sectionForm);
    var schemas = data.forms.filter(function (n) { return !/uischema\.json$/i.test(n); });
    var uis = data.forms.filter(function (n) { return /uischema\.json$/i.test(n); });
    var none = [["", L.none]];
    panel.select(box, L.form, "form", none.concat(schemas.map(function (n) { return [n, n]; })),
                 p.formJsonSchemaFilename, function (v) { this.setProperty(bo, "formJsonSchemaFilename", v); this.render(); });
    panel.select(box, L.uiForm, "uiForm", none.concat(uis.map(function (n) { return [n, n]; })),
                 p.formUiSchemaFilename, function (v) { this.setProperty(bo, "formUiSchemaFilename", v); this.render(); });
    var links = make("div", { "class": "d-flex flex-wrap gap-2 small mb-2" });
    [p.formJsonSchemaFilename, p.formUiSchemaFilename].forEach(function (name) {
      if (name) { links.appendChild(make("a", { href: data.urls.formEditor.replace("__NAME__", encodeURIComponent(name)), target: "_blank", rel: "noopener", text: L.editForm + " " + name })); }
    });
    var create = make("a", { href: "#", text: L.newForm });
    create.addEventListener("click", function (event) {
      event.preventDefault();
      var name = window.prompt(L.newForm, "new-schema.json");
      if (name) { window.open(data.urls.formEditor.replace("__NAME__", encodeURIComponent(name)), "_blank"); }
    });
    links.appendChild(create);
    box.appendChild(links);
    var file = make("input", { "class": "form-control form-control-sm", type: "file", accept: ".json,application/json", "data-field": "uploadForm" });
    panel.field(box, L.uploadForm, file);
    file.addEventListener("change", function () { uploadForm(panel, bo, file); });
  }

  function uploadForm(panel, bo, file) {
    if (!file.files.length) { return; }
    var body = new FormData();
    body.append("file", file.files[0]);
    var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
    fetch(panel.data.urls.forms, { method: "POST", body: body, credentials: "same-origin",
                                   headers: { "X-CSRFToken": csrf, "Accept": "application/json" } })
      .then(function (response) { return response.json().then(function (json) { return [response.ok, json]; }); })
      .then(function (result) {
        if (!result[0]) { window.alert(result[1].detail || panel.L.failed); return; }
        var name = file.files[0].name;
        panel.data.forms = result[1].forms;
        panel.apply(function () {
          this.setProperty(bo, /uischema\.json$/i.test(name) ? "formUiSchemaFilename" : "formJsonSchemaFilename", name);
        });
        panel.render();
      });
  }

  function taskSection(panel, bo) {
    var L = panel.L, p = props(bo);
    var box = panel.section(L.sectionTask);
    panel.area(box, L.instructions, "instructions", U.bodyOf(bo, SPIFF + "instructionsForEndUser"),
               function (v) { this.setBody(bo, "instructionsForEndUser", v); }, 4);
    panel.input(box, L.title, "title", p.title, function (v) { this.setProperty(bo, "title", v); });
    panel.input(box, L.candidates, "candidates", p.candidates, function (v) { this.setProperty(bo, "candidates", v); });
    panel.input(box, L.assignee, "assignee", p.assignee, function (v) { this.setProperty(bo, "assignee", v); });
    panel.input(box, L.due, "dueAt", p.dueAt, function (v) { this.setProperty(bo, "dueAt", v); });
    dateHelper(panel, box, p.dueAt, null, function (text) { this.setProperty(bo, "dueAt", text); });
    panel.input(box, L.priority, "priority", p.priority, function (v) { this.setProperty(bo, "priority", v); });
    panel.check(box, L.confidential, "confidential", p.confidential === "true",
                function (v) { this.setProperty(bo, "confidential", v ? "true" : ""); });
  }

  function scriptsSection(panel, bo) {
    var L = panel.L;
    var box = panel.section(L.sectionScripts);
    if (is(bo, "bpmn:ScriptTask")) {
      panel.area(box, L.script, "script", bo.script, function (v) { this.update(bo, { script: v || undefined }); }, 8);
    }
    panel.area(box, L.preScript, "preScript", U.bodyOf(bo, SPIFF + "preScript"), function (v) { this.setBody(bo, "preScript", v); }, 2);
    panel.area(box, L.postScript, "postScript", U.bodyOf(bo, SPIFF + "postScript"), function (v) { this.setBody(bo, "postScript", v); }, 2);
  }

  function timerSection(panel, definition) {
    var L = panel.L;
    var kinds = ["timeDate", "timeDuration", "timeCycle"];
    var kind = kinds.filter(function (k) { return definition[k]; })[0] || "timeDate";
    var box = panel.section(L.timer);
    function write(newKind, text) {
      var values = {};
      kinds.forEach(function (k) { values[k] = k === newKind ? panel.expression(text) : undefined; });
      panel.update(definition, values);
    }
    panel.select(box, L.timer, "timerKind", kinds.map(function (k) { return [k, L[k]]; }), kind,
                 function (v) { write(v, U.exprOf(definition[kind])); this.render(); });
    panel.input(box, L.timer, "timer", U.exprOf(definition[kind]), function (v) { write(kind, v); }, L.timerHint);
    dateHelper(panel, box, U.exprOf(definition[kind]), function (t) { return "end_of_day(" + t + ")"; },
               function (text) { write("timeDate", text); });
  }

  function flowSection(panel, target, bo) {
    var L = panel.L;
    var source = bo.sourceRef;
    if (!is(source, "bpmn:Gateway") && !bo.conditionExpression && !is(source, "bpmn:Activity")) { return; }
    var box = panel.section(L.sectionFlow);
    panel.area(box, L.condition, "condition", U.exprOf(bo.conditionExpression),
               function (v) { this.update(bo, { conditionExpression: this.expression(v) }); }, 2);
    if (is(source, "bpmn:ExclusiveGateway") || is(source, "bpmn:InclusiveGateway")) {
      var shape = panel.modeler.get("elementRegistry").get(source.id);
      panel.check(box, L.defaultFlow, "defaultFlow", source.default === bo, function (checked) {
        this.modeling.updateProperties(shape, { "default": checked ? bo : undefined });
      });
    }
  }

  function multiInstanceSection(panel, lc) {
    var L = panel.L, moddle = panel.moddle;
    var box = panel.section(L.multiInstance);
    function ref(value, type) { return value ? moddle.create(type, { id: value, name: value }) : undefined; }
    panel.check(box, L.sequential, "sequential", lc.isSequential, function (v) { this.update(lc, { isSequential: v }); });
    panel.input(box, L.collection, "collection", lc.loopDataInputRef ? lc.loopDataInputRef.id : "",
                function (v) { this.update(lc, { loopDataInputRef: ref(v, "bpmn:DataInput") }); });
    panel.input(box, L.elementVariable, "elementVariable", lc.inputDataItem ? lc.inputDataItem.id : "",
                function (v) { this.update(lc, { inputDataItem: ref(v, "bpmn:DataInput") }); });
    panel.input(box, L.outputCollection, "outputCollection", lc.loopDataOutputRef ? lc.loopDataOutputRef.id : "",
                function (v) { this.update(lc, { loopDataOutputRef: ref(v, "bpmn:DataOutput") }); });
    panel.input(box, L.outputElement, "outputElement", lc.outputDataItem ? lc.outputDataItem.id : "",
                function (v) { this.update(lc, { outputDataItem: ref(v, "bpmn:DataOutput") }); });
    panel.input(box, L.cardinality, "cardinality", U.exprOf(lc.loopCardinality),
                function (v) { this.update(lc, { loopCardinality: this.expression(v) }); });
    panel.input(box, L.completionCondition, "completionCondition", U.exprOf(lc.completionCondition),
                function (v) { this.update(lc, { completionCondition: this.expression(v) }); });
  }

  function messageSection(panel, bo, definition) {
    var L = panel.L;
    var box = panel.section(L.message + (definition.messageRef ? "：" + (definition.messageRef.name || definition.messageRef.id) : ""));
    if (is(bo, "bpmn:ThrowEvent")) {
      panel.input(box, L.messagePayload, "messagePayload", U.bodyOf(definition, SPIFF + "messagePayload"),
                  function (v) { this.setBody(definition, "messagePayload", v); });
    } else {
      panel.input(box, L.messageVariable, "messageVariable", U.bodyOf(definition, SPIFF + "messageVariable"),
                  function (v) { this.setBody(definition, "messageVariable", v); });
    }
  }

  function render(panel, target, bo) {
    var L = panel.L;
    if (FORM_TASK(bo) || isStartForm(bo)) { formSection(panel, bo); }
    if (FORM_TASK(bo)) { taskSection(panel, bo); }
    if (is(bo, "bpmn:ServiceTask")) { window.PingyiServiceSection(panel, bo); }
    if (is(bo, "bpmn:CallActivity")) {
      panel.input(panel.section(L.calledElement), L.calledElement, "calledElement", bo.calledElement,
                  function (v) { this.update(bo, { calledElement: v || undefined }); });
    }
    if (is(bo, "bpmn:BusinessRuleTask")) {
      panel.input(panel.section(L.decision), L.decision, "decision", U.bodyOf(bo, SPIFF + "calledDecisionId"),
                  function (v) { this.setBody(bo, "calledDecisionId", v); });
    }
    if (is(bo, "bpmn:ScriptTask") || FORM_TASK(bo) || is(bo, "bpmn:ServiceTask")) { scriptsSection(panel, bo); }
    if (is(bo, "bpmn:SequenceFlow")) { flowSection(panel, target, bo); }
    (bo.eventDefinitions || []).forEach(function (definition) {
      if (is(definition, "bpmn:TimerEventDefinition")) { timerSection(panel, definition); }
      if (is(definition, "bpmn:MessageEventDefinition")) { messageSection(panel, bo, definition); }
    });
    if (is(bo.loopCharacteristics, "bpmn:MultiInstanceLoopCharacteristics")) { multiInstanceSection(panel, bo.loopCharacteristics); }
  }

  function FORM_TASK(bo) { return U.FORM_TASKS.some(function (t) { return is(bo, t); }); }

  window.PingyiPanelSections = { render: render, props: props };
})();
