"""Use cases of the patrons domain. Keyword-only arguments, a session in, never a commit.

The caller's unit of work commits, so that registering a reader and taking the
deposit, or replacing a card and logging it, happen together or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from wenjin.accounts.rules import after_failed_login, is_locked
from wenjin.db.types import utcnow
from wenjin.network.errors import PointNotFound
from wenjin.network.models import ServicePoint
from wenjin.patrons.errors import (
    AccountClosed,
    AccountHasObligations,
    AccountNotClosed,
    BlockReasonMissing,
    CardNotFound,
    CardNumberTaken,
    CreditNotApplicable,
    DepositAlreadyHeld,
    DepositNotRequired,
    DepositStillRequired,
    DuplicateIdNumber,
    InstitutionHasNoIdNumber,
    InvalidCardNumber,
    InvalidCreditRating,
    InvalidDepositAmount,
    InvalidPatronField,
    NoActiveCard,
    NoDepositHeld,
    NotBlocked,
    PatronError,
    ReaderPinLocked,
    ReaderSignInRefused,
    UnknownCategory,
    WrongPin,
)
from wenjin.patrons.identity import (
    ResidentId,
    hash_pin,
    pin_matches,
    pin_needs_rehash,
    validate_id_number,
)
from wenjin.patrons.models import Deposit, Patron, PatronBlock, PatronCard, PatronCategory
from wenjin.patrons.queries import (
    barcode_is_item,
    card_number_in_use,
    find_category,
    get_patron_by_card,
    list_categories,
    network_date,
    network_today,
    normalise_card_number,
)
from wenjin.patrons.rules import (
    CreditStatus,
    check_category_age,
    credit_status,
    default_expiry,
    deposit_outstanding_fen,
    deposit_required,
    renewed_expiry,
)
from wenjin.patrons.states import (
    CardStatus,
    DepositMethod,
    PatronStatus,
    ReplaceReason,
    check_card_transition,
    check_patron_transition,
)


@dataclass(frozen=True)
class CategoryDefaults:
    code: str
    name: str
    name_en: str
    deposit_fen: int
    expiry_years: int
    institutional: bool = False
    preferential: bool = False
    credit_based: bool = False
    staff: bool = False
    min_age: int | None = None
    max_age: int | None = None


# The categories of the 2020 Zhucheng report. SENIOR pays no deposit: the Law on
# the Protection of the Rights and Interests of the Elderly (老年人权益保障法)
# asks public cultural facilities to give readers of 60 and over preferential
# access, and the libraries of Shandong waive the deposit for a 老年证 holder;
# loans stay ordinary (SENIOR is not 优待 in the circulation sense).
DEFAULT_CATEGORIES: tuple[CategoryDefaults, ...] = (
    CategoryDefaults("ADULT", "成人读者", "Adult", 10000, 5),
    CategoryDefaults("CHILD", "少儿读者", "Child", 5000, 3, max_age=14),
    CategoryDefaults("STUDENT", "学生读者", "Student", 5000, 3),
    CategoryDefaults("SENIOR", "老年读者", "Senior", 0, 5, min_age=60),
    CategoryDefaults("MEDICAL", "医护人员", "Medical staff", 0, 3, preferential=True),
    CategoryDefaults("FIREFIGHTER", "消防救援人员", "Firefighter", 0, 3, preferential=True),
    CategoryDefaults("CREDIT", "信易阅读者", "Credit-based reader", 10000, 5, credit_based=True),
    CategoryDefaults("STAFF", "馆员", "Library staff", 0, 5, staff=True),
    CategoryDefaults("INSTITUTION", "集体读者", "Institutional borrower", 0, 1, institutional=True),
)


def ensure_default_categories(session: Session) -> list[PatronCategory]:
    """Create the standard categories that are missing; never overwrite a librarian's edits."""
    existing = {c.code for c in session.scalars(select(PatronCategory))}
    for sort, defaults in enumerate(DEFAULT_CATEGORIES, start=1):
        if defaults.code in existing:
            continue
        session.add(
            PatronCategory(
                code=defaults.code,
                name=defaults.name,
                name_en=defaults.name_en,
                deposit_fen=defaults.deposit_fen,
                expiry_years=defaults.expiry_years,
                institutional=defaults.institutional,
                preferential=defaults.preferential,
                credit_based=defaults.credit_based,
                staff=defaults.staff,
                min_age=defaults.min_age,
                max_age=defaults.max_age,
                sort_order=sort * 10,
                active=True,
            )
        )
    session.flush()
    return list_categories(session)


def resolve_category(session: Session, category: str | PatronCategory) -> PatronCategory:
    if isinstance(category, PatronCategory):
        return category
    found = find_category(session, category)
    if found is None or not found.active:
        known = [c.code for c in list_categories(session)]
        raise UnknownCategory(category, known)
    return found


def resolve_point(session: Session, point: str | ServicePoint) -> ServicePoint:
    if isinstance(point, ServicePoint):
        found = point
    else:
        code = unicodedata.normalize("NFKC", point).strip()
        looked_up = session.scalars(
            select(ServicePoint).where(ServicePoint.code == code)
        ).one_or_none()
        if looked_up is None:
            raise PointNotFound(code)
        found = looked_up
    if not found.active:
        raise InvalidPatronField(
            "所属馆",
            "home point",
            found.code,
            f"{found.name} 已停用，请选择读者常去的在用服务点",
            f"{found.code} is no longer active; choose a point the reader uses",
        )
    return found


_CARD_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9-]{2,30}[A-Z0-9]")


def check_new_card_number(session: Session, raw: str) -> str:
    """Normalise a card number and make sure it is free across the network, items included."""
    number = normalise_card_number(raw)
    if not _CARD_NUMBER.fullmatch(number):
        raise InvalidCardNumber(
            raw,
            "应为4-32位字母、数字或连字符（读者证背面条码下的号码）",
            "use 4 to 32 letters, digits or hyphens (the number under the card's barcode)",
        )
    if card_number_in_use(session, number):
        raise CardNumberTaken(number, by_item=False)
    if barcode_is_item(session, number, raw.strip()):
        raise CardNumberTaken(number, by_item=True)
    return number


def clean_name(raw: str) -> str:
    name = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not name:
        raise InvalidPatronField("姓名", "name", raw, "不能为空", "it is empty")
    if len(name) > 100:
        raise InvalidPatronField(
            "姓名", "name", name[:20] + "…", "超过100个字", "it is longer than 100 characters"
        )
    return name


_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def clean_phone(raw: str | None) -> str | None:
    """An 11-digit mobile number, or a landline with its area code (0536-6012345)."""
    if raw is None:
        return None
    phone = re.sub(r"[\s()（）]", "", unicodedata.normalize("NFKC", raw))
    if not phone:
        return None
    if mobile := _MOBILE.fullmatch(phone.replace("-", "")):
        return mobile.group(1)
    if _LANDLINE.fullmatch(phone):
        return phone
    raise InvalidPatronField(
        "手机号",
        "phone",
        raw,
        "应为11位手机号（如13812345678）或带区号的座机（如0536-6012345）",
        "use an 11-digit mobile number (13812345678) or a landline with area code (0536-6012345)",
    )


def check_resident_id(
    session: Session, id_number: str, *, today: date, exclude_patron_id: int | None = None
) -> ResidentId:
    """Validate an ID number and refuse it if another patron already registered it."""
    resident = validate_id_number(id_number, today=today)
    stmt = select(Patron).where(Patron.id_hash == resident.id_hash)
    if exclude_patron_id is not None:
        stmt = stmt.where(Patron.id != exclude_patron_id)
    existing = session.scalars(stmt).one_or_none()
    if existing is not None:
        card = existing.active_card or (existing.cards[-1] if existing.cards else None)
        raise DuplicateIdNumber(
            resident.masked,
            card.number if card else None,
            existing.name,
            closed=existing.status is PatronStatus.CLOSED,
        )
    return resident


def _check_expiry(expires_on: date, today: date) -> date:
    if expires_on < today:
        raise InvalidPatronField(
            "有效期",
            "expiry date",
            expires_on.isoformat(),
            "早于今天，请填写今后的日期",
            "it is in the past; give a future date",
        )
    return expires_on


def register_patron(
    session: Session,
    *,
    card_number: str,
    name: str,
    category: str | PatronCategory,
    home_point: str | ServicePoint,
    id_number: str | None = None,
    phone: str | None = None,
    pin: str | None = None,
    expires_on: date | None = None,
    notes: str | None = None,
    today: date | None = None,
) -> Patron:
    """办证: open an account and issue its first card.

    Refuses an ID number already registered (naming that reader's card), a card
    number used anywhere in the network (cards and item barcodes), and a
    category the reader's age does not fit.
    """
    today = today or network_today()
    the_category = resolve_category(session, category)
    point = resolve_point(session, home_point)
    number = check_new_card_number(session, card_number)
    clean = clean_name(name)
    resident: ResidentId | None = None
    if id_number is not None and id_number.strip():
        if the_category.institutional:
            raise InstitutionHasNoIdNumber(the_category.name)
        resident = check_resident_id(session, id_number, today=today)
        check_category_age(the_category, resident.birth_date, today)
    patron = Patron(
        name=clean,
        id_hash=resident.id_hash if resident else None,
        id_masked=resident.masked if resident else None,
        birth_date=resident.birth_date if resident else None,
        gender=resident.gender if resident else None,
        phone=clean_phone(phone),
        home_point=point,
        category=the_category,
        expires_on=_check_expiry(expires_on, today)
        if expires_on
        else default_expiry(the_category, today),
        pin_hash=hash_pin(pin) if pin else None,
        status=PatronStatus.ACTIVE,
        keep_history=True,
        notes=notes.strip() if notes and notes.strip() else None,
    )
    patron.cards.append(PatronCard(number=number, status=CardStatus.ACTIVE, issued_at=utcnow()))
    session.add(patron)
    session.flush()
    return patron


def update_patron(
    session: Session,
    *,
    patron: Patron,
    name: str | None = None,
    category: str | PatronCategory | None = None,
    home_point: str | ServicePoint | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    pin: str | None = None,
    expires_on: date | None = None,
    today: date | None = None,
) -> bool:
    """Change what is given and leave the rest; returns whether anything changed.

    An ID number can be added to an account that has none; a different number
    from the registered one is refused (an account never changes hands).
    """
    today = today or network_today()
    _require_open(patron)
    changed = False
    if name is not None and (clean := clean_name(name)) != patron.name:
        patron.name = clean
        changed = True
    if category is not None:
        the_category = resolve_category(session, category)
        if the_category.id != patron.category_id:
            check_category_age(the_category, patron.birth_date, today)
            patron.category = the_category
            changed = True
    if home_point is not None:
        point = resolve_point(session, home_point)
        if point.id != patron.home_point_id:
            patron.home_point = point
            changed = True
    if id_number is not None and id_number.strip():
        changed |= _set_id_number(session, patron, id_number, today)
    if phone is not None and (cleaned := clean_phone(phone)) != patron.phone:
        patron.phone = cleaned
        changed = True
    if pin is not None and pin.strip() and not pin_matches(patron.pin_hash, pin):
        patron.pin_hash = hash_pin(pin)
        changed = True
    if expires_on is not None and expires_on != patron.expires_on:
        patron.expires_on = _check_expiry(expires_on, today)
        changed = True
    session.flush()
    return changed


def _set_id_number(session: Session, patron: Patron, id_number: str, today: date) -> bool:
    if patron.category.institutional:
        raise InstitutionHasNoIdNumber(patron.category.name)
    resident = check_resident_id(session, id_number, today=today, exclude_patron_id=patron.id)
    if patron.id_hash == resident.id_hash:
        return False
    if patron.id_hash is not None:
        raise InvalidPatronField(
            "身份证号",
            "ID number",
            resident.masked,
            f"与该读者登记的 {patron.id_masked} 不同；一个账户只属于一个人，请为此人另行办证",
            f"it differs from the registered {patron.id_masked}; an account belongs to one "
            "person, register this one separately",
        )
    check_category_age(patron.category, resident.birth_date, today)
    patron.id_hash = resident.id_hash
    patron.id_masked = resident.masked
    patron.birth_date = resident.birth_date
    patron.gender = resident.gender
    return True


def _require_open(patron: Patron) -> None:
    if patron.status is PatronStatus.CLOSED:
        raise AccountClosed(patron.name)


def _end_card(card: PatronCard, status: CardStatus, reason: str, at: datetime) -> None:
    check_card_transition(card.status, status)
    card.status = status
    card.ended_at = at
    card.end_reason = reason


def report_card_lost(session: Session, *, patron: Patron, at: datetime | None = None) -> PatronCard:
    """挂失: block the active card at once; the reader gets a new one later (replace_card)."""
    _require_open(patron)
    card = patron.active_card
    if card is None:
        raise NoActiveCard(patron.name)
    _end_card(card, CardStatus.LOST, "读者挂失 reported lost", at or utcnow())
    session.flush()
    return card


def replace_card(
    session: Session,
    *,
    patron: Patron,
    new_card_number: str,
    reason: ReplaceReason | str = ReplaceReason.LOST,
    at: datetime | None = None,
) -> PatronCard:
    """补卡/换卡: issue a new number; the old card becomes lost (or replaced) and is blocked.

    Loans, holds, fines, deposit and history stay with the person, not the card.
    """
    _require_open(patron)
    why = ReplaceReason(reason)
    at = at or utcnow()
    number = check_new_card_number(session, new_card_number)
    old = patron.active_card
    if old is not None:
        text = "挂失补卡 lost, replaced" if why is ReplaceReason.LOST else "损坏换卡 damaged"
        _end_card(old, why.old_card_status, text, at)
        # The old card must leave ACTIVE before the new one arrives: one active card per patron.
        session.flush()
    card = PatronCard(number=number, status=CardStatus.ACTIVE, issued_at=at)
    patron.cards.append(card)
    session.flush()
    return card


def block_patron(
    session: Session,
    *,
    patron: Patron,
    reason: str,
    by: str | None = None,
    at: datetime | None = None,
) -> PatronBlock:
    """人工暂停借阅, with the reason the desk reads out to the reader."""
    _require_open(patron)
    text = " ".join(reason.split())
    if not text:
        raise BlockReasonMissing()
    block = PatronBlock(reason=text, blocked_by=by, blocked_at=at or utcnow())
    patron.blocks.append(block)
    session.flush()
    return block


def unblock_patron(
    session: Session,
    *,
    patron: Patron,
    reason: str | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> list[PatronBlock]:
    """Lift every manual block. Other reasons (expiry, fines) lift when their cause goes."""
    blocks = patron.active_blocks
    if not blocks:
        raise NotBlocked(patron.name)
    at = at or utcnow()
    for block in blocks:
        block.lifted_at = at
        block.lifted_by = by
        block.lifted_reason = reason.strip() if reason and reason.strip() else None
    session.flush()
    return blocks


def renew_membership(
    session: Session, *, patron: Patron, years: int | None = None, today: date | None = None
) -> date:
    """续期: extend the card's validity; returns the new expiry date.

    Refused when the reader has outgrown the category (a child at 15): change
    the category first.
    """
    today = today or network_today()
    _require_open(patron)
    check_category_age(patron.category, patron.birth_date, today)
    years = years if years is not None else patron.category.expiry_years
    if years <= 0 or years > 10:
        raise InvalidPatronField(
            "续期年数", "renewal years", years, "应为1到10年", "use 1 to 10 years"
        )
    patron.expires_on = renewed_expiry(patron.expires_on, today, years)
    session.flush()
    return patron.expires_on


def change_category(
    session: Session,
    *,
    patron: Patron,
    category: str | PatronCategory,
    today: date | None = None,
) -> PatronCategory:
    """A child who grows up, a reader who becomes 信易阅: move to another category."""
    today = today or network_today()
    _require_open(patron)
    the_category = resolve_category(session, category)
    if patron.id_hash and the_category.institutional:
        raise InstitutionHasNoIdNumber(the_category.name)
    check_category_age(the_category, patron.birth_date, today)
    patron.category = the_category
    session.flush()
    return the_category


def set_keep_history(session: Session, *, patron: Patron, keep: bool) -> None:
    """阅读隐私: whether the reader's own loan history is kept for them to see."""
    patron.keep_history = keep
    session.flush()


def record_credit_rating(
    session: Session,
    *,
    patron: Patron,
    source: str,
    verified_on: date,
    expires_on: date,
    today: date | None = None,
) -> CreditStatus:
    """信易阅: record who vouched for the reader's credit, when it was checked, until when.

    While the rating is valid the reader pays no deposit; after ``expires_on``
    the waiver lapses until the rating is verified again.
    """
    today = today or network_today()
    _require_open(patron)
    if not patron.category.credit_based:
        raise CreditNotApplicable(patron.name, patron.category.name)
    text = " ".join(source.split())
    if not text:
        raise InvalidCreditRating(
            "请写明信用来源（如 诸城市信用中心）",
            "name the rating's source (e.g. the city credit centre)",
        )
    if verified_on > today:
        raise InvalidCreditRating(
            f"核验日期 {verified_on.isoformat()} 晚于今天",
            f"verified on {verified_on} is in the future",
        )
    if expires_on < today:
        raise InvalidCreditRating(
            f"有效期至 {expires_on.isoformat()} 已经过去，请先重新核验",
            f"it expired on {expires_on.isoformat()}; verify it again first",
        )
    patron.credit_source = text
    patron.credit_verified_on = verified_on
    patron.credit_expires_on = expires_on
    session.flush()
    return credit_status(patron, today)


def _method(method: DepositMethod | str) -> DepositMethod:
    try:
        return DepositMethod(method)
    except ValueError:
        known = ", ".join(m.value for m in DepositMethod)
        raise InvalidPatronField(
            "付款方式", "payment method", method, f"可用：{known}", f"use one of {known}"
        ) from None


def pay_deposit(
    session: Session,
    *,
    patron: Patron,
    method: DepositMethod | str,
    amount_fen: int | None = None,
    by: str | None = None,
    at: datetime | None = None,
    today: date | None = None,
) -> Deposit:
    """缴纳押金: the category's deposit, or the difference after a move to a dearer category."""
    today = today or network_today()
    _require_open(patron)
    category = patron.category
    waiver = patron.deposit_waiver
    if waiver is not None:
        raise DepositNotRequired(
            patron.name, f"已免押金（{waiver.waived_reason}）", f"waived ({waiver.waived_reason})"
        )
    if not deposit_required(category, patron, today):
        if category.credit_based:
            why = ("信易阅信用有效期内免押金", "credit-based readers pay none while rated")
        else:
            why = (f"{category.name}免押金", f"{category.name_en} readers pay no deposit")
        raise DepositNotRequired(patron.name, *why)
    owed = deposit_outstanding_fen(
        category, patron, today, held_fen=patron.deposit_held_fen, waived=False
    )
    if owed == 0:
        last = next(d for d in reversed(patron.deposits) if d.is_standing and d.paid_at)
        assert last.paid_at is not None
        raise DepositAlreadyHeld(patron.name, patron.deposit_held_fen, network_date(last.paid_at))
    amount = owed if amount_fen is None else amount_fen
    if amount != owed:
        raise InvalidDepositAmount(amount, owed)
    deposit = Deposit(
        amount_fen=amount, method=_method(method), paid_at=at or utcnow(), recorded_by=by
    )
    patron.deposits.append(deposit)
    session.flush()
    return deposit


def waive_deposit(
    session: Session,
    *,
    patron: Patron,
    reason: str,
    by: str | None = None,
    at: datetime | None = None,
    today: date | None = None,
) -> Deposit:
    """免押金: a standing exemption granted by staff, e.g. a school standing guarantee for a class."""
    today = today or network_today()
    _require_open(patron)
    text = " ".join(reason.split())
    if not text:
        raise InvalidPatronField(
            "免押金原因", "waiver reason", reason, "不能为空", "give the reason"
        )
    if patron.deposit_waiver is not None or not deposit_required(patron.category, patron, today):
        raise DepositNotRequired(patron.name, "无需再免", "nothing to waive")
    deposit = Deposit(amount_fen=0, waived_reason=text, waived_at=at or utcnow(), recorded_by=by)
    patron.deposits.append(deposit)
    session.flush()
    return deposit


def refund_deposit(
    session: Session,
    *,
    patron: Patron,
    method: DepositMethod | str | None = None,
    by: str | None = None,
    at: datetime | None = None,
    today: date | None = None,
) -> int:
    """退押金: return what was paid; returns the amount in fen.

    An open account gets its deposit back only when it no longer needs one
    (a credit rating now covers it, or a move to a category without deposit);
    otherwise the deposit comes back when the account is closed.
    """
    today = today or network_today()
    paid = [d for d in patron.deposits if d.is_standing and d.paid_at]
    if not paid:
        raise NoDepositHeld(patron.name)
    if patron.status is PatronStatus.ACTIVE and deposit_required(patron.category, patron, today):
        raise DepositStillRequired(patron.name)
    return _refund(paid, method, by, at or utcnow())


def _refund(
    paid: list[Deposit], method: DepositMethod | str | None, by: str | None, at: datetime
) -> int:
    total = 0
    for deposit in paid:
        deposit.refunded_at = at
        deposit.refund_method = _method(method) if method else deposit.method
        if by:
            deposit.recorded_by = by
        total += deposit.amount_fen
    return total


class AccountObligations(Protocol):
    """What a reader still owes the library; circulation provides it (loans and fines live there)."""

    def open_loans(self, session: Session, patron: Patron) -> int: ...

    def unpaid_fines_fen(self, session: Session, patron: Patron) -> int: ...


def close_account(
    session: Session,
    *,
    patron: Patron,
    obligations: AccountObligations,
    refund_method: DepositMethod | str | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> int:
    """注销读者证: refuse while loans or fines remain; refund the deposit, cancel the card.

    Returns the deposit refunded, in fen. The account row stays (history,
    statistics and the ID hash that stops a second account being opened).
    """
    _require_open(patron)
    loans = obligations.open_loans(session, patron)
    fines = obligations.unpaid_fines_fen(session, patron)
    if loans or fines:
        raise AccountHasObligations(patron.name, loans, fines)
    at = at or utcnow()
    refunded = _refund(
        [d for d in patron.deposits if d.is_standing and d.paid_at], refund_method, by, at
    )
    for waiver in (d for d in patron.deposits if d.is_standing and d.waived_reason):
        waiver.refunded_at = at
    card = patron.active_card
    if card is not None:
        _end_card(card, CardStatus.CANCELLED, "注销账户 account closed", at)
    check_patron_transition(patron.status, PatronStatus.CLOSED)
    patron.status = PatronStatus.CLOSED
    patron.closed_at = at
    session.flush()
    return refunded


def reopen_account(
    session: Session,
    *,
    patron: Patron,
    new_card_number: str,
    today: date | None = None,
    at: datetime | None = None,
) -> PatronCard:
    """重新开通: a closed account comes back with a new card and a fresh validity period."""
    today = today or network_today()
    if patron.status is not PatronStatus.CLOSED:
        raise AccountNotClosed(patron.name)
    check_category_age(patron.category, patron.birth_date, today)
    number = check_new_card_number(session, new_card_number)
    check_patron_transition(patron.status, PatronStatus.ACTIVE)
    patron.status = PatronStatus.ACTIVE
    patron.closed_at = None
    patron.expires_on = default_expiry(patron.category, today)
    card = PatronCard(number=number, status=CardStatus.ACTIVE, issued_at=at or utcnow())
    patron.cards.append(card)
    session.flush()
    return card


def change_pin(session: Session, *, patron: Patron, new_pin: str, current_pin: str | None) -> None:
    """修改密码. ``current_pin=None`` is a reset at the desk, after staff checked the ID card."""
    if current_pin is not None and not pin_matches(patron.pin_hash, current_pin):
        raise WrongPin()
    patron.pin_hash = hash_pin(new_pin)
    session.flush()


def verify_pin(patron: Patron, pin: str) -> bool:
    """Check a PIN (self-check machines, the OPAC); upgrades an outdated hash in place."""
    if not pin_matches(patron.pin_hash, pin):
        return False
    if patron.pin_hash and pin_needs_rehash(patron.pin_hash):
        patron.pin_hash = hash_pin(pin)
    return True


@dataclass(frozen=True)
class ReaderSignIn:
    """The outcome of a reader's sign-in: the reader, or why not (the failure is kept)."""

    patron_id: int | None
    card_number: str | None
    refusal: PatronError | None


def sign_in_reader(
    session: Session, *, card_number: str, pin: str, now: datetime | None = None
) -> ReaderSignIn:
    """Check a card number and PIN for the OPAC, counting wrong PINs per reader.

    Five wrong PINs in a row lock online sign-in for 15 minutes (as staff logins are),
    even against the right PIN. An unknown card, a card no longer in use (lost,
    replaced) and a wrong PIN get the same answer. Like ``authenticate`` for staff it
    reports instead of raising, so that the caller commits the count, then refuses.
    """
    now = now or utcnow()
    try:
        found = get_patron_by_card(session, card_number)
    except (CardNotFound, InvalidCardNumber):
        pin_matches(None, pin)  # as long as a real check: no card fishing by timing
        return ReaderSignIn(None, None, ReaderSignInRefused())
    patron = found.patron
    if is_locked(patron.pin_locked_until, now):
        assert patron.pin_locked_until is not None
        return ReaderSignIn(None, None, ReaderPinLocked(patron.pin_locked_until))
    if not found.card_usable or not patron.pin_hash or not verify_pin(patron, pin):
        if patron.pin_hash and found.card_usable:
            patron.failed_pins, patron.pin_locked_until = after_failed_login(
                patron.failed_pins or 0, now
            )
            session.flush()
            if patron.pin_locked_until is not None:
                return ReaderSignIn(None, None, ReaderPinLocked(patron.pin_locked_until))
        return ReaderSignIn(None, None, ReaderSignInRefused())
    patron.failed_pins = 0
    patron.pin_locked_until = None
    session.flush()
    return ReaderSignIn(patron.id, found.card.number, None)
