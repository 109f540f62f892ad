"""How the app reads a JSON body: bytes that are not UTF-8 are the caller's 400, naming the body.

Litestar turns malformed JSON into a 400 but lets the decoder's UnicodeDecodeError through,
which would answer 500 on every JSON route. The app reads every body through `BodyRequest`
(controllers that decode differently subclass it and override `decode_json`).
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ValidationException

__all__ = ["NOT_UTF8", "BodyRequest"]

NOT_UTF8 = "the request body is not valid UTF-8"


class BodyRequest(Request[Any, Any, Any]):
    """A request whose JSON body refuses invalid UTF-8 as a validation error on `body`."""

    async def json(self) -> Any:
        try:
            return await self.decode_json()
        except UnicodeDecodeError as error:
            raise ValidationException(
                NOT_UTF8, extra=[{"key": "body", "message": NOT_UTF8, "source": "body"}]
            ) from error

    async def decode_json(self) -> Any:
        return await super().json()
