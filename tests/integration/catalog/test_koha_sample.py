"""Koha's sample catalogue (GPL-3.0, read in place, never copied): 435 good records and the
one whose raw control characters make the original 436-record file invalid XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from wenjin.catalog.importing import run_import
from wenjin.catalog.models import BibRecord
from wenjin.db.uow import UnitOfWork

KOHA = Path(__file__).resolve().parents[4] / "shared" / "data" / "marc" / "koha"
VALID = KOHA / "koha_misc4dev_marc21_sample_biblios.VALID_SUBSET.xml"
INVALID = KOHA / "koha_misc4dev_marc21_sample_biblios.INVALID_XML_CTRLCHARS.xml"

pytestmark = pytest.mark.skipif(not VALID.exists(), reason="Koha sample not in /work/shared")


@pytest.fixture
def whole_koha_file(tmp_path: Path) -> Path:
    """The original file: the valid records with the bad one among them."""
    valid = VALID.read_bytes()
    bad = INVALID.read_bytes()
    bad_record = bad[bad.index(b"<record") : bad.rindex(b"</record>") + len(b"</record>")]
    cut = valid.index(b"</collection>")
    path = tmp_path / "koha_misc4dev_marc21_sample_biblios.xml"
    path.write_bytes(valid[:cut] + bad_record + b"\n" + valid[cut:])
    return path


def test_the_koha_file_imports_every_good_record_and_names_the_bad_one(
    engine: Engine, whole_koha_file: Path
) -> None:
    summary = run_import(engine, whole_koha_file)
    # 435 good records, one of them twice (001 2609914, with and without 003): the second
    # copy matches the first by ISBN and title and updates it.
    assert (summary.records, summary.imported, summary.updated, summary.rejected) == (
        436,
        434,
        1,
        1,
    )
    assert summary.rejects_path is not None
    lines = summary.rejects_path.read_text(encoding="utf-8").splitlines()
    (rejected,) = [line for line in lines if "rejected" in line]
    position, _offset, control_number, _outcome, reason = rejected.split("\t")
    assert position == "436"
    assert control_number.startswith("00")
    assert "not well-formed XML" in reason
    assert summary.rejects_marc_path is None  # only ISO 2709 rejects are kept as records


def test_the_koha_records_keep_their_vernacular_and_chinese_titles(
    engine: Engine, tmp_path: Path
) -> None:
    run_import(engine, VALID, rejects_path=tmp_path / "rejects.txt")
    with UnitOfWork(engine, readonly=True) as work:
        titles = set(work.session.scalars(select(BibRecord.title)))
        hebrew = work.session.scalars(
            select(BibRecord).where(BibRecord.control_number == "UKHH02-B16039")
        ).one()
        assert hebrew.title.startswith("מאמר שיחת חולין")
        assert hebrew.title_parallel[0].startswith("Maʼamar śiḥat ḥulin")
    assert {"中国云图", "中国水稻", "中国植被"} <= titles
