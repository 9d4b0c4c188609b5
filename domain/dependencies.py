"""What a use case may ask for besides its input: each dependency a read-only protocol, and the
few combinations the areas need.

A use case names exactly the dependencies it uses (``db: Database`` when that is all, else one of
these); the process's ``runtime.Services`` satisfies every one structurally, so the edges pass it
unchanged while the domain never imports it (pyproject.toml's import contracts check annotations
too).
"""

from __future__ import annotations

from typing import Protocol

from db.database import Database
from domain.accounts.hashing import PasswordHasher
from domain.secrets import ServerSecrets
from kit.ratelimit import RateLimiter
from settings import Settings


class HasDb(Protocol):
    @property
    def db(self) -> Database: ...


class HasSettings(Protocol):
    @property
    def settings(self) -> Settings: ...


class HasSecrets(Protocol):
    @property
    def secrets(self) -> ServerSecrets: ...


class HasLimiter(Protocol):
    @property
    def limiter(self) -> RateLimiter: ...


class HasHasher(Protocol):
    @property
    def hasher(self) -> PasswordHasher: ...


class MailDeps(HasSettings, HasSecrets, Protocol):
    """Mail that carries a code: the public URL, the budgets and the code key."""


class StoreDeps(HasDb, HasSettings, Protocol):
    """A transaction of its own, under the settings' limits."""


class LimitDeps(HasSettings, HasLimiter, Protocol):
    """A rate limit from the settings."""


class LimitedStoreDeps(StoreDeps, HasLimiter, Protocol):
    pass


class MailingStoreDeps(StoreDeps, HasSecrets, Protocol):
    """A transaction that mails a code."""


class SignupDeps(MailingStoreDeps, HasLimiter, Protocol):
    """A rate-limited form that mails a code (sign-up, partner join, invitations)."""


class AccountDeps(SignupDeps, HasHasher, Protocol):
    """Everything an account's credentials need: passwords, codes, budgets."""
