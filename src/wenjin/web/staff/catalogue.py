"""Importing MARC files from the staff client (编目 · 导入): the same import as
``wenjin catalog import`` (:func:`wenjin.catalog.importing.run_import`), with its
options, the counts of each file and the rejects report on the page and to download.

Uploads are streamed to a directory under ``<data_dir>/staff-imports/<token>/``
(never held in memory); the rejects reports stay there to be downloaded by the
token, which only the page that ran the import knows. Needs ``catalog.write``
(and, with "items at", the right to catalogue at that point).
"""

from __future__ import annotations

import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from wenjin.accounts.queries import place_of
from wenjin.accounts.rules import CATALOG_WRITE, Actor
from wenjin.catalog.errors import ImportFileUnreadable
from wenjin.catalog.importing import (
    ImportSummary,
    RejectRow,
    read_rejects_report,
    run_import,
)
from wenjin.catalog.marc.charsets import normalise_encoding_name
from wenjin.catalog.states import MarcFlavour
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.models import ServicePoint
from wenjin.web.deps import get_engine, get_lang, get_settings
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff
from wenjin.web.templating import render

router = APIRouter()

UPLOAD_CHUNK = 1024 * 1024
REJECT_ROWS_SHOWN = 500
IMPORT_OPTIONS = ("encoding", "flavour", "items_at", "source")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_UNSAFE = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class FileOutcome:
    """One uploaded file: its summary, or why it could not be read at all."""

    name: str
    index: int
    summary: ImportSummary | None
    error: str | None
    rejects: list[RejectRow]
    more_rejects: int


def _imports_dir(request: Request) -> Path:
    return get_settings(request).data_dir / "staff-imports"


def _safe_name(filename: str | None, index: int) -> str:
    base = Path(filename or "").name
    cleaned = _UNSAFE.sub("_", base).strip("._")[:120]
    return cleaned or f"upload-{index}.mrc"


def _save_upload(upload: UploadFile, target: Path) -> None:
    """Copy the upload to ``target`` a megabyte at a time."""
    with target.open("wb") as out:
        shutil.copyfileobj(upload.file, out, UPLOAD_CHUNK)


def _lending_points(request: Request) -> list[tuple[str, str]]:
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        return [
            (p.code, p.name)
            for p in uow.session.scalars(
                select(ServicePoint)
                .where(ServicePoint.active.is_(True))
                .order_by(ServicePoint.sort_order, ServicePoint.code)
            )
        ]


def _page(
    request: Request,
    actor: StaffActor,
    *,
    outcomes: list[FileOutcome] | None = None,
    token: str | None = None,
    problem: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "staff/catalogue_import.html",
        {
            "actor": actor,
            "active_nav": "catalogue",
            "points": _lending_points(request),
            "flavours": [f.value for f in MarcFlavour],
            "outcomes": outcomes,
            "token": token,
            "problem": problem,
            "form": {**dict.fromkeys(IMPORT_OPTIONS, ""), **(form or {})},
        },
        status_code=status_code,
    )


@router.get("/catalogue/import", name="staff_catalogue_import")
def import_page(request: Request, actor: StaffActor) -> Response:
    require_staff(request, actor, CATALOG_WRITE)
    return _page(request, actor)


@router.post("/catalogue/import", name="staff_catalogue_import_run")
async def run_import_page(request: Request, actor: StaffActor) -> Response:
    lang = get_lang(request)
    form = await request.form()
    try:
        require_staff(request, actor, CATALOG_WRITE)
        return _run(request, actor, form, lang)
    finally:
        await form.close()  # the spooled uploads, also when refused early


def _run(request: Request, actor: Actor, form: FormData, lang: str) -> Response:
    options = {name: str(form.get(name) or "").strip()[:64] for name in IMPORT_OPTIONS}
    uploads = [
        u for u in form.getlist("files") if isinstance(u, UploadFile) and (u.filename or u.size)
    ]
    if not uploads:
        return _page(
            request, actor, problem=t("cat.import.no_files", lang), form=options, status_code=400
        )
    if options["encoding"]:
        try:
            normalise_encoding_name(options["encoding"])
        except LookupError:
            return _page(
                request,
                actor,
                problem=t("cat.import.bad_encoding", lang, encoding=options["encoding"]),
                form=options,
                status_code=400,
            )
    flavour: MarcFlavour | None = None
    if options["flavour"]:
        try:
            flavour = MarcFlavour(options["flavour"].lower())
        except ValueError:
            return _page(
                request,
                actor,
                problem=t("cat.import.bad_flavour", lang, flavour=options["flavour"]),
                form=options,
                status_code=400,
            )
    if options["items_at"]:
        try:
            with UnitOfWork(get_engine(request), readonly=True) as uow:
                place = place_of(uow.session, options["items_at"])
        except WenjinError as error:
            return _page(request, actor, problem=error.message(lang), form=options, status_code=400)
        require_staff(request, actor, CATALOG_WRITE, at=place)

    token = secrets.token_hex(16)
    folder = _imports_dir(request) / token
    folder.mkdir(parents=True, exist_ok=True)
    outcomes: list[FileOutcome] = []
    for index, upload in enumerate(uploads):
        name = _safe_name(upload.filename, index)
        file_dir = folder / str(index)
        file_dir.mkdir()
        path = file_dir / name
        _save_upload(upload, path)
        try:
            summary = run_import(
                get_engine(request),
                path,
                source=options["source"] or None,
                encoding=options["encoding"] or None,
                flavour=flavour,
                items_at=options["items_at"] or None,
                rejects_path=file_dir / "rejects.txt",
                parallel=False,
                actor=actor.username,
            )
        except ImportFileUnreadable as error:
            message = error.message(lang).replace(str(path), name)
            outcomes.append(FileOutcome(name, index, None, message, [], 0))
            path.unlink(missing_ok=True)
            continue
        except WenjinError as error:
            path.unlink(missing_ok=True)
            return _page(request, actor, problem=error.message(lang), form=options, status_code=400)
        # The uploaded file itself is not kept: the records are in the catalogue now.
        path.unlink(missing_ok=True)
        rows, more = read_rejects_report(summary.rejects_path, REJECT_ROWS_SHOWN)
        outcomes.append(FileOutcome(name, index, summary, None, rows, more))
    return _page(request, actor, outcomes=outcomes, token=token, form=options)


@router.get("/catalogue/import/{token}/{index}/rejects.txt", name="staff_catalogue_rejects")
def download_rejects(
    request: Request,
    actor: StaffActor,
    token: Annotated[str, PathParam(max_length=32)],
    index: int,
) -> Response:
    require_staff(request, actor, CATALOG_WRITE)
    report = _imports_dir(request) / token / str(index) / "rejects.txt"
    if not _TOKEN.match(token) or index < 0 or not report.is_file():
        raise StarletteHTTPException(404, detail=t("cat.import.no_report", get_lang(request)))
    return FileResponse(
        report,
        media_type="text/plain; charset=utf-8",
        filename=f"rejects-{token[:8]}-{index}.txt",
    )
