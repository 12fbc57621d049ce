"""The public pages, rendered by the real application on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sample_library import SampleLibrary
from sqlalchemy import Engine, select, update

from wenjin.catalog.models import BibRecord
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind
from wenjin.web.i18n import format_date


def _holding_sections(html: str) -> dict[str, str]:
    """The record page's copy groups, keyed by the point code each one links to."""
    sections: dict[str, str] = {}
    for chunk in html.split('<section class="holding"')[1:]:
        code = chunk.split('href="/network/', 1)[1].split('"', 1)[0]
        sections[code] = chunk.split("</section>", 1)[0]
    return sections


# --- home ---


def test_the_home_page_shows_the_network_counts_and_the_newest_records(
    client: TestClient, library: SampleLibrary
) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="zh-CN">' in html
    assert "<h1" in html
    assert "诸城市图书馆" in html
    # 3 records; 6 items (the withdrawn copy is no longer in the collection); 3 service points
    assert "<dt>书目</dt>\n      <dd>3</dd>" in html
    assert "<dt>馆藏册数</dt>\n      <dd>6</dd>" in html
    assert "<dt>服务网点</dt>\n      <dd>3</dd>" in html
    assert "中心馆" in html
    assert "镇图书馆" in html
    assert "农家书屋" in html
    assert "总分馆体系" not in html  # the root is the organisation, not a place to visit
    # newest first, each linking to its page
    newest = html.index(f'href="/records/{library.no_copies_id}"')
    oldest = html.index(f'href="/records/{library.novel_id}"')
    assert newest < oldest
    assert 'href="/network"' in html
    assert '<form class="search-form" role="search" method="get" action="/search">' in html


def test_the_home_page_in_english_uses_english_labels(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get("/?lang=en").text
    assert '<html lang="en">' in html
    assert "New arrivals" in html
    assert "Service points by kind" in html
    assert "Town branch library" in html
    assert "平凡的世界" in html  # data is shown as stored


def test_an_empty_database_gets_a_home_page_that_says_what_to_do(empty_client: TestClient) -> None:
    html = empty_client.get("/").text
    assert "wenjin catalog import" in html
    assert "wenjin network import" in html


# --- network ---


def test_the_network_page_shows_every_point_with_its_kind_and_today(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get("/network").text
    for code in ("ZC", "ZC-CEN", "ZC-XZ", "XZ-WJZ"):
        assert f'href="/network/{code}"' in html
    assert format_date(library.today, "zh") in html
    central = html.split('href="/network/ZC-CEN"', 1)[1].split("</div>", 1)[0]
    assert "中心馆" in central
    assert "可外借" in central
    assert "预约取书点" in central
    assert "今日开放 09:00-17:00" in central
    town = html.split('href="/network/ZC-XZ"', 1)[1].split("</div>", 1)[0]
    assert "今日闭馆" in town
    assert "设备检修" in town
    # the tree nests: the village sits inside the town's list
    assert html.index('href="/network/ZC-XZ"') < html.index('href="/network/XZ-WJZ"')


def test_the_network_page_in_english_uses_english_names_where_there_are_some(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get("/network?lang=en").text
    assert "Zhucheng City Library" in html
    assert "Open today 09:00-17:00" in html
    assert "Closed today" in html
    assert "王家庄村农家书屋" in html  # no English name: the Chinese one is shown


def test_a_point_page_shows_contact_hours_closures_holdings_and_family(
    client: TestClient, library: SampleLibrary
) -> None:
    page = client.get("/network/ZC-CEN")
    assert page.status_code == 200
    html = page.text
    assert "山东省诸城市密州路 1 号" in html
    assert 'href="tel:0536-6062345"' in html
    assert html.count("09:00-17:00") >= 7  # every weekday
    # the network-wide closure three days from now, with its reason
    closure = library.today + timedelta(days=3)
    assert f'<time datetime="{closure.isoformat()}">' in html
    assert "全馆盘点" in html
    # 4 items belong here (not counting the withdrawn one); 1 is on the shelf here now
    holdings = html.split('id="collection-title"', 1)[1]
    assert "4 册" in holdings
    assert "1 册" in holdings
    assert 'href="/network/ZC-XZ"' in html  # a child
    assert 'href="/network/ZC"' in html  # its parent


def test_a_point_closed_today_says_when_it_opens_next(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get("/network/ZC-XZ").text
    assert "今日闭馆" in html
    assert "下次开放" in html
    # the town keeps the central library's hours (it has none of its own)
    assert html.count("09:00-17:00") >= 7


def test_a_point_page_in_english_shows_the_english_name_and_weekdays(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get("/network/ZC-XZ?lang=en").text
    assert "<h1>Xiangzhou Town Library</h1>" in html
    assert 'lang="zh-CN">相州镇图书馆</p>' in html
    assert "Monday" in html
    assert "Opening hours" in html


def test_point_codes_are_matched_without_regard_to_case(
    client: TestClient, library: SampleLibrary
) -> None:
    assert client.get("/network/zc-cen").status_code == 200


def test_an_unknown_point_is_a_friendly_not_found_page(
    client: TestClient, library: SampleLibrary
) -> None:
    page = client.get("/network/NOWHERE")
    assert page.status_code == 404
    assert "找不到这个页面" in page.text
    assert "NOWHERE" in page.text
    assert 'href="/"' in page.text


# --- records ---


def test_the_record_page_shows_the_description(client: TestClient, library: SampleLibrary) -> None:
    page = client.get(f"/records/{library.novel_id}")
    assert page.status_code == 200
    html = page.text
    assert "<title>平凡的世界 · 诸城市图书馆</title>" in html
    assert '<h1 id="record-title">平凡的世界</h1>' in html
    assert "Ordinary world" in html
    assert "路遥著" in html
    assert "北京十月文艺出版社" in html
    assert "2012" in html
    assert "978-7-5302-1678-1" in html  # hyphenated for reading
    assert "I247.57" in html
    assert "长篇小说—中国—当代" in html
    assert "¥108.00" in html
    assert 'class="cover cover--hue-' in html
    assert "<img" not in html


def test_the_record_page_groups_copies_by_their_current_point(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get(f"/records/{library.novel_id}").text
    groups = _holding_sections(html)
    assert list(groups) == ["ZC-CEN", "ZC-XZ"]
    central, town = groups["ZC-CEN"], groups["ZC-XZ"]
    assert "ZC00000101" in central
    assert "在架" in central
    assert "ZC00000102" in central
    assert "借出" in central
    # the copy in transit is listed where it is heading, and says where it belongs
    assert "ZC00000103" in town
    assert "在途" in town
    assert "所属：诸城市图书馆" in town
    assert "XZ00000104" in town
    assert "I247.57/4" in central
    assert "中文图书借阅区" in central
    assert "普通图书" in central
    assert "共 4 册，其中 2 册在架可借。" in html


def test_withdrawn_copies_are_not_listed(client: TestClient, library: SampleLibrary) -> None:
    assert "ZC00000105" not in client.get(f"/records/{library.novel_id}").text


def test_the_record_page_in_english_shows_english_labels(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get(f"/records/{library.scifi_id}?lang=en").text
    assert '<html lang="en">' in html
    assert "On hold shelf" in html
    assert "On shelf" in html
    assert "Zhucheng City Library" in html
    assert "Call number" in html
    assert "Book" in html
    assert "2 copies, 1 on the shelf." in html
    assert "三体" in html


def test_the_marc_view_shows_tags_indicators_and_subfields(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get(f"/records/{library.novel_id}").text
    marc = html.split('<details class="marc">', 1)[1].split("</details>", 1)[0]
    assert "CNMARC" in marc
    assert "01024nam0 2200277   450 " in marc  # the leader, blanks kept
    assert '<th scope="row">200</th>' in marc
    assert '<code class="marc__ind">1_</code>' in marc
    assert '<b class="marc__code">$a</b>平凡的世界' in marc
    assert '<b class="marc__code">$f</b>路遥著' in marc


def test_a_record_without_copies_says_so_and_lists_every_isbn(
    client: TestClient, library: SampleLibrary
) -> None:
    html = client.get(f"/records/{library.no_copies_id}").text
    assert "这条书目还没有馆藏册。" in html
    assert "978-7-115-42802-8" in html
    assert "7-115-4280X" in html
    assert "（号码有误）" in html
    assert "(平装)" in html


def test_catalogue_text_is_escaped_not_interpreted(
    client: TestClient, library: SampleLibrary, engine: Engine
) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(BibRecord)
            .where(BibRecord.id == library.scifi_id)
            .values(title='三体<script>alert("x")</script>')
        )
        uow.commit()
    html = client.get(f"/records/{library.scifi_id}").text
    assert "<script>" not in html
    assert "三体&lt;script&gt;" in html


def test_a_missing_record_is_a_not_found_page_in_the_chosen_language(
    client: TestClient, library: SampleLibrary
) -> None:
    zh = client.get("/records/999999")
    assert zh.status_code == 404
    assert '<html lang="zh-CN">' in zh.text
    assert "找不到这个页面" in zh.text
    assert "999999" in zh.text
    en = client.get("/records/999999?lang=en")
    assert en.status_code == 404
    assert '<html lang="en">' in en.text
    assert "Page not found" in en.text
    assert "No bibliographic record 999999" in en.text


def test_record_ids_that_cannot_exist_are_not_found_rather_than_errors(
    client: TestClient, library: SampleLibrary
) -> None:
    for path in ("/records/abc", "/records/0", "/records/-1", "/records/99999999999999999999"):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "找不到这个页面" in page.text


def test_a_long_list_of_village_reading_rooms_is_folded_and_the_rest_stays_open(
    client: TestClient, library: SampleLibrary, engine: Engine
) -> None:
    with UnitOfWork(engine) as uow:
        town = uow.session.scalars(select(ServicePoint).where(ServicePoint.code == "ZC-XZ")).one()
        uow.session.add_all(
            ServicePoint(
                code=f"XZ-V{n:02d}",
                name=f"相州镇第{n}村农家书屋",
                kind=PointKind.VILLAGE,
                parent=town,
            )
            for n in range(1, 14)
        )
        uow.commit()
    html = client.get("/network").text
    assert html.count('<details class="tree__fold">') == 1
    folded = html.split('<details class="tree__fold">', 1)[1].split("</details>", 1)[0]
    assert "<summary>下级网点 14 个</summary>" in folded
    assert 'href="/network/XZ-V13"' in folded
    assert 'href="/network/ZC-XZ"' not in folded
