"""Chinese for this round of fixes (rectify)."""

ZH_FIX_RECTIFY: dict[str, str] = {
    "Evaluation opinions letter (Word)": "评议意见书（Word）",
}
