"""Registering readers in bulk from the staff client (批量办证): a school's class list
as CSV (UTF-8 or GB18030) or XLSX, imported as ``wenjin patron import`` does
(:func:`wenjin.patrons.importing.import_patrons`): good rows are registered or updated,
each bad row is listed with its reason, nothing else is lost. A file may name any home
point, so importing needs ``patrons.write`` over the whole network, as the API does."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from wenjin.accounts.rules import PATRONS_WRITE, WHOLE_NETWORK
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.patrons.importing import COLUMNS, ImportResult, import_patrons
from wenjin.patrons.services import ensure_default_categories
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff
from wenjin.web.templating import render

router = APIRouter()

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TEMPLATE_HEADERS = [aliases[0] for aliases in COLUMNS.values()]
TEMPLATE_EXAMPLE = [
    "ZC00150001",
    "张明轩",
    "CHILD",
    "ZC-XZ",
    "",
    "13805361234",
    "",
    "",
    "相州镇中心小学四年级(2)班",
]


def _page(
    request: Request,
    actor: object,
    *,
    result: ImportResult | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "staff/reader_import.html",
        {
            "actor": actor,
            "active_nav": "readers",
            "result": result,
            "problem": problem,
            "headers": TEMPLATE_HEADERS,
        },
        status_code=status_code,
    )


@router.get("/readers/import", name="staff_reader_import")
def import_page(request: Request, actor: StaffActor) -> Response:
    require_staff(request, actor, PATRONS_WRITE, at=WHOLE_NETWORK)
    return _page(request, actor)


@router.get("/readers/import/template.csv", name="staff_reader_import_template")
def template(request: Request, actor: StaffActor) -> Response:
    """A CSV with the header row the importer reads and one example row (UTF-8 with a BOM,
    so that Excel opens the Chinese headers right)."""
    require_staff(request, actor, PATRONS_WRITE, at=WHOLE_NETWORK)
    text = ",".join(TEMPLATE_HEADERS) + "\r\n" + ",".join(TEMPLATE_EXAMPLE) + "\r\n"
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="readers-template.csv"'},
    )


@router.post("/readers/import", name="staff_reader_import_run")
async def run_import(request: Request, actor: StaffActor) -> Response:
    require_staff(request, actor, PATRONS_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    async with request.form() as form:  # closes the uploaded file's spool
        upload = form.get("file")
        waiver = str(form.get("waive_deposit_reason") or "").strip()[:200] or None
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _page(request, actor, problem=t("pimport.no_file", lang), status_code=400)
        suffix = Path(upload.filename).suffix.lower()
        if suffix not in (".csv", ".txt", ".xlsx"):
            return _page(request, actor, problem=t("pimport.bad_type", lang), status_code=400)
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return _page(request, actor, problem=t("pimport.too_big", lang), status_code=400)
    engine = get_engine(request)
    with tempfile.TemporaryDirectory(prefix="wenjin-readers-") as folder:
        path = Path(folder) / f"readers{suffix}"
        path.write_bytes(data)
        try:
            with UnitOfWork(engine, actor=actor.username) as uow:
                ensure_default_categories(uow.session)
                uow.commit()
            result = import_patrons(
                path,
                unit_of_work=lambda: UnitOfWork(engine, actor=actor.username),
                waive_deposit_reason=waiver,
                by=actor.username,
            )
        except WenjinError as error:
            return _page(request, actor, problem=error.message(lang), status_code=400)
    return _page(request, actor, result=result)
