"""Interface strings of the catalogue pages: the MARC editor, copies, spine labels."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- finding and editing records (MARC editor) ---
    "marc.nav": ("书目编辑", "Records"),
    "marc.find.title": ("书目检索与编辑", "Find and edit records"),
    "marc.find.label": ("题名、著者、ISBN 或册条码", "Title, author, ISBN or item barcode"),
    "marc.find.search": ("检索", "Search"),
    "marc.find.count": ("找到 {count} 条书目", "{count} records found"),
    "marc.find.none": ("没有找到与「{q}」相符的书目", "No record matches “{q}”"),
    "marc.field.title": ("题名", "Title"),
    "marc.field.author": ("著者", "Author"),
    "marc.field.publisher": ("出版者", "Publisher"),
    "marc.field.year": ("出版年", "Year"),
    "marc.field.clc": ("中图法分类号", "CLC class"),
    "marc.new": ("新建书目", "New record"),
    "marc.new_blank": ("换用此格式的空白模板", "Start from a blank form in this format"),
    "marc.flavour": ("MARC 格式", "MARC format"),
    "marc.create": ("创建书目", "Create the record"),
    "marc.back_to_find": ("← 返回书目检索", "← Back to finding records"),
    "marc.editor": ("MARC 编辑", "MARC editor"),
    "marc.text": ("{flavour} 记录，每行一个字段", "{flavour} record, one field a line"),
    "marc.record_id": ("内部编号 {id}", "id {id}"),
    "marc.source": ("来源", "source"),
    "marc.opac_view": ("读者看到的页面", "as readers see it"),
    "marc.save": ("保存记录", "Save the record"),
    "marc.reopen": ("重新打开最新版本", "Open the latest version"),
    "marc.saved": ("书目记录 {id} 已保存。", "Record {id} saved."),
    "marc.unchanged": ("书目记录 {id} 没有改动。", "Record {id} was not changed."),
    "marc.problems": (
        "记录有以下 {count} 个问题，未保存（“提示”不妨碍保存）：",
        "The record has {count} problem(s) and was not saved (warnings alone do not stop a save):",
    ),
    "marc.help.title": ("书写规则", "How to write a record"),
    "marc.help.lines": (
        "每行一个字段：字段号、一个空格，然后是内容；头标写作 LDR，共 24 个字符。",
        "One field a line: the tag, one space, then its content; the leader is LDR and 24 "
        "characters.",
    ),
    "marc.help.indicators": (
        "数据字段先写两个指示符（0-9、a-z，空白写作 #），再写子字段，如 200 1#$a红楼梦$f曹雪芹著。",
        "A data field starts with two indicators (0-9, a-z, # for a blank), then its "
        "subfields: 245 10$aTitle$cAuthor.",
    ),
    "marc.help.control": (
        "控制字段（001–009）只有内容，没有指示符和子字段；头标和 006–008 中的空格写作 #。",
        "Control fields (001–009) hold only data, no indicators or subfields; blanks in the "
        "leader and 006–008 are written #.",
    ),
    "marc.help.dollar": ("值中的 $ 写作 {dollar}。", "Write a $ inside a value as {dollar}."),
    "marc.help.copies": (
        "复本（馆藏 905 / 852 / 952）不在这里编辑，请用下方的“馆藏复本”。",
        "Copies (holdings 905 / 852 / 952) are not edited here: use the copies section below.",
    ),
    # --- copies ---
    "items.title": ("馆藏复本（{count} 册）", "Copies ({count})"),
    "items.none": ("这条书目还没有复本。", "This record has no copies yet."),
    "items.barcode": ("册条码", "Barcode"),
    "items.barcode_auto": ("留空则自动编号", "leave blank for the next number"),
    "items.status": ("状态", "Status"),
    "items.home": ("所属馆", "Home point"),
    "items.here": ("当前所在", "Now at"),
    "items.call_number": ("索书号", "Call number"),
    "items.volume": ("卷册", "Volume"),
    "items.location": ("馆藏位置", "Location"),
    "items.type": ("文献类型", "Item type"),
    "items.price": ("价格（元）", "Price (yuan)"),
    "items.note": ("备注", "Note"),
    "items.floating": ("浮动馆藏", "floating"),
    "items.add": ("添加复本", "Add a copy"),
    "items.add_button": ("添加", "Add"),
    "items.added": ("已添加复本 {barcode}。", "Copy {barcode} added."),
    "items.edit": ("修改复本", "Edit copy"),
    "items.back": ("← 返回《{title}》", "← Back to {title}"),
    "items.home_hint": (
        "借出或在途的册不能修改所属馆。",
        "The home point cannot change while the copy is on loan or in transit.",
    ),
    "items.save": ("保存", "Save"),
    "items.saved": ("复本 {barcode} 已保存。", "Copy {barcode} saved."),
    "items.withdraw": ("注销（剔旧）", "Withdraw"),
    "items.withdraw_hint": (
        "注销后该册不再外借，记录保留；借出、在途或预约待取的册不能注销。",
        "A withdrawn copy is kept on record but never lent again; a copy on loan, in transit "
        "or on the hold shelf cannot be withdrawn.",
    ),
    "items.withdraw_reason": ("原因", "Reason"),
    "items.withdraw_button": ("注销此册", "Withdraw this copy"),
    "items.withdrawn": ("复本 {barcode} 已注销。", "Copy {barcode} withdrawn."),
    # --- spine labels ---
    "labels.title": ("打印书标", "Spine labels"),
    "labels.intro": (
        "输入或扫描册条码（每行一个），或选择服务点打印它今天新加的复本；生成的页面可直接用 A4 纸打印。",
        "Type or scan barcodes (one a line), or pick a point to print the copies it added "
        "today; the sheet prints on A4.",
    ),
    "labels.barcodes": ("册条码", "Barcodes"),
    "labels.point": ("今天新加复本的服务点", "Copies added today at"),
    "labels.point_none": ("（不选）", "(none)"),
    "labels.make": ("生成书标", "Make labels"),
    "labels.unknown": (
        "以下 {count} 个条码不是本馆的册，未打印：",
        "These {count} barcodes are no item of this network and were not printed:",
    ),
    "labels.count": ("共 {count} 张书标。", "{count} labels."),
    "labels.print_hint": ("用浏览器的“打印”即可输出。", "Print the page from the browser."),
}
