"""Bursts give one build, changes during a build give exactly one more, failures carry over."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sitegen.errors import ContentError
from sitegen.serve.rebuild import Outcome, Rebuilder, run_build


class FakeBuilder:
    def __init__(self, seconds: float = 0.0, fail: int = 0) -> None:
        self.calls: list[list[Path] | None] = []
        self.seconds = seconds
        self.fail = fail
        self.started = threading.Event()

    def release(self) -> None:
        """Nothing is kept between builds here."""

    def build(self, changed=None):
        self.calls.append(None if changed is None else list(changed))
        self.started.set()
        time.sleep(self.seconds)
        if self.fail:
            self.fail -= 1
            raise ContentError("broken", file="content/papers/a.yaml", line=2)

        class Result:
            written = ["papers/a/index.html"]
            deleted: list[str] = []
        return Result()

    watch_paths: list[Path] = []


def _wait(predicate, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _rebuilder(builder: FakeBuilder, outcomes: list[Outcome], **kw) -> Rebuilder:
    r = Rebuilder(builder, outcomes.append, debounce=kw.pop("debounce", 0.1), **kw)
    r.start()
    return r


def _save_twice(r: Rebuilder, outcomes: list[Outcome]) -> None:
    """``a.yaml`` saved, its build reported, then ``b.yaml``; the rebuilder is stopped."""
    try:
        r.notify({Path("a.yaml")})
        _wait(lambda: outcomes)
        r.notify({Path("b.yaml")})
        _wait(lambda: len(outcomes) == 2)
    finally:
        r.stop()


def test_run_build_reports_errors_instead_of_raising() -> None:
    outcome = run_build(FakeBuilder(fail=1), frozenset({Path("a")}))
    assert not outcome.ok and isinstance(outcome.error, ContentError)
    ok = run_build(FakeBuilder(), None)
    assert ok.ok and ok.written == ("papers/a/index.html",)


def test_a_burst_is_one_build_with_the_union() -> None:
    builder, outcomes = FakeBuilder(), []
    r = _rebuilder(builder, outcomes)
    try:
        for i in range(10):
            r.notify({Path(f"f{i}.yaml")})
            time.sleep(0.005)
        _wait(lambda: outcomes)
        time.sleep(0.3)
    finally:
        r.stop()
    assert len(builder.calls) == 1
    assert sorted(builder.calls[0]) == sorted(Path(f"f{i}.yaml") for i in range(10))


def test_changes_during_a_build_give_exactly_one_more() -> None:
    builder, outcomes = FakeBuilder(seconds=0.4), []
    r = _rebuilder(builder, outcomes, debounce=0.05)
    try:
        r.notify({Path("a.yaml")})
        assert builder.started.wait(2)
        for name in ("b.yaml", "c.yaml", "d.yaml"):
            r.notify({Path(name)})
            time.sleep(0.05)
        _wait(lambda: len(outcomes) == 2)
        _wait(r.idle)
        time.sleep(0.2)
    finally:
        r.stop()
    assert builder.calls == [[Path("a.yaml")], [Path("b.yaml"), Path("c.yaml"), Path("d.yaml")]]


def test_two_saves_a_second_apart_are_two_builds() -> None:
    builder, outcomes = FakeBuilder(), []
    r = _rebuilder(builder, outcomes)
    try:
        r.notify({Path("a.yaml")})
        time.sleep(1.0)
        r.notify({Path("a.yaml")})
        _wait(lambda: len(outcomes) == 2)
    finally:
        r.stop()
    assert len(builder.calls) == 2


def test_a_failed_build_keeps_its_paths() -> None:
    builder, outcomes = FakeBuilder(fail=1), []
    r = _rebuilder(builder, outcomes)
    _save_twice(r, outcomes)
    assert not outcomes[0].ok and outcomes[1].ok
    assert sorted(builder.calls[1]) == [Path("a.yaml"), Path("b.yaml")]


def test_a_failed_first_build_means_full_builds_until_one_succeeds() -> None:
    builder, outcomes = FakeBuilder(), []
    r = Rebuilder(builder, outcomes.append, debounce=0.05)
    r.record(Outcome(None, error=ContentError("x")))
    r.start()
    _save_twice(r, outcomes)
    assert builder.calls == [None, [Path("b.yaml")]]


def test_stop_finishes_the_running_build_and_joins() -> None:
    builder, outcomes = FakeBuilder(seconds=0.3), []
    r = _rebuilder(builder, outcomes, debounce=0.01)
    r.notify({Path("a.yaml")})
    assert builder.started.wait(2)
    r.stop()
    assert len(outcomes) == 1 and not r._thread.is_alive()
