"""Text analysis for search: pure functions, the same for the index and for queries.

Everything that is compared is first *folded* (:func:`fold`): traditional characters
to simplified (OpenCC ``t2s``, so 紅樓夢 and 红楼梦 are one text), full-width forms to
half-width and Latin letters to lower case without diacritics (Brontë → bronte).

Chinese is indexed twice: as single characters in order (so that a phrase of
characters always finds its text: no Chinese query returns nothing when its
characters are there) and as jieba words (search mode, with the library's own user
dictionary in ``data/library_dict.txt``), with the full pinyin and pinyin initials of
titles and authors (hongloumeng, hlm). Heteronyms: pypinyin's phrase dictionary
reads 重庆 as chongqing and 长安 as chang'an; for short words the other common
readings of their characters are indexed too, so that a reader's guess also finds
the word. Apostrophes in pinyin are dropped (chang'an → changan).

ISBNs are indexed in every form (ISBN-13 and ISBN-10, no hyphens) and CLC classes as
their prefixes (I247.5 is found by I24, I2 and I).
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import jieba
import opencc
from pypinyin import Style, lazy_pinyin, pinyin
from stdnum import isbn as stdnum_isbn
from stdnum import issn as stdnum_issn

from wenjin.catalog.marc.extract import is_valid_isbn13

USER_DICTIONARY = "library_dict.txt"
# More readings than this for one word are not worth indexing: most are nonsense.
_MAX_READINGS = 4
_MAX_HETERONYM_WORD = 4
# The analysis of whole texts is remembered (about 45 MB when full): a catalogue
# repeats its subjects, publishers, series and authors, and the titles of editions
# and copies, and an import analyses every record it saves.
_TEXTS_REMEMBERED = 32_768

_LATIN_OR_DIGITS = re.compile(r"[0-9a-z]+")
_CLC_CHARACTERS = re.compile(r"[^0-9A-Z.\-]")


def is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2EBEF
        or 0xF900 <= code <= 0xFAFF
        or 0x3005 <= code <= 0x3007  # 々 〆 〇
    )


def has_cjk(text: str) -> bool:
    return any(is_cjk(char) for char in text)


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=4096)  # a record's title is folded for each of its fields
def fold(text: str) -> str:
    """Simplified, half-width, lower case, no diacritics: the form every comparison uses."""
    text = unicodedata.normalize("NFKC", text)
    if has_cjk(text):
        text = _converter().convert(text)
    if not text.isascii():
        # Decomposing would also split Hangul and kana; only Latin letters need it.
        text = "".join(_strip_marks(c) if _accented_latin(c) else c for c in text)
    return text.lower()


def _accented_latin(char: str) -> bool:
    code = ord(char)
    return 0xC0 <= code <= 0x24F or 0x1E00 <= code <= 0x1EFF


def _runs(folded: str) -> Iterable[tuple[bool, str]]:
    """(is_cjk, text) runs of Chinese characters and of Latin letters and digits."""
    current: list[str] = []
    current_cjk = False
    for char in folded:
        cjk = is_cjk(char)
        word = cjk or (char.isascii() and char.isalnum()) or (not char.isascii() and char.isalpha())
        if not word:
            if current:
                yield current_cjk, "".join(current)
                current = []
            continue
        if current and cjk != current_cjk:
            yield current_cjk, "".join(current)
            current = []
        current_cjk = cjk
        current.append(char)
    if current:
        yield current_cjk, "".join(current)


def tokens(text: str | None) -> list[str]:
    """The positional tokens of ``text``: each Chinese character, each Latin word or number."""
    return list(_tokens(text)) if text else []


@lru_cache(maxsize=_TEXTS_REMEMBERED)
def _tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for cjk, run in _runs(fold(text)):
        if cjk:
            out.extend(run)
        else:
            out.append(run)
    return tuple(out)


@cache
def _segmenter() -> jieba.Tokenizer:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    dictionary = resources.files("wenjin.search") / "data" / USER_DICTIONARY
    with dictionary.open("rb") as handle:  # jieba leaves a file it opens itself unclosed
        segmenter.load_userdict(handle)
    return segmenter


def add_words(path: Path) -> None:
    """Extend the user dictionary with a jieba dictionary file (``word [freq] [tag]`` a line).

    Records analysed before keep their old words: run ``wenjin search reindex`` after.
    """
    with path.open("rb") as handle:
        _segmenter().load_userdict(handle)
    for remembered in (segment, _words, _pinyin_keys, _run_syllables, _exact_keys):
        remembered.cache_clear()


@lru_cache(maxsize=4096)  # a record's text is segmented for its words and for its pinyin
def segment(text: str) -> tuple[str, ...]:
    """jieba words of folded Chinese ``text`` (search mode: long words and their parts)."""
    return tuple(w for w in _segmenter().cut_for_search(text, HMM=True) if w.strip())


def words(text: str | None) -> list[str]:
    """The words of ``text``: jieba words of its Chinese (two characters or more), Latin words."""
    return list(_words(text)) if text else []


@lru_cache(maxsize=_TEXTS_REMEMBERED)
def _words(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for cjk, run in _runs(fold(text)):
        if cjk:
            out.extend(w for w in segment(run) if len(w) > 1)
        else:
            out.append(run)
    return tuple(out)


def _syllables(text: str) -> list[str]:
    return [s.replace("'", "") for s in lazy_pinyin(text, errors="ignore")]


@lru_cache(maxsize=200_000)  # a catalogue's words repeat: each is read once per process
def _readings(word: str) -> tuple[tuple[str, ...], ...]:
    """Full-pinyin readings of ``word``: the dictionary's first, then other common ones."""
    if len(word) > _MAX_HETERONYM_WORD:
        return (tuple(_syllables(word)),)
    choices_of = pinyin(word, heteronym=True, style=Style.NORMAL, errors="ignore")
    # Each character's first choice is the dictionary's reading, as lazy_pinyin gives it
    # (one pypinyin call instead of two: a catalogue's names are new words).
    readings = [[choices[0].replace("'", "") for choices in choices_of]]
    options = [list(dict.fromkeys(_plain(p) for p in choices)) for choices in choices_of]
    if len(options) == len(word):
        for combination in itertools.product(*options):
            reading = list(combination)
            if reading not in readings:
                readings.append(reading)
            if len(readings) >= _MAX_READINGS:
                break
    return tuple(tuple(r) for r in readings)


def _plain(syllable: str) -> str:
    return syllable.replace("'", "").lower()


def pinyin_keys(text: str | None) -> list[str]:
    """Full pinyin and initials of the Chinese in ``text``: of each word and of each run.

    红楼梦研究 → hongloumeng, hlm, yanjiu, yj, hongloumengyanjiu, hlmyj, and the
    syllables hong, lou, meng, yan, jiu.
    """
    return list(_pinyin_keys(text)) if text else []


@lru_cache(maxsize=_TEXTS_REMEMBERED)
def _pinyin_keys(text: str) -> tuple[str, ...]:
    keys: dict[str, None] = {}
    for cjk, run in _runs(fold(text)):
        if not cjk:
            continue
        words = [w for w in segment(run) if len(w) > 1]
        syllables = _run_syllables(run)
        for syllable in syllables:
            keys[syllable] = None
        keys["".join(syllables)] = None
        keys["".join(s[0] for s in syllables if s)] = None
        for word in words:
            for reading in _readings(word):
                keys["".join(reading)] = None
                keys["".join(s[0] for s in reading if s)] = None
    keys.pop("", None)
    return tuple(keys)


@lru_cache(maxsize=50_000)
def _char_reading(char: str) -> tuple[str, ...]:
    return tuple(_syllables(char))


@lru_cache(maxsize=4096)  # the title's pinyin serves its keys and its exact-match keys
def _run_syllables(run: str) -> tuple[str, ...]:
    """The pinyin of a run of Chinese characters, word by word (so 重庆 is chong qing)."""
    syllables: list[str] = []
    for word in _segmenter().cut(run, HMM=False):
        syllables.extend(_readings(word)[0] if len(word) > 1 else _char_reading(word))
    return tuple(syllables)


def title_key(text: str | None) -> str:
    """``text`` folded with only its letters, digits and characters: what an exact title match compares."""
    if not text:
        return ""
    return "".join(run for _, run in _runs(fold(text)))


def exact_keys(text: str | None) -> list[str]:
    """The keys a whole title is found by exactly: its folded text, its pinyin, its initials."""
    return list(_exact_keys(text)) if text else []


@lru_cache(maxsize=_TEXTS_REMEMBERED)
def _exact_keys(text: str) -> tuple[str, ...]:
    key = title_key(text)
    if not key:
        return ()
    keys = [key]
    if has_cjk(key):
        syllables = [s for cjk, run in _runs(key) for s in (_run_syllables(run) if cjk else [run])]
        keys.append("".join(syllables))
        keys.append("".join(s[0] for s in syllables if s))
    return tuple(dict.fromkeys(keys))


def isbn_forms(value: str | None) -> list[str]:
    """Every form an ISBN (or ISSN) is searched by: compact, and ISBN-13 and ISBN-10 when valid."""
    if not value:
        return []
    compact = re.sub(r"[^0-9Xx]", "", value).upper()
    if not compact:
        return []
    forms = [compact]
    if is_valid_isbn13(compact):  # nearly every ISBN today: no need of stdnum's general path
        if compact.startswith("978"):
            forms.append(_isbn10_of(compact))
    elif len(compact) in (10, 13) and stdnum_isbn.is_valid(compact):
        isbn13 = stdnum_isbn.to_isbn13(compact) if len(compact) == 10 else compact
        forms.append(isbn13)
        if len(compact) == 10:
            forms.append(compact)
        elif isbn13.startswith("978"):  # a 979 ISBN has no ISBN-10
            forms.append(stdnum_isbn.to_isbn10(isbn13))
    elif len(compact) == 8 and stdnum_issn.is_valid(compact):
        forms.append(compact)
    return list(dict.fromkeys(f.lower() for f in forms))


def _isbn10_of(isbn13: str) -> str:
    """The ISBN-10 of a valid 978 ISBN-13."""
    body = isbn13[3:12]
    check = sum((weight + 1) * int(digit) for weight, digit in enumerate(body)) % 11
    return body + ("X" if check == 10 else str(check))


def looks_like_isbn(text: str) -> bool:
    compact = re.sub(r"[\s\-]", "", text)
    return bool(re.fullmatch(r"(97[89])?\d{9}[\dXx]", compact)) and (
        stdnum_isbn.is_valid(compact) or len(compact) in (10, 13)
    )


def clc_normal(value: str | None) -> str:
    """A CLC class as compared: upper case, no spaces, no trailing wildcard (I24* → I24)."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value).upper().split("/")[0]
    return _CLC_CHARACTERS.sub("", value).rstrip(".-")


def clc_prefixes(value: str | None) -> list[str]:
    """I247.5 → I, I2, I24, I247, I247.5: a class is found by every class above it."""
    normal = clc_normal(value)
    prefixes = [normal[:end] for end in range(1, len(normal) + 1)]
    return [p.lower() for p in prefixes if not p.endswith((".", "-"))]


def clc_top(value: str | None) -> str | None:
    """The main class (大类) of a CLC class: its first letter."""
    normal = clc_normal(value)
    return normal[0] if normal and normal[0].isalpha() else None


def latin_word(token: str) -> bool:
    """A token that may be pinyin: ASCII letters only."""
    return token.isascii() and token.isalpha()


def query_tokens(text: str) -> list[str]:
    """:func:`tokens` of a query term (the same analysis as the index)."""
    return tokens(text)


def chinese_words(text: str) -> list[list[str]]:
    """The words a Chinese query asks for, each as its characters: 红楼梦研究 → [[红,楼,梦],[研,究]].

    Latin words and numbers come out as one-token words.
    """
    out: list[list[str]] = []
    for cjk, run in _runs(fold(text)):
        if not cjk:
            out.append([run])
            continue
        pieces = [w for w in _segmenter().cut(run, HMM=True) if w.strip()]
        out.extend(list(piece) for piece in pieces)
    return out


def latin_tokens_of(text: str) -> list[str]:
    return _LATIN_OR_DIGITS.findall(fold(text))
