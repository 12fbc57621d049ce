"""``wenjin admin``: staff accounts and API tokens.

``wenjin admin create`` makes the first administrator of a new installation.
A token is printed once, when it is made; only its hash is kept.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from wenjin.accounts.models import ApiToken, StaffAccount
from wenjin.accounts.queries import get_account, list_accounts, tokens_of
from wenjin.accounts.services import create_account, disable_account, issue_token, revoke_token
from wenjin.accounts.states import Role
from wenjin.cli.common import JsonOption, app_context, console, domain_errors, emit_json

app = typer.Typer(help="员工账户 Staff accounts and API tokens", no_args_is_help=True)
token_app = typer.Typer(help="API 令牌 tokens for machines", no_args_is_help=True)
app.add_typer(token_app, name="token")

_ROLES = ", ".join(r.value for r in Role)


def _account_json(account: StaffAccount) -> dict[str, Any]:
    return {
        "username": account.username,
        "display_name": account.display_name,
        "role": account.role,
        "role_zh": account.role.label_zh,
        "scope": account.scope_point.code if account.scope_point else None,
        "active": account.active,
        "created_at": account.created_at,
        "last_login_at": account.last_login_at,
        "locked_until": account.locked_until,
    }


def _token_json(row: ApiToken) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "prefix": row.prefix,
        "created_at": row.created_at,
        "last_used_at": row.last_used_at,
        "expires_at": row.expires_at,
        "revoked_at": row.revoked_at,
    }


@app.command("create")
def create_command(
    ctx: typer.Context,
    username: str = typer.Option(..., "--username", help="登录名 e.g. wang.li"),
    name: str = typer.Option(..., "--name", help="姓名 display name"),
    password: str = typer.Option(
        ..., "--password", prompt="密码 Password", hide_input=True, confirmation_prompt=True
    ),
    role: Role = typer.Option(Role.ADMIN, "--role", help=f"角色 {_ROLES}"),
    scope: str | None = typer.Option(
        None, "--scope", help="服务点代码: the account works there and below (default: network)"
    ),
    as_json: bool = JsonOption,
) -> None:
    """开通员工账户 Create a staff account (the first administrator of a new installation)."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        account = create_account(
            uow.session,
            username=username,
            display_name=name,
            password=password,
            role=role,
            scope=scope,
        )
        body = _account_json(account)
        uow.commit()
    if as_json:
        emit_json({"action": "created", "account": body})
        return
    where = body["scope"] or "全网 whole network"
    console.print(
        f"[green]已开通 Created[/] {body['username']}（{body['display_name']}，"
        f"{account.role.label_zh} {account.role.value}，{where}）"
    )


@app.command("list")
def list_command(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """员工账户列表 Every staff account with its role, scope and state."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with app_ctx.uow(readonly=True) as uow:
        rows = [_account_json(a) for a in list_accounts(uow.session)]
    if as_json:
        emit_json({"accounts": rows})
        return
    table = Table("用户名 username", "姓名 name", "角色 role", "范围 scope", "状态 state")
    for row in rows:
        table.add_row(
            row["username"],
            row["display_name"],
            f"{row['role_zh']} {row['role'].value}",
            row["scope"] or "全网",
            "正常" if row["active"] else "已停用 disabled",
        )
    console.print(table)


@app.command("disable")
def disable_command(
    ctx: typer.Context, username: str = typer.Argument(...), as_json: bool = JsonOption
) -> None:
    """停用 Disable an account: it cannot sign in and its tokens stop working."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        account = get_account(uow.session, username)
        disable_account(uow.session, account=account)
        body = _account_json(account)
        uow.commit()
    if as_json:
        emit_json({"action": "disabled", "account": body})
        return
    console.print(f"[yellow]已停用 Disabled[/] {body['username']}")


@token_app.command("create")
def token_create_command(
    ctx: typer.Context,
    username: str = typer.Option(..., "--username", help="whose token"),
    name: str = typer.Option(..., "--name", help="用途 e.g. 24小时自助图书馆"),
    days: int | None = typer.Option(None, "--days", help="有效天数 (default: no expiry)"),
    as_json: bool = JsonOption,
) -> None:
    """新建令牌 Make an API token; it is printed once and cannot be shown again."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        account = get_account(uow.session, username)
        issued = issue_token(uow.session, account=account, name=name, days=days)
        body = {"username": account.username, "token": issued.token, **_token_json(issued.row)}
        uow.commit()
    if as_json:
        emit_json({"action": "created", **body})
        return
    console.print(f"[green]已新建令牌 Token created[/] {body['name']}（{account.username}）")
    console.print("请立即保存，此后无法再次显示 Save it now, it is not shown again:")
    console.print(issued.token, markup=False, highlight=False, soft_wrap=True)


@token_app.command("list")
def token_list_command(
    ctx: typer.Context,
    username: str = typer.Option(..., "--username"),
    as_json: bool = JsonOption,
) -> None:
    """令牌列表 A staff account's tokens (prefixes only)."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow(readonly=True) as uow:
        account = get_account(uow.session, username)
        rows = [_token_json(t) for t in tokens_of(uow.session, account.id)]
    if as_json:
        emit_json({"username": username, "tokens": rows})
        return
    table = Table("编号 id", "前缀 prefix", "名称 name", "到期 expires", "状态 state")
    for row in rows:
        table.add_row(
            str(row["id"]),
            f"{row['prefix']}…",
            row["name"],
            row["expires_at"].isoformat() if row["expires_at"] else "—",
            "已吊销 revoked" if row["revoked_at"] else "有效 valid",
        )
    console.print(table)


@token_app.command("revoke")
def token_revoke_command(
    ctx: typer.Context,
    token: str = typer.Argument(..., help="令牌编号或前缀 token id or prefix"),
    username: str = typer.Option(..., "--username"),
    as_json: bool = JsonOption,
) -> None:
    """吊销令牌 Revoke a token: it stops working at once."""
    app_ctx = app_context(ctx)
    app_ctx.require_schema()
    with domain_errors(as_json), app_ctx.uow() as uow:
        account = get_account(uow.session, username)
        row = revoke_token(uow.session, account=account, token=token)
        body = _token_json(row)
        uow.commit()
    if as_json:
        emit_json({"action": "revoked", "token": body})
        return
    console.print(f"[yellow]已吊销 Revoked[/] {body['prefix']}…（{body['name']}）")
