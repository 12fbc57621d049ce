"""The staff client (馆员工作台): pages under ``/staff`` for a librarian at the desk.

Every page needs a signed-in member of staff (:mod:`wenjin.web.staff.auth`); every
form posts with a CSRF token (the router checks it) and every write goes through the
same domain services as the CLI and the REST API, with the same permissions.
"""

from fastapi import APIRouter, Depends

from wenjin.web.sessions import verify_csrf
from wenjin.web.staff import (
    accounts_admin,
    auth,
    catalogue,
    desk,
    desk_holds,
    desk_items,
    fees_desk,
    home,
    kiosks,
    labels,
    logs,
    more,
    network,
    notices_page,
    policy,
    reader_account,
    reader_import,
    readers,
    records,
    rotation,
    shelves,
)

router = APIRouter(prefix="/staff", dependencies=[Depends(verify_csrf)])
router.include_router(auth.router)
router.include_router(home.router)
router.include_router(desk.router)
router.include_router(reader_import.router)
router.include_router(readers.router)
router.include_router(shelves.router)
router.include_router(catalogue.router)
router.include_router(records.router)
router.include_router(labels.router)
router.include_router(network.router)
router.include_router(policy.router)
router.include_router(desk_items.router)
router.include_router(desk_holds.router)
router.include_router(reader_account.router)
router.include_router(fees_desk.router)
router.include_router(notices_page.router)
router.include_router(accounts_admin.router)
router.include_router(more.router)
router.include_router(kiosks.router)
router.include_router(logs.router)
router.include_router(rotation.router)

__all__ = ["router"]
