"""Errors of circulation. Each message is what a desk librarian reads out to the reader:
what is wrong, and what to do about it (Chinese first, then English)."""

from __future__ import annotations

from datetime import date

from wenjin.errors import WenjinError


class CirculationError(WenjinError):
    pass


class IllegalLoanTransition(CirculationError):
    """A loan status change outside the declared table: a programming error."""

    code = "loan_transition_illegal"

    def __init__(self, current: str, new: str) -> None:
        super().__init__(
            f"借阅状态不能从 {current} 变为 {new}", f"A loan cannot go from {current} to {new}"
        )


class IllegalTransitTransition(CirculationError):
    """A transit status change outside the declared table: a programming error."""

    code = "transit_transition_illegal"

    def __init__(self, current: str, new: str) -> None:
        super().__init__(
            f"调拨状态不能从 {current} 变为 {new}", f"A transit cannot go from {current} to {new}"
        )


class LogIsAppendOnly(CirculationError):
    """Somebody tried to change or delete a circulation log entry."""

    code = "log_append_only"

    def __init__(self) -> None:
        super().__init__(
            "流通日志只能追加，不能修改或删除；如需更正请追加一条新记录",
            "The circulation log is append-only; record a correcting entry instead",
        )


def _yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


def _book(title: str | None, barcode: str) -> str:
    return f"《{title}》（{barcode}）" if title else f"条码 {barcode} 的图书"


def _book_en(title: str | None, barcode: str) -> str:
    return f"{title} ({barcode})" if title else f"item {barcode}"


# --- the policy matrix -------------------------------------------------------


class RuleNotFound(CirculationError):
    code = "rule_not_found"

    def __init__(self, rule_id: object) -> None:
        super().__init__(
            f"没有编号为 {rule_id} 的借阅规则，请用 `wenjin policy list` 查看规则编号",
            f"No circulation rule {rule_id}; `wenjin policy list` shows the rule ids",
        )


class LastCatchAllRule(CirculationError):
    """Deleting the only active rule with no keys would leave some loans with no rule."""

    code = "rule_last_catch_all"

    def __init__(self, rule_id: int) -> None:
        super().__init__(
            f"规则 {rule_id} 是唯一一条适用于所有服务点、读者类型和文献类型的通用规则，"
            "删除后有的借阅将无规则可依；请先设置另一条通用规则，或修改这条规则的条款",
            f"Rule {rule_id} is the only catch-all rule (any point, any reader, any item type); "
            "without it some loans would have no rule. Set another catch-all rule first, "
            "or change this rule's terms instead",
        )


class UnknownPointKind(CirculationError):
    code = "point_kind_unknown"

    def __init__(self, given: str, known: list[str]) -> None:
        super().__init__(
            f"没有服务点类型 {given!r}，可用：{', '.join(known)}",
            f"No kind of service point {given!r}; known kinds: {', '.join(known)}",
        )


class InvalidRuleTerm(CirculationError):
    code = "rule_term_invalid"

    def __init__(self, term: str, why_zh: str, why_en: str) -> None:
        super().__init__(f"借阅规则的 {term} {why_zh}", f"Rule term {term}: {why_en}")


class NoRuleApplies(CirculationError):
    code = "no_rule"

    def __init__(self, category: str, item_type: str, point: str) -> None:
        super().__init__(
            f"没有适用于「{category}」在 {point} 借阅「{item_type}」的借阅规则；"
            f"请管理员用 `wenjin policy set` 补充规则",
            f"No circulation rule covers a {category} borrowing a {item_type} at {point}; "
            f"an administrator adds one with `wenjin policy set`",
        )


# --- refusals at checkout --------------------------------------------------------


class PatronBlocked(CirculationError):
    """The reader may not borrow (or renew); ``reasons`` holds every reason, in order."""

    code = "patron_blocked"

    def __init__(self, name: str, reasons: list[tuple[str, str, str]]) -> None:
        self.reasons = reasons  # (block code, Chinese, English)
        self.block_codes = [code for code, _, _ in reasons]
        super().__init__(
            f"读者 {name} 暂不能借书：" + "；".join(zh for _, zh, _ in reasons),
            f"{name} may not borrow: " + "; ".join(en for _, _, en in reasons),
        )


class PointDoesNotLend(CirculationError):
    code = "point_does_not_lend"

    def __init__(self, point_name: str, point_code: str) -> None:
        super().__init__(
            f"{point_name}（{point_code}）不办理借还书业务，请到提供外借服务的服务点办理",
            f"{point_name} ({point_code}) does not lend or take returns; use a lending point",
        )


class ItemTypeNotLendable(CirculationError):
    code = "item_type_not_lendable"

    def __init__(self, barcode: str, title: str | None, type_name: str, type_en: str) -> None:
        super().__init__(
            f"{_book(title, barcode)}属于「{type_name}」，仅供馆内阅览，不能外借",
            f"{_book_en(title, barcode)} is {type_en}: for use in the library only",
        )


class NotLendableHere(CirculationError):
    """The rule that applies says this kind of item is not lent to this reader here."""

    code = "not_lendable_by_rule"

    def __init__(self, barcode: str, title: str | None, rule_id: int, note: str | None) -> None:
        why = f"（{note}）" if note else ""
        super().__init__(
            f"按借阅规则 {rule_id}{why}，{_book(title, barcode)}不能借给该读者",
            f"Rule {rule_id} does not let this reader borrow {_book_en(title, barcode)}"
            + (f" ({note})" if note else ""),
        )


class ItemOnLoanToThisPatron(CirculationError):
    code = "item_on_loan_to_this_patron"

    def __init__(self, barcode: str, title: str | None, due_on: date) -> None:
        super().__init__(
            f"{_book(title, barcode)}已借给这位读者，应还日期 {due_on.isoformat()}；"
            f"如需延长借期请办理续借",
            f"{_book_en(title, barcode)} is already on loan to this reader, due "
            f"{due_on.isoformat()}; renew it to keep it longer",
        )


class ItemOnLoanToAnother(CirculationError):
    code = "item_on_loan"

    def __init__(self, barcode: str, title: str | None) -> None:
        super().__init__(
            f"系统显示{_book(title, barcode)}借给了另一位读者，尚未还回；"
            f"请先为此书办理还书，再借出",
            f"{_book_en(title, barcode)} is on loan to another reader; check it in first, "
            f"then lend it",
        )


class ItemInTransit(CirculationError):
    code = "item_in_transit"

    def __init__(self, barcode: str, title: str | None, destination: str) -> None:
        super().__init__(
            f"{_book(title, barcode)}正在调拨途中（送往 {destination}），"
            f"请先在目的地办理接收，再借出",
            f"{_book_en(title, barcode)} is in transit to {destination}; receive it there first",
        )


class ItemOnHoldShelf(CirculationError):
    code = "item_on_hold_shelf"

    def __init__(self, barcode: str, title: str | None) -> None:
        super().__init__(
            f"{_book(title, barcode)}在预约架上等待预约读者取书，不能借给其他读者",
            f"{_book_en(title, barcode)} is on the hold shelf for another reader",
        )


class ItemNotAvailable(CirculationError):
    """Lost, missing, damaged, withdrawn or still being processed."""

    code = "item_not_available"

    def __init__(
        self,
        barcode: str,
        title: str | None,
        status_zh: str,
        status_en: str,
        todo_zh: str,
        todo_en: str,
    ) -> None:
        self.status = status_en
        super().__init__(
            f"{_book(title, barcode)}当前状态为「{status_zh}」，不能借出；{todo_zh}",
            f"{_book_en(title, barcode)} is {status_en.lower()} and cannot be lent; {todo_en}",
        )


class LoanLimitReached(CirculationError):
    code = "loan_limit_reached"

    def __init__(self, name: str, count: int, limit: int) -> None:
        super().__init__(
            f"读者 {name} 已借 {count} 册，达到 {limit} 册的借阅上限；请先归还部分图书",
            f"{name} has {count} items on loan, the limit of {limit}; return some first",
        )


class TypeLimitReached(CirculationError):
    code = "type_limit_reached"

    def __init__(self, name: str, type_name: str, type_en: str, count: int, limit: int) -> None:
        super().__init__(
            f"读者 {name} 已借「{type_name}」{count} 册，达到该类 {limit} 册的上限；"
            f"请先归还部分同类文献",
            f"{name} has {count} {type_en} items on loan, the limit of {limit} for that type; "
            f"return some first",
        )


# --- checkin, renewal, transits ----------------------------------------------------


class ItemWithdrawn(CirculationError):
    code = "item_withdrawn"

    def __init__(self, barcode: str, title: str | None) -> None:
        super().__init__(
            f"{_book(title, barcode)}已剔除（注销），不属于馆藏；请交给采编部门处理",
            f"{_book_en(title, barcode)} has been withdrawn from the collection; "
            f"pass it to technical services",
        )


class NotOnLoan(CirculationError):
    code = "not_on_loan"

    def __init__(self, barcode: str, title: str | None, doing_zh: str, doing_en: str) -> None:
        super().__init__(
            f"{_book(title, barcode)}没有借出，不能{doing_zh}",
            f"{_book_en(title, barcode)} is not on loan, so it cannot be {doing_en}",
        )


class AlreadyDeclaredLost(CirculationError):
    code = "already_lost"

    def __init__(self, barcode: str, title: str | None) -> None:
        super().__init__(
            f"{_book(title, barcode)}已登记读者报失，赔偿费用已生成；找到后请办理「找回」",
            f"{_book_en(title, barcode)} is already declared lost and charged; "
            f"record it found if it turns up",
        )


class LoanNotRenewable(CirculationError):
    """The loan is declared lost or claimed returned: only an open loan is renewed."""

    code = "loan_not_renewable"

    def __init__(self, barcode: str, status_zh: str, status_en: str) -> None:
        super().__init__(
            f"条码 {barcode} 的借阅状态为「{status_zh}」，不能续借",
            f"The loan of {barcode} is {status_en.lower()} and cannot be renewed",
        )


class RenewalsUsedUp(CirculationError):
    code = "renewals_used_up"

    def __init__(self, barcode: str, title: str | None, used: int, due_on: date) -> None:
        super().__init__(
            f"{_book(title, barcode)}已续借 {used} 次，达到续借次数上限；"
            f"请在 {due_on.isoformat()} 前归还",
            f"{_book_en(title, barcode)} has been renewed {used} time(s), the most allowed; "
            f"return it by {due_on.isoformat()}",
        )


class LoanOverdue(CirculationError):
    code = "loan_overdue"

    def __init__(self, barcode: str, title: str | None, due_on: date) -> None:
        super().__init__(
            f"{_book(title, barcode)}已于 {due_on.isoformat()} 到期，超期图书不能续借；"
            f"请归还并缴纳滞纳金",
            f"{_book_en(title, barcode)} was due on {due_on.isoformat()}; an overdue item "
            f"cannot be renewed: return it and pay the fine",
        )


class ReaderWaitingForTitle(CirculationError):
    """Holds (预约): another reader waits for this title, so the loan is not renewed."""

    code = "renewal_hold_waiting"

    def __init__(self, barcode: str, title: str | None, due_on: date) -> None:
        super().__init__(
            f"{_book(title, barcode)}有其他读者在预约等待，不能续借；请在 {due_on.isoformat()} 前归还",
            f"Another reader is waiting for {_book_en(title, barcode)}: it cannot be renewed; "
            f"please return it by {due_on.isoformat()}",
        )


class RenewalTooEarly(CirculationError):
    code = "renewal_too_early"

    def __init__(self, barcode: str, title: str | None, due_on: date) -> None:
        super().__init__(
            f"现在续借{_book(title, barcode)}不会延长借期（应还日期仍为 {due_on.isoformat()}），"
            f"请临近到期再续借",
            f"Renewing {_book_en(title, barcode)} now would not extend it (still due "
            f"{due_on.isoformat()}); renew nearer the due date",
        )


class NotInTransit(CirculationError):
    code = "not_in_transit"

    def __init__(self, barcode: str, title: str | None) -> None:
        super().__init__(
            f"{_book(title, barcode)}不在调拨途中，无需接收；如是还书请办理还书",
            f"{_book_en(title, barcode)} is not in transit; to take a return, check it in",
        )


class NotLost(CirculationError):
    code = "not_lost"

    def __init__(self, barcode: str, title: str | None, status_zh: str, status_en: str) -> None:
        super().__init__(
            f"{_book(title, barcode)}当前状态为「{status_zh}」，不是丢失或缺失，无需登记找到",
            f"{_book_en(title, barcode)} is {status_en.lower()}, not lost or missing",
        )


class CannotMarkDamaged(CirculationError):
    code = "cannot_mark_damaged"

    def __init__(self, barcode: str, title: str | None, why_zh: str, why_en: str) -> None:
        super().__init__(
            f"{_book(title, barcode)}不能登记破损：{why_zh}",
            f"{_book_en(title, barcode)} cannot be marked damaged: {why_en}",
        )


class NotDamaged(CirculationError):
    code = "not_damaged"

    def __init__(self, barcode: str, title: str | None) -> None:
        super().__init__(
            f"{_book(title, barcode)}没有登记破损，无需登记修复",
            f"{_book_en(title, barcode)} is not marked damaged",
        )


class DamageNoteMissing(CirculationError):
    code = "damage_note_missing"

    def __init__(self) -> None:
        super().__init__(
            "登记破损须写明破损情况（如：水渍、缺页、封面脱落）",
            "Say what the damage is (e.g. water stains, missing pages, cover torn off)",
        )


class ConcurrentChange(CirculationError):
    """Another desk changed the same item or loan at the same moment; nothing was saved."""

    code = "concurrent_change"

    def __init__(self, barcode: str) -> None:
        super().__init__(
            f"条码 {barcode} 的图书刚刚在另一台终端被办理，本次操作未生效；请重新扫描",
            f"Item {barcode} was just handled at another desk and nothing was saved; scan it again",
        )


class ItemPropertiesTooLong(CirculationError):
    code = "item_properties_too_long"

    def __init__(self, barcode: str, length: int, limit: int) -> None:
        super().__init__(
            f"条码 {barcode} 的图书属性有 {length} 个字符，最多只能保存 {limit} 个",
            f"The properties of item {barcode} are {length} characters long; at most {limit} are kept",
        )
