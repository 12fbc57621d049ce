"""Strings of the self-check machines page (自助设备)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "kiosk.title": ("自助设备", "Self-check machines"),
    "kiosk.more": ("自助设备（SIP2 账户）", "Self-check machines (SIP2 accounts)"),
    "kiosk.intro": (
        "每台自助借还机或还书箱用一个 SIP2 账户登录，它的每笔借还都记在所在服务点。",
        "Each self-check machine or return box signs in with a SIP2 account; every loan and "
        "return it makes happens at its point.",
    ),
    "kiosk.list": ("自助机账户", "Kiosk accounts"),
    "kiosk.none": (
        "还没有自助机账户。",
        "No kiosk accounts yet.",
    ),
    "kiosk.login": ("登录名", "Login"),
    "kiosk.password": ("密码", "Password"),
    "kiosk.new_password": ("新密码（留空不改）", "New password (blank: keep)"),
    "kiosk.point": ("所在服务点", "Point"),
    "kiosk.encoding": ("文字编码", "Text encoding"),
    "kiosk.encoding_hint": (
        "国内很多自助机用 GB18030（GBK）。",
        "Many self-check machines in China use GB18030 (GBK).",
    ),
    "kiosk.checksums": ("校验和", "Checksums"),
    "kiosk.checksums_required": (
        "要求每条消息带校验和（AY/AZ）",
        "Require checksums (AY/AZ) on every message",
    ),
    "kiosk.active": ("启用", "Active"),
    "kiosk.last_login": ("最近登录", "Last sign-in"),
    "kiosk.change": ("修改", "Change"),
    "kiosk.save": ("保存", "Save"),
    "kiosk.yes": ("是", "yes"),
    "kiosk.no": ("否", "no"),
    "kiosk.add": ("添加自助机", "Add a machine"),
    "kiosk.add_button": ("添加", "Add"),
    "kiosk.added": (
        "已添加自助机账户 {login}（{point}）。",
        "Kiosk account {login} added ({point}).",
    ),
    "kiosk.changed": ("自助机账户 {login} 已修改。", "Kiosk account {login} changed."),
}
