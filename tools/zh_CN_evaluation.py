"""Chinese for the evaluation's own pages (merged into tools/zh_CN.py's ZH)."""

ZH_EVALUATION = {
    "Process models": "流程模型",
    "Processes": "流程",
    "version %(n)s": "第 %(n)s 版",
    "Versions": "版本",
    "The diagram could not be shown.": "流程图无法显示。",
    "Drag to move the diagram; use the mouse wheel to zoom.": "拖动可移动流程图，滚动鼠标滚轮可缩放。",
    # open steps that reach nobody (the instance page and its progress table)
    "Nobody can take this": "无人可办理",
    "Add someone to %(groups)s, or have an administrator reassign the task.":
        "请将人员加入%(groups)s，或请系统管理员转办此任务。",
    "Have an administrator reassign the task.": "请系统管理员转办此任务。",
    "Open steps that reach nobody: %(n)s. They are marked “Nobody can take this”.":
        "无人可办理的待办步骤：%(n)s 个，已标注“无人可办理”。",
    # events of a process taking over what the office opened by hand
    "Open vote taken over by the process": "流程接管已开启的表决",
    "Content items of an opinion channel changed": "评议码的评议内容已更新",
}
