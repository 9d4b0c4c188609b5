"""The long-lived services of one process, built and closed by the lifespan (server.py).

Nothing here connects at import time; tests build their own ``Services`` for their own database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from db.database import Database, DatabaseTimeouts
from db.sync import SyncRunner
from domain.accounts.hashing import PasswordHasher
from domain.secrets import ServerSecrets
from identity.keys import KeyService
from kit.memory import share_arenas
from kit.ratelimit import RateLimiter
from settings import Settings


@dataclass
class Services:
    settings: Settings
    db: Database
    keys: KeyService
    hasher: PasswordHasher
    limiter: RateLimiter
    secrets: ServerSecrets
    # Synchronous database work off the event loop (db/sync.py).
    sync: SyncRunner
    # Background tasks and other owned resources closed at shutdown (e.g. the outbox worker).
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: Settings) -> Services:
        # Before the pools and the hasher start their threads (kit/memory.py).
        share_arenas()
        db = Database.from_url(
            settings.database_url,
            pool_size=settings.db_pool_size,
            echo=settings.db_echo,
            timeouts=DatabaseTimeouts.from_settings(settings),
        )
        return cls(
            settings=settings,
            db=db,
            keys=KeyService(
                db,
                reload_seconds=settings.signing_key_reload_seconds,
                publish_seconds=settings.signing_key_publish_seconds,
            ),
            hasher=PasswordHasher(
                time_cost=settings.argon2_time_cost,
                memory_kib=settings.argon2_memory_kib,
                parallelism=settings.argon2_parallelism,
                concurrency=settings.hash_concurrency,
            ),
            limiter=RateLimiter(
                settings.redis_url.get_secret_value() if settings.redis_url else None,
                namespace=settings.redis_key_prefix,
                connect_timeout=settings.redis_connect_timeout_seconds,
                timeout=settings.redis_timeout_seconds,
            ),
            secrets=ServerSecrets(db),
            sync=SyncRunner(db, settings.database_url),
        )

    async def close(self) -> None:
        self.sync.close()
        self.limiter.close()
        await self.db.dispose()
