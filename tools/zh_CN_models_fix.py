"""Chinese for model and form checks: the problems Check, Deploy and upload report."""

ZH_MODELS_FIX: dict[str, str] = {
}
