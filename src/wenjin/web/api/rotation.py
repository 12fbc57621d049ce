"""``/api/v1/rotation``: rotating collections (流动书箱) and their plans, over the same services
and queries as ``wenjin rotation``. A collection is managed where it is at home; it is
received at the desk of the point it arrives at."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.encoders import jsonable_encoder
from sqlalchemy.orm import Session

from wenjin.accounts.queries import place_of, place_of_point
from wenjin.accounts.rules import CIRCULATION_READ, ROTATION_MANAGE, TRANSFERS_SEND, Actor
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
from wenjin.web.api.deps import ActorDep, PageDep, ReadSession, WriteUoW, require
from wenjin.web.api.schemas import (
    CollectionCreate,
    CollectionItems,
    CollectionRecall,
    CollectionReceive,
    CollectionSend,
    PlanCreate,
)

router = APIRouter(prefix="/rotation", tags=["rotation 流动书箱"])

CollectionCode = Annotated[str, Path(min_length=1, max_length=32, description="书箱代码")]
PlanCode = Annotated[str, Path(min_length=1, max_length=32, description="计划代码")]


def _managing(session: Session, actor: Actor, code: str) -> str:
    """The collection's code, once the actor may manage collections at its home point."""
    collection = collection_for_update(session, code)
    home = session.get_one(ServicePoint, collection.home_point_id)
    require(actor, ROTATION_MANAGE, at=place_of_point(session, home))
    return collection.code


def _page(lines: list[Any], page: Any) -> dict[str, Any]:
    return {
        "items": jsonable_encoder(lines[page.offset : page.offset + page.per_page]),
        "page": page.page,
        "per_page": page.per_page,
        "total": len(lines),
    }


@router.get("/collections", summary="书箱列表 Rotating collections and where they are")
def collections(
    actor: ActorDep,
    session: ReadSession,
    page: PageDep,
    status: CollectionStatus | None = None,
    point: Annotated[
        str | None, Query(min_length=1, max_length=32, description="at home or stationed here")
    ] = None,
    kind: CollectionKind | None = None,
) -> dict[str, Any]:
    require(actor, CIRCULATION_READ)
    the_point = get_point_by_code(session, point) if point else None
    lines = list_collections(session, status=status, point=the_point, kind=kind)
    return _page(lines, page)


@router.post("/collections", status_code=201, summary="新建书箱 Create an empty collection")
def create(actor: ActorDep, body: CollectionCreate, uow: WriteUoW) -> dict[str, Any]:
    require(actor, ROTATION_MANAGE, at=place_of(uow.session, body.home))
    created = create_collection(
        uow.session,
        code=body.code,
        name=body.name,
        home=body.home,
        kind=body.kind,
        plan=body.plan,
        note=body.note,
    )
    uow.session.flush()
    result = jsonable_encoder(collection_detail(uow.session, created.code))
    uow.commit()
    return result  # type: ignore[no-any-return]


@router.get("/collections/{code}", summary="书箱详情 One collection: its items and stays")
def show(actor: ActorDep, session: ReadSession, code: CollectionCode) -> dict[str, Any]:
    require(actor, CIRCULATION_READ)
    return jsonable_encoder(collection_detail(session, code))  # type: ignore[no-any-return]


@router.post("/collections/{code}/add", summary="加入图书 Put items in a collection at home")
def add(actor: ActorDep, code: CollectionCode, body: CollectionItems, uow: WriteUoW) -> Any:
    found = _managing(uow.session, actor, code)
    result = add_items(uow.session, collection=found, barcodes=body.items)
    uow.commit()
    return {
        "collection": result.collection,
        "added": result.changed,
        "already_in": result.unchanged,
    }


@router.post("/collections/{code}/remove", summary="移出图书 Take items out of a collection")
def remove(actor: ActorDep, code: CollectionCode, body: CollectionItems, uow: WriteUoW) -> Any:
    found = _managing(uow.session, actor, code)
    result = remove_items(uow.session, collection=found, barcodes=body.items, actor=actor.username)
    uow.commit()
    return {
        "collection": result.collection,
        "removed": result.changed,
        "not_in": result.unchanged,
        "sent_home": result.sent_home,
    }


def move_json(result: MoveResult) -> dict[str, Any]:
    return {
        "collection": result.collection,
        "destination": result.destination_code,
        "destination_name": result.destination_name,
        "sent": result.sent,
        "following": result.following,
        "held_back": [
            {"item": p.barcode, "title": p.title, "why": p.why_zh, "why_en": p.why_en}
            for p in result.held_back
        ],
    }


@router.post("/collections/{code}/send", summary="发出书箱 Send a collection to a station")
def send(
    actor: ActorDep, code: CollectionCode, uow: WriteUoW, body: CollectionSend | None = None
) -> dict[str, Any]:
    found = _managing(uow.session, actor, code)
    to = body.to if body else None
    result = send_collection(uow.session, collection=found, to=to, actor=actor.username)
    uow.commit()
    return move_json(result)


@router.post(
    "/collections/{code}/receive",
    summary="接收书箱 Receive a collection (all of it, or the items given) where it arrived",
)
def receive(
    actor: ActorDep, code: CollectionCode, body: CollectionReceive, uow: WriteUoW
) -> dict[str, Any]:
    require(actor, TRANSFERS_SEND, at=place_of(uow.session, body.at))
    result = receive_collection(
        uow.session, collection=code, at=body.at, barcodes=body.items, actor=actor.username
    )
    uow.commit()
    return {
        "collection": result.collection,
        "point": result.point_code,
        "status": result.status,
        "received": [r.barcode for r in result.received],
        "still_in_transit": result.still_in_transit,
    }


@router.post(
    "/collections/{code}/recall",
    summary="召回书箱 Recall a collection: home, or on to the next station",
)
def recall(
    actor: ActorDep, code: CollectionCode, uow: WriteUoW, body: CollectionRecall | None = None
) -> dict[str, Any]:
    found = _managing(uow.session, actor, code)
    how = body or CollectionRecall()
    result = recall_collection(
        uow.session, collection=found, to_next=how.next, to=how.to, actor=actor.username
    )
    uow.commit()
    return move_json(result)


@router.get("/plans", summary="轮换计划列表 Every rotation plan")
def plans(actor: ActorDep, session: ReadSession, page: PageDep) -> dict[str, Any]:
    require(actor, CIRCULATION_READ)
    return _page(list_plans(session), page)


@router.post("/plans", status_code=201, summary="新建轮换计划 A cycle of stations")
def create_rotation_plan(actor: ActorDep, body: PlanCreate, uow: WriteUoW) -> dict[str, Any]:
    for station in body.stations:
        require(actor, ROTATION_MANAGE, at=place_of(uow.session, station))
    plan = create_plan(
        uow.session,
        code=body.code,
        name=body.name,
        stations=body.stations,
        stay_days=body.stay_days,
        note=body.note,
    )
    uow.session.flush()
    result = jsonable_encoder(plan_detail(uow.session, plan.code))
    uow.commit()
    return result  # type: ignore[no-any-return]


@router.get("/plans/{code}", summary="轮换计划 A plan's stations and its collections")
def show_plan(actor: ActorDep, session: ReadSession, code: PlanCode) -> dict[str, Any]:
    require(actor, CIRCULATION_READ)
    return jsonable_encoder(plan_detail(session, code))  # type: ignore[no-any-return]


@router.get("/due", summary="到期书箱 Collections whose stay is over, and where they go next")
def due(
    actor: ActorDep,
    session: ReadSession,
    day: Annotated[date | None, Query(alias="date", description="default today")] = None,
    plan: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
) -> dict[str, Any]:
    require(actor, CIRCULATION_READ)
    today = day or network_today()
    return {
        "date": today,
        "due": jsonable_encoder(due_collections(session, today=today, plan=plan)),
    }
