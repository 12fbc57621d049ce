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
    # --- calendars (开放日历) ---
    "cal.title": ("开放日历", "Opening calendar"),
    "cal.show": ("日历", "Calendar"),
    "cal.weekly_hours": ("每周开放时间", "Weekly opening hours"),
    "cal.inherits_hours": (
        "本馆未单独设置开放时间，沿用上级（{parent}）的开放时间。",
        "This point has no hours of its own: it keeps its parent's ({parent}).",
    ),
    "cal.no_hours_anywhere": (
        "本馆及其上级都没有设置开放时间，按每天开放计算。",
        "Neither this point nor any above it has hours: it counts as open every day.",
    ),
    "cal.weekday": ("星期", "Weekday"),
    "cal.observed": ("实际开放", "Observed"),
    "cal.own_hours": ("本馆设置", "This point's hours"),
    "cal.closed": ("闭馆", "Closed"),
    "cal.hours_hint": (
        "每天写一个或几个时段，如 09:00-12:00, 14:00-17:30；留空为当天闭馆。",
        "One or more periods a day, e.g. 09:00-12:00, 14:00-17:30; empty means closed that day.",
    ),
    "cal.use_parent_hours": ("沿用上级的开放时间", "Use the parent's hours"),
    "cal.save_hours": ("保存开放时间", "Save the hours"),
    "cal.hours_saved": ("{code} 的开放时间已保存。", "Opening hours of {code} saved."),
    "cal.hours_inherited": (
        "{code} 改为沿用上级的开放时间。",
        "{code} now keeps its parent's opening hours.",
    ),
    "cal.closed_days": ("闭馆日", "Closed days"),
    "cal.not_inheriting": (
        "本馆不沿用上级的闭馆日，只按下列日期闭馆。",
        "This point does not observe its parents' closed days, only those below.",
    ),
    "cal.from": ("开始日期", "From"),
    "cal.to": ("结束日期", "To"),
    "cal.to_optional": ("结束日期（可不填）", "To (optional)"),
    "cal.reason": ("原因", "Reason"),
    "cal.reason_example": ("如：春节、设备检修", "e.g. Spring Festival, repairs"),
    "cal.reopen": ("取消闭馆", "Open again"),
    "cal.no_closed_days": (
        "今年起本馆没有单独设置的闭馆日。",
        "No closed days of its own this year.",
    ),
    "cal.add_closed": ("添加闭馆日", "Add closed days"),
    "cal.close_button": ("设为闭馆", "Close on these days"),
    "cal.closed_added": ("已添加 {count} 个闭馆日。", "{count} closed days added."),
    "cal.closed_removed": ("已取消 {count} 个闭馆日。", "{count} closed days removed."),
    "cal.nothing_removed": (
        "这些日期本馆没有单独设置的闭馆日（上级的闭馆日请在上级的日历中修改）。",
        "This point has no closed days of its own on those dates "
        "(a parent's closed days are changed in the parent's calendar).",
    ),
    "cal.bad_date": (
        "日期 {value} 无效，请写成 2026-10-01。",
        "Invalid date {value}: write it as 2026-10-01.",
    ),
    "cal.holidays": ("导入法定节假日", "Import public holidays"),
    "cal.year": ("年份", "Year"),
    "cal.import_holidays": ("按法定节假日闭馆", "Close on the public holidays"),
    "cal.holidays_hint": (
        "按国务院办公厅公布的放假安排添加闭馆日；不少图书馆节假日照常开放，请按本馆实际选择。",
        "Adds the national public holidays as closed days; many libraries stay open on "
        "holidays, so import them only if this point closes.",
    ),
    "cal.holidays_added": (
        "已按 {year} 年法定节假日添加 {count} 个闭馆日。",
        "{count} closed days added for the public holidays of {year}.",
    ),
    "cal.coming_days": ("未来四周", "The next four weeks"),
    "cal.day": ("日期", "Day"),
    "cal.open": ("开放", "Open"),
    # --- courier routes (物流线路) ---
    "route.title": ("物流线路", "Courier routes"),
    "route.hint": (
        "调拨和预约按物流线路选择最近的馆藏并计算到达日期。",
        "Transfers and holds use the courier routes to pick the nearest copy and its arrival.",
    ),
    "route.from": ("起点", "From"),
    "route.to": ("终点", "To"),
    "route.days": ("路上天数", "Days on the way"),
    "route.days_value": ("{days} 天", "{days} days"),
    "route.weekdays": ("发车日", "Leaves on"),
    "route.every_day": ("每天", "Every day"),
    "route.note": ("备注", "Note"),
    "route.remove": ("删除", "Remove"),
    "route.remove_both": ("删除（往返）", "Remove (both ways)"),
    "route.none": ("还没有物流线路。", "No courier routes yet."),
    "route.add_title": ("添加或修改线路", "Add or change a route"),
    "route.add_hint": (
        "同一起点和终点的线路已存在时，保存即修改。",
        "Saving a route that exists between the same points changes it.",
    ),
    "route.weekdays_hint": ("都不勾选为每天发车。", "Tick none for every day."),
    "route.both_ways": ("往返（同时设置回程）", "Both ways (set the way back too)"),
    "route.save": ("保存线路", "Save the route"),
    "route.saved": (
        "物流线路 {source} → {target} 已保存。",
        "Courier route {source} → {target} saved.",
    ),
    "route.removed": (
        "已删除物流线路 {source} → {target}（{count} 段）。",
        "Courier route {source} → {target} removed ({count} legs).",
    ),
    "route.bad_days": (
        "路上天数 {value} 无效，请填 0 到 365 的整数。",
        "Invalid days on the way {value}: give a whole number from 0 to 365.",
    ),
    # --- new and moved points ---
    "point_new.title": ("新建服务点", "New service point"),
    "point_new.code_hint": (
        "字母、数字、- _ .，全网唯一，如 ZC-XZ。",
        "Letters, digits, - _ . — unique in the network, e.g. ZC-XZ.",
    ),
    "point_new.parent": ("上级", "Parent"),
    "point_new.root": ("（无上级）", "(no parent)"),
    "point_new.create": ("新建", "Create"),
    "point_new.created": ("服务点 {code} 已新建。", "Point {code} created."),
    "point_new.move_title": ("移动到其他上级", "Move under another parent"),
    "point_new.move": ("移动", "Move"),
    "point_new.move_hint": (
        "本馆下属的服务点随之移动。",
        "The points under this one move with it.",
    ),
    "point_new.moved": (
        "服务点 {code} 已移到 {parent} 之下。",
        "Point {code} moved under {parent}.",
    ),
}
