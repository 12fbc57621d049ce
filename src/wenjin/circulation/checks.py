"""Why a checkout or a renewal is refused: two ordered lists of checks.

Each check looks at the facts of one attempt (loaded once by the service) and
returns the error a desk reads out, or ``None`` when it has nothing against it.
The service raises the first refusal; :func:`checkout_refusals` gives them all
(for a screen that shows every problem at once).

Holds add their checks: a copy on the hold shelf (captured) is lent only to the
reader it waits for (:func:`item_is_on_the_shelf`, from the holds loaded once for
the attempt); a copy only *chosen* for a hold but still on the open shelf may be
lent to a walk-in reader, and the hold is given another copy in the same
transaction. Before renewal, :func:`no_one_waits_for_the_title` asks the database
(one indexed query): a loan is not renewed while another reader waits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.errors import (
    ItemInTransit,
    ItemNotAvailable,
    ItemOnHoldShelf,
    ItemOnLoanToAnother,
    ItemOnLoanToThisPatron,
    ItemTypeNotLendable,
    LoanLimitReached,
    LoanNotRenewable,
    LoanOverdue,
    NoRuleApplies,
    NotLendableHere,
    PatronBlocked,
    PointDoesNotLend,
    ReaderWaitingForTitle,
    RenewalsUsedUp,
    RenewalTooEarly,
    TypeLimitReached,
)
from wenjin.circulation.lookups import DeskPatron, ItemTypeFacts, PointFacts
from wenjin.circulation.models import Loan
from wenjin.circulation.rules import (
    LoanCounts,
    PolicyRule,
    is_overdue,
    over_total_limit,
    over_type_limit,
)
from wenjin.circulation.states import LoanStatus
from wenjin.errors import WenjinError
from wenjin.holds.lookups import NO_HOLDS, HoldsAtCheckout, someone_waits
from wenjin.patrons.rules import BlockReason


@dataclass(frozen=True)
class CheckoutAttempt:
    """Everything the checkout checks look at, loaded once."""

    session: Session
    point: PointFacts
    patron: DeskPatron
    item: Item
    item_type: ItemTypeFacts
    title: str | None
    current_loan: Loan | None
    transit_destination: str | None  # name of where an in-transit item is heading
    rule: PolicyRule | None
    counts: LoanCounts
    blocks: list[BlockReason]
    today: date
    now: datetime
    holds: HoldsAtCheckout = NO_HOLDS  # the hold that chose this copy; the borrower's own


CheckoutCheck = Callable[[CheckoutAttempt], WenjinError | None]


def point_lends(attempt: CheckoutAttempt) -> WenjinError | None:
    point = attempt.point
    if point.lends and point.active:
        return None
    return PointDoesNotLend(point.name, point.code)


def patron_may_borrow(attempt: CheckoutAttempt) -> WenjinError | None:
    """Lost or replaced card, expired, deposit, overdue items, fines, manual blocks."""
    if not attempt.blocks:
        return None
    return blocked(attempt.patron, attempt.blocks)


def blocked(patron: DeskPatron, reasons: list[BlockReason]) -> PatronBlocked:
    return PatronBlocked(patron.name, [(r.code.value, r.message_zh, r.message_en) for r in reasons])


def item_is_on_the_shelf(attempt: CheckoutAttempt) -> WenjinError | None:
    item, title = attempt.item, attempt.title
    status = item.status
    if status is ItemStatus.AVAILABLE:
        return None
    if status is ItemStatus.ON_LOAN:
        loan = attempt.current_loan
        if loan is not None and loan.patron_id == attempt.patron.patron_id:
            return ItemOnLoanToThisPatron(item.barcode, title, loan.due_on)
        return ItemOnLoanToAnother(item.barcode, title)
    if status is ItemStatus.IN_TRANSIT:
        return ItemInTransit(item.barcode, title, attempt.transit_destination or "")
    if status is ItemStatus.ON_HOLD_SHELF:
        waiting_for = attempt.holds.targeting
        if waiting_for is not None and waiting_for.patron_id == attempt.patron.patron_id:
            return None  # the reader it was set aside for
        return ItemOnHoldShelf(item.barcode, title)
    todo = _WHAT_TO_DO.get(status, ("请交给馆员处理", "pass it to a librarian"))
    return ItemNotAvailable(item.barcode, title, status.label_zh, status.label_en, *todo)


_WHAT_TO_DO: dict[ItemStatus, tuple[str, str]] = {
    ItemStatus.LOST: (
        "此书登记为丢失，请先办理「找回」再借出",
        "it is recorded as lost: record it found first",
    ),
    ItemStatus.MISSING: (
        "此书登记为缺失，请先办理「找回」再借出",
        "it is recorded as missing: record it found first",
    ),
    ItemStatus.DAMAGED: (
        "此书登记为破损待修，修复后才能借出",
        "it is waiting for repair and can be lent once repaired",
    ),
    ItemStatus.WITHDRAWN: (
        "此书已剔除，请交给采编部门处理",
        "it has been withdrawn: pass it to technical services",
    ),
    ItemStatus.PROCESSING: (
        "此书尚在加工，加工完成上架后才能借出",
        "it is still being processed and can be lent once shelved",
    ),
}


def item_type_is_lendable(attempt: CheckoutAttempt) -> WenjinError | None:
    item_type = attempt.item_type
    if item_type.lendable:
        return None
    return ItemTypeNotLendable(
        attempt.item.barcode, attempt.title, item_type.name, item_type.name_en or item_type.code
    )


def a_rule_applies(attempt: CheckoutAttempt) -> WenjinError | None:
    if attempt.rule is not None:
        return None
    category = attempt.patron.category
    return NoRuleApplies(category.name, attempt.item_type.name, attempt.point.name)


def rule_lends_it(attempt: CheckoutAttempt) -> WenjinError | None:
    rule = attempt.rule
    if rule is None or rule.lendable:
        return None
    return NotLendableHere(attempt.item.barcode, attempt.title, rule.id, rule.note)


def within_total_limit(attempt: CheckoutAttempt) -> WenjinError | None:
    rule = attempt.rule
    if rule is None or not over_total_limit(rule, attempt.counts):
        return None
    return LoanLimitReached(attempt.patron.name, attempt.counts.total, rule.max_items)


def within_type_limit(attempt: CheckoutAttempt) -> WenjinError | None:
    rule = attempt.rule
    if rule is None or not over_type_limit(rule, attempt.counts):
        return None
    item_type = attempt.item_type
    return TypeLimitReached(
        attempt.patron.name,
        item_type.name,
        item_type.name_en or item_type.code,
        attempt.counts.of_type,
        rule.max_items_of_type or 0,
    )


CHECKOUT_CHECKS: list[CheckoutCheck] = [
    point_lends,
    patron_may_borrow,
    item_is_on_the_shelf,
    item_type_is_lendable,
    a_rule_applies,
    rule_lends_it,
    within_total_limit,
    within_type_limit,
]


def checkout_refusals(attempt: CheckoutAttempt) -> list[WenjinError]:
    """Every reason this checkout is refused, in the order of :data:`CHECKOUT_CHECKS`."""
    return [error for check in CHECKOUT_CHECKS if (error := check(attempt)) is not None]


_A = TypeVar("_A")


def first_refusal(
    checks: list[Callable[[_A], WenjinError | None]], attempt: _A
) -> WenjinError | None:
    """The first refusal, in list order: the one a desk deals with first."""
    for check in checks:
        error = check(attempt)
        if error is not None:
            return error
    return None


# --- renewal ----------------------------------------------------------------------


@dataclass(frozen=True)
class RenewalAttempt:
    """Everything the renewal checks look at, loaded once."""

    session: Session
    point: PointFacts
    loan: Loan
    item: Item
    title: str | None
    patron: DeskPatron
    blocks: list[BlockReason]
    new_due_on: date
    today: date
    now: datetime


RenewalCheck = Callable[[RenewalAttempt], WenjinError | None]


def renewal_point_lends(attempt: RenewalAttempt) -> WenjinError | None:
    point = attempt.point
    if point.lends and point.active:
        return None
    return PointDoesNotLend(point.name, point.code)


def loan_is_open(attempt: RenewalAttempt) -> WenjinError | None:
    status = attempt.loan.status
    if status is LoanStatus.OPEN:
        return None
    return LoanNotRenewable(attempt.item.barcode, status.label_zh, status.label_en)


def loan_is_not_overdue(attempt: RenewalAttempt) -> WenjinError | None:
    """An overdue item is returned and its fine settled; it is not renewed (超期不能续借)."""
    loan = attempt.loan
    if not is_overdue(loan.due_on, attempt.today):
        return None
    return LoanOverdue(attempt.item.barcode, attempt.title, loan.due_on)


def renewals_remain(attempt: RenewalAttempt) -> WenjinError | None:
    loan = attempt.loan
    if loan.renewals < loan.renewals_allowed:
        return None
    return RenewalsUsedUp(attempt.item.barcode, attempt.title, loan.renewals, loan.due_on)


def patron_may_renew(attempt: RenewalAttempt) -> WenjinError | None:
    if not attempt.blocks:
        return None
    return blocked(attempt.patron, attempt.blocks)


def renewal_extends_the_loan(attempt: RenewalAttempt) -> WenjinError | None:
    if attempt.new_due_on > attempt.loan.due_on:
        return None
    return RenewalTooEarly(attempt.item.barcode, attempt.title, attempt.loan.due_on)


def no_one_waits_for_the_title(attempt: RenewalAttempt) -> WenjinError | None:
    """预约: a loan is not renewed while another reader has a waiting hold this copy could fill."""
    item = attempt.item
    if not someone_waits(
        attempt.session,
        bib_id=item.bib_id,
        item_id=item.id,
        patron_id=attempt.loan.patron_id,
        today=attempt.today,
    ):
        return None
    return ReaderWaitingForTitle(item.barcode, attempt.title, attempt.loan.due_on)


RENEWAL_CHECKS: list[RenewalCheck] = [
    renewal_point_lends,
    loan_is_open,
    loan_is_not_overdue,
    renewals_remain,
    patron_may_renew,
    renewal_extends_the_loan,
    no_one_waits_for_the_title,
]


def renewal_refusals(attempt: RenewalAttempt) -> list[WenjinError]:
    """Every reason this renewal is refused, in the order of :data:`RENEWAL_CHECKS`."""
    return [error for check in RENEWAL_CHECKS if (error := check(attempt)) is not None]
