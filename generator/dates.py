"""Dates as machines read them (Atom, sitemaps, JSON-LD, Open Graph): instants with a time
zone. A datetime written with an offset keeps it; one without, and a bare date (at
midnight), are read in the site's time zone (`timezone` in folio.toml, default UTC)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

UTC_NAME = "UTC"


def site_zone(name: str) -> dt.tzinfo:
    """The time zone of an IANA name; UTC needs no time zone database. Raises
    zoneinfo.ZoneInfoNotFoundError (a KeyError) or ValueError for a name that is none."""
    if name == UTC_NAME:
        return dt.UTC
    return zoneinfo.ZoneInfo(name)


def zone_problem(name: str) -> str | None:
    """Why `name` is not a time zone Folio can use, or None."""
    try:
        site_zone(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return f"unknown time zone {name!r}"
    return None


def instant(value: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """A date or datetime as an aware datetime: its own offset when written with one, else
    in `zone` (a bare date at midnight)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    return dt.datetime(value.year, value.month, value.day, tzinfo=zone)


def rfc3339(value: object, zone: dt.tzinfo = dt.UTC) -> str:
    """A date or datetime as RFC 3339 (Atom, sitemaps, JSON-LD), "Z" for a zero offset;
    anything else as the epoch (a feed without entries)."""
    if not isinstance(value, dt.date):
        return "1970-01-01T00:00:00Z"
    return instant(value, zone).isoformat().replace("+00:00", "Z")
