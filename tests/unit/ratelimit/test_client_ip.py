"""The client address: X-Forwarded-For is believed only from configured proxies (checklist 25)."""

from __future__ import annotations

import pytest

from pricing_core.ratelimit.client_ip import TrustedProxies, parse_address

NONE = TrustedProxies()
PROXIES = TrustedProxies.parse(["10.0.0.0/8", "192.0.2.1", "fd00::/8"])


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() -> None:
    for spoof in ["1.2.3.4", "5.6.7.8, 127.0.0.1", "garbage"]:
        assert NONE.client_ip("127.0.0.1", [spoof]) == "127.0.0.1"


def test_an_untrusted_peer_is_the_client_even_with_proxies_configured() -> None:
    assert PROXIES.client_ip("203.0.113.9", ["1.2.3.4"]) == "203.0.113.9"


def test_from_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() -> None:
    # The client prepended a spoofed value; the proxy appended the real peer.
    assert PROXIES.client_ip("10.1.1.1", ["6.6.6.6, 198.51.100.7"]) == "198.51.100.7"


def test_trusted_hops_are_skipped_across_header_lines() -> None:
    forwarded = ["6.6.6.6", "198.51.100.7, 10.2.2.2", "192.0.2.1"]
    assert PROXIES.client_ip("10.1.1.1", forwarded) == "198.51.100.7"


def test_all_hops_trusted_gives_the_leftmost_and_no_header_gives_the_proxy() -> None:
    assert PROXIES.client_ip("10.1.1.1", ["10.3.3.3, 10.4.4.4"]) == "10.3.3.3"
    assert PROXIES.client_ip("10.1.1.1", []) == "10.1.1.1"


def test_a_malformed_hop_stops_at_the_last_trusted_address() -> None:
    assert PROXIES.client_ip("10.1.1.1", ["1.2.3.4, not-an-ip, 10.9.9.9"]) == "10.9.9.9"


def test_ports_brackets_ipv6_and_mapped_addresses() -> None:
    assert str(parse_address("198.51.100.7:4711")) == "198.51.100.7"
    assert str(parse_address("[2001:db8::1]:443")) == "2001:db8::1"
    assert str(parse_address("::ffff:10.0.0.1")) == "10.0.0.1"
    assert parse_address("unknown") is None
    assert PROXIES.client_ip("fd00::1", ["2001:db8::5"]) == "2001:db8::5"
    assert PROXIES.client_ip("::ffff:10.0.0.1", ["198.51.100.7"]) == "198.51.100.7"


def test_bad_network_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="nope"):
        TrustedProxies.parse(["nope"])
