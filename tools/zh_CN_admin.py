"""Chinese for the administrators' process pages: versions, the BPMN editor, the form editor,
moving instances (merged into tools/zh_CN.py's ZH)."""

ZH_ADMIN = {
    # navigation and the version list
    "Process administration": "流程管理",
    "Version": "版本",
    "Instance": "流程实例",
    "Element": "流程元素",
    "Deployed by": "部署人",
    "Deployed at": "部署时间",
    "Running instances": "进行中",
    "Completed instances": "已完成",
    "Changes from the version before": "与上一版相比的变化",
    "system": "系统",
    "first version": "首个版本",
    "no element changed (other files or forms only)": "元素未变（仅其他文件或表单有变化）",
    "added": "新增",
    "removed": "删除",
    "changed": "修改",
    "was": "原为",
    "What changed in version %(n)s": "第 %(n)s 版的变化",
    "Not deployed yet.": "尚未部署。",
    "Upload a model (.bpmn) from any modeler": "上传任意建模工具导出的模型（.bpmn）",
    "Upload as a draft": "上传为草稿",
    "The file is a draft of %(process)s now. Check it and deploy it.":
        "该文件已成为 %(process)s 的草稿，请检查后部署。",
    "The model was refused": "模型未被接受",
    "%(file)s cannot be used as it is. Each problem names its element:":
        "%(file)s 不能直接使用，以下问题均注明所在元素：",
    "Download .bpmn": "下载 .bpmn",
    # what changed (aspects of an element)
    "type": "类型", "name": "名称", "documentation": "说明", "lane": "泳道", "form": "表单",
    "instructions": "办理说明", "task properties": "任务属性", "script": "脚本", "condition": "条件",
    "flow": "连线", "timer": "定时器", "multi-instance": "多实例", "loop": "循环", "service call": "服务调用",
    "called process": "调用的流程", "event": "事件", "attributes": "属性", "extensions": "扩展",
    "definition": "定义", "outgoing flows": "流出连线", "incoming flows": "流入连线", "conditions": "条件",
    "default flow": "默认连线", "pre-script": "前置脚本", "post-script": "后置脚本",
    "hit policy": "命中策略", "table inputs": "决策表输入", "table outputs": "决策表输出",
    "rule conditions": "规则条件", "rule results": "规则结果", "description": "描述",
    # moving instances
    "started": "已开始", "failed": "出错", "cancelled": "已取消", "passed earlier": "此前已经过",
    "Move waiting instances": "迁移等待中的实例",
    "Move the running and waiting instances of v%(n)s to": "将第 %(n)s 版进行中和等待中的实例迁移到",
    "Move": "迁移",
    "An instance moves only if nothing it has already done was changed or removed in the new version; otherwise it "
    "stays on its version and the table below names the tasks in the way.":
        "只有当实例已经办理过的环节在新版本中没有被修改或删除时才会迁移；否则实例留在原版本，下表列出受影响的环节。",
    "This is the latest version.": "这是最新版本。",
    "No running or waiting instance is on this version.": "此版本没有进行中或等待中的实例。",
    "No running or waiting instance was on this version.": "此版本没有进行中或等待中的实例。",
    "Outcome": "结果",
    "Why": "原因",
    "moved to v%(n)s": "已迁移到第 %(n)s 版",
    "stays": "留在原版本",
    "removed in the new version": "新版本中已删除",
    "It is already on version %(n)s.": "实例已在第 %(n)s 版。",
    "It is %(status)s; only running and waiting instances move.":
        "实例状态为%(status)s，只有进行中和等待中的实例可以迁移。",
    "The new version fails where it stands:": "新版本在实例当前所在环节出错：",
    "The task tree could not be moved:": "任务树无法迁移：",
    "%(moved)s of %(total)s waiting instances were moved to version %(n)s.":
        "%(total)s 个等待中的实例有 %(moved)s 个已迁移到第 %(n)s 版。",
    "Move the running and waiting instances of v%(n)s (all of them, or those ticked) to the chosen version? Open "
    "tasks keep their links, claims and drafts and take the title, form and due date of the new version. This "
    "cannot be undone.":
        "将第 %(n)s 版进行中和等待中的实例（全部，或已勾选的）迁移到所选版本？未办结的任务保留原链接、认领和草稿，"
        "并改用新版本的标题、表单和办理期限。此操作无法撤销。",
    "Only some of them": "只迁移其中部分实例",
    "Tick the instances to move; with none ticked, all of them move.": "勾选要迁移的实例；一个都不勾选则全部迁移。",
    "%(n)s more instances are not listed here; the audit log has each of them.":
        "另有 %(n)s 个实例未在此列出，审计日志中有每个实例的记录。",
    # 机构与人员: user names of existing accounts
    "Link existing accounts": "关联已有账号",
    "Tick this only when a user name belongs to an account of this same person (a deputy who is also a committee "
    "member, say). The account keeps its name and password. Accounts of administrators, auditors and departments "
    "are never linked.":
        "只有当用户名属于同一人的已有账号时才勾选（例如代表同时是常委会组成人员）。账号的姓名和密码保持不变。"
        "管理员、审计员和被评议部门的账号一律不能关联。",
    "An account with this user name exists already. If it is the same person, tick “Link existing accounts” (the "
    "account keeps its name); otherwise choose another user name.":
        "已有账号：该用户名属于一个已有账号。如确是同一人，请勾选“关联已有账号”（账号姓名不变）；否则请换一个用户名。",
    "This user name belongs to an administrator's or auditor's account, which cannot be listed here.":
        "已有账号：该用户名属于管理员或审计员账号，不能在此添加。",
    "This user name is a department's contact account, which cannot be a committee member or a deputy.":
        "已有账号：该用户名是被评议部门的联系人账号，不能作为常委会组成人员或代表。",
    "Linking keeps the account's name, and it differs from this one: type the name as the account has it, or check "
    "the user name.":
        "关联已有账号时不改姓名，而这里的姓名与该账号的姓名不同：请按账号上的姓名填写，或核对用户名。",
    " Linked to existing accounts: %(linked)s.": "关联已有账号 %(linked)s 条。",
    # the editor page
    "Check": "检查",
    "Deploy as a new version": "部署为新版本",
    "Draft saved %(when)s, based on version %(n)s.": "草稿保存于 %(when)s，基于第 %(n)s 版。",
    "Version %(n)s was deployed since this draft began.": "本草稿开始后又部署了第 %(n)s 版。",
    "Editing version %(n)s; saving makes a draft.": "正在编辑第 %(n)s 版，保存后成为草稿。",
    "Properties": "属性",
    "Problems": "问题",
    "Replace the draft with a .bpmn file": "用 .bpmn 文件替换草稿",
    "Upload": "上传",
    "Discard the draft? The deployed versions stay as they are.": "放弃草稿？已部署的版本不受影响。",
    "Discard the draft": "放弃草稿",
    "Version %(n)s of %(process)s is deployed; new instances start on it.":
        "%(process)s 第 %(n)s 版已部署，新实例将按此版本运行。",
    "Nothing changed: no new version was deployed.": "没有变化，未部署新版本。",
    "The draft was discarded.": "草稿已放弃。",
    "Choose a .bpmn file.": "请选择 .bpmn 文件。",
    "The uploaded file is the draft now. Check it and deploy it.": "上传的文件已成为草稿，请检查后部署。",
    # the side panel
    "Element name": "名称",
    "Id": "标识",
    "Type": "类型",
    "Documentation": "说明",
    "Lane": "泳道",
    "(no lane: whoever started it)": "（无泳道：由发起人办理）",
    "Form (JSON Schema)": "表单（JSON Schema）",
    "Form layout (UI schema)": "表单布局（UI Schema）",
    "(none)": "（无）",
    "Edit this form": "编辑表单",
    "New form…": "新建表单……",
    "Upload a form file (.json)": "上传表单文件（.json）",
    "Instructions (Jinja, e.g. {{ department }})": "办理说明（Jinja，例如 {{ department }}）",
    "Inbox title (Jinja)": "待办标题（Jinja）",
    "Candidates (expression: 'group:NAME', 'user:NAME' or a list)":
        "候选办理人（表达式：'group:组名'、'user:用户名' 或列表）",
    "Assignee (expression giving a user name)": "指定办理人（给出用户名的表达式）",
    "Due (dueAt expression)": "办理期限（dueAt 表达式）",
    "Helper:": "快捷设置：",
    "plus": "加",
    "Who, what, by when": "办理人、办理说明与期限",
    "Scripts": "脚本",
    "Sequence flow": "连线",
    "calendar months": "个自然月",
    "days": "天",
    "Use": "使用",
    "variable, e.g. issued_on": "变量，如 issued_on",
    "Priority (expression: 0 normal, 1 high, 2 urgent)": "优先级（表达式：0 普通，1 较高，2 紧急）",
    "Timer": "定时器",
    "at a date (timeDate)": "指定时间（timeDate）",
    "after a duration (timeDuration)": "一段时间后（timeDuration）",
    "repeating (timeCycle)": "周期重复（timeCycle）",
    "A Python expression: quote literal durations (\"P10D\"); a date needs its offset (end_of_day gives one).":
        "Python 表达式：固定时长要加引号（\"P10D\"）；日期须带时区偏移（end_of_day 会给出）。",
    "Condition (Python expression)": "条件（Python 表达式）",
    "Default flow (taken when no condition holds)": "默认连线（其他条件都不成立时走此线）",
    "Script (Python)": "脚本（Python）",
    "Script before the task (Python)": "任务前脚本（Python）",
    "Script after the task (Python)": "任务后脚本（Python）",
    "Multi-instance": "多实例",
    "One after another (sequential)": "依次办理（串行）",
    "Collection (input variable)": "集合（输入变量）",
    "Element variable": "元素变量",
    "Output collection": "输出集合",
    "Output element variable": "输出元素变量",
    "Completion condition": "完成条件",
    "Number of instances (instead of a collection)": "实例数量（代替集合）",
    "Service operation": "服务操作",
    "Operation": "操作",
    "Result variable": "结果变量",
    "Parameters (Python expressions; quote literal text)": "参数（Python 表达式；固定文字要加引号）",
    "required": "必填",
    "Called process (process id)": "调用的流程（流程标识）",
    "DMN decision id": "DMN 决策标识",
    "Message": "消息",
    "Variable that receives the payload": "接收消息内容的变量",
    "Payload (Python expression)": "消息内容（Python 表达式）",
    "Select an element in the diagram to edit it; with nothing selected you edit the process.":
        "在流程图中选中元素即可编辑；未选中时编辑的是整个流程。",
    "Draft saved.": "草稿已保存。",
    "Unsaved changes.": "有未保存的修改。",
    "Saving…": "正在保存……",
    "Checking…": "正在检查……",
    "No problems: the draft can be deployed.": "没有问题，草稿可以部署。",
    "Deploying…": "正在部署……",
    "The request failed:": "请求失败：",
    "Deploy the draft as a new version? New instances start on it; running ones stay on their version.":
        "将草稿部署为新版本？新实例将按新版本运行，进行中的实例仍按原版本运行。",
    "Leave without saving the draft?": "不保存草稿就离开？",
    "in another file": "在其他文件中",
    "The diagram could not be opened.": "流程图无法打开。",
    # the form editor
    "Form": "表单",
    "Saving puts the form into the draft of %(process)s; it is deployed with the process. See "
    "processes/forms/README.md for what forms may use.":
        "保存后表单进入 %(process)s 的草稿，随流程一起部署。表单可用的写法见 processes/forms/README.md。",
    "JSON Schema": "JSON Schema",
    "UI schema (optional)": "UI Schema（可选）",
    "Save in the draft": "保存到草稿",
    "%(what)s is not valid JSON: %(error)s": "%(what)s 不是有效的 JSON：%(error)s",
    "%(what)s must be a JSON object.": "%(what)s 必须是 JSON 对象。",
    "%(what)s is empty.": "%(what)s 为空。",
    "The form is saved in the draft of %(process)s; it deploys with the process.":
        "表单已保存到 %(process)s 的草稿，将随流程一起部署。",
    "Deployment would still refuse it:": "但部署时仍会被拒绝：",
    "This model has no diagram layout (BPMNDiagram), so the editor cannot draw it. Upload a .bpmn file exported "
    "with its diagram from a modeling tool.":
        "该模型没有图形布局（BPMNDiagram），编辑器无法显示。请上传从建模工具导出的、带图形布局的 .bpmn 文件。",
    "%(what)s nests too deeply.": "%(what)s 嵌套过深。",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "Show the whole diagram": "显示整个流程图",
    # instance administration and frozen tasks
    "Give a reason: it is kept in the history.": "请填写理由，理由将记入办理记录。",
    "The step was run again and failed again; see the error below.":
        "出错的步骤再次执行后仍然出错，详见下方的错误信息。",
    "No account has the user name %(name)s.": "没有用户名为 %(name)s 的账号。",
    "%(name)s cannot take tasks: the account is stopped, or it is an auditor's.":
        "%(name)s 不能办理任务：该账号已停用，或为审计员账号。",
    "%(holder)s holds this task now.": "此任务现由%(holder)s办理。",
    "The process has ended this task; it cannot be done any more.": "此任务已由流程结束，不能再办理。",
    "This process is suspended or has ended; its tasks cannot be worked on now.":
        "此流程已挂起或已结束，其中的任务现在不能办理。",
    "An administrator has suspended this process; its tasks can be done again once it is resumed.":
        "管理员已挂起此流程，恢复后才能继续办理其中的任务。",

    # the menu: short English words, the same Chinese as the pages' titles
    "Process admin": "流程管理",
    "Organisation": "机构与人员",
    "Confidential: of those working on one department, only this task's own people see what it records":
        "保密：同一部门的各环节中，只有本任务的办理人能看到其记录（如背靠背谈话）",
    # kinds of BPMN element, in a version's list of changes
    "user task": "用户任务", "manual task": "人工任务", "script task": "脚本任务", "service task": "服务任务",
    "business rule task": "业务规则任务", "task": "任务", "send task": "发送任务", "receive task": "接收任务",
    "call activity": "调用活动", "subprocess": "子流程", "start event": "开始事件", "end event": "结束事件",
    "boundary event": "边界事件", "intermediate event (catching)": "中间事件（捕获）",
    "intermediate event (throwing)": "中间事件（抛出）", "exclusive gateway": "排他网关",
    "parallel gateway": "并行网关", "inclusive gateway": "包容网关", "event-based gateway": "事件网关",
    "sequence flow": "顺序流",
    "decision table": "决策表", "rule": "规则",
    "A user name is 2 to 64 letters, digits or . _ - @, with at least one letter or digit.":
        "用户名为 2 到 64 位字母、数字或 . _ - @，且至少含一个字母或数字。",
    "A phone number has 5 to 20 digits, spaces or hyphens, and may start with +.":
        "电话号码为 5 到 20 位数字、空格或“-”，可以“+”开头。",
    "This cell holds a formula without a value: type the value itself (or open and save the file in Excel first).":
        "此单元格是没有计算结果的公式：请直接填写内容（或先用 Excel 打开并保存该文件）。",
}
