"""Chinese for this round of fixes (year)."""

ZH_FIX_YEAR: dict[str, str] = {
}
