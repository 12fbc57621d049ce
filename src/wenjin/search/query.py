"""The query language of the search box: pure, and it never refuses what a reader types.

    红楼梦                      keyword: every field
    title:红楼梦 author:曹雪芹   a field (also 题名: 书名: 作者: 著者: 主题: 出版社: 分类号:)
    isbn:7-02-000220-X          any form of an ISBN; a bare ISBN is recognised too
    clc:I24                     a CLC class and every class under it (I24* is the same)
    year:2018-2020              a year range (year:2018, year:2018-, year:-2020)
    "the old man"               a phrase
    红楼梦 OR 石头记 NOT 续书     AND (implicit), OR, NOT (and 与 或 非, && || -word)
    (鲁迅 OR 周树人) 小说         brackets group

What cannot be understood is searched as text: a stray quote or bracket, an unknown
``field:``, an operator with nothing beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELDS = {
    "title": "title",
    "ti": "title",
    "题名": "title",
    "书名": "title",
    "author": "author",
    "au": "author",
    "作者": "author",
    "著者": "author",
    "责任者": "author",
    "subject": "subject",
    "su": "subject",
    "主题": "subject",
    "主题词": "subject",
    "isbn": "isbn",
    "issn": "isbn",
    "clc": "clc",
    "class": "clc",
    "分类": "clc",
    "分类号": "clc",
    "中图法": "clc",
    "publisher": "publisher",
    "pub": "publisher",
    "出版社": "publisher",
    "出版者": "publisher",
    "year": "year",
    "年份": "year",
    "出版年": "year",
}
_AND = {"AND", "&&", "&", "与", "且"}
_OR = {"OR", "||", "|", "或"}
_NOT = {"NOT", "!", "非"}
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "”": "”"}
_OPEN = {"(": ")", "（": "）"}
_CLOSE = {")", "）"}
_YEAR = re.compile(r"^\s*(\d{1,4})?\s*[-–~至到]\s*(\d{1,4})?\s*$|^\s*(\d{1,4})\s*$")


@dataclass(frozen=True)
class Term:
    """Text to find: in every field (``field`` None) or in one; ``phrase``: words in order."""

    text: str
    field: str | None = None
    phrase: bool = False


@dataclass(frozen=True)
class YearRange:
    start: int | None
    end: int | None


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


Node = Term | YearRange | And | Or | Not


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase", "and", "or", "not", "open", "close"
    text: str = ""
    field: str | None = None


def _lex(text: str) -> list[_Token]:
    out: list[_Token] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char.isspace() or char == "\u3000":
            i += 1
            continue
        if char in _OPEN:
            out.append(_Token("open", char))
            i += 1
            continue
        if char in _CLOSE:
            out.append(_Token("close", char))
            i += 1
            continue
        if char in _QUOTES:
            end = text.find(_QUOTES[char], i + 1)
            if end < 0 and char == '"':
                end = text.find("”", i + 1)
            if end > i:
                out.append(_Token("phrase", text[i + 1 : end]))
                i = end + 1
                continue
            i += 1  # a stray quote: searched as the text around it
            continue
        j = i
        while (
            j < n
            and not text[j].isspace()
            and text[j] not in _OPEN
            and text[j] not in _CLOSE
            and text[j] != "\u3000"
            and not (text[j] in _QUOTES and j > i and text[j - 1] in ":：")
        ):
            j += 1
        word = text[i:j]
        i = j
        out.extend(_word_tokens(word, text, i, out))
        if out and out[-1].kind == "field-phrase":
            # field:"a phrase": take the quoted text that follows
            field = out.pop().field
            quote = text[i] if i < n else ""
            end = text.find(_QUOTES.get(quote, '"'), i + 1) if quote else -1
            if end > i:
                out.append(_Token("phrase", text[i + 1 : end], field))
                i = end + 1
    return out


def _word_tokens(word: str, _text: str, _at: int, _out: list[_Token]) -> list[_Token]:
    upper = word.upper()
    if upper in _AND and (word.isupper() or not word.isascii()):
        return [_Token("and")]
    if upper in _OR and (word.isupper() or not word.isascii()):
        return [_Token("or")]
    if upper in _NOT and (word.isupper() or not word.isascii()):
        return [_Token("not")]
    if len(word) > 1 and word[0] == "-" and word[1] != "-":
        return [_Token("not"), *_word_tokens(word[1:], _text, _at, _out)]
    match = re.match(r"^([^:：]+)[:：](.*)$", word)
    if match and match.group(1).lower() in FIELDS:
        field = FIELDS[match.group(1).lower()]
        rest = match.group(2)
        if not rest:
            return [_Token("field-phrase", field=field)]
        return [_Token("word", rest, field)]
    return [_Token("word", word)]


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node | None:
        nodes: list[Node] = []
        while self.peek() is not None:
            node = self.or_expression()
            if node is not None:
                nodes.append(node)
            elif self.peek() is not None:
                self.take()  # a stray closing bracket or operator: nothing to search
        return _and(nodes)

    def or_expression(self) -> Node | None:
        parts: list[Node] = []
        first = self.and_expression()
        if first is not None:
            parts.append(first)
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            nxt = self.and_expression()
            if nxt is not None:
                parts.append(nxt)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expression(self) -> Node | None:
        parts: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("or", "close"):
            if token.kind == "and":
                self.take()
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        return _and(parts)

    def unary(self) -> Node | None:
        token = self.take()
        if token.kind == "not":
            nxt = self.peek()
            if nxt is None or nxt.kind in ("or", "close", "and"):
                return None
            part = self.unary()
            return Not(part) if part is not None else None
        if token.kind == "open":
            inner = self.or_expression()
            nxt = self.peek()
            if nxt is not None and nxt.kind == "close":
                self.take()
            return inner
        if token.kind == "phrase":
            return Term(token.text, token.field, phrase=True) if token.text.strip() else None
        if token.kind == "word":
            return _term(token)
        return None


def _term(token: _Token) -> Node | None:
    if token.field == "year":
        year = _year_range(token.text)
        if year is not None:
            return year
        return Term(token.text) if token.text else None
    if not token.text.strip():
        return None
    return Term(token.text, token.field)


def _year_range(text: str) -> YearRange | None:
    match = _YEAR.match(text)
    if match is None:
        return None
    if match.group(3):
        year = int(match.group(3))
        return YearRange(year, year)
    start = int(match.group(1)) if match.group(1) else None
    end = int(match.group(2)) if match.group(2) else None
    if start is None and end is None:
        return None
    if start is not None and end is not None and start > end:
        start, end = end, start
    return YearRange(start, end)


def _and(parts: list[Node]) -> Node | None:
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return And(tuple(parts))


def parse(text: str) -> Node | None:
    """The query ``text`` as a tree, or None when there is nothing to search for."""
    return _Parser(_lex(text or "")).parse()


def keyword_text(node: Node | None) -> str | None:
    """The text of a query made only of keywords (all fields, no operators): what an exact
    title match compares. None for any other query."""
    if isinstance(node, Term):
        return node.text if node.field is None else None
    if isinstance(node, And) and all(isinstance(p, Term) and p.field is None for p in node.parts):
        return " ".join(p.text for p in node.parts if isinstance(p, Term))
    return None
