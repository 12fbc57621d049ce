"""The staff client (馆员工作台): pages under ``/staff`` for a librarian at the desk.

Every page needs a signed-in member of staff (:mod:`wenjin.web.staff.auth`); every
form posts with a CSRF token (the router checks it) and every write goes through the
same domain services as the CLI and the REST API, with the same permissions.
"""

from fastapi import APIRouter, Depends

from wenjin.web.sessions import verify_csrf
from wenjin.web.staff import (
    auth,
    catalogue,
    desk,
    home,
    network,
    policy,
    readers,
    rotation,
    shelves,
)

router = APIRouter(prefix="/staff", dependencies=[Depends(verify_csrf)])
router.include_router(auth.router)
router.include_router(home.router)
router.include_router(desk.router)
router.include_router(readers.router)
router.include_router(shelves.router)
router.include_router(catalogue.router)
router.include_router(network.router)
router.include_router(policy.router)
router.include_router(rotation.router)

__all__ = ["router"]
