"""Chinese for the task forms: attachment, draft and validation messages."""

ZH_FORMS_FIX: dict[str, str] = {
}
