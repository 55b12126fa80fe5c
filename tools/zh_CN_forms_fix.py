"""Chinese for the task forms: attachment, draft and validation messages."""

ZH_FORMS_FIX: dict[str, str] = {
    # text lengths and WTForms' own messages on the dynamic forms
    "Please write %(min)d or more characters.": "请至少填写 %(min)d 个字。",
    "Please write %(max)d or fewer characters.": "最多填写 %(max)d 个字。",
    "Not a valid float value.": "请输入数字。",
    "Invalid Choice: could not coerce.": "请从选项中选择。",
    "Invalid choice(s): one or more data inputs could not be coerced.": "请从选项中选择。",
    "This field cannot be edited.": "此项不能修改。",
    "This field is disabled and cannot have a value.": "此项不可填写。",
    # files refused on the way in
    "Files of this type are not accepted here: “%(name)s”.": "此处不接受这类文件：“%(name)s”。",
    "The file is empty: “%(name)s”.": "文件为空：“%(name)s”。",
    "The file’s content does not match its type: “%(name)s”.": "文件内容与类型不符：“%(name)s”。",
    "The file is too large: “%(name)s”. Each file may have at most %(limit)s.":
        "文件过大：“%(name)s”。单个文件不超过 %(limit)s。",
    "Files of this type are not accepted here: “%(name)s”. Accepted types: %(types)s.":
        "此处不接受这类文件：“%(name)s”。可上传的类型：%(types)s。",
    "This file could not be accepted: “%(name)s”.": "无法接收此文件：“%(name)s”。",
    "Nothing was saved and no file was kept: choose the files again before sending.":
        "本次未保存任何内容，所选文件也均未保留：请重新选择文件后再提交。",
    # drafts
    "Some answers are longer than their fields allow; the draft was not saved. Shorten them and save again.":
        "部分内容超出字数限制，草稿未保存。请删减后再次保存。",
    "The draft is too long to be saved. Shorten the answers and save again.":
        "草稿内容过长，无法保存。请删减后再次保存。",
    # a long list of check boxes
    "Filter, e.g. a delegation": "筛选，如输入代表团名称",
    "Filter the choices": "筛选选项",
    "Tick those shown": "选中筛出的",
    "Untick those shown": "取消筛出的",
    "%(n)s ticked": "已选 %(n)s 项",
    "“{name}” is larger than {size}; choose a smaller file.": "“{name}”超过 {size}，请选择较小的文件。",
}
