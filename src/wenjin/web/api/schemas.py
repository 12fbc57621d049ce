"""Request and response bodies of the REST API (pydantic), apart from the tables.

Integers are bounded to what the database columns hold and strings to their
column lengths, so that no request can reach the database with a value it
would reject.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wenjin.catalog.states import MarcFlavour
from wenjin.fees.states import PaymentMethod
from wenjin.holds.states import CancelReason
from wenjin.patrons.states import DepositMethod, ReplaceReason
from wenjin.rotation.states import CollectionKind

T = TypeVar("T")

MAX_INT = 2**31 - 1
Fen = Annotated[int, Field(ge=0, le=MAX_INT, description="金额（分）amount in fen")]
PositiveFen = Annotated[int, Field(ge=1, le=MAX_INT, description="金额（分）amount in fen")]
Code = Annotated[str, Field(min_length=1, max_length=32, description="服务点代码 point code")]
Card = Annotated[str, Field(min_length=1, max_length=32, description="读者证号 card number")]
Barcode = Annotated[str, Field(min_length=1, max_length=32, description="册条码 item barcode")]
Text100 = Annotated[str, Field(min_length=1, max_length=100)]
Text500 = Annotated[str, Field(min_length=1, max_length=500)]
SmallInt = Annotated[int, Field(ge=0, le=100_000)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``?page=1&per_page=50`` (at most 200)."""

    items: list[T]
    page: int
    per_page: int
    total: int


# --- patrons ---


class PatronCreate(Body):
    card: Card
    name: Text100
    category: Annotated[str, Field(min_length=1, max_length=16, description="类别 e.g. ADULT")]
    home: Code
    id_number: Annotated[str | None, Field(max_length=40, description="身份证号 (kept hashed)")] = (
        None
    )
    phone: Annotated[str | None, Field(max_length=40)] = None
    pin: Annotated[str | None, Field(max_length=20, description="6-digit PIN")] = None
    expires_on: date | None = None
    notes: Annotated[str | None, Field(max_length=1000)] = None
    deposit_method: DepositMethod | None = Field(None, description="take the deposit now")
    waive_deposit_reason: Annotated[str | None, Field(max_length=200)] = None


class PatronUpdate(Body):
    name: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    phone: Annotated[str | None, Field(max_length=40)] = None
    category: Annotated[str | None, Field(min_length=1, max_length=16)] = None
    expires_on: date | None = None
    home: Annotated[str | None, Field(min_length=1, max_length=32)] = None
    keep_history: bool | None = None


class PatronRow(BaseModel):
    patron_id: int
    name: str
    card: str | None
    id_masked: str | None
    phone_masked: str | None
    category: str
    home: str
    status: str
    expires_on: date


class BlockRequest(Body):
    reason: Text500


class UnblockRequest(Body):
    reason: Annotated[str | None, Field(max_length=500)] = None


class ReplaceCardRequest(Body):
    new_card: Card
    reason: ReplaceReason = ReplaceReason.LOST


class RenewCardRequest(Body):
    years: Annotated[int | None, Field(ge=1, le=10)] = None


class PinRequest(Body):
    pin: Annotated[str, Field(min_length=1, max_length=20)]


class DepositRequest(Body):
    method: DepositMethod = DepositMethod.CASH
    amount_fen: Fen | None = None


class CreditRequest(Body):
    source: Text100
    verified_on: date
    expires_on: date


# --- circulation ---


class CheckoutRequest(Body):
    point: Code
    patron: Card
    item: Barcode


class ItemAtPoint(Body):
    point: Code
    item: Barcode


class PatronAtPoint(Body):
    point: Code
    patron: Card


class DamagedRequest(ItemAtPoint):
    note: Text500


class PointRequest(Body):
    point: Code


# --- holds ---


class HoldPlace(Body):
    """A title-level hold (``record``: any copy) or an item-level one (``item``: this copy)."""

    patron: Card
    pickup: Code
    record: Annotated[
        str | None, Field(min_length=1, max_length=64, description="书目 record id or 001")
    ] = None
    item: Annotated[str | None, Field(min_length=1, max_length=32, description="册条码")] = None

    @model_validator(mode="after")
    def _one_target(self) -> HoldPlace:
        if (self.record is None) == (self.item is None):
            raise ValueError("give record or item, one of them: 书目或册条码二选一")
        return self


class HoldCancel(Body):
    reason: CancelReason = CancelReason.READER
    note: Annotated[str | None, Field(max_length=500)] = None


class HoldSuspend(Body):
    until: date


class HoldChange(Body):
    pickup: Code


class ExpireRequest(Body):
    as_of: Annotated[date | None, Field(description="as of this day (default today)")] = None


# --- transfers ---


class LostInTransit(StrEnum):
    """What an item lost in transit is marked: 缺失 (may turn up) or 丢失."""

    MISSING = "missing"
    LOST = "lost"


class TransferSend(Body):
    at: Code
    item: Barcode
    to: Code
    note: Annotated[str | None, Field(max_length=500)] = None


class TransitCancel(Body):
    reason: Annotated[str | None, Field(max_length=500)] = None
    at: Annotated[
        str | None,
        Field(min_length=1, max_length=32, description="where the item is now, once sent"),
    ] = None


class TransitLost(Body):
    status: LostInTransit = LostInTransit.MISSING
    note: Annotated[str | None, Field(max_length=500)] = None


class DispatchRequest(Body):
    route: Annotated[
        str | None, Field(min_length=1, max_length=32, description="only the leg to this stop")
    ] = None


# --- rotation ---

Barcodes = Annotated[list[Barcode], Field(min_length=1, max_length=1000)]


class CollectionCreate(Body):
    code: Code
    name: Text100
    home: Code
    kind: CollectionKind = CollectionKind.ROTATING
    plan: Annotated[str | None, Field(min_length=1, max_length=32)] = None
    note: Annotated[str | None, Field(max_length=500)] = None


class CollectionItems(Body):
    items: Barcodes


class CollectionSend(Body):
    to: Annotated[
        str | None, Field(min_length=1, max_length=32, description="default: the plan's next")
    ] = None


class CollectionReceive(Body):
    at: Code
    items: Annotated[list[Barcode] | None, Field(min_length=1, max_length=1000)] = None


class CollectionRecall(Body):
    next: Annotated[bool, Field(description="on to the plan's next station")] = False
    to: Annotated[str | None, Field(min_length=1, max_length=32)] = None


class PlanCreate(Body):
    code: Code
    name: Text100
    stations: Annotated[list[Code], Field(min_length=1, max_length=200)]
    stay_days: Annotated[int, Field(ge=1, le=3650)] = 90
    note: Annotated[str | None, Field(max_length=500)] = None


# --- fees ---


class PayRequest(Body):
    patron: Card
    amount_fen: PositiveFen
    method: PaymentMethod
    point: Code


class WaiveRequest(Body):
    reason: Text500
    amount_fen: PositiveFen | None = None
    point: Code | None = None


class CancelRequest(Body):
    reason: Text500
    point: Code
    method: PaymentMethod | None = None


class AmnestyCreate(Body):
    name: Text100
    starts_on: date
    ends_on: date
    points: Annotated[list[Code], Field(max_length=500)] = []


# --- policy ---


class RuleSet(Body):
    """The keys of a rule (unset: any) and the terms to set; terms not given keep their value."""

    point: Code | None = None
    kind: Annotated[str | None, Field(max_length=20)] = None
    category: Annotated[str | None, Field(max_length=16)] = None
    item_type: Annotated[str | None, Field(max_length=16)] = None
    loan_days: SmallInt | None = None
    max_items: SmallInt | None = None
    max_items_of_type: SmallInt | None = None
    renewals: SmallInt | None = None
    renewal_days: SmallInt | None = None
    fine_per_day_fen: Fen | None = None
    max_fine_fen: Fen | None = None
    fine_capped_at_price: bool | None = None
    max_overdue_items: SmallInt | None = None
    max_unpaid_fen: Fen | None = None
    holds_allowed: bool | None = None
    hold_limit: SmallInt | None = None
    lendable: bool | None = None
    weight: Annotated[int | None, Field(ge=-1000, le=1000)] = None
    active: bool | None = None
    note: Annotated[str | None, Field(max_length=500)] = None

    def terms(self) -> dict[str, Any]:
        keys = {"point", "kind", "category", "item_type", "note"}
        return {
            name: value
            for name, value in self.model_dump(exclude_none=True).items()
            if name not in keys
        }


# --- accounts ---


class Me(BaseModel):
    username: str
    display_name: str
    role: str
    role_zh: str
    scope: str | None
    permissions: list[str]


class TokenRow(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: Any
    last_used_at: Any
    expires_at: Any
    revoked_at: Any


# --- catalogue: records (the MARC editor's text) and copies ---

MARC_TEXT_MAX = 200_000
MarcText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MARC_TEXT_MAX,
        description="记录文本：每行一个字段 one field a line, e.g. `200 1#$a红楼梦$f曹雪芹著`",
    ),
]
# No control characters (PostgreSQL refuses NUL; none belongs in a call number).
ItemText = Annotated[str, Field(max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$")]
NoteText = Annotated[str, Field(max_length=2000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")]
ItemTypeCode = Annotated[
    str, Field(min_length=1, max_length=16, description="文献类型 item type, e.g. BOOK")
]


class RecordUpdate(Body):
    marc: MarcText
    marc_hash: Annotated[
        str,
        Field(
            pattern="^[0-9a-f]{40}$",
            description="打开时的版本 the marc_hash GET gave: a save over a newer save is refused",
        ),
    ]


class RecordCreate(Body):
    marc: MarcText
    flavour: MarcFlavour = MarcFlavour.CNMARC
    source: Annotated[
        str | None,
        Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$", description="来源"),
    ] = None


class ItemCreate(Body):
    record_id: Annotated[int, Field(ge=1, le=MAX_INT, description="书目内部编号 record id")]
    point: Code
    barcode: Annotated[
        str | None, Field(min_length=1, max_length=32, description="留空则自动编号 none: next")
    ] = None
    item_type: ItemTypeCode = "BOOK"
    call_number: ItemText | None = None
    location: ItemText | None = None
    price_fen: Fen | None = None
    volume: ItemText | None = None
    note: NoteText | None = None
    floating: bool = False


class ItemUpdate(Body):
    """What to change; a field left out is kept, ``null`` or ``""`` clears a text or price."""

    point: Code | None = Field(None, description="所属馆 home point (not while on loan/in transit)")
    item_type: ItemTypeCode | None = None
    call_number: ItemText | None = None
    location: ItemText | None = None
    price_fen: Fen | None = None
    volume: ItemText | None = None
    note: NoteText | None = None
    floating: bool | None = None
    version: Annotated[
        int | None,
        Field(ge=1, le=MAX_INT, description="GET 给出的版本 the version read: refused if changed"),
    ] = None


class ItemWithdraw(Body):
    reason: Annotated[str | None, Field(max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$")] = None


# --- desk2: the rest of the desk, staff accounts ---


class ManualChargeKind(StrEnum):
    """The fees charged by hand; circulation charges overdue fines and lost items."""

    DAMAGED = "damaged"
    CARD_REPLACEMENT = "card_replacement"
    OTHER = "other"


class ChargeRequest(Body):
    patron: Card
    kind: ManualChargeKind
    amount_fen: PositiveFen
    point: Code
    item: Barcode | None = None
    note: Annotated[str | None, Field(max_length=200)] = None


class RefundRequest(Body):
    method: DepositMethod | None = None


class WaiveDepositRequest(Body):
    reason: Annotated[str, Field(min_length=1, max_length=200)]


class ReopenRequest(Body):
    new_card: Card


Username = Annotated[str, Field(min_length=1, max_length=40, description="用户名 username")]
Password = Annotated[str, Field(min_length=1, max_length=200, description="密码 password")]


class AccountCreate(Body):
    username: Username
    display_name: Text100
    role: Annotated[str, Field(min_length=1, max_length=32, description="admin, desk, …")]
    scope: Code | None = None
    password: Password


class AccountChange(Body):
    role: Annotated[str, Field(min_length=1, max_length=32)]
    scope: Code | None = None


class PasswordReset(Body):
    password: Password


class OwnPasswordChange(Body):
    current: Password
    password: Password


class TokenCreate(Body):
    name: Text100
    days: Annotated[int | None, Field(ge=1, le=3650)] = None


class AccountRow(BaseModel):
    username: str
    display_name: str
    role: str
    role_zh: str
    scope: str | None
    active: bool
    created_at: Any
    last_login_at: Any
    locked_until: Any


class IssuedTokenRow(TokenRow):
    token: str


# --- network administration: points, calendars, courier routes ---

HoursText = Annotated[
    str | None,
    Field(max_length=100, description="时段 e.g. 09:00-12:00, 14:00-17:30; empty or null: closed"),
]


class PointCreate(Body):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Annotated[str, Field(min_length=1, max_length=20, description="branch, village …")]
    parent: Code | None = None
    name_en: Annotated[str | None, Field(max_length=200)] = None
    address: Annotated[str | None, Field(max_length=300)] = None
    phone: Annotated[str | None, Field(max_length=40)] = None
    lends: Annotated[bool | None, Field(description="default: by kind")] = None
    pickup: bool = False


class PointUpdate(Body):
    """The fields to change; those left out stay as they are."""

    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    name_en: Annotated[str | None, Field(max_length=200)] = None
    kind: Annotated[str | None, Field(min_length=1, max_length=20)] = None
    address: Annotated[str | None, Field(max_length=300)] = None
    phone: Annotated[str | None, Field(max_length=40)] = None
    lends: bool | None = None
    pickup: bool | None = None
    inherit_closed_days: bool | None = None
    sort_order: Annotated[int | None, Field(ge=-100_000, le=100_000)] = None
    active: bool | None = None


class PointMove(Body):
    parent: Annotated[Code | None, Field(description="the new parent; null: a root")] = None


class HoursSet(Body):
    """The weekly hours, one entry per weekday; ``inherit`` keeps the parent's instead."""

    inherit: bool = False
    mon: HoursText = None
    tue: HoursText = None
    wed: HoursText = None
    thu: HoursText = None
    fri: HoursText = None
    sat: HoursText = None
    sun: HoursText = None


class ClosedDaysAdd(Body):
    start: date
    end: Annotated[date | None, Field(description="inclusive; null: one day")] = None
    reason: Annotated[str | None, Field(max_length=200)] = None


class HolidaysImport(Body):
    year: Annotated[int, Field(ge=1900, le=2999)]


class RouteSet(Body):
    from_point: Annotated[Code, Field(alias="from")]
    to_point: Annotated[Code, Field(alias="to")]
    days: Annotated[int, Field(ge=0, le=365, description="travel days")]
    both_ways: bool = True
    weekdays: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=10)]] | None,
        Field(max_length=7, description="days the courier leaves (mon…sun); null: every day"),
    ] = None
    note: Annotated[str | None, Field(max_length=500)] = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
