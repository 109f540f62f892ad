"""The SQL market reader's caches are shared by request threads while imports (and the
60-second refresh) clear them: no reader may ever see them half-cleared."""

from __future__ import annotations

import collections
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pricing_adapters.clock import SystemClock
from pricing_adapters.sql.engine import make_engine
from pricing_adapters.sql.loader import SqlMarketLoader
from pricing_adapters.sql.market import SqlMarketRepository
from pricing_adapters.sql.migrate import upgrade
from pricing_core.market.model import Area


@pytest.fixture
def switching_often() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads interleave between almost every bytecode
    yield
    sys.setswitchinterval(before)


def test_readers_never_fail_while_the_caches_are_cleared(
    tmp_path: Path, switching_often: None
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/p.db")
    upgrade(engine)
    reader = SqlMarketRepository(engine)
    SqlMarketLoader(engine, SystemClock(), reader).save_areas(
        [Area(code="0000000", name="U.S.", kind="national")]
    )
    errors: collections.Counter[str] = collections.Counter()
    answers: collections.Counter[str] = collections.Counter()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                found = reader.area("0000000")
                answers["found" if found is not None else "missing"] += 1
                reader.areas()
                reader.cut("oews-2025", "2025A01", "15-1252", "0000000", "000000")
            except Exception as error:  # the test counts them: none is allowed
                errors[type(error).__name__] += 1

    def clear() -> None:
        while not stop.is_set():
            reader.forget()

    threads = [threading.Thread(target=read) for _ in range(4)]
    threads.append(threading.Thread(target=clear))
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    stop.set()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert dict(errors) == {}
    assert answers["found"] > 0
    assert answers["missing"] == 0
