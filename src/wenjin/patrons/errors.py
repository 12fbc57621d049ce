"""Errors of the patrons domain. Messages are for a desk librarian: what is wrong, what to do.

No message ever carries a resident ID number in clear: only its masked form.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from wenjin.config import get_settings
from wenjin.errors import WenjinError


class PatronError(WenjinError):
    pass


class InvalidIdNumber(PatronError):
    code = "id_number_invalid"

    def __init__(self, shown: str, why_zh: str, why_en: str) -> None:
        self.why_zh = why_zh
        self.why_en = why_en
        super().__init__(
            f"身份证号 {shown} 无效：{why_zh}。请核对居民身份证后重新输入",
            f"Resident ID number {shown} is invalid: {why_en}. Check the ID card and enter it again",
        )


class DuplicateIdNumber(PatronError):
    code = "id_number_registered"

    def __init__(self, masked: str, card_number: str | None, name: str, closed: bool) -> None:
        self.card_number = card_number
        card = card_number or "（无在用卡 no active card）"
        if closed:
            zh = (
                f"身份证号 {masked} 已登记过读者证 {card}（{name}，已注销）；"
                "请为该读者重新开通原账户，不要另办新账户"
            )
            en = (
                f"ID number {masked} is already registered as card {card} ({name}, closed); "
                "reopen that account instead of creating a new one"
            )
        else:
            zh = (
                f"身份证号 {masked} 已办理读者证 {card}（{name}）；一人只能有一个账户，"
                "如卡丢失请办理挂失补卡"
            )
            en = (
                f"ID number {masked} already holds card {card} ({name}); one person has one "
                "account: if the card is lost, replace it instead"
            )
        super().__init__(zh, en)


class InvalidPin(PatronError):
    code = "pin_invalid"

    def __init__(self) -> None:
        super().__init__(
            "密码必须是6位数字，请重新设置",
            "The PIN must be exactly 6 digits; set it again",
        )


class WrongPin(PatronError):
    code = "pin_wrong"

    def __init__(self) -> None:
        super().__init__(
            "原密码不正确，请重新输入；忘记密码请凭身份证到服务台重置",
            "The current PIN is wrong; a reader who forgot it resets it at the desk with an ID card",
        )


class InvalidCardNumber(PatronError):
    code = "card_number_invalid"

    def __init__(self, number: str, why_zh: str, why_en: str) -> None:
        super().__init__(
            f"读者证号 {number!r} 无效：{why_zh}", f"Card number {number!r} is invalid: {why_en}"
        )


class CardNumberTaken(PatronError):
    code = "card_number_taken"

    def __init__(self, number: str, *, by_item: bool) -> None:
        if by_item:
            zh = f"号码 {number} 已是一册图书的条码，读者证号不能与册条码相同，请换一张证"
            en = (
                f"{number} is already an item barcode; a card number must differ from every barcode"
            )
        else:
            zh = f"读者证号 {number} 已被使用（含已挂失、已注销的卡），请换一张证"
            en = f"Card number {number} is already used (lost and cancelled cards count); use another card"
        super().__init__(zh, en)


class CardNotFound(PatronError):
    code = "card_not_found"

    def __init__(self, number: str) -> None:
        super().__init__(
            f"读者证号 {number} 不存在，请检查扫描是否完整，或按姓名、手机号查找读者",
            f"No card {number}; check the scan, or search the reader by name or phone",
        )


class PatronNotFound(PatronError):
    code = "patron_not_found"

    def __init__(self, ref: object) -> None:
        super().__init__(f"没有找到读者 {ref}", f"No patron {ref}")


class CardNotActive(PatronError):
    code = "card_not_active"

    def __init__(self, number: str, status_zh: str, status_en: str) -> None:
        super().__init__(
            f"读者证 {number} 状态为「{status_zh}」，不能办理此业务；请用该读者的在用卡",
            f"Card {number} is {status_en.lower()}; use the reader's active card",
        )


class UnknownCategory(PatronError):
    code = "category_unknown"

    def __init__(self, code: str, known: Sequence[str]) -> None:
        super().__init__(
            f"没有读者类别 {code}，可用：{', '.join(known)}",
            f"No patron category {code}; known categories: {', '.join(known)}",
        )


class CategoryAgeMismatch(PatronError):
    code = "category_age_mismatch"

    def __init__(self, category_zh: str, category_en: str, age: int, rule_zh: str, rule_en: str):
        super().__init__(
            f"读者年龄{age}周岁，{category_zh}{rule_zh}；请选择其他读者类别",
            f"The reader is {age}; {category_en} {rule_en}; choose another category",
        )


class InvalidPatronField(PatronError):
    """A name, phone, date or other field that cannot be stored as given."""

    code = "patron_field_invalid"

    def __init__(self, field_zh: str, field_en: str, value: object, why_zh: str, why_en: str):
        self.field_en = field_en
        super().__init__(
            f"{field_zh} {value!r} 无效：{why_zh}", f"Invalid {field_en} {value!r}: {why_en}"
        )


class AccountClosed(PatronError):
    code = "account_closed"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"读者 {name} 的账户已注销，不能办理此业务；如需恢复请重新开通账户",
            f"The account of {name} is closed; reopen it first",
        )


class AccountNotClosed(PatronError):
    code = "account_not_closed"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"读者 {name} 的账户仍在使用，无需重新开通",
            f"The account of {name} is still open; there is nothing to reopen",
        )


class NotBlocked(PatronError):
    code = "not_blocked"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"读者 {name} 没有人工暂停；过期、欠款等限制需办理续期、缴费后自动解除",
            f"{name} has no manual block; expiry, fines and the like lift once renewed or paid",
        )


class BlockReasonMissing(PatronError):
    code = "block_reason_missing"

    def __init__(self) -> None:
        super().__init__(
            "暂停借阅必须写明原因，读者来问时馆员要能读给他听",
            "A manual block needs a reason: the desk must be able to tell the reader why",
        )


class DepositNotRequired(PatronError):
    code = "deposit_not_required"

    def __init__(self, name: str, why_zh: str, why_en: str) -> None:
        super().__init__(f"读者 {name} 无需缴纳押金：{why_zh}", f"{name} owes no deposit: {why_en}")


class DepositAlreadyHeld(PatronError):
    code = "deposit_already_held"

    def __init__(self, name: str, amount_fen: int, paid_on: date | None) -> None:
        when = paid_on.isoformat() if paid_on else ""
        super().__init__(
            f"读者 {name} 已于{when}缴纳押金 ¥{amount_fen / 100:.2f}，不能重复收取",
            f"{name} already paid a deposit of ¥{amount_fen / 100:.2f} on {when}; do not take it twice",
        )


class NoDepositHeld(PatronError):
    code = "no_deposit_held"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"读者 {name} 没有未退的押金，无需退款", f"{name} has no deposit to refund"
        )


class DepositStillRequired(PatronError):
    code = "deposit_still_required"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"读者 {name} 仍需押金才能借书，押金在注销读者证时退还",
            f"{name} still needs the deposit to borrow; it is refunded when the account is closed",
        )


class InvalidDepositAmount(PatronError):
    code = "deposit_amount_invalid"

    def __init__(self, amount_fen: int, expected_fen: int) -> None:
        super().__init__(
            f"押金金额 ¥{amount_fen / 100:.2f} 不对，该类别押金为 ¥{expected_fen / 100:.2f}",
            f"Deposit ¥{amount_fen / 100:.2f} is wrong; this category's deposit is "
            f"¥{expected_fen / 100:.2f}",
        )


class AccountHasObligations(PatronError):
    code = "account_has_obligations"

    def __init__(self, name: str, open_loans: int, unpaid_fines_fen: int) -> None:
        self.open_loans = open_loans
        self.unpaid_fines_fen = unpaid_fines_fen
        parts_zh, parts_en = [], []
        if open_loans:
            parts_zh.append(f"还有{open_loans}册图书未还")
            parts_en.append(f"{open_loans} item(s) still on loan")
        if unpaid_fines_fen:
            parts_zh.append(f"欠款 ¥{unpaid_fines_fen / 100:.2f} 未缴")
            parts_en.append(f"¥{unpaid_fines_fen / 100:.2f} in unpaid fines")
        super().__init__(
            f"读者 {name} {'，'.join(parts_zh)}，请先还书、缴清欠款再注销",
            f"{name} has {' and '.join(parts_en)}; return and pay before closing the account",
        )


class CreditNotApplicable(PatronError):
    code = "credit_not_applicable"

    def __init__(self, name: str, category_zh: str) -> None:
        super().__init__(
            f"读者 {name} 的类别是{category_zh}，信用等级只对信易阅读者有效；"
            "请先把类别改为信易阅读者（CREDIT）",
            f"{name} is not a credit-based reader; change the category to CREDIT first",
        )


class InvalidCreditRating(PatronError):
    code = "credit_rating_invalid"

    def __init__(self, why_zh: str, why_en: str) -> None:
        super().__init__(f"信用核验信息无效：{why_zh}", f"Invalid credit rating: {why_en}")


class IllegalCardTransition(PatronError):
    """A card status change outside the declared table: a programming error."""

    code = "card_transition_illegal"

    def __init__(self, current: str, new: str) -> None:
        super().__init__(
            f"读者证状态不能从 {current} 变为 {new}", f"A card cannot go from {current} to {new}"
        )


class IllegalPatronTransition(PatronError):
    code = "patron_transition_illegal"

    def __init__(self, current: str, new: str) -> None:
        super().__init__(
            f"读者账户状态不能从 {current} 变为 {new}",
            f"A patron account cannot go from {current} to {new}",
        )


class ImportFileUnreadable(PatronError):
    code = "import_file_unreadable"

    def __init__(self, filename: str, why_zh: str, why_en: str) -> None:
        super().__init__(
            f"无法读取读者文件 {filename}：{why_zh}",
            f"Cannot read patron file {filename}: {why_en}",
        )


class NoActiveCard(PatronError):
    code = "no_active_card"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"读者 {name} 没有在用的读者证（已挂失），请直接办理补卡",
            f"{name} has no active card (it was reported lost); issue a new card",
        )


class InstitutionHasNoIdNumber(PatronError):
    code = "institution_id_number"

    def __init__(self, category_zh: str) -> None:
        super().__init__(
            f"{category_zh}是集体账户，不登记个人身份证号；请把联系人写在备注里",
            "An institutional account holds no personal ID number; put the contact person in the notes",
        )


class MissingField(PatronError):
    code = "patron_field_missing"

    def __init__(self, field_zh: str, field_en: str) -> None:
        super().__init__(
            f"缺少{field_zh}：这一列每行都必须填写",
            f"The {field_en} is missing; every row needs one",
        )


class ReaderSignInRefused(PatronError):
    """A wrong card number or PIN at the OPAC: the same words for both (no card fishing)."""

    code = "reader_sign_in_refused"

    def __init__(self) -> None:
        super().__init__(
            "读者证号或密码不正确；忘记密码请凭身份证到任一服务台重置",
            "Wrong card number or PIN; a forgotten PIN is reset at any desk with an ID card",
        )


class ReaderPinLocked(PatronError):
    code = "reader_pin_locked"

    def __init__(self, until: datetime) -> None:
        self.until = until
        moment = until.astimezone(get_settings().tz).strftime("%H:%M")
        super().__init__(
            f"密码连续输错次数过多，{moment} 以前不能在网上登录；也可到服务台重置密码",
            f"Too many wrong PINs: online sign-in is locked until {moment}; "
            "or have the PIN reset at a desk",
        )
