"""Numbers the Vietnamese way: 66,7 shown, 66,7 or 66.7 typed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def format_number(value: Decimal | float | int | None, places: int = 1) -> str:
    """66.7 → '66,7'; 80.0 → '80'; 12345 → '12.345'; None → '—'."""
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def parse_number(text: str) -> Decimal:
    """Parse a typed number: '66,7', '66.7', '1.234' (thousands), '1 234', '1.234,5'.

    Raises ValueError with no message; callers give the user-facing one.
    """
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        raise ValueError
    if "," in cleaned and "." in cleaned:
        # The later separator is the decimal one: 1.234,5 or 1,234.5.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(".") > 1 or (
        cleaned.count(".") == 1 and len(cleaned.split(".")[1]) == 3 and cleaned.split(".")[0] not in {"", "0", "-0"}
    ):
        # 1.234 or 1.234.567: Vietnamese thousands separators.
        cleaned = cleaned.replace(".", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError from exc
    if not number.is_finite():
        raise ValueError
    return number
