"""MARC for the catalogue: reading, character sets, flavours, extraction, writing.

Everything here is pure (no database): bytes and text in, records and fields out.

- :mod:`.record`: the light in-memory record the import pipeline works on.
- :mod:`.charsets`: MARC-8, UTF-8 and the GB family, and which one a record uses.
- :mod:`.flavour`: telling MARC21 from CNMARC/UNIMARC.
- :mod:`.reading`: ISO 2709, MARCXML and MARC-in-JSON readers that reject one bad
  record and carry on with the next.
- :mod:`.extract`: the normalised fields (title, authors, ISBN, CLC …) of a record.
- :mod:`.holdings`: holdings fields (MARC21 852/952, CNMARC 905) to items and back.
- :mod:`.writing`: ISO 2709, MARCXML and MARC-in-JSON writers.
- :mod:`.crosswalk`: MARC21 ↔ CNMARC for the main fields.
"""
