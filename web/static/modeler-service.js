/* Pingyi: the service task part of the editor's side panel. Offers the operations Pingyi
   registers (engine/connectors.py) with their parameter names; writes
   spiffworkflow:serviceTaskOperator id=… resultVariable=… with its parameters. */
(function () {
  "use strict";

  var U = window.PingyiPanelUtil;
  var make = U.make, SPIFF = U.SPIFF;

  // The text of a Python string literal ('x' or "x"), or null for any other expression.
  function literalText(value) {
    var match = /^\s*(['"])([^'"\\]*)\1\s*$/.exec(value);
    return match ? match[2] : null;
  }

  // The offered value that spells the same literal as `value` ('常委会组成人员' is "常委会组成人员"), else `value`.
  function sameLiteral(options, value) {
    var text = literalText(value);
    var found = text === null ? null : options.filter(function (o) { return literalText(o[0]) === text; })[0];
    return found ? found[0] : value;
  }

  window.PingyiServiceSection = function (panel, bo) {
    var L = panel.L, moddle = panel.moddle, operations = panel.data.operations;
    var operator = U.findExt(bo, SPIFF + "serviceTaskOperator");
    var state = { name: operator ? operator.id || "" : "", result: operator ? operator.resultVariable || "" : "",
                  values: {}, types: {} };
    if (operator && operator.parameterList) {
      operator.parameterList.get("parameters").forEach(function (p) { state.values[p.id] = p.value; state.types[p.id] = p.type; });
    }
    var box = panel.section(L.service);

    function write() {
      if (!state.name) { panel.setExt(bo, SPIFF + "serviceTaskOperator", null); return; }
      var parameters = Object.keys(state.values).filter(function (k) { return state.values[k]; }).map(function (k) {
        return moddle.create(SPIFF + "parameter", { id: k, type: state.types[k] || "any", value: state.values[k] });
      });
      var created = moddle.create(SPIFF + "serviceTaskOperator", { id: state.name, resultVariable: state.result || undefined });
      created.parameterList = moddle.create(SPIFF + "parameters", { parameters: parameters });
      created.parameterList.$parent = created;
      panel.setExt(bo, SPIFF + "serviceTaskOperator", created);
    }

    var options = [["", L.none]].concat(Object.keys(operations).map(function (name) {
      return [name, operations[name].doc ? name + " – " + operations[name].doc : name];
    }));
    panel.select(box, L.operation, "operation", options, state.name, function (v) {
      state.name = v;
      write();
      this.render();
    });
    panel.input(box, L.resultVariable, "resultVariable", state.result, function (v) { state.result = v; write(); });
    var known = operations[state.name] || { required: [], optional: [] };
    var names = known.required.concat(known.optional);
    Object.keys(state.values).forEach(function (k) { if (names.indexOf(k) < 0) { names.push(k); } });
    if (!names.length) { return; }
    box.appendChild(make("div", { "class": "small fw-semibold mb-1", text: L.parameters }));
    var choices = (panel.data.choices || {})[state.name] || {};
    names.forEach(function (name) {
      var label = name + (known.required.indexOf(name) >= 0 ? " (" + L.required + ")" : "");
      var update = function (v) { state.values[name] = v; write(); };
      if (choices[name]) {  // e.g. a ballot's rule set: pick by name (an expression written by hand stays listed)
        panel.select(box, label, "param-" + name, [["", L.none]].concat(choices[name]),
                     sameLiteral(choices[name], state.values[name] || ""), update);
        return;
      }
      var control = panel.input(box, label, "param-" + name, state.values[name], update);
      control.classList.add("font-monospace");
    });
  };
})();
