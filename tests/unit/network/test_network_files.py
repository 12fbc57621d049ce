"""Network files: YAML and CSV parsing, the problems they report, and writing them back."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from wenjin.network.errors import InvalidPoint, InvalidRoute, NetworkFileInvalid
from wenjin.network.io import (
    NetworkData,
    dump_network_csv,
    dump_network_yaml,
    parse_network_csv,
    parse_network_yaml,
    read_network_file,
    write_network_file,
)
from wenjin.network.rules import ClosedSpan, WeeklyHours
from wenjin.network.states import PointKind

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "network.yaml"

SMALL = """\
points:
  - code: CC-V001
    name: 后凉台村农家书屋
    kind: 农家书屋
    parent: CC
    hours: {周二: "14:00-17:00", 4: "14:00-17:00"}
  - code: CC
    name: 昌城镇图书馆
    name_en: Changcheng Town Library
    kind: branch
    pickup: yes
    hours: {mon: closed, tue-sun: "09:00-17:00"}
    closed:
      - 2026-01-01
      - {date: 2026-05-01, reason: 劳动节}
      - {from: 2026-02-15, to: 2026-02-23, reason: 春节}
      - "2026-10-01~2026-10-07:国庆节"
routes:
  - {from: CC, to: CC-V001, days: 2, weekdays: [thu]}
  - {from: CC-V001, to: CC, days: 2, both_ways: false, note: 回程搭乘班车}
"""


def problems_of(error: pytest.ExceptionInfo[NetworkFileInvalid]) -> list[str]:
    return [p.zh for p in error.value.problems]


def test_a_yaml_network_reads_points_hours_closed_days_and_routes() -> None:
    data = parse_network_yaml(SMALL)
    village, branch = data.points
    assert village.kind is PointKind.VILLAGE
    assert village.parent == "CC"
    assert village.lends is True
    assert village.hours == WeeklyHours.parse({"tue": "14:00-17:00", "thu": "14:00-17:00"})
    assert branch.pickup is True
    assert branch.name_en == "Changcheng Town Library"
    closed = branch.closed_days()
    assert len(closed) == 1 + 1 + 9 + 7
    assert closed[date(2026, 2, 19)] == "春节"
    assert closed[date(2026, 1, 1)] is None
    assert [(r.from_code, r.to_code, r.days, r.both_ways) for r in data.routes] == [
        ("CC", "CC-V001", 2, True),
        ("CC-V001", "CC", 2, False),
    ]
    assert data.routes[0].weekdays == (4,)
    assert (village.line, branch.line) == (2, 7)


def test_a_point_without_hours_keeps_its_parents() -> None:
    data = parse_network_yaml(
        "points:\n  - {code: ZX-XG, name: 新馆, kind: building, parent: ZX}\n"
    )
    assert data.points[0].hours is None


def test_every_problem_in_a_yaml_file_is_reported_with_its_line() -> None:
    text = """\
points:
  - code: A1
    name: 甲
    kind: twon
  - code: A2
    kind: branch
    hours: {mon: "9-5"}
    pickpu: true
  - code: A3
    name: 丙
    kind: branch
    closed: [2026-02-30]
    lends: maybe
routes:
  - {from: A1, to: A3, days: -1}
  - {from: A1, to: A3, days: 1, weekdays: [someday]}
"""
    with pytest.raises(NetworkFileInvalid) as error:
        parse_network_yaml(text, "net.yaml")
    found = problems_of(error)
    assert len(found) == 8
    assert found[0].startswith("第 2 行（服务点 A1）：类型 'twon' 无效")
    assert any(p.startswith("第 5 行（服务点 A2）：缺少 name") for p in found)
    assert any("第 5 行" in p and "'9-5'" in p for p in found)
    assert any("第 5 行" in p and "pickpu" in p for p in found)
    assert any("第 9 行" in p and "2026-02-30" in p for p in found)
    assert any("第 9 行" in p and "lends 应为 true 或 false" in p for p in found)
    assert any("第 15 行" in p and "days" in p for p in found)
    assert any("第 16 行" in p and "someday" in p for p in found)
    assert "net.yaml 有 8 处问题，未导入任何内容" in error.value.message_zh


def test_a_yaml_syntax_error_names_its_line() -> None:
    with pytest.raises(NetworkFileInvalid) as error:
        parse_network_yaml("points:\n  - code: A\n   name: x\n")
    assert problems_of(error)[0].startswith("第 3 行")
    assert "缩进" in problems_of(error)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n- b\n", "points:"),
        ("points:\n  - code: A\n", "缺少 name"),
        ("points: {code: A}\n", "points 应为列表"),
        ("points: []\nbranches: []\n", "branches"),
        ("points:\n  - just text\n", "应为键值对"),
        ("points:\n  - {code: 0012, name: x, kind: branch}\n", "加引号"),
    ],
)
def test_a_badly_shaped_yaml_file_says_what_shape_is_expected(text: str, expected: str) -> None:
    with pytest.raises(NetworkFileInvalid) as error:
        parse_network_yaml(text)
    assert expected in error.value.message_zh


def test_the_example_network_reads_and_has_every_kind_the_brief_asks_for() -> None:
    data = read_network_file(EXAMPLE)
    kinds = {p.kind for p in data.points}
    assert {
        PointKind.NETWORK,
        PointKind.CENTRAL,
        PointKind.BUILDING,
        PointKind.BRANCH,
        PointKind.SCHOOL,
        PointKind.VILLAGE,
        PointKind.STATION,
        PointKind.SELF_SERVICE,
    } <= kinds
    assert sum(p.kind is PointKind.BUILDING for p in data.points) == 2
    assert sum(p.kind is PointKind.BRANCH for p in data.points) == 2
    root = data.get("ZC")
    assert root is not None
    assert root.closed_days()[date(2026, 2, 17)] == "春节"
    assert all(p.name_en for p in data.points)
    assert data.routes


def test_yaml_written_out_reads_back_the_same() -> None:
    data = read_network_file(EXAMPLE)
    assert parse_network_yaml(dump_network_yaml(data)) == data


def test_csv_written_out_reads_back_the_same() -> None:
    data = read_network_file(EXAMPLE)
    text = dump_network_csv(data)
    assert text.splitlines()[0].startswith("type,code,name,name_en,kind,parent")
    assert parse_network_csv(text) == data


def test_a_csv_network_reads_point_and_route_rows() -> None:
    text = (
        "type,code,name,kind,parent,hours,closed,from,to,days,weekdays\n"
        ",CC,昌城镇图书馆,branch,,mon:closed;tue-sun:09:00-17:00,2026-01-01:元旦;2026-02-15~2026-02-23:春节,,,,\n"
        'point,CC-V001,后凉台村农家书屋,village,CC,"tue,thu:14:00-17:00",,,,,\n'
        "\n"
        "route,,,,,,,CC,CC-V001,2,周四\n"
    )
    data = parse_network_csv(text)
    branch, village = data.points
    assert branch.closed_days()[date(2026, 1, 1)] == "元旦"
    assert village.hours is not None
    assert village.hours.open_weekdays == (2, 4)
    assert data.routes[0].weekdays == (4,)
    assert branch.line == 2
    assert data.routes[0].line == 5


def test_csv_problems_name_their_line() -> None:
    text = (
        "type,code,name,kind,parent,colour,days\n"
        "point,CC,昌城镇图书馆,branch,,red,\n"
        "shelf,X,x,branch,,,\n"
        "route,,,,,,two\n"
        "point,CC-1,村,village,CC,,,extra\n"
    )
    with pytest.raises(NetworkFileInvalid) as error:
        parse_network_csv(text)
    found = problems_of(error)
    assert any(p.startswith("第 1 行") and "colour" in p for p in found)
    assert any(p.startswith("第 3 行") and "type 应为 point 或 route" in p for p in found)
    assert any(p.startswith("第 4 行") and "缺少 from" in p for p in found)
    assert any(p.startswith("第 4 行") and "'two'" in p for p in found)
    assert any(p.startswith("第 5 行") and "列比第一行多" in p for p in found)


def test_a_csv_saved_by_excel_on_chinese_windows_is_read(tmp_path: Path) -> None:
    path = tmp_path / "网络.csv"
    path.write_bytes("code,name,kind\nCC,昌城镇图书馆,镇图书馆\n".encode("gb18030"))
    data = read_network_file(path)
    assert data.points[0].name == "昌城镇图书馆"
    assert data.points[0].kind is PointKind.BRANCH


def test_a_written_csv_file_carries_a_byte_order_mark_for_excel(tmp_path: Path) -> None:
    data = read_network_file(EXAMPLE)
    path = tmp_path / "network.csv"
    write_network_file(data, path, None)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_network_file(path) == data


def test_writing_to_a_stream_uses_the_format_given() -> None:
    data = read_network_file(EXAMPLE)
    stream = io.StringIO()
    write_network_file(data, stream, "csv")
    assert stream.getvalue().startswith("type,code")


@pytest.mark.parametrize("name", ["network.json", "network", "network.xlsx"])
def test_a_file_name_without_a_known_extension_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(NetworkFileInvalid, match=r"\.yaml"):
        read_network_file(tmp_path / name)


def test_a_missing_file_is_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(NetworkFileInvalid, match="无法读取文件"):
        read_network_file(tmp_path / "missing.yaml")


def test_network_data_is_pleasant_to_build_in_python() -> None:
    net = NetworkData()
    net.point("ZC", "诸城市图书馆总分馆", "network", lends=False)
    branch = net.point(
        "CC",
        "昌城镇图书馆",
        "镇图书馆",
        parent="ZC",
        pickup=True,
        hours={"mon": "closed", "tue-sun": "09:00-17:00"},
        closed=[date(2026, 1, 1), ClosedSpan(date(2026, 2, 15), date(2026, 2, 23), "春节")],
    )
    net.route("ZC", "CC", 1, weekdays="tue,fri")
    assert branch.kind is PointKind.BRANCH
    assert branch.lends is True
    assert isinstance(branch.hours, WeeklyHours)
    assert len(branch.closed_days()) == 10
    assert net.routes[0].weekdays == (2, 5)
    assert parse_network_yaml(dump_network_yaml(net)) == net


def test_building_data_with_a_bad_kind_or_days_fails_at_once() -> None:
    net = NetworkData()
    with pytest.raises(InvalidPoint, match="twon"):
        net.point("CC", "昌城镇图书馆", "twon")
    with pytest.raises(InvalidRoute, match="-2"):
        net.route("A", "B", -2)
