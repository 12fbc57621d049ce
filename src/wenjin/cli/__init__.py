"""The ``wenjin`` command: a thin adapter over the domain services."""
