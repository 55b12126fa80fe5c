"""The evaluation opinions letter (评议意见书) of the step that issues the opinions: laid out as the
office signs and sends it, with the duties dated from the day of issue; only for that step, only for
those who may see it."""
from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from engine import clock
from engine.models import HumanTask
from engine.services import instances
from tests.model_steps import beijing, deploy_models, do, step
from tests.web.conftest import PASSWORD, text


@pytest.fixture
def rectification(session, admin, make_user):
    deploy_models(session, admin)
    office = make_user("office", groups=["评议办"], password=PASSWORD)
    council, jkww = make_user("council", groups=["主任会议"]), make_user("jkww", groups=["教科文卫工委"])
    make_user("outsider", password=PASSWORD)
    clock.set_now(beijing(2023, 10, 20))
    instance = instances.start_instance(session, "department_rectification", office, {
        "rectify_unit": {"code": "D01", "name": "县教育局", "group": "教育局", "office_group": "教科文卫工委"},
        "findings": {}, "results": {"D01": {"grade": "基本满意"}}, "year": 2023, "max_rounds": 2,
        "publicity": {"organ": "兰溪市人大常委会", "office": "兰溪市人大常委会评议办"},
        "timetable": {"start": "2023-04-01", "meeting": "2023-09-26", "end": "2023-10-31"}},
        title="县教育局整改", business_key="2023-D01")
    do(session, instance, "draft_opinions", {"opinions": [
        {"problem": "执法不够规范", "target": "年底前完成培训", "deadline": "2023-12-20"},
        {"problem": "政务公开不及时", "target": "建立公开台账"}]}, jkww)
    do(session, instance, "approve_opinions", {"approved": True}, council)
    session.commit()
    return instance


def letter_text(response) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)


def test_the_letter_before_and_after_the_day_of_issue(client, login, session, rectification):
    issue = step(session, rectification, "issue_opinions").id
    session.commit()  # plain ids from here: touching an expired object would take SQLite's write lock
    login("office")
    assert 'id="task-letter"' in text(client.get(f"/tasks/{issue}"))
    draft = letter_text(client.get(f"/tasks/{issue}/letter.docx"))
    assert draft.startswith("兰溪市人大常委会关于县教育局工作的评议意见\n（尚未登记交办日期）\n县教育局：")
    assert "一、执法不够规范" in draft and "整改时限：2023年12月20日前" in draft and "二、政务公开不及时" in draft
    assert "自交办之日起一个月内" in draft

    assert client.post(f"/tasks/{issue}", data={"issued_on": "2023-10-31"}).status_code == 302
    issued = letter_text(client.get(f"/tasks/{issue}/letter.docx"))
    assert "尚未登记" not in issued
    assert "于2023年11月30日前向兰溪市人大常委会报送整改方案，于2023年12月31日前报送整改情况报告" in issued
    assert issued.endswith("兰溪市人大常委会\n2023年10月31日")


def test_only_the_issuing_step_has_a_letter_and_only_for_those_who_see_it(client, login, session, rectification):
    issue = step(session, rectification, "issue_opinions").id
    instance_id = rectification.id
    session.commit()
    login("outsider")
    assert client.get(f"/tasks/{issue}/letter.docx").status_code == 403
    client.post("/logout")
    login("office")
    approval = session.scalar(select(HumanTask.id).where(HumanTask.instance_id == instance_id,
                                                         HumanTask.element_id == "approve_opinions"))
    session.commit()
    assert client.get(f"/tasks/{approval}/letter.docx").status_code == 404
    assert 'id="task-letter"' not in text(client.get(f"/tasks/{approval}"))
