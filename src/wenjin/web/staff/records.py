"""Records and copies in the staff client (编目 · 书目与馆藏): find a record, edit it in
the MARC editor, create one, and add, change or withdraw (注销) its copies.

The editor is a text box, one line per field (see :mod:`wenjin.catalog.marc.editor`),
that works without JavaScript. The form carries the version of the record it opened
(its :func:`~wenjin.catalog.rules.marc_hash`); a save over someone else's newer save
is refused and the typed text is shown again, as it is when a line is wrong.

The same services and permissions as ``/api/v1/records`` and ``/api/v1/items``:
``catalog.write`` for records (the catalogue is the network's), and for a copy
``catalog.write`` at its home point (and at the new one when it moves).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.accounts.queries import place_of, place_of_point
from wenjin.accounts.rules import CATALOG_WRITE, Actor
from wenjin.catalog.errors import InvalidMarc, RecordNotFound
from wenjin.catalog.marc.editor import EditorProblem, editor_text
from wenjin.catalog.marc.record import MarcRecord
from wenjin.catalog.models import BibRecord, Item
from wenjin.catalog.queries import (
    catalogue_copies,
    get_item_by_barcode,
    item_type_choices,
)
from wenjin.catalog.rules import DEFAULT_ITEM_TYPE, format_yuan, marc_hash, parse_yuan
from wenjin.catalog.services import (
    RecordSaved,
    add_item,
    ensure_default_item_types,
    new_record,
    next_barcode,
    update_item,
    update_record,
)
from wenjin.catalog.states import MarcFlavour
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.holds.services import withdraw_copy
from wenjin.network.queries import flatten_tree, get_point_by_code, network_tree
from wenjin.network.states import PointKind
from wenjin.search.engine import index_for
from wenjin.search.queries import search
from wenjin.web.deps import get_engine, get_lang, get_settings
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()

MAX_RECORD_ID = 2**31 - 1
MAX_MARC_TEXT = 200_000
FOUND_SHOWN = 50
RecordId = Annotated[int, Path(ge=1, le=MAX_RECORD_ID)]
BarcodeParam = Annotated[str, Path(min_length=1, max_length=32)]

# What a new record starts from: the fields nearly every record has, to be filled in.
NEW_RECORD_TEXT = {
    MarcFlavour.CNMARC: (
        "LDR 00000nam0#2200000###450#\n"
        "010 ##$a\n"
        "101 0#$achi\n"
        "200 1#$a$f\n"
        "210 ##$a$c$d\n"
        "215 ##$a\n"
        "690 ##$a$v5\n"
        "701 #0$a$4著\n"
    ),
    MarcFlavour.MARC21: (
        "LDR 00000nam#a2200000#a#4500\n020 ##$a\n100 1#$a\n245 10$a$c\n264 #1$a$b$c\n300 ##$a\n"
    ),
}


def record_url(record_id: int) -> str:
    return f"/staff/catalogue/records/{record_id}"


def _item_url(barcode: str) -> str:
    return f"/staff/catalogue/items/{quote(barcode, safe='')}"


def _get_record(session: Session, record_id: int) -> BibRecord:
    bib = session.get(BibRecord, record_id)
    if bib is None:
        raise RecordNotFound(str(record_id))
    return bib


def holding_points(session: Session) -> list[tuple[str, str]]:
    """``(code, name)`` of the active points that can own copies, in the network's tree
    order (the central library first), the network itself left out."""
    return [
        (row["code"], row["name"])
        for row in flatten_tree(network_tree(session))
        if row["kind"] != PointKind.NETWORK.value
    ]


def saved_message(saved: RecordSaved, lang: str) -> str:
    text = t("marc.saved" if saved.changed else "marc.unchanged", lang, id=saved.record_id)
    if saved.warnings:
        text += " " + " ".join(w.message(lang) for w in saved.warnings)
    return text


# --- finding a record ---


@router.get("/catalogue/records", name="staff_records")
def find_page(
    request: Request, actor: StaffActor, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    require_staff(request, actor, CATALOG_WRITE)
    query = q.strip()
    context: dict[str, Any] = {"actor": actor, "active_nav": "records", "q": query}
    if query:
        with UnitOfWork(get_engine(request), readonly=True) as uow:
            by_barcode = uow.session.scalar(select(Item.bib_id).where(Item.barcode == query))
            results = search(
                uow.session,
                index=index_for(get_settings(request).data_dir, get_engine(request)),
                query=query,
                per_page=FOUND_SHOWN,
                facets=False,
            )
            hits: list[Any] = list(results.hits)
            if by_barcode is not None and all(hit.id != by_barcode for hit in hits):
                bib = uow.session.get(BibRecord, by_barcode)
                if bib is not None:
                    hits.insert(0, _barcode_hit(bib))
            context |= {"hits": hits, "total": max(results.total, len(hits))}
    return render_with_flash(request, "staff/records.html", context)


def _barcode_hit(bib: BibRecord) -> dict[str, Any]:
    return {
        "id": bib.id,
        "title": bib.title,
        "author": bib.responsibility or "、".join(bib.authors or ()),
        "publisher": bib.publisher,
        "year": bib.year,
        "isbn": bib.isbn,
        "clc": bib.clc,
    }


# --- a new record ---


def _flavour_of(text: str) -> MarcFlavour:
    try:
        return MarcFlavour(text.strip().lower())
    except ValueError:
        return MarcFlavour.CNMARC


@router.get("/catalogue/records/new", name="staff_record_new")
def new_record_page(
    request: Request, actor: StaffActor, flavour: Annotated[str, Query(max_length=16)] = "cnmarc"
) -> Response:
    require_staff(request, actor, CATALOG_WRITE)
    chosen = _flavour_of(flavour)
    return _new_page(request, actor, chosen, NEW_RECORD_TEXT[chosen])


def _new_page(
    request: Request,
    actor: Actor,
    flavour: MarcFlavour,
    text: str,
    *,
    problems: list[EditorProblem] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render_with_flash(
        request,
        "staff/record_new.html",
        {
            "actor": actor,
            "active_nav": "records",
            "flavour": flavour.value,
            "flavours": [f.value for f in MarcFlavour],
            "text": text,
            "problems": problems or [],
            "error": error,
        },
        status_code=status_code,
    )


@router.post("/catalogue/records/new", name="staff_record_create")
def create_record(
    request: Request,
    actor: StaffActor,
    flavour: Annotated[str, Form(max_length=16)] = "cnmarc",
    marc: Annotated[str, Form(max_length=MAX_MARC_TEXT)] = "",
) -> Response:
    require_staff(request, actor, CATALOG_WRITE)
    lang = get_lang(request)
    chosen = _flavour_of(flavour)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            saved = new_record(uow.session, flavour=chosen, marc_text=marc, actor=actor.username)
        except InvalidMarc as error:
            return _new_page(request, actor, chosen, marc, problems=error.problems, status_code=400)
        except WenjinError as error:
            return _new_page(
                request, actor, chosen, marc, error=error.message(lang), status_code=409
            )
        uow.commit()
    return redirect_with_message(record_url(saved.record_id), "ok", saved_message(saved, lang))


# --- the MARC editor ---


@router.get("/catalogue/records/{record_id}", name="staff_record")
def record_editor(request: Request, actor: StaffActor, record_id: RecordId) -> Response:
    require_staff(request, actor, CATALOG_WRITE)
    return _editor_page(request, actor, record_id)


def _editor_page(
    request: Request,
    actor: Actor,
    record_id: int,
    *,
    text: str | None = None,
    opened_hash: str | None = None,
    problems: list[EditorProblem] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        bib = _get_record(uow.session, record_id)
        context: dict[str, Any] = {
            "actor": actor,
            "active_nav": "records",
            "record": {
                "id": bib.id,
                "title": bib.title,
                "responsibility": bib.responsibility,
                "flavour": bib.flavour.value,
                "source": bib.source,
                "control_number": bib.control_number,
                "isbn": bib.isbn,
                "clc": bib.clc,
                "year": bib.year,
            },
            "text": text if text is not None else editor_text(MarcRecord.from_json(bib.marc)),
            "marc_hash": opened_hash or marc_hash(bib.marc),
            "problems": problems or [],
            "error": error,
            "copies": catalogue_copies(uow.session, bib.id),
            "points": holding_points(uow.session),
            "item_types": item_type_choices(uow.session) or [(DEFAULT_ITEM_TYPE, "")],
            "default_point": actor.scope_point_code or "",
            "yuan": format_yuan,
        }
    return render_with_flash(request, "staff/record_editor.html", context, status_code=status_code)


@router.post("/catalogue/records/{record_id}", name="staff_record_save")
def save_record(
    request: Request,
    actor: StaffActor,
    record_id: RecordId,
    marc: Annotated[str, Form(max_length=MAX_MARC_TEXT)] = "",
    marc_hash_: Annotated[str, Form(alias="marc_hash", max_length=64)] = "",
) -> Response:
    require_staff(request, actor, CATALOG_WRITE)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        bib = _get_record(uow.session, record_id)
        try:
            saved = update_record(
                uow.session,
                record=bib,
                marc_text=marc,
                expected_hash=marc_hash_ or None,
                actor=actor.username,
            )
        except InvalidMarc as error:
            uow.rollback()
            return _editor_page(
                request,
                actor,
                record_id,
                text=marc,
                opened_hash=marc_hash_,
                problems=error.problems,
                status_code=400,
            )
        except WenjinError as error:
            uow.rollback()
            return _editor_page(
                request,
                actor,
                record_id,
                text=marc,
                opened_hash=marc_hash_,
                error=error.message(lang),
                status_code=409,
            )
        uow.commit()
    return redirect_with_message(record_url(record_id), "ok", saved_message(saved, lang))


# --- copies ---


def _price_fen(text: str) -> int | None:
    return parse_yuan(text) if text.strip() else None


@router.post("/catalogue/records/{record_id}/items", name="staff_record_add_item")
def add_copy(
    request: Request,
    actor: StaffActor,
    record_id: RecordId,
    point: Annotated[str, Form(min_length=1, max_length=32)],
    barcode: Annotated[str, Form(max_length=64)] = "",
    item_type: Annotated[str, Form(max_length=16)] = DEFAULT_ITEM_TYPE,
    call_number: Annotated[str, Form(max_length=200)] = "",
    location: Annotated[str, Form(max_length=200)] = "",
    price: Annotated[str, Form(max_length=32)] = "",
    volume: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    floating: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    lang = get_lang(request)
    back = record_url(record_id)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            require_staff(request, actor, CATALOG_WRITE, at=place_of(uow.session, point))
            bib = _get_record(uow.session, record_id)
            ensure_default_item_types(uow.session)
            item = add_item(
                uow.session,
                record=bib,
                barcode=barcode.strip() or next_barcode(uow.session),
                point=get_point_by_code(uow.session, point),
                item_type=item_type or DEFAULT_ITEM_TYPE,
                call_number=call_number.strip() or None,
                location=location.strip() or None,
                price_fen=_price_fen(price),
                volume=volume.strip() or None,
                note=note.strip() or None,
                floating=floating == "on",
                actor=actor.username,
            )
        except RecordNotFound:
            raise
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        added = item.barcode
        uow.commit()
    return redirect_with_message(back, "ok", t("items.added", lang, barcode=added))


@router.get("/catalogue/items/{barcode}", name="staff_item")
def item_page(request: Request, actor: StaffActor, barcode: BarcodeParam) -> Response:
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        item = get_item_by_barcode(uow.session, barcode)
        require_staff(
            request, actor, CATALOG_WRITE, at=place_of_point(uow.session, item.owning_point)
        )
        copy = next(
            c for c in catalogue_copies(uow.session, item.bib_id) if c.barcode == item.barcode
        )
        context = {
            "actor": actor,
            "active_nav": "records",
            "copy": copy,
            "record_id": item.bib_id,
            "title": item.bib.title,
            "points": holding_points(uow.session),
            "item_types": item_type_choices(uow.session),
            "yuan": format_yuan,
        }
    return render_with_flash(request, "staff/item_edit.html", context)


@router.post("/catalogue/items/{barcode}", name="staff_item_save")
def save_item(
    request: Request,
    actor: StaffActor,
    barcode: BarcodeParam,
    point: Annotated[str, Form(min_length=1, max_length=32)],
    item_type: Annotated[str, Form(min_length=1, max_length=16)],
    call_number: Annotated[str, Form(max_length=200)] = "",
    location: Annotated[str, Form(max_length=200)] = "",
    price: Annotated[str, Form(max_length=32)] = "",
    volume: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    floating: Annotated[str, Form(max_length=8)] = "",
    version: Annotated[int | None, Form(ge=1, le=MAX_RECORD_ID)] = None,
) -> Response:
    lang = get_lang(request)
    page = _item_url(barcode)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        item = get_item_by_barcode(uow.session, barcode)
        require_staff(
            request, actor, CATALOG_WRITE, at=place_of_point(uow.session, item.owning_point)
        )
        try:
            new_home = get_point_by_code(uow.session, point)
            if new_home.id != item.owning_point_id:
                require_staff(
                    request, actor, CATALOG_WRITE, at=place_of_point(uow.session, new_home)
                )
            price_fen = _price_fen(price)
            update_item(
                uow.session,
                item=item,
                actor=actor.username,
                call_number=call_number,
                location=location,
                item_type=item_type,
                price_fen=price_fen,
                clear_price=price_fen is None,
                volume=volume,
                note=note,
                floating=floating == "on",
                owning_point=new_home,
                expected_version=version,
            )
        except WenjinError as error:
            return redirect_with_message(page, "error", error.message(lang))
        record_id = item.bib_id
        uow.commit()
    return redirect_with_message(
        record_url(record_id), "ok", t("items.saved", lang, barcode=barcode)
    )


@router.post("/catalogue/items/{barcode}/withdraw", name="staff_item_withdraw")
def withdraw(
    request: Request,
    actor: StaffActor,
    barcode: BarcodeParam,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        item = get_item_by_barcode(uow.session, barcode)
        require_staff(
            request, actor, CATALOG_WRITE, at=place_of_point(uow.session, item.owning_point)
        )
        try:
            withdraw_copy(uow.session, item=item, actor=actor.username, reason=reason or None)
        except WenjinError as error:
            return redirect_with_message(_item_url(barcode), "error", error.message(lang))
        record_id = item.bib_id
        uow.commit()
    return redirect_with_message(
        record_url(record_id), "ok", t("items.withdrawn", lang, barcode=barcode)
    )
