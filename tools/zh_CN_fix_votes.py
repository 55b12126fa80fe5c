"""Chinese for this round of fixes (votes)."""

ZH_FIX_VOTES: dict[str, str] = {
}
