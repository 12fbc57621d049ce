"""How big a demo to build: ``small`` for tests, ``medium``, and ``report`` (the report's 3.07M volumes)."""

from __future__ import annotations

from dataclasses import dataclass

from wenjin.errors import InvalidInput


@dataclass(frozen=True)
class Scale:
    name: str
    titles: int  # bibliographic records
    volumes: int  # items, approximately
    min_per_point: int  # even the smallest village room gets a few books

    @property
    def label(self) -> str:
        return f"{self.name} ({self.titles:,} titles, ~{self.volumes:,} volumes)"


SCALES: dict[str, Scale] = {
    "small": Scale("small", 2_000, 8_000, 3),
    "medium": Scale("medium", 70_000, 307_000, 5),
    "report": Scale("report", 700_000, 3_070_000, 5),
}


def get_scale(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        known = ", ".join(SCALES)
        raise InvalidInput(
            f"没有规模 {name!r}，可选：{known}", f"no scale {name!r}; choose one of: {known}"
        ) from None
