"""Counting rules for ballots: presets, validation, the rule in words, the tally, and when a round is void.

A rule set is data (JSON), so an administrator can edit it:

    options           [{code, label, valid, score}]   valid=False: not counted (e.g. 不了解)
    rate_denominator  "valid" | "all_ballots" | "present" | "all_members"
    grade             {"method": "majority", "denominator": ..., "half": "fails" | "passes",
                       "levels": [{"grade": "满意", "options": [...], "share": 0.5}, ...],
                       "otherwise": "不满意"}
                      {"method": "score_bands", "bands": [[85, "满意"], [60, "基本满意"]],
                       "otherwise": "不满意"}
    groups            {"mode": "pooled" | "weighted", "weights": {"committee": 1, "deputy": 1}}
    quorum            "majority" (more than half of the Standing Committee's members present) | "none"; optional

Presets follow research/domain-research.md §6.4 (A, B, D, F) and DOMAIN.md's default.
"""
from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from engine.errors import InvalidInput

SATISFIED, BASIC, DISSATISFIED, ABSTAIN, UNKNOWN = "satisfied", "basic", "dissatisfied", "abstain", "unknown"
INVALID = "invalid"  # a blank or spoiled ballot
GROUP_NAMES = {"committee": "常委会组成人员", "deputy": "人大代表"}

THREE = [
    {"code": SATISFIED, "label": "满意", "valid": True, "score": 100},
    {"code": BASIC, "label": "基本满意", "valid": True, "score": 70},
    {"code": DISSATISFIED, "label": "不满意", "valid": True, "score": 30},
]
MAJORITY_LEVELS = [
    {"grade": "满意", "options": [SATISFIED], "share": 0.5},
    {"grade": "基本满意", "options": [SATISFIED, BASIC], "share": 0.5},
]
POOLED = {"mode": "pooled", "weights": {}}

PRESETS: dict[str, dict] = {
    "default": {
        "name": "默认：有效票计满意率，按分值计综合得分，按全体组成人员过半数定等次",
        "options": deepcopy(THREE),
        "rate_denominator": "valid",
        "grade": {"method": "majority", "denominator": "all_members", "half": "fails",
                  "levels": MAJORITY_LEVELS, "otherwise": "不满意"},
        "groups": POOLED,
        "quorum": "majority",
    },
    "A": {
        "name": "A：以全体组成人员过半数定等次（三档，半数计为不满意）",
        "options": deepcopy(THREE),
        "rate_denominator": "all_members",
        "grade": {"method": "majority", "denominator": "all_members", "half": "fails",
                  "levels": MAJORITY_LEVELS, "otherwise": "不满意"},
        "groups": POOLED,
        "quorum": "majority",
    },
    "B": {
        "name": "B：满意票超过全体组成人员半数为满意，否则不满意（两档）",
        "options": [{"code": SATISFIED, "label": "满意", "valid": True, "score": 100},
                    {"code": DISSATISFIED, "label": "不满意", "valid": True, "score": 0}],
        "rate_denominator": "all_members",
        "grade": {"method": "majority", "denominator": "all_members", "half": "fails",
                  "levels": [{"grade": "满意", "options": [SATISFIED], "share": 0.5}], "otherwise": "不满意"},
        "groups": POOLED,
    },
    "D": {
        "name": "D：各项比率以全部票数（含弃权）为分母",
        "options": deepcopy(THREE) + [{"code": ABSTAIN, "label": "弃权", "valid": True, "score": None}],
        "rate_denominator": "all_ballots",
        "grade": {"method": "majority", "denominator": "all_ballots", "half": "fails",
                  "levels": MAJORITY_LEVELS, "otherwise": "不满意"},
        "groups": POOLED,
    },
    "F": {
        "name": "F：满意100、基本满意70、不满意30，不了解不计，按有效票平均分排名",
        "options": deepcopy(THREE) + [{"code": UNKNOWN, "label": "不了解", "valid": False, "score": None}],
        "rate_denominator": "valid",
        "grade": {"method": "score_bands", "bands": [[85, "满意"], [60, "基本满意"]], "otherwise": "不满意"},
        "groups": POOLED,
    },
}

# the quorum (法定人数) is over the Standing Committee's members (组成人员), never the deputies who vote with them
QUORUMS = {"none": "", "majority": "出席的常委会组成人员须超过全体常委会组成人员的半数（法定人数），否则表决无效。"}
QUORUM_ALL_VOTERS = "出席人数须超过全体应参加表决人数的半数，否则表决无效。"  # a vote with no committee members
QUORUM_NOT_DEPUTIES = "参加表决的代表不计入法定人数。"
DENOMINATORS = {"valid": "有效票数", "all_ballots": "全部票数（含弃权和无效票）", "present": "出席人数",
                "all_members": "全体应参加表决人数"}
ALL_MEMBERS_WITH_DEPUTIES = "全体应参加表决人数（全体常委会组成人员加参加表决的代表）"


def _number(value, low: float = -1e6, high: float = 1e6) -> bool:
    """A finite number within bounds (not a boolean, not NaN or infinity)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip()) and len(value) <= 64


def _options_problem(options) -> str | None:
    if not isinstance(options, list) or not options or not all(isinstance(o, dict) for o in options):
        return "at least one option"
    codes = [o.get("code") for o in options]
    if not all(isinstance(c, str) and c for c in codes) or len(set(codes)) != len(codes) or INVALID in codes:
        return "each option needs a unique code (text)"
    if not all(_text(o.get("label")) for o in options):
        return "each option needs a label (text)"
    if not all(isinstance(o.get("valid", True), bool) for o in options):
        return "valid is true or false"
    if not all(o.get("score") is None or _number(o["score"]) for o in options):
        return "scores are numbers"
    return None


def _grade_problem(grade, known: set) -> str | None:
    if not isinstance(grade, dict) or grade.get("method") not in ("majority", "score_bands"):
        return "method is majority or score_bands"
    if not _text(grade.get("otherwise")):
        return "otherwise names the grade when no level is reached"
    if grade["method"] == "score_bands":
        bands = grade.get("bands")
        if not isinstance(bands, list) or not all(
                isinstance(b, list) and len(b) == 2 and _number(b[0]) and _text(b[1]) for b in bands):
            return "bands are [minimum score, grade] pairs"
        return None
    if grade.get("denominator") not in DENOMINATORS or grade.get("half") not in ("fails", "passes"):
        return "majority needs a denominator and what exactly half means"
    levels = grade.get("levels")
    if not isinstance(levels, list) or not all(
            isinstance(level, dict) and _text(level.get("grade")) and _number(level.get("share", 0.5), 0, 1)
            and isinstance(level.get("options"), list) and level["options"]
            and all(isinstance(code, str) and code in known for code in level["options"]) for level in levels):
        return "levels name a grade, known options and a share between 0 and 1"
    return None


def _groups_problem(groups) -> str | None:
    if not isinstance(groups, dict) or groups.get("mode") not in ("pooled", "weighted"):
        return "mode is pooled or weighted"
    weights = groups.get("weights")
    if groups["mode"] == "weighted" and not (
            isinstance(weights, dict) and weights and set(weights) <= set(GROUP_NAMES)
            and all(_number(w, 0) for w in weights.values()) and any(w > 0 for w in weights.values())):
        return "weighted needs a weight (>= 0, one above 0) per voter group"
    return None


def check(definition: dict) -> dict:
    """A rule set that can be counted, or InvalidInput naming what is wrong."""
    options = definition.get("options")
    known = {o.get("code") for o in options if isinstance(o, dict)} if isinstance(options, list) else set()
    problems = {
        "options": _options_problem(options),
        "rate_denominator": None if definition.get("rate_denominator") in DENOMINATORS
        else "one of " + ", ".join(DENOMINATORS),
        "grade": _grade_problem(definition.get("grade"), known),
        "groups": _groups_problem(definition.get("groups") or {}),
        "quorum": None if definition.get("quorum", "none") in QUORUMS else "one of " + ", ".join(QUORUMS),
    }
    errors = {field: problem for field, problem in problems.items() if problem}
    if errors:
        raise InvalidInput("The rule set is incomplete.", errors=errors)
    return definition


def _denominator(code: str, groups) -> str:
    return ALL_MEMBERS_WITH_DEPUTIES if code == "all_members" and "deputy" in groups else DENOMINATORS[code]


def _quorum(definition: dict, groups) -> str:
    if definition.get("quorum", "none") == "none":
        return ""
    if "committee" not in groups:
        return QUORUM_ALL_VOTERS
    return QUORUMS["majority"] + (QUORUM_NOT_DEPUTIES if "deputy" in groups else "")


def describe(definition: dict, groups=("committee",)) -> str:
    """The rule in words (Chinese), printed on the result sheet. `groups`: the voter groups of the
    ballot, so that the text names what is counted (with deputies, the majority base includes them;
    the quorum never does)."""
    options = definition["options"]
    parts = ["表决选项：" + "、".join(o["label"] for o in options) + "。"]
    invalid = [o["label"] for o in options if not o.get("valid", True)]
    if invalid:
        parts.append("、".join(invalid) + "不计入有效票。")
    parts.append("空白票或多选票为无效票。")
    parts.append(f"各项比率以{_denominator(definition['rate_denominator'], groups)}为分母"
                 + ("（不计入有效票的选项以全部选票为分母）。" if invalid and definition["rate_denominator"] == "valid"
                    else "。"))
    scored = [o for o in options if o.get("score") is not None and o.get("valid", True)]
    if scored:
        parts.append("综合得分为有效票的平均分（" + "、".join(f"{o['label']}{o['score']:g}分" for o in scored) + "）。")
    grade = definition["grade"]
    if grade["method"] == "majority":
        base = _denominator(grade["denominator"], groups)
        rel = "超过半数" if grade["half"] == "fails" else "达到半数（含半数）"
        for level in grade["levels"]:
            names = "与".join(o["label"] for o in options if o["code"] in level["options"])
            parts.append(f"{names}票{rel}（以{base}计）为“{level['grade']}”；")
        tail = "，恰好半数计为" + f"“{grade['otherwise']}”" if grade["half"] == "fails" else ""
        parts.append(f"否则为“{grade['otherwise']}”{tail}。")
    else:
        bands = "；".join(f"{b[0]:g}分及以上为“{b[1]}”" for b in grade["bands"])
        parts.append(f"按综合得分定等次：{bands}；其余为“{grade['otherwise']}”。")
    pooling = definition.get("groups") or POOLED
    if pooling["mode"] == "weighted":
        weights = "、".join(f"{GROUP_NAMES.get(g, g)}{w:g}" for g, w in pooling["weights"].items())
        parts.append(f"各类表决人员分别计票，综合得分按权重合成（{weights}）。")
    else:
        parts.append("各类表决人员的票合并计算，并分别列示。")
    parts.append(_quorum(definition, groups))
    return "".join(parts)


def _round(value: float, places: int = 4) -> float:
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _share(votes: int, base: int) -> float:
    return _round(votes / base) if base else 0.0


def _summarise(counts: dict[str, int], options: list[dict], members: int, present: int,
               rate_denominator: str) -> dict:
    valid_codes = [o["code"] for o in options if o.get("valid", True)]
    valid = sum(counts.get(c, 0) for c in valid_codes)
    all_ballots = sum(counts.values())
    bases = {"valid": valid, "all_ballots": all_ballots, "present": present, "all_members": members}
    base = bases[rate_denominator]
    scored = [(o["score"], counts.get(o["code"], 0)) for o in options
              if o.get("valid", True) and o.get("score") is not None]
    scored_votes = sum(n for _, n in scored)
    return {
        "counts": {o["code"]: counts.get(o["code"], 0) for o in options} | {INVALID: counts.get(INVALID, 0)},
        "valid": valid, "invalid": all_ballots - valid, "ballots": all_ballots,
        # an option that is no valid ballot (弃权, 不了解) is not a share of the valid ones: of all ballots
        "rates": {o["code"]: _share(counts.get(o["code"], 0),
                                    all_ballots if rate_denominator == "valid" and not o.get("valid", True) else base)
                  for o in options},
        # 满意 + 基本满意, the rate most reports quote
        "combined_rate": _round((counts.get(SATISFIED, 0) + counts.get(BASIC, 0)) / base) if base else 0.0,
        "score": _round(sum(s * n for s, n in scored) / scored_votes, 2) if scored_votes else None,
        "bases": bases,
    }


def _grade(definition: dict, pooled: dict, score: float | None) -> str:
    grade = definition["grade"]
    if grade["method"] == "score_bands":
        for minimum, name in sorted(grade["bands"], key=lambda b: -b[0]):
            if score is not None and score >= minimum:
                return name
        return grade["otherwise"]
    base = pooled["bases"][grade["denominator"]]
    for level in grade["levels"]:
        votes = sum(pooled["counts"].get(code, 0) for code in level["options"])
        share = level.get("share", 0.5)
        if base and (votes > share * base if grade["half"] == "fails" else votes >= share * base):
            return level["grade"]
    return grade["otherwise"]


def quorum_met(definition: dict, members: int, present: int) -> bool:
    """`members`: all the Standing Committee's members; `present`: those of them present."""
    return definition.get("quorum", "none") == "none" or present * 2 > members


def tally(definition: dict, counts_by_group: dict[str, dict[str, int]], *, members: int,
          present: int | None = None, groups=None, committee: dict | None = None) -> dict:
    """Count a ballot: per voter group and pooled (or weighted), rates, score, grade, the rule text.

    `counts_by_group` maps a voter group to {option code or "invalid": number of ballots}. `members`:
    everyone entitled to vote (the base of "all members" rules); `present`: the ballots returned, unless
    counted otherwise. `groups`: the ballot's voter groups (default: those with ballots); `committee`:
    {"members", "present"} of the Standing Committee, the quorum's count, shown on the result sheet.
    """
    options = definition["options"]
    voter_groups = tuple(groups if groups is not None else counts_by_group) or ("committee",)
    codes = {o["code"] for o in options} | {INVALID}
    for group, counts in counts_by_group.items():
        unknown = set(counts) - codes
        if unknown:
            raise InvalidInput(f"Unknown options for {group}: {', '.join(sorted(unknown))}.")
    pooled_counts: dict[str, int] = {}
    for counts in counts_by_group.values():
        for code, n in counts.items():
            pooled_counts[code] = pooled_counts.get(code, 0) + n
    returned = sum(pooled_counts.values())
    present = present if present is not None else returned
    groups = {g: _summarise(c, options, members, present, definition["rate_denominator"])
              for g, c in sorted(counts_by_group.items())}
    pooled = _summarise(pooled_counts, options, members, present, definition["rate_denominator"])
    score = pooled["score"]
    mode = (definition.get("groups") or POOLED)["mode"]
    if mode == "weighted":
        weights = definition["groups"]["weights"]
        weighted = [(weights.get(g, 0), s["score"]) for g, s in groups.items() if s["score"] is not None]
        total = sum(w for w, _ in weighted)
        score = _round(sum(w * s for w, s in weighted) / total, 2) if total else None
    return {
        "groups": groups, "pooled": pooled, "score": score, "grade": _grade(definition, pooled, score),
        "members": members, "present": present, "committee": committee,
        "rule": describe(definition, voter_groups),
        "options": [{"code": o["code"], "label": o["label"]} for o in options],
    }


@dataclass(frozen=True)
class Counted:
    """What a vote counted: the ballots by voter group (phone and paper) and the numbers it stands on."""
    counts: dict[str, dict[str, int]]
    voters: dict[str, int]       # eligible voters by group
    issued: int | None           # paper ballots
    returned: int
    members: int                 # all the Standing Committee's members: the quorum's base

    def ballots(self, group: str | None = None) -> int:
        return sum(sum(c.values()) for g, c in self.counts.items() if group in (None, g))

    @property
    def quorum_group(self) -> str | None:
        """The quorum counts the Standing Committee members; a vote with none of them counts every voter."""
        return "committee" if self.voters.get("committee") else None

    @property
    def entitled(self) -> int:
        """Everyone entitled to vote (the base of "all members" rules): the committee and the other groups."""
        if self.quorum_group is None:
            return self.members
        return self.members + sum(n for g, n in self.voters.items() if g != "committee")


def void_cause(definition: dict, counted: Counted) -> dict | None:
    """Why the round is void, or None. Checked in this order: more paper ballots returned than issued;
    more ballots than voters (in all, then in a voter group); no quorum of the Standing Committee."""
    if counted.issued is not None and counted.returned > counted.issued:
        return {"code": "returned_over_issued", "returned": counted.returned, "issued": counted.issued}
    for group in (None, *sorted(counted.counts)):
        voters = counted.voters.get(group, 0) if group else sum(counted.voters.values())
        if counted.ballots(group) > voters:
            return {"code": "over_voters", "group": group, "ballots": counted.ballots(group), "voters": voters}
    present = counted.ballots(counted.quorum_group)
    if not quorum_met(definition, counted.members, present):
        return {"code": "no_quorum", "group": counted.quorum_group, "present": present, "members": counted.members}
    return None


def void_reason_zh(cause: dict) -> str:
    """The cause in the words of the result sheet (Chinese, like `describe`): what the process that
    asked for the vote receives, and may show or publish."""
    if cause["code"] == "returned_over_issued":
        return f"收回纸质选票{cause['returned']}张，多于发出的{cause['issued']}张，本轮表决无效。"
    if cause["code"] == "over_voters":
        among = GROUP_NAMES.get(cause["group"], cause["group"]) if cause["group"] else "应参加表决的"
        return f"选票合计{cause['ballots']}张，多于{among}人数（{cause['voters']}人），本轮表决无效。"
    if cause["group"]:
        return (f"不足法定人数：常委会组成人员{cause['members']}人，出席{cause['present']}人，未超过半数，"
                "本轮表决无效。")
    return f"不足法定人数：应到{cause['members']}人，实到{cause['present']}人，未超过半数，本轮表决无效。"


def void_reason(cause: dict) -> str:
    """The cause in the audit's words (the web says it in the user's language)."""
    if cause["code"] == "returned_over_issued":
        return f"more paper ballots returned ({cause['returned']}) than issued ({cause['issued']})"
    if cause["code"] == "over_voters":
        among = f" among {cause['group']}" if cause["group"] else ""
        return f"more ballots ({cause['ballots']}) than voters ({cause['voters']}){among}"
    who = "committee members" if cause["group"] else "voters"
    return f"no quorum: {cause['present']} of {cause['members']} {who} present"
