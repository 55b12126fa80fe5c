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
    assert "超过全体组成人员的半数" in rules.describe(preset("A"))


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
