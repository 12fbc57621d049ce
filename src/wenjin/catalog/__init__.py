"""The catalogue: bibliographic records kept as full MARC, and the items (copies)."""
