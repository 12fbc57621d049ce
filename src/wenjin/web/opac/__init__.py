"""The public pages (OPAC): home, the network of service points, catalogue records."""

from fastapi import APIRouter, Depends

from wenjin.web.opac import account, home, network, records, search
from wenjin.web.sessions import verify_csrf

router = APIRouter(dependencies=[Depends(verify_csrf)])
router.include_router(account.router)
router.include_router(home.router)
router.include_router(search.router)
router.include_router(network.router)
router.include_router(records.router)

__all__ = ["router"]
