"""Errors of rotating collections: what is wrong, and what the librarian can do about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wenjin.errors import NotFound, WenjinError


class RotationError(WenjinError):
    pass


class IllegalCollectionTransition(RotationError):
    """A collection status change outside the declared table: a programming error."""

    code = "collection_transition_illegal"

    def __init__(self, current: str, new: str) -> None:
        super().__init__(
            f"流动书箱状态不能从 {current} 变为 {new}",
            f"A rotating collection cannot go from {current} to {new}",
        )


class CollectionNotFound(RotationError, NotFound):
    code = "collection_not_found"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"没有代码为 {code} 的流动书箱，请用 `wenjin rotation list` 查看",
            f"No rotating collection {code}; `wenjin rotation list` lists them",
        )


class CollectionCodeTaken(RotationError):
    code = "collection_code_taken"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"流动书箱代码 {code} 已被使用，请换一个代码",
            f"Rotating collection code {code} is already used; choose another",
        )


class PlanNotFound(RotationError, NotFound):
    code = "plan_not_found"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"没有代码为 {code} 的轮换计划，请用 `wenjin rotation plan list` 查看",
            f"No rotation plan {code}; `wenjin rotation plan list` lists them",
        )


class PlanCodeTaken(RotationError):
    code = "plan_code_taken"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"轮换计划代码 {code} 已被使用，请换一个代码",
            f"Rotation plan code {code} is already used; choose another",
        )


class InvalidRotationInput(RotationError):
    """A code, a plan or a destination that breaks a rule: the message says which."""

    code = "rotation_input_invalid"


class CollectionInWrongState(RotationError):
    code = "collection_state_wrong"

    def __init__(
        self, code: str, status_zh: str, status_en: str, todo_zh: str, todo_en: str
    ) -> None:
        super().__init__(
            f"流动书箱 {code} 当前为「{status_zh}」，{todo_zh}",
            f"Rotating collection {code} is {status_en.lower()}: {todo_en}",
        )


class CollectionEmpty(RotationError):
    code = "collection_empty"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"流动书箱 {code} 中没有图书，请先用 `wenjin rotation add` 加入图书",
            f"Rotating collection {code} holds no items; add some with `wenjin rotation add`",
        )


@dataclass(frozen=True)
class ItemProblem:
    """One item that stops a batch operation, and why (Chinese and English)."""

    barcode: str
    title: str | None
    why_zh: str
    why_en: str


def _lines(problems: Sequence[ItemProblem], zh: bool) -> str:
    shown = list(problems[:20])
    if zh:
        text = "；".join(f"{p.barcode}（{p.why_zh}）" for p in shown)
        more = f"；另有 {len(problems) - len(shown)} 册" if len(problems) > len(shown) else ""
    else:
        text = "; ".join(f"{p.barcode} ({p.why_en})" for p in shown)
        more = f"; and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
    return text + more


class ItemsNotReady(RotationError):
    """Some items of a batch cannot go: nothing was done, the list says what to fix."""

    code = "collection_items_not_ready"

    def __init__(
        self, code: str, action_zh: str, action_en: str, problems: Sequence[ItemProblem]
    ) -> None:
        self.problems = list(problems)
        super().__init__(
            f"流动书箱 {code} 有 {len(problems)} 册图书无法{action_zh}，未做任何改动：{_lines(problems, True)}",
            f"{len(problems)} item(s) of rotating collection {code} cannot be {action_en}; "
            f"nothing was changed: {_lines(problems, False)}",
        )


class WrongPointForCollection(RotationError):
    code = "collection_wrong_point"

    def __init__(self, code: str, at: str, expected: str) -> None:
        super().__init__(
            f"流动书箱 {code} 正送往 {expected}，不能在 {at} 接收；请在 {expected} 接收，或逐册办理调拨接收",
            f"Rotating collection {code} is on its way to {expected}, not {at}; receive it at "
            f"{expected}, or receive its items one by one",
        )
