"""The client's address: the peer's, or from X-Forwarded-For when the peer is a trusted proxy."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

import attrs

__all__ = ["Network", "TrustedProxies", "parse_address", "parse_network"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_network(spec: str) -> Network:
    """`10.0.0.1`, `10.0.0.0/8` or `fd00::/8`; raises ValueError naming the value."""
    try:
        return ipaddress.ip_network(spec.strip(), strict=False)
    except ValueError as error:
        raise ValueError(f"not an IP address or network: {spec!r}") from error


def parse_address(value: str) -> Address | None:
    """An address as X-Forwarded-For or a peer carries it (`1.2.3.4`, `1.2.3.4:80`, `[::1]:80`,
    `::1`); None when it is not one. IPv4-mapped IPv6 is read as IPv4."""
    text = value.strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@attrs.frozen
class TrustedProxies:
    """The proxies whose X-Forwarded-For is believed; none by default."""

    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, specs: Iterable[str]) -> TrustedProxies:
        return cls(tuple(parse_network(s) for s in specs if s.strip()))

    def trusts(self, address: Address | None) -> bool:
        return address is not None and any(
            address.version == n.version and address in n for n in self.networks
        )

    def client_ip(self, peer: str, forwarded_for: Sequence[str] = ()) -> str:
        """The peer itself unless it is trusted; then X-Forwarded-For walked from the right,
        skipping trusted hops: the first untrusted address is the client. A malformed entry
        ends the walk at the last trusted hop, which is the best that can be said."""
        current = parse_address(peer)
        if not self.trusts(current):
            return str(current) if current is not None else peer
        hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
        for hop in reversed(hops):
            address = parse_address(hop)
            if address is None:
                break
            current = address
            if not self.trusts(address):
                break
        return str(current)
