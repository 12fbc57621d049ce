"""What a request handler may ask for: the settings, a read-only session, the language.

The engine belongs to the application (one pool per app, made by
:func:`wenjin.web.app.create_app`); a page that only reads gets a read-only
unit of work for the length of the request, which on SQLite never takes the
write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from wenjin.config import Settings
from wenjin.db.uow import UnitOfWork
from wenjin.web.i18n import DEFAULT_LANG, Lang


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def read_session(request: Request) -> Iterator[Session]:
    """A read-only unit of work for one request; it rolls back (nothing to keep) at the end."""
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        yield uow.session


def get_lang(request: Request) -> Lang:
    """The language the language middleware chose for this request."""
    lang: Lang = getattr(request.state, "lang", DEFAULT_LANG)
    return lang


def network_today(settings: Settings) -> date:
    """Today's date where the network is (Asia/Shanghai by default), not where the server is."""
    return datetime.now(settings.tz).date()


SettingsDep = Annotated[Settings, Depends(get_settings)]
ReadSession = Annotated[Session, Depends(read_session)]
LangDep = Annotated[Lang, Depends(get_lang)]
