"""The MARC editor's text form: one line per field, read back with every problem named.

A record is edited as text, one line per field in the mnemonic form cataloguers
know from MARCMaker and most Chinese systems::

    LDR 00000nam0#2200000###450#
    001 ZC2012000101
    010 ##$a978-7-5302-1678-1$dCNY108.00
    200 1#$a平凡的世界$f路遥著

The tag, one space, then for a data field its two indicators (``#`` for a blank)
and its subfields, each ``$`` and a one-character code; for a control field
(001–009) its data. In the leader and the fixed-length control fields (006, 007,
008) ``#`` stands for a blank too, so that no trailing blank is lost in a text
box. A ``$`` inside a value is written ``{dollar}``.

:func:`read_editor_text` never raises on bad input: it returns the record it could
build and the problems, each with its line number, in Chinese and English.
Errors stop a save; warnings (an ISBN whose check digit is wrong, an empty
subfield or field, which is left out) are shown and the record is saved. Pure: no database.

pymarc's ``MARCMakerReader`` reads a similar form (``=245  10$a…``), but it stops
at the first line it cannot parse and checks nothing else; a cataloguer needs every
problem at once, each with its line, so the reader is written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from stdnum import ean
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, ValidationError

from wenjin.catalog.marc.holdings import HOLDINGS_TAGS, describes_a_copy
from wenjin.catalog.marc.record import LEADER_LENGTH, Field, MarcRecord, is_control_tag
from wenjin.catalog.states import MarcFlavour

LEADER_TAG = "LDR"
DOLLAR = "{dollar}"
BLANK = "#"
# Control fields whose every position means something: a blank there is shown as #.
FIXED_LENGTH_TAGS = frozenset({"006", "007", "008"})
# The field and subfield that must carry the title, by flavour.
TITLE_FIELD: dict[MarcFlavour, str] = {MarcFlavour.CNMARC: "200", MarcFlavour.MARC21: "245"}
ISBN_FIELD: dict[MarcFlavour, str] = {MarcFlavour.CNMARC: "010", MarcFlavour.MARC21: "020"}
MAX_LINES = 2000

_TAG = re.compile(r"^[0-9]{3}$")
_INDICATOR = re.compile(r"^[0-9a-z# ]$")
# Lower-case letters and digits, as the standards say; upper-case letters too, because
# CNMARC records carry pinyin in $A, $9 … and imported records must stay editable.
_SUBFIELD_CODE = re.compile(r"^[0-9a-zA-Z]$")
_ISBN_TOKEN = re.compile(r"^\s*([0-9Xx][0-9Xx\- ]*[0-9Xx])")

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class EditorProblem:
    """One problem of the edited text: its line (0: the record as a whole) and why."""

    line: int
    zh: str
    en: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def message(self, lang: str = "zh") -> str:
        if lang.startswith("en"):
            where = f"line {self.line}: " if self.line else "record: "
            kind = "" if self.is_error else "warning: "
            return f"{where}{kind}{self.en}"
        where = f"第 {self.line} 行：" if self.line else "记录："
        kind = "" if self.is_error else "提示："
        return f"{where}{kind}{self.zh}"

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "severity": self.severity,
            "message": self.zh,
            "message_en": self.en,
        }


@dataclass
class EditorText:
    """What :func:`read_editor_text` made of the text: the record, and its problems."""

    record: MarcRecord
    lines: list[int] = field(default_factory=list)  # the line of each field of the record
    problems: list[EditorProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[EditorProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[EditorProblem]:
        return [p for p in self.problems if not p.is_error]


# --- record → text ---


def _shown(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("$", DOLLAR)


def editor_text(record: MarcRecord) -> str:
    """The record as the editor shows it: the leader, then one line per field in order."""
    lines = [f"{LEADER_TAG} {record.leader.replace(' ', BLANK)}"]
    for f in record.fields:
        if f.data is not None:
            data = _shown(f.data)
            if f.tag in FIXED_LENGTH_TAGS:
                data = data.replace(" ", BLANK)
            lines.append(f"{f.tag} {data}")
            continue
        indicators = (f.ind1 or " ").replace(" ", BLANK) + (f.ind2 or " ").replace(" ", BLANK)
        subfields = "".join(f"${code}{_shown(value)}" for code, value in f.subfields)
        lines.append(f"{f.tag} {indicators}{subfields}")
    return "\n".join(lines) + "\n"


# --- text → record ---


def read_editor_text(text: str, flavour: MarcFlavour) -> EditorText:
    """The record ``text`` describes, with every problem found (see the module docstring)."""
    result = EditorText(MarcRecord(""))
    problems = result.problems
    leader_line = 0
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(raw_lines) > MAX_LINES:
        problems.append(
            EditorProblem(
                0,
                f"记录最多 {MAX_LINES} 行（现为 {len(raw_lines)} 行）",
                f"a record has at most {MAX_LINES} lines (this one has {len(raw_lines)})",
            )
        )
        return result
    for number, line in enumerate(raw_lines, start=1):
        # Trailing blanks are kept: in coded data (CNMARC 100 $a) they are positions.
        if not line.strip():
            continue
        tag = line[:3]
        if tag.upper() == LEADER_TAG:
            if leader_line:
                problems.append(
                    EditorProblem(
                        number,
                        f"头标已在第 {leader_line} 行给出，只能有一个",
                        f"the leader was already given on line {leader_line}; there is only one",
                    )
                )
                continue
            leader_line = number
            result.record.leader = _read_leader(number, line[3:], problems)
            continue
        f = _read_field(number, line, problems)
        if f is not None:
            result.record.add_fields([f])
            result.lines.append(number)
    if not leader_line:
        problems.append(
            EditorProblem(
                0,
                "缺少头标行（LDR 开头，24 个字符）",
                "the leader line is missing (LDR and 24 characters)",
            )
        )
    _check_record(result, flavour)
    # In the order of the text; on one line, errors before warnings.
    result.problems.sort(key=lambda p: (p.line, not p.is_error))
    return result


def _read_leader(number: int, rest: str, problems: list[EditorProblem]) -> str:
    leader = rest[1:] if rest.startswith(" ") else rest
    leader = leader.replace(BLANK, " ")
    if len(leader) > LEADER_LENGTH and not leader[LEADER_LENGTH:].strip():
        leader = leader[:LEADER_LENGTH]  # blanks typed after it
    if len(leader) != LEADER_LENGTH:
        problems.append(
            EditorProblem(
                number,
                f"头标应为 {LEADER_LENGTH} 个字符（空格写作 #），现为 {len(leader)} 个",
                f"the leader must be {LEADER_LENGTH} characters (a blank written #); "
                f"it has {len(leader)}",
            )
        )
    return leader


def _read_field(number: int, line: str, problems: list[EditorProblem]) -> Field | None:
    def error(zh: str, en: str) -> None:
        problems.append(EditorProblem(number, zh, en))

    tag = line[:3]
    if not _TAG.match(tag):
        error(
            f"字段号 {tag!r} 无效：应为 3 位数字（头标写作 LDR）",
            f"tag {tag!r} is not valid: it must be 3 digits (the leader is written LDR)",
        )
        return None
    if tag == "000":
        error("字段号 000 无效：头标写作 LDR", "tag 000 is not valid: the leader is written LDR")
        return None
    if len(line) > 3 and line[3] != " ":
        error(
            f"字段号 {tag} 后面应有一个空格",
            f"the tag {tag} must be followed by one space",
        )
        return None
    body = line[4:]
    if is_control_tag(tag):
        if "$" in body:
            error(
                f"控制字段 {tag} 没有指示符和子字段，不能含 $（值中的 $ 写作 {DOLLAR}）",
                f"control field {tag} has no indicators or subfields and cannot contain $ "
                f"(write a $ in its value as {DOLLAR})",
            )
            return None
        data = body.replace(DOLLAR, "$")
        if tag in FIXED_LENGTH_TAGS:
            data = data.replace(BLANK, " ")
        return Field(tag, data=data)
    first = body.find("$")
    if first < 0:
        error(
            f"数据字段 {tag} 没有子字段：应为两个指示符后接 $a…",
            f"data field {tag} has no subfields: two indicators, then $a…",
        )
        return None
    indicators = body[:first]
    if len(indicators) != 2:
        error(
            f"字段 {tag} 应在第一个 $ 前有两个指示符（空白写作 #），现为 {indicators!r}",
            f"field {tag} needs two indicators before the first $ (a blank written #); "
            f"found {indicators!r}",
        )
        return None
    valid = True
    for position, indicator in enumerate(indicators, start=1):
        if not _INDICATOR.match(indicator):
            error(
                f"字段 {tag} 的第 {position} 指示符 {indicator!r} 无效：只能是 0-9、a-z 或 #（空白）",
                f"field {tag} indicator {position} {indicator!r} is not valid: use 0-9, a-z "
                "or # (blank)",
            )
            valid = False
    subfields: list[tuple[str, str]] = []
    empty: list[str] = []
    for part in body[first + 1 :].split("$"):
        if not part:
            error(
                f"字段 {tag} 有一个空的子字段（$ 后缺少代码；值中的 $ 写作 {DOLLAR}）",
                f"field {tag} has an empty subfield ($ without a code; write a $ in a value "
                f"as {DOLLAR})",
            )
            valid = False
            continue
        code, value = part[0], part[1:].replace(DOLLAR, "$")
        if not _SUBFIELD_CODE.match(code):
            error(
                f"字段 {tag} 的子字段代码 {code!r} 无效：只能是一个字母或数字",
                f"field {tag} subfield code {code!r} is not valid: one letter or digit",
            )
            valid = False
            continue
        if not value.strip():
            empty.append(code)
            continue
        subfields.append((code, value))
    if not valid:
        return None
    if not subfields:
        problems.append(
            EditorProblem(
                number,
                f"字段 {tag} 没有内容，未保存该字段",
                f"field {tag} is empty and was left out",
                "warning",
            )
        )
        return None
    if empty:
        codes = "、".join(f"${code}" for code in empty)
        problems.append(
            EditorProblem(
                number,
                f"字段 {tag} 的空子字段 {codes} 未保存",
                f"field {tag}: empty subfield(s) {', '.join(f'${c}' for c in empty)} left out",
                "warning",
            )
        )
    ind1, ind2 = (i.replace(BLANK, " ") for i in indicators)
    return Field(tag, ind1, ind2, subfields)


# --- the record as a whole ---


def _check_record(result: EditorText, flavour: MarcFlavour) -> None:
    record = result.record
    line_of = dict(zip((id(f) for f in record.fields), result.lines, strict=True))
    title_tag = TITLE_FIELD[flavour]
    titles = record.get_fields(title_tag)
    if not titles:
        if not any(p.is_error and p.line for p in result.problems):
            result.problems.append(
                EditorProblem(
                    0,
                    f"缺少题名字段 {title_tag}（{flavour.value.upper()} 必备 {title_tag} $a）",
                    f"the title field {title_tag} is missing ({flavour.value.upper()} requires "
                    f"{title_tag} $a)",
                )
            )
    elif not (titles[0].get("a") or "").strip():
        result.problems.append(
            EditorProblem(
                line_of[id(titles[0])],
                f"题名字段 {title_tag} 缺少 $a 正题名",
                f"the title field {title_tag} has no $a (title proper)",
            )
        )
    for f in record.get_fields(*HOLDINGS_TAGS[flavour]):
        if f.data is None and describes_a_copy(f):
            result.problems.append(
                EditorProblem(
                    line_of[id(f)],
                    f"馆藏字段 {f.tag} 描述的是一册书：请在下方“馆藏复本”中添加或修改复本",
                    f"holdings field {f.tag} describes a copy: add or change copies in the "
                    "copies section instead",
                )
            )
    for f in record.get_fields(ISBN_FIELD[flavour]):
        if f.data is not None:
            continue
        for code, value in f.subfields:
            if code == "a":
                problem = isbn_problem(value)
                if problem is not None:
                    zh, en = problem
                    result.problems.append(EditorProblem(line_of[id(f)], zh, en, "warning"))


def isbn_problem(value: str) -> tuple[str, str] | None:
    """Why an ISBN as catalogued (``978-7-…(平装)``) is not valid, or None (python-stdnum)."""
    match = _ISBN_TOKEN.match(value)
    if match is None:
        return (f"ISBN {value!r} 不是 ISBN 号", f"ISBN {value!r} is not an ISBN")
    number = match.group(1).strip()
    compact = number.replace("-", "").replace(" ", "").upper()
    if len(compact) not in (10, 13):
        return (
            f"ISBN {number} 位数不对（应为 10 位或 13 位，现为 {len(compact)} 位）",
            f"ISBN {number} has the wrong length ({len(compact)} digits; 10 or 13 expected)",
        )
    try:
        stdnum_isbn.validate(compact)
    except InvalidChecksum:
        if len(compact) == 13 and compact.isdigit():
            expected = ean.calc_check_digit(compact[:12])
            return (
                f"ISBN {number} 校验位错误（按前 12 位应为 {expected}），请核对",
                f"ISBN {number} has a wrong check digit (the first 12 digits give {expected}); "
                "check it",
            )
        return (f"ISBN {number} 校验位错误，请核对", f"ISBN {number} has a wrong check digit")
    except ValidationError:
        return (
            f"ISBN {number} 位数或格式不对（应为 10 位或 13 位）",
            f"ISBN {number} has the wrong length or form (10 or 13 digits)",
        )
    return None
