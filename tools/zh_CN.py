"""Chinese (zh_CN) translations of the interface, written into web/translations/zh_CN/.../messages.po.

Run after adding strings:  .venv/bin/python tools/zh_CN.py   (extracts, merges, fails on gaps)
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "web/translations/zh_Hans_CN/LC_MESSAGES/messages.po"

ZH = {
    # WTForms and the dynamic forms
    "This field is required.": "此项必填。",
    "Invalid input.": "输入无效。",
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
    "Something went wrong on our side. Please tell the administrator the reference number below.":
        "系统出现错误。请把下面的参考编号告诉系统管理员。",
    "This page or item does not exist.": "页面或内容不存在。",
    "You may not do this.": "您无权进行此操作。",
    "Someone changed this in the meantime; please reload and try again.": "内容已被他人修改，请刷新后重试。",
    "Someone changed this process in the meantime; please reload and try again.": "流程已被他人更新，请刷新后重试。",
    "This task was already completed by %(by)s.": "该任务已由%(by)s完成。",
    "Some answers are missing or invalid.": "有内容未填写或填写有误。",
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
    "The task was released to its group.": "任务已退回给所在组。",
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
    "Release": "退回",
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
    "ended by the process": "已由流程结束",
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
}


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
