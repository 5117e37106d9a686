"""Shell completion through the protocol typer's scripts use: the _TIMELINE_COMPLETE variable with
COMP_WORDS/COMP_CWORD (bash) or _TYPER_COMPLETE_ARGS (zsh, fish), in a real process."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINI
from tests.test_robustness import COMMAND, env


def complete(shell: str, line: str, **extra: str) -> list[str]:
    """What the shell would offer for ``line`` (the cursor at its end)."""
    variables = {"_TIMELINE_COMPLETE": f"complete_{shell}", **extra}
    if shell == "bash":
        words = line.split(" ")
        variables |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        variables |= {"_TYPER_COMPLETE_ARGS": line}
        if shell == "fish":
            variables["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run(COMMAND, capture_output=True, text=True, env=env(**variables), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]


MINI_DATA = {"TIMELINE_DATA": str(MINI)}


def test_commands() -> None:
    from timeline.cli import app

    commands = [info.name or info.callback.__name__ for info in app.registered_commands]  # type: ignore[union-attr]
    assert complete("bash", "timeline ") == commands
    assert {"show", "filter", "export", "validate", "actors", "tags", "cite"} <= set(commands)
    assert complete("bash", "timeline ci") == ["cite"]


def test_options() -> None:
    offered = complete("bash", "timeline show --not")
    assert offered == ["--not-actor", "--not-tag"]
    assert "--no-pager" in complete("bash", "timeline filter --no")


def test_export_formats() -> None:
    from timeline.exporters import EXPORTERS

    assert complete("bash", "timeline export ") == [e.name for e in EXPORTERS]
    assert complete("bash", "timeline show --format t") == ["terminal", "timelinejs"]
    assert complete("bash", "timeline cite x --style c") == ["csl-json"]


def test_actor_ids_and_aliases_from_the_dataset_in_use() -> None:
    assert complete("bash", "timeline filter --actor k", **MINI_DATA) == ["kim-jong-un", "kim-yo-jong"]
    assert complete("bash", "timeline filter -a Kim", **MINI_DATA) == ["Kim", "Kim Jong-un", "Kim Yo-jong"]
    assert complete("bash", "timeline show --not-actor 김", **MINI_DATA) == ["김정은", "김여정"]
    # --data given on the command line wins over the environment
    assert complete("bash", f"timeline show --data {MINI} -a p") == ["putin"]


def test_tags() -> None:
    assert complete("bash", "timeline filter --tag s", **MINI_DATA) == ["statement", "summit"]
    assert complete("bash", "timeline filter --not-tag r", **MINI_DATA) == ["rhetoric", "russia"]


def test_event_ids() -> None:
    assert complete("bash", "timeline cite t", **MINI_DATA) == ["threat", "talks"]
    assert complete("bash", "timeline show --id m", **MINI_DATA) == ["month-only"]
    assert complete("bash", "timeline show s", **MINI_DATA) == ["summit"]
    assert "singapore-summit" in complete("bash", "timeline cite singapore-s")  # the shipped dataset


def test_zsh_and_fish_get_descriptions() -> None:
    zsh = complete("zsh", "timeline filter --tag su", **MINI_DATA)
    assert zsh == ['_arguments \'*: :(("summit":"3 events"))\'']
    fish = complete("fish", "timeline cite th", **MINI_DATA)
    assert fish == ["threat\t8 Aug 2017: Fire and fury"]


def test_a_broken_dataset_completes_nothing_quietly(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("events: [\n", encoding="utf-8")
    assert complete("bash", "timeline filter --tag s", TIMELINE_DATA=str(broken)) == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script(shell: str) -> None:
    # typer detects the running shell; its own switch lets a test name the shell instead
    variables = env(_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    result = subprocess.run(
        [*COMMAND, "--show-completion", shell], capture_output=True, text=True, env=variables
    )
    assert result.returncode == 0
    assert "_TIMELINE_COMPLETE" in result.stdout and f"complete_{shell}" in result.stdout


def test_install_completion_writes_into_home(tmp_path: Path) -> None:
    variables = env(HOME=str(tmp_path), _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    result = subprocess.run(
        [*COMMAND, "--install-completion", "bash"], capture_output=True, text=True, env=variables
    )
    assert result.returncode == 0, result.stderr
    script = tmp_path / ".bash_completions" / "timeline.sh"
    assert "_TIMELINE_COMPLETE=complete_bash" in script.read_text(encoding="utf-8")
    assert str(script) in (tmp_path / ".bashrc").read_text(encoding="utf-8")
