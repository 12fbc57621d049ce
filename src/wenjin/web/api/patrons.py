"""``/api/v1/patrons``: readers and their one card, over the same services as ``wenjin patron``."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wenjin.accounts.queries import place_of_point
from wenjin.accounts.rules import (
    PATRONS_READ,
    PATRONS_READ_PERSONAL,
    PATRONS_WRITE,
    WHOLE_NETWORK,
    Actor,
    may,
)
from wenjin.circulation.models import Loan
from wenjin.circulation.queries import ReaderObligations, loans_of_patron
from wenjin.db.uow import UnitOfWork
from wenjin.fees.queries import outstanding_fen
from wenjin.network.queries import get_point_by_code
from wenjin.patrons.importing import import_patrons
from wenjin.patrons.models import Patron, PatronCategory
from wenjin.patrons.queries import (
    CardLookup,
    duplicate_warnings,
    find_patrons,
    get_patron_by_card,
    mask_phone,
    network_today,
    patron_summary,
)
from wenjin.patrons.services import (
    block_patron,
    change_pin,
    close_account,
    ensure_default_categories,
    pay_deposit,
    record_credit_rating,
    refund_deposit,
    register_patron,
    renew_membership,
    reopen_account,
    replace_card,
    report_card_lost,
    set_keep_history,
    unblock_patron,
    update_patron,
    waive_deposit,
)
from wenjin.web.api.deps import ActorDep, PageDep, ReadSession, WriteUoW, require
from wenjin.web.api.errors import ApiError
from wenjin.web.api.schemas import (
    BlockRequest,
    CreditRequest,
    DepositRequest,
    Page,
    PatronCreate,
    PatronRow,
    PatronUpdate,
    PinRequest,
    RefundRequest,
    RenewCardRequest,
    ReopenRequest,
    ReplaceCardRequest,
    UnblockRequest,
    WaiveDepositRequest,
)
from wenjin.web.deps import get_engine

router = APIRouter(prefix="/patrons", tags=["patrons 读者"])

CardPath = Annotated[str, PathParam(min_length=1, max_length=32, description="读者证号 card")]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class HistoryNotKept(ApiError):
    status_code = 409
    code = "history_not_kept"


class UploadRefused(ApiError):
    status_code = 400
    code = "upload_invalid"


def _row(patron: Patron) -> PatronRow:
    card = patron.active_card
    return PatronRow(
        patron_id=patron.id,
        name=patron.name,
        card=card.number if card else None,
        id_masked=patron.id_masked,
        phone_masked=mask_phone(patron.phone),
        category=patron.category.code,
        home=patron.home_point.code,
        status=patron.status.value,
        expires_on=patron.expires_on,
    )


def _found(session: Session, actor: Actor, card: str, permission: str) -> CardLookup:
    found = get_patron_by_card(session, card)
    require(actor, permission, at=place_of_point(session, found.patron.home_point))
    return found


def _detail(session: Session, actor: Actor, found: CardLookup, **extra: Any) -> dict[str, Any]:
    """A reader for the desk: summary, current loans, fees owed; the full phone number only
    for an account that may see personal data."""
    patron = found.patron
    body = jsonable_encoder(patron_summary(patron, card=found.card))
    if may(actor, PATRONS_READ_PERSONAL, place_of_point(session, patron.home_point)):
        body["phone"] = patron.phone
    loans = loans_of_patron(session, patron.id, today=network_today())
    body["loans"] = {
        "count": len(loans),
        "overdue": sum(1 for line in loans if line.overdue),
        "items": jsonable_encoder(loans),
    }
    body["fees_owed_fen"] = outstanding_fen(session, patron.id)
    return {**extra, "patron": body}


@router.get("", response_model=Page[PatronRow], summary="查找读者 List or search readers")
def list_patrons(
    actor: ActorDep,
    session: ReadSession,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=100, description="姓名、证号、手机")] = None,
    category: Annotated[str | None, Query(max_length=16)] = None,
    home: Annotated[str | None, Query(max_length=32)] = None,
) -> Page[PatronRow]:
    require(actor, PATRONS_READ)
    if q and q.strip():
        matches = [
            p
            for p in find_patrons(session, q, limit=1000)
            if (category is None or p.category.code == category.strip().upper())
            and (home is None or p.home_point.code == home.strip())
        ]
        rows = matches[page.offset : page.offset + page.per_page]
        return Page(
            items=[_row(p) for p in rows],
            page=page.page,
            per_page=page.per_page,
            total=len(matches),
        )
    query = select(Patron)
    if category:
        query = query.join(PatronCategory, PatronCategory.id == Patron.category_id).where(
            PatronCategory.code == category.strip().upper()
        )
    if home:
        point = get_point_by_code(session, home)
        query = query.where(Patron.home_point_id == point.id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    patrons = session.scalars(
        query.options(
            selectinload(Patron.cards),
            selectinload(Patron.category),
            selectinload(Patron.home_point),
        )
        .order_by(Patron.id)
        .offset(page.offset)
        .limit(page.per_page)
    )
    return Page(
        items=[_row(p) for p in patrons], page=page.page, per_page=page.per_page, total=total
    )


@router.post("", status_code=201, summary="办证 Register a reader")
def create_patron(actor: ActorDep, body: PatronCreate, uow: WriteUoW) -> dict[str, Any]:
    session = uow.session
    home = get_point_by_code(session, body.home)
    require(actor, PATRONS_WRITE, at=place_of_point(session, home))
    ensure_default_categories(session)
    patron = register_patron(
        session,
        card_number=body.card,
        name=body.name,
        category=body.category,
        home_point=home,
        id_number=body.id_number,
        phone=body.phone,
        pin=body.pin,
        expires_on=body.expires_on,
        notes=body.notes,
    )
    if body.deposit_method is not None:
        pay_deposit(session, patron=patron, method=body.deposit_method, by=actor.username)
    if body.waive_deposit_reason:
        waive_deposit(session, patron=patron, reason=body.waive_deposit_reason, by=actor.username)
    warnings = duplicate_warnings(
        session, name=patron.name, phone=patron.phone, exclude_patron_id=patron.id
    )
    found = CardLookup(patron=patron, card=patron.cards[0])
    result = _detail(
        session, actor, found, action="registered", warnings=jsonable_encoder(warnings)
    )
    uow.commit()
    return result


@router.post("/import", summary="批量导入读者 Import readers from CSV or XLSX")
async def import_patron_file(
    actor: ActorDep,
    request: Request,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GB18030) or XLSX")],
    waive_deposit_reason: Annotated[str | None, Form(max_length=200)] = None,
) -> dict[str, Any]:
    # A file may register readers of any home point: only a network-wide account imports.
    require(actor, PATRONS_WRITE, at=WHOLE_NETWORK)
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx"):
        raise UploadRefused(
            "请上传 .csv 或 .xlsx 文件", "Upload a .csv or .xlsx file", {"filename": file.filename}
        )
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused("文件超过 20 MB，请分批导入", "The file exceeds 20 MB; split it")
    engine = get_engine(request)
    with tempfile.TemporaryDirectory(prefix="wenjin-import-") as folder:
        path = Path(folder) / f"patrons{suffix}"
        path.write_bytes(data)
        with UnitOfWork(engine) as uow:
            ensure_default_categories(uow.session)
            uow.commit()
        result = import_patrons(
            path,
            unit_of_work=lambda: UnitOfWork(engine, actor=actor.username),
            waive_deposit_reason=waive_deposit_reason,
            by=actor.username,
        )
    return {
        "total": result.total,
        "imported": result.imported,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": result.rejected,
        "ignored_columns": result.ignored_columns,
        "rejects": jsonable_encoder(result.rejects),
        "warnings": jsonable_encoder(result.warnings),
    }


@router.get("/{card}", summary="读者详情 A reader by card: blocks, loans, fees owed")
def show_patron(actor: ActorDep, card: CardPath, session: ReadSession) -> dict[str, Any]:
    require(actor, PATRONS_READ)
    return _detail(session, actor, get_patron_by_card(session, card))


@router.patch("/{card}", summary="修改读者 Change phone, category, expiry, home point")
def change_patron(
    actor: ActorDep, card: CardPath, body: PatronUpdate, uow: WriteUoW
) -> dict[str, Any]:
    session = uow.session
    found = _found(session, actor, card, PATRONS_WRITE)
    if body.home is not None:
        new_home = get_point_by_code(session, body.home)
        require(actor, PATRONS_WRITE, at=place_of_point(session, new_home))
    changed = update_patron(
        session,
        patron=found.patron,
        name=body.name,
        category=body.category,
        home_point=body.home,
        phone=body.phone,
        expires_on=body.expires_on,
    )
    if body.keep_history is not None and body.keep_history != found.patron.keep_history:
        set_keep_history(session, patron=found.patron, keep=body.keep_history)
        changed = True
    result = _detail(session, actor, found, action="updated", changed=changed)
    uow.commit()
    return result


@router.post("/{card}/block", summary="暂停借阅 Block a reader")
def block(actor: ActorDep, card: CardPath, body: BlockRequest, uow: WriteUoW) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    block_patron(uow.session, patron=found.patron, reason=body.reason, by=actor.username)
    result = _detail(uow.session, actor, found, action="blocked")
    uow.commit()
    return result


@router.post("/{card}/unblock", summary="恢复借阅 Lift the manual blocks")
def unblock(actor: ActorDep, card: CardPath, body: UnblockRequest, uow: WriteUoW) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    lifted = unblock_patron(uow.session, patron=found.patron, reason=body.reason, by=actor.username)
    result = _detail(uow.session, actor, found, action="unblocked", lifted=len(lifted))
    uow.commit()
    return result


@router.post("/{card}/replace-card", summary="补卡/换卡 Issue a new card")
def replace(
    actor: ActorDep, card: CardPath, body: ReplaceCardRequest, uow: WriteUoW
) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    new = replace_card(
        uow.session, patron=found.patron, new_card_number=body.new_card, reason=body.reason
    )
    result = _detail(
        uow.session,
        actor,
        CardLookup(patron=found.patron, card=new),
        action="card_replaced",
        old_card=found.card.number,
    )
    uow.commit()
    return result


@router.post("/{card}/report-lost", summary="挂失 Block a lost card")
def report_lost(actor: ActorDep, card: CardPath, uow: WriteUoW) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    lost = report_card_lost(uow.session, patron=found.patron)
    result = _detail(
        uow.session, actor, CardLookup(patron=found.patron, card=lost), action="card_lost"
    )
    uow.commit()
    return result


@router.post("/{card}/renew", summary="续期 Extend the card")
def renew_card(
    actor: ActorDep, card: CardPath, body: RenewCardRequest, uow: WriteUoW
) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    renew_membership(uow.session, patron=found.patron, years=body.years)
    result = _detail(uow.session, actor, found, action="renewed")
    uow.commit()
    return result


@router.put("/{card}/pin", summary="重置密码 Reset the PIN at the desk")
def set_pin(actor: ActorDep, card: CardPath, body: PinRequest, uow: WriteUoW) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    change_pin(uow.session, patron=found.patron, new_pin=body.pin, current_pin=None)
    uow.commit()
    return {"action": "pin_set", "card": found.card.number}


@router.post("/{card}/deposits", summary="缴纳押金 Take the deposit")
def deposit(actor: ActorDep, card: CardPath, body: DepositRequest, uow: WriteUoW) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    paid = pay_deposit(
        uow.session,
        patron=found.patron,
        method=body.method,
        amount_fen=body.amount_fen,
        by=actor.username,
    )
    result = _detail(uow.session, actor, found, action="deposit_paid", amount_fen=paid.amount_fen)
    uow.commit()
    return result


@router.post("/{card}/deposits/waive", summary="免押金 Waive the deposit, with the reason")
def deposit_waive(
    actor: ActorDep, card: CardPath, body: WaiveDepositRequest, uow: WriteUoW
) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    waive_deposit(uow.session, patron=found.patron, reason=body.reason, by=actor.username)
    result = _detail(uow.session, actor, found, action="deposit_waived")
    uow.commit()
    return result


@router.post("/{card}/deposits/refund", summary="退押金 Refund the deposit when no longer needed")
def deposit_refund(
    actor: ActorDep, card: CardPath, uow: WriteUoW, body: RefundRequest | None = None
) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    method = body.method if body else None
    fen = refund_deposit(uow.session, patron=found.patron, method=method, by=actor.username)
    result = _detail(uow.session, actor, found, action="deposit_refunded", amount_fen=fen)
    uow.commit()
    return result


@router.post("/{card}/close", summary="注销 Close the account; the deposit is refunded")
def close(
    actor: ActorDep, card: CardPath, uow: WriteUoW, body: RefundRequest | None = None
) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    fen = close_account(
        uow.session,
        patron=found.patron,
        obligations=ReaderObligations(),
        refund_method=body.method if body else None,
        by=actor.username,
    )
    result = _detail(uow.session, actor, found, action="closed", refunded_fen=fen)
    uow.commit()
    return result


@router.post("/{card}/reopen", summary="重新开通 Reopen a closed account with a new card")
def reopen(actor: ActorDep, card: CardPath, body: ReopenRequest, uow: WriteUoW) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    new = reopen_account(uow.session, patron=found.patron, new_card_number=body.new_card)
    result = _detail(
        uow.session,
        actor,
        CardLookup(patron=found.patron, card=new),
        action="reopened",
        old_card=found.card.number,
    )
    uow.commit()
    return result


@router.put("/{card}/credit", summary="信易阅 Record the reader's credit rating")
def credit(actor: ActorDep, card: CardPath, body: CreditRequest, uow: WriteUoW) -> dict[str, Any]:
    found = _found(uow.session, actor, card, PATRONS_WRITE)
    record_credit_rating(
        uow.session,
        patron=found.patron,
        source=body.source,
        verified_on=body.verified_on,
        expires_on=body.expires_on,
    )
    result = _detail(uow.session, actor, found, action="credit_recorded")
    uow.commit()
    return result


@router.get("/{card}/history", summary="借阅历史 The reader's loan history (if kept)")
def history(actor: ActorDep, card: CardPath, session: ReadSession, page: PageDep) -> dict[str, Any]:
    found = _found(session, actor, card, PATRONS_READ_PERSONAL)
    if not found.patron.keep_history:
        raise HistoryNotKept(
            "该读者选择不保留借阅历史", "This reader has chosen not to keep a loan history"
        )
    lines = loans_of_patron(
        session,
        found.patron.id,
        today=network_today(),
        current_only=False,
        limit=page.offset + page.per_page + 1,
    )
    items = lines[page.offset : page.offset + page.per_page]
    total = session.scalar(select(func.count(Loan.id)).where(Loan.patron_id == found.patron.id))
    return {
        "items": jsonable_encoder(items),
        "page": page.page,
        "per_page": page.per_page,
        "total": total or 0,
    }
