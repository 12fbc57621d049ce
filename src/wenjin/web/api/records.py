"""``/api/v1/records``: one record with its MARC in the editor's text form, edited and
created with the same checks as the staff client's MARC editor; ``/api/v1/labels``:
spine labels (书标) with their Code128 barcodes.

Reading a record needs only a valid token (the catalogue is public); writing needs
``catalog.write``. An edit that does not read is refused with 422 and every problem
with its line in ``details``; a save over someone else's newer save with 409
``record_changed``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.accounts.queries import place_of_point
from wenjin.accounts.rules import CATALOG_WRITE
from wenjin.catalog.errors import InvalidMarc, RecordNotFound
from wenjin.catalog.marc.editor import editor_text
from wenjin.catalog.marc.record import MarcRecord
from wenjin.catalog.models import BibIsbn, BibRecord
from wenjin.catalog.queries import catalogue_copies
from wenjin.catalog.rules import marc_hash
from wenjin.catalog.services import RecordSaved, new_record, update_record
from wenjin.network.queries import get_point_by_code
from wenjin.web.api.deps import ActorDep, ReadSession, WriteUoW, require
from wenjin.web.api.errors import ApiError
from wenjin.web.api.schemas import MAX_INT, RecordCreate, RecordUpdate
from wenjin.web.deps import get_settings
from wenjin.web.spine_labels import barcodes_of, label_sheet

router = APIRouter(tags=["catalogue 编目"])

RecordId = Annotated[int, Path(ge=1, le=MAX_INT, description="书目内部编号 record id")]


class MarcRefused(ApiError):
    """An edited record with errors: 422, each problem with its line in ``details``."""

    status_code = 422
    code = "marc_invalid"


class LabelsRefused(ApiError):
    status_code = 422
    code = "invalid_request"


def _refused(error: InvalidMarc) -> MarcRefused:
    return MarcRefused(
        error.message_zh,
        error.message_en,
        {"problems": [p.as_dict() for p in error.problems]},
    )


def saved_json(saved: RecordSaved) -> dict[str, Any]:
    return {
        "record_id": saved.record_id,
        "marc_hash": saved.marc_hash,
        "changed": saved.changed,
        "warnings": [w.as_dict() for w in saved.warnings],
    }


def record_json(session: Session, bib: BibRecord) -> dict[str, Any]:
    isbns = session.scalars(
        select(BibIsbn).where(BibIsbn.bib_id == bib.id).order_by(BibIsbn.position, BibIsbn.id)
    )
    return {
        "id": bib.id,
        "flavour": bib.flavour.value,
        "source": bib.source,
        "control_number": bib.control_number,
        "title": bib.title,
        "title_parallel": bib.title_parallel,
        "responsibility": bib.responsibility,
        "authors": bib.authors,
        "isbn": bib.isbn,
        "isbns": [{"isbn": i.isbn, "valid": i.valid, "qualifier": i.qualifier} for i in isbns],
        "edition": bib.edition,
        "publisher": bib.publisher,
        "pub_place": bib.pub_place,
        "year": bib.year,
        "language": bib.language,
        "clc": bib.clc,
        "subjects": bib.subjects,
        "series": bib.series,
        "price_fen": bib.price_fen,
        "marc_hash": marc_hash(bib.marc),
        "marc": editor_text(MarcRecord.from_json(bib.marc)),
        "marc_json": MarcRecord.from_json(bib.marc).as_dict(),
        "items": jsonable_encoder(catalogue_copies(session, bib.id)),
    }


def _record(session: Session, record_id: int) -> BibRecord:
    bib = session.get(BibRecord, record_id)
    if bib is None:
        raise RecordNotFound(str(record_id))
    return bib


@router.get("/records/{record_id}", summary="书目记录 A record: its fields, MARC text and copies")
def get_record(actor: ActorDep, session: ReadSession, record_id: RecordId) -> dict[str, Any]:
    return record_json(session, _record(session, record_id))


@router.put(
    "/records/{record_id}",
    summary="修改书目 Save an edited record (the editor's text, checked line by line)",
)
def put_record(
    actor: ActorDep, record_id: RecordId, body: RecordUpdate, uow: WriteUoW
) -> dict[str, Any]:
    require(actor, CATALOG_WRITE)
    bib = _record(uow.session, record_id)
    try:
        saved = update_record(
            uow.session,
            record=bib,
            marc_text=body.marc,
            expected_hash=body.marc_hash,
            actor=actor.username,
        )
    except InvalidMarc as error:
        raise _refused(error) from error
    uow.commit()
    return saved_json(saved)


@router.post("/records", status_code=201, summary="新建书目 Create a record from the editor's text")
def post_record(actor: ActorDep, body: RecordCreate, uow: WriteUoW) -> dict[str, Any]:
    require(actor, CATALOG_WRITE)
    try:
        saved = new_record(
            uow.session,
            flavour=body.flavour,
            marc_text=body.marc,
            source=body.source,
            actor=actor.username,
        )
    except InvalidMarc as error:
        raise _refused(error) from error
    uow.commit()
    return saved_json(saved)


@router.get(
    "/labels",
    summary="书标 Spine labels: call number in two lines, point, Code128 barcode as SVG",
    response_model=None,
)
def labels(
    request: Request,
    actor: ActorDep,
    session: ReadSession,
    barcodes: Annotated[
        str, Query(max_length=40_000, description="册条码，逗号或换行分隔 barcodes")
    ] = "",
    point: Annotated[
        str | None,
        Query(min_length=1, max_length=32, description="加上该服务点今天新加的复本"),
    ] = None,
    format: Annotated[
        Literal["json", "svg"], Query(description="svg: the barcode image of one label")
    ] = "json",
) -> dict[str, Any] | Response:
    require(actor, CATALOG_WRITE)
    at = get_point_by_code(session, point) if point else None
    if at is not None:
        require(actor, CATALOG_WRITE, at=place_of_point(session, at))
    sheet, unknown = label_sheet(
        session, get_settings(request), barcodes=barcodes_of(barcodes), added_today_at=at
    )
    if format == "svg":
        if len(sheet) != 1 or sheet[0]["svg"] is None:
            raise LabelsRefused(
                f"SVG 格式只能给出一个可打印条码的书标（现有 {len(sheet)} 张）",
                f"format=svg gives the barcode of exactly one label ({len(sheet)} found)",
                {"unknown": unknown},
            )
        return Response(sheet[0]["svg"], media_type="image/svg+xml")
    return {"labels": sheet, "unknown": unknown}
