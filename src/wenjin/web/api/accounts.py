"""``/api/v1/me`` (the account behind the token, its tokens, its own password) and
``/api/v1/accounts``: staff accounts and their tokens for an administrator of the whole
network (``accounts.manage``), over the same services as ``wenjin admin``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from wenjin.accounts.models import ApiToken, StaffAccount
from wenjin.accounts.queries import get_account, list_accounts, tokens_of
from wenjin.accounts.rules import ACCOUNTS_MANAGE, PERMISSIONS, WHOLE_NETWORK, Actor, may
from wenjin.accounts.services import (
    change_own_password,
    change_role,
    create_account,
    disable_account,
    issue_token,
    revoke_token,
    set_password,
)
from wenjin.web.api.deps import ActorDep, ReadSession, WriteUoW, require
from wenjin.web.api.schemas import (
    MAX_INT,
    AccountChange,
    AccountCreate,
    AccountRow,
    IssuedTokenRow,
    Me,
    OwnPasswordChange,
    PasswordReset,
    TokenCreate,
    TokenRow,
)

router = APIRouter(tags=["accounts 账户"])

UsernamePath = Annotated[str, Path(min_length=1, max_length=40, description="用户名 username")]
TokenIdPath = Annotated[int, Path(ge=1, le=MAX_INT, description="令牌编号 token id")]


@router.get("/me", response_model=Me, summary="当前账户 Who this token acts as")
def me(actor: ActorDep) -> Me:
    return Me(
        username=actor.username,
        display_name=actor.display_name,
        role=actor.role.value,
        role_zh=actor.role.label_zh,
        scope=actor.scope_point_code,
        permissions=[p for p in PERMISSIONS if may(actor, p)],
    )


def _token_row(row: ApiToken) -> TokenRow:
    return TokenRow(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


def _account_row(account: StaffAccount) -> AccountRow:
    return AccountRow(
        username=account.username,
        display_name=account.display_name,
        role=account.role.value,
        role_zh=account.role.label_zh,
        scope=account.scope_point.code if account.scope_point else None,
        active=account.active,
        created_at=account.created_at,
        last_login_at=account.last_login_at,
        locked_until=account.locked_until,
    )


@router.get("/me/tokens", response_model=list[TokenRow], summary="我的令牌 My API tokens")
def my_tokens(actor: ActorDep, session: ReadSession) -> list[TokenRow]:
    return [_token_row(t) for t in tokens_of(session, actor.account_id)]


@router.put("/me/password", summary="修改本人密码 Change my own password (the current one first)")
def my_password(actor: ActorDep, body: OwnPasswordChange, uow: WriteUoW) -> dict[str, str]:
    account = uow.session.get(StaffAccount, actor.account_id)
    assert account is not None  # the token resolved to it on this request
    change_own_password(
        uow.session,
        account=account,
        current=body.current,
        new=body.password,
        repeated=body.password,
    )
    uow.commit()
    return {"action": "password_changed", "username": actor.username}


def _managing(actor: Actor) -> None:
    require(actor, ACCOUNTS_MANAGE, at=WHOLE_NETWORK)


@router.get("/accounts", response_model=list[AccountRow], summary="员工账户 Staff accounts")
def accounts(actor: ActorDep, session: ReadSession) -> list[AccountRow]:
    _managing(actor)
    return [_account_row(a) for a in list_accounts(session)]


@router.post(
    "/accounts", status_code=201, response_model=AccountRow, summary="开通账户 Open an account"
)
def create(actor: ActorDep, body: AccountCreate, uow: WriteUoW) -> AccountRow:
    _managing(actor)
    account = create_account(
        uow.session,
        username=body.username,
        display_name=body.display_name,
        password=body.password,
        role=body.role,
        scope=body.scope,
    )
    row = _account_row(account)
    uow.commit()
    return row


@router.get("/accounts/{username}", response_model=AccountRow, summary="一个账户 One account")
def show(actor: ActorDep, username: UsernamePath, session: ReadSession) -> AccountRow:
    _managing(actor)
    return _account_row(get_account(session, username))


@router.patch(
    "/accounts/{username}", response_model=AccountRow, summary="改角色和范围 Role and scope"
)
def change(
    actor: ActorDep, username: UsernamePath, body: AccountChange, uow: WriteUoW
) -> AccountRow:
    _managing(actor)
    account = change_role(
        uow.session, account=get_account(uow.session, username), role=body.role, scope=body.scope
    )
    row = _account_row(account)
    uow.commit()
    return row


@router.post(
    "/accounts/{username}/disable", response_model=AccountRow, summary="停用 Disable an account"
)
def disable(actor: ActorDep, username: UsernamePath, uow: WriteUoW) -> AccountRow:
    _managing(actor)
    account = get_account(uow.session, username)
    disable_account(uow.session, account=account, acting_account_id=actor.account_id)
    row = _account_row(account)
    uow.commit()
    return row


@router.put("/accounts/{username}/password", summary="重设密码 Reset an account's password")
def reset_password(
    actor: ActorDep, username: UsernamePath, body: PasswordReset, uow: WriteUoW
) -> dict[str, str]:
    _managing(actor)
    account = get_account(uow.session, username)
    set_password(uow.session, account=account, password=body.password)
    uow.commit()
    return {"action": "password_reset", "username": account.username}


@router.get(
    "/accounts/{username}/tokens", response_model=list[TokenRow], summary="令牌 An account's tokens"
)
def tokens(actor: ActorDep, username: UsernamePath, session: ReadSession) -> list[TokenRow]:
    _managing(actor)
    return [_token_row(t) for t in tokens_of(session, get_account(session, username).id)]


@router.post(
    "/accounts/{username}/tokens",
    status_code=201,
    response_model=IssuedTokenRow,
    summary="签发令牌 Issue a token; it is shown in this answer only",
)
def issue(
    actor: ActorDep, username: UsernamePath, body: TokenCreate, uow: WriteUoW
) -> IssuedTokenRow:
    _managing(actor)
    issued = issue_token(
        uow.session, account=get_account(uow.session, username), name=body.name, days=body.days
    )
    row = IssuedTokenRow(token=issued.token, **_token_row(issued.row).model_dump())
    uow.commit()
    return row


@router.post(
    "/accounts/{username}/tokens/{token_id}/revoke",
    response_model=TokenRow,
    summary="吊销令牌 Revoke a token",
)
def revoke(
    actor: ActorDep, username: UsernamePath, token_id: TokenIdPath, uow: WriteUoW
) -> TokenRow:
    _managing(actor)
    row = revoke_token(uow.session, account=get_account(uow.session, username), token=token_id)
    result = _token_row(row)
    uow.commit()
    return result
