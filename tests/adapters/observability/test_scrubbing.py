"""`scrub_event`: no secret leaves in an error report, wherever in the event it sits."""

from __future__ import annotations

import json
from typing import Any

from pricing_adapters.logging_setup import request_scope
from pricing_adapters.sentry import DENYLIST, scrub_event, secret_values

SECRET = "SECRET-XYZ"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTQyIn0.c2lnbmF0dXJlLWJ5dGVz"


def hostile_event() -> dict[str, Any]:
    """An event as Sentry serialises it, with secrets in every place one can hide."""
    return {
        "message": f"refresh failed for token={SECRET}",
        "request": {
            "url": "http://testserver/api/v1/auth/refresh",
            "data": {"refresh_token": SECRET, "profile": {"new_password": "pw-1234567890"}},
            "headers": {"Authorization": f"Bearer {JWT}", "X-Trace": "ok", "X-Copy": SECRET},
            "cookies": {"session": "cookie-value-123"},
        },
        "exception": {
            "values": [
                {
                    "type": "LookupError",
                    "value": f"'no family for {SECRET}'",
                    "stacktrace": {
                        "frames": [
                            {
                                "function": "refresh",
                                "vars": {
                                    "data": f"RefreshBody(refresh_token='{SECRET}')",
                                    "presented": f"'{SECRET}'",
                                    "api_key": "pk_live_abcdef",
                                    "hashed": "'$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'",
                                    "count": 3,
                                },
                            }
                        ]
                    },
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": 'login {"password": "hunter2 hunter2"} refused'}]},
        "user": {"id": "u-42", "email": "ada@example.com", "ip_address": "10.0.0.1"},
        "extra": {"jwt_keys": '{"k1": "raw"}', "note": f"see {JWT}"},
    }


SECRETS = (
    SECRET,
    JWT,
    "pw-1234567890",
    "cookie-value-123",
    "pk_live_abcdef",
    "$argon2id$",
    "hunter2",
    "ada@example.com",
    "10.0.0.1",
)


def leaks(event: Any) -> list[str]:
    text = json.dumps(event)
    return [secret for secret in SECRETS if secret in text]


def test_every_secret_is_blanked_and_the_rest_is_kept() -> None:
    cleaned = scrub_event(hostile_event())
    assert leaks(cleaned) == []
    frame = cleaned["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert frame["vars"]["count"] == 3
    assert frame["vars"]["presented"] == "'[Filtered]'"
    assert cleaned["request"]["headers"]["X-Trace"] == "ok"
    assert cleaned["request"]["url"] == "http://testserver/api/v1/auth/refresh"
    assert "user" not in cleaned  # no request being served: nobody to name


def test_the_request_s_own_secrets_and_ids_are_used() -> None:
    event = {"message": "failed with sk-no-key-name-9", "user": {"email": "ada@example.com"}}
    with request_scope("req-123", user_id=lambda: "u-42", secrets=lambda: ["sk-no-key-name-9"]):
        cleaned = scrub_event(event)
    assert cleaned["message"] == "failed with [Filtered]"
    assert cleaned["user"] == {"id": "u-42"}
    assert cleaned["tags"]["request_id"] == "req-123"


def test_email_addresses_are_blanked_wherever_they_sit_and_the_release_is_kept() -> None:
    event = {
        "release": "job-pricing@0.1.0",
        "message": "login failed for Ann.Lee+hr@corp.example.co.uk",
        "exception": {
            "values": [
                {
                    "stacktrace": {
                        "frames": [
                            {"vars": {"data": "LoginBody(email='ann@example.com')"}},
                            {"vars": {"args": ["'bob@example.org'"]}},
                        ]
                    }
                }
            ]
        },
    }
    cleaned = scrub_event(event)
    text = json.dumps(cleaned)
    assert not any(a in text for a in ("corp.example", "ann@", "bob@", "Ann.Lee"))
    assert cleaned["message"] == "login failed for [Filtered]"
    assert cleaned["release"] == "job-pricing@0.1.0"


def test_secret_values_come_from_sensitive_keys_at_any_depth() -> None:
    body = {"email": "a@b.c", "refresh_token": "r-1", "nested": [{"password": "p-1"}], "n": 1}
    assert secret_values(body) >= {"r-1", "p-1"}
    assert "a@b.c" not in secret_values({"name": "a@b.c"})


def test_sentry_s_own_scrubber_knows_the_product_s_field_names() -> None:
    assert {"refresh_token", "access_token", "new_password", "password", "x-api-key"} <= set(
        DENYLIST
    )


def test_a_secret_seen_only_in_a_variable_is_blanked_everywhere() -> None:
    event = {
        "message": "job failed for sk-only-in-a-variable",
        "exception": {
            "values": [
                {"stacktrace": {"frames": [{"vars": {"api_key": "'sk-only-in-a-variable'"}}]}}
            ]
        },
    }
    assert "sk-only-in-a-variable" not in json.dumps(scrub_event(event))
