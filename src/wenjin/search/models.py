"""The search documents: each record's analysed text, written with the record.

A row is (re)written in the same transaction that saves its record, and its
``seq`` (the change sequence) is raised whenever the record, one of its copies or
its loan count changes (the copies and loans by database triggers, see
:mod:`wenjin.search.ddl`). A search engine catches up by reading the rows whose
``seq`` is above the last one it has seen: it can be rebuilt from this table at any
time, and several engines (one per machine) stay consistent with the database.

``xid`` is the PostgreSQL transaction that wrote the row: a transaction that took a
lower ``seq`` may commit after one with a higher ``seq``, so the catch-up also
re-reads the rows of transactions still running when it last looked (0 on SQLite,
where writers take turns).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wenjin.db.base import Base


class SearchDocument(Base):
    __tablename__ = "search_documents"

    bib_id: Mapped[int] = mapped_column(
        ForeignKey("bib_records.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    xid: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    # Space-separated tokens, as produced by wenjin.search.analysis:
    title: Mapped[str] = mapped_column(Text)  # characters and Latin words, in order
    title_words: Mapped[str] = mapped_column(Text)  # jieba words and pinyin keys
    title_exact: Mapped[str] = mapped_column(Text)  # whole-title keys (text, pinyin, initials)
    author: Mapped[str] = mapped_column(Text)  # characters, Latin words and pinyin keys
    subject: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str] = mapped_column(Text)
    isbns: Mapped[str] = mapped_column(Text)
    clc: Mapped[str] = mapped_column(Text)  # the prefixes of every class
    clc_top: Mapped[str | None] = mapped_column(String(1))
    year: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(3))
    loan_count: Mapped[int] = mapped_column(Integer, default=0)
