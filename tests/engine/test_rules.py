"""Counting rules: every preset on hand-computed examples, exactly half, weights, the rule text."""
from __future__ import annotations

from copy import deepcopy

import pytest

from engine import rules
from engine.errors import InvalidInput


def preset(code: str) -> dict:
    return deepcopy(rules.PRESETS[code])


def test_default_rates_over_valid_ballots_score_f_grade_by_all_members():
    # 10 members; 5 satisfied, 3 basic, 1 dissatisfied, 1 blank (invalid)
    result = rules.tally(preset("default"), {"committee": {"satisfied": 5, "basic": 3, "dissatisfied": 1,
                                                            "invalid": 1}}, members=10)
    pooled = result["pooled"]
    assert (pooled["valid"], pooled["invalid"], pooled["ballots"]) == (9, 1, 10)
    assert pooled["rates"] == {"satisfied": 0.5556, "basic": 0.3333, "dissatisfied": 0.1111}
    assert pooled["combined_rate"] == 0.8889
    assert result["score"] == 82.22  # (5×100 + 3×70 + 1×30) / 9 = 740 / 9
    # satisfied is exactly half of all members: not more than half, so not 满意
    assert result["grade"] == "基本满意"


def test_exactly_half_counted_as_passing_when_the_rule_says_so():
    definition = preset("default")
    definition["grade"]["half"] = "passes"
    result = rules.tally(definition, {"committee": {"satisfied": 5, "basic": 3, "dissatisfied": 2}}, members=10)
    assert result["grade"] == "满意"
    assert "达到半数（含半数）" in result["rule"]


def test_preset_a_rates_over_all_members_and_half_is_dissatisfied():
    counts = {"committee": {"satisfied": 2, "basic": 3, "dissatisfied": 4}}
    result = rules.tally(preset("A"), counts, members=10, present=9)
    assert result["pooled"]["rates"] == {"satisfied": 0.2, "basic": 0.3, "dissatisfied": 0.4}
    # satisfied + basic = 5 of 10 members: exactly half counts as dissatisfied
    assert result["grade"] == "不满意"
    result = rules.tally(preset("A"), {"committee": {"satisfied": 2, "basic": 4, "dissatisfied": 3}}, members=10)
    assert result["grade"] == "基本满意"
    result = rules.tally(preset("A"), {"committee": {"satisfied": 6, "basic": 1, "dissatisfied": 2}}, members=10)
    assert result["grade"] == "满意"
    assert "恰好半数计为“不满意”" in rules.describe(preset("A"))


def test_preset_a_abstaining_members_still_count_in_the_denominator():
    # 29 members, only 20 vote: 12 satisfied is more than half of those voting but not of all members
    result = rules.tally(preset("A"), {"committee": {"satisfied": 12, "basic": 3, "dissatisfied": 5}}, members=29)
    assert result["grade"] == "基本满意"  # 12 ≤ 14.5; 15 > 14.5


def test_preset_b_two_grades():
    assert rules.tally(preset("B"), {"committee": {"satisfied": 4, "dissatisfied": 3, "invalid": 1}},
                       members=8)["grade"] == "不满意"  # 4 of 8 is exactly half
    result = rules.tally(preset("B"), {"committee": {"satisfied": 5, "dissatisfied": 3}}, members=8)
    assert result["grade"] == "满意"
    assert result["pooled"]["rates"] == {"satisfied": 0.625, "dissatisfied": 0.375}
    assert result["score"] == 62.5  # 5×100 + 3×0 over 8


def test_preset_d_rates_over_all_ballots_with_abstentions():
    counts = {"committee": {"satisfied": 6, "basic": 3, "dissatisfied": 1, "abstain": 2}}
    result = rules.tally(preset("D"), counts, members=20)
    pooled = result["pooled"]
    assert pooled["ballots"] == 12
    assert pooled["rates"] == {"satisfied": 0.5, "basic": 0.25, "dissatisfied": 0.0833, "abstain": 0.1667}
    # grade over all ballots: satisfied 6 of 12 is exactly half, satisfied + basic 9 > 6
    assert result["grade"] == "基本满意"
    assert result["score"] == 84.0  # abstentions score nothing: (600 + 210 + 30) / 10 scored votes
    assert pooled["counts"]["abstain"] == 2


def test_preset_f_score_ignores_unknown_and_grades_by_band():
    counts = {"committee": {"satisfied": 6, "basic": 2, "dissatisfied": 1, "unknown": 3}}
    result = rules.tally(preset("F"), counts, members=15)
    pooled = result["pooled"]
    assert (pooled["valid"], pooled["invalid"]) == (9, 3)
    assert result["score"] == 85.56  # (600 + 140 + 30) / 9 = 85.555…
    assert result["grade"] == "满意"  # ≥ 85
    result = rules.tally(preset("F"), {"committee": {"satisfied": 1, "basic": 1, "dissatisfied": 1}}, members=3)
    assert result["score"] == 66.67 and result["grade"] == "基本满意"
    result = rules.tally(preset("F"), {"committee": {"dissatisfied": 2, "basic": 1}}, members=3)
    assert result["score"] == 43.33 and result["grade"] == "不满意"
    assert "不了解不计入有效票" in result["rule"]


def test_an_option_that_is_no_valid_ballot_is_a_share_of_all_ballots_not_of_the_valid_ones():
    counts = {"committee": {"satisfied": 6, "basic": 2, "dissatisfied": 1, "unknown": 3}}
    result = rules.tally(preset("F"), counts, members=15)
    rates = result["pooled"]["rates"]
    assert (rates["satisfied"], rates["basic"], rates["dissatisfied"]) == (0.6667, 0.2222, 0.1111)  # of 9 valid
    assert rates["unknown"] == 0.25  # 3 of 12 ballots (it was 3 of 9: the row added up to 133 %)
    assert "不计入有效票的选项以全部选票为分母" in result["rule"]
    assert "不了解0分" not in result["rule"] and "不了解" not in result["rule"].split("综合得分")[1]


def test_band_edge_is_inclusive():
    result = rules.tally(preset("F"), {"committee": {"satisfied": 1, "dissatisfied": 1}}, members=2)
    assert result["score"] == 65.0
    definition = preset("F")
    definition["grade"]["bands"] = [[85, "满意"], [65, "基本满意"]]
    assert rules.tally(definition, {"committee": {"satisfied": 1, "dissatisfied": 1}}, members=2)["grade"] == "基本满意"


def test_groups_are_listed_separately_and_pooled():
    counts = {"committee": {"satisfied": 8, "basic": 2}, "deputy": {"satisfied": 2, "dissatisfied": 3}}
    result = rules.tally(preset("default"), counts, members=15)
    assert result["groups"]["committee"]["score"] == 94.0
    assert result["groups"]["deputy"]["score"] == 58.0  # (200 + 90) / 5
    assert result["pooled"]["counts"] == {"satisfied": 10, "basic": 2, "dissatisfied": 3, "invalid": 0}
    assert result["score"] == 82.0  # (1000 + 140 + 90) / 15
    assert result["grade"] == "满意"  # 10 of 15 members


def test_weighted_groups():
    definition = preset("default")
    definition["groups"] = {"mode": "weighted", "weights": {"committee": 0.7, "deputy": 0.3}}
    counts = {"committee": {"satisfied": 8, "basic": 2}, "deputy": {"satisfied": 2, "dissatisfied": 3}}
    result = rules.tally(definition, counts, members=15)
    assert result["score"] == 83.2  # 0.7 × 94 + 0.3 × 58
    assert "常委会组成人员0.7、人大代表0.3" in result["rule"]


def test_nobody_voted():
    result = rules.tally(preset("default"), {}, members=10)
    assert result["score"] is None and result["grade"] == "不满意"
    assert result["pooled"]["rates"]["satisfied"] == 0.0


def test_quorum():
    assert rules.quorum_met(preset("A"), 29, 15) and not rules.quorum_met(preset("A"), 29, 14)
    assert not rules.quorum_met(preset("A"), 10, 5)
    assert rules.quorum_met(preset("F"), 10, 1)  # F sets no quorum
    assert "出席的常委会组成人员须超过全体常委会组成人员的半数" in rules.describe(preset("A"))


def test_the_rule_text_says_what_is_counted_when_deputies_vote_too():
    text = rules.describe(preset("A"), ("committee", "deputy"))
    # the majority base is members and deputies, the quorum only the members
    assert "以全体应参加表决人数（全体常委会组成人员加参加表决的代表）计" in text
    assert "出席的常委会组成人员须超过全体常委会组成人员的半数（法定人数）" in text
    assert "参加表决的代表不计入法定人数" in text
    assert "代表" not in rules.describe(preset("A"))  # committee only: no word about deputies
    assert "出席人数须超过全体应参加表决人数的半数" in rules.describe(preset("A"), ("deputy",))


def counted(counts, voters, members, issued=None, returned=0):
    return rules.Counted(counts=counts, voters=voters, issued=issued, returned=returned, members=members)


def test_the_quorum_counts_the_committee_members_not_the_deputies():
    # J2: 5 of 30 members and 152 of 200 deputies vote: 157 of 230 voters, but 5 of 30 members
    ballots = counted({"committee": {"satisfied": 5}, "deputy": {"satisfied": 152}}, {"committee": 30, "deputy": 200},
                      30)
    assert rules.void_cause(preset("default"), ballots) == {"code": "no_quorum", "group": "committee",
                                                              "present": 5, "members": 30}
    # 16 of 30 members is more than half: a quorum, whatever the deputies do
    ballots = counted({"committee": {"satisfied": 16}}, {"committee": 30, "deputy": 60}, 30)
    assert rules.void_cause(preset("default"), ballots) is None
    assert ballots.entitled == 90  # the base of "all members" rules: 30 members + 60 deputies
    # 15 of 30 is exactly half: no quorum; a rule set without a quorum counts anyway
    ballots = counted({"committee": {"satisfied": 15}, "deputy": {"satisfied": 60}}, {"committee": 30, "deputy": 60},
                      30)
    assert rules.void_cause(preset("default"), ballots)["code"] == "no_quorum"
    assert rules.void_cause(preset("F"), ballots) is None
    # 29 members by law though 25 are in the voting group: the quorum is over the 29
    ballots = counted({"committee": {"satisfied": 14}}, {"committee": 25}, 29)
    assert rules.void_cause(preset("A"), ballots)["present"] == 14
    # a vote of deputies alone: the quorum is over every voter
    ballots = counted({"deputy": {"satisfied": 3}}, {"deputy": 7}, 7)
    assert rules.void_cause(preset("A"), ballots) == {"code": "no_quorum", "group": None, "present": 3, "members": 7}


def test_more_ballots_than_voters_voids_the_round():
    # J1: 30 members, 5 vote on the phone, the tellers count 30 paper ballots: 35 ballots from 30 voters
    ballots = counted({"committee": {"satisfied": 35}}, {"committee": 30}, 30, issued=30, returned=30)
    assert rules.void_cause(preset("default"), ballots) == {"code": "over_voters", "group": None, "ballots": 35,
                                                              "voters": 30}
    assert rules.void_reason(rules.void_cause(preset("default"), ballots)) == "more ballots (35) than voters (30)"
    # 90 voters in all and 90 ballots, but 35 of them from the 30 members
    ballots = counted({"committee": {"satisfied": 35}, "deputy": {"satisfied": 55}}, {"committee": 30, "deputy": 60},
                      30, issued=85, returned=85)
    assert rules.void_cause(preset("default"), ballots) == {"code": "over_voters", "group": "committee",
                                                              "ballots": 35, "voters": 30}
    # exactly one ballot per voter is valid
    ballots = counted({"committee": {"satisfied": 30}, "deputy": {"basic": 60}}, {"committee": 30, "deputy": 60},
                      30, issued=80, returned=80)
    assert rules.void_cause(preset("default"), ballots) is None
    # more returned than issued is named first
    ballots = counted({"committee": {"satisfied": 40}}, {"committee": 30}, 30, issued=20, returned=25)
    assert rules.void_cause(preset("default"), ballots)["code"] == "returned_over_issued"


def test_every_preset_is_valid_and_described():
    for code, definition in rules.PRESETS.items():
        rules.check(definition)
        text = rules.describe(definition)
        assert text.startswith("表决选项：") and "分母" in text, code


@pytest.mark.parametrize("change, field", [
    (lambda d: d.update(options=[]), "options"),
    (lambda d: d["options"].append({"code": "satisfied", "label": "x"}), "options"),
    (lambda d: d["options"].append({"code": "invalid", "label": "x"}), "options"),
    (lambda d: d["options"][0].update(score="high"), "options"),
    (lambda d: d.update(rate_denominator="everyone"), "rate_denominator"),
    (lambda d: d["grade"].update(half="maybe"), "grade"),
    (lambda d: d["grade"]["levels"][0].update(options=["great"]), "grade"),
    (lambda d: d.update(grade={"method": "coin"}), "grade"),
    (lambda d: d.update(groups={"mode": "weighted", "weights": {}}), "groups"),
    (lambda d: d.update(quorum="some"), "quorum"),
    # what the count would otherwise fail on, or count as no score
    (lambda d: d["options"][0].update(score=float("nan")), "options"),
    (lambda d: d["options"][0].update(score=1e308), "options"),
    (lambda d: d["options"][0].update(valid="no"), "options"),
    (lambda d: d["grade"]["levels"][0].update(share="abc"), "grade"),
    (lambda d: d["grade"]["levels"][0].update(share=None), "grade"),
    (lambda d: d["grade"]["levels"][0].update(share=1.5), "grade"),
    (lambda d: d["grade"]["levels"][0].pop("grade"), "grade"),
    (lambda d: d["grade"]["levels"][0].update(options=[]), "grade"),
    (lambda d: d["grade"].pop("otherwise"), "grade"),
    (lambda d: d["grade"].update(otherwise=5), "grade"),
    (lambda d: d.update(grade={"method": "score_bands", "bands": []}), "grade"),
    (lambda d: d.update(grade={"method": "score_bands", "bands": [[float("inf"), "满意"]], "otherwise": "x"}),
     "grade"),
    (lambda d: d.update(groups={"mode": "weighted", "weights": {"committee": 0, "deputy": 0}}), "groups"),
    (lambda d: d.update(groups={"mode": "weighted", "weights": {"foo": 1}}), "groups"),
])
def test_bad_rule_sets_are_refused_with_the_field(change, field):
    definition = preset("default")
    change(definition)
    with pytest.raises(InvalidInput) as caught:
        rules.check(definition)
    assert field in caught.value.errors


def test_a_checked_rule_set_with_bands_and_no_levels_counts():
    definition = preset("F")
    definition["grade"] = {"method": "score_bands", "bands": [], "otherwise": "合格"}
    assert rules.tally(rules.check(definition), {"committee": {"satisfied": 1}}, members=1)["grade"] == "合格"


def test_unknown_options_in_counts_are_refused():
    with pytest.raises(InvalidInput):
        rules.tally(preset("B"), {"committee": {"basic": 1}}, members=3)


@pytest.mark.parametrize(("cause", "said"), [
    ({"code": "returned_over_issued", "returned": 3, "issued": 2}, "收回纸质选票3张，多于发出的2张，本轮表决无效。"),
    ({"code": "over_voters", "group": None, "ballots": 35, "voters": 30}, "选票合计35张，多于应参加表决的人数（30人）"),
    ({"code": "over_voters", "group": "committee", "ballots": 8, "voters": 7}, "多于常委会组成人员人数（7人）"),
    ({"code": "no_quorum", "group": "committee", "present": 5, "members": 30},
     "不足法定人数：常委会组成人员30人，出席5人，未超过半数"),
])
def test_a_void_rounds_reason_reaches_the_process_in_the_words_of_the_sheet(cause, said):
    assert said in rules.void_reason_zh(cause)
