"""Gear for the rate-limit tests over HTTP: apps on memory or Redis, callers of each role,
Structured Fields parsing, and real `pricing serve` processes."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from base64 import urlsafe_b64encode
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import httpx
from http_sfv.list import List as SfList
from litestar import Litestar, get
from litestar.testing import TestClient

from pricing_adapters.bootstrap import Container, build_container
from pricing_adapters.settings import Settings
from pricing_api.http.app import create_app
from pricing_api.http.security import PUBLIC
from pricing_core.access.audit import RequestInfo
from pricing_core.access.model import Principal, User
from pricing_core.access.roles import Role
from tests.gear.private_redis import free_port

PASSWORD = "correct horse battery staple 42"
SYSTEM = Principal(role=Role.ADMIN, user_id="system:test")
ME = "/api/v1/auth/me/permissions"  # authenticated, any role, no I/O
PING = "/test/ping"  # public: an anonymous request
SECRET = secrets.token_bytes(32)
KEYS = json.dumps(
    {
        "signing": "k1",
        "keys": {"k1": {"alg": "HS256", "secret": urlsafe_b64encode(SECRET).decode().rstrip("=")}},
    }
)


@get(PING, opt=PUBLIC, sync_to_thread=False)
def ping() -> dict[str, str]:
    return {"pong": "ok"}


def environment(data_dir: Path, **env: str) -> dict[str, str]:
    """PRICING_* for an app of its own: memory database, a fresh key prefix."""
    return {
        "PRICING_DATA_DIR": str(data_dir),
        "PRICING_DATABASE_URL": "memory://",
        "PRICING_BUNDLED_DATA": "false",
        "PRICING_JWT_KEYS": KEYS,
        "PRICING_RATE_LIMIT_PREFIX": f"pricing-test:rl:{uuid.uuid4().hex[:12]}",
        **env,
    }


@attrs.define
class Api:
    container: Container
    client: TestClient[Litestar]
    password_hash: str

    def add_user(self, role: Role, user_id: str | None = None) -> User:
        user = User(
            id=user_id or str(uuid.uuid4()),
            email=f"{role.lower()}-{uuid.uuid4().hex[:8]}@example.com",
            role=role,
            password_hash=self.password_hash,
            created_at=self.container.clock.now(),
        )
        self.container.access.users.add(user)
        return user

    def token(self, user: User) -> dict[str, str]:
        """Bearer headers for `user`, from the login use case (no HTTP: nothing counted)."""
        pair = self.container.access.login(user.email, PASSWORD, RequestInfo(ip="192.0.2.250"))
        return {"Authorization": f"Bearer {pair.access_token}"}

    def api_key(self, role: Role) -> dict[str, str]:
        _, raw = self.container.access.create_api_key(SYSTEM, f"k {role}", role, RequestInfo())
        return {"X-API-Key": raw}


@contextmanager
def open_api(env: dict[str, str], password_hash: str) -> Iterator[Api]:
    container = build_container(Settings.from_env(env))
    with TestClient(create_app(container, extra=[ping])) as client:
        yield Api(container=container, client=client, password_hash=password_hash)


def sf_list(value: str) -> list[tuple[Any, dict[str, Any]]]:
    """A Structured Fields List (RFC 8941): (item value, parameters) per member; raises on
    anything that does not parse."""
    parsed = SfList()
    parsed.parse(value.encode("ascii"))
    return [(member.value, dict(member.params)) for member in parsed]


@contextmanager
def serve(*envs: dict[str, str], logs: Path) -> Iterator[list[str]]:
    """One `pricing serve` process (uvicorn, as shipped) per environment, started together;
    yields their base URLs. Each process is stopped by its own id afterwards."""
    logs.mkdir(parents=True, exist_ok=True)
    started: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        for n, env in enumerate(envs):
            port, log = free_port(), logs / f"server-{n}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "pricing_api", "serve", "--port", str(port)],
                    env={**os.environ, **env},  # noqa: TID251 - the child's environment
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            started.append((process, f"http://127.0.0.1:{port}", log))
        for process, base, log in started:
            _wait_until_serving(process, base, log)
        yield [base for _, base, _ in started]
    finally:
        for process, _, _ in started:
            process.terminate()
        for process, _, _ in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_until_serving(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"pricing serve did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
