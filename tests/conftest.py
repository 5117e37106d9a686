"""Shared fixtures: the fixture dataset, a CLI runner, and helpers to write throwaway datasets."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from timeline.cli import app
from timeline.loader import load
from timeline.models import Timeline

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"

# Property-based tests: few examples locally, many in CI (CI=true) or by HYPOTHESIS_PROFILE=ci.
# Tests that must weigh more or less than the default scale it with scaled(), not a fixed count.
settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev")
)


def scaled(factor: float) -> int:
    """This profile's example count times ``factor``: a heavy test runs fewer, a cheap one more."""
    return max(1, round(settings().max_examples * factor))


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in ("TIMELINE_DATA", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TIMELINE_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.fixture
def mini() -> Timeline:
    return load([MINI])


@pytest.fixture
def invoke() -> Callable[..., object]:
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def make(text: str, name: str = "events.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make
