"""What the desk is told to do with an item after a checkin or a receipt: the slip text.

A slip says where the book goes next (this shelf, the transit box for another
point) and anything the reader must hear (a fine). Chinese for the desk,
English beside it for the bilingual interfaces.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Slip:
    zh: str
    en: str

    def __add__(self, other: Slip) -> Slip:
        return Slip(f"{self.zh}；{other.zh}", f"{self.en}. {other.en}")


def _shelf_mark(call_number: str | None, location: str | None) -> tuple[str, str]:
    parts_zh = [p for p in (location, f"索书号 {call_number}" if call_number else None) if p]
    parts_en = [p for p in (location, f"call number {call_number}" if call_number else None) if p]
    if not parts_zh:
        return "", ""
    return f"（{'，'.join(parts_zh)}）", f" ({', '.join(parts_en)})"


def reshelve(call_number: str | None, location: str | None) -> Slip:
    zh, en = _shelf_mark(call_number, location)
    return Slip(f"请上架{zh}", f"Reshelve here{en}")


def floated_here(point_name: str, call_number: str | None, location: str | None) -> Slip:
    zh, en = _shelf_mark(call_number, location)
    return Slip(
        f"浮动馆藏：此书今后归属 {point_name}，请在本馆上架{zh}",
        f"Floating item: it now belongs to {point_name}; shelve it here{en}",
    )


def transit_box(destination_name: str, destination_code: str) -> Slip:
    return Slip(
        f"请放入送往 {destination_name} 的周转箱",
        f"Put it in the transit box for {destination_name} ({destination_code})",
    )


def fine_due(fine: str, open_days_late: int) -> Slip:
    return Slip(
        f"超期 {open_days_late} 个开馆日，滞纳金 {fine}，请读者缴纳",
        f"{open_days_late} open day(s) late: a fine of {fine} is due",
    )


def fine_waived_by_amnesty(open_days_late: int) -> Slip:
    return Slip(
        f"超期 {open_days_late} 个开馆日，适逢特别还书日，滞纳金已免除",
        f"{open_days_late} open day(s) late; the fine is waived (amnesty day)",
    )


def refunded(count: int) -> Slip:
    return Slip(
        f"此书曾报失，已处理 {count} 笔赔偿费用（退款或取消，见费用记录）",
        f"This item was declared lost; {count} loss charge(s) settled (see the reader's fees)",
    )


def nothing_to_do(status_zh: str, status_en: str, hint_zh: str, hint_en: str) -> Slip:
    return Slip(
        f"此书状态为「{status_zh}」，{hint_zh}", f"This item is {status_en.lower()}; {hint_en}"
    )


ALREADY_HERE = Slip(
    "此书已在本馆在架，无需还书", "This item is already on the shelf here; nothing to do"
)
