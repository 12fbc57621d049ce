"""Spine labels (书标) as the staff page and the API both give them: which copies, and
each label's lines with its barcode drawn as inline SVG (:mod:`wenjin.web.barcodes`)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from wenjin.catalog.queries import SpineLabel, items_added, spine_labels
from wenjin.config import Settings
from wenjin.network.models import ServicePoint
from wenjin.web.barcodes import code128_svg
from wenjin.web.deps import network_today

MAX_LABELS = 1000


def barcodes_of(text: str) -> list[str]:
    """The barcodes typed or scanned into a box: one a line (commas and blanks also split)."""
    return [b for b in text.replace(",", "\n").split() if b][:MAX_LABELS]


def today_bounds(settings: Settings) -> tuple[datetime, datetime]:
    """Where today, in the network's time zone, starts and ends, as UTC instants."""
    day = network_today(settings)
    start = datetime.combine(day, time.min, tzinfo=settings.tz)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def label_view(label: SpineLabel) -> dict[str, Any]:
    """One label's lines, and its barcode as an ``<svg>`` element (None if not drawable)."""
    return {
        "barcode": label.barcode,
        "class_number": label.class_number,
        "book_number": label.book_number,
        "call_number": label.call_number,
        "volume": label.volume,
        "point_code": label.point_code,
        "point_name": label.point_name,
        "title": label.title,
        "svg": code128_svg(label.barcode),
    }


def label_sheet(
    session: Session,
    settings: Settings,
    *,
    barcodes: list[str],
    added_today_at: ServicePoint | None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The labels of ``barcodes`` and of the copies ``added_today_at`` a point, and the
    barcodes that are no item."""
    wanted = list(barcodes)
    if added_today_at is not None:
        since, until = today_bounds(settings)
        wanted += items_added(session, point_id=added_today_at.id, since=since, until=until)
    labels, unknown = spine_labels(session, wanted[:MAX_LABELS])
    return [label_view(label) for label in labels], unknown
