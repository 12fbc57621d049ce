"""MARC21 or CNMARC/UNIMARC: told apart per record by the tags it uses.

MARC21 puts the title in 245 and fixed-length data in 008. CNMARC (and UNIMARC,
which has the same field layout) puts the title in 200 and the general processing
data, a fixed-length string that starts with the 8-digit date the record was
entered, in 100 $a. 200 is undefined in MARC21 and 245 in UNIMARC, so the title
field decides; when a record has neither, 008 or a UNIMARC-shaped 100 does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from wenjin.catalog.states import MarcFlavour

# 100 $a of UNIMARC: date entered (8 digits, or blanks/# when unknown), then the
# type of publication date (a letter) at position 8.
_UNIMARC_GENERAL_DATA = re.compile(r"^[0-9#| ]{8}[a-kux|]")


def looks_like_unimarc_general_data(value: str | None) -> bool:
    return bool(value) and len(value or "") >= 26 and bool(_UNIMARC_GENERAL_DATA.match(value or ""))


def detect_flavour(
    tags: Collection[str],
    general_data: Callable[[], str | None],
    *,
    hint: MarcFlavour | None = None,
) -> MarcFlavour:
    """The flavour of a record from its tags; ``general_data`` gives its 100 $a if needed.

    ``hint`` (a MARCXML namespace, say) breaks a tie when the tags say nothing.
    """
    if "245" in tags:
        return MarcFlavour.MARC21
    if "200" in tags:
        return MarcFlavour.CNMARC
    if "100" in tags and looks_like_unimarc_general_data(general_data()):
        return MarcFlavour.CNMARC
    if "008" in tags:
        return MarcFlavour.MARC21
    return hint or MarcFlavour.MARC21
