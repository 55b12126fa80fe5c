"""Chinese for this round of fixes (public_safety)."""

ZH_FIX_PUBLIC_SAFETY: dict[str, str] = {
    "A photo has too many pixels (at most %(n)s million). Please send a smaller one.":
        "照片像素过多（最多 %(n)s 百万像素），请换一张较小的照片。",
    "Please scan the QR code of your deputy code again.": "请重新扫描您的代表码二维码。",
}
