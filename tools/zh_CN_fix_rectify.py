"""Chinese for this round of fixes (rectify)."""

ZH_FIX_RECTIFY: dict[str, str] = {
}
