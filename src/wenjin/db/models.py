"""Import every domain's tables so that the metadata (and Alembic) sees them all."""

from wenjin.accounts import models as account_models
from wenjin.audit import models as audit_models
from wenjin.catalog import models as catalog_models
from wenjin.circulation import models as circulation_models
from wenjin.fees import models as fee_models
from wenjin.holds import models as hold_models
from wenjin.network import models as network_models
from wenjin.notices import models as notice_models
from wenjin.patrons import models as patron_models
from wenjin.protocols.sip2 import models as sip2_models
from wenjin.rotation import models as rotation_models
from wenjin.search import models as search_models

__all__ = [
    "account_models",
    "audit_models",
    "catalog_models",
    "circulation_models",
    "fee_models",
    "hold_models",
    "network_models",
    "notice_models",
    "patron_models",
    "rotation_models",
    "search_models",
    "sip2_models",
]
