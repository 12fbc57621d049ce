"""Interface strings of one area each, merged into :data:`wenjin.web.i18n.TRANSLATIONS`.

A module here holds one dict, ``MESSAGES``, of ``key: (Simplified Chinese, English)``
and imports nothing, so any page module may use ``t()`` without an import cycle. A
key defined twice is a bug: :func:`merged` refuses it.
"""

from __future__ import annotations

from importlib import import_module
from pkgutil import iter_modules


def merged(base: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """``base`` with the ``MESSAGES`` of every module of this package added."""
    result = dict(base)
    for found in sorted(iter_modules(__path__), key=lambda m: m.name):
        messages: dict[str, tuple[str, str]] = import_module(f"{__name__}.{found.name}").MESSAGES
        clash = result.keys() & messages.keys()
        if clash:
            raise RuntimeError(f"interface strings defined twice: {sorted(clash)}")
        result.update(messages)
    return result
