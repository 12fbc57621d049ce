"""What an API handler may ask for: the acting account, a unit of work, a page.

``Authorization: Bearer wj_…`` names the account; :func:`require` checks a
permission where the action happens and refuses with 403 in Chinese and English.
Reads get a read-only unit of work; writes get a writing one and commit it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from wenjin.accounts.rules import PERMISSION_LABELS, Actor, Place, may
from wenjin.accounts.services import record_token_use, resolve_token
from wenjin.db.uow import UnitOfWork
from wenjin.web.api.errors import NotAuthenticated, PermissionDenied
from wenjin.web.deps import get_engine

MAX_PER_PAGE = 200

_bearer = HTTPBearer(auto_error=False, description="API 令牌 token: `wenjin admin token create`")


def current_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The staff account behind the request's bearer token, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated(
            "需要登录：请在 Authorization 头中提供 API 令牌（Bearer wj_…）",
            "Sign in: send an API token as Authorization: Bearer wj_…",
        )
    engine = get_engine(request)
    with UnitOfWork(engine, readonly=True) as uow:
        resolved = resolve_token(uow.session, token=credentials.credentials.strip())
    if resolved is None:
        raise NotAuthenticated(
            "API 令牌无效、已过期或已吊销，或其账户已停用",
            "The API token is unknown, expired or revoked, or its account is disabled",
        )
    if resolved.use_to_record:
        with UnitOfWork(engine) as uow:
            record_token_use(uow.session, token_id=resolved.token_id)
            uow.commit()
    return resolved.actor


def require(actor: Actor, permission: str, *, at: Place | None = None) -> None:
    """Go on only if ``actor`` may do ``permission`` at ``at``; else 403 saying what is missing."""
    if may(actor, permission, at):
        return
    zh, en = PERMISSION_LABELS[permission]
    if at is None:
        where_zh = where_en = ""
    else:
        where_zh, where_en = f"（在 {at.label('zh')}）", f" at {at.label('en')}"
    raise PermissionDenied(
        f"账户 {actor.username} 无权{zh}{where_zh}：需要 {permission} 权限",
        f"Account {actor.username} may not {en}{where_en}: it needs {permission}",
        {"permission": permission, "point": at.code if at else None},
    )


def read_session(request: Request) -> Iterator[Session]:
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        yield uow.session


def write_uow(
    request: Request, actor: Annotated[Actor, Depends(current_actor)]
) -> Iterator[UnitOfWork]:
    """A writing unit of work for one request, in the name of the token's account (for the
    audit trail); the handler commits, anything else rolls back."""
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        yield uow


@dataclass(frozen=True)
class PageParams:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="第几页 page, from 1")] = 1,
    per_page: Annotated[
        int, Query(ge=1, le=MAX_PER_PAGE, description=f"每页条数 per page, at most {MAX_PER_PAGE}")
    ] = 50,
) -> PageParams:
    return PageParams(page=page, per_page=per_page)


ActorDep = Annotated[Actor, Depends(current_actor)]
ReadSession = Annotated[Session, Depends(read_session)]
WriteUoW = Annotated[UnitOfWork, Depends(write_uow)]
PageDep = Annotated[PageParams, Depends(page_params)]
