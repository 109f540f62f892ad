"""Saved pricing requests kept in memory: the embedded default with no database, and the fake
the service tests use."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import attrs

from pricing_adapters.memory_uow import MemoryUnitOfWork, put
from pricing_core.errors import Conflict, NotFound
from pricing_core.requests.model import RequestEvent, RequestQuery, SavedRequest
from pricing_core.requests.ports import RequestStore

__all__ = ["InMemoryRequestStore", "matches"]


def matches(request: SavedRequest, query: RequestQuery) -> bool:
    """Whether a live request passes the query's filters."""
    return (
        request.deleted_at is None
        and (not query.statuses or request.status in query.statuses)
        and (query.job_code is None or request.job_code == query.job_code)
        and (query.area_code is None or request.area_code == query.area_code)
        and (query.created_by is None or request.created_by == query.created_by)
    )


@attrs.define
class InMemoryRequestStore(RequestStore):
    """Requests by id and their history rows, behind one lock (so changes are atomic); a
    change takes part in the unit of work `uow`."""

    _requests: dict[str, SavedRequest] = attrs.field(factory=dict)
    _events: dict[str, list[RequestEvent]] = attrs.field(factory=dict)
    _next_event: int = 1
    uow: MemoryUnitOfWork = attrs.field(factory=MemoryUnitOfWork, kw_only=True)

    @property
    def _lock(self) -> threading.RLock:
        return self.uow.lock

    def _numbered(self, event: RequestEvent) -> RequestEvent:
        numbered = attrs.evolve(event, id=self._next_event)
        self._next_event += 1
        return numbered

    def add(self, request: SavedRequest, event: RequestEvent) -> None:
        with self._lock:
            if request.id in self._requests:
                raise Conflict("a pricing request with this id exists", request_id=request.id)
            put(self.uow, self._requests, request.id, request)
            put(self.uow, self._events, request.id, [self._numbered(event)])

    def update(self, request: SavedRequest, event: RequestEvent, *, revision: int) -> None:
        with self._lock:
            stored = self._requests.get(request.id)
            if stored is None:
                raise NotFound("no such pricing request", request_id=request.id)
            if stored.revision != revision:
                raise Conflict(
                    "the request changed meanwhile; read it again", request_id=request.id
                )
            put(self.uow, self._requests, request.id, request)
            history = self._events[request.id]
            history.append(self._numbered(event))
            self.uow.journal(history.pop)

    def get(self, request_id: str) -> SavedRequest | None:
        with self._lock:
            return self._requests.get(request_id)

    def history(self, request_id: str) -> Sequence[RequestEvent]:
        with self._lock:
            return list(self._events.get(request_id, ()))

    def list(self, query: RequestQuery) -> tuple[Sequence[SavedRequest], int]:
        with self._lock:
            found = [r for r in self._requests.values() if matches(r, query)]
        found.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return found[query.offset : query.offset + query.limit], len(found)
