"""Chinese for this round of fixes (history)."""

ZH_FIX_HISTORY: dict[str, str] = {
    "The system (after the step of %(name)s)": "系统（由%(name)s的办理触发）",
    "The system, after their steps": "系统（由其办理触发）",
    "Open the term plan (no. %(n)s, %(start)s–%(end)s)": "打开规划表（%(n)s 号，%(start)s—%(end)s）",
    "Vote number": "表决编号",
    "Evaluated": "测评对象",
    "Why the round is void": "本轮无效的原因",
    "Votes": "票数",
    "Shares of the valid votes": "占有效票比例",
    "Satisfied and basically satisfied, share": "满意和基本满意率",
    "Show all %(n)s events (the %(earlier)s earlier ones are not shown)":
        "显示全部 %(n)s 条记录（较早的 %(earlier)s 条未显示）",
}
