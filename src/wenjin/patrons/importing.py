"""Bulk registration from a spreadsheet: a school registers a whole class, a village its readers.

CSV (UTF-8 with or without BOM, or GB18030 as Excel saves it on a Chinese
Windows) and XLSX. Headers in Chinese or English. Every row goes through the
same checks as a registration at the desk; a bad row is written, with its row
number and the reason, to ``<file>.rejects.csv`` and the rest are imported.
Rows are committed in batches, so an interrupted import keeps what it did, and
running the same file again updates those readers (matched by card number)
instead of registering them twice.

The rejects file never holds an ID number in clear (it is masked) nor a PIN.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.models import ServicePoint
from wenjin.patrons.errors import (
    CardNotActive,
    ImportFileUnreadable,
    InvalidIdNumber,
    InvalidPatronField,
    MissingField,
)
from wenjin.patrons.identity import mask_id_number, normalise_id_number
from wenjin.patrons.models import PatronCard, PatronCategory
from wenjin.patrons.queries import (
    DuplicateWarning,
    duplicate_warnings,
    network_today,
    normalise_card_number,
)
from wenjin.patrons.rules import deposit_required
from wenjin.patrons.services import (
    register_patron,
    resolve_category,
    resolve_point,
    update_patron,
    waive_deposit,
)
from wenjin.patrons.states import CardStatus

# Column → the header names librarians use for it (compared without spaces,
# underscores, case, and anything in brackets such as "（必填）").
COLUMNS: dict[str, tuple[str, ...]] = {
    "card": ("读者证号", "证号", "卡号", "借书证号", "读者卡号", "card", "cardnumber", "cardno"),
    "name": ("姓名", "读者姓名", "名称", "name"),
    "category": ("类别", "读者类别", "读者类型", "category", "type"),
    "home": ("所属馆", "所属分馆", "办证馆", "服务点", "home", "homepoint", "branch"),
    "id_number": ("身份证号", "身份证号码", "身份证", "idnumber", "id", "ric"),
    "phone": ("手机", "手机号", "手机号码", "电话", "联系电话", "phone", "mobile"),
    "pin": ("密码", "pin", "password"),
    "expires": ("有效期", "有效期至", "到期日", "到期日期", "expires", "expireson", "expiry"),
    "notes": ("备注", "notes", "note"),
}
REQUIRED = ("card", "name", "category", "home")
_LABELS = {
    "card": ("读者证号", "card"),
    "name": ("姓名", "name"),
    "category": ("类别", "category"),
    "home": ("所属馆", "home"),
    "id_number": ("身份证号", "id_number"),
    "phone": ("手机", "phone"),
    "pin": ("密码", "pin"),
    "expires": ("有效期", "expires"),
    "notes": ("备注", "notes"),
}
_BRACKETS = re.compile(r"[(（\[【].*?[)）\]】]")
_HEADER_NOISE = re.compile(r"[\s_\-*:：]")


def _header_key(header: str) -> str:
    text = unicodedata.normalize("NFKC", header)
    return _HEADER_NOISE.sub("", _BRACKETS.sub("", text)).casefold()


_ALIASES = {_header_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


@dataclass
class PatronFile:
    """A file read into rows: each row maps a column ("card", "name" …) to the cell's value."""

    path: Path
    headers: list[str]
    columns: dict[int, str]  # position in the file → column
    ignored_headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)

    def value(self, cells: list[Any], column: str) -> Any:
        for position, name in self.columns.items():
            if name == column:
                return cells[position] if position < len(cells) else None
        return None


@dataclass(frozen=True)
class RowMessage:
    row: int
    message_zh: str
    message_en: str


@dataclass
class ImportResult:
    total: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects_file: Path | None = None
    ignored_columns: list[str] = field(default_factory=list)
    rejects: list[RowMessage] = field(default_factory=list)
    warnings: list[RowMessage] = field(default_factory=list)


def read_patron_file(path: Path) -> PatronFile:
    """Read a CSV or XLSX file and map its headers; raises :class:`ImportFileUnreadable`."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFileUnreadable(str(path), "文件不存在", "no such file")
    if suffix == ".xlsx":
        table = _read_xlsx(path)
    elif suffix in (".csv", ".txt"):
        table = _read_csv(path)
    elif suffix == ".xls":
        raise ImportFileUnreadable(
            path.name,
            "不支持旧的 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV",
            "the old .xls format is not supported; save it as .xlsx or CSV in Excel",
        )
    else:
        raise ImportFileUnreadable(
            path.name, "只支持 .csv 和 .xlsx 文件", "only .csv and .xlsx files are supported"
        )
    rows = [(number, cells) for number, cells in table if not all(_blank(c) for c in cells)]
    if not rows:
        raise ImportFileUnreadable(path.name, "文件是空的", "the file is empty")
    header_number, header_cells = rows[0]
    headers = ["" if c is None else str(c).strip() for c in header_cells]
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for position, header in enumerate(headers):
        column = _ALIASES.get(_header_key(header))
        if column is None or column in columns.values():
            if header:
                ignored.append(header)
            continue
        columns[position] = column
    missing = [c for c in REQUIRED if c not in columns.values()]
    if missing:
        wanted_zh = "、".join(_LABELS[c][0] for c in missing)
        wanted_en = ", ".join(_LABELS[c][1] for c in missing)
        found = "、".join(h for h in headers if h) or "（无）"
        raise ImportFileUnreadable(
            path.name,
            f"第{header_number}行表头缺少 {wanted_zh} 列（读到的表头：{found}）",
            f"the header row {header_number} lacks {wanted_en} (headers found: {found})",
        )
    return PatronFile(
        path=path, headers=headers, columns=columns, ignored_headers=ignored, rows=rows[1:]
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_csv(path: Path) -> Iterator[tuple[int, list[Any]]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ImportFileUnreadable(
                path.name,
                "编码既不是 UTF-8 也不是 GB18030/GBK，请在 Excel 中另存为“CSV UTF-8”",
                "the encoding is neither UTF-8 nor GB18030/GBK; save it as CSV UTF-8",
            ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;，", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, cells in enumerate(reader, start=1):
        yield number, list(cells)


def _read_xlsx(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ImportFileUnreadable(
            path.name, f"不是有效的 .xlsx 文件（{exc}）", f"not a valid .xlsx file ({exc})"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


def _text(value: Any) -> str | None:
    """A cell as text: Excel's integral floats lose the '.0', blank cells become None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def _date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value) or ""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidPatronField(
        "有效期",
        "expiry date",
        text,
        "日期格式应为 2026-08-31 或 2026/8/31",
        "write dates as 2026-08-31 or 2026/8/31",
    )


def _required(file: PatronFile, cells: list[Any], column: str) -> str:
    value = _text(file.value(cells, column))
    if value is None:
        zh, en = _LABELS[column]
        raise MissingField(zh, en)
    return value


def import_patrons(
    path: Path,
    *,
    unit_of_work: Callable[[], UnitOfWork],
    today: date | None = None,
    batch_size: int = 200,
    waive_deposit_reason: str | None = None,
    by: str | None = None,
    on_total: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Register or update every row of a patron file; returns the counts and writes the rejects.

    ``waive_deposit_reason`` grants every newly registered reader whose category
    asks for a deposit a standing waiver (a school standing guarantee for its
    pupils, 学校统一担保).
    """
    today = today or network_today()
    file = read_patron_file(path)
    result = ImportResult(total=len(file.rows), ignored_columns=file.ignored_headers)
    if on_total:
        on_total(result.total)
    rejected_rows: list[tuple[int, list[Any], str, str]] = []
    seen_cards: dict[str, int] = {}
    for start in range(0, len(file.rows), batch_size):
        batch = file.rows[start : start + batch_size]
        with unit_of_work() as uow:
            context = _Batch(uow.session, file, seen_cards, today, waive_deposit_reason, by)
            for number, cells in batch:
                try:
                    with uow.session.begin_nested():
                        outcome, warnings = context.import_row(number, cells)
                except WenjinError as exc:
                    rejected_rows.append((number, cells, exc.message_zh, exc.message_en))
                    result.rejects.append(RowMessage(number, exc.message_zh, exc.message_en))
                except IntegrityError:
                    zh = "与同时办理的另一笔登记冲突（读者证号或身份证号重复），请重新导入此行"
                    en = "conflicts with a registration made at the same time (card or ID number); import the row again"
                    rejected_rows.append((number, cells, zh, en))
                    result.rejects.append(RowMessage(number, zh, en))
                else:
                    setattr(result, outcome, getattr(result, outcome) + 1)
                    result.warnings.extend(
                        RowMessage(number, w.message_zh, w.message_en) for w in warnings
                    )
            uow.commit()
        if on_progress:
            on_progress(len(batch))
    result.rejected = len(rejected_rows)
    result.rejects_file = _write_rejects(file, rejected_rows)
    return result


@dataclass
class _Batch:
    """What the rows of one transaction share, including the categories and points already
    looked up (a class list names the same two or three hundreds of times)."""

    session: Session
    file: PatronFile
    seen_cards: dict[str, int]
    today: date
    waive_reason: str | None
    by: str | None
    categories: dict[str, PatronCategory] = field(default_factory=dict)
    points: dict[str, ServicePoint] = field(default_factory=dict)

    def category(self, text: str) -> PatronCategory:
        if text not in self.categories:
            self.categories[text] = resolve_category(self.session, text)
        return self.categories[text]

    def point(self, text: str) -> ServicePoint:
        if text not in self.points:
            self.points[text] = resolve_point(self.session, text)
        return self.points[text]

    def import_row(self, number: int, cells: list[Any]) -> tuple[str, list[DuplicateWarning]]:
        file, session = self.file, self.session
        card_number = normalise_card_number(_required(file, cells, "card"))
        if card_number in self.seen_cards:
            earlier = self.seen_cards[card_number]
            raise InvalidPatronField(
                "读者证号",
                "card number",
                card_number,
                f"与第{earlier}行重复",
                f"it repeats row {earlier}",
            )
        self.seen_cards[card_number] = number
        name = _required(file, cells, "name")
        category = self.category(_required(file, cells, "category"))
        home_point = self.point(_required(file, cells, "home"))
        phone = _text(file.value(cells, "phone"))
        pin = _text(file.value(cells, "pin"))
        expires_on = _date(file.value(cells, "expires"))
        raw_id = file.value(cells, "id_number")
        id_number = _text(raw_id)
        if isinstance(raw_id, int | float):
            # Excel keeps 15 significant digits of a number: the last three digits of an
            # 18-digit ID typed into a General cell are zeros, and one in eleven of those
            # still passes the check digit. A numeric cell is never trusted.
            raise InvalidIdNumber(
                mask_id_number(id_number or ""),
                "该单元格是数字格式，Excel 只保留15位有效数字，后几位已丢失。"
                "请把身份证号列设为“文本”格式后重新录入",
                "the cell is a number and Excel keeps only 15 significant digits, so the last "
                "ones are lost. Format the column as text and enter the numbers again",
            )
        card = session.scalars(
            select(PatronCard).where(PatronCard.number == card_number)
        ).one_or_none()
        if card is not None:
            if card.status is not CardStatus.ACTIVE:
                raise CardNotActive(card.number, card.status.label_zh, card.status.label_en)
            changed = update_patron(
                session,
                patron=card.patron,
                name=name,
                category=category,
                home_point=home_point,
                id_number=id_number,
                phone=phone,
                pin=pin,
                expires_on=expires_on,
                today=self.today,
            )
            return ("updated" if changed else "unchanged"), []
        patron = register_patron(
            session,
            card_number=card_number,
            name=name,
            category=category,
            home_point=home_point,
            id_number=id_number,
            phone=phone,
            pin=pin,
            expires_on=expires_on,
            notes=_text(file.value(cells, "notes")),
            today=self.today,
        )
        if self.waive_reason and deposit_required(patron.category, patron, self.today):
            waive_deposit(
                session, patron=patron, reason=self.waive_reason, by=self.by, today=self.today
            )
        return "imported", duplicate_warnings(
            session, name=patron.name, phone=patron.phone, exclude_patron_id=patron.id
        )


def rejects_path(path: Path) -> Path:
    return path.with_name(path.name + ".rejects.csv")


def _write_rejects(
    file: PatronFile, rejected: list[tuple[int, list[Any], str, str]]
) -> Path | None:
    target = rejects_path(file.path)
    if not rejected:
        # A stale rejects file from an earlier run would send the librarian after fixed rows.
        target.unlink(missing_ok=True)
        return None
    hidden = {p: c for p, c in file.columns.items() if c in ("id_number", "pin")}
    with target.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["行号 row", "原因", "reason", *file.headers])
        for number, cells, zh, en in rejected:
            shown = []
            for position in range(len(file.headers)):
                value = _text(cells[position]) if position < len(cells) else None
                if value and hidden.get(position) == "id_number":
                    value = mask_id_number(normalise_id_number(value))
                elif value and hidden.get(position) == "pin":
                    value = "******"
                shown.append(value or "")
            writer.writerow([number, zh, en, *shown])
    return target
