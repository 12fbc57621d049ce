"""Rate limiting of sign-ins by address: after too many failed attempts from one client
address, the login pages answer 429 for a while, whatever the username or card.

This is the second line of defence: every account and reader card also locks itself
after a few wrong passwords or PINs (``accounts.rules.MAX_FAILED_LOGINS``, the reader
PIN lock). The window is kept in the memory of each worker process (PyPI ``limits``).
"""

from __future__ import annotations

from fastapi import Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

FAILED_SIGN_INS = parse("20/10minutes")
WAIT_MINUTES = 10


class SignInLimiter:
    """Counts failed sign-ins per (kind, client address) in a moving window."""

    def __init__(self, limit: RateLimitItem = FAILED_SIGN_INS) -> None:
        self.limit = limit
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def refused(self, kind: str, address: str) -> bool:
        """Whether this address has used up its failed attempts for now."""
        return not self._limiter.test(self.limit, kind, address)

    def failed(self, kind: str, address: str) -> None:
        self._limiter.hit(self.limit, kind, address)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in_limiter(request: Request) -> SignInLimiter:
    limiter: SignInLimiter = request.app.state.sign_in_limiter
    return limiter
