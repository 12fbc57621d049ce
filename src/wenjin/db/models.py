"""Import every domain's tables so that the metadata (and Alembic) sees them all."""

from wenjin.accounts import models as account_models
from wenjin.catalog import models as catalog_models
from wenjin.circulation import models as circulation_models
from wenjin.fees import models as fee_models
from wenjin.network import models as network_models
from wenjin.patrons import models as patron_models
from wenjin.search import models as search_models

__all__ = [
    "account_models",
    "catalog_models",
    "circulation_models",
    "fee_models",
    "network_models",
    "patron_models",
    "search_models",
]
