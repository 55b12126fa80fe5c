"""What changed between versions: elements added, removed and changed (the diff on the BPMN XML),
and the version list administrators see (who deployed, instances per version)."""
from __future__ import annotations

import pytest

from engine import versions
from engine.errors import PermissionDenied
from engine.services import instances, processes
from engine.services import versions as version_service
from tests.conftest import DATA, ROOT, bundle

PLAN = (DATA / "inbox" / "plan.bpmn").read_text()
APPROVAL = (DATA / "approval" / "approval.bpmn").read_text()


def changes(diff) -> dict[str, tuple]:
    return {c.new.id: c.aspects for c in diff.changed}


def test_identical_models_have_no_differences():
    assert versions.diff([PLAN], [PLAN]).is_empty


def test_layout_and_formatting_do_not_count():
    moved = PLAN.replace('<dc:Bounds x="335" y="295"', '<dc:Bounds x="300" y="280"').replace("/>", " />")
    assert versions.diff([PLAN], [moved]).is_empty
    explicit = PLAN.replace('<bpmn:userTask id="confirm"', '<bpmn:userTask id="confirm" startQuantity="1"')
    assert versions.diff([PLAN], [explicit]).is_empty  # a default written out is the same


def test_added_removed_and_renamed_elements():
    new = PLAN.replace('name="确认整改方案"', 'name="确认方案"').replace(
        '<bpmn:sequenceFlow id="f3" sourceRef="confirm" targetRef="end"/>',
        '<bpmn:sequenceFlow id="f3b" sourceRef="confirm" targetRef="end"/>')
    diff = versions.diff([PLAN], [new])
    assert [(e.id, e.type) for e in diff.added] == [("f3b", "sequenceFlow")]
    assert [(e.id, e.type) for e in diff.removed] == [("f3", "sequenceFlow")]
    [renamed] = diff.changed
    assert (renamed.new.id, renamed.old.name, renamed.new.name, renamed.aspects) == \
        ("confirm", "确认整改方案", "确认方案", ("name",))


@pytest.mark.parametrize(("old", "new", "element", "aspect"), [
    ('value="add_months(issued_on, 1)"', 'value="add_months(issued_on, 2)"', "write_plan", "properties"),
    ('value="plan-uischema.json"', 'value="confirm-schema.json"', "write_plan", "form"),
    ("请针对{{ department }}", "请根据{{ department }}", "write_plan", "instructions"),
    ('<bpmn:flowNodeRef>confirm</bpmn:flowNodeRef>', '', "confirm", "lane"),
    ('targetRef="confirm"/>', 'targetRef="end"/>', "f2", "flow"),
])
def test_each_aspect_of_an_element_is_compared(old, new, element, aspect):
    assert old in PLAN
    assert aspect in changes(versions.diff([PLAN], [PLAN.replace(old, new, 1)]))[element]


def test_scripts_conditions_and_documentation():
    new = APPROVAL.replace("published = True", "published = 1").replace("approved == True", "approved") \
        .replace("The drafter writes the plan.", "The drafter writes it.")
    found = changes(versions.diff([APPROVAL], [new]))
    assert found == {"publish": ("script",), "f_ok": ("condition",), "draft": ("documentation",)}


def test_timers_multi_instance_and_service_calls_are_compared():
    year = (ROOT / "processes" / "evaluation_year.bpmn").read_text()
    new = year.replace("<bpmn:loopDataInputRef>followup</bpmn:loopDataInputRef>",
                       "<bpmn:loopDataInputRef>followup_units</bpmn:loopDataInputRef>", 1)
    new = new.replace('spiffworkflow:serviceTaskOperator id="org.people" resultVariable="deputy_list"',
                      'spiffworkflow:serviceTaskOperator id="org.people" resultVariable="deputies"', 1)
    found = changes(versions.diff([year], [new]))
    assert found == {"followups": ("multi-instance",), "load_deputies": ("service",)}
    timers = (DATA / "timers" / "timers.bpmn").read_text()
    later = timers.replace(">remind_at<", ">plan_due<")
    assert changes(versions.diff([timers], [later])) == {"remind": ("timer",)}


def test_a_changed_form_file_changes_the_tasks_that_use_it():
    old_forms = {"plan-schema.json": {"type": "object"}, "plan-uischema.json": {}, "confirm-schema.json": {}}
    new_forms = {**old_forms, "plan-schema.json": {"type": "object", "properties": {"a": {"type": "string"}}}}
    diff = versions.diff([PLAN], [PLAN], old_forms, new_forms)
    assert changes(diff) == {"write_plan": ("form",)}


def test_elements_of_called_processes_are_keyed_by_their_process():
    parent, child = (DATA / "call" / "parent.bpmn").read_text(), (DATA / "call" / "child.bpmn").read_text()
    diff = versions.diff([parent, child], [parent, child.replace('name="审定签发"', 'name="签发"')])
    assert [(c.new.process, c.new.id) for c in diff.changed] == [("sign_off", "sign")]


def test_the_version_list_counts_instances_and_names_deployers(session, admin, make_user):
    files = bundle("approval")
    processes.deploy(session, files, None)
    instances.start_instance(session, "approval", admin, {"unit": "教育局"})
    files["approval/approval.bpmn"] = APPROVAL.replace("审核方案", "审核整改方案").encode()
    processes.deploy(session, files, admin)
    instances.start_instance(session, "approval", admin, {"unit": "卫健局"})
    done = instances.start_instance(session, "approval", admin, {"unit": "财政局"})
    instances.terminate(session, done.id, admin, "test")

    [info] = version_service.overview(session, admin, "approval")

    assert [v.version.version for v in info.versions] == [2, 1]
    v2, v1 = info.versions
    assert (v2.deployed_by, v1.deployed_by) == ("Admin", None)
    assert (v1.open, v2.open, v2.ended, v2.completed) == (1, 1, 1, 0)
    assert v1.diff is None and changes(v2.diff) == {"review": ("name",)}
    with pytest.raises(PermissionDenied):
        version_service.overview(session, make_user("clerk"))


def test_a_renamed_message_and_a_renamed_multi_instance_item_are_changes():
    """Messages are declared outside the process and matched by name; a multi-instance item is the
    variable its id names. Both change what runs, so both show as changes of the elements using them."""
    text = (DATA / "message" / "message.bpmn").read_text()
    renamed = text.replace('name="plan_submitted"', 'name="plan_sent"')
    found = changes(versions.diff([text], [renamed]))
    assert found and set(found.values()) == {("event",)}

    mi = (DATA / "mi_timer" / "mi_timer.bpmn").read_text()
    item = mi.replace('<bpmn:inputDataItem id="deputy" name="deputy"/>',
                      '<bpmn:inputDataItem id="member" name="deputy"/>')
    assert list(changes(versions.diff([mi], [item]))) == ["opinion"]


GRADE = (DATA / "dmn" / "grade.dmn").read_text()


def test_decision_tables_are_compared_rule_by_rule():
    stricter = GRADE.replace("&gt;= 0.9", "&gt;= 0.95").replace(
        '<rule id="r3">', '<rule id="r2b"><inputEntry id="r2b_in"><text>&gt;= 0.5</text></inputEntry>'
        '<outputEntry id="r2b_out"><text>"基本满意"</text></outputEntry></rule><rule id="r3">')
    diff = versions.diff([], [], old_dmn={"grade.dmn": GRADE}, new_dmn={"grade.dmn": stricter})
    [added] = diff.added
    assert (added.process, added.id, added.type) == ("grade.dmn", "r2b", "rule")
    assert added.name == '满意率 >= 0.5 → "基本满意"'
    [changed] = diff.changed
    assert (changed.new.id, changed.aspects) == ("r1", ("when",))
    assert (changed.old.name, changed.new.name) == ('满意率 >= 0.9 → "满意"', '满意率 >= 0.95 → "满意"')
    assert diff.removed == []
    policy = GRADE.replace('hitPolicy="FIRST"', 'hitPolicy="UNIQUE"').replace('label="满意率"', 'label="满意度"')
    assert changes(versions.diff([], [], old_dmn={"g.dmn": GRADE}, new_dmn={"g.dmn": policy})) == {
        "grade_decision": ("hit policy", "table inputs")}  # the rules read the same


def test_a_deployed_decision_change_shows_in_the_version_list(session, admin):
    files = bundle("dmn")
    processes.deploy(session, files, None)
    files["dmn/grade.dmn"] = GRADE.replace('"不满意"', '"不合格"').encode()
    processes.deploy(session, files, admin)
    [info] = version_service.overview(session, admin, "graded")
    assert changes(info.versions[0].diff) == {"r3": ("then",)}
