"""The service network in the staff client (服务网络): every point in tree order and a
form to change one point's names, kind, address, phone, lending and pickup flags and
whether it is active, through the same services as ``wenjin network``. Changing a
point needs ``network.write`` over the whole network (a network-wide account)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from starlette.responses import Response

from wenjin.accounts.rules import NETWORK_WRITE, WHOLE_NETWORK, may
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.queries import flatten_tree, get_point_by_code, network_tree, point_summary
from wenjin.network.services import deactivate_point, reactivate_point, update_point
from wenjin.network.states import PointKind
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()

PointCode = Annotated[str, Path(min_length=1, max_length=32)]


@router.get("/network", name="staff_network")
def network_page(request: Request, actor: StaffActor) -> Response:
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        rows = flatten_tree(network_tree(uow.session, active_only=False))
    return render_with_flash(
        request,
        "staff/network.html",
        {
            "actor": actor,
            "active_nav": "network",
            "rows": rows,
            "may_write": may(actor, NETWORK_WRITE, WHOLE_NETWORK),
        },
    )


@router.get("/network/points/{code}", name="staff_network_point")
def point_page(request: Request, actor: StaffActor, code: PointCode) -> Response:
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        point = get_point_by_code(uow.session, code)
        parent = point.parent.code if point.parent is not None else None
        summary = point_summary(point, parent)
    return render_with_flash(
        request,
        "staff/network_point.html",
        {"actor": actor, "active_nav": "network", "point": summary, "kinds": list(PointKind)},
    )


@router.post("/network/points/{code}", name="staff_network_point_save")
def save_point(
    request: Request,
    actor: StaffActor,
    code: PointCode,
    name: Annotated[str, Form(max_length=200)] = "",
    name_en: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    address: Annotated[str, Form(max_length=500)] = "",
    phone: Annotated[str, Form(max_length=64)] = "",
    lends: Annotated[str, Form(max_length=8)] = "",
    pickup: Annotated[str, Form(max_length=8)] = "",
    active: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    page = request.app.url_path_for("staff_network_point", code=code)
    with UnitOfWork(get_engine(request)) as uow:
        try:
            point = get_point_by_code(uow.session, code)
            update_point(
                uow.session,
                point=point,
                name=name,
                name_en=name_en.strip() or None,
                kind=kind or point.kind,
                address=address.strip() or None,
                phone=phone.strip() or None,
                lends=lends == "on",
                pickup=pickup == "on",
            )
            wanted_active = active == "on"
            if wanted_active and not point.active:
                reactivate_point(uow.session, point=point)
            elif not wanted_active and point.active:
                deactivate_point(uow.session, point=point)
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(page, "error", error.message(lang))
    return redirect_with_message(page, "ok", t("netadmin.saved", lang, code=code))
