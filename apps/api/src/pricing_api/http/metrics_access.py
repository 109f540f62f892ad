"""Who may scrape /metrics: no user account and no rate limit, but not the whole world.

The operations table of api.md lists /metrics as public (no account, never limited); the
security checklist (29) says it is not public. Both hold: a scrape is answered when it
carries `Authorization: Bearer <PRICING_METRICS_TOKEN>`, or when its client address (the
peer, or X-Forwarded-For from a trusted proxy, as the rate limits read it) lies in
PRICING_METRICS_NETWORKS, this host by default. Anything else is refused: 401 with
`WWW-Authenticate: Bearer` when a token is configured and none was sent, else 403.
"""

from __future__ import annotations

import hmac
from typing import Any

import attrs
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from pricing_adapters.settings import Settings
from pricing_api.http.ratelimit import Guard, client_ip
from pricing_core.errors import Forbidden, NotAuthenticated
from pricing_core.ratelimit.client_ip import Network, TrustedProxies, parse_address, parse_network

__all__ = ["METRICS_SCHEME", "MetricsAccess"]

METRICS_SCHEME = "metricsToken"  # the OpenAPI security scheme of /metrics


@attrs.frozen(kw_only=True)
class MetricsAccess:
    """The metrics token (None: none configured), the allowed networks, and the proxies
    whose X-Forwarded-For is believed."""

    token: str | None
    networks: tuple[Network, ...]
    trusted: TrustedProxies

    @classmethod
    def from_settings(cls, settings: Settings) -> MetricsAccess:
        return cls(
            token=settings.metrics_token,
            networks=tuple(parse_network(n) for n in settings.metrics_networks),
            trusted=TrustedProxies.parse(settings.trusted_proxies),
        )

    def check(self, client: str, authorization: str) -> None:
        """Return when `client` (an address) or `authorization` (the header) may scrape."""
        scheme, _, value = authorization.partition(" ")
        bearer = value.strip() if scheme.lower() == "bearer" and value.strip() else None
        # Constant time: the route is never rate limited, so guesses cost nothing else.
        if (
            self.token is not None
            and bearer is not None
            and hmac.compare_digest(bearer.encode(), self.token.encode())
        ):
            return
        address = parse_address(client)
        if address is not None and any(
            address.version == n.version and address in n for n in self.networks
        ):
            return
        if self.token is not None and bearer is None:
            raise NotAuthenticated("/metrics needs the metrics token (PRICING_METRICS_TOKEN)")
        raise Forbidden(
            "/metrics answers the metrics token, or clients on PRICING_METRICS_NETWORKS"
        )

    def guard(self) -> Guard:
        async def guard(
            connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
        ) -> None:
            address = client_ip(connection, self.trusted)
            self.check(address, connection.headers.get("authorization", ""))

        return guard
