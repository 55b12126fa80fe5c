"""Chinese for the ballot pages (merged into tools/zh_CN.py's ZH)."""

ZH_BALLOTS = {
    "Committee members": "常委会组成人员",
    "Deputies": "人大代表",
    "voting": "投票中",
    "counted": "已计票",
    "void": "无效",
    "The vote is closed.": "表决已结束。",
    "You have entered your count already.": "您已录入过计票结果。",
    "Enter the paper ballots either one by one or as the tellers' totals, not both.":
        "纸质选票请选择逐张录入或由计票人录入总数，两者不能同时使用。",
    "Some of these people are not voters in this ballot or have voted already.":
        "其中有人不是本次表决的表决人，或已经投票。",
    "Two tellers must enter the paper count before the vote closes.":
        "结束表决前，纸质选票须由两名计票人分别录入计票结果。",
    "The tellers' counts differ; they must count the paper ballots again.":
        "两名计票人的结果不一致，请重新清点纸质选票。",
    "Record how many paper ballots were issued before closing the vote.": "结束表决前，请先登记发出的纸质选票数。",
    "Only a closed vote can be announced.": "只有已结束的表决才能宣布结果。",
    "The counts must add up to the number of ballots returned.": "各项票数的总数应等于收回的票数。",
    "Counts are whole numbers.": "票数须为整数。",
    "A count cannot be negative.": "票数不能为负数。",
    "Choose the voters.": "请选择表决人。",
    "Title": "标题",
    "Department evaluated": "被评议部门",
    "Kind": "类别",
    "Evaluation meeting": "常委会评议会议测评",
    "Re-evaluation of the rectification": "整改情况再测评",
    "Counting rules": "计票规则",
    "Group of committee members": "常委会组成人员所在组",
    "Group of deputies (optional)": "参加测评的人大代表所在组（可选）",
    "All members (for majority rules; empty: the number of voters)":
        "全体组成人员数（用于过半数规则；不填则为表决人数）",
    "Closes by itself at (optional)": "自动结束时间（可选）",
    "Choose the groups whose members vote.": "请选择参加表决人员所在的组。",
    "The vote is open.": "表决已开始。",
    "The round is void: %(reason)s": "本轮表决无效：%(reason)s",
    "The vote is closed and counted.": "表决已结束，计票完成。",
    "The announcement is recorded.": "已记录当场宣布结果。",
    "The number of paper ballots issued is recorded.": "已登记发出的纸质选票数。",
    "%(count)s paper ballot(s) issued.": "已发出 %(count)s 张纸质选票。",
    "Your count is recorded. A second teller enters theirs; the two must agree.":
        "您的计票结果已录入。请另一名计票人录入，两人结果须一致。",
    "Paper ballot entered.": "纸质选票已录入。",
    "Options need a unique code each (not “invalid”), a label of at most 64 characters, valid as true or false, and "
    "scores that are numbers between -1000000 and 1000000.":
        "每个选项须有唯一的代码（不能是“invalid”）和不超过 64 个字的名称，valid 须为 true 或 false，"
        "分值须为 -1000000 至 1000000 之间的数字。",
    "rate_denominator is one of: valid, all_ballots, present, all_members.":
        "rate_denominator（比率分母）须为 valid、all_ballots、present 或 all_members 之一。",
    "grade needs a method: majority (with a denominator, what exactly half means – fails or passes – and levels, each "
    "with a grade, the known options it counts and a share between 0 and 1) or score_bands ([minimum score, grade] "
    "pairs), and otherwise: the grade when none is reached.":
        "grade（定等次）须指定方法：majority（须有分母、恰好半数的处理 fails 或 passes，以及各档次：每档须有等次名称、"
        "所计的已有选项和 0 至 1 之间的比例 share），或 score_bands（[最低分, 等次] 数对）；"
        "并须以 otherwise 写明未达到任何档次时的等次。",
    "groups.mode is pooled, or weighted with weights for committee and deputy only, each at least 0 and one above 0.":
        "groups.mode 须为 pooled（合并计算），或 weighted（只为 committee、deputy 两类表决人员设定权重，"
        "均不小于 0，且至少一个大于 0）。",
    "The rule set is nested too deeply.": "规则的嵌套层次过深。",
    "quorum is none or majority.": "quorum（法定人数）须为 none 或 majority。",
    "A code has 1–64 letters, digits, “-” or “_”.": "代码由 1 至 64 个字母、数字、“-”或“_”组成。",
    "This is not valid JSON (line %(line)s, column %(column)s).":
        "这不是有效的 JSON（第 %(line)s 行第 %(column)s 列）。",
    "The rule set must be a JSON object.": "规则须为一个 JSON 对象。",
    "A name is required.": "请填写名称。",
    "The rule set is saved. Ballots opened from now on use it.": "计票规则已保存，此后开始的表决将使用该规则。",
    "Choose one of the options.": "请选择一项。",
    "You have already voted; a cast ballot cannot be changed.": "您已经投过票，投出的票不能更改。",
    "You are not a voter in this ballot.": "您不是本次表决的表决人。",
    "Ballots": "表决",
    "Invalid": "无效票",
    "Word document": "下载 Word",
    "Excel workbook": "下载 Excel",
    "Opinion list": "意见清单",
    "Received": "收到日期",
    "Source": "来源",
    "Rating": "评价",
    "Opinion": "意见内容",
    "Merged into": "并入",
    "Entered by": "录入人",
    "This screen was signed out and no longer updates: sign in again in this browser, then reload the page.":
        "本屏幕已退出登录，不再更新：请在此浏览器中重新登录，然后刷新本页。",
    "The connection to the server is lost; the figures may be out of date. Trying again…":
        "与服务器的连接中断，数字可能已过时，正在重试……",
    "Valid ballots": "有效票",
    "Satisfied + basically satisfied": "满意和基本满意",
    "Score": "得分",
    "All voters": "合计",
    "Grade": "等次",
    "Composite score": "综合得分",
    "Members: %(members)s · present: %(present)s · ballots returned: %(ballots)s · "
    "not cast (connection lost): %(lost)s":
        "应到 %(members)s 人 · 实到 %(present)s 人 · 收回 %(ballots)s 票 · 未投出（连接中断）%(lost)s 票",
    "Counting rule": "计票规则",
    "Ranking": "排名",
    "Open a vote": "发起表决",
    "No ballot yet.": "还没有表决。",
    "Every active member of these groups gets one ballot and sees the vote in their inbox.":
        "这些组的每位在职成员各有一票，并会在待办中看到本次表决。",
    "Open the vote": "开始表决",
    "Ranking of the departments evaluated in %(year)s": "%(year)s年度被评议部门排名",
    "Flag the lowest": "标出末位数",
    "Show": "查看",
    "No counted ballot for this year.": "本年度还没有已计票的表决。",
    "Rank": "名次",
    "follow up": "跟踪督办",
    "Equal scores share a rank; a tie at the boundary flags every department in it.":
        "得分相同的名次并列；末位并列时一并标出。",
    "Result sheet": "计票结果单",
    "Result sheet of the secret ballot": "无记名投票计票结果",
    "Vote opened": "开始表决",
    "Vote closed": "结束表决",
    "Paper ballots": "纸质选票",
    "issued %(i)s, returned %(r)s": "发出 %(i)s 张，收回 %(r)s 张",
    "Announced": "当场宣布",
    "This round is void: %(reason)s": "本轮表决无效：%(reason)s",
    "The vote is still open.": "表决尚未结束。",
    "Tellers": "计票人",
    "Tellers (signatures)": "计票人（签名）",
    "Scrutineer (signature)": "监票人（签名）",
    "Rule set": "计票规则",
    "new": "新建",
    "Definition (JSON)": "规则定义（JSON）",
    "options: code, label, valid (counted as a valid ballot), score. rate_denominator: valid, all_ballots, present or "
    "all_members. grade: majority (denominator, half: fails or passes, levels) or score_bands. groups: pooled or "
    "weighted (weights per voter group: committee, deputy). quorum: none or majority.":
        "options：选项（code 代码、label 名称、valid 是否计入有效票、score 分值）。rate_denominator：比率分母"
        "（valid 有效票、all_ballots 全部票、present 出席人数、all_members 全体组成人员）。grade：定等次"
        "（majority 过半数，含 denominator 分母、half 恰好半数的处理 "
        "fails/passes、levels 各档次；或 score_bands 按得分分档）。"
        "groups：pooled 合并计算或 weighted 按权重（committee 常委会组"
        "成人员、deputy 人大代表）。quorum：none 或 majority（出席须过半数）。",
    "Preview": "预览",
    "The rule in words": "规则表述",
    "An example count with 25 members:": "以 25 名组成人员为例的计票结果：",
    "code, e.g. county2026": "代码，如 county2026",
    "Code of the new rule set": "新规则的代码",
    "New rule set": "新建计票规则",
    "A ballot is counted by the rule set chosen when it is opened; later changes apply to new ballots only.":
        "每次表决按开始时选定的规则计票；修改规则只影响此后开始的表决。",
    "Edit": "编辑",
    "Secret ballot": "无记名投票",
    "Scan to vote": "扫码投票",
    "Voted": "已投票",
    "Voting is under way": "正在投票",
    "This round is void": "本轮表决无效",
    "Result": "表决结果",
    "Full screen": "全屏",
    "opened": "开始于",
    "closes by itself at": "自动结束于",
    "Big screen": "大屏幕",
    "Turnout": "投票情况",
    "%(voted)s of %(eligible)s voters have voted": "应投 %(eligible)s 人，已投 %(voted)s 人",
    "Base for majority rules: %(n)s": "过半数的计算基数：%(n)s 人",
    "paper ballots issued: %(n)s": "发出纸质选票 %(n)s 张",
    "returned: %(n)s": "收回 %(n)s 张",
    "Record the announcement": "记录当场宣布",
    "Close the vote": "结束表决",
    "Closing counts the electronic ballots together with the agreed paper count. Nobody can vote afterwards.":
        "结束表决后，电子票与核对一致的纸质票一并计票，之后不能再投票。",
    "Close and count": "结束表决并计票",
    "Paper ballots issued (in total)": "发出的纸质选票（总数）",
    "Hand a paper ballot to named voters": "向指定表决人发放纸质选票",
    "They can then no longer vote on their phones.": "领取纸质选票后，不能再用手机投票。",
    "Issue paper ballots": "发放纸质选票",
    "Tellers: enter the totals (two tellers must agree)": "计票人录入总数（两名计票人须一致）",
    "Returned": "收回",
    "Invalid (blank or several marks)": "无效票（空白或多选）",
    "Save my count": "保存我的计票结果",
    "Tellers: enter paper ballots one by one": "计票人逐张录入纸质选票",
    "Voter group": "表决人员类别",
    "Tellers’ counts": "计票人录入的结果",
    "Votes waiting for you": "等待您投票",
    "Vote": "投票",
    "This deputy code has expired. Please ask the office for a new one.": "该代表码已过期，请向评议办领取新码。",
    "This deputy code is no longer valid. Please ask the office for a new one.": "该代表码已失效，请向评议办领取新码。",
    "Sign in instead": "改为登录",
    "Choose one option. Your choice is not stored with your name, and a cast ballot cannot be changed.":
        "请选择一项。您的选择不会与您的姓名一同保存，投出后不能更改。",
    "Cast “{choice}”? It cannot be changed afterwards.": "确定投“{choice}”吗？投出后不能更改。",
    "Your vote": "您的选择",
    "Cast my vote": "投票",
    "Your vote has been cast. Thank you.": "您的票已投出，谢谢。",
    "The result is announced in the meeting after the vote closes.": "表决结束后，结果将在会上当场宣布。",
    "Your vote has not reached the ballot box yet (the connection failed). Press the button to finish it.":
        "您的票尚未投入票箱（网络连接中断），请点击下面的按钮完成投票。",
    "Finish casting my vote": "完成投票",
    "Vote closed and counted": "表决结束并计票",
    "Who voted": "参加表决人员",
    "Vote declared void": "表决无效",
    "Result announced": "当场宣布结果",
    "Paper ballots issued": "发放纸质选票",
    "Paper ballots counted by a teller": "计票人录入纸质选票结果",
    "Counting rules changed": "修改计票规则",
    "Opinion channel created": "创建意见征集渠道",
    "Opinion channel closed": "关闭意见征集",
    "Opinion channel reopened": "重新开放意见征集",
    "Deputy code issued": "发放代表码",
    "Deputy code revoked and reissued": "作废并重新发放代表码",
    "Opinion received": "收到意见",
    "Paper opinion entered": "录入纸质意见",
    "Opinion classified": "意见归类",
    "Opinion merged": "合并意见",
    "Opinion no longer merged": "取消合并意见",
    "Opinion adopted": "采纳意见",
    "Opinion no longer adopted": "取消采纳意见",
    "Note on an opinion": "意见备注",
    "The tellers count fewer paper ballots issued than were recorded as handed out; they must count again.":
        "计票人录入的发出纸质票数少于系统记录的发放数，请重新清点。",
    "Choose a time between the years 2000 and 2100.": "请选择 2000 年至 2100 年之间的时间。",
    "Your vote has not reached the ballot box yet (the connection failed). Choose again and press the button to "
    "finish it.": "您的票尚未投入票箱（连接中断）。请重新选择并点击按钮完成投票。",
    "The vote closed before your ballot reached the box, so it was not counted.":
        "您的票投入票箱前表决已结束，该票未计入。",
    "Your count is recorded, but it differs from the other teller's. Count again; each teller may enter their "
    "count anew.": "您的计票结果已录入，但与另一名计票人的不一致。请重新清点，每名计票人都可以重新录入。",
    "Your count is recorded and agrees with the other teller's. The vote can be closed.":
        "您的计票结果已录入，与另一名计票人的一致，可以结束表决。",
}
