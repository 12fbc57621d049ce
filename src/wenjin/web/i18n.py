"""Interface language: Simplified Chinese by default, English on request.

Every string of the interface is a key in :data:`TRANSLATIONS`; templates call
``t("key")``. Data (titles, point names) is shown as stored, so only the
interface is translated here. ``?lang=en`` / ``?lang=zh`` on any page sets the
``lang`` cookie, which later requests read.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from wenjin.web.messages import merged

Lang = Literal["zh", "en"]

DEFAULT_LANG: Lang = "zh"
LANG_PARAM = "lang"  # ?lang=en
LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600

_HTML_LANG: dict[Lang, str] = {"zh": "zh-CN", "en": "en"}

# key: (Simplified Chinese, English). Placeholders are str.format fields.
TRANSLATIONS: dict[str, tuple[str, str]] = {
    # frame: every page
    "site.tagline": ("图书馆总分馆服务平台", "Library network services"),
    "site.footer": (
        "一卡通 · 通借通还：在任一网点借的书，可在任一网点归还。",
        "One card for every service point: borrow anywhere, return anywhere.",
    ),
    "nav.label": ("主导航", "Main navigation"),
    "nav.home": ("首页", "Home"),
    "nav.network": ("服务网点", "Service points"),
    "nav.skip": ("跳到正文", "Skip to the content"),
    "lang.current": ("当前界面语言：中文。", "Interface language: English."),
    "lang.other": ("English", "中文"),
    "nav.search": ("检索", "Search"),
    "nav.account": ("我的图书馆", "My library"),
    # search
    "search.title": ("馆藏检索", "Search the catalogue"),
    "search.title_for": ("检索：{q}", "Search: {q}"),
    "search.label": ("检索馆藏", "Search the catalogue"),
    "search.placeholder": (
        "书名、作者、拼音、ISBN、分类号…",
        "Title, author, pinyin, ISBN, class…",
    ),
    "search.submit": ("检索", "Search"),
    "search.hint": (
        "输入书名、作者、主题、ISBN 或中图分类号；汉字、繁体、拼音和拼音首字母都可以。",
        "Type a title, author, subject, ISBN or CLC class; Chinese, traditional characters, "
        "pinyin and pinyin initials all work.",
    ),
    "search.summary": (
        "共 {total} 条结果，第 {page}/{pages} 页",
        "{total} results, page {page} of {pages}",
    ),
    "search.none": ("没有找到与“{q}”相符的书目。", "Nothing matches “{q}”."),
    "search.characters_only": (
        "（没有完全相符的词，以下按单字匹配）",
        "(no whole words matched; these match the characters)",
    ),
    "search.tips_title": ("检索建议", "Tips"),
    "search.tip_pinyin": (
        "可以用拼音（hongloumeng）或拼音首字母（hlm）检索。",
        "Try pinyin (hongloumeng) or its initials (hlm).",
    ),
    "search.tip_isbn": ("ISBN 带不带连字符都可以。", "An ISBN works with or without hyphens."),
    "search.tip_fewer": (
        "少用几个词，或去掉已选的筛选条件。",
        "Use fewer words, or remove a filter.",
    ),
    "search.filters": ("已选条件", "Filters in force"),
    "search.remove_filter": ("（去掉这个条件）", "(remove this filter)"),
    "search.facets": ("缩小范围", "Narrow the results"),
    "search.copies": (
        "可借 {available} / 共 {total} 册",
        "{available} of {total} copies available",
    ),
    "search.pages": ("翻页", "Pages"),
    "search.prev": ("上一页", "Previous"),
    "search.next": ("下一页", "Next"),
    "search.page_of": ("第 {page}/{pages} 页", "Page {page} of {pages}"),
    "facet.point": ("可借馆点", "Available at"),
    "facet.availability": ("借阅状态", "Availability"),
    "facet.clc": ("中图法大类", "CLC class"),
    "facet.language": ("语种", "Language"),
    "facet.year": ("出版年", "Year"),
    "facet.item_type": ("文献类型", "Item type"),
    # reader sign-in, my account, holds from the record page
    "login.title": ("读者登录", "Reader sign-in"),
    "login.intro": (
        "用读者证号和密码登录，查看借阅、续借和预约。",
        "Sign in with your card number and PIN to see your loans, renew and place holds.",
    ),
    "login.card": ("读者证号", "Card number"),
    "login.pin": ("密码", "PIN"),
    "login.submit": ("登录", "Sign in"),
    "login.forgot": (
        "忘记密码？请带身份证到任一服务台重置。",
        "Forgot your PIN? Any desk resets it when you show your ID card.",
    ),
    "account.title": ("我的图书馆", "My library"),
    "account.hello": ("{name}，您好（读者证 {card}）", "Hello, {name} (card {card})"),
    "account.logout": ("退出登录", "Sign out"),
    "account.loans": ("在借图书（{count}）", "On loan ({count})"),
    "account.book": ("图书", "Book"),
    "account.due": ("应还日期", "Due"),
    "account.overdue": ("已逾期", "overdue"),
    "account.renewals_left": ("可续借次数", "Renewals left"),
    "account.renew": ("续借", "Renew"),
    "account.renew_this": ("续借《{title}》", "Renew {title}"),
    "account.renew_all": ("全部续借", "Renew all"),
    "account.no_loans": ("目前没有在借的图书。", "You have nothing on loan."),
    "account.holds": ("我的预约（{count}）", "My holds ({count})"),
    "account.hold_status": ("状态", "Status"),
    "account.pickup": ("取书地点", "Pick up at"),
    "account.hold_actions": ("操作", "Actions"),
    "account.queue_position": ("排第 {position} 位", "number {position} in the queue"),
    "account.ready_until": ("请在 {date} 前取书", "Collect by {date}"),
    "account.change_pickup": ("改取书地点", "Change pickup"),
    "account.cancel_hold": ("取消预约", "Cancel"),
    "account.cancel_this": ("取消《{title}》的预约", "Cancel the hold on {title}"),
    "account.no_holds": ("目前没有预约。", "You have no holds."),
    "account.fees": ("欠费", "Fines and fees"),
    "account.fee_kind": ("类型", "Kind"),
    "account.fee_owed": ("未付金额", "Owed"),
    "account.fees_total": ("共欠 {amount}。", "You owe {amount}."),
    "account.pay_at_desk": (
        "请到任一服务台或自助机缴纳。",
        "Pay at any desk or self-check machine.",
    ),
    "account.no_fees": ("没有欠费。", "You owe nothing."),
    "account.history": ("借阅历史", "Loan history"),
    "account.borrowed": ("借出", "Borrowed"),
    "account.returned": ("归还", "Returned"),
    "account.no_history": ("还没有归还过的图书。", "Nothing returned yet."),
    "account.history_is_off": (
        "您已选择不保留借阅历史：图书归还后不再显示在这里。",
        "You chose not to keep a loan history: returned books are not listed.",
    ),
    "account.history_switch_off": ("不再保留借阅历史", "Stop keeping my history"),
    "account.history_switch_on": ("保留借阅历史", "Keep my loan history"),
    "account.history_on": ("已开始保留借阅历史。", "Your loan history is kept from now on."),
    "account.history_off": ("已停止保留借阅历史。", "Your loan history is no longer kept."),
    "account.renewed": (
        "《{title}》已续借，新的应还日期 {due}。",
        "{title} renewed: now due {due}.",
    ),
    "account.renewed_all": (
        "续借成功 {renewed} 册，未能续借 {refused} 册。",
        "Renewed {renewed}, not renewed {refused}.",
    ),
    "account.hold_cancelled": ("预约已取消。", "Hold cancelled."),
    "account.pickup_changed": ("取书地点已改为 {pickup}。", "Pickup changed to {pickup}."),
    "account.hold_placed": (
        "《{title}》预约成功，取书地点 {pickup}，排第 {position} 位。",
        "Hold placed on {title}: pick up at {pickup}, number {position} in the queue.",
    ),
    "account.not_yours": (
        "这不是您的借阅或预约，无法操作。",
        "That loan or hold is not yours.",
    ),
    "hold.title": ("预约", "Place a hold"),
    "hold.pickup": ("取书地点", "Pick up at"),
    "hold.submit": ("预约这本书", "Place a hold"),
    "hold.sign_in_first": ("登录后预约", "Sign in to place a hold"),
    "breadcrumb.label": ("当前位置", "You are here"),
    # home
    "home.welcome": (
        "在这里查看各服务网点的开放时间和馆藏。",
        "Opening hours and collections of every service point.",
    ),
    "home.at_a_glance": ("馆藏与网点概况", "At a glance"),
    "home.records": ("书目", "Titles"),
    "home.items": ("馆藏册数", "Items"),
    "home.points": ("服务网点", "Service points"),
    "home.points_by_kind": ("各类服务网点", "Service points by kind"),
    "home.newest": ("新书通报", "New arrivals"),
    "home.popular": ("热门借阅", "Most borrowed"),
    "home.no_records": (
        "还没有书目记录。工作人员可用 wenjin catalog import 导入 MARC 文件。",
        "No titles yet. Staff can load MARC files with wenjin catalog import.",
    ),
    "home.no_points": (
        "还没有服务网点。工作人员可用 wenjin network import 导入网点文件。",
        "No service points yet. Staff can load a network file with wenjin network import.",
    ),
    "home.see_network": ("查看全部服务网点和开放时间", "See every service point and its hours"),
    # network
    "network.title": ("服务网点", "Service points"),
    "network.intro": (
        "总分馆体系中的全部网点。点击名称查看地址、开放时间和闭馆安排。",
        "Every service point of the network. Follow a name for its address, hours and closures.",
    ),
    "network.today": ("今日 {date}", "Today, {date}"),
    "network.children_count": ("下级网点 {n} 个", "{n} service points below"),
    # a point
    "point.code": ("网点代码", "Code"),
    "point.lends": ("可外借", "Lends"),
    "point.reading_only": ("仅阅览", "Reading only"),
    "point.pickup": ("预约取书点", "Hold pickup point"),
    "point.open_today": ("今日开放 {hours}", "Open today {hours}"),
    "point.closed_today": ("今日闭馆", "Closed today"),
    "point.closed_all_week": ("暂不对外开放", "Not open to the public at present"),
    "point.next_open": ("下次开放：{date}", "Next open: {date}"),
    "point.inactive": ("本网点已停止服务。", "This service point is no longer in service."),
    "point.contact": ("地址与电话", "Address and phone"),
    "point.address": ("地址", "Address"),
    "point.phone": ("电话", "Phone"),
    "point.not_given": ("暂无", "Not given"),
    "point.hours": ("开放时间", "Opening hours"),
    "point.closed": ("闭馆", "Closed"),
    "point.closed_days": ("近期闭馆日", "Upcoming closed days"),
    "point.no_closed_days": ("近期没有闭馆安排。", "No closures are scheduled."),
    "point.hours_unknown": (
        "开放时间尚未登记，请电话咨询。",
        "Opening hours have not been recorded yet; please phone to ask.",
    ),
    "point.collection": ("馆藏", "Collection"),
    "point.items_owned": ("本网点馆藏", "Items belonging here"),
    "point.items_on_shelf": ("现在在架", "On the shelf here now"),
    "point.volumes": ("{n} 册", "{n}"),
    "point.parent": ("上级", "Part of"),
    "point.children": ("下级网点", "Service points below"),
    # weekdays, ISO numbering
    "weekday.1": ("周一", "Monday"),
    "weekday.2": ("周二", "Tuesday"),
    "weekday.3": ("周三", "Wednesday"),
    "weekday.4": ("周四", "Thursday"),
    "weekday.5": ("周五", "Friday"),
    "weekday.6": ("周六", "Saturday"),
    "weekday.7": ("周日", "Sunday"),
    # a record
    "record.details": ("书目信息", "Bibliographic details"),
    "record.title_parallel": ("并列题名", "Parallel title"),
    "record.responsibility": ("责任说明", "Statement of responsibility"),
    "record.authors": ("著者", "Authors"),
    "record.edition": ("版本", "Edition"),
    "record.publisher": ("出版者", "Publisher"),
    "record.pub_place": ("出版地", "Place of publication"),
    "record.year": ("出版年", "Year"),
    "record.isbn": ("ISBN", "ISBN"),
    "record.isbn_invalid": ("（号码有误）", "(invalid number)"),
    "record.clc": ("中图分类号", "CLC class"),
    "record.subjects": ("主题", "Subjects"),
    "record.series": ("丛书", "Series"),
    "record.price": ("定价", "Price"),
    "record.language": ("语种", "Language"),
    "record.control_number": ("记录控制号", "Control number"),
    "record.copies": ("馆藏分布", "Copies"),
    "record.copies_summary": (
        "共 {total} 册，其中 {available} 册在架可借。",
        "{total} copies, {available} on the shelf.",
    ),
    "record.no_copies": ("这条书目还没有馆藏册。", "There are no copies of this title yet."),
    "record.at_point_summary": (
        "{total} 册，在架 {available} 册",
        "{total} copies, {available} on shelf",
    ),
    "record.barcode": ("条码", "Barcode"),
    "record.call_number": ("索书号", "Call number"),
    "record.location": ("馆藏位置", "Location"),
    "record.item_type": ("文献类型", "Item type"),
    "record.status": ("状态", "Status"),
    "record.nearest": ("哪里可以借到", "Where to find a copy"),
    "record.near_label": ("我在", "I am near"),
    "record.near_choose": ("选择服务点", "choose a point"),
    "record.near_submit": ("按远近排列", "Nearest first"),
    "record.available_here": ("在架 {count} 册", "{count} on the shelf"),
    "record.your_point": ("就在这里", "right here"),
    "record.courier_days": ("预约调拨约 {days} 天", "a hold brings it in about {days} days"),
    "record.due_back": ("{date} 到期", "due {date}"),
    "record.coming_here": ("（正运往此馆）", "(on its way here)"),
    "record.belongs_to": ("所属：{name}", "Belongs to {name}"),
    "record.marc_view": ("MARC 记录", "MARC view"),
    "record.marc_flavour": ("格式：{flavour}", "Format: {flavour}"),
    "record.marc_tag": ("字段", "Tag"),
    "record.marc_indicators": ("指示符", "Indicators"),
    "record.marc_data": ("数据", "Data"),
    # errors
    "error.not_found.title": ("找不到这个页面", "Page not found"),
    "error.not_found.body": (
        "您要找的页面不存在：地址可能有误，或者内容已被删除。",
        "The page you asked for does not exist: the address may be wrong, or it was removed.",
    ),
    "error.forbidden.title": ("不能这样做", "Not allowed"),
    "error.forbidden.body": (
        "这个操作没有完成，原因见下方。",
        "This was not done; the reason is below.",
    ),
    "error.bad_request.title": ("请求有误", "Bad request"),
    "error.bad_request.body": (
        "这个请求无法处理，请检查地址后重试。",
        "This request cannot be handled; check the address and try again.",
    ),
    "error.server.title": ("系统出了点问题", "Something went wrong"),
    "error.server.body": (
        "页面暂时无法显示，请稍后再试；如果一直这样，请告诉图书馆工作人员。",
        "The page cannot be shown right now. Try again later; if it persists, tell the library staff.",
    ),
    "csrf.refused": (
        "这个表单已过期或不是从本站页面提交的，请刷新页面后再试一次。",
        "This form has expired or was not sent from this site; reload the page and try again.",
    ),
    # staff client
    "staff.title": ("馆员工作台", "Staff client"),
    "staff.nav.home": ("工作台首页", "Start"),
    "staff.signed_in_as": ("{name}（{username}）", "{name} ({username})"),
    "staff.logout": ("退出登录", "Sign out"),
    "staff.login.title": ("馆员登录", "Staff sign-in"),
    "staff.login.username": ("用户名", "Username"),
    "staff.login.password": ("密码", "Password"),
    "staff.login.submit": ("登录", "Sign in"),
    "staff.home.title": ("工作台", "Start"),
    "staff.home.welcome": ("{name}，您好。", "Hello, {name}."),
    "staff.nav.desk": ("借还台", "Desk"),
    "staff.nav.readers": ("读者", "Readers"),
    "staff.nav.holds": ("预约", "Holds"),
    "staff.nav.transits": ("调拨", "Transits"),
    "shelves.holds_title": ("预约：取书单与预约架", "Holds: pull list and hold shelf"),
    "shelves.pull_list": ("取书单（{count}）", "Pull list ({count})"),
    "shelves.pickup_at": ("取书地点", "Pick up at"),
    "shelves.pull_hint": (
        "取下后在借还台扫描还书：系统会放上预约架或装箱送往取书地点。",
        "Scan each copy at the desk's return field: it goes onto the hold shelf or into the box "
        "for its pickup point.",
    ),
    "shelves.nothing_to_pull": ("今天没有要取的书。", "Nothing to pull today."),
    "shelves.hold_shelf": ("预约架（{count}）", "Hold shelf ({count})"),
    "shelves.until": ("保留至", "Kept until"),
    "shelves.expired_mark": ("已过期", "expired"),
    "shelves.shelf_empty": ("预约架上没有书。", "The hold shelf is empty."),
    "shelves.expire": ("处理过期未取的预约", "Expire uncollected holds"),
    "shelves.expired": ("已处理 {count} 个过期预约。", "{count} holds expired."),
    "shelves.transits_title": ("调拨：接收与发出", "Transits: receive and send"),
    "shelves.receive": ("接收", "Receive"),
    "shelves.scan_to_receive": ("扫描到馆图书条码", "Scan an arriving item"),
    "shelves.receive_button": ("接收", "Receive"),
    "shelves.expected": ("待接收（{count}）", "Expected ({count})"),
    "shelves.from": ("来自", "From"),
    "shelves.sent_at": ("发出", "Sent"),
    "shelves.not_sent": ("尚未发出", "not sent yet"),
    "shelves.nothing_expected": ("没有在途运往本馆的图书。", "Nothing on its way here."),
    "shelves.to_send": ("待发出（{count}）", "To send ({count})"),
    "shelves.box_for": ("装箱：送往", "Box for"),
    "shelves.courier_took": ("物流已取走全部箱子", "The courier took the boxes"),
    "shelves.nothing_to_send": ("没有待发出的图书。", "Nothing to send."),
    "shelves.received": ("已接收《{title}》（{barcode}）。", "Received {title} ({barcode})."),
    "shelves.sent": ("已登记发出 {count} 册。", "{count} items marked sent."),
    "readers.title": ("读者管理", "Readers"),
    "readers.register": ("办证", "Register a reader"),
    "readers.register_submit": ("办理读者证", "Register"),
    "readers.find": (
        "按证号、姓名、手机号或身份证号查找",
        "Find by card, name, phone or ID number",
    ),
    "readers.search": ("查找", "Find"),
    "readers.name": ("姓名", "Name"),
    "readers.card": ("读者证号", "Card number"),
    "readers.category": ("读者类别", "Category"),
    "readers.home": ("所属馆（代码）", "Home point (code)"),
    "readers.state": ("状态", "State"),
    "readers.blocked": ("暂停借阅", "Blocked"),
    "readers.none": ("没有找到“{q}”。", "Nobody matches “{q}”."),
    "readers.id_number": ("身份证号", "Resident ID number"),
    "readers.id_help": (
        "只保存校验后的加密摘要和脱敏号码，不保存明文。",
        "Only a keyed hash and a masked form are kept, never the number itself.",
    ),
    "readers.phone": ("手机号", "Phone"),
    "readers.pin": ("初始密码", "PIN"),
    "readers.deposit": ("押金", "Deposit"),
    "readers.deposit_paid_by": ("现在缴纳：{method}", "Paid now: {method}"),
    "readers.deposit_later": ("暂不缴纳", "Not now"),
    "readers.deposit_help": (
        "只有需要押金的类别才收；医护、消防、信易阅等免押金读者不收。",
        "Taken only where the category asks for one; medical staff, firefighters and "
        "credit-rated readers pay none.",
    ),
    "readers.registered": (
        "已为 {name} 办证，证号 {card}。",
        "{name} registered with card {card}.",
    ),
    "readers.to_desk": ("到借还台", "To the desk"),
    "readers.manage": ("读者业务", "Manage"),
    "readers.block_reason": ("暂停借阅原因", "Reason to block"),
    "readers.block": ("暂停借阅", "Block"),
    "readers.unblock_reason": ("恢复说明", "Note"),
    "readers.unblock": ("恢复借阅", "Unblock"),
    "readers.new_card": ("新证号", "New card number"),
    "readers.why": ("原因", "Why"),
    "readers.why_lost": ("挂失补办", "lost"),
    "readers.why_damaged": ("损坏换卡", "damaged"),
    "readers.replace_card": ("补卡/换卡", "Replace card"),
    "readers.save": ("保存", "Save"),
    "readers.history_off": ("读者选择不保留借阅历史。", "The reader keeps no loan history."),
    "readers.done.block": ("已暂停借阅。", "Blocked."),
    "readers.done.unblock": ("已恢复借阅。", "Unblocked."),
    "readers.done.replace": (
        "已换发新证，旧证已停用。",
        "New card issued; the old one is blocked.",
    ),
    "readers.done.edit": ("已保存。", "Saved."),
    "desk.title": ("借还台", "Circulation desk"),
    "desk.point": ("本台服务点", "This desk is at"),
    "desk.choose_point": ("请选择", "choose"),
    "desk.switch_point": ("切换", "Switch"),
    "desk.choose_point_first": (
        "请先选择本台所在的服务点。",
        "Choose the service point this desk works at first.",
    ),
    "desk.reader": ("读者", "Reader"),
    "desk.scan_card": ("扫描读者证", "Scan the reader's card"),
    "desk.find_reader": ("查找", "Find"),
    "desk.card_no": ("证号 {card}", "card {card}"),
    "desk.home": ("所属馆 {home}", "home {home}"),
    "desk.expires": ("有效期至 {date}", "valid until {date}"),
    "desk.may_borrow": ("可以借书", "May borrow"),
    "desk.scan_to_lend": ("扫描图书条码借出", "Scan an item to lend"),
    "desk.lend": ("借出", "Lend"),
    "desk.loans": ("在借（{count}）", "On loan ({count})"),
    "desk.book": ("图书", "Item"),
    "desk.due": ("应还", "Due"),
    "desk.overdue": ("已逾期", "overdue"),
    "desk.renew": ("续借", "Renew"),
    "desk.renew_this": ("续借《{title}》", "Renew {title}"),
    "desk.renew_all": ("全部续借", "Renew all"),
    "desk.no_loans": ("没有在借图书。", "Nothing on loan."),
    "desk.holds_ready": ("预约到书（待取）", "Holds ready to collect"),
    "desk.fees": ("欠费 {amount}", "Owes {amount}"),
    "desk.fee_kind": ("类型", "Kind"),
    "desk.fee_owed": ("未付", "Owed"),
    "desk.waive": ("减免", "Waive"),
    "desk.waive_reason": ("减免原因", "Reason"),
    "desk.amount": ("收款金额（元）", "Amount (yuan)"),
    "desk.method": ("方式", "Method"),
    "desk.pay": ("收款", "Take payment"),
    "desk.no_fees": ("没有欠费。", "Owes nothing."),
    "desk.returns": ("还书", "Returns"),
    "desk.scan_to_return": ("扫描图书条码还书", "Scan an item to take it back"),
    "desk.take_back": ("还书", "Return"),
    "desk.return_hint": (
        "还书后请按提示放置图书：上架、放预约架或装箱调拨。",
        "After each return, put the item where the message says: shelf, hold shelf or transit box.",
    ),
    "desk.lent": (
        "借出《{title}》（{barcode}），应还日期 {due}。",
        "Lent {title} ({barcode}), due {due}.",
    ),
    "desk.returned": ("已还《{title}》（{barcode}）。", "Returned {title} ({barcode})."),
    "desk.fine_charged": ("逾期罚款 ¥{amount}。", "Overdue fine ¥{amount}."),
    "desk.renewed": ("《{title}》已续借，应还日期 {due}。", "{title} renewed, due {due}."),
    "desk.renewed_all": (
        "续借成功 {renewed} 册，未能续借 {refused} 册。",
        "Renewed {renewed}, not renewed {refused}.",
    ),
    "desk.paid": ("已收款 ¥{amount}，收据号 {receipt}。", "Took ¥{amount}, receipt {receipt}."),
    "desk.waived": ("已减免。", "Waived."),
    "receipt.title": ("收款收据", "Receipt"),
    "receipt.number": ("收据号", "Receipt number"),
    "receipt.reader": ("读者", "Reader"),
    "receipt.amount": ("金额", "Amount"),
    "receipt.method": ("方式", "Method"),
    "receipt.at": ("收款地点", "Taken at"),
    "receipt.time": ("时间", "Time"),
    "receipt.by": ("经办人", "Taken by"),
    "receipt.still_owed": ("尚欠", "Still owed"),
    "receipt.back": ("返回借还台", "Back to the desk"),
    "receipt.not_found": ("没有收据号为 {receipt} 的收款。", "No payment with receipt {receipt}."),
    "staff.permission_denied": (
        "账户 {username} 无权{action}{where}：需要 {permission} 权限，请联系管理员。",
        "Account {username} may not {action}{where}: it needs {permission}; ask an administrator.",
    ),
    "error.back_home": ("返回首页", "Back to the home page"),
    "error.code": ("错误代码 {status}", "Error {status}"),
    # --- staffcat: the catalogue import page (cat.*) ---
    "cat.nav": ("编目导入", "Catalogue import"),
    "cat.import.title": ("导入书目记录", "Import catalogue records"),
    "cat.import.intro": (
        "上传 MARC 文件（ISO 2709、MARCXML 或 MARC-in-JSON）。坏记录不会中断导入，会列入拒收报告；再次导入同一文件会更新记录而不会重复。",
        "Upload MARC files (ISO 2709, MARCXML or MARC-in-JSON). A bad record never stops the import: it goes to the rejects report; importing the same file again updates its records instead of duplicating them.",
    ),
    "cat.import.files": ("文件（可多选）", "Files (one or more)"),
    "cat.import.encoding": ("字符集", "Character set"),
    "cat.import.encoding_help": (
        "留空：MARC21 看头标第 9 位，CNMARC 看 100$a/26-29。",
        "Blank: leader/9 for MARC21, 100$a/26-29 for CNMARC.",
    ),
    "cat.import.flavour": ("格式", "Flavour"),
    "cat.import.flavour_auto": ("逐条识别", "tell per record"),
    "cat.import.items_at": ("馆藏入藏到", "Items at"),
    "cat.import.items_at_none": (
        "不建馆藏（除非记录里有）",
        "no point (only holdings in the records)",
    ),
    "cat.import.items_at_help": (
        "未写服务点的复本入藏到此处；没有馆藏字段的记录各建一册，缺条码的自动生成。",
        "Copies that name no point go here; one copy per record without holdings; barcodes generated where missing.",
    ),
    "cat.import.source": ("来源", "Source"),
    "cat.import.source_help": (
        "重新导入时用于匹配记录（默认取 003，否则为本地）。",
        "Used to match records on re-import (default: 003, else local).",
    ),
    "cat.import.run": ("开始导入", "Import"),
    "cat.import.results": ("导入结果", "Results"),
    "cat.import.format": ("文件格式", "Format"),
    "cat.import.records": ("读取记录", "Records read"),
    "cat.import.imported": ("新增", "Imported"),
    "cat.import.updated": ("更新", "Updated"),
    "cat.import.unchanged": ("未变", "Unchanged"),
    "cat.import.rejected": ("拒收", "Rejected"),
    "cat.import.items_created": ("新建馆藏", "Items created"),
    "cat.import.report": ("拒收与问题报告", "Rejects and problems"),
    "cat.import.download": ("下载报告（文本）", "Download the report (text)"),
    "cat.import.position": ("位置", "Position"),
    "cat.import.offset": ("字节", "Byte offset"),
    "cat.import.outcome": ("结果", "Outcome"),
    "cat.import.reason": ("原因", "Reason"),
    "cat.import.more_rejects": (
        "还有 {count} 行未显示，请下载报告查看。",
        "{count} more rows not shown: download the report.",
    ),
    "cat.import.no_problems": ("没有问题记录。", "No problems."),
    "cat.import.no_files": ("请选择至少一个文件。", "Choose at least one file."),
    "cat.import.bad_encoding": (
        "不认识的字符集“{encoding}”：请用 utf-8、gb18030、gbk、marc-8 等，或留空。",
        "Unknown character set “{encoding}”: use utf-8, gb18030, gbk, marc-8 …, or leave it blank.",
    ),
    "cat.import.bad_flavour": (
        "不认识的格式“{flavour}”：请选 marc21 或 cnmarc。",
        "Unknown flavour “{flavour}”: choose marc21 or cnmarc.",
    ),
    "cat.import.no_report": (
        "没有这份报告（可能已被清理）。",
        "No such report (it may have been cleared).",
    ),
    # --- staffcat: the network page (netadmin.*) ---
    "netadmin.nav": ("服务网络", "Network"),
    "netadmin.title": ("服务网络", "Service network"),
    "netadmin.code": ("代码", "Code"),
    "netadmin.name": ("名称", "Name"),
    "netadmin.name_en": ("英文名称", "English name"),
    "netadmin.kind": ("类型", "Kind"),
    "netadmin.address": ("地址", "Address"),
    "netadmin.phone": ("电话", "Phone"),
    "netadmin.lends": ("可借阅", "Lends"),
    "netadmin.pickup": ("可取预约书", "Pickup point"),
    "netadmin.active": ("启用", "Active"),
    "netadmin.save": ("保存", "Save"),
    "netadmin.back": ("返回服务网络", "Back to the network"),
    "netadmin.saved": ("服务点 {code} 已保存。", "Point {code} saved."),
    # --- staffcat: the policy matrix page (policy_page.*) ---
    "policy_page.nav": ("借阅规则", "Policies"),
    "policy_page.title": ("借阅规则", "Lending policy matrix"),
    "policy_page.intro": (
        "最具体的规则适用：服务点优先于服务点类型，再看读者类型，再看文献类型；同分看权重，再看较早的规则。",
        "The most specific rule applies: a point beats a kind of point beats any point; then a reader category; then an item type; ties go to the higher weight, then the older rule.",
    ),
    "policy_page.matrix": ("规则表", "The rules"),
    "policy_page.show_inactive": ("显示停用的规则", "Show inactive rules too"),
    "policy_page.hide_inactive": ("只显示启用的规则", "Show active rules only"),
    "policy_page.key.point": ("服务点", "Point"),
    "policy_page.key.kind": ("服务点类型", "Kind of point"),
    "policy_page.key.category": ("读者类型", "Reader category"),
    "policy_page.key.item_type": ("文献类型", "Item type"),
    "policy_page.score": ("具体度", "Specificity"),
    "policy_page.note": ("备注", "Note"),
    "policy_page.any": ("任意", "any"),
    "policy_page.kind_of": ("类型：{kind}", "kind: {kind}"),
    "policy_page.yes": ("是", "yes"),
    "policy_page.no": ("否", "no"),
    "policy_page.keep": ("不变", "keep as is"),
    "policy_page.no_rules": ("还没有规则。", "No rules yet."),
    "policy_page.money_in_fen": (
        "金额以分计（100 分 = 1 元）。",
        "Money is in fen (100 fen = ¥1).",
    ),
    "policy_page.term.loan_days": ("借期（天）", "Loan days"),
    "policy_page.term.max_items": ("可借册数", "Max items"),
    "policy_page.term.max_items_of_type": ("本类可借册数", "Max of this type"),
    "policy_page.term.renewals": ("续借次数", "Renewals"),
    "policy_page.term.renewal_days": ("续借天数", "Renewal days"),
    "policy_page.term.fine_per_day_fen": ("每天罚金（分）", "Fine per day (fen)"),
    "policy_page.term.max_fine_fen": ("罚金上限（分）", "Max fine (fen)"),
    "policy_page.term.max_overdue_items": ("允许超期册数", "Overdue items allowed"),
    "policy_page.term.max_unpaid_fen": ("允许欠款（分）", "Unpaid allowed (fen)"),
    "policy_page.term.hold_limit": ("预约上限", "Hold limit"),
    "policy_page.term.weight": ("权重", "Weight"),
    "policy_page.term.lendable": ("可外借", "Lendable"),
    "policy_page.term.fine_capped_at_price": ("罚金不超书价", "Fine capped at price"),
    "policy_page.term.holds_allowed": ("可预约", "Holds allowed"),
    "policy_page.term.active": ("启用", "Active"),
    "policy_page.set": ("设置规则", "Set a rule"),
    "policy_page.set_help": (
        "选定的键与已有规则完全相同时修改该规则，否则新建；留空的条款保持原值（新规则取默认值）。停用规则：启用选“否”。",
        "If a rule with exactly these keys exists it is changed, otherwise a new one is made; blank terms keep their value (defaults for a new rule). To retire a rule set Active to no.",
    ),
    "policy_page.keys": ("规则的键", "Keys of the rule"),
    "policy_page.terms": ("条款", "Terms"),
    "policy_page.save": ("保存规则", "Save the rule"),
    "policy_page.saved": ("规则 #{id} 已保存。", "Rule #{id} saved."),
    "policy_page.bad_number": (
        "“{term}”的值“{value}”无效：请填写范围内的整数（或留空保持不变），规则未修改。",
        "“{value}” is not valid for “{term}”: give a whole number in range (or leave it blank to keep it); the rule was not changed.",
    ),
    "policy_page.explain": ("规则说明", "Explain"),
    "policy_page.patron": ("读者证号", "Card number"),
    "policy_page.item": ("册条码", "Item barcode"),
    "policy_page.at": ("服务点", "At point"),
    "policy_page.explain_button": ("说明适用的规则", "Which rule applies?"),
    "policy_page.explain_needs_all": (
        "请填写读者证号、册条码并选择服务点。",
        "Give a card number and an item barcode, and choose a point.",
    ),
    "policy_page.explain_for": (
        "读者 {patron}（{category}，按 {policy_category} 的规则）在 {point} 借 {item}（{item_type}）：",
        "Reader {patron} ({category}, under the rules for {policy_category}) borrowing {item} ({item_type}) at {point}:",
    ),
    "policy_page.type_not_lendable": ("该文献类型不外借。", "This item type is not for loan."),
    "policy_page.winner": ("适用规则 #{id}。", "Rule #{id} applies."),
    "policy_page.no_winner": (
        "没有匹配的规则：不能外借。",
        "No rule matches: this loan is not possible.",
    ),
    "policy_page.why": ("原因", "Why"),
}
TRANSLATIONS = merged(TRANSLATIONS)


def t(key: str, lang: str, /, **params: object) -> str:
    """The interface string ``key`` in ``lang``, with ``params`` filled in.

    An unknown key raises ``KeyError``: a missing translation is a bug to catch
    in the tests, not a blank on a reader's screen.
    """
    zh, en = TRANSLATIONS[key]
    text = en if lang == "en" else zh
    return text.format(**params) if params else text


def normalise_lang(value: str | None) -> Lang | None:
    """``zh``, ``zh-CN``, ``zh-Hans`` → ``zh``; ``en``, ``en-GB`` → ``en``; anything else → None."""
    if not value:
        return None
    primary = value.strip().lower().replace("_", "-").split("-", 1)[0]
    if primary == "zh":
        return "zh"
    if primary == "en":
        return "en"
    return None


def html_lang(lang: str) -> str:
    """The value of ``<html lang>``: ``zh-CN`` or ``en``."""
    return _HTML_LANG["en" if lang == "en" else "zh"]


def other_lang(lang: str) -> Lang:
    return "zh" if lang == "en" else "en"


# Spelled out rather than strftime("%a"), which follows the process locale.
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(day: date, lang: str) -> str:
    """``2026年5月1日 周五`` or ``Fri 1 May 2026``."""
    if lang == "en":
        weekday = _EN_WEEKDAYS[day.isoweekday() - 1]
        return f"{weekday} {day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日 {t(f'weekday.{day.isoweekday()}', 'zh')}"


def format_yuan(fen: int | None) -> str:
    """Money is kept in fen; readers read yuan: 3850 → ``¥38.50``."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"
