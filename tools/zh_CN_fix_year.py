"""Chinese for this round of fixes (year)."""

ZH_FIX_YEAR: dict[str, str] = {
    # the start form of a year's evaluation (engine/services/year_start.py)
    "An evaluation of %(year)s is already running: continue that one (under Progress) instead of starting "
    "another.": "%(year)s年度的部门评议已在进行中，请在“进展”中继续办理，不要重复发起。",
    "No approved term plan names departments for %(year)s: the term plan must list that year's departments and "
    "be approved first.":
        "已批准的届期评议规划中没有%(year)s年度的被评议部门：请先在规划表中列出该年度的部门并经批准。",
    # the results page and the ranking use one name for the lowest-ranked flag
    "Departments marked “follow up” are followed up and supervised by the Standing Committee.":
        "标注“跟踪督办”的部门由常委会跟踪督办。",
}
