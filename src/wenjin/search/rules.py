"""What the facets are called: the CLC main classes and the languages of the catalogue."""

from __future__ import annotations

# 中国图书馆分类法 main classes (大类).
CLC_MAIN_CLASSES: dict[str, tuple[str, str]] = {
    "A": (
        "马克思主义、列宁主义、毛泽东思想、邓小平理论",
        "Marxism, Leninism, Mao Zedong Thought, Deng Xiaoping Theory",
    ),
    "B": ("哲学、宗教", "Philosophy, religion"),
    "C": ("社会科学总论", "Social sciences (general)"),
    "D": ("政治、法律", "Politics, law"),
    "E": ("军事", "Military science"),
    "F": ("经济", "Economics"),
    "G": ("文化、科学、教育、体育", "Culture, science, education, sports"),
    "H": ("语言、文字", "Languages, writing"),
    "I": ("文学", "Literature"),
    "J": ("艺术", "Arts"),
    "K": ("历史、地理", "History, geography"),
    "N": ("自然科学总论", "Natural sciences (general)"),
    "O": ("数理科学和化学", "Mathematics, physics, chemistry"),
    "P": ("天文学、地球科学", "Astronomy, earth sciences"),
    "Q": ("生物科学", "Biology"),
    "R": ("医药、卫生", "Medicine, health"),
    "S": ("农业科学", "Agriculture"),
    "T": ("工业技术", "Industrial technology"),
    "U": ("交通运输", "Transportation"),
    "V": ("航空、航天", "Aviation, aerospace"),
    "X": ("环境科学、安全科学", "Environmental and safety sciences"),
    "Z": ("综合性图书", "General works"),
}

LANGUAGES: dict[str, tuple[str, str]] = {
    "chi": ("中文", "Chinese"),
    "zho": ("中文", "Chinese"),
    "eng": ("英文", "English"),
    "jpn": ("日文", "Japanese"),
    "kor": ("韩文", "Korean"),
    "rus": ("俄文", "Russian"),
    "fre": ("法文", "French"),
    "fra": ("法文", "French"),
    "ger": ("德文", "German"),
    "deu": ("德文", "German"),
    "mon": ("蒙古文", "Mongolian"),
    "tib": ("藏文", "Tibetan"),
    "uig": ("维吾尔文", "Uyghur"),
}

AVAILABILITY: dict[str, tuple[str, str]] = {
    "available": ("可借", "Available"),
    "unavailable": ("暂不可借", "Not available now"),
}

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# Beyond this a reader refines the query; tantivy would answer, the page would not help.
MAX_PAGE = 500


def clc_label(letter: str) -> tuple[str, str]:
    return CLC_MAIN_CLASSES.get(letter.upper(), (letter, letter))


def language_label(code: str) -> tuple[str, str]:
    return LANGUAGES.get(code.lower(), (code, code))


def page_window(page: int, per_page: int) -> tuple[int, int, int]:
    """(page, per_page, offset) brought into range: a search never refuses its paging."""
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    page = min(max(page, 1), MAX_PAGE)
    return page, per_page, (page - 1) * per_page
