"""Strings of the circulation log and audit trail pages."""

MESSAGES: dict[str, tuple[str, str]] = {
    "logs.circ_title": ("流通日志", "Circulation log"),
    "logs.circ_more": ("流通日志", "Circulation log"),
    "logs.audit_title": ("操作日志", "Audit trail"),
    "logs.audit_more": ("操作日志（谁改了什么）", "Audit trail (who changed what)"),
    "logs.audit_intro": (
        "服务点、书目、复本、读者、员工账户、自助机等的每一次新建、修改和删除，以及经办人。",
        "Every creation, change and removal of points, records, copies, readers, staff "
        "accounts, kiosks and more, with who made it.",
    ),
    "logs.item": ("册条码", "Item barcode"),
    "logs.card": ("读者证号", "Card number"),
    "logs.point": ("服务点", "Point"),
    "logs.filter": ("筛选", "Filter"),
    "logs.summary": (
        "共 {total} 条，第 {page}/{pages} 页",
        "{total} entries, page {page} of {pages}",
    ),
    "logs.at": ("时间", "When"),
    "logs.action": ("操作", "Action"),
    "logs.who": ("经办人", "Who"),
    "logs.change": ("变化", "Change"),
    "logs.entity": ("对象", "What"),
    "logs.row": ("编号", "Row id"),
    "logs.since": ("自", "Since"),
    "logs.all": ("全部", "All"),
    "logs.action.created": ("新建", "created"),
    "logs.action.changed": ("修改", "changed"),
    "logs.action.removed": ("删除", "removed"),
    "logs.bad_day": (
        "日期“{value}”无效，请用 YYYY-MM-DD。",
        "“{value}” is not a day; use YYYY-MM-DD.",
    ),
    "logs.bad_entity": ("操作日志不记录“{value}”。", "The audit trail does not follow “{value}”."),
}
