// Progressive enhancement for Pingyi's dynamic forms (forms/templates/forms/_form.html).
// Without this script every row and every conditional field is simply shown.
//  - [data-repeat]: a repeating group; [data-repeat-add] copies its <template data-repeat-template>,
//    replacing data-repeat-token with the next row number; [data-repeat-remove] removes a row.
//  - [data-show-if]: {"field": input name, "values": [...] or null, "absent": bool, "negate": bool};
//    the element is hidden while the condition fails (the server drops its value then as well).
//  - [data-choice-tools]: a long list of check boxes: [data-choice-filter] shows the choices whose
//    label has the text typed, [data-choice-all]/[data-choice-none] tick or untick those shown,
//    [data-choice-count] says how many are ticked (its data-template, with {n}).
//  - input[type=file][data-max-size]: a file larger than that is refused at once (named with
//    data-too-large, {name}), before the whole form is sent and the server has to refuse it.
(function () {
  "use strict";

  function inputsNamed(scope, name) {
    return Array.prototype.filter.call(scope.querySelectorAll("input, select, textarea"), function (el) {
      return el.name === name;
    });
  }

  function valuesOf(scope, name) {
    var values = [];
    inputsNamed(scope, name).forEach(function (el) {
      if (el.dataset.boolean !== undefined) {
        values.push(el.checked ? "true" : "false");
      } else if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) values.push(el.value);
      } else if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.selectedOptions, function (option) {
          if (option.value !== "") values.push(option.value);
        });
      } else if (el.value.trim() !== "") {
        values.push(el.value.trim());
      }
    });
    return values;
  }

  function holds(condition, scope) {
    var values = valuesOf(scope, condition.field);
    var result;
    if (values.length === 0) result = condition.absent;
    else if (condition.values === null) result = true;
    else result = values.some(function (v) { return condition.values.indexOf(v) !== -1; });
    return result !== condition.negate;
  }

  function refresh(root) {
    (root || document).querySelectorAll("[data-show-if]").forEach(function (el) {
      var scope = el.closest("form") || document;
      try {
        el.hidden = !holds(JSON.parse(el.getAttribute("data-show-if")), scope);
      } catch (err) {
        el.hidden = false;
      }
    });
  }

  function rowsOf(box) {
    return box.querySelector(":scope > [data-repeat-rows]");
  }

  function updateAddButton(box) {
    var button = box.querySelector(":scope > [data-repeat-add]");
    var max = box.getAttribute("data-repeat-max");
    if (button && max !== null) {
      button.disabled = rowsOf(box).querySelectorAll(":scope > [data-repeat-row]").length >= Number(max);
    }
  }

  function addRow(box) {
    var template = box.querySelector(":scope > template[data-repeat-template]");
    if (!template) return;
    var next = Number(box.getAttribute("data-repeat-next") || "0");
    var html = template.innerHTML.split(box.getAttribute("data-repeat-token")).join(String(next));
    box.setAttribute("data-repeat-next", String(next + 1));
    rowsOf(box).insertAdjacentHTML("beforeend", html);
    updateAddButton(box);
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-repeat-add]");
    if (add) {
      addRow(add.closest("[data-repeat]"));
      refresh();
      return;
    }
    var remove = event.target.closest("[data-repeat-remove]");
    if (remove) {
      var box = remove.closest("[data-repeat]");
      remove.closest("[data-repeat-row]").remove();
      if (box) updateAddButton(box);
      refresh();
    }
  });
  function choicesOf(tools) {
    return Array.prototype.slice.call(tools.closest("fieldset").querySelectorAll("[data-choice-list] .form-check"));
  }

  function countChoices(tools) {
    var count = tools.querySelector("[data-choice-count]");
    var ticked = choicesOf(tools).filter(function (row) { return row.querySelector("input").checked; }).length;
    count.textContent = count.getAttribute("data-template").split("{n}").join(String(ticked));
  }

  function filterChoices(tools) {
    var text = tools.querySelector("[data-choice-filter]").value.trim().toLowerCase();
    choicesOf(tools).forEach(function (row) {
      row.hidden = text !== "" && row.textContent.toLowerCase().indexOf(text) === -1;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-choice-all], [data-choice-none]");
    if (!button) return;
    var tools = button.closest("[data-choice-tools]");
    var tick = button.hasAttribute("data-choice-all");
    choicesOf(tools).forEach(function (row) {
      if (!row.hidden) row.querySelector("input").checked = tick;
    });
    countChoices(tools);
    refresh();
  });
  function checkFileSizes(input) {
    var max = Number(input.getAttribute("data-max-size"));
    var big = Array.prototype.filter.call(input.files || [], function (file) { return file.size > max; });
    var feedback = input.parentNode.querySelector("[data-file-feedback]");
    if (big.length) {
      feedback.textContent = input.getAttribute("data-too-large").split("{name}").join(big[0].name);
      input.value = "";
    }
    feedback.hidden = big.length === 0;
    input.classList.toggle("is-invalid", big.length > 0);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("input[type=file][data-max-size]")) checkFileSizes(event.target);
    var tools = event.target.closest("fieldset") && event.target.closest("fieldset").querySelector("[data-choice-tools]");
    if (tools) countChoices(tools);
    refresh();
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-choice-filter]")) filterChoices(event.target.closest("[data-choice-tools]"));
    refresh();
  });
  document.addEventListener("keydown", function (event) {  // Enter in the filter filters; it does not submit
    if (event.key === "Enter" && event.target.matches("[data-choice-filter]")) event.preventDefault();
  });

  function start() {
    document.querySelectorAll("[data-repeat]").forEach(updateAddButton);
    document.querySelectorAll("[data-choice-tools]").forEach(function (tools) { tools.hidden = false; });
    refresh();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
