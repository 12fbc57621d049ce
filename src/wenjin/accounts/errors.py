"""Errors of the accounts domain: what went wrong with a staff account, a password, a token."""

from __future__ import annotations

from datetime import datetime

from wenjin.errors import WenjinError


class AccountError(WenjinError):
    pass


class AccountNotFound(AccountError):
    code = "account_not_found"

    def __init__(self, username: str) -> None:
        self.username = username
        super().__init__(
            f"没有用户名为 {username} 的员工账户；用 wenjin admin list 查看现有账户",
            f"No staff account named {username}; see the accounts with wenjin admin list",
        )


class UsernameTaken(AccountError):
    code = "username_taken"

    def __init__(self, username: str) -> None:
        super().__init__(
            f"用户名 {username} 已被使用，请换一个",
            f"The username {username} is taken; choose another",
        )


class InvalidUsername(AccountError):
    code = "username_invalid"

    def __init__(self, username: str) -> None:
        super().__init__(
            f"用户名 {username!r} 无效：请用3到40个字母、数字、点、横线或下划线，以字母开头",
            f"Username {username!r} is invalid: use 3 to 40 letters, digits, dots, dashes or "
            "underscores, starting with a letter",
        )


class WeakPassword(AccountError):
    code = "password_too_weak"

    def __init__(self, why_zh: str, why_en: str) -> None:
        super().__init__(f"密码不可用：{why_zh}", f"The password cannot be used: {why_en}")


class InvalidAccountField(AccountError):
    code = "account_field_invalid"

    def __init__(self, field_zh: str, field_en: str, why_zh: str, why_en: str) -> None:
        super().__init__(f"{field_zh}无效：{why_zh}", f"Invalid {field_en}: {why_en}")


class UnknownRole(AccountError):
    code = "role_unknown"

    def __init__(self, role: str, known: str) -> None:
        super().__init__(
            f"没有 {role} 这个角色；可用：{known}", f"There is no role {role}; use one of {known}"
        )


class AccountDisabled(AccountError):
    code = "account_disabled"

    def __init__(self, username: str) -> None:
        super().__init__(f"员工账户 {username} 已停用", f"The staff account {username} is disabled")


class WrongCredentials(AccountError):
    code = "login_failed"

    def __init__(self) -> None:
        # The same words for an unknown user and a wrong password: no username fishing.
        super().__init__("用户名或密码不正确", "Wrong username or password")


class AccountLocked(AccountError):
    code = "account_locked"

    def __init__(self, until: datetime) -> None:
        self.until = until
        moment = until.strftime("%H:%M UTC")
        super().__init__(
            f"登录失败次数过多，账户已锁定至 {moment}，请稍后再试或请管理员解锁",
            f"Too many failed logins: the account is locked until {moment}; try again later "
            "or ask an administrator",
        )


class TokenNotFound(AccountError):
    code = "token_not_found"

    def __init__(self, ref: str) -> None:
        super().__init__(
            f"没有找到令牌 {ref}；用 wenjin admin token list 查看",
            f"No token {ref}; see the tokens with wenjin admin token list",
        )


class TokenAlreadyRevoked(AccountError):
    code = "token_revoked"

    def __init__(self, ref: str) -> None:
        super().__init__(f"令牌 {ref} 已经吊销", f"The token {ref} is already revoked")


class WrongCurrentPassword(AccountError):
    code = "password_wrong"

    def __init__(self) -> None:
        super().__init__(
            "当前密码不正确，密码未修改", "The current password is wrong; the password is unchanged"
        )


class PasswordsDiffer(AccountError):
    code = "password_mismatch"

    def __init__(self) -> None:
        super().__init__(
            "两次输入的新密码不一致，请重新输入", "The two new passwords differ; type them again"
        )


class LastAdministrator(AccountError):
    code = "last_administrator"

    def __init__(self, username: str) -> None:
        super().__init__(
            f"{username} 是最后一个可管理账户的全网管理员，不能停用或降级",
            f"{username} is the last network administrator who can manage accounts; it cannot "
            "be disabled or given another role",
        )


class OwnAccount(AccountError):
    code = "own_account"

    def __init__(self, username: str) -> None:
        super().__init__(
            f"不能停用自己正在使用的账户 {username}；请另一位管理员操作",
            f"You cannot disable your own account {username}; ask another administrator",
        )
