"""The index follows the database: saved records, lent copies, scopes, facets and rebuilds."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from support import load_test_module
from wenjin.catalog.models import BibRecord, Item
from wenjin.catalog.services import save_records
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.services import checkout
from wenjin.db.uow import UnitOfWork
from wenjin.network.errors import PointNotFound
from wenjin.search.engine import SearchIndex
from wenjin.search.models import SearchDocument
from wenjin.search.queries import search
from wenjin.search.services import rewrite_documents

UoW = Callable[..., UnitOfWork]


def titles(uow: UoW, index: SearchIndex, query: str, **options: Any) -> list[str]:
    with uow(readonly=True) as work:
        return [h.title for h in search(work.session, index=index, query=query, **options).hits]


def test_a_saved_record_is_found_by_the_next_search_without_a_reindex(
    uow: UoW, library: Any, builders: ModuleType, index: SearchIndex
) -> None:
    assert titles(uow, index, "水浒传") == []
    with uow() as work:
        save_records(work.session, [builders.cnmarc("SHZ", "水浒传", author="施耐庵")], source="zc")
        work.commit()
    assert titles(uow, index, "水浒传") == ["水浒传"]
    assert titles(uow, index, "shinaian") == ["水浒传"]  # 施耐庵, in pinyin


def test_a_record_saved_again_is_found_by_its_new_title_only(
    uow: UoW, library: Any, builders: ModuleType, index: SearchIndex
) -> None:
    assert titles(uow, index, "西游记") == ["西游记"]
    with uow() as work:
        save_records(work.session, [builders.cnmarc("XYJ", "西游记补", year=2015)], source="zc")
        work.commit()
    assert titles(uow, index, "西游记补") == ["西游记补"]
    assert titles(uow, index, "title:吴承恩") == []


def test_a_rolled_back_save_leaves_nothing_to_find(
    uow: UoW, library: Any, builders: ModuleType, index: SearchIndex
) -> None:
    with uow() as work:
        save_records(work.session, [builders.cnmarc("SG", "三国演义")], source="zc")
    assert titles(uow, index, "三国演义") == []


def test_a_record_saved_through_the_orm_is_indexed_in_its_transaction(
    uow: UoW, library: Any, index: SearchIndex
) -> None:
    with uow() as work:
        record = work.session.get(BibRecord, library.records["CXQZ"])
        assert record is not None
        record.title = "曹雪芹新传"
        work.commit()
    assert titles(uow, index, "新传") == ["曹雪芹新传"]


def test_a_lent_copy_is_no_longer_counted_available(
    uow: UoW, library: Any, index: SearchIndex
) -> None:
    with uow(readonly=True) as work:
        before = search(work.session, index=index, query="重庆")
    assert before.hits[0].available == 1
    assert [f.value for f in before.facets["availability"]] == ["available"]
    with uow() as work:
        work.session.execute(
            update(Item).where(Item.barcode == "CC0000003").values(status=ItemStatus.ON_LOAN)
        )
        work.commit()
    with uow(readonly=True) as work:
        after = search(work.session, index=index, query="重庆")
        only_available = search(work.session, index=index, query="重庆", available=True)
    assert after.hits[0].available == 0
    assert [(f.value, f.count) for f in after.facets["availability"]] == [("unavailable", 1)]
    assert only_available.total == 0


def test_a_checkout_counts_as_a_loan_of_the_record(uow: UoW, index: SearchIndex) -> None:
    circ = load_test_module("integration/circulation/circ_library.py", "wenjin_search_circ")
    with uow() as work:
        circ.build_circ_library(work.session)
        work.commit()
    with uow() as work:
        checkout(work.session, at="ZC", card_number=circ.ADULT, barcode="ZC01000002", now=circ.NOW)
        work.commit()
    with uow(readonly=True) as work:
        loans = work.session.scalars(
            select(SearchDocument.loan_count).join(BibRecord).where(BibRecord.title == "三体")
        ).one()
        found = search(work.session, index=index, query="三体")
    assert loans == 1
    assert (found.hits[0].title, found.hits[0].available) == ("三体", 0)


def test_a_search_at_a_point_finds_only_copies_there_and_under_it(
    uow: UoW, library: Any, index: SearchIndex
) -> None:
    assert titles(uow, index, "西游记", at="CC") == ["西游记"]  # in 后凉台村农家书屋, under CC
    assert titles(uow, index, "西游记", at="ZX") == []
    assert titles(uow, index, "红楼梦研究", at="CC") == []
    with uow(readonly=True) as work:
        results = search(work.session, index=index, query="hlm", at="CC-V001")
    assert [h.control_number for h in results.hits] == ["HL1996"]
    assert results.hits[0].available == 1  # of its two copies, one is in the village


def test_an_unknown_point_is_refused_with_its_code(
    uow: UoW, library: Any, index: SearchIndex
) -> None:
    with uow(readonly=True) as work, pytest.raises(PointNotFound) as refused:
        search(work.session, index=index, query="红楼梦", at="NOPE")
    assert "NOPE" in refused.value.message_zh


def test_facets_count_the_matching_records(uow: UoW, library: Any, index: SearchIndex) -> None:
    with uow(readonly=True) as work:
        results = search(work.session, index=index, query="")
    facets = {name: {f.value: f.count for f in values} for name, values in results.facets.items()}
    assert results.total == 11
    assert facets["language"] == {"chi": 8, "eng": 3}
    assert facets["clc"] == {"I": 5, "K": 2, "G": 1}
    assert facets["point"]["ZX"] == 7
    assert facets["point"]["CC-V001"] == 2
    assert facets["item_type"] == {"BOOK": 11}
    assert facets["year"]["2017"] == 1
    labels = {f.value: f.label for f in results.facets["clc"]}
    assert labels["I"] == "文学"


def test_a_facet_narrows_the_results(uow: UoW, library: Any, index: SearchIndex) -> None:
    assert titles(uow, index, "", clc="K", language="chi") == ["重庆旅游指南", "曹雪芹传"]
    assert titles(uow, index, "红楼梦", year=1996) == ["红楼梦"]
    assert titles(uow, index, "", available_at="CC-V001") == ["西游记", "红楼梦"]


def test_results_come_in_pages(uow: UoW, library: Any, index: SearchIndex) -> None:
    with uow(readonly=True) as work:
        first = search(work.session, index=index, query="红楼梦", per_page=2)
        second = search(work.session, index=index, query="红楼梦", per_page=2, page=2)
    assert (first.total, first.pages) == (3, 2)
    assert [h.control_number for h in first.hits + second.hits] == ["HL2005", "HL1996", "HLYJ"]


def test_a_deleted_index_is_rebuilt_from_the_documents(
    uow: UoW, library: Any, tmp_path: Path
) -> None:
    first = SearchIndex(tmp_path / "one")
    assert titles(uow, first, "长安") == ["长安十二时辰"]
    shutil.rmtree(tmp_path / "one")
    again = SearchIndex(tmp_path / "one")
    assert titles(uow, again, "长安") == ["长安十二时辰"]
    with uow(readonly=True) as work:
        assert again.rebuild(work.session) == 11


def test_rewriting_the_documents_keeps_every_record_findable(
    uow: UoW, library: Any, index: SearchIndex
) -> None:
    last = 0
    while last is not None:
        with uow() as work:
            last = rewrite_documents(work.session, after_id=last, limit=4)
            work.commit()
    assert titles(uow, index, "changan") == ["长安十二时辰"]
    with uow(readonly=True) as work:
        assert search(work.session, index=index, query="").total == 11


def test_two_indexes_of_one_database_both_catch_up(
    uow: UoW, library: Any, builders: ModuleType, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    worker_one, worker_two = SearchIndex(shared), SearchIndex(shared)
    other_machine = SearchIndex(tmp_path / "other")
    assert titles(uow, worker_one, "长安") == ["长安十二时辰"]
    with uow() as work:
        save_records(work.session, [builders.cnmarc("JPM", "金瓶梅")], source="zc")
        work.commit()
    assert titles(uow, worker_two, "金瓶梅") == ["金瓶梅"]
    assert titles(uow, worker_one, "金瓶梅") == ["金瓶梅"]
    assert titles(uow, other_machine, "金瓶梅") == ["金瓶梅"]


def test_a_transaction_committing_after_a_later_one_is_still_indexed(
    engine: Engine, uow: UoW, library: Any, builders: ModuleType, index: SearchIndex
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers take turns: sequence order is commit order")
    slow = UnitOfWork(engine)
    save_records(slow.session, [builders.cnmarc("SLOW", "聊斋志异")], source="zc")  # lower seq
    with uow() as work:
        save_records(work.session, [builders.cnmarc("FAST", "儒林外史")], source="zc")
        work.commit()
    assert titles(uow, index, "儒林外史") == ["儒林外史"]  # the index is now past both seqs
    committed = threading.Event()

    def commit_slow() -> None:
        with slow:
            slow.commit()
        committed.set()

    thread = threading.Thread(target=commit_slow)
    thread.start()
    thread.join()
    assert committed.is_set()
    assert titles(uow, index, "聊斋志异") == ["聊斋志异"]
