"""Chinese for the evaluation's own pages (merged into tools/zh_CN.py's ZH)."""

ZH_EVALUATION = {
    "Process models": "流程模型",
    "Processes": "流程",
    "version %(n)s": "第 %(n)s 版",
    "Versions": "版本",
    "The diagram could not be shown.": "流程图无法显示。",
    "Drag to move the diagram; use the mouse wheel to zoom.": "拖动可移动流程图，滚动鼠标滚轮可缩放。",
}
