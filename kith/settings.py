"""Configuration, read once from the environment into a typed object that is passed down.

Nothing else in Kith reads ``os.environ``: a test builds a ``Settings`` of its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidInput


@dataclass(frozen=True)
class Settings:
    """Everything Kith can be told from outside."""

    data_dir: Path = Path(".kith-data")
    neo4j_uri: str | None = None
    neo4j_username: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    embedded_heap: str = "1g"
    query_timeout_ms: int = 10_000
    start_timeout_s: float = 60.0
    workers: int = 1  # app processes `kith serve` runs (KITH_WORKERS; --workers overrides)
    introspection: bool = True
    https: bool = False  # behind TLS: the pages' session cookie is then sent over HTTPS only
    # Online geocoding (OpenStreetMap Nominatim) for postcodes no local data knows: off unless
    # an operator names their deployment, as Nominatim's usage policy asks.
    geocoder_user_agent: str | None = None
    follow_up_weeks: int = 12  # a wellbeing baseline's follow-up falls due this many weeks on
    review_months: int = 6  # a listing's review falls due this many months after the last
    public_url: str = "http://127.0.0.1:8000"  # where people reach the pages (in reminders)
    mail_from: str = "Kith directory <kith@localhost>"  # the sender of the outbox's e-mails

    @property
    def embedded(self) -> bool:
        """True when Kith runs its own ArcadeDB rather than a server it was pointed at."""
        return not self.neo4j_uri

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read ``KITH_*`` and ``NEO4J_*`` variables; unset ones keep their defaults."""
        env = dict(os.environ if env is None else env)
        default = cls()
        return cls(
            data_dir=Path(env.get("KITH_DATA_DIR", str(default.data_dir))),
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_username=env.get("NEO4J_USERNAME", default.neo4j_username),
            neo4j_password=env.get("NEO4J_PASSWORD", default.neo4j_password),
            neo4j_database=env.get("NEO4J_DATABASE", default.neo4j_database),
            embedded_heap=env.get("KITH_DB_HEAP", default.embedded_heap),
            query_timeout_ms=whole(env, "KITH_QUERY_TIMEOUT_MS", default.query_timeout_ms, 0),
            workers=whole(env, "KITH_WORKERS", default.workers),
            introspection=flag(env.get("KITH_INTROSPECTION", "true")),
            https=flag(env.get("KITH_HTTPS", "false")),
            geocoder_user_agent=env.get("KITH_GEOCODER_USER_AGENT") or None,
            follow_up_weeks=whole(env, "KITH_FOLLOW_UP_WEEKS", default.follow_up_weeks),
            review_months=whole(env, "KITH_REVIEW_MONTHS", default.review_months),
            public_url=env.get("KITH_PUBLIC_URL", default.public_url).rstrip("/"),
            mail_from=env.get("KITH_MAIL_FROM", default.mail_from),
        )


def whole(env: dict[str, str], name: str, default: int, least: int = 1) -> int:
    """A whole-number variable of at least ``least``, or an error that names it."""
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < least:
        raise InvalidInput(name, f"must be a whole number of at least {least}, not {text!r}")
    return int(text)


def flag(text: str) -> bool:
    """An on/off environment variable: anything but 0, false, no or off is on."""
    return text.strip().lower() not in ("0", "false", "no", "off", "")
