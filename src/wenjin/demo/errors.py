"""Errors of the demo builder."""

from __future__ import annotations

from collections.abc import Sequence

from wenjin.errors import WenjinError


class DemoError(WenjinError):
    pass


class OtherDemoPresent(DemoError):
    """The database already holds a demo of another scale or seed: they would mix."""

    code = "demo_other_present"

    def __init__(self, present: str, wanted: str) -> None:
        super().__init__(
            f"数据库中已有另一套演示数据（{present}），不能再生成 {wanted}：两套会混在一起。"
            "请改用一个新的数据库（设置 WENJIN_DATABASE_URL 或 WENJIN_DATA_DIR），"
            "或使用与已有数据相同的 --scale 和 --seed。",
            f"The database already holds another demo ({present}); building {wanted} would mix "
            "the two. Use a new database (WENJIN_DATABASE_URL or WENJIN_DATA_DIR), or the same "
            "--scale and --seed as the demo already there.",
        )


class DemoRecordsRefused(DemoError):
    """The catalogue refused generated records: a fault in the generator, not in the data."""

    code = "demo_records_refused"

    def __init__(self, reasons: Sequence[str]) -> None:
        listed = "; ".join(reasons[:3])
        super().__init__(
            f"演示数据的 {len(reasons)} 条记录或册未能保存（{listed}）。这是演示数据生成器的缺陷，请报告。",
            f"{len(reasons)} generated records or copies were not saved ({listed}). "
            "This is a fault in the demo generator; please report it.",
        )
