"""Chinese for the auditors' pages, exports and dossiers (merged into tools/zh_CN.py's ZH)."""

ZH_AUDIT = {
    # navigation and tabs
    "Audit": "审计",
    "All instances": "全部流程实例",
    "Who touched a department": "部门经手人",
    "Integrity check": "完整性校验",
    "You are an auditor: you read every process, task, file and event under “Audit”, and change nothing.":
        "您是审计员：可在“审计”中查阅所有流程、任务、附件和事件，但不能作任何更改。",
    "Go to the audit pages": "进入审计页面",
    "Viewed by auditors: %(n)s": "审计员查看：%(n)s 次",
    "Draft, not submitted": "草稿（未提交）",
    # history search
    "Search the history": "查询办理记录",
    "code or name": "编码或名称",
    "user name or name": "用户名或姓名",
    "All events": "全部事件",
    "Instance no.": "实例编号",
    "From": "起始日期",
    "To": "截止日期",
    "Clear": "清除",
    "Export CSV": "导出 CSV",
    "Export Excel": "导出 Excel",
    "Who touched it": "经手人",
    "Newest first. Department: its own instances (business key or start data), its tasks in shared processes "
    "(by title), its ballots, opinion channels and publications. Year: the year of the instance (business key or "
    "start data), else of the ballot, channel or publication, else when it happened.":
        "按时间倒序。部门：该部门自己的流程实例（业务编号或发起数据）、共用流程中以其命名的任务（按任务标题）、其表决、"
        "意见征集渠道和公开信息。年度：流程实例的年度（业务编号或发起数据），否则为表决、渠道或公开信息的年度，"
        "否则为事件发生的年份。",
    "No event matches.": "没有符合条件的事件。",
    "Where": "所在",
    "Newer": "较新",
    "Newest": "最新",
    "Older": "较早",
    "Time": "时间",
    "Instance %(n)s": "实例 %(n)s",
    "Data before and after": "变更前后的数据",
    "Field": "字段",
    "Before": "变更前",
    "After": "变更后",
    "tampered": "已被篡改",
    "This event no longer matches its hash: it was changed after it was recorded.":
        "此事件与其哈希值不符：记录后被改动过。",
    # one event
    "Event %(n)s": "事件 %(n)s",
    "all its events": "其全部事件",
    "Its link to the event before it does not match: an earlier event was changed, replaced or removed.":
        "与前一事件的链接不符：更早的事件被改动、替换或删除过。",
    "Previous hash": "前一事件哈希值",
    "Content": "内容",
    "matches its hash": "与哈希值相符",
    "does NOT match its hash": "与哈希值不符",
    "Link": "链接",
    "matches the event before it": "与前一事件相符",
    "does NOT match the event before it": "与前一事件不符",
    # instances
    "Search the instances": "查询流程实例",
    "Any": "不限",
    "Title or business key": "标题或业务编号",
    "No instance matches.": "没有符合条件的流程实例。",
    "Records": "档案",
    "Events": "事件",
    "Dossier (ZIP)": "案卷（ZIP）",
    # who touched
    "Everyone who acted on the department’s instances, tasks, ballots, opinions and publications in that year "
    "(every year when none is given). Auditors’ views are not counted.":
        "在该年度（未填年度则为全部年度）对该部门的流程实例、任务、表决、意见和公开信息进行过操作的所有人员。审计员的查看不计入。",
    "%(department)s, %(year)s": "%(department)s，%(year)s",
    "all years": "全部年度",
    "Nobody acted on it.": "无人经手。",
    "Person": "人员",
    "Actions": "操作次数",
    "What": "操作内容",
    "First": "首次",
    "Last": "最近",
    "Voted in its ballots": "参加其表决的人员",
    "From the turnout recorded when each vote closed; votes themselves carry no time and no name.":
        "依据每次表决结束时记录的投票情况；选票本身不记录时间和姓名。",
    "All its events": "其全部事件",
    # integrity check
    "Every event carries the SHA-256 of its content and of the event before it. The check recomputes the whole "
    "chain and names the first event that was changed, removed or replaced.":
        "每个事件都记有其内容及前一事件的 SHA-256 哈希值。校验将重新计算整条哈希链，"
        "并指出第一个被改动、删除或替换的事件。",
    "Check the chain now": "立即校验",
    "The chain is intact: %(n)s events verified.": "哈希链完好：已校验 %(n)s 个事件。",
    "The chain is BROKEN at event %(n)s.": "哈希链在事件 %(n)s 处断开。",
    "%(n)s events checked.": "已校验 %(n)s 个事件。",
    "Show event %(n)s": "查看事件 %(n)s",
    "Checking: %(n)s of %(total)s events verified so far…": "正在校验：已校验 %(n)s / %(total)s 个事件……",
    "Continue": "继续",
    "The same check runs on the command line: pingyi verify-audit.": "命令行中可运行同样的校验：pingyi verify-audit。",
    "Events before it are missing (they were deleted).": "此前的事件缺失（已被删除）。",
    "Its link to the event before it does not match: an earlier event was changed or replaced.":
        "与前一事件的链接不符：更早的事件被改动或替换过。",
    "Its content does not match its hash: the row was edited.": "内容与其哈希值不符：该记录被改动过。",
    "The chain ends before the last recorded event: events at the end were removed.":
        "哈希链在登记的最后一个事件之前中断：末尾的事件被删除了。",
    "The last event is not the one recorded as the last: it was replaced.":
        "最后一个事件不是登记为最后的那个：它被替换过。",
    "Events were added after the recorded end of the chain.": "在登记的链尾之后被添加了事件。",
    # exports
    "No.": "序号",
    "Time (Beijing)": "时间（北京时间）",
    "Event": "事件",
    "Event type": "事件类型",
    "Actor": "操作人",
    "Instance": "流程实例",
    "Task": "任务",
    "Element": "流程元素",
    "Details": "详情",
    "Hash": "哈希值",
    "Integrity": "完整性",
    "Version": "版本",
    "Business key": "业务编号",
    "Started by": "发起人",
    "Last change": "最后变动",
    "intact": "完好",
    "TAMPERED": "已被篡改",
    # dossier
    "Pingyi dossier": "评议通案卷",
    "Dossier made": "案卷生成",
    "Completed tasks": "已完成的任务",
    "Completed by": "办理人",
    "Their drafts are in instance.json.": "其草稿见 instance.json。",
    "Every event of this process, each checked against its hash": "本流程的全部事件（逐条与哈希值核对）",
    "Contents": "内容说明",
    "instance.json: the process, its current data and open tasks with drafts; tasks/: what was submitted in each "
    "completed task, as data (JSON) and as read (HTML); attachments.csv and files/: the files with their SHA-256; "
    "SHA256SUMS: the SHA-256 of every file in this archive.":
        "instance.json：流程实例、当前数据及待办任务（含草稿）；tasks/：每个已完成任务提交的内容，分为数据（JSON）和阅读版"
        "（HTML）；attachments.csv 和 files/：附件及其 SHA-256；SHA256SUMS：本压缩包内每个文件的 SHA-256。",
    "yes": "是",
    "enclosed, but its content changed": "已附，但内容已变",
    "missing": "缺失",
    "File": "文件",
    "Uploaded by": "上传人",
    "Uploaded": "上传时间",
    "Size (bytes)": "大小（字节）",
    "Enclosed": "是否附带",
    "Path in this archive": "在压缩包中的位置",
    # event names
    "Viewed by an auditor": "审计员查看",
    "User created": "创建用户",
    "Password changed": "修改密码",
    "Account deactivated": "停用账号",
    "Account activated again": "重新启用账号",
    "Group created": "创建用户组",
    "Added to a group": "加入用户组",
    "Removed from a group": "移出用户组",
    "API token created": "创建接口令牌",
    "API token revoked": "吊销接口令牌",
    "Department added": "新增部门",
    "Department changed": "修改部门",
    "Committee office added": "新增委室",
    "Committee office changed": "修改委室",
    "Observer unit added": "新增列席单位",
    "Observer unit changed": "修改列席单位",
    "Committee member added": "新增常委会组成人员",
    "Committee member changed": "修改常委会组成人员",
    "Deputy added": "新增代表",
    "Deputy changed": "修改代表",
    "Organisation list imported": "导入机构人员名单",
    "Process moved to a newer version": "流程迁移到新版本",
    "Move to a newer version refused": "迁移到新版本被拒绝",
    "Diagram draft saved": "保存流程图草稿",
    "Diagram draft discarded": "放弃流程图草稿",
    "Diagram draft deployed": "部署流程图草稿",
    "Form saved in a draft": "在草稿中保存表单",
    "The citizens’ names, phones and photos are not shown; who entered a paper opinion and the group’s notes are.":
        "不显示群众的姓名、电话和照片；显示纸质意见的录入人和调查组的备注。",
    "What it said (in the audit log)": "原文（见审计日志）",
}
