"""Chinese for this round of fixes (public_safety)."""

ZH_FIX_PUBLIC_SAFETY: dict[str, str] = {
}
