"""Text helpers shared by every app."""

import re
import unicodedata

_PHONE_RE = re.compile(r"^\+?\d[\d\-]{5,19}$")


def normalize_phone(raw: str) -> str:
    """Digits only (a leading +86 is dropped); raises ValueError when it is not a phone number."""
    value = unicodedata.normalize("NFKC", raw or "").strip().replace(" ", "")
    if not _PHONE_RE.match(value):
        raise ValueError("bad phone")
    digits = re.sub(r"\D", "", value)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not 6 <= len(digits) <= 15:
        raise ValueError("bad phone")
    return digits


def mask_phone(phone: str | None) -> str:
    """138****1234: keeps the first three and the last four digits."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:1] + "*" * (len(phone) - 3) + phone[-2:]
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


# Full-width letters and digits (ＡＢＣ１２３) and the ideographic space become ASCII; Chinese
# punctuation (，。：（）) stays as written.
_HALF_WIDTH = {
    **{cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)},
    **{cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)},
    **{cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
}


def clean_text(raw: str) -> str:
    """Composed (NFC), full-width letters and digits made ASCII, trimmed, control characters removed."""
    value = unicodedata.normalize("NFC", raw or "").translate(_HALF_WIDTH)
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return value.strip()
