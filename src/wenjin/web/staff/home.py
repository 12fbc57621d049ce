"""The staff client's start page: what this account may do, by area."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from wenjin.web.staff.auth import StaffActor
from wenjin.web.templating import render

router = APIRouter()


@router.get("/", name="staff_home")
def staff_home(request: Request, actor: StaffActor) -> Response:
    return render(request, "staff/home.html", {"actor": actor, "active_nav": "home"})
