"""Chinese (zh_CN) translations of the interface, written into web/translations/zh_CN/.../messages.po.

Run after adding strings:  .venv/bin/python tools/zh_CN.py   (extracts, merges, fails on gaps)
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from zh_CN_accounts import ZH_ACCOUNTS  # (run as a script: tools/ is on the path)
from zh_CN_admin import ZH_ADMIN
from zh_CN_audit import ZH_AUDIT
from zh_CN_ballots import ZH_BALLOTS
from zh_CN_evaluation import ZH_EVALUATION
from zh_CN_fix_history import ZH_FIX_HISTORY
from zh_CN_fix_public_safety import ZH_FIX_PUBLIC_SAFETY
from zh_CN_fix_rectify import ZH_FIX_RECTIFY
from zh_CN_fix_votes import ZH_FIX_VOTES
from zh_CN_fix_year import ZH_FIX_YEAR
from zh_CN_forms_fix import ZH_FORMS_FIX
from zh_CN_models_fix import ZH_MODELS_FIX
from zh_CN_org import ZH_ORG
from zh_CN_progress import ZH_PROGRESS
from zh_CN_public import ZH_PUBLIC

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "web/translations/zh_Hans_CN/LC_MESSAGES/messages.po"

ZH = {
    # WTForms and the dynamic forms
    "This field is required.": "此项必填。",
    "Invalid input.": "输入无效。",
    "Some of the input cannot be stored (an invisible control character, or a number out of range). Please check "
    "it and try again.": "部分输入无法保存（含有不可见的控制字符，或数字超出范围），请检查后重试。",
    "Invalid email address.": "电子邮箱格式不正确。",
    "Not a valid date value.": "日期格式不正确。",
    "Not a valid datetime value.": "日期时间格式不正确。",
    "Not a valid decimal value.": "请输入数字。",
    "Not a valid integer value.": "请输入整数。",
    "Number must be greater than %(min)s.": "数值须大于 %(min)s。",
    "Number must be less than %(max)s.": "数值须小于 %(max)s。",
    "Number must be a multiple of %(step)s.": "数值须为 %(step)s 的倍数。",
    "Number must be at least %(min)s.": "数值不能小于 %(min)s。",
    "Number must be at most %(max)s.": "数值不能大于 %(max)s。",
    "Number must be between %(min)s and %(max)s.": "数值须在 %(min)s 到 %(max)s 之间。",
    "Not a valid choice.": "请从选项中选择。",
    "Enter at least %(min)d.": "至少填写 %(min)d 项。",
    "Enter at most %(max)d.": "最多填写 %(max)d 项。",
    "Required": "必填",
    "Yes": "是",
    "No": "否",
    "Choose...": "请选择……",
    "Uncheck an attachment to remove it.": "取消勾选即可移除附件。",
    "Add row": "增加一行",
    "Remove row": "删除此行",
    # signing in
    "Please sign in to see this page.": "请先登录。",
    "User name": "用户名",
    "Password": "密码",
    "Keep me signed in on this device": "在此设备上保持登录",
    "Current password": "当前密码",
    "New password": "新密码",
    "New password again": "再次输入新密码",
    "The passwords differ.": "两次输入的密码不一致。",
    "Wrong user name or password.": "用户名或密码错误。",
    "You are signed out.": "已退出登录。",
    "This page was open too long, or you were signed out meanwhile, so it was not saved. Reload the page (sign in "
    "again if asked) and repeat it.":
        "此页面打开时间过长，或期间已退出登录，所以刚才的内容没有保存。请刷新页面（如要求则重新登录）后再做一次。",
    "You were signed out. Sign in again in another tab, then try again here.":
        "您已退出登录。请在另一个标签页重新登录，再回到这里重试。",
    "The current password is wrong.": "当前密码不正确。",
    "The new password is too short.": "新密码太短（至少 8 位）。",
    "Your password was changed.": "密码已修改。",
    # errors
    "The request could not be completed.": "请求未能完成。",
    "The form expired or was not sent from this site; please reload the page and try again.":
        "表单已过期或并非从本站提交，请刷新页面后重试。",
    "The request was not understood.": "无法识别该请求。",
    "You may not see or do this.": "您无权查看或进行此操作。",
    "This page does not exist.": "页面不存在。",
    "This page cannot be used this way.": "不能以这种方式使用此页面。",
    "The upload is too large.": "上传的文件过大。",
    "Too many attempts; please wait a minute and try again.": "尝试次数过多，请稍等一分钟后再试。",
    "Too many attempts; please try again in up to %(minutes)d minutes.":
        "尝试次数过多，请在最多 %(minutes)d 分钟后再试。",
    "Something went wrong on our side. Please tell the administrator the reference number below.":
        "系统出现错误。请把下面的参考编号告诉系统管理员。",
    "This page or item does not exist.": "页面或内容不存在。",
    "You may not do this.": "您无权进行此操作。",
    "Someone changed this in the meantime; please reload and try again.": "内容已被他人修改，请刷新后重试。",
    "Someone changed this process in the meantime; please reload and try again.": "流程已被他人更新，请刷新后重试。",
    "This task was already completed by %(by)s.": "该任务已由%(by)s完成。",
    "Some answers are missing or invalid.": "有内容未填写或填写有误。",
    "This file is not attached to this task.": "该文件不是本任务的附件。",
    "Some answers could not be read; the draft was not saved. Correct them and save again.":
        "部分填写内容无法识别，草稿未保存。请更正后再次保存。",
    "The deployment was refused.": "部署未通过检查。",
    "The process stopped with an error.": "流程因错误而暂停。",
    "No process is waiting for this message.": "没有流程在等待这条消息。",
    # processes and tasks
    "The process was suspended.": "流程已挂起。",
    "The process was resumed.": "流程已恢复。",
    "The process was terminated.": "流程已终止。",
    "The failed step was run again.": "已重新执行出错的步骤。",
    "The task was reassigned.": "任务已转办。",
    "You may not start this process.": "您无权发起此流程。",
    "The process was started.": "流程已发起。",
    "Your draft was saved.": "草稿已保存。",
    "Your answers were saved, but the process stopped with an error at “%(task)s”. Reference number: %(ref)s. "
    "The administrators can see it.":
        "您的填报已保存，但流程在“%(task)s”处出错暂停。参考编号：%(ref)s，系统管理员可以看到。",
    "“%(title)s” is done.": "“%(title)s”已完成。",
    "The task is yours now.": "已领取该任务。",
    "The task was released to its group.": "已取消领取，任务回到本组待领取。",
    "%(count)s file(s) uploaded.": "已上传 %(count)s 个文件。",
    "overdue": "已逾期",
    "due soon": "即将到期",
    "urgent": "紧急",
    "high": "较急",
    "normal": "普通",
    "running": "进行中",
    "waiting": "等待中",
    "completed": "已完成",
    "suspended": "已挂起",
    "terminated": "已终止",
    "error": "出错",
    "Reason": "理由",
    "Changed": "变更",
    "Pingyi": "评议通",
    "Menu": "菜单",
    "Inbox": "待办",
    "Start a process": "发起流程",
    "Sign out": "退出",
    "Sign in": "登录",
    "Change password": "修改密码",
    "Not allowed": "无权访问",
    "Not found": "未找到",
    "Changed in the meantime": "内容已变化",
    "Server error": "系统错误",
    "Cannot do this": "无法完成",
    "Reference number": "参考编号",
    "Back to the inbox": "返回待办",
    "My tasks": "我的任务",
    "My groups, unclaimed": "本组待领取",
    "Completed by me": "我已完成",
    "Search task, department or key": "搜索任务、部门或编号",
    "Search": "搜索",
    "Process": "流程",
    "All processes": "全部流程",
    "Due": "期限",
    "Any due date": "不限期限",
    "Overdue": "已逾期",
    "Due within 3 days": "3 天内到期",
    "Sort": "排序",
    "By due date": "按期限",
    "By priority": "按紧急程度",
    "Newest first": "最新在前",
    "By title": "按标题",
    "Filter": "筛选",
    "%(count)s task(s)": "共 %(count)s 项",
    "Nothing here.": "暂无任务。",
    "Completed": "完成于",
    "Held by you": "由您办理",
    "Assignee": "办理人",
    "%(n)s entries": "共 %(n)s 项",
    "Introduction": "说明",
    "Period": "时间",
    "Content items": "评议内容",
    "Meeting date": "会议日期",
    "Rows": "明细",
    "Total": "合计",
    "By rating": "按评价",
    "By content item": "按评议内容",
    "Adopted opinions": "采纳的意见",
    "Back to Pingyi": "返回评议通",
    "As a deputy you give opinions on the departments evaluated this year on your own page (the one your deputy "
    "code opens).": "作为人大代表，您在自己的代表意见页（即代表码打开的页面）对今年被评议的部门提出意见。",
    "Give an opinion as a deputy": "提交代表意见",
    "Choose from the departments": "从政府部门中选择",
    "%(n)s earlier events": "更早的 %(n)s 条记录",
    "the process itself": "流程自动",
    "%(n)s file(s), under Files": "%(n)s 个文件，见“附件”",
    "Satisfaction vote on the work of %(name)s": "对%(name)s工作的满意度测评",
    "A vote of this kind on this department is open already; close it first.":
        "该部门已有一个同类表决正在进行，请先结束它。",
    "The sender's rating": "评价",
    "The opinion, as written or said": "意见内容（按来信、来电或座谈原意录入）",
    "The sender's name (optional)": "提出人姓名（选填）",
    "The sender's phone (optional)": "提出人电话（选填）",
    "Scans or photos (optional, up to 3)": "扫描件或照片（选填，最多 3 张）",
    "The name and phone are seen only by the evaluation office and the investigation group, never by the "
    "department.": "姓名和电话只有评议办和评议调查组可以看到，被评议部门看不到。",
    "Nothing was submitted: answers to correct: %(n)s, marked below.": "未提交：有 %(n)s 处需要修改，已在下方标出。",
    "More paper ballots were returned (%(returned)s) than issued (%(issued)s).":
        "收回的纸质选票（%(returned)s 张）多于发出的（%(issued)s 张）。",
    "No quorum: %(present)s present, not more than half of %(total)s.":
        "不足法定人数：实到 %(present)s 人，未超过应到 %(total)s 人的半数。",
    "%(voted)s of %(eligible)s voters have voted. Close the vote and count now? Nobody can vote afterwards, and "
    "this cannot be undone.":
        "已投 %(voted)s 人，应投 %(eligible)s 人。现在结束表决并计票吗？结束后不能再投票，且无法撤销。",
    "— or fill in the fields below —": "— 或直接填写以下各项 —",
    "You see the main steps and the parallel steps you take part in; parallel steps of others (another "
    "department’s, say) are not shown to you.":
        "您可以看到主流程的各步和您参与的并行步骤；其他人（例如其他部门）的并行步骤不向您显示。",
    "Release": "取消领取",
    "Held by %(name)s": "由%(name)s办理",
    "Claim": "领取",
    "Pages": "分页",
    "Started": "发起于",
    "Ended": "结束于",
    "The process stopped at “%(task)s”.": "流程在“%(task)s”处出错暂停。",
    "line %(n)s": "第 %(n)s 行",
    "Process diagram": "流程图",
    "done": "已完成",
    "waiting for people now": "正在办理",
    "Open tasks": "待办任务",
    "None.": "无。",
    "held by %(name)s": "由%(name)s办理",
    "Reassign": "转办",
    "Administration": "管理",
    "Suspend": "挂起",
    "Resume": "恢复",
    "Retry the failed step": "重新执行出错步骤",
    "Terminate": "终止",
    "Terminate this process? This cannot be undone.": "确定终止此流程吗？终止后不能恢复。",
    "Data": "数据",
    "Files": "附件",
    "History": "办理记录",
    "Start: %(name)s": "发起：%(name)s",
    "Title (optional)": "标题（可选）",
    "Start": "发起",
    "There is no process you may start.": "没有您可以发起的流程。",
    "Draft saved": "草稿保存于",
    "Submit": "提交",
    "Save draft": "保存草稿",
    "This task is not yours. As an administrator you may complete it on the holder’s behalf, with a reason.":
        "这不是您的任务。作为管理员，您可以填写理由后代为办理。",
    "Complete on their behalf": "代为办理",
    "You can see this task but it is not yours to complete.": "您可以查看此任务，但无权办理。",
    "Submitted": "已提交",
    "Earlier steps": "此前各步",
    # audit events
    "Process started": "发起流程",
    "Stopped with an error": "出错暂停",
    "Failed step run again": "重新执行出错步骤",
    "Process suspended": "挂起流程",
    "Process resumed": "恢复流程",
    "Process terminated": "终止流程",
    "Task completed": "完成任务",
    "Task claimed": "领取任务",
    "Task released": "退回任务",
    "Task reassigned": "转办任务",
    "Task ended by the process": "任务由流程结束",
    "Deadline or reminder reached": "到达期限或提醒时间",
    "Message received": "收到消息",
    "File uploaded": "上传附件",
    "File removed": "移除附件",
    "Process version deployed": "部署流程版本",
    # opinion channels (评议码, 代表码, offline entry, review)
    "Opinions": "意见征集",
    "Opinion channels": "意见征集渠道",
    "Opinions for the people’s congress evaluation": "人大评议 · 意见征集",
    "Satisfied": "满意",
    "Basically satisfied": "基本满意",
    "Dissatisfied": "不满意",
    "Public (evaluation code)": "群众（评议码）",
    "Deputy (deputy code)": "代表（代表码）",
    "Paper (entered by the office)": "线下（纸质录入）",
    "received": "已收到",
    "classified": "已归类",
    "merged": "已合并",
    "adopted": "已采纳",
    "Please choose a rating.": "请选择评价。",
    "Please write at least %(n)s characters.": "请至少填写 %(n)s 个字。",
    "Please write at most %(n)s characters.": "最多填写 %(n)s 个字。",
    "The name is too long.": "姓名太长。",
    "Please enter a valid phone number.": "请填写正确的电话号码。",
    "At most 3 photos.": "最多上传 3 张照片。",
    "Only photos (JPG, PNG, GIF, WebP) are accepted.": "只接受照片（JPG、PNG、GIF、WebP）。",
    "A photo is too large.": "照片太大。",
    "A file is not a real photo.": "有文件不是有效的照片。",
    "A photo is empty.": "照片是空文件。",
    "Your rating": "您的评价",
    "Your opinion or suggestion": "意见或建议",
    "Please write your opinion.": "请填写您的意见。",
    "Please write %(min)d to %(max)d characters.": "请填写 %(min)d 到 %(max)d 个字。",
    "Name (optional)": "姓名（可不填）",
    "Phone (optional)": "电话（可不填）",
    "Photos (optional, up to 3)": "照片（可不传，最多 3 张）",
    "Leave this empty": "此项请留空",
    "Please check this.": "请检查此项。",
    "Year": "年度",
    "Department": "部门",
    "Department key": "部门编号",
    "The department's group": "部门用户组",
    "Investigation group": "评议调查组",
    "Content items (one per line)": "评议内容（每行一项）",
    "There is no group of this name.": "没有这个名称的组。",
    "A content item has at most 255 characters.": "每项评议内容最多 255 个字。",
    "Too many content items.": "评议内容项过多。",
    "The opinion channel was created.": "意见征集渠道已创建。",
    "The channel is open again.": "已重新开放征集。",
    "The channel is closed.": "已停止征集。",
    "The paper opinion was entered.": "纸质意见已录入。",
    "Classified.": "已归类。",
    "Merged.": "已合并。",
    "No longer merged.": "已取消合并。",
    "Marked as adopted.": "已标记为采纳。",
    "No longer adopted.": "已取消采纳。",
    "Note saved.": "备注已保存。",
    "Give the number of another opinion of this channel.": "请填写本渠道另一条意见的编号。",
    "That opinion is merged itself; give the number of the one it was merged into.":
        "那条意见本身已合并，请填写它所合并到的意见编号。",
    "A merged opinion cannot be adopted; adopt the one it was merged into.":
        "已合并的意见不能采纳，请采纳它所合并到的意见。",
    "Not one of this channel's content items.": "不是本渠道的评议内容项。",
    "The note is too long.": "备注太长。",
    "Sorry": "抱歉",
    "The photos are too large. Please send smaller ones or fewer.": "照片太大，请换小一些的照片或少传几张。",
    "Opinions for this evaluation are no longer being collected. Thank you for your interest.":
        "本次评议已不再收集意见，感谢您的关注。",
    "We have already received this opinion from you today; there is no need to send it again.":
        "今天已收到您的这条意见，无需重复提交。",
    "This code does not exist or is no longer in use.": "该二维码不存在或已停用。",
    "This deputy code has expired. Please ask the evaluation office for a new one.":
        "该代表码已过期，请向评议办索取新码。",
    "This deputy code is no longer valid. Please ask the evaluation office for a new one.":
        "该代表码已失效，请向评议办索取新码。",
    "This deputy code is not valid.": "该代表码无效。",
    "The page expired. Please go back, reload it and send your opinion again.": "页面已过期，请返回并刷新后重新提交。",
    "You have sent several opinions in a short time. Please try again later.": "您提交得太频繁了，请稍后再试。",
    "Thank you. Your opinion on %(department)s was received.": "谢谢！您对%(department)s的意见已收到。",
    "5 to 2,000 characters.": "5 到 2000 字。",
    "Your name and phone are seen only by the evaluation office and the investigation group, never by the "
    "department.": "您的姓名和电话只有评议办和评议调查组可以看到，被评议部门看不到。",
    "JPG, PNG, GIF or WebP, at most %(mb)s MB each.": "JPG、PNG、GIF 或 WebP，每张不超过 %(mb)s MB。",
    "open": "征集中",
    "closed": "已停止",
    "No opinion yet.": "暂无意见。",
    "QR code": "二维码",
    "Enter a paper opinion": "录入纸质意见",
    "Close the channel": "停止征集",
    "Open the channel again": "重新开放征集",
    "These are the opinions about your department. Who wrote them is not shown.":
        "以下是对本部门的意见，不显示提出人。",
    "Content item": "评议内容",
    "All content items": "全部评议内容",
    "merged into #%(n)s": "已合并到 #%(n)s",
    "Deputy": "代表",
    "Name": "姓名",
    "Phone": "电话",
    "Entered by %(name)s": "由%(name)s录入",
    "Anonymous": "匿名",
    "Note": "备注",
    "Review": "处理",
    "Not classified": "未归类",
    "Classify": "归类",
    "Unmerge": "取消合并",
    "Number of the opinion to keep": "保留的意见编号",
    "Merge into": "合并到",
    "Withdraw adoption": "取消采纳",
    "Adopt": "采纳",
    "Note, e.g. where it is cited in the report": "备注，如在调查报告中的引用位置",
    "Save note": "保存备注",
    "New channel": "新建渠道",
    "New opinion channel": "新建意见征集渠道",
    "Opinions are classified by these items, e.g. the \"9+2+N\" items.": "意见按这些内容归类，如“9+2+N”评议内容。",
    "Members of this group see the opinions about the department, without their authors.":
        "该组成员可以看到对本部门的意见，但看不到提出人。",
    "Create": "创建",
    "Print": "打印",
    "%(year)s evaluation of %(department)s": "%(year)s年度%(department)s评议",
    "Scan to give your opinion": "扫码提出意见",
    "This channel is closed: the code refuses opinions.": "本渠道已停止征集，扫码后不能再提交意见。",
    "Deputy codes": "代表码",
    "Deputies are the members of the group “%(group)s”.": "代表即“%(group)s”组的成员。",
    "Code version": "码版本",
    "Issued": "发放时间",
    "Print code": "打印代表码",
    "No deputy yet.": "暂无代表。",
    "Deputy code": "代表码",
    "Scan to give opinions on the departments under evaluation and to follow them up.":
        "扫码对被评议部门提出意见，并查看办理情况。",
    "Personal: do not pass it on. Valid for %(days)s days.": "本人专用，请勿转交。有效期 %(days)s 天。",
    "Lost or passed on?": "遗失或被他人使用？",
    "Revoking makes every code printed so far for this deputy stop working; then print the new one.":
        "作废后，此前为该代表打印的所有代表码都将失效，请随后打印新码。",
    "Revoke this deputy’s code?": "确定作废该代表的代表码吗？",
    "Revoke and reissue": "作废并重新发放",
    "The old code of %(name)s no longer works. Print the new one below.":
        "%(name)s的旧代表码已作废，请打印下面的新码。",
    "My opinions": "我的意见",
    "Deputy %(name)s": "%(name)s代表",
    "Give an opinion": "提出意见",
    "No evaluation is collecting opinions at the moment.": "目前没有正在征集意见的评议。",
    "Filed under": "归入",
    "Taken together with a similar opinion (no. %(n)s).": "已与相同意见（第 %(n)s 号）合并处理。",
    "Adopted by the investigation group.": "已被评议调查组采纳。",
    "%(n)s photo(s)": "%(n)s 张照片",
    "You have not given an opinion yet.": "您还没有提出意见。",
    "This page is reached with your personal deputy code. Keep the code to yourself; if it is lost, ask the "
    "evaluation office to replace it.": "本页面通过您的个人代表码打开。请妥善保管；如有遗失，请联系评议办更换。",
    "There is no opinion channel you may see.": "没有您可以查看的意见征集渠道。",
    "Save": "保存",
    "You are giving this opinion as deputy %(name)s.": "您正在以%(name)s代表的身份提出意见。",
    "The Standing Committee of the county people’s congress is evaluating this department. Tell us how satisfied "
    "you are with its work and what should be improved.":
        "县人大常委会正在对该部门开展工作评议。欢迎您对其工作作出评价，并提出意见和建议。",
    "Send": "提交",
    "Thank you": "感谢您的参与",
    "Your opinion on %(department)s was received.": "您对%(department)s的意见已收到。",
    "The investigation group reads every opinion; it may be cited, without your name, in the evaluation report.":
        "评议调查组会阅读每一条意见，意见可能在评议报告中引用，但不会提及您的姓名。",
}


ZH.update(ZH_BALLOTS)
ZH.update(ZH_ORG)
ZH.update(ZH_ACCOUNTS)
ZH.update(ZH_EVALUATION)
ZH.update(ZH_PUBLIC)
ZH.update(ZH_PROGRESS)
ZH.update(ZH_ADMIN)
ZH.update(ZH_AUDIT)
ZH.update(ZH_FORMS_FIX)
ZH.update(ZH_FIX_VOTES)
ZH.update(ZH_FIX_HISTORY)
ZH.update(ZH_FIX_PUBLIC_SAFETY)
ZH.update(ZH_FIX_YEAR)
ZH.update(ZH_FIX_RECTIFY)
ZH.update(ZH_MODELS_FIX)


def main() -> int:
    pot = ROOT / "build/messages.pot"
    pot.parent.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "--no-location", "--omit-header", "-o", str(pot), "."], cwd=ROOT, check=True,
                   capture_output=True)
    with open(pot, "rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    catalog.fuzzy = False
    catalog.project, catalog.version = "Pingyi", "1"
    catalog.copyright_holder = "Pingyi developers"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = catalog.language_team = "Pingyi developers"
    missing = []
    for message in catalog:
        if message.id:
            message.string = ZH.get(message.id, "")
            if not message.string:
                missing.append(message.id)
    with open(PO, "wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True, width=120)
    for text in missing:
        print("missing:", text)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
