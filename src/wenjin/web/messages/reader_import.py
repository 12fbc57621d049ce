"""Strings of the bulk reader import page (批量办证)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "pimport.title": ("批量办证", "Register readers in bulk"),
    "pimport.link": ("批量办证（CSV / Excel）", "Register in bulk (CSV / Excel)"),
    "pimport.intro": (
        "上传学校班级名单等 CSV（UTF-8 或 GB18030）或 Excel（.xlsx）文件：合格的行办证或更新，"
        "有问题的行逐行列出原因，其余照常导入。",
        "Upload a class list or similar as CSV (UTF-8 or GB18030) or Excel (.xlsx): good "
        "rows are registered or updated, each bad row is listed with its reason, the rest "
        "import as usual.",
    ),
    "pimport.columns": (
        "表头（必填：读者证号、姓名、类别、所属馆）：",
        "Columns (required: card, name, category, home):",
    ),
    "pimport.template": ("下载模板", "Download the template"),
    "pimport.file": ("文件", "File"),
    "pimport.waiver": ("押金减免理由（可选）", "Deposit waiver reason (optional)"),
    "pimport.waiver_example": ("学校统一担保", "the school stands guarantee"),
    "pimport.run": ("导入", "Import"),
    "pimport.result": ("导入结果", "Result"),
    "pimport.total": ("总行数", "Rows"),
    "pimport.imported": ("新办证", "Registered"),
    "pimport.updated": ("已更新", "Updated"),
    "pimport.unchanged": ("无变化", "Unchanged"),
    "pimport.rejected": ("拒收", "Rejected"),
    "pimport.ignored": ("未识别的列（已忽略）：", "Columns not recognised (ignored):"),
    "pimport.rejects": ("拒收的行", "Rejected rows"),
    "pimport.warnings": ("提醒", "Warnings"),
    "pimport.row": ("行号", "Row"),
    "pimport.reason": ("原因", "Reason"),
    "pimport.no_file": ("请选择要导入的文件。", "Choose a file to import."),
    "pimport.bad_type": ("请上传 .csv 或 .xlsx 文件。", "Upload a .csv or .xlsx file."),
    "pimport.too_big": ("文件超过 20 MB，请分批导入。", "The file exceeds 20 MB; split it."),
}
