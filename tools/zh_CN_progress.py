"""Chinese for the progress pages: the list of instances one takes part in and the per-branch table."""

ZH_PROGRESS = {
    "Progress": "进展",
    "Under way": "进行中",
    "Finished": "已结束",
    "Updated": "更新于",
    "Title, number or process": "标题、编号或流程",
    "%(count)s processes": "共 %(count)s 个流程",
    "%(n)s overdue": "%(n)s 项逾期",
    "unassigned": "待领取",
    "and %(n)s more open steps": "另有 %(n)s 项待办",
    "The processes you take part in: started by you, or with a step for you or your groups.":
        "您参与的流程：由您发起，或有您或您所在组的环节。",
    "Every process instance.": "全部流程实例。",
    "Progress of each branch": "各部门（分支）进度",
    "Branch": "部门（分支）",
    "%(done)s of %(total)s with nothing open": "%(total)s 个中 %(done)s 个已无待办",
    "done late": "逾期完成",
    "late": "逾期",
    "to do": "待办理",
    "due %(date)s": "%(date)s 到期",
    "ended by the process": "流程已结束此环节",
    "%(n)s rounds": "共 %(n)s 轮",
    "done %(date)s": "%(date)s 完成",
    "done late %(date)s": "%(date)s 逾期完成",
    "overdue since %(date)s": "已逾期（%(date)s 到期）",
    "Rectification ledger": "整改台账",
    "What the opinions ask": "整改要求",
    "Responsible": "责任人",
    "Reported on": "报告日期",
    "not yet reported": "尚未报告",
    "Asked": "整改要求",
    "Each problem of the opinions issued to a department, with the deadline they set, the measures of the "
    "department’s rectification plan and what its report says became of it: the latest plan and report of each "
    "department you may see.":
        "交办各部门的评议意见中的每个问题及其整改时限、部门整改方案的措施及整改报告所述的落实情况"
        "（各部门最新的方案和报告，仅含您有权查看的部门）。",
    "No opinions issued to a department that you may see.": "尚无您有权查看的已交办评议意见。",
    "Rectification deadline": "整改时限",
    "no plan handed in": "未报送方案",
    "Departments that have not handed in a plan: %(n)s.": "未报送整改方案的部门：%(n)s 个。",
    "Departments overdue: %(n)s.": "已逾期的部门：%(n)s 个。",
    "Submitted by %(name)s on %(date)s": "%(name)s 于 %(date)s 提交",
    "Not submitted: the draft saved on %(date)s": "尚未提交（%(date)s 保存的草稿；未保存的填写内容不在其中）",
    "Not submitted: what the task holds now": "尚未提交（任务目前的内容）",
    "Ended by the process without being submitted": "未提交，流程已结束此环节",
    "This row’s fixed answers were changed. Reload the page and try again.":
        "此行不可修改的内容被改动，请刷新页面后重试。",
    "The rows the task gives must stay in the list. Reload the page to get them back.":
        "任务给出的各行必须保留，请刷新页面恢复。",
    "Rows of this list cannot be removed.": "此列表的行不能删除。",
    "Rows cannot be added to this list.": "此列表不能添加行。",
}
