"""Dates as page dumps write them: "September 02, 2017", "2 September 2017", "Jan. 5th, 2019"."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"

#: A date in any of the forms we read; embed it in larger patterns (no groups of its own).
DATE = (rf"{_WEEKDAY}(?:{_MONTH}\s+{_DAY},?\s+\d{{4}}|{_DAY}\.?\s+{_MONTH},?\s+\d{{4}}"
        r"|\d{4}-\d{2}-\d{2})")

_MONTH_FIRST = re.compile(rf"({_MONTH})\s+({_DAY}),?\s+(\d{{4}})$", re.IGNORECASE)
_DAY_FIRST = re.compile(rf"({_DAY})\.?\s+({_MONTH}),?\s+(\d{{4}})$", re.IGNORECASE)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")
_WEEKDAY_PREFIX = re.compile(_WEEKDAY, re.IGNORECASE)


def parse_date(text: str) -> dt.date | None:
    """The date written in `text` (one of the forms of `DATE`), or None if it is not one."""
    text = _WEEKDAY_PREFIX.sub("", " ".join(text.split()), count=1)
    try:
        if match := _ISO.match(text):
            year, month, day = (int(g) for g in match.groups())
        elif match := _MONTH_FIRST.match(text):
            month, day, year = _month(match[1]), _number(match[2]), int(match[3])
        elif match := _DAY_FIRST.match(text):
            day, month, year = _number(match[1]), _month(match[2]), int(match[3])
        else:
            return None
        return dt.date(year, month, day)
    except ValueError:  # 31 February and the like
        return None


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()[:4 if name.lower().startswith("sept") else 3]]


def _number(day: str) -> int:
    return int(re.sub(r"\D", "", day))
