"""The network as data and as a file a librarian can edit (YAML or CSV).

:class:`NetworkData` is the whole network in plain Python: built by reading a file,
by :func:`wenjin.network.services.export_network`, or by hand::

    net = NetworkData()
    net.point("ZC", "诸城市图书馆总分馆", "network", lends=False)
    net.point("ZX", "诸城市图书馆", "central", parent="ZC",
              hours={"mon": "closed", "tue-sun": "09:00-20:30"},
              closed=[ClosedSpan(date(2026, 2, 15), date(2026, 2, 23), "春节")])
    net.route("ZX", "CC", days=1)

YAML (``.yaml``/``.yml``)::

    points:
      - code: ZX
        name: 诸城市图书馆
        name_en: Zhucheng Library
        kind: central            # or its Chinese label: 中心馆
        parent: ZC
        lends: true
        pickup: true
        hours: {mon: closed, tue-sun: "09:00-17:00"}   # absent: as the parent
        closed: [2026-01-01, {from: 2026-02-15, to: 2026-02-23, reason: 春节}]
        inherit_closed_days: true
    routes:
      - {from: ZX, to: CC, days: 1}                    # both_ways defaults to true
      - {from: CC, to: CC-V001, days: 2, weekdays: [tue, fri]}

CSV (``.csv``): one file, one row per point or route, told apart by the ``type``
column (``point`` or ``route``; empty means point). Point rows use the point
columns (hours compact: ``mon:closed;tue-sun:09:00-17:00``; closed days
``2026-01-01:元旦;2026-02-15~2026-02-23:春节``), route rows ``from``, ``to``,
``days``, ``both_ways``, ``weekdays`` (``tue,fri``), ``note``. UTF-8 (with or without
the BOM Excel writes) or GB18030 (Excel's "CSV" on a Chinese Windows).

Reading checks the form of every entry and reports every problem with its line;
:func:`wenjin.network.services.import_network` then checks the network as a whole.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal

import yaml

from wenjin.errors import WenjinError
from wenjin.network.errors import (
    InvalidClosedDays,
    InvalidPoint,
    InvalidRoute,
    NetworkFileInvalid,
    Problem,
)
from wenjin.network.rules import (
    ClosedSpan,
    WeeklyHours,
    collapse_closed_days,
    default_lends,
    kind_choices,
    parse_kind,
    parse_weekdays,
    weekday_spec,
)
from wenjin.network.states import PointKind

Format = Literal["yaml", "csv"]

# ---------------------------------------------------------------------------
# The data


@dataclass
class PointData:
    """One service point as written in a network file.

    ``kind`` takes a :class:`PointKind`, its code or its Chinese label; ``hours`` a
    :class:`WeeklyHours`, a mapping (``{"mon": "closed", "tue-sun": "09:00-17:00"}``)
    or the compact text, ``None`` to keep the parent's; ``closed`` dates,
    :class:`ClosedSpan` or text (``"2026-02-15~2026-02-23:春节"``); ``lends`` ``None``
    for the kind's default.
    """

    code: str
    name: str
    kind: PointKind
    parent: str | None = None
    name_en: str | None = None
    address: str | None = None
    phone: str | None = None
    lends: bool | None = None
    pickup: bool = False
    hours: WeeklyHours | None = None
    closed: list[ClosedSpan] = field(default_factory=list)
    inherit_closed_days: bool = True
    active: bool = True
    sort_order: int = 0
    line: int | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        try:
            self.kind = parse_kind(self.kind)
        except ValueError:
            raise InvalidPoint(
                str(self.code),
                f"类型 {self.kind!r} 无效，可用：{kind_choices()}",
                f"kind {self.kind!r} is not one of: {kind_choices()}",
            ) from None
        if self.lends is None:
            self.lends = default_lends(self.kind)
        if self.hours is not None and not isinstance(self.hours, WeeklyHours):
            self.hours = WeeklyHours.parse(self.hours)
        self.closed = [closed_span(entry) for entry in self.closed]

    def closed_days(self) -> dict[date, str | None]:
        """Every closed date of the point with its reason (a later entry wins a repeated date)."""
        return {day: span.reason for span in self.closed for day in span.days()}


@dataclass
class RouteData:
    """A courier route; ``both_ways`` (the default) stands for the route back as well."""

    from_code: str
    to_code: str
    days: int
    both_ways: bool = True
    weekdays: tuple[int, ...] | None = None
    note: str | None = None
    line: int | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.days, bool) or not isinstance(self.days, int) or self.days < 0:
            raise InvalidRoute(
                self.from_code,
                self.to_code,
                f"路上天数 days 必须是 0 或正整数，而不是 {self.days!r}",
                f"days must be a whole number, 0 or more, not {self.days!r}",
            )
        if self.weekdays is not None:
            self.weekdays = parse_weekdays(self.weekdays)


@dataclass
class NetworkData:
    """The whole network: points (with their hours and closed days) and courier routes."""

    points: list[PointData] = field(default_factory=list)
    routes: list[RouteData] = field(default_factory=list)

    def point(self, code: str, name: str, kind: PointKind | str, **fields: Any) -> PointData:
        """Add a point and return it: ``net.point("CC", "昌城镇图书馆", "branch", parent="ZC")``."""
        data = PointData(code=code, name=name, kind=kind, **fields)  # type: ignore[arg-type]
        self.points.append(data)
        return data

    def route(self, from_code: str, to_code: str, days: int, **fields: Any) -> RouteData:
        """Add a courier route (two-way unless ``both_ways=False``) and return it."""
        data = RouteData(from_code=from_code, to_code=to_code, days=days, **fields)
        self.routes.append(data)
        return data

    def get(self, code: str) -> PointData | None:
        return next((p for p in self.points if p.code == code), None)


# ---------------------------------------------------------------------------
# Values as a librarian writes them

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_CLOSED_TEXT = re.compile(
    r"^(?P<start>[^:：~～]+?)\s*(?:(?:~|～|\.\.|至|到)\s*(?P<end>[^:：]+?))?\s*(?:[:：]\s*(?P<reason>.*))?$"
)
_TRUE = frozenset({"true", "yes", "y", "1", "是", "对", "t", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "不", "f", "off", ""})


def parse_date(value: object) -> date:
    """``2026-02-15``, ``2026/2/15`` or ``2026年2月15日`` (or a date already)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE.match(value.strip())
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
    raise ValueError(f"{value!r}")


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueError(f"{value!r}")


def closed_span(entry: object) -> ClosedSpan:
    """A closed-days entry: a date, ``{date|from/to, reason}``, or ``"2026-02-15~2026-02-23:春节"``."""
    if isinstance(entry, ClosedSpan):
        return entry
    if isinstance(entry, date):
        return ClosedSpan(parse_date(entry))
    if isinstance(entry, Mapping):
        unknown = set(entry) - {"date", "from", "to", "reason"}
        if unknown:
            raise InvalidClosedDays(
                dict(entry),
                f"不认识的键 {', '.join(sorted(map(str, unknown)))}，可用 date 或 from/to，以及 reason",
                f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; use date or from/to, and reason",
            )
        start = entry.get("date", entry.get("from"))
        end = entry.get("to")
        if start is None or ("date" in entry and "from" in entry):
            raise InvalidClosedDays(
                dict(entry), "请写 date，或 from 和 to", "give either date, or from and to"
            )
        reason = entry.get("reason")
        try:
            first = parse_date(start)
            last = parse_date(end) if end is not None else None
        except ValueError:
            raise InvalidClosedDays(
                dict(entry), "日期应写成 2026-02-15", "write dates as 2026-02-15"
            ) from None
        return ClosedSpan(first, last, str(reason).strip() if reason not in (None, "") else None)
    if isinstance(entry, str):
        match = _CLOSED_TEXT.match(entry.strip())
        try:
            if match is None:
                raise ValueError(entry)
            first = parse_date(match["start"])
            last = parse_date(match["end"]) if match["end"] else None
        except ValueError:
            raise InvalidClosedDays(
                entry,
                "应写成 2026-01-01、2026-02-15~2026-02-23 或加原因 2026-01-01:元旦",
                "write 2026-01-01, 2026-02-15~2026-02-23, or with a reason 2026-01-01:New Year",
            ) from None
        return ClosedSpan(first, last, (match["reason"] or "").strip() or None)
    raise InvalidClosedDays(
        entry, "应为日期或 {from, to, reason}", "expected a date or {from, to, reason}"
    )


# ---------------------------------------------------------------------------
# Reading


POINT_KEYS = (
    "code",
    "name",
    "name_en",
    "kind",
    "parent",
    "address",
    "phone",
    "lends",
    "pickup",
    "hours",
    "closed",
    "inherit_closed_days",
    "active",
    "sort_order",
)
ROUTE_KEYS = ("from", "to", "days", "both_ways", "weekdays", "note")
CSV_COLUMNS = ("type", *POINT_KEYS, *ROUTE_KEYS)


class _Collector:
    """Problems found while reading, each with where it is."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: tuple[str, str], what_zh: str, what_en: str) -> None:
        self.problems.append(Problem(where[0], where[1], what_zh, what_en))

    def add_error(self, where: tuple[str, str], error: WenjinError) -> None:
        self.add(where, error.message_zh, error.message_en)


def _where(kind_zh: str, kind_en: str, line: int | None, code: object) -> tuple[str, str]:
    zh = f"第 {line} 行" if line else ""
    en = f"line {line}" if line else ""
    if code not in (None, ""):
        zh += f"（{kind_zh} {code}）"
        en += f" ({kind_en} {code})"
    return zh.strip(), en.strip()


def _text(
    value: object, key: str, out: _Collector, where: tuple[str, str], *, required: bool = False
) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            out.add(where, f"缺少 {key}", f"{key} is missing")
        return None
    if not isinstance(value, str):
        out.add(
            where,
            f"{key} 应为文字，而不是 {value!r}；以 0 开头或全是数字的值请加引号",
            f"{key} must be text, not {value!r}; quote values that are numbers or start with 0",
        )
        return None
    return value.strip()


def _point_from_mapping(
    entry: Mapping[str, Any], line: int | None, out: _Collector
) -> PointData | None:
    code = entry.get("code")
    where = _where("服务点", "point", line, code)
    before = len(out.problems)
    unknown = [str(k) for k in entry if k not in POINT_KEYS]
    if unknown:
        out.add(
            where,
            f"不认识的键 {', '.join(unknown)}；服务点可用的键：{', '.join(POINT_KEYS)}",
            f"unknown key(s) {', '.join(unknown)}; a point takes: {', '.join(POINT_KEYS)}",
        )
    code_text = _text(code, "code", out, where, required=True)
    name = _text(entry.get("name"), "name", out, where, required=True)
    fields: dict[str, Any] = {}
    for key in ("name_en", "parent", "address", "phone"):
        fields[key] = _text(entry.get(key), key, out, where)
    kind = entry.get("kind")
    if kind in (None, ""):
        out.add(
            where,
            f"缺少类型 kind，可用：{kind_choices()}",
            f"kind is missing; one of: {kind_choices()}",
        )
    else:
        try:
            fields["kind"] = parse_kind(kind)
        except ValueError:
            out.add(
                where,
                f"类型 {kind!r} 无效，可用：{kind_choices()}",
                f"kind {kind!r} is not one of: {kind_choices()}",
            )
    for key, attribute in (
        ("lends", "lends"),
        ("pickup", "pickup"),
        ("inherit_closed_days", "inherit_closed_days"),
        ("active", "active"),
    ):
        value = entry.get(key)
        if value is None or value == "":
            continue
        try:
            fields[attribute] = parse_bool(value)
        except ValueError:
            out.add(
                where,
                f"{key} 应为 true 或 false，而不是 {value!r}",
                f"{key} must be true or false, not {value!r}",
            )
    sort_order = entry.get("sort_order")
    if sort_order not in (None, ""):
        try:
            if isinstance(sort_order, bool):
                raise ValueError
            fields["sort_order"] = int(sort_order)
        except (TypeError, ValueError):
            out.add(
                where,
                f"sort_order 应为整数，而不是 {sort_order!r}",
                f"sort_order must be a whole number, not {sort_order!r}",
            )
    hours = entry.get("hours")
    if hours not in (None, ""):
        try:
            fields["hours"] = WeeklyHours.parse(hours)
        except WenjinError as exc:
            out.add_error(where, exc)
    closed = entry.get("closed")
    spans: list[ClosedSpan] = []
    if closed not in (None, ""):
        entries = _closed_entries(closed)
        for item in entries:
            try:
                spans.append(closed_span(item))
            except WenjinError as exc:
                out.add_error(where, exc)
    if len(out.problems) > before or code_text is None or name is None or "kind" not in fields:
        return None
    return PointData(code=code_text, name=name, closed=spans, line=line, **fields)


def _closed_entries(closed: object) -> list[object]:
    if isinstance(closed, list):
        return closed
    if isinstance(closed, str):
        return [part for part in re.split(r"\s*[;；]\s*", closed.strip()) if part]
    return [closed]


def _route_from_mapping(
    entry: Mapping[str, Any], line: int | None, out: _Collector
) -> RouteData | None:
    where = _where("线路", "route", line, f"{entry.get('from')} → {entry.get('to')}")
    before = len(out.problems)
    unknown = [str(k) for k in entry if k not in ROUTE_KEYS]
    if unknown:
        out.add(
            where,
            f"不认识的键 {', '.join(unknown)}；线路可用的键：{', '.join(ROUTE_KEYS)}",
            f"unknown key(s) {', '.join(unknown)}; a route takes: {', '.join(ROUTE_KEYS)}",
        )
    source = _text(entry.get("from"), "from", out, where, required=True)
    target = _text(entry.get("to"), "to", out, where, required=True)
    days_value = entry.get("days")
    days: int | None = None
    try:
        if isinstance(days_value, bool) or days_value in (None, ""):
            raise ValueError
        days = int(days_value)
        if days < 0 or (isinstance(days_value, float) and days != days_value):
            raise ValueError
    except (TypeError, ValueError):
        out.add(
            where,
            f"路上天数 days 必须是 0 或正整数，而不是 {days_value!r}",
            f"days must be a whole number, 0 or more, not {days_value!r}",
        )
    fields: dict[str, Any] = {}
    both = entry.get("both_ways")
    if both not in (None, ""):
        try:
            fields["both_ways"] = parse_bool(both)
        except ValueError:
            out.add(
                where,
                f"both_ways 应为 true 或 false，而不是 {both!r}",
                f"both_ways must be true or false, not {both!r}",
            )
    weekdays = entry.get("weekdays")
    if weekdays not in (None, ""):
        try:
            fields["weekdays"] = parse_weekdays(weekdays)
        except WenjinError as exc:
            out.add_error(where, exc)
    fields["note"] = _text(entry.get("note"), "note", out, where)
    if len(out.problems) > before or source is None or target is None or days is None:
        return None
    return RouteData(from_code=source, to_code=target, days=days, line=line, **fields)


class _LineMap(dict[Any, Any]):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings remember the line they start on.

    Dates stay text: PyYAML would turn ``2026-13-01`` into an exception without a
    line, and :func:`parse_date` reads them with the entry's line at hand.
    """


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_line_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[_LineMap]:
    data = _LineMap()
    data.line = node.start_mark.line + 1
    yield data
    data.update(loader.construct_mapping(node, deep=True))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_line_map)


def parse_network_yaml(text: str, source: str = "YAML") -> NetworkData:
    """A network from YAML text; :class:`NetworkFileInvalid` lists every problem found."""
    out = _Collector()
    try:
        document = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        out.add(
            _where("", "", line, None),
            f"YAML 格式错误：{problem}（常见原因：缩进不齐、冒号后缺空格）",
            f"YAML syntax error: {problem} (often: uneven indentation, no space after a colon)",
        )
        raise NetworkFileInvalid(source, out.problems) from None
    if not isinstance(document, Mapping) or "points" not in document:
        out.add(
            ("", ""),
            "文件顶层应有 points:（服务点列表），可选 routes:",
            "the file needs a top-level points: list, and optionally routes:",
        )
        raise NetworkFileInvalid(source, out.problems)
    unknown = [str(k) for k in document if k not in ("points", "routes")]
    if unknown:
        out.add(
            ("", ""),
            f"顶层不认识的键 {', '.join(unknown)}，只能有 points 和 routes",
            f"unknown top-level key(s) {', '.join(unknown)}; only points and routes",
        )
    data = NetworkData()
    for _, entry, line in _entries(document, "points", out):
        point = _point_from_mapping(entry, line, out)
        if point is not None:
            data.points.append(point)
    for _, entry, line in _entries(document, "routes", out):
        route = _route_from_mapping(entry, line, out)
        if route is not None:
            data.routes.append(route)
    if out.problems:
        raise NetworkFileInvalid(source, out.problems)
    return data


def _entries(
    document: Mapping[str, Any], key: str, out: _Collector
) -> Iterator[tuple[int, Mapping[str, Any], int | None]]:
    entries = document.get(key) or []
    if not isinstance(entries, list):
        out.add(
            ("", ""),
            f"{key} 应为列表（每项以 - 开头）",
            f"{key} must be a list (each entry starts with -)",
        )
        return
    for position, entry in enumerate(entries, start=1):
        if isinstance(entry, Mapping):
            yield position, entry, getattr(entry, "line", None)
        else:
            out.add(
                (f"{key} 第 {position} 项", f"{key} entry {position}"),
                f"应为键值对，而不是 {entry!r}",
                f"expected keys and values, not {entry!r}",
            )


def parse_network_csv(text: str, source: str = "CSV") -> NetworkData:
    """A network from CSV text (one row per point or route, see the module docstring)."""
    out = _Collector()
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    unknown = [h for h in header if h and h not in CSV_COLUMNS]
    if not header or ("code" not in header and "from" not in header):
        out.add(
            ("第 1 行", "line 1"),
            f"第一行应为列名，如 {','.join(CSV_COLUMNS)}",
            f"the first line must name the columns, e.g. {','.join(CSV_COLUMNS)}",
        )
        raise NetworkFileInvalid(source, out.problems)
    if unknown:
        out.add(
            ("第 1 行", "line 1"),
            f"不认识的列 {', '.join(unknown)}，可用：{', '.join(CSV_COLUMNS)}",
            f"unknown column(s) {', '.join(unknown)}; columns: {', '.join(CSV_COLUMNS)}",
        )
    data = NetworkData()
    for row in reader:
        line = reader.line_num
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}
        if not any(values.values()):
            continue
        if None in row:
            out.add(
                (f"第 {line} 行", f"line {line}"),
                "这一行的列比第一行多",
                "this row has more cells than the header",
            )
            continue
        row_type = (values.pop("type", "") or "point").lower()
        if row_type in ("point", "服务点"):
            entry = {k: v for k, v in values.items() if k in POINT_KEYS and v not in (None, "")}
            point = _point_from_mapping(entry, line, out)
            if point is not None:
                data.points.append(point)
        elif row_type in ("route", "线路"):
            entry = {k: v for k, v in values.items() if k in ROUTE_KEYS and v not in (None, "")}
            route = _route_from_mapping(entry, line, out)
            if route is not None:
                data.routes.append(route)
        else:
            out.add(
                (f"第 {line} 行", f"line {line}"),
                f"type 应为 point 或 route，而不是 {row_type!r}",
                f"type must be point or route, not {row_type!r}",
            )
    if out.problems:
        raise NetworkFileInvalid(source, out.problems)
    return data


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def format_for(path: str | Path) -> Format:
    """``yaml`` or ``csv`` from the file name; anything else is refused with a hint."""
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".csv":
        return "csv"
    raise NetworkFileInvalid(
        str(path),
        [
            Problem(
                "",
                "",
                "文件名应以 .yaml、.yml 或 .csv 结尾",
                "the file name must end in .yaml, .yml or .csv",
            )
        ],
    )


def read_network_file(path: str | Path) -> NetworkData:
    """Read a network file; the format comes from the extension (.yaml/.yml or .csv)."""
    path = Path(path)
    fmt = format_for(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NetworkFileInvalid(
            str(path),
            [
                Problem(
                    "",
                    "",
                    f"无法读取文件（{exc.strerror}）",
                    f"cannot read the file ({exc.strerror})",
                )
            ],
        ) from None
    text = _decode(raw)
    if fmt == "yaml":
        return parse_network_yaml(text, str(path))
    return parse_network_csv(text, str(path))


# ---------------------------------------------------------------------------
# Writing


class _Flow(dict[str, Any]):
    """A mapping written on one line: ``{from: ZX, to: CC, days: 1}``."""


class _FlowList(list[Any]):
    """A list written on one line: ``[tue, fri]``."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list entries under their key, as people write YAML by hand.
        super().increase_indent(flow, False)


_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)

YAML_HEADER = """\
# 文津 Wenjin 总分馆网络 · network file
# points: 服务点。kind: network 总分馆体系 | central 中心馆 | building 馆舍 | branch 镇图书馆 |
#   school 学校图书馆 | village 农家书屋 | station 图书流动站 | self_service 24小时自助图书馆 |
#   scenic 景区书房 | bookmobile 流动图书车
# hours: 每周开放时间，如 {mon: closed, tue-sun: "09:00-17:00"}；不写则沿用上级。
# closed: 闭馆日，日期或 {from: 2026-02-15, to: 2026-02-23, reason: 春节}；
#   inherit_closed_days: true 时同时遵守上级的闭馆日。
# routes: 物流线路，days 为路上天数；both_ways 默认 true（往返同一线路）。
# Import with: wenjin network import FILE   (all or nothing; --replace drops what is not here)
"""


def _span_for_file(span: ClosedSpan) -> object:
    if span.end is None or span.end == span.start:
        if span.reason is None:
            return span.start
        return _Flow(date=span.start, reason=span.reason)
    entry = _Flow({"from": span.start, "to": span.end})
    if span.reason is not None:
        entry["reason"] = span.reason
    return entry


def _span_compact(span: ClosedSpan) -> str:
    text = span.start.isoformat()
    if span.end is not None and span.end != span.start:
        text += f"~{span.end.isoformat()}"
    return f"{text}:{span.reason}" if span.reason else text


def _point_for_file(point: PointData) -> dict[str, Any]:
    entry: dict[str, Any] = {"code": point.code, "name": point.name}
    if point.name_en:
        entry["name_en"] = point.name_en
    entry["kind"] = point.kind.value
    if point.parent:
        entry["parent"] = point.parent
    for key in ("address", "phone"):
        if getattr(point, key):
            entry[key] = getattr(point, key)
    entry["lends"] = point.lends
    entry["pickup"] = point.pickup
    if point.hours is not None:
        entry["hours"] = _Flow(
            {
                k: _FlowList(v) if isinstance(v, list) else v
                for k, v in point.hours.to_file().items()
            }
        )
    spans = collapse_closed_days(point.closed_days())
    if spans:
        entry["closed"] = [_span_for_file(s) for s in spans]
    if not point.inherit_closed_days:
        entry["inherit_closed_days"] = False
    if not point.active:
        entry["active"] = False
    if point.sort_order:
        entry["sort_order"] = point.sort_order
    return entry


def _route_for_file(route: RouteData) -> dict[str, Any]:
    entry = _Flow({"from": route.from_code, "to": route.to_code, "days": route.days})
    if not route.both_ways:
        entry["both_ways"] = False
    if route.weekdays:
        entry["weekdays"] = _FlowList(weekday_spec(route.weekdays).split(","))
    if route.note:
        entry["note"] = route.note
    return entry


def dump_network_yaml(data: NetworkData) -> str:
    document = {
        "points": [_point_for_file(p) for p in data.points],
        "routes": [_route_for_file(r) for r in data.routes],
    }
    body = yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )
    return YAML_HEADER + body


def _csv_rows(data: NetworkData) -> Iterable[dict[str, object]]:
    for point in data.points:
        spans = collapse_closed_days(point.closed_days())
        yield {
            "type": "point",
            "code": point.code,
            "name": point.name,
            "name_en": point.name_en or "",
            "kind": point.kind.value,
            "parent": point.parent or "",
            "address": point.address or "",
            "phone": point.phone or "",
            "lends": str(point.lends).lower(),
            "pickup": str(point.pickup).lower(),
            "hours": point.hours.to_compact() if point.hours is not None else "",
            "closed": ";".join(_span_compact(s) for s in spans),
            "inherit_closed_days": str(point.inherit_closed_days).lower(),
            "active": str(point.active).lower(),
            "sort_order": point.sort_order or "",
        }
    for route in data.routes:
        yield {
            "type": "route",
            "from": route.from_code,
            "to": route.to_code,
            "days": route.days,
            "both_ways": str(route.both_ways).lower(),
            "weekdays": weekday_spec(route.weekdays) if route.weekdays else "",
            "note": route.note or "",
        }


def dump_network_csv(data: NetworkData) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_csv_rows(data))
    return buffer.getvalue()


def write_network_file(
    data: NetworkData, path_or_stream: str | Path | IO[str] | None, fmt: Format | None = None
) -> None:
    """Write the network as YAML or CSV to a path (format from its extension unless given),
    a text stream, or standard output (``None`` or ``"-"``).

    CSV files get a UTF-8 byte-order mark so that Excel shows the Chinese names.
    """
    if isinstance(path_or_stream, str | Path) and str(path_or_stream) != "-":
        path = Path(path_or_stream)
        fmt = fmt or format_for(path)
        text = dump_network_yaml(data) if fmt == "yaml" else dump_network_csv(data)
        path.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        return
    stream: IO[str] = sys.stdout if path_or_stream in (None, "-") else path_or_stream  # type: ignore[assignment]
    fmt = fmt or "yaml"
    stream.write(dump_network_yaml(data) if fmt == "yaml" else dump_network_csv(data))
