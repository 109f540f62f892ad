"""A Redis that accepts connections and never answers (issue 11, item 8): one circuit breaker
for every Redis use opens, and while it is open no request calls Redis at all: rate limits
and login failures are counted in the process, revocations are read from the database, and
/ready says degraded.

The hung Redis is a real TCP peer: a server thread that accepts every connection, reads
whatever the client sends and never writes a byte. It counts what it receives, which is how
the test sees whether anyone still calls it. No timing is asserted (speed is `nox -s bench`).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from pricing_core.access.roles import Role
from tests.e2e.access.conftest import PASSWORD, Api, ApiFactory, bearer

ME = "/api/v1/auth/me"
LOGIN = "/api/v1/auth/login"


class HungPeer:
    """Accepts connections, swallows what they send, answers nothing."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._lock = threading.Lock()
        self._connections: list[socket.socket] = []
        self.received = 0  # bytes read from all clients
        self.accepted = 0
        self._stop = threading.Event()
        threading.Thread(target=self._accept, name="hung-redis", daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self._server.getsockname()[1]}/0"

    def heard(self) -> tuple[int, int]:
        with self._lock:
            return self.accepted, self.received

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                self.accepted += 1
                self._connections.append(connection)
            threading.Thread(target=self._swallow, args=(connection,), daemon=True).start()

    def _swallow(self, connection: socket.socket) -> None:
        while True:
            try:
                data = connection.recv(65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.received += len(data)

    def close(self) -> None:
        self._stop.set()
        self._server.close()
        with self._lock:
            for connection in self._connections:
                connection.close()


@pytest.fixture
def hung_redis() -> Iterator[HungPeer]:
    peer = HungPeer()
    yield peer
    peer.close()


@pytest.fixture
def api(make_api: ApiFactory, sqlite_url: str, hung_redis: HungPeer) -> Api:
    return make_api(
        database_url=sqlite_url,
        PRICING_REDIS_URL=hung_redis.url,
        PRICING_RATE_LIMIT_ENABLED="true",
        # Open until the test ends: every call Redis receives is one the breaker let through.
        PRICING_REDIS_RETRY_SECONDS="3600",
    )


def test_once_open_no_request_waits_on_redis_and_revocation_still_holds(
    api: Api, hung_redis: HungPeer
) -> None:
    _, tokens = api.session(Role.VIEWER)  # login: the first Redis call times out
    assert api.container.rate_limiter.degraded  # the one breaker is open
    heard = hung_redis.heard()
    assert heard[1] > 0  # it was asked once, and did not answer

    token = bearer(tokens["access_token"])
    assert [api.client.get(ME, headers=token).status_code for _ in range(20)] == [200] * 20
    # Rate limit, revocation check: neither called Redis while the breaker was open.
    assert hung_redis.heard() == heard

    assert api.client.post("/api/v1/auth/logout", headers=token).status_code == 204
    assert api.client.get(ME, headers=token).status_code == 401  # revoked: the database says so
    assert hung_redis.heard() == heard

    ready = api.client.get("/ready")
    assert (ready.status_code, ready.json()["status"]) == (200, "degraded")
    assert ready.json()["checks"]["rate_limits"]["state"] == "degraded"


def test_login_failures_are_counted_in_the_process_while_the_breaker_is_open(
    api: Api, hung_redis: HungPeer
) -> None:
    victim = api.add_user(Role.VIEWER)
    wrong = {"email": victim.email, "password": "not the password, but long enough"}
    codes = [api.client.post(LOGIN, json=wrong).status_code for _ in range(5)]
    assert codes == [401] * 5
    heard = hung_redis.heard()
    locked = api.client.post(LOGIN, json={"email": victim.email, "password": PASSWORD})
    assert locked.status_code == 429  # the throttle counted in memory
    assert locked.json()["code"] == "too_many_attempts"
    assert hung_redis.heard() == heard
