"""The root of every domain error.

Each error carries a stable ``code`` and a message in Chinese and in English, so
that web/ and protocols/ can choose the language and map the code to an HTTP
status or a SIP2 field without the domain knowing about either.
"""

from __future__ import annotations


class WenjinError(Exception):
    code: str = "error"

    def __init__(self, message_zh: str, message_en: str | None = None) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en or message_zh

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh

    def __str__(self) -> str:
        if self.message_en and self.message_en != self.message_zh:
            return f"{self.message_zh} / {self.message_en}"
        return self.message_zh


class NotFound(WenjinError):
    code = "not_found"


class InvalidInput(WenjinError):
    code = "invalid_input"
