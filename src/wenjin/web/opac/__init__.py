"""The public pages (OPAC): home, the network of service points, catalogue records."""

from fastapi import APIRouter

from wenjin.web.opac import home, network, records, search

router = APIRouter()
router.include_router(home.router)
router.include_router(search.router)
router.include_router(network.router)
router.include_router(records.router)

__all__ = ["router"]
