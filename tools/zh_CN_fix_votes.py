"""Chinese for this round of fixes (votes)."""

ZH_FIX_VOTES: dict[str, str] = {
    "More ballots (%(ballots)s) than voters (%(voters)s) among the %(group)s: someone voted twice, on paper and on "
    "the phone, or a ballot was counted in the wrong group.":
        "%(group)s的手机和纸质选票合计 %(ballots)s 张，多于其应参加表决人数（%(voters)s 人）："
        "有人既投了纸质票又在手机上投票，或有选票计入了错误的类别。",
    "More ballots (%(ballots)s) than voters (%(voters)s): someone voted twice, on paper and on the phone.":
        "手机和纸质选票合计 %(ballots)s 张，多于应参加表决人数（%(voters)s 人）：有人既投了纸质票又在手机上投票。",
    "No quorum: %(present)s of the %(total)s Standing Committee members present, not more than half (deputies do "
    "not count towards the quorum).":
        "不足法定人数：常委会组成人员 %(total)s 人，出席 %(present)s 人，未超过半数（代表不计入法定人数）。",
    "%(count)s paper ballots cannot have been issued: only %(room)s voters have not voted on the phone. Count the "
    "ballots handed out again.":
        "发出纸质选票不可能为 %(count)s 张：尚未在手机上投票的只有 %(room)s 人。请重新清点发出的选票。",
    "%(count)s paper ballots issued, but the vote has only %(voters)s voters. Count again.":
        "发出纸质选票 %(count)s 张，但本次应参加表决的只有 %(voters)s 人。请重新清点。",
    "%(count)s ballots counted for the %(group)s, who are only %(voters)s. Count again.":
        "%(group)s计有 %(count)s 张选票，但%(group)s只有 %(voters)s 人。请重新清点。",
    "Standing Committee members in all (the quorum counts them; empty: the members of the committee group)":
        "常委会组成人员总数（法定人数以此计算；留空则为组成人员组的人数）",
    "Your count is recorded, but closing the vote with it voids the round: %(reason)s Count again if this is a "
    "mistake.":
        "您的计票已记录，但按此结束表决，本轮表决无效：%(reason)s 如有误，请重新清点。",
    "Standing Committee members (the quorum counts them): %(n)s": "常委会组成人员（计算法定人数）：%(n)s 人",
    "Standing Committee members: %(members)s · present: %(present)s (the quorum counts only them)":
        "常委会组成人员应到 %(members)s 人 · 实到 %(present)s 人（法定人数只计组成人员）",
    "%(issued)s paper ballots were issued, but since then voters voted on the phone and only %(room)s have not: "
    "someone may hold a paper ballot and have voted on the phone too. If more ballots come back than there are "
    "voters, the round is void.":
        "已发出纸质选票 %(issued)s 张，但此后又有人在手机上投票，尚未投票的只剩 %(room)s 人："
        "可能有人既领了纸质选票又在手机上投票。收回的票数多于应参加表决人数的，本轮表决无效。",
    # the modeler's warnings: names that reach nobody (engine/model_warnings.py), who may start a process
    "lane '%(lane)s': there is no group of this name, so its tasks without candidates or an assignee reach only "
    "administrators":
        "泳道“%(lane)s”：没有这个名称的组，泳道中未设候选人或办理人的任务只有管理员能收到",
    "lane '%(lane)s': there is no group of this name, and the start event is in it: only administrators may start "
    "the process":
        "泳道“%(lane)s”：没有这个名称的组，而开始事件在这条泳道中：只有管理员能发起本流程",
    "'%(element)s': its candidates name the group '%(name)s', which does not exist":
        "“%(element)s”：候选人中的组“%(name)s”不存在",
    "'%(element)s': its candidates name the user '%(name)s', who does not exist":
        "“%(element)s”：候选人中的用户“%(name)s”不存在",
    "'%(element)s': its assignee is the user '%(name)s', who does not exist":
        "“%(element)s”：办理人“%(name)s”这个用户不存在",
    "Warning (%(element)s): %(message)s": "警告（%(element)s）：%(message)s",
    "%(n)s more warnings: Check in the editor lists them all.": "另有 %(n)s 条警告：在编辑器中点击“检查”可查看全部。",
    "Warning": "警告",
    "Warnings (deploying still works)": "警告（仍可部署）",
    "Who may start the process:": "谁可以发起本流程：",
    "the members of the group “{lane}” (the lane of its start event), and administrators.":
        "组“{lane}”（开始事件所在泳道）的成员，以及管理员。",
    "only administrators: its start event is in no lane. Put it in a lane named after a group to let that group "
    "start the process.":
        "只有管理员：开始事件不在任何泳道中。把它放进以某个组命名的泳道，该组成员即可发起本流程。",
}
