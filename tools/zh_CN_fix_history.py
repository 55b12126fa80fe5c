"""Chinese for this round of fixes (history)."""

ZH_FIX_HISTORY: dict[str, str] = {
}
