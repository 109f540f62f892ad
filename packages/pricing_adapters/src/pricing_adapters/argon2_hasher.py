"""Password hashing with argon2id (argon2-cffi), at or above OWASP's minimum parameters."""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import Argon2Error

from pricing_core.access.ports import PasswordHasher

__all__ = ["MEMORY_COST_KIB", "PARALLELISM", "TIME_COST", "Argon2PasswordHasher"]

# OWASP Password Storage Cheat Sheet, first argon2id row: 19 MiB, 2 iterations, 1 lane.
# Memory is the cost an attacker's GPU pays per guess; it is also what each login costs us,
# so the defaults sit at that floor and an operator may raise them (old hashes get rehashed).
MEMORY_COST_KIB = 19456
TIME_COST = 2
PARALLELISM = 1


class Argon2PasswordHasher(PasswordHasher):
    """argon2id in PHC string form (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).

    Parameters below the OWASP floor are refused unless `allow_weak=True`, which exists so
    that tests (and nothing else) can produce the "old parameters" hashes a login upgrades.
    """

    def __init__(
        self,
        *,
        memory_cost: int = MEMORY_COST_KIB,
        time_cost: int = TIME_COST,
        parallelism: int = PARALLELISM,
        allow_weak: bool = False,
    ) -> None:
        if not allow_weak and (memory_cost < MEMORY_COST_KIB or time_cost < TIME_COST):
            raise ValueError(
                f"argon2id parameters below m={MEMORY_COST_KIB} KiB, t={TIME_COST}: "
                f"got m={memory_cost}, t={time_cost}"
            )
        self._argon2 = _Argon2(
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """True on a match; False on a mismatch, a malformed or unsupported hash, or a
        password that cannot be encoded (a lone surrogate): a login never crashes on it."""
        try:
            return self._argon2.verify(password_hash, password)
        except (Argon2Error, ValueError, TypeError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True for other parameters or another argon2 variant; a malformed hash also
        answers True (it cannot verify anyway, and replacing it is the only way forward)."""
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except (Argon2Error, ValueError, TypeError):
            return True
