"""Errors of the catalogue. Messages are for a librarian: what went wrong and what to do."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from wenjin.errors import WenjinError

if TYPE_CHECKING:
    from wenjin.catalog.marc.editor import EditorProblem
    from wenjin.catalog.states import ItemStatus


class CatalogError(WenjinError):
    pass


class RecordNotFound(CatalogError):
    code = "record_not_found"

    def __init__(self, ref: str) -> None:
        super().__init__(
            f"没有找到书目记录 {ref}（按内部编号或 001 控制号查找）",
            f"No bibliographic record {ref} (looked up by internal id or 001 control number)",
        )


class AmbiguousRecord(CatalogError):
    code = "record_ambiguous"

    def __init__(self, ref: str, count: int) -> None:
        super().__init__(
            f"控制号 {ref} 对应 {count} 条记录（来源不同），请改用内部编号",
            f"Control number {ref} matches {count} records from different sources; use the internal id",
        )


class ItemNotFound(CatalogError):
    code = "item_not_found"

    def __init__(self, barcode: str) -> None:
        super().__init__(
            f"条码 {barcode} 不是本馆的册条码，请检查扫描是否完整",
            f"Barcode {barcode} is not an item of this network; check the scan",
        )


class DuplicateBarcode(CatalogError):
    code = "barcode_taken"

    def __init__(self, barcode: str) -> None:
        super().__init__(
            f"条码 {barcode} 已被另一册使用，条码在全馆必须唯一",
            f"Barcode {barcode} is already used by another item; barcodes are unique network-wide",
        )


class InvalidBarcode(CatalogError):
    code = "barcode_invalid"

    def __init__(self, barcode: str, why_zh: str, why_en: str) -> None:
        super().__init__(
            f"条码 {barcode!r} 无效：{why_zh}", f"Invalid barcode {barcode!r}: {why_en}"
        )


class UnknownItemType(CatalogError):
    code = "item_type_unknown"

    def __init__(self, code: str, known: list[str]) -> None:
        super().__init__(
            f"没有文献类型 {code}，可用：{', '.join(known)}",
            f"No item type {code}; known types: {', '.join(known)}",
        )


class IllegalItemTransition(CatalogError):
    """A status change outside the declared table: a programming error, never user input."""

    code = "item_transition_illegal"

    def __init__(self, current: ItemStatus, new: ItemStatus) -> None:
        self.current = current
        self.new = new
        super().__init__(
            f"册状态不能从「{current.label_zh}」变为「{new.label_zh}」",
            f"An item cannot go from {current.value} to {new.value}",
        )


class InvalidPrice(CatalogError):
    code = "price_invalid"

    def __init__(self, text: str) -> None:
        super().__init__(
            f"价格 {text!r} 无效：请以元为单位填写，如 45.80（最多两位小数）",
            f"Invalid price {text!r}: give it in yuan, e.g. 45.80 (at most two decimals)",
        )


class PointCannotHoldItems(CatalogError):
    code = "point_cannot_hold_items"

    def __init__(self, point_code: str) -> None:
        super().__init__(
            f"{point_code} 是整个总分馆体系（根节点），不能收藏图书；请指定具体的馆或服务点",
            f"{point_code} is the network itself (the root); items belong to a library or "
            "service point under it",
        )


class ImportFileUnreadable(CatalogError):
    """A file given to ``wenjin catalog import`` that cannot be read at all."""

    code = "import_file_unreadable"

    def __init__(self, path: str, reason_zh: str, reason_en: str) -> None:
        self.path = path
        super().__init__(f"无法导入 {path}：{reason_zh}", f"Cannot import {path}: {reason_en}")


class InvalidMarc(CatalogError):
    """An edited record that cannot be saved: every problem, each with its line."""

    code = "marc_invalid"

    def __init__(self, problems: Sequence[EditorProblem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.is_error] or self.problems
        shown_zh = "；".join(p.message("zh") for p in errors[:5])
        shown_en = "; ".join(p.message("en") for p in errors[:5])
        more_zh = f"；另有 {len(errors) - 5} 处" if len(errors) > 5 else ""
        more_en = f"; and {len(errors) - 5} more" if len(errors) > 5 else ""
        super().__init__(
            f"记录有 {len(errors)} 处错误，未保存：{shown_zh}{more_zh}",
            f"The record has {len(errors)} error(s) and was not saved: {shown_en}{more_en}",
        )


class RecordChanged(CatalogError):
    """Someone else saved the record after this editor opened it (optimistic lock)."""

    code = "record_changed"

    def __init__(self, record_id: int) -> None:
        super().__init__(
            f"书目记录 {record_id} 在您打开后已被他人修改并保存，您的修改未保存；"
            "请重新打开记录，再做一次修改",
            f"Record {record_id} was changed and saved by someone else after you opened it; "
            "your changes were not saved. Open the record again and redo them",
        )


class ControlNumberTaken(CatalogError):
    code = "control_number_taken"

    def __init__(self, control_number: str, source: str, other_id: int) -> None:
        super().__init__(
            f"来源 {source} 中控制号（001）{control_number} 已属于书目记录 {other_id}，"
            "请改用其他控制号",
            f"Control number (001) {control_number} of source {source} already belongs to "
            f"record {other_id}; use another one",
        )


class ItemOwnerLocked(CatalogError):
    """The home point of a copy cannot move while the copy is out or on its way."""

    code = "item_owner_locked"

    def __init__(self, barcode: str, status: ItemStatus) -> None:
        super().__init__(
            f"册 {barcode} 当前为「{status.label_zh}」，不能修改所属馆；请在还回或接收后再改",
            f"Item {barcode} is {status.label_en.lower()}: its home point cannot change until "
            "it is returned or received",
        )


class ItemCannotBeWithdrawn(CatalogError):
    code = "item_cannot_be_withdrawn"

    def __init__(self, barcode: str, why_zh: str, why_en: str) -> None:
        super().__init__(
            f"册 {barcode} 不能注销：{why_zh}", f"Item {barcode} cannot be withdrawn: {why_en}"
        )


class ItemChanged(CatalogError):
    code = "item_changed"

    def __init__(self, barcode: str) -> None:
        super().__init__(
            f"册 {barcode} 刚被他人修改（如借出或还回），您的修改未保存；请重新打开后再改",
            f"Item {barcode} was just changed by someone else (a loan or a return); your "
            "changes were not saved. Open it again and redo them",
        )
