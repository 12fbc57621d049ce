"""``/api/v1/me``: the account behind the token, and its tokens."""

from __future__ import annotations

from fastapi import APIRouter

from wenjin.accounts.queries import tokens_of
from wenjin.accounts.rules import PERMISSIONS, may
from wenjin.web.api.deps import ActorDep, ReadSession
from wenjin.web.api.schemas import Me, TokenRow

router = APIRouter(tags=["accounts 账户"])


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


@router.get("/me/tokens", response_model=list[TokenRow], summary="我的令牌 My API tokens")
def my_tokens(actor: ActorDep, session: ReadSession) -> list[TokenRow]:
    return [
        TokenRow(
            id=t.id,
            name=t.name,
            prefix=t.prefix,
            created_at=t.created_at,
            last_used_at=t.last_used_at,
            expires_at=t.expires_at,
            revoked_at=t.revoked_at,
        )
        for t in tokens_of(session, actor.account_id)
    ]
