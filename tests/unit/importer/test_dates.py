"""Dates as page dumps write them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator.importer.dates import DATE, parse_date


@pytest.mark.parametrize(("text", "date"), [
    ("September 02, 2017", dt.date(2017, 9, 2)),
    ("2 September 2017", dt.date(2017, 9, 2)),
    ("January 5, 2019", dt.date(2019, 1, 5)),
    ("Jan 5 2019", dt.date(2019, 1, 5)),
    ("Jan. 5th, 2019", dt.date(2019, 1, 5)),
    ("5th January, 2019", dt.date(2019, 1, 5)),
    ("Sept. 30, 2016", dt.date(2016, 9, 30)),
    ("Sep 30, 2016", dt.date(2016, 9, 30)),
    ("SEPTEMBER 2, 2017", dt.date(2017, 9, 2)),
    ("Monday, January 7, 2019", dt.date(2019, 1, 7)),
    ("2019-01-05", dt.date(2019, 1, 5)),
    ("  March   14,  2019 ", dt.date(2019, 3, 14)),
])
def test_usual_forms(text: str, date: dt.date) -> None:
    assert parse_date(text) == date
    assert re.fullmatch(DATE, " ".join(text.split()), re.IGNORECASE)


@pytest.mark.parametrize("text", ["February 30, 2019", "2019-13-01", "Smarch 3, 2019", "",
                                  "September 2017", "05/01/2019"])
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None
