"""Reading one cell or element's text as a PIT value, with the message a person gets when it cannot be read."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d.%m.%Y")
MONEY_LIMIT = Decimal("9999999999.99")  # NUMERIC(12,2)
PREDECESSOR = re.compile(
    r"^(?P<ref>[A-Za-z0-9_.]+?)\s*(?P<type>FS|SS|FF|SF)?\s*(?:(?P<sign>[+-])\s*(?P<lag>\d+)\s*(?:d|days?)?)?$",
    re.IGNORECASE,
)


class BadValue(ValueError):
    """A value that cannot be read; its message says what was expected."""


def read_date(value, label: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise BadValue(f"{label} “{text}” is not a date: write it as 2026-03-31 or 31/03/2026.") from None


def read_money(value, label: str) -> Decimal:
    if value in (None, ""):
        return Decimal("0.00")
    text = str(value).strip().replace(",", "").replace("$", "").replace(" ", "")
    try:
        amount = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise BadValue(f"{label} “{value}” is not an amount: write it as 1500 or 1500.50.") from None
    if amount < 0:
        raise BadValue(f"{label} cannot be negative ({value}).")
    if amount > MONEY_LIMIT:
        raise BadValue(f"{label} {value} is more than PIT can hold ({MONEY_LIMIT:,}).")
    return amount


def read_progress(value, *, fraction: bool = False) -> int:
    """Progress in % (a spreadsheet cell formatted as a percentage holds a fraction: `fraction`)."""
    if value in (None, ""):
        return 0
    text = str(value).strip().rstrip("%").strip()
    try:
        number = Decimal(text) * (100 if fraction else 1)
    except InvalidOperation:
        raise BadValue(f"Progress “{value}” is not a number from 0 to 100.") from None
    if not 0 <= number <= 100:
        raise BadValue(f"Progress {value} is outside 0–100.")
    return int(number.to_integral_value())


def read_predecessors(value) -> list[list]:
    """Reads "3, 5+2d, 7-1": the ids of the items this one waits for, each with an optional lag in days."""
    links = []
    for part in re.split(r"[,;]", str(value or "")):
        if not (part := part.strip()):
            continue
        match = PREDECESSOR.match(part)
        if not match:
            raise BadValue(f"Predecessor “{part}” is not an id with an optional lag, such as 4 or 4+2d.")
        if (kind := (match["type"] or "FS").upper()) != "FS":
            raise BadValue(f"Predecessor “{part}” is {kind}: PIT links finish-to-start only.")
        lag = int(match["lag"] or 0) * (-1 if match["sign"] == "-" else 1)
        links.append([match["ref"], lag])
    return links
