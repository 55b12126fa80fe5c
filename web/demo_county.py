"""The demo county for `pingyi demo`: 30 government departments with a contact user each, 7 committee
offices with a staff member each, 30 Standing Committee members, 200 deputies in 12 township
delegations, the observer units, and the term plan of the five years ending this year (six
departments a year), approved. Stored through the services (the importer's `store`, so a second run
changes nothing); generated people get no password."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import dates
from engine.models import TermPlan, User
from engine.services import org_import, term_plans, users

# code: (responsible leader, vice-chair's user name)
OFFICES = [("FZW", "法制工委", "王建华"), ("CJW", "财经工委", "刘志强"), ("JKW", "教科文卫工委", "陈晓梅"),
           ("NYW", "农业农村工委", "张国平"), ("CHW", "城建环资工委", "赵丽华"), ("SJW", "社会建设工委", "王建华"),
           ("DBW", "代表工委", "刘志强")]
VICE_MAYORS = {"FZW": "吴海涛", "CJW": "郑红梅", "JKW": "周立新", "NYW": "孙国华", "CHW": "钱志远",
               "SJW": "何晓东", "DBW": "何晓东"}
# code, name, short name (its group), office; D01 and D02 keep the groups of the older demo accounts
DEPARTMENTS = [
    ("D01", "县教育局", "教育局", "JKW"), ("D02", "县卫生健康委员会", "卫健局", "JKW"),
    ("D03", "县公安局", "公安局", "FZW"), ("D04", "县民政局", "民政局", "SJW"),
    ("D05", "县财政局", "财政局", "CJW"), ("D06", "县人力资源和社会保障局", "人社局", "SJW"),
    ("D07", "县自然资源和规划局", "自然资源局", "CHW"), ("D08", "县生态环境分局", "生态环境分局", "CHW"),
    ("D09", "县住房和城乡建设局", "住建局", "CHW"), ("D10", "县交通运输局", "交通运输局", "CHW"),
    ("D11", "县水利局", "水利局", "NYW"), ("D12", "县农业农村局", "农业农村局", "NYW"),
    ("D13", "县商务局", "商务局", "CJW"), ("D14", "县文化和广电旅游体育局", "文广旅体局", "JKW"),
    ("D15", "县应急管理局", "应急管理局", "FZW"), ("D16", "县审计局", "审计局", "CJW"),
    ("D17", "县市场监督管理局", "市场监管局", "CJW"), ("D18", "县医疗保障局", "医保局", "JKW"),
    ("D19", "县综合行政执法局", "综合执法局", "FZW"), ("D20", "县税务局", "税务局", "CJW"),
    ("D21", "县发展和改革局", "发改局", "CJW"), ("D22", "县经济和信息化局", "经信局", "CJW"),
    ("D23", "县司法局", "司法局", "FZW"), ("D24", "县退役军人事务局", "退役军人局", "SJW"),
    ("D25", "县统计局", "统计局", "CJW"), ("D26", "县林业局", "林业局", "NYW"),
    ("D27", "县信访局", "信访局", "FZW"), ("D28", "县数据资源管理局", "数据局", "CJW"),
    ("D29", "县科学技术局", "科技局", "JKW"), ("D30", "县粮食和物资储备局", "粮储局", "CJW"),
]
SUPERIORS = {"D08": "市生态环境局", "D20": "市税务局"}
DELEGATIONS = ["城关镇", "城东街道", "城西街道", "永昌镇", "游埠镇", "诸葛镇", "马涧镇", "香溪镇",
               "女埠街道", "梅江镇", "横溪镇", "黄店镇"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = ["建国", "秀英", "志强", "丽华", "国平", "晓梅", "海涛", "红梅", "立新", "文斌", "海燕", "静",
         "伟", "敏", "洋", "军", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞",
         "平", "刚", "桂英", "建华", "玉兰", "春燕", "小红", "建军", "晓东", "志远", "国华", "丽娟",
         "宏伟", "雪梅", "永强", "淑珍"]
OBSERVERS = [("O01", "县委组织部", "organisation"), ("O02", "县纪委县监委", "discipline"), ("O03", "县审计局", "audit")]
VICE_CHAIRS = ["王建华", "刘志强", "陈晓梅", "张国平", "赵丽华"]
# members and deputies who are also demo accounts (web/demo.py's PEOPLE)
KNOWN_MEMBERS = {"chair": "主任", "committee": "教科文卫工委主任", "member1": "委员", "member2": "委员",
                 "member3": "委员"}
KNOWN_DEPUTIES = ("deputy1", "deputy2")


def person_name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7 + i // len(SURNAMES)) % len(GIVEN)]


def rows(pairs) -> list[tuple[int, dict]]:
    return [(number, values) for number, values in enumerate(pairs, start=2)]


def load_county(session: Session, office: User, party: User) -> dict:
    """Create or bring up to date the demo county; returns what each import did."""
    done = {}
    done["office"] = org_import.store(session, "office", rows(
        {"code": code, "name": name, "group_name": name, "leader_name": leader} for code, name, leader in OFFICES),
        office)
    leaders = {code: leader for code, _, leader in OFFICES}
    done["department"] = org_import.store(session, "department", rows(
        {"code": code, "name": name, "short_name": short, "group_name": short, "office_code": office_code,
         "head_name": person_name(index + 300), "leader_name": leaders[office_code],
         "vice_mayor": VICE_MAYORS[office_code], "superior": SUPERIORS.get(code, "市" + name[1:])}
        for index, (code, name, short, office_code) in enumerate(DEPARTMENTS)), office)
    _contacts(session, office)
    _office_staff(session, office)
    done["observer"] = org_import.store(session, "observer", rows(
        {"code": code, "name": name, "kind": kind} for code, name, kind in OBSERVERS), office)
    names = {u.username: u.display_name for u in session.scalars(
        select(User).where(User.username.in_([*KNOWN_MEMBERS, *KNOWN_DEPUTIES])))}
    members = [{"username": username, "name": names.get(username, username), "title": title}
               for username, title in KNOWN_MEMBERS.items()]
    members += [{"username": f"member{i}", "name": VICE_CHAIRS[i - 4] if i < 9 else person_name(i),
                 "title": "副主任" if i < 9 else "委员"} for i in range(4, 29)]
    done["committee"] = org_import.store(session, "committee", rows(members), office, link_existing=True)
    deputies = [{"username": f"deputy{i}", "name": names.get(f"deputy{i}") or person_name(i + 100),
                 "delegation": DELEGATIONS[i % len(DELEGATIONS)] + "代表团"} for i in range(1, 201)]
    done["deputy"] = org_import.store(session, "deputy", rows(deputies), office, link_existing=True)
    _term_plan(session, party)
    return done


def _contacts(session: Session, office: User) -> None:
    """One contact user per department (D01 and D02 have the demo accounts dept_edu and dept_health)."""
    existing = set(session.scalars(select(User.username).where(User.username.like("contact_%"))))
    for index, (code, _name, short, _office) in enumerate(DEPARTMENTS[2:], start=2):
        username = f"contact_{code.lower()}"
        if username not in existing:
            users.create_user(session, username, f"{person_name(index + 500)}（{short}联络员）", office)
            users.add_to_group(session, username, short, office)


def _office_staff(session: Session, office: User) -> None:
    """A staff member in each committee office's group, who drafts its departments' evaluation opinions
    (教科文卫工委 has the demo account committee)."""
    existing = set(session.scalars(select(User.username).where(User.username.like("staff_%"))))
    for index, (code, name, _leader) in enumerate(OFFICES):
        username = f"staff_{code.lower()}"
        if code != "JKW" and username not in existing:
            users.create_user(session, username, f"{person_name(index + 600)}（{name}）", office)
            users.add_to_group(session, username, name, office)


def term_start() -> int:
    """The demo's term ends this year, so this year's evaluation holds 教育局 and 卫健委."""
    return dates.today().year - 4


def _term_plan(session: Session, party: User) -> None:
    start = term_start()
    if session.scalar(select(TermPlan.id).where(TermPlan.term_start == start, TermPlan.status == "approved")):
        return
    order = DEPARTMENTS[6:] + DEPARTMENTS[:6]  # the current year holds 教育局 and 卫健委 of the demo
    years = [start + index // 6 for index in range(len(order))]
    plan_rows = [{"department_code": code, "year": year, "deadline": f"{year}-10-31"}
                 for (code, *_rest), year in zip(order, years, strict=True)]
    term_plans.save_plan(session, term_start=start, rows=plan_rows, status="approved", actor=party,
                         comments="经常委会党组会议研究同意。")
