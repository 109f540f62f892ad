"""What the saved-request use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pricing_core.requests.model import RequestEvent, RequestQuery, SavedRequest

__all__ = ["Ids", "RequestStore"]


class Ids(Protocol):
    """New unique ids (the access area's Secrets adapter answers this too)."""

    def new_id(self) -> str: ...


class RequestStore(Protocol):
    """Saved requests and their history; a request and its history row change together."""

    def add(self, request: SavedRequest, event: RequestEvent) -> None:
        """Store a new request with its first history row; Conflict if the id exists."""
        ...

    def update(self, request: SavedRequest, event: RequestEvent, *, revision: int) -> None:
        """Replace the stored request and append `event`, atomically, if the stored one is
        still at `revision`; otherwise change nothing and raise Conflict (another change came
        first), or NotFound if there is no such request."""
        ...

    def get(self, request_id: str) -> SavedRequest | None:
        """The request, deleted or not."""
        ...

    def history(self, request_id: str) -> Sequence[RequestEvent]:
        """Its history rows, oldest first, each with the id the store gave it."""
        ...

    def list(self, query: RequestQuery) -> tuple[Sequence[SavedRequest], int]:
        """A page of requests that are not deleted and match the query, newest first, and
        how many match in all."""
        ...
