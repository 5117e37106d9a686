import json
from pathlib import Path

import pytest

from tests.conftest import MINI
from timeline import __version__
from timeline.exporters import REGISTRY


def test_version(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"timeline {__version__}\n"


def test_show_shipped_dataset(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--color", "never")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Trump and Kim: US–North Korea relations — ")
    assert "Singapore" in result.stdout and "\x1b" not in result.stdout


@pytest.mark.parametrize("placement", ["before", "after"])
def test_data_option_before_or_after_the_command(invoke, placement: str) -> None:  # type: ignore[no-untyped-def]
    args = ["--data", str(MINI), "show"] if placement == "before" else ["show", "--data", str(MINI)]
    result = invoke(*args)
    assert result.exit_code == 0
    assert result.stdout.startswith("Fixture timeline — 5 events")


def test_environment_variable_chooses_the_data(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--compact", env={"TIMELINE_DATA": str(MINI)})
    assert result.exit_code == 0
    assert result.stdout.startswith("Fixture timeline — 5 events")


def test_filter_by_actor_alias(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("filter", "--actor", "Kim", "--format", "json", "--data", str(MINI))
    assert result.exit_code == 0
    assert [e["id"] for e in json.loads(result.stdout)] == ["summit", "talks", "russia"]


def test_filter_on_shipped_data_is_exactly_kims_events(invoke) -> None:  # type: ignore[no-untyped-def]
    from timeline.loader import load

    expected = [
        e.id for e in sorted(load().events, key=lambda e: (e.start, e.finish)) if "kim-jong-un" in e.actors
    ]
    result = invoke("filter", "--actor", "Kim", "--format", "json")
    assert result.exit_code == 0
    assert [e["id"] for e in json.loads(result.stdout)] == expected


def test_filter_requires_a_criterion(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("filter", "--data", str(MINI))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("timeline: filter needs a criterion")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["filter", "--actor", "Jong"], 2, "timeline: --actor 'Jong' is ambiguous: it matches Kim Jong Un"),
        (["filter", "--actor", "Nobody"], 2, "timeline: --actor: no actor matches 'Nobody'"),
        (["filter", "--tag", "nope"], 2, "timeline: --tag: no event has the tag 'nope'"),
        (["filter", "--since", "soon"], 2, "timeline: --since: cannot read 'soon' as a date"),
        (["filter", "--since", "2020", "--until", "2019"], 2, "timeline: --since 2020 is after --until 2019"),
        (["show", "--limit", "-1"], 2, "'--limit'"),
        (["show", "--format", "yaml"], 2, "'--format'"),
        (["export", "pdf"], 2, "'pdf'"),
        (
            ["export"],
            2,
            "timeline: export needs a FORMAT (markdown, json, csv, timelinejs, html, ics, csl-json, mermaid, svg),"
            " or -o FILE with a known extension",
        ),
        (["export", "csv", "--schema"], 2, "timeline: --schema applies to the json format, not csv"),
        (["export", "html", "--mermaid"], 2, "timeline: --mermaid applies to the markdown format, not html"),
        (
            ["export", "json", "--group", "era"],
            2,
            "timeline: --group applies to the mermaid format and markdown --mermaid, not json",
        ),
        (
            ["export", "markdown", "--group", "era"],
            2,
            "timeline: --group applies to the mermaid format and markdown --mermaid\n",
        ),
        (["export", "mermaid", "--group", "decade"], 2, "'--group'"),
        (["show", "--no-such-option"], 2, "--no-such-option"),
        (["no-such-command"], 2, "no-such-command"),
    ],
)
def test_usage_errors(invoke, args: list[str], code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke(*args, "--data", str(MINI))
    assert result.exit_code == code
    assert result.stdout == ""
    assert message in result.stderr
    # one line, in the tool's own voice, whatever typer's version words it as
    assert result.stderr.startswith("timeline: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_bare_timeline_prints_help_and_succeeds(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke()
    assert result.exit_code == 0
    assert "show" in result.stdout and "export" in result.stdout
    assert result.stderr == ""


def test_show_and_filter_share_one_body(invoke) -> None:  # type: ignore[no-untyped-def]
    shown = invoke("show", "--tag", "summit", "--format", "json", "--data", str(MINI))
    filtered = invoke("filter", "--tag", "summit", "--format", "json", "--data", str(MINI))
    assert shown.exit_code == filtered.exit_code == 0
    assert shown.stdout == filtered.stdout
    assert [e["id"] for e in json.loads(shown.stdout)] != []


def test_broken_pipe_exit_code_is_named() -> None:
    from timeline.errors import ExitCode

    assert ExitCode.BROKEN_PIPE == 141


def test_empty_result_is_success_with_a_note(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("filter", "--search", "zzz", "--data", str(MINI))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "timeline: no events match\n"


def test_json_is_empty_array_when_nothing_matches(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("filter", "--search", "zzz", "-f", "json", "--data", str(MINI))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_bad_data_is_one_line_per_problem_and_exit_1(invoke, write) -> None:  # type: ignore[no-untyped-def]
    path = write("events:\n  - {id: a, date: 2018-02-30, title: T}\n")
    result = invoke("show", "--data", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"timeline: {path}:2:5: event 'a' has no sources: every event needs at least one citation",
        f"timeline: {path}:2:19: event 'a': 'date': impossible date '2018-02-30': day is out of range for month",
        "timeline: 2 problems found",
    ]


def test_missing_file(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--data", str(tmp_path / "none.yaml"))
    assert result.exit_code == 1
    assert result.stderr == f"timeline: {tmp_path / 'none.yaml'}: no such file\n"


def test_validate_ok_and_bad(invoke, write) -> None:  # type: ignore[no-untyped-def]
    result = invoke("validate", str(MINI))
    assert result.exit_code == 0
    assert result.stdout == f"{MINI}: valid: 5 events, 4 actors\n"
    bad = write("title: T\nevents: []\nactor: {}\n")
    result = invoke("validate", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        result.stderr == f"timeline: {bad}:3:1: unknown key 'actor' in the document; did you mean 'actors'?\n"
    )


def test_validate_shipped_dataset(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("validate")
    assert result.exit_code == 0, result.stderr
    assert "valid:" in result.stdout


def test_actors_and_tags(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("actors", "--data", str(MINI))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "   3  kim-jong-un  Kim Jong Un (Kim, Kim Jong-un, 김정은)"
    result = invoke("tags", "--format", "json", "--data", str(MINI))
    assert json.loads(result.stdout)[0] == {"tag": "summit", "events": 3}
    result = invoke("actors", "-f", "json", "--data", str(MINI))
    assert {
        "id": "putin",
        "name": "Vladimir Putin",
        "aliases": ["Putin", "Путин"],
        "role": None,
        "country": "RUS",
        "events": 1,
    } in json.loads(result.stdout)


def test_export_markdown_to_stdout_and_file(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("export", "markdown", "--data", str(MINI))
    assert result.exit_code == 0
    assert result.stdout.startswith("# Fixture timeline\n")
    target = tmp_path / "out.md"
    result = invoke("export", "markdown", "-o", str(target), "--data", str(MINI))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("# Fixture timeline\n")


def test_export_refuses_to_overwrite_without_force(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.md"
    target.write_text("precious")
    result = invoke("export", "markdown", "-o", str(target), "--data", str(MINI))
    assert result.exit_code == 1
    assert result.stderr == f"timeline: {target}: already exists; use --force to replace it\n"
    assert target.read_text() == "precious"
    result = invoke("export", "markdown", "-o", str(target), "--force", "--data", str(MINI))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Fixture timeline")


def test_failed_export_leaves_no_file(invoke, tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    bad = write("events: 3\n")
    target = tmp_path / "out.md"
    result = invoke("export", "markdown", "-o", str(target), "--data", str(bad))
    assert result.exit_code == 1
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.yaml"]


def test_format_inferred_from_extension(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "events.json"
    result = invoke("export", "-o", str(target), "--data", str(MINI))
    assert result.exit_code == 0
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 5


def test_export_list_matches_registry(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("export", "--list")
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(REGISTRY)


def test_help_has_examples(invoke) -> None:  # type: ignore[no-untyped-def]
    for command in ("show", "filter", "export", "validate", "actors", "tags"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert "timeline " + command in result.stdout  # an example of the command itself


def test_no_color_environment(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--data", str(MINI), "--color", "always", env={"NO_COLOR": "1"})
    assert "\x1b" in result.stdout  # an explicit --color always wins
    result = invoke("show", "--data", str(MINI), env={"NO_COLOR": "1"})
    assert "\x1b" not in result.stdout


def test_color_always_emits_styles_and_links(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--data", str(MINI), "--color", "always")
    assert "\x1b[" in result.stdout and "\x1b]8;" in result.stdout
