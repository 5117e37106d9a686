"""Shared fixtures: the fixture dataset, the shipped dataset (loaded once), a CLI runner, helpers
to write throwaway datasets, and HOSTILE, the one corpus of hostile text for the output tests."""

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
SHIPPED = Path(__file__).parent.parent / "data" / "events.yaml"

# Text that must come out of every format (and the terminal view) as the same literal text:
# markup of each output language, spreadsheet formulas, line breaks, terminal control sequences,
# direction overrides, bare domains and math.
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)"> & <b>bold</b>',
    "</p></li></ol><a href='https://evil.test'>x</a>",
    "**bold** _em_ `code` [link](https://evil.test) # heading",
    "# heading",
    "- list item",
    "1. ordered",
    "> quote",
    "![img](https://evil.test/x.png)",
    "&lt;entity&gt; &#60;",
    "https://evil.test www.evil.test a@evil.test",
    "|a|b|\n|-|-|",
    "[^1]: fake note",
    "~~strike~~",
    "---",
    "He said \"no\" and 'yes'",
    '=HYPERLINK("https://evil.test","click")',
    "+1",
    "-1",
    "@SUM(A1)",
    "line one\nline two\r\nline three",
    "line one\n\n# two",
    "a : b ; c # d %% e",
    "title : fake\nsection : fake",
    "<br>2020 : injected",
    "```\n# heading\n```",
    "tab\there, comma, semicolon; backslash \\ end",
    "[bold red]Boom[/] \x1b[31mred\x1b]0;title\x07",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07 \x1b[2J\x1b[H \x9b31m \x7f",
    "\u202eevil\u202c \u2066isolate\u2069 \u061cmark \u200bzero\ufeff",
    "CNSNews.com and news.bbc.co.uk",
    "costs $5 and $x^2$ and $$y$$",
]

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


@pytest.fixture(scope="session")
def shipped() -> Timeline:
    """The shipped dataset, read and checked once for the whole session (no cache)."""
    return load([SHIPPED], use_cache=False)


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
