"""Import → export → import into an empty catalogue gives the same records and items.

Every sample file, in every export format, on SQLite and PostgreSQL. The first
import puts copies at a point (the samples' own holdings, or ``--items-at`` with
generated barcodes), so that the items travel through the export too.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from wenjin.catalog.exporting import run_export
from wenjin.catalog.importing import run_import
from wenjin.catalog.models import BibRecord, Item, ItemType
from wenjin.catalog.states import MarcFlavour
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint

MARC_DATA = Path(__file__).resolve().parents[2] / "data" / "marc"

# file, point for copies without holdings (and for the samples' 905 $a BNU)
SAMPLES = [
    ("marc.dat", "CC"),
    ("marc8.dat", "CC"),
    ("multi_isbn.dat", "ZX"),
    ("utf8_with_leader_flag.dat", "ZX"),
    ("utf8_without_leader_flag.dat", "ZX"),
    ("testunimarc.dat", "ZX"),
    ("bad_records.mrc", "ZX"),
    ("bad_subfield_code.dat", "ZX"),
    ("bad_indicator.dat", "ZX"),
    ("marc21_invalid_utf8.mrc", "ZX"),
    ("cnmarc_bnu10_from_dp2_sru_sample.utf8.iso", "BNU"),
    ("cnmarc_bnu10_from_dp2_sru_sample.gb18030.iso", "BNU"),
    ("sample_cnmarcxml.xml", "BNU"),
    ("sample_unimarcxml.xml", "BNU"),
    ("cnmarc_one_bad_record.xml", "BNU"),
    ("marc21_chinese_sample_marcxml.xml", "CC-V001"),
    ("batch.xml", "CC"),
    ("utf8.xml", "CC"),
    ("batch.json", "CC"),
    ("batch_lines.json", "CC"),
    ("one.json", "CC"),
]


def catalogue(engine: Engine) -> dict[str, Any]:
    """The catalogue's content, without database ids."""
    home = aliased(ServicePoint)
    here = aliased(ServicePoint)
    with UnitOfWork(engine, readonly=True) as work:
        records = sorted(
            (r.source, r.control_number or "", r.flavour.value, r.marc)
            for r in work.session.scalars(select(BibRecord))
        )
        rows = work.session.execute(
            select(Item, BibRecord.fingerprint, home.code, here.code, ItemType.code)
            .join(BibRecord, Item.bib_id == BibRecord.id)
            .join(home, Item.owning_point_id == home.id)
            .join(here, Item.current_point_id == here.id)
            .join(ItemType, Item.item_type_id == ItemType.id)
        )
        items = sorted(
            (
                item.barcode,
                fingerprint,
                owning,
                current,
                item_type,
                item.call_number,
                item.location,
                item.volume,
                item.price_fen,
                item.acquired_on,
                item.status.value,
                item.floating,
            )
            for item, fingerprint, owning, current, item_type in rows
        )
    return {"records": records, "items": items}


# Every sample through ISO 2709; a few, different in kind, through MARCXML and JSON too.
ROUND_TRIPS = [(name, items_at, "iso2709") for name, items_at in SAMPLES] + [
    (name, items_at, file_format)
    for name, items_at in SAMPLES
    if name
    in {
        "sample_cnmarcxml.xml",
        "marc21_chinese_sample_marcxml.xml",
        "marc.dat",
        "bad_indicator.dat",
    }
    for file_format in ("marcxml", "json")
]


@pytest.mark.parametrize(("name", "items_at", "file_format"), ROUND_TRIPS)
def test_importing_an_export_gives_back_the_same_records_and_items(
    engine: Engine,
    network: dict[str, int],
    wipe_catalogue: Callable[[], None],
    tmp_path: Path,
    name: str,
    items_at: str,
    file_format: str,
) -> None:
    first = run_import(
        engine, MARC_DATA / name, items_at=items_at, rejects_path=tmp_path / "first.txt"
    )
    assert first.imported > 0
    before = catalogue(engine)
    assert before["items"], "the round trip should carry items too"

    exported = io.BytesIO()
    summary = run_export(engine, exported, file_format=file_format)  # type: ignore[arg-type]
    assert (summary.records, summary.items) == (len(before["records"]), len(before["items"]))

    wipe_catalogue()
    export_file = tmp_path / f"export.{file_format}"
    export_file.write_bytes(exported.getvalue())
    second = run_import(engine, export_file, rejects_path=tmp_path / "second.txt")
    assert (second.rejected, second.problems) == (0, 0)
    assert catalogue(engine) == before


def test_exporting_cnmarc_as_marc21_and_back_keeps_the_items(
    engine: Engine, network: dict[str, int], wipe_catalogue: Callable[[], None], tmp_path: Path
) -> None:
    run_import(
        engine, MARC_DATA / "sample_cnmarcxml.xml", items_at="BNU", rejects_path=tmp_path / "r"
    )
    before = catalogue(engine)
    exported = io.BytesIO()
    run_export(engine, exported, file_format="marcxml", flavour=MarcFlavour.MARC21)
    wipe_catalogue()
    path = tmp_path / "marc21.xml"
    path.write_bytes(exported.getvalue())
    summary = run_import(engine, path, rejects_path=tmp_path / "r2")
    assert (summary.imported, summary.items_created) == (10, len(before["items"]))
    after = catalogue(engine)
    assert [item[0] for item in after["items"]] == [item[0] for item in before["items"]]
    assert {r[2] for r in after["records"]} == {"marc21"}


def test_an_export_limited_to_a_point_carries_only_its_items(
    engine: Engine, network: dict[str, int], tmp_path: Path
) -> None:
    run_import(engine, MARC_DATA / "marc.dat", items_at="CC-V001", rejects_path=tmp_path / "a")
    run_import(engine, MARC_DATA / "batch.json", items_at="ZX", rejects_path=tmp_path / "b")
    branch = io.BytesIO()
    summary = run_export(engine, branch, file_format="json", point="CC")  # CC and its villages
    assert (summary.records, summary.items) == (20, 20)
    central = io.BytesIO()
    assert run_export(engine, central, point="ZX").items == 2
