/* Pingyi: the side panel of the BPMN editor. Shows and edits what the engine reads from the
   selected element (or the process): name, documentation, form, instructions, task properties,
   timers, conditions, scripts, multi-instance, service calls. Every change is a bpmn-js command
   (undo works). Plain JS: window.PingyiPanel(modeler, data, root). */
(function () {
  "use strict";

  var SPIFF = "spiffworkflow:";
  var FORM_TASKS = ["bpmn:UserTask", "bpmn:ManualTask"];
  var counter = 0;

  function make(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else if (attrs[key] !== undefined) { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function is(bo, type) { return !!(bo && bo.$instanceOf && bo.$instanceOf(type)); }
  function extValues(owner) { return owner && owner.extensionElements ? owner.extensionElements.get("values") : []; }
  function findExt(owner, type) { return extValues(owner).filter(function (v) { return v.$type === type; })[0] || null; }
  function bodyOf(owner, type) { var found = findExt(owner, type); return found ? (found.value || "") : ""; }
  function exprOf(expression) { return expression ? (expression.body || "") : ""; }

  function propertiesOf(bo) {
    var found = findExt(bo, SPIFF + "properties");
    var list = found ? found.get("properties").map(function (p) { return [p.name, p.value]; }) : [];
    return list;
  }

  function Panel(modeler, data, root) {
    this.modeler = modeler;
    this.data = data;
    this.L = data.labels;
    this.root = root;
    this.current = null;
    this.applying = false;
    this.moddle = modeler.get("moddle");
    this.modeling = modeler.get("modeling");
  }

  Panel.prototype.show = function (element) { this.current = element; this.render(); };
  Panel.prototype.refresh = function () { if (!this.applying) { this.render(); } };
  Panel.prototype.target = function () { return this.current || this.modeler.get("canvas").getRootElement(); };

  Panel.prototype.apply = function (action) {
    this.applying = true;
    try { action.call(this); } finally { this.applying = false; }
  };

  Panel.prototype.update = function (owner, values) {
    var element = this.target();
    if (owner === element.businessObject) { this.modeling.updateProperties(element, values); }
    else { this.modeling.updateModdleProperties(element, owner, values); }
  };

  Panel.prototype.setExt = function (owner, type, replacement) {
    var ext = owner.extensionElements;
    if (!ext) {
      if (!replacement) { return; }
      ext = this.moddle.create("bpmn:ExtensionElements", { values: [] });
      ext.$parent = owner;
      this.update(owner, { extensionElements: ext });
    }
    var list = ext.get("values").slice();
    var at = list.findIndex(function (v) { return v.$type === type; });
    if (replacement) {
      replacement.$parent = ext;
      if (at >= 0) { list[at] = replacement; } else { list.push(replacement); }
    } else if (at >= 0) {
      list.splice(at, 1);
    }
    this.update(ext, { values: list });
  };

  Panel.prototype.setBody = function (owner, type, text) {
    this.setExt(owner, SPIFF + type, text ? this.moddle.create(SPIFF + type, { value: text }) : null);
  };

  Panel.prototype.setProperty = function (bo, name, value) {
    var list = propertiesOf(bo).filter(function (p) { return p[0] !== name || value; });
    var at = list.findIndex(function (p) { return p[0] === name; });
    if (value && at >= 0) { list[at] = [name, value]; } else if (value) { list.push([name, value]); }
    var moddle = this.moddle;
    var replacement = list.length ? moddle.create(SPIFF + "properties", {
      properties: list.map(function (p) { return moddle.create(SPIFF + "property", { name: p[0], value: p[1] }); })
    }) : null;
    this.setExt(bo, SPIFF + "properties", replacement);
  };

  Panel.prototype.expression = function (text) {
    return text ? this.moddle.create("bpmn:FormalExpression", { body: text }) : undefined;
  };

  /* Controls: each has a label, a data-field for tests, and calls back on "change". */
  Panel.prototype.field = function (parent, label, control, hint) {
    var id = "pf-" + (++counter);
    control.id = id;
    var wrap = make("div", { "class": "mb-2" }, [make("label", { "class": "form-label small mb-0", "for": id, text: label }), control]);
    if (hint) { wrap.appendChild(make("div", { "class": "form-text", text: hint })); }
    parent.appendChild(wrap);
    return control;
  };

  Panel.prototype.input = function (parent, label, field, value, onChange, hint) {
    var self = this;
    var control = make("input", { "class": "form-control form-control-sm", "data-field": field, type: "text" });
    control.value = value || "";
    control.addEventListener("change", function () { self.apply(function () { onChange.call(self, control.value.trim()); }); });
    return this.field(parent, label, control, hint);
  };

  Panel.prototype.area = function (parent, label, field, value, onChange, rows) {
    var self = this;
    var control = make("textarea", { "class": "form-control form-control-sm font-monospace", "data-field": field,
                                     rows: String(rows || 3), spellcheck: "false" });
    control.value = value || "";
    control.addEventListener("change", function () { self.apply(function () { onChange.call(self, control.value.replace(/\s+$/, "")); }); });
    return this.field(parent, label, control);
  };

  Panel.prototype.select = function (parent, label, field, options, value, onChange) {
    var self = this;
    var control = make("select", { "class": "form-select form-select-sm", "data-field": field });
    if (value && !options.some(function (o) { return o[0] === value; })) { options = options.concat([[value, value]]); }
    options.forEach(function (o) { control.appendChild(make("option", { value: o[0], text: o[1] })); });
    control.value = value || "";
    control.addEventListener("change", function () { self.apply(function () { onChange.call(self, control.value); }); });
    return this.field(parent, label, control);
  };

  Panel.prototype.check = function (parent, label, field, checked, onChange) {
    var self = this;
    var id = "pf-" + (++counter);
    var control = make("input", { "class": "form-check-input", type: "checkbox", id: id, "data-field": field });
    control.checked = !!checked;
    control.addEventListener("change", function () { self.apply(function () { onChange.call(self, control.checked); }); });
    parent.appendChild(make("div", { "class": "form-check mb-2" }, [control, make("label", { "class": "form-check-label small", "for": id, text: label })]));
    return control;
  };

  Panel.prototype.section = function (title) {
    var body = make("div", { "class": "panel-section" }, [make("h3", { "class": "h6 mt-3 mb-2 border-top pt-2", text: title })]);
    this.root.appendChild(body);
    return body;
  };

  Panel.prototype.render = function () {
    var L = this.L;
    var target = this.target();
    this.root.innerHTML = "";
    if (!target || !target.businessObject) { return; }
    var bo = target.businessObject;
    var head = make("div", { "class": "mb-2" }, [
      make("div", { "class": "small text-body-secondary", text: (this.current ? L.element : L.process) + " · " + String(bo.$type).replace("bpmn:", "") }),
      make("div", { "class": "font-monospace small text-break", "data-field": "id", text: bo.id || "" })]);
    this.root.appendChild(head);
    if (!this.current) { this.root.appendChild(make("p", { "class": "form-text", text: L.selectHint })); }
    this.input(this.root, L.name, "name", bo.name, function (v) { this.update(bo, { name: v || undefined }); });
    // with a pool the root is a collaboration: the process it holds has its own name, the one users see
    var held = is(bo, "bpmn:Participant") && bo.processRef ? [bo.processRef]
      : is(bo, "bpmn:Collaboration") ? (bo.participants || []).map(function (p) { return p.processRef; }).filter(Boolean) : [];
    held.forEach(function (process) {
      this.input(this.root, L.processName, "processName", process.name, function (v) { this.update(process, { name: v || undefined }); });
    }, this);
    var docs = (bo.documentation || []).map(function (d) { return d.text || ""; }).join("\n");
    this.area(this.root, L.documentation, "documentation", docs, function (v) {
      this.update(bo, { documentation: v ? [this.moddle.create("bpmn:Documentation", { text: v })] : [] });
    }, 2);
    if (is(bo, "bpmn:FlowNode")) { this.laneInfo(bo); }
    if (!this.current || is(bo, "bpmn:StartEvent") || is(bo, "bpmn:Participant")) { this.starterInfo(); }
    window.PingyiPanelSections.render(this, target, bo);
  };

  Panel.prototype.lanesOf = function (bo) {
    var lanes = [];
    this.modeler.get("elementRegistry").forEach(function (e) {
      if (e.type === "bpmn:Lane" && (e.businessObject.flowNodeRef || []).indexOf(bo) >= 0) { lanes.push(e.businessObject); }
    });
    return lanes;
  };

  Panel.prototype.laneInfo = function (bo) {
    var control = make("input", { "class": "form-control form-control-sm", "data-field": "lane", readonly: "readonly" });
    control.value = this.lanesOf(bo).map(function (lane) { return lane.name || lane.id; }).join(", ") || this.L.noLane;
    this.field(this.root, this.L.lane, control);
  };

  // Who may start the process: the members of the group its start event's lane names (and
  // administrators); without a named lane only administrators (engine/services/instances.py).
  Panel.prototype.starterInfo = function () {
    var self = this;
    var lanes = [];
    this.modeler.get("elementRegistry").forEach(function (e) {
      var parent = e.businessObject && e.businessObject.$parent;
      if (e.type === "bpmn:StartEvent" && is(parent, "bpmn:Process") && parent.id === self.data.processId) {
        self.lanesOf(e.businessObject).forEach(function (lane) { if (lane.name) { lanes.push(lane.name); } });
      }
    });
    var text = lanes.length ? this.L.startLane.replace("{lane}", lanes.join(", ")) : this.L.startAdmins;
    this.root.appendChild(make("div", { "class": "form-text mb-2", "data-field": "startedBy" }, [
      make("strong", { text: this.L.mayStart + " " }), document.createTextNode(text)]));
  };

  window.PingyiPanel = Panel;
  window.PingyiPanelUtil = { make: make, is: is, findExt: findExt, bodyOf: bodyOf, exprOf: exprOf,
                             propertiesOf: propertiesOf, SPIFF: SPIFF, FORM_TASKS: FORM_TASKS };
})();
