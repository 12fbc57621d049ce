"""The MARC record as the import pipeline holds it in memory: light, Unicode, fast.

pymarc's :class:`pymarc.Record` is the common currency at the edges (``save_records``
accepts one, :meth:`MarcRecord.to_pymarc` gives one back), but building a pymarc
field costs several microseconds, which over 100,000 records is most of an import.
The readers, the extractor and the writers work on these two small classes instead.

A record is stored as MARC-in-JSON (the shape of pymarc's ``as_dict()``):
``{"leader": "...", "fields": [{"001": "..."}, {"245": {"ind1": "1", "ind2": "0",
"subfields": [{"a": "..."}]}}]}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring as _quote  # type: ignore[attr-defined]
from typing import Any

import pymarc

LEADER_LENGTH = 24

# Subfield codes as JSON strings ("a" → '"a"'), encoded once rather than per subfield.
_QUOTED_CODES = {chr(c): _quote(chr(c)) for c in range(0x21, 0x7F)}


class MarcStructureError(ValueError):
    """A record whose shape is not MARC (no leader, a field that is neither kind …)."""


def is_control_tag(tag: str) -> bool:
    """Tags 001–009 hold a single value; every other tag has indicators and subfields."""
    return tag < "010" and tag.isdigit()


class Field:
    """One field: a control field has ``data``; a data field has indicators and subfields.

    ``subfields`` is a list of ``(code, value)`` pairs in record order; codes keep their
    case (CNMARC writes pinyin in upper-case codes such as ``$A``).
    """

    __slots__ = ("data", "ind1", "ind2", "subfields", "tag")

    def __init__(
        self,
        tag: str,
        ind1: str = " ",
        ind2: str = " ",
        subfields: list[tuple[str, str]] | None = None,
        data: str | None = None,
    ) -> None:
        self.tag = tag
        self.ind1 = ind1
        self.ind2 = ind2
        self.subfields: list[tuple[str, str]] = subfields if subfields is not None else []
        self.data = data

    @property
    def is_control(self) -> bool:
        return self.data is not None

    def get(self, code: str) -> str | None:
        """The first value of subfield ``code``, or None."""
        for c, value in self.subfields:
            if c == code:
                return value
        return None

    def values(self, *codes: str) -> list[str]:
        """Every value of the given subfield codes, in record order."""
        return [value for c, value in self.subfields if c in codes]

    def __reduce__(self) -> tuple[type[Field], tuple[object, ...]]:
        # Positional and plain: a large import pickles holdings fields to a worker.
        return (Field, (self.tag, self.ind1, self.ind2, self.subfields, self.data))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Field):
            return NotImplemented
        return (
            self.tag == other.tag
            and self.data == other.data
            and self.ind1 == other.ind1
            and self.ind2 == other.ind2
            and [tuple(s) for s in self.subfields] == [tuple(s) for s in other.subfields]
        )

    def __hash__(self) -> int:
        return hash((self.tag, self.data))

    def __repr__(self) -> str:
        if self.data is not None:
            return f"<Field {self.tag} {self.data!r}>"
        subs = "".join(f"${c}{v}" for c, v in self.subfields)
        return f"<Field {self.tag} {self.ind1}{self.ind2} {subs}>"


class MarcRecord:
    """A leader and its fields, with a by-tag index built on first use."""

    __slots__ = ("_index", "fields", "leader")

    def __init__(self, leader: str, fields: list[Field] | None = None) -> None:
        self.leader = leader
        self.fields: list[Field] = fields if fields is not None else []
        self._index: dict[str, list[Field]] | None = None

    # --- looking fields up ---

    def _by_tag(self) -> dict[str, list[Field]]:
        if self._index is None:
            index: dict[str, list[Field]] = {}
            for f in self.fields:
                bucket = index.get(f.tag)
                if bucket is None:
                    index[f.tag] = [f]
                else:
                    bucket.append(f)
            self._index = index
        return self._index

    def get_fields(self, *tags: str) -> list[Field]:
        """Fields with any of ``tags``, in record order."""
        index = self._by_tag()
        if len(tags) == 1:
            return index.get(tags[0], [])
        wanted = set(tags)
        return [f for f in self.fields if f.tag in wanted]

    def first(self, tag: str) -> Field | None:
        found = self._by_tag().get(tag)
        return found[0] if found else None

    def control(self, tag: str) -> str | None:
        """The data of the first control field ``tag`` (001, 003, 008 …)."""
        found = self.first(tag)
        return found.data if found is not None else None

    def __contains__(self, tag: object) -> bool:
        return tag in self._by_tag()

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    @property
    def tags(self) -> set[str]:
        return set(self._by_tag())

    # --- changing it ---

    def remove_tags(self, *tags: str) -> list[Field]:
        """Take every field with one of ``tags`` out of the record and return them."""
        wanted = set(tags)
        removed = [f for f in self.fields if f.tag in wanted]
        if removed:
            self.fields = [f for f in self.fields if f.tag not in wanted]
            self._index = None
        return removed

    def add_fields(self, fields: Iterable[Field]) -> None:
        self.fields.extend(fields)
        self._index = None

    def replace_fields(self, fields: list[Field]) -> None:
        self.fields = fields
        self._index = None

    def copy(self) -> MarcRecord:
        return MarcRecord(
            self.leader,
            [
                Field(f.tag, data=f.data)
                if f.data is not None
                else Field(f.tag, f.ind1, f.ind2, [(c, v) for c, v in f.subfields])
                for f in self.fields
            ],
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MarcRecord):
            return NotImplemented
        return self.leader == other.leader and self.fields == other.fields

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<MarcRecord {self.leader!r} {len(self.fields)} fields>"

    # --- MARC-in-JSON ---

    def field_json(self) -> list[str]:
        """Each field as MARC-in-JSON text, in record order (see :meth:`to_json`)."""
        # Written by hand rather than through json.dumps(as_dict()): building the
        # intermediate dicts costs more than the encoding itself, and this runs once
        # per imported record.
        q = _quote
        codes = _QUOTED_CODES
        out = []
        for f in self.fields:
            if f.data is not None:
                out.append(f"{{{q(f.tag)}:{q(f.data)}}}")
            else:
                subs = ",".join([f"{{{codes.get(c) or q(c)}:{q(v)}}}" for c, v in f.subfields])
                out.append(
                    f'{{{q(f.tag)}:{{"ind1":{q(f.ind1)},"ind2":{q(f.ind2)},"subfields":[{subs}]}}}}'
                )
        return out

    def to_json(self, field_json: list[str] | None = None) -> str:
        """The record as compact MARC-in-JSON text (what ``BibRecord.marc`` stores)."""
        parts = field_json if field_json is not None else self.field_json()
        return f'{{"leader":{_quote(self.leader)},"fields":[{",".join(parts)}]}}'

    def as_dict(self) -> dict[str, Any]:
        fields: list[dict[str, Any]] = []
        for f in self.fields:
            if f.data is not None:
                fields.append({f.tag: f.data})
            else:
                fields.append(
                    {
                        f.tag: {
                            "ind1": f.ind1,
                            "ind2": f.ind2,
                            "subfields": [{c: v} for c, v in f.subfields],
                        }
                    }
                )
        return {"leader": self.leader, "fields": fields}

    @classmethod
    def from_json(cls, text: str) -> MarcRecord:
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: object) -> MarcRecord:
        """A record from MARC-in-JSON; :class:`MarcStructureError` names what is wrong."""
        if not isinstance(data, dict):
            raise MarcStructureError("a MARC-in-JSON record must be an object")
        leader = data.get("leader")
        if not isinstance(leader, str):
            raise MarcStructureError('the record has no "leader" string')
        raw_fields = data.get("fields")
        if not isinstance(raw_fields, list):
            raise MarcStructureError('the record has no "fields" list')
        fields: list[Field] = []
        for number, entry in enumerate(raw_fields, start=1):
            if not isinstance(entry, dict) or len(entry) != 1:
                raise MarcStructureError(f"field {number} is not an object with one tag")
            ((tag, body),) = entry.items()
            if isinstance(body, str):
                fields.append(Field(str(tag), data=body))
                continue
            if not isinstance(body, dict) or not isinstance(body.get("subfields"), list):
                raise MarcStructureError(f"field {number} ({tag}) has no subfields list")
            subfields: list[tuple[str, str]] = []
            for sub in body["subfields"]:
                if not isinstance(sub, dict) or len(sub) != 1:
                    raise MarcStructureError(f"field {number} ({tag}) has a malformed subfield")
                ((code, value),) = sub.items()
                if not isinstance(value, str):
                    raise MarcStructureError(
                        f"field {number} ({tag}) subfield {code} is not a string"
                    )
                subfields.append((str(code), value))
            ind1 = body.get("ind1", " ")
            ind2 = body.get("ind2", " ")
            fields.append(
                Field(
                    str(tag),
                    ind1 if isinstance(ind1, str) and ind1 else " ",
                    ind2 if isinstance(ind2, str) and ind2 else " ",
                    subfields,
                )
            )
        return cls(leader, fields)

    # --- pymarc ---

    @classmethod
    def from_pymarc(cls, record: pymarc.Record) -> MarcRecord:
        fields: list[Field] = []
        for f in record.fields:
            if f.control_field:
                fields.append(Field(f.tag, data=f.data if isinstance(f.data, str) else ""))
            else:
                ind1, ind2 = f.indicators if f.indicators else (" ", " ")
                fields.append(Field(f.tag, ind1, ind2, [(c, v) for c, v in f.subfields]))
        return cls(str(record.leader), fields)

    def to_pymarc(self) -> pymarc.Record:
        record = pymarc.Record()
        if len(self.leader) == LEADER_LENGTH:
            record.leader = pymarc.Leader(self.leader)
        for f in self.fields:
            if f.data is not None:
                record.add_field(pymarc.Field(tag=f.tag, data=f.data))
            else:
                record.add_field(
                    pymarc.Field(
                        tag=f.tag,
                        indicators=pymarc.Indicators(f.ind1, f.ind2),
                        subfields=[pymarc.Subfield(c, v) for c, v in f.subfields],
                    )
                )
        return record
