"""Rotating collections (流动书箱) in the staff client: the collections and where they are,
one collection's items and stays, creating one, scanning items in and out, sending it to
the next stop or a point, receiving it, recalling it; the rotation plans and the
collections whose stay is over (到期). The same services and permissions as
``wenjin rotation`` and ``/api/v1/rotation``: reading needs ``circulation.read``; a
collection is managed (``rotation.manage``) where it is at home, a plan at every one of
its stations, and a collection is received (``transfers.send``) where it arrives.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.accounts.queries import place_of, place_of_point
from wenjin.accounts.rules import CIRCULATION_READ, ROTATION_MANAGE, TRANSFERS_SEND, Actor, may
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.models import ServicePoint
from wenjin.network.queries import get_point_by_code
from wenjin.patrons.queries import network_today
from wenjin.rotation.queries import (
    collection_detail,
    due_collections,
    list_collections,
    list_plans,
    plan_detail,
)
from wenjin.rotation.services import (
    MoveResult,
    add_items,
    collection_for_update,
    create_collection,
    create_plan,
    recall_collection,
    receive_collection,
    remove_items,
    send_collection,
)
from wenjin.rotation.states import CollectionKind, CollectionStatus
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()

ROTATION_PAGE = "/staff/rotation"
MAX_BARCODES = 1000
CollectionCode = Annotated[str, Path(min_length=1, max_length=32)]
_SEPARATORS = re.compile(r"[\s,，;；、]+")


def _barcodes(text: str) -> list[str]:
    """The barcodes of a scan box: one a line (a scanner ends each with Enter), or by commas."""
    return [code for code in _SEPARATORS.split(text) if code][:MAX_BARCODES]


def _collection_url(code: str) -> str:
    return f"{ROTATION_PAGE}/collections/{quote(code, safe='')}"


def _lending_points(session: Session) -> list[tuple[str, str]]:
    return [
        (p.code, p.name)
        for p in session.scalars(
            select(ServicePoint)
            .where(ServicePoint.lends.is_(True), ServicePoint.active.is_(True))
            .order_by(ServicePoint.sort_order, ServicePoint.code)
        )
    ]


def _choice(enum: Any, value: str | None) -> Any:
    try:
        return enum(value.strip().lower()) if value else None
    except ValueError:
        return None


def _managing(request: Request, session: Session, actor: Actor, code: str) -> str:
    """The collection's code, once the actor may manage collections at its home point."""
    collection = collection_for_update(session, code)
    home = session.get_one(ServicePoint, collection.home_point_id)
    require_staff(request, actor, ROTATION_MANAGE, at=place_of_point(session, home))
    return collection.code


def _moved(result: MoveResult, key: str, lang: str) -> str:
    text = t(
        key,
        lang,
        code=result.collection,
        to=f"{result.destination_name}（{result.destination_code}）",
        count=len(result.sent),
    )
    if result.following:
        text += " " + t("rot.following", lang, items="、".join(result.following))
    for problem in result.held_back:
        why = problem.why_zh if lang == "zh" else problem.why_en
        text += " " + t("rot.held_back", lang, barcode=problem.barcode, why=why)
    return text


@router.get("/rotation", name="staff_rotation")
def rotation_page(
    request: Request,
    actor: StaffActor,
    status: Annotated[str | None, Query(max_length=20)] = None,
    point: Annotated[str | None, Query(max_length=32)] = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    day: Annotated[date | None, Query(alias="date")] = None,
) -> Response:
    require_staff(request, actor, CIRCULATION_READ)
    wanted_status = _choice(CollectionStatus, status)
    wanted_kind = _choice(CollectionKind, kind)
    today = day if day is not None and 1900 < day.year < 9000 else network_today()
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        session = uow.session
        the_point = get_point_by_code(session, point) if point else None
        context = {
            "actor": actor,
            "active_nav": "rotation",
            "collections": list_collections(
                session, status=wanted_status, point=the_point, kind=wanted_kind
            ),
            "plans": list_plans(session),
            "due": due_collections(session, today=today),
            "due_date": today,
            "points": _lending_points(session),
            "statuses": list(CollectionStatus),
            "kinds": list(CollectionKind),
            "chosen": {
                "status": wanted_status.value if wanted_status else "",
                "point": the_point.code if the_point else "",
                "kind": wanted_kind.value if wanted_kind else "",
            },
            "may_manage": may(actor, ROTATION_MANAGE),
        }
    return render_with_flash(request, "staff/rotation.html", context)


@router.post("/rotation/collections", name="staff_rotation_create")
def create(
    request: Request,
    actor: StaffActor,
    code: Annotated[str, Form(max_length=32)] = "",
    name: Annotated[str, Form(max_length=100)] = "",
    home: Annotated[str, Form(max_length=32)] = "",
    kind: Annotated[str, Form(max_length=20)] = CollectionKind.ROTATING.value,
    plan: Annotated[str, Form(max_length=32)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            place = place_of(uow.session, home)
        except WenjinError as error:
            return redirect_with_message(ROTATION_PAGE, "error", error.message(lang))
        require_staff(request, actor, ROTATION_MANAGE, at=place)
        try:
            created = create_collection(
                uow.session,
                code=code,
                name=name,
                home=home,
                kind=_choice(CollectionKind, kind) or CollectionKind.ROTATING,
                plan=plan.strip() or None,
                note=note.strip() or None,
            )
            created_code = created.code
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(ROTATION_PAGE, "error", error.message(lang))
    return redirect_with_message(
        _collection_url(created_code), "ok", t("rot.created", lang, code=created_code)
    )


@router.get("/rotation/collections/{code}", name="staff_rotation_collection")
def collection_page(request: Request, actor: StaffActor, code: CollectionCode) -> Response:
    require_staff(request, actor, CIRCULATION_READ)
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        detail = collection_detail(uow.session, code)
        home = place_of(uow.session, detail.collection.home)
        context = {
            "actor": actor,
            "active_nav": "rotation",
            "detail": detail,
            "line": detail.collection,
            "points": _lending_points(uow.session),
            "may_manage": may(actor, ROTATION_MANAGE, home),
            "may_receive": may(actor, TRANSFERS_SEND),
        }
    return render_with_flash(request, "staff/rotation_collection.html", context)


@router.post("/rotation/collections/{code}/add", name="staff_rotation_add")
def add(
    request: Request,
    actor: StaffActor,
    code: CollectionCode,
    barcodes: Annotated[str, Form(max_length=40_000)] = "",
) -> Response:
    """加入图书: scanned items go in the collection at home (all or none)."""
    lang = get_lang(request)
    back = _collection_url(code)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        found = _managing(request, uow.session, actor, code)
        try:
            result = add_items(uow.session, collection=found, barcodes=_barcodes(barcodes))
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
    text = t("rot.added", lang, count=len(result.changed), code=result.collection)
    if result.unchanged:
        text += " " + t("rot.already_in", lang, items="、".join(result.unchanged))
    return redirect_with_message(back, "ok", text)


@router.post("/rotation/collections/{code}/remove", name="staff_rotation_remove")
def remove(
    request: Request,
    actor: StaffActor,
    code: CollectionCode,
    barcodes: Annotated[str, Form(max_length=40_000)] = "",
) -> Response:
    """移出图书: items leave the collection; those at a station go home in transit."""
    lang = get_lang(request)
    back = _collection_url(code)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        found = _managing(request, uow.session, actor, code)
        try:
            result = remove_items(
                uow.session, collection=found, barcodes=_barcodes(barcodes), actor=actor.username
            )
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
    text = t("rot.removed", lang, count=len(result.changed), code=result.collection)
    if result.sent_home:
        text += " " + t("rot.sent_home", lang, items="、".join(result.sent_home))
    if result.unchanged:
        text += " " + t("rot.not_in", lang, items="、".join(result.unchanged))
    return redirect_with_message(back, "ok", text)


@router.post("/rotation/collections/{code}/send", name="staff_rotation_send")
def send(
    request: Request,
    actor: StaffActor,
    code: CollectionCode,
    to: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """发出书箱: to ``to``, or (empty) to the next station of its plan."""
    lang = get_lang(request)
    back = _collection_url(code)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        found = _managing(request, uow.session, actor, code)
        try:
            result = send_collection(
                uow.session, collection=found, to=to.strip() or None, actor=actor.username
            )
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
    return redirect_with_message(back, "ok", _moved(result, "rot.sent", lang))


@router.post("/rotation/collections/{code}/receive", name="staff_rotation_receive")
def receive(
    request: Request,
    actor: StaffActor,
    code: CollectionCode,
    at: Annotated[str, Form(max_length=32)],
    barcodes: Annotated[str, Form(max_length=40_000)] = "",
) -> Response:
    """接收书箱: all of it (or the scanned items) where it arrived; lendable there."""
    lang = get_lang(request)
    back = _collection_url(code)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            place = place_of(uow.session, at)
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        require_staff(request, actor, TRANSFERS_SEND, at=place)
        try:
            result = receive_collection(
                uow.session,
                collection=code,
                at=at,
                barcodes=_barcodes(barcodes) or None,
                actor=actor.username,
            )
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
    text = t(
        "rot.received",
        lang,
        code=result.collection,
        at=result.point_code,
        count=len(result.received),
        status=result.status.label_zh if lang == "zh" else result.status.label_en,
    )
    if result.still_in_transit:
        text += " " + t("rot.still_in_transit", lang, items="、".join(result.still_in_transit))
    return redirect_with_message(back, "ok", text)


@router.post("/rotation/collections/{code}/recall", name="staff_rotation_recall")
def recall(
    request: Request,
    actor: StaffActor,
    code: CollectionCode,
    where: Annotated[str, Form(max_length=8)] = "home",
    to: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """召回书箱: home (``where=home``), on to the plan's next station (``next``) or to ``to``."""
    lang = get_lang(request)
    back = _collection_url(code)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        found = _managing(request, uow.session, actor, code)
        try:
            result = recall_collection(
                uow.session,
                collection=found,
                to_next=where == "next",
                to=(to.strip() or None) if where == "to" else None,
                actor=actor.username,
            )
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
    return redirect_with_message(back, "ok", _moved(result, "rot.recalled", lang))


@router.post("/rotation/plans", name="staff_rotation_plan_create")
def create_rotation_plan(
    request: Request,
    actor: StaffActor,
    code: Annotated[str, Form(max_length=32)] = "",
    name: Annotated[str, Form(max_length=100)] = "",
    stations: Annotated[str, Form(max_length=7000)] = "",
    stay_days: Annotated[str, Form(max_length=8)] = "90",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """新建轮换计划: the stations in order (codes by commas or one a line) and the stay."""
    lang = get_lang(request)
    codes = _barcodes(stations)[:200]
    raw = stay_days.strip()
    if not raw.isdigit() or not 1 <= int(raw) <= 3650:
        return redirect_with_message(ROTATION_PAGE, "error", t("rot.bad_stay", lang, value=raw))
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            places = [place_of(uow.session, station) for station in codes]
        except WenjinError as error:
            return redirect_with_message(ROTATION_PAGE, "error", error.message(lang))
        for place in places:
            require_staff(request, actor, ROTATION_MANAGE, at=place)
        try:
            plan = create_plan(
                uow.session,
                code=code,
                name=name,
                stations=codes,
                stay_days=int(raw),
                note=note.strip() or None,
            )
            plan_code = plan.code
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(ROTATION_PAGE, "error", error.message(lang))
    return redirect_with_message(
        f"{ROTATION_PAGE}/plans/{quote(plan_code, safe='')}",
        "ok",
        t("rot.plan_created", lang, code=plan_code),
    )


@router.get("/rotation/plans/{code}", name="staff_rotation_plan")
def plan_page(request: Request, actor: StaffActor, code: CollectionCode) -> Response:
    require_staff(request, actor, CIRCULATION_READ)
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        detail = plan_detail(uow.session, code)
        due = due_collections(uow.session, today=network_today(), plan=detail.code)
    return render_with_flash(
        request,
        "staff/rotation_plan.html",
        {"actor": actor, "active_nav": "rotation", "plan": detail, "due": due},
    )
