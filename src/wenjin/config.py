"""One settings object for the whole application.

Values come from the environment (``WENJIN_*``) or a ``.env`` file. The embedded
default is a SQLite file in the data directory; ``WENJIN_DATABASE_URL`` switches
to PostgreSQL (``postgresql+psycopg://user@host/db``) with the same schema.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WENJIN_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="where the SQLite file and logs live")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<data_dir>/wenjin.sqlite3"
    )
    timezone: str = Field(default="Asia/Shanghai", description="the network's time zone")
    secret_key: str = Field(
        default="wenjin-development-secret-change-me",
        description="keyed hashes (resident ID numbers) and signed cookies",
    )
    hold_shelf_days: int = Field(
        default=7, ge=1, description="open days a copy waits on the hold shelf (预约保留天数)"
    )
    staff_idle_minutes: int = Field(
        default=30, ge=1, description="a staff browser is signed out after this long idle"
    )
    reader_idle_minutes: int = Field(
        default=20, ge=1, description="a reader's browser is signed out after this long idle"
    )
    network_name: str = Field(default="诸城市图书馆", description="shown in page titles")
    sql_echo: bool = False

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'wenjin.sqlite3').resolve()}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@lru_cache
def get_settings() -> Settings:
    return Settings()
