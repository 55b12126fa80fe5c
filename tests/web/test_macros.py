"""The macros that show stored data on participants' pages: labels, choices, tables, folding."""
from __future__ import annotations

import re

from engine.labels import Labels

LABELS = Labels(fields={"log": "调研活动", "kind": "方式", "held_on": "日期", "topics": "内容"},
                choices={"kind": {"forum": "座谈会"}, "topics": {"law": "法治政府建设"}})


def render(app, macro: str, *args) -> str:
    with app.test_request_context():
        return str(getattr(app.jinja_env.get_template("_macros.html").module, macro)(*args))


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_a_repeating_group_is_a_table_with_titles_and_choice_names(app):
    html = render(app, "value", [{"held_on": "2026-10-11", "kind": "forum"}], 300, LABELS, 8, "log")
    assert "<table" in html and "<details" not in html
    assert plain(html) == "方式 日期 座谈会 2026-10-11"  # columns in form order, the choice by its title
    assert 'title="forum"' in html and 'title="kind"' in html  # the stored value and key on hover


def test_long_lists_fold_and_plain_lists_are_lists(app):
    rows = [{"kind": "forum"}] * 3
    folded = render(app, "value", rows, 300, LABELS, 2, "log")
    assert folded.startswith("<details>") and "共 3 项" in folded
    listed = render(app, "value", ["law", "other"], 300, LABELS, 8, "topics")
    assert "<ul" in listed and plain(listed) == "法治政府建设 other"


def test_without_labels_values_stay_as_stored(app):
    assert render(app, "value", {"kind": "forum"}, 300) == '<code>{&#34;kind&#34;: &#34;forum&#34;}</code>'
    assert render(app, "value", True, 300) == "true" and render(app, "value", True, 300, LABELS) == "是"
    assert plain(render(app, "changes", {"kind": "visit"}, {"kind": "forum"}, 300)) == \
        "字段 变更前 变更后 kind visit forum"
    assert plain(render(app, "changes", {"kind": "visit"}, {"kind": "forum"}, 300, LABELS)) == \
        "字段 变更前 变更后 方式 visit 座谈会"  # a value no choice names stays as stored


def test_keys_the_application_writes_have_names_too(app):
    html = render(app, "changes", None, {"assignee": "dept", "contact": "县人大常委会办公室", "zzz": 1}, 300, LABELS)
    assert 'title="assignee">办理人<' in html and 'title="contact">' in html
    assert "<code>zzz</code>" in html  # a key nobody names stays as it is


def test_a_summary_the_application_computed_reads_as_words(app):
    summary = {"total": 3, "by_rating": {"satisfied": 2, "dissatisfied": 1}, "by_item": {"法治政府建设": 3}}
    assert plain(render(app, "value", summary, 300, LABELS)) == \
        "合计 3 按评价 满意 2 不满意 1 按评议内容 法治政府建设 3"


def _entries(count: int, tampered_at: int | None = None) -> list:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    return [SimpleNamespace(tampered=n == tampered_at, actor_label="office", event=SimpleNamespace(
        seq=n, event_type="task_claimed", element_id=None, created_at=datetime(2026, 1, 1, tzinfo=UTC), reason=None,
        actor_id=None if n == 1 else 7,
        data_before=None, data_after={"assignee": "office"})) for n in range(1, count + 1)]


def test_a_long_history_shows_its_latest_events_first_and_the_rest_on_demand(app):
    html = render(app, "timeline", _entries(9), False, LABELS, 6)
    folded = html[html.index("<details"):html.index("</details>")]
    assert "更早的 3 条记录" in folded and folded.count("data-seq=") == 3
    assert html.count("data-seq=") == 9  # nothing is left out
    assert html.count("流程自动") == 1 and html.count("· office") == 8  # what no person did, said so
    assert "<details" not in render(app, "timeline", _entries(6), False, LABELS, 6)
    assert "<details" not in render(app, "timeline", _entries(9, tampered_at=2), False, LABELS, 6)  # never hidden


def test_a_file_field_says_how_many_files_not_their_ids(app):
    named = Labels(fields={"evidence": "附件"}, files=frozenset({"evidence"}))
    assert render(app, "value", ["1521e89ecf809bf4", "a0b1"], 300, named, 8, "evidence") == "2 个文件，见“附件”"
    assert "1521e89" in render(app, "value", ["1521e89ecf809bf4"], 300)  # auditors' pages: the ids as stored
