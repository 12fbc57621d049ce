"""Interface strings of the network administration pages: transits and the courier manifest
(tr.*), rotating collections (rot.*), calendars (cal.*), courier routes (route.*),
new and moved points (point_new.*) and deleting a rule of the policy matrix (rule_delete.*)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- transits (调拨) ---
    "tr.manifest_link": ("物流交接单", "Courier manifest"),
    "tr.send_title": ("人工调拨", "Send an item to another point"),
    "tr.send_hint": (
        "扫描本馆在架图书的条码，选择调入服务点；图书放入送往该馆的周转箱。",
        "Scan an item on the shelf here and choose where it goes; it goes in that point's box.",
    ),
    "tr.to": ("调入服务点", "Send to"),
    "tr.note": ("备注", "Note"),
    "tr.send_button": ("调拨", "Send"),
    "tr.sent_one": (
        "已调拨《{title}》（{barcode}），请放入送往 {to} 的周转箱。",
        "Sent {title} ({barcode}): put it in the transit box for {to}.",
    ),
    "tr.cancel_title": ("取消调拨", "Cancel a transit"),
    "tr.cancel_hint": (
        "尚未交物流的图书回到调出馆上架；已交物流的图书，勾选“图书在本馆”后在本馆上架。",
        "An item still in the box goes back on the shelf where it came from; once the courier "
        "took it, tick “the item is here” to shelve it here.",
    ),
    "tr.reason": ("原因", "Reason"),
    "tr.cancel_here": ("图书现在在本馆（{at}）", "The item is here now ({at})"),
    "tr.cancel_button": ("取消调拨", "Cancel the transit"),
    "tr.cancelled": (
        "已取消《{title}》（{barcode}）的调拨，请在 {where} 上架。",
        "Transit of {title} ({barcode}) cancelled: shelve it at {where}.",
    ),
    "tr.lost_title": ("途中丢失", "Lost in transit"),
    "tr.lost_hint": (
        "物流途中丢失的图书：调拨结束，图书登记为缺失（可能找回）或丢失。找回后在借还台办理。",
        "An item lost on the way: the transit ends and the item is marked missing (it may turn "
        "up) or lost. If found, the desk puts it back in circulation.",
    ),
    "tr.mark_as": ("登记为", "Mark the item"),
    "tr.lost_button": ("登记途中丢失", "Record it lost"),
    "tr.lost_recorded": (
        "已登记《{title}》（{barcode}）途中丢失。",
        "{title} ({barcode}) recorded as lost in transit.",
    ),
    "tr.lost_status_invalid": (
        "只能登记为“缺失”或“丢失”。",
        "An item lost in transit is marked missing or lost.",
    ),
    "tr.manifest_title": ("物流交接单", "Courier manifest"),
    "tr.back_to_transits": ("返回调拨", "Back to transits"),
    "tr.manifest_leaving": ("共发出 {count} 册", "{count} items leave"),
    "tr.day": ("日期", "Day"),
    "tr.show": ("查看", "Show"),
    "tr.print": ("打印", "Print"),
    "tr.nothing_leaves": ("这一天没有图书发出。", "Nothing leaves on this day."),
    "tr.items": ("{count} 册", "{count} items"),
    "tr.call_number": ("索书号", "Call number"),
    "tr.destination": ("目的地", "Destination"),
    "tr.reason_col": ("原因", "Reason"),
    "tr.arrives": ("预计到达", "Arrives"),
    "tr.leaves": ("发出日期", "Leaves"),
    "tr.sent_col": ("已交物流", "Handed over"),
    "tr.dispatch_leg": ("物流已取走送往 {stop} 的箱子", "The courier took the boxes for {stop}"),
    "tr.dispatch_all": ("物流已取走全部 {count} 册", "The courier took all {count} items"),
    "tr.dispatched": ("已交物流 {count} 册。", "{count} items handed to the courier."),
    "tr.signature": (
        "交接人签字：________　物流签字：________",
        "Handed over by: ________   Courier: ________",
    ),
    "tr.waiting": ("待后续班次（{count}）", "Waiting for a later courier ({count})"),
    "tr.no_route": ("无物流线路（{count}）", "No courier route ({count})"),
    "tr.no_route_hint": (
        "这些图书的目的地与本馆之间没有物流线路，请在“物流线路”中添加。",
        "No courier route joins this point and these destinations: add one under Courier routes.",
    ),
    # --- deleting a rule of the policy matrix ---
    "rule_delete.button": ("删除", "Delete"),
    "rule_delete.confirm": ("确定删除规则 {id}？", "Delete rule {id}?"),
    "rule_delete.done": (
        "已删除规则 {id}；按此规则借出的图书仍按借出时的条款。",
        "Rule {id} deleted; loans made under it keep their terms.",
    ),
}
