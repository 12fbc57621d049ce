"""Search: one index over the catalogue that understands Chinese.

Importing the package registers the hook that keeps the index's documents in step
with records saved through the ORM (see :mod:`wenjin.search.documents`).
"""

from wenjin.search import documents as _documents  # noqa: F401  (registers the ORM hook)
