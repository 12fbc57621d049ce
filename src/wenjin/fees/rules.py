"""Fee policy in plain Python: fines, payment allocation, lost-item charges and refunds,
receipt numbers, amnesty days (特别还书日).

Nothing here reads the database or the clock. Money is integer fen (分) throughout.

The rules a reader is told at the desk:

* An overdue fine accrues per day the lending point was open after the due date,
  at the loan's rate, and never passes the loan's maximum.
* A payment pays the oldest open fees first; a partial payment leaves the rest
  of a fee open. Paying more than is owed is refused: the library keeps no
  credit balance, so there is never money of a reader's to give back later.
* A waiver (减免) needs a reason, may be partial, and never exceeds what is left.
* A lost item is charged its replacement price (the item's price, else the
  record's, else :data:`DEFAULT_REPLACEMENT_PRICE_FEN`) plus a processing fee
  (加工费, :data:`PROCESSING_FEE_FEN`) for cataloguing and labelling a new copy.
* A lost item that turns up again: what is unpaid is cancelled; what was paid
  toward the price is refunded; what was paid toward the processing fee is kept,
  because by then the library has reported the loss and ordered the replacement.
* On an amnesty day (特别还书日) the fine for a return at a chosen point (or
  anywhere, when the window names no point) is waived; it is still recorded, as
  waived, so the report can say how much the amnesty gave back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from wenjin.fees.errors import (
    AmnestyDatesReversed,
    InvalidAmnestyWindow,
    InvalidAmount,
    NothingOwed,
    Overpayment,
    UnknownPaymentMethod,
    WaiverReasonMissing,
    WaiverTooLarge,
    yuan,
)
from wenjin.fees.states import FeeKind, FeeStatus, PaymentMethod

# A lost item with no price recorded (old stock, gifts) is charged a round ¥50,
# about the list price of a new Chinese trade book; a library that wants another
# figure passes ``default_price_fen``.
DEFAULT_REPLACEMENT_PRICE_FEN = 5000

# 加工费: what it takes to put a replacement on the shelf (cataloguing, barcode,
# RFID tag, spine label, stamp, jacket): a flat ¥5 a volume.
PROCESSING_FEE_FEN = 500

RECEIPT_PREFIX = "JF"  # 缴费 payment receipt
REFUND_PREFIX = "TK"  # 退款 refund slip

MAX_AMOUNT_FEN = 100_000_00  # ¥100,000: anything larger at a desk is a typing slip


# --- overdue fines ---


def overdue_fine_fen(open_days_late: int, *, per_day_fen: int, max_fen: int) -> int:
    """The fine for an item returned ``open_days_late`` open days after its due date.

    It grows by ``per_day_fen`` for every day the lending point was open and stops
    at ``max_fen``. An item returned on time (zero or fewer days late) owes nothing.
    """
    if per_day_fen < 0 or max_fen < 0:
        raise ValueError(f"fine terms must not be negative: {per_day_fen=} {max_fen=}")
    if open_days_late <= 0:
        return 0
    return min(open_days_late * per_day_fen, max_fen)


# --- fee arithmetic ---


def balance_fen(amount_fen: int, paid_fen: int, waived_fen: int, cancelled_fen: int) -> int:
    """What is left to pay on a fee."""
    return amount_fen - paid_fen - waived_fen - cancelled_fen


def settled_status(paid_fen: int) -> FeeStatus:
    """The status of a fee whose balance has just reached zero by payments and waivers:
    ``PAID`` when any money went into it, ``WAIVED`` when waivers covered all of it."""
    return FeeStatus.PAID if paid_fen > 0 else FeeStatus.WAIVED


# --- payments ---


@dataclass(frozen=True)
class OpenFee:
    """A fee with something left to pay, as allocation sees it."""

    fee_id: int
    charged_at: datetime
    balance_fen: int


@dataclass(frozen=True)
class Allocation:
    fee_id: int
    amount_fen: int


def allocate_payment(
    amount_fen: int, open_fees: Iterable[OpenFee], *, patron_name: str = "该读者"
) -> list[Allocation]:
    """Spread a payment over open fees, oldest charge first (ties by fee number).

    The last fee reached may be paid in part. Refuses a payment larger than
    everything owed (:class:`Overpayment`), and a payment when nothing is owed.
    """
    check_amount(amount_fen)
    fees = sorted(
        (f for f in open_fees if f.balance_fen > 0), key=lambda f: (f.charged_at, f.fee_id)
    )
    owed = sum(f.balance_fen for f in fees)
    if owed == 0:
        raise NothingOwed(patron_name)
    if amount_fen > owed:
        raise Overpayment(patron_name, amount_fen, owed)
    allocations: list[Allocation] = []
    left = amount_fen
    for fee in fees:
        if left == 0:
            break
        share = min(left, fee.balance_fen)
        allocations.append(Allocation(fee.fee_id, share))
        left -= share
    return allocations


def check_amount(amount_fen: int) -> int:
    if amount_fen <= 0:
        raise InvalidAmount(yuan(amount_fen), "必须大于零", "it must be more than zero")
    if amount_fen > MAX_AMOUNT_FEN:
        raise InvalidAmount(
            yuan(amount_fen),
            f"超过单笔上限 {yuan(MAX_AMOUNT_FEN)}，请检查是否多输了位数",
            f"it is over the {yuan(MAX_AMOUNT_FEN)} limit for one entry; check for an extra digit",
        )
    return amount_fen


_AMOUNT = re.compile(r"\d+(?:\.\d{1,2})?|\.\d{1,2}")


def parse_amount_fen(text: str) -> int:
    """``"12.50"``, ``"12.5元"``, ``"¥12"`` → fen, exactly (never through a float).

    Refuses a negative or zero amount, more than two decimals and anything that is
    not a number of yuan.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    cleaned = cleaned.removeprefix("¥").removesuffix("元").strip()
    if cleaned.startswith("-"):
        raise InvalidAmount(text, "不能为负数", "it is negative")
    if not _AMOUNT.fullmatch(cleaned):
        if re.fullmatch(r"\d*\.\d{3,}", cleaned):
            raise InvalidAmount(text, "最多两位小数（精确到分）", "use at most two decimals (fen)")
        raise InvalidAmount(text, "请写成元，如 12.50", "write it in yuan, e.g. 12.50")
    try:
        fen = int(Decimal(cleaned) * 100)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already vouched for it
        raise InvalidAmount(text, "请写成元，如 12.50", "write it in yuan, e.g. 12.50") from exc
    return check_amount(fen)


def payment_method(value: PaymentMethod | str) -> PaymentMethod:
    """A payment method from its code (``cash``) or its Chinese name (``微信支付``, ``微信``)."""
    if isinstance(value, PaymentMethod):
        return value
    wanted = unicodedata.normalize("NFKC", value).strip()
    for method in PaymentMethod:
        if wanted.lower() == method.value or wanted in (method.label_zh, method.label_zh[:2]):
            return method
    raise UnknownPaymentMethod(value, [m.value for m in PaymentMethod])


def receipt_number(prefix: str, day: date, sequence: int) -> str:
    """The printed number of a receipt: ``JF-20261124-000123``, counted per day network-wide."""
    if sequence <= 0:
        raise ValueError(f"receipt sequence numbers start at 1, not {sequence}")
    return f"{prefix}-{day:%Y%m%d}-{sequence:06d}"


# --- waivers ---


def tidy_text(text: str | None) -> str:
    """A reason or a name with its runs of blanks (full-width ones too) made one space.

    Not NFKC-folded: the Chinese punctuation a librarian typed (，（）) stays as typed.
    """
    return " ".join((text or "").split())


def check_waiver(fee_id: int, reason: str | None, amount_fen: int, balance: int) -> str:
    """The cleaned reason of a waiver that may be granted; refuses one without a reason,
    of nothing, or of more than is left on the fee."""
    cleaned = tidy_text(reason)
    if not cleaned:
        raise WaiverReasonMissing()
    check_amount(amount_fen)
    if amount_fen > balance:
        raise WaiverTooLarge(fee_id, amount_fen, balance)
    return cleaned


# --- lost items ---


@dataclass(frozen=True)
class LostItemCharge:
    price_fen: int
    price_source: str  # "item", "record" or "default"
    processing_fen: int

    @property
    def total_fen(self) -> int:
        return self.price_fen + self.processing_fen

    @property
    def price_note_zh(self) -> str:
        return {"item": "按单册价格", "record": "按书目定价", "default": "未登记价格，按默认书价"}[
            self.price_source
        ]


def lost_item_charge(
    item_price_fen: int | None,
    record_price_fen: int | None,
    *,
    default_price_fen: int = DEFAULT_REPLACEMENT_PRICE_FEN,
    processing_fen: int = PROCESSING_FEE_FEN,
) -> LostItemCharge:
    """What a lost item costs the reader: its replacement price plus the processing fee.

    A price of zero is treated as unknown (a gift copy still has to be replaced).
    """
    if item_price_fen and item_price_fen > 0:
        return LostItemCharge(item_price_fen, "item", processing_fen)
    if record_price_fen and record_price_fen > 0:
        return LostItemCharge(record_price_fen, "record", processing_fen)
    return LostItemCharge(default_price_fen, "default", processing_fen)


@dataclass(frozen=True)
class FoundItemOutcome:
    """What happens to one fee of a loss when the item is found again."""

    new_status: FeeStatus
    cancel_fen: int  # the unpaid rest, no longer owed
    refund_fen: int  # money given back to the reader


def found_item_outcome(
    kind: FeeKind, status: FeeStatus, *, paid_fen: int, balance: int
) -> FoundItemOutcome | None:
    """The refund rule for a found item, for one of its loss charges (``None``: unchanged).

    Unpaid charges are cancelled. Money paid toward the replacement price
    (``LOST_ITEM``) is refunded. Money paid toward the processing fee is kept,
    and only its unpaid rest is cancelled. Fees already waived, cancelled or
    refunded stay as they are.
    """
    if kind not in (FeeKind.LOST_ITEM, FeeKind.PROCESSING):
        raise ValueError(f"{kind} is not a charge for a lost item")
    if status not in (FeeStatus.OPEN, FeeStatus.PAID):
        return None
    if kind is FeeKind.LOST_ITEM and paid_fen > 0:
        return FoundItemOutcome(FeeStatus.REFUNDED, cancel_fen=balance, refund_fen=paid_fen)
    if balance == 0:
        return None  # a processing fee already paid in full: kept
    if paid_fen > 0:
        return FoundItemOutcome(FeeStatus.PAID, cancel_fen=balance, refund_fen=0)
    return FoundItemOutcome(FeeStatus.CANCELLED, cancel_fen=balance, refund_fen=0)


def refund_method(paid_with: Sequence[PaymentMethod]) -> PaymentMethod:
    """Money goes back the way it came: by the method of the latest payment toward the fee
    (``paid_with`` oldest first); cash when the fee was never paid through the desk."""
    return paid_with[-1] if paid_with else PaymentMethod.CASH


# --- amnesty (特别还书日) ---


@dataclass(frozen=True)
class AmnestyTerms:
    """An amnesty window as the matching rule sees it.

    ``covered_point_ids`` holds the points it names and every point under them
    (a branch covers its reading rooms); ``None`` means the whole network.
    """

    window_id: int
    name: str
    starts_on: date
    ends_on: date
    active: bool = True
    covered_point_ids: frozenset[int] | None = None

    def covers(self, *, returned_on: date, point_id: int) -> bool:
        if not self.active or not (self.starts_on <= returned_on <= self.ends_on):
            return False
        return self.covered_point_ids is None or point_id in self.covered_point_ids


def matching_amnesty(
    windows: Iterable[AmnestyTerms], *, returned_on: date, point_id: int
) -> AmnestyTerms | None:
    """The window that waives a fine for a return on ``returned_on`` at ``point_id``: the
    earliest-starting one when several overlap (ties by number), else ``None``."""
    matching = [w for w in windows if w.covers(returned_on=returned_on, point_id=point_id)]
    return min(matching, key=lambda w: (w.starts_on, w.window_id), default=None)


def check_amnesty_window(name: str, starts_on: date, ends_on: date) -> str:
    """The cleaned name of a window that may be created."""
    cleaned = tidy_text(name)
    if not cleaned:
        raise InvalidAmnestyWindow(
            "请填写名称，如「4·23世界读书日特别还书日」",
            "give it a name, e.g. 'World Book Day amnesty'",
        )
    if len(cleaned) > 100:
        raise InvalidAmnestyWindow("名称超过100个字", "the name is longer than 100 characters")
    if ends_on < starts_on:
        raise AmnestyDatesReversed(starts_on, ends_on)
    return cleaned


# Charged by hand at the desk (``wenjin fees charge``, the staff client, the API); overdue
# fines and lost items are charged by circulation.
MANUAL_CHARGE_KINDS: tuple[FeeKind, ...] = (
    FeeKind.DAMAGED,
    FeeKind.CARD_REPLACEMENT,
    FeeKind.OTHER,
)
