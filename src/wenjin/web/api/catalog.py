"""``/api/v1/catalog/import``: a MARC file imported as ``wenjin catalog import`` does,
with the counts and the rejects report in the answer.

The upload is streamed to ``<data_dir>/api-imports/<token>/`` and removed once the
records are in the catalogue; the rejects report comes back in the body (its first
:data:`MAX_REJECTS` lines, and how many more there were).
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile

from wenjin.accounts.queries import place_of
from wenjin.accounts.rules import CATALOG_WRITE
from wenjin.catalog.importing import read_rejects_report, run_import
from wenjin.catalog.marc.charsets import normalise_encoding_name
from wenjin.catalog.states import MarcFlavour
from wenjin.db.uow import UnitOfWork
from wenjin.web.api.deps import ActorDep, require
from wenjin.web.api.errors import ApiError
from wenjin.web.deps import get_engine, get_settings

router = APIRouter(tags=["catalog 编目"])

MAX_REJECTS = 1000
UPLOAD_CHUNK = 1024 * 1024


class BadImportOption(ApiError):
    status_code = 422
    code = "import_option_invalid"


@router.post(
    "/catalog/import", summary="导入 MARC 文件 Import a MARC file (ISO 2709, MARCXML, JSON)"
)
def import_file(
    request: Request,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="MARC 文件 the file")],
    source: Annotated[str | None, Form(min_length=1, max_length=64)] = None,
    encoding: Annotated[str | None, Form(min_length=1, max_length=32)] = None,
    flavour: Annotated[MarcFlavour | None, Form()] = None,
    items_at: Annotated[
        str | None, Form(min_length=1, max_length=32, description="馆藏地 point of the copies")
    ] = None,
) -> dict[str, Any]:
    engine = get_engine(request)
    place = None
    if items_at is not None:
        with UnitOfWork(engine, readonly=True) as uow:
            place = place_of(uow.session, items_at)
    require(actor, CATALOG_WRITE, at=place)
    if encoding is not None:
        try:
            normalise_encoding_name(encoding)
        except LookupError:
            raise BadImportOption(
                f"不认识的字符编码 {encoding!r}", f"unknown encoding {encoding!r}"
            ) from None
    folder = get_settings(request).data_dir / "api-imports" / secrets.token_hex(16)
    folder.mkdir(parents=True)
    try:
        path = folder / "upload.mrc"
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out, UPLOAD_CHUNK)
        summary = run_import(
            engine,
            path,
            source=source,
            encoding=encoding,
            flavour=flavour,
            items_at=items_at,
            rejects_path=folder / "rejects.txt",
            parallel=False,
            actor=actor.username,
        )
        rejects, more = read_rejects_report(summary.rejects_path, MAX_REJECTS)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "file": file.filename,
        "format": summary.format,
        "records": summary.records,
        "imported": summary.imported,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
        "items_created": summary.items_created,
        "items_updated": summary.items_updated,
        "import_id": summary.import_id,
        "seconds": round(summary.seconds, 3),
        "rejects": [asdict(row) for row in rejects],
        "more_rejects": more,
    }
