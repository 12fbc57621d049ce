"""What a kiosk (or the person setting one up) can get wrong, in Chinese and English."""

from __future__ import annotations

from wenjin.errors import WenjinError


class Sip2Error(WenjinError):
    pass


class KioskLoginTaken(Sip2Error):
    code = "sip2_login_taken"

    def __init__(self, login: str) -> None:
        super().__init__(
            f"自助机账户 {login} 已存在，请换一个登录名",
            f"The kiosk account {login} exists already; choose another login",
        )


class InvalidKioskLogin(Sip2Error):
    code = "sip2_login_invalid"

    def __init__(self, login: str) -> None:
        super().__init__(
            f"登录名 {login!r} 无效：请用1到40个字母、数字、点、横线或下划线",
            f"The login {login!r} is not valid: use 1 to 40 letters, digits, dots, dashes "
            "or underscores",
        )


class KioskPasswordInvalid(Sip2Error):
    code = "sip2_password_invalid"

    def __init__(self) -> None:
        super().__init__(
            "自助机密码至少6个字符，且不能含 | 字符",
            "A kiosk password needs at least 6 characters and no | character",
        )


class UnknownEncoding(Sip2Error):
    code = "sip2_encoding_unknown"

    def __init__(self, encoding: str, known: str) -> None:
        super().__init__(
            f"不支持的编码 {encoding}，可选：{known}",
            f"Unsupported encoding {encoding}; choose one of {known}",
        )


class KioskLoginRefused(Sip2Error):
    code = "sip2_login_refused"

    def __init__(self) -> None:
        super().__init__(
            "自助机登录失败：登录名或密码不正确，或账户已停用",
            "Kiosk login refused: wrong login or password, or the account is disabled",
        )


class NotLoggedIn(Sip2Error):
    code = "sip2_not_logged_in"

    def __init__(self) -> None:
        super().__init__(
            "自助机尚未登录（消息93），请联系馆员",
            "The kiosk has not logged in (message 93); call a librarian",
        )


class WrongPatronPin(Sip2Error):
    code = "sip2_pin_wrong"

    def __init__(self) -> None:
        super().__init__(
            "读者证密码不正确，请重新输入；忘记密码请到服务台重置",
            "Wrong PIN; try again, or reset it at the desk",
        )


class MissingField(Sip2Error):
    code = "sip2_field_missing"

    def __init__(self, field_id: str, what_zh: str, what_en: str) -> None:
        super().__init__(
            f"请求缺少{what_zh}（字段 {field_id}）",
            f"The request has no {what_en} (field {field_id})",
        )


class NotThisReadersLoan(Sip2Error):
    code = "sip2_not_this_readers_loan"

    def __init__(self, barcode: str) -> None:
        super().__init__(
            f"图书 {barcode} 不是本读者借的，不能在此续借",
            f"Item {barcode} is not on loan to this reader; it cannot be renewed here",
        )


class HoldTargetMissing(Sip2Error):
    code = "sip2_hold_target_missing"

    def __init__(self) -> None:
        super().__init__(
            "请扫描要预约的图书条码（AB），或给出书目号（AJ）",
            "Scan the barcode of the book to hold (AB) or give its record number (AJ)",
        )


class NoSuchHold(Sip2Error):
    code = "sip2_hold_not_found"

    def __init__(self) -> None:
        super().__init__("您没有这本书的预约", "You have no hold on this title")


class UnknownHoldMode(Sip2Error):
    code = "sip2_hold_mode_unknown"

    def __init__(self, mode: str) -> None:
        super().__init__(
            f"预约操作 {mode!r} 无效：+ 预约，- 取消，* 更改取书点",
            f"hold mode {mode!r} is not valid: + place, - cancel, * change pickup point",
        )


class UnknownPaymentType(Sip2Error):
    code = "sip2_payment_type_unknown"

    def __init__(self, payment_type: str) -> None:
        super().__init__(
            f"不支持的支付方式代码 {payment_type!r}（可用 00 现金、01/02 银行卡）",
            f"Unsupported payment type {payment_type!r} (00 cash, 01/02 card)",
        )


class BadFeeAmount(Sip2Error):
    code = "sip2_fee_amount_invalid"

    def __init__(self, amount: str) -> None:
        super().__init__(
            f"缴费金额 {amount!r} 无效，请写成元，例如 12.50",
            f"Fee amount {amount!r} is not valid; write yuan, e.g. 12.50",
        )


class StaffBlockStays(Sip2Error):
    code = "sip2_staff_block"

    def __init__(self) -> None:
        super().__init__(
            "该读者证由馆员暂停借阅，只能在服务台解除",
            "This card was blocked by staff; only the desk can lift the block",
        )


class NothingToEnable(Sip2Error):
    code = "sip2_nothing_to_enable"

    def __init__(self) -> None:
        super().__init__(
            "该读者证没有被自助机锁定，无需解锁",
            "This card was not blocked by a kiosk; nothing to enable",
        )


class KioskNotFound(Sip2Error):
    code = "sip2_account_not_found"

    def __init__(self, login: str) -> None:
        super().__init__(f"没有自助机账户 {login}", f"There is no kiosk account {login}")
