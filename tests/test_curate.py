"""The curators' commands: add, new, schema, validate (all at once, --strict), sources, diff."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from markdown_it import MarkdownIt

from tests.conftest import MINI
from timeline.curate.add import propose_id, slug

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "events.yaml"
SCHEMA = json.loads((ROOT / "timeline" / "curate" / "dataset.schema.json").read_text(encoding="utf-8"))

SOURCE_OPTIONS = [
    "--source",
    "https://news.test/new",
    "--source-title",
    "A headline",
    "--publisher",
    "Wire",
    "--source-date",
    "2018-06-13",
]


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    path = tmp_path / "events.yaml"
    shutil.copyfile(MINI, path)
    return path


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    path = tmp_path / "events.yaml"
    shutil.copyfile(SHIPPED, path)
    return path


def _without(new: str, block_start: int, block_lines: int) -> str:
    lines = new.splitlines(keepends=True)
    return "".join(lines[:block_start] + lines[block_start + block_lines :])


# -- add --------------------------------------------------------------------------------------


def test_add_inserts_in_date_order_and_leaves_every_other_byte(invoke, shipped_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = shipped_copy.read_bytes()
    result = invoke(
        "add",
        "--data",
        str(shipped_copy),
        "--date",
        "2019-06-30",
        "--title",
        "A curator's new event",
        "--summary",
        "A summary that is long enough to be folded the way the shipped file folds its summaries.",
        "-a",
        "Trump",
        "-a",
        "김정은",
        "--tag",
        "summit",
        "--cameo",
        "043",
        *[("Reuters" if option == "Wire" else option) for option in SOURCE_OPTIONS],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"timeline: added a-curator-s-new-event to {shipped_copy}\n"
    after = shipped_copy.read_text(encoding="utf-8")
    lines = after.splitlines(keepends=True)
    start = lines.index("- id: a-curator-s-new-event\n")
    block = list(
        __import__("itertools").takewhile(
            lambda line: not line.startswith("- id: ") or line == lines[start], lines[start:]
        )
    )
    assert _without(after, start, len(block)).encode("utf-8") == before  # nothing else moved
    assert "".join(block) == (
        "- id: a-curator-s-new-event\n"
        "  date: '2019-06-30'\n"
        "  title: A curator's new event\n"
        "  summary: >-\n"
        "    A summary that is long enough to be folded the way the shipped file folds its summaries.\n"
        "  actors: [trump, kim-jong-un]\n"
        "  tags: [summit]\n"
        "  cameo: '043'\n"
        "  sources:\n"
        "  - title: A headline\n"
        "    publisher: Reuters\n"
        "    url: https://news.test/new\n"
        "    date: '2018-06-13'\n"
        "    kind: secondary\n"
    )
    data = yaml.safe_load(after)
    dates = [str(e["date"]) for e in data["events"]]
    position = [e["id"] for e in data["events"]].index("a-curator-s-new-event")
    assert dates[position - 1] <= "2019-06-30" < dates[position + 1]
    check = invoke("validate", str(shipped_copy))
    assert check.exit_code == 0, check.stderr


def test_add_keeps_a_nested_indentation_style(invoke, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "add",
        "--data",
        str(mini_copy),
        "--date",
        "2018-06-13",
        "--title",
        "Next day",
        "-a",
        "Kim",
        *SOURCE_OPTIONS,
    )
    assert result.exit_code == 0, result.stderr
    text = mini_copy.read_text(encoding="utf-8")
    assert (
        "  - id: next-day\n    date: '2018-06-13'\n    title: Next day\n    actors: [kim-jong-un]\n"
        "    sources:\n      - title: A headline\n" in text
    )
    assert text.index("id: next-day") < text.index("id: talks")
    assert invoke("validate", str(mini_copy)).exit_code == 0


def test_add_at_the_end_goes_before_a_later_top_level_key(invoke, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "add", "--data", str(mini_copy), "--date", "2025-01-01", "--title", "Last", *SOURCE_OPTIONS
    )
    assert result.exit_code == 0, result.stderr
    text = mini_copy.read_text(encoding="utf-8")
    assert text.index("id: last") < text.index("\neras:")
    assert invoke("validate", str(mini_copy)).exit_code == 0


def test_add_dry_run_prints_a_diff_and_writes_nothing(invoke, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = mini_copy.read_bytes()
    result = invoke(
        "add", "--data", str(mini_copy), "--date", "2018", "--title", "Dry", "--dry-run", *SOURCE_OPTIONS
    )
    assert result.exit_code == 0, result.stderr
    assert mini_copy.read_bytes() == before
    lines = result.stdout.splitlines()
    assert lines[0] == "--- a/events.yaml" and lines[1] == "+++ b/events.yaml"
    assert "+  - id: dry" in lines
    assert all(not line.startswith("-  ") for line in lines[2:])  # only additions


def test_add_refuses_an_invalid_event_and_leaves_the_file(invoke, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = mini_copy.read_bytes()
    snippet = mini_copy.parent / "new.yaml"
    snippet.write_text(
        "id: broken\ndate: 2018-02-30\ntitle: Bad\nactors: [nobody]\n"
        "sources:\n  - {title: T, publisher: P, url: 'javascript:alert(1)'}\n",
        encoding="utf-8",
    )
    result = invoke("add", "--data", str(mini_copy), "--from", str(snippet))
    assert result.exit_code in (1, 2)
    assert result.stdout == ""
    assert mini_copy.read_bytes() == before
    assert result.stderr.startswith("timeline: ")
    assert "Traceback" not in result.stderr


def test_add_refuses_an_invalid_event_with_located_messages(invoke, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = mini_copy.read_bytes()
    snippet = mini_copy.parent / "new.yaml"
    snippet.write_text(
        "id: broken\ndate: 2018-07-01\ntitle: Bad\nactors: [nobody]\nrelated: [nowhere]\n"
        "sources:\n  - {title: T, publisher: P, url: 'ftp://x'}\n",
        encoding="utf-8",
    )
    result = invoke("add", "--data", str(mini_copy), "--from", str(snippet))
    assert result.exit_code == 1
    assert mini_copy.read_bytes() == before
    messages = result.stderr.splitlines()
    assert all(re.match(rf"timeline: {re.escape(str(mini_copy))}:\d+:\d+: ", m) for m in messages[:-1])
    assert any("unknown actor 'nobody'" in m for m in messages)
    assert any("related event 'nowhere' does not exist" in m for m in messages)
    assert any("must be an http:// or https:// address" in m for m in messages)


def test_add_holds_a_new_event_to_the_declared_vocabularies(invoke, write) -> None:  # type: ignore[no-untyped-def]
    path = write(STRICT.replace("  tags: [Summit, rumours]\n", "  tags: [summit]\n"))
    before = path.read_bytes()
    result = invoke(
        "add", "--data", str(path), "--date", "2020", "--title", "New", "--tag", "Rhetoric",
        "--source", "https://p.test/1", "--source-title", "S", "--publisher", "Yonhap",
    )  # fmt: skip
    assert result.exit_code == 1
    assert path.read_bytes() == before
    assert [line.split(": ", 2)[2] for line in result.stderr.splitlines()[:-1]] == [
        "event 'new': tag 'Rhetoric' is spelled 'rhetoric' in the vocabulary",
        "event 'new', source #1: publisher 'Yonhap' is spelled 'Yonhap News Agency'",
    ]


def test_add_from_stdin(invoke, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from timeline.cli import app

    snippet = "- date: 2019-01-01\n  title: From stdin\n  sources:\n  - {title: T, publisher: P, url: 'https://p.test/x'}\n"
    result = CliRunner().invoke(app, ["add", "--data", str(mini_copy), "--from", "-"], input=snippet)
    assert result.exit_code == 0, result.stderr
    assert "id: from-stdin" in mini_copy.read_text(encoding="utf-8")


def test_add_refuses_the_installed_copy(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inside = ROOT / "timeline" / "data" / "events.yaml"
    result = invoke("add", "--data", str(inside), "--date", "2019", "--title", "x", *SOURCE_OPTIONS)
    assert result.exit_code == 2
    assert "read-only copy inside the installed package" in result.stderr
    assert "--data FILE" in result.stderr


def test_add_needs_the_required_fields(invoke, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("add", "--data", str(mini_copy), "--date", "2019", "--title", "No sources")
    assert result.exit_code == 2
    assert result.stderr == "timeline: the new event needs sources\n"


def test_add_with_a_taken_id_is_refused(invoke, mini_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "add", "--data", str(mini_copy), "--id", "summit", "--date", "2019", "--title", "x", *SOURCE_OPTIONS
    )
    assert result.exit_code == 2
    assert "an event with id 'summit' exists already" in result.stderr


@pytest.mark.parametrize(
    ("title", "taken", "expected"),
    [
        ("Trump and Kim meet in Singapore", set(), "trump-and-kim-meet-in-singapore"),
        ("Kim Jong Un's “fire and fury” reply — again!", set(), "kim-jong-un-s-fire-and-fury-reply-again"),
        ("Summit", {"summit"}, "summit-2018-06-12"),
        ("Summit", {"summit", "summit-2018-06-12"}, "summit-2018-06-12-2"),
        ("김정은", set(), "event"),
    ],
)
def test_proposed_ids_are_stable_kebab_case_and_unique(title: str, taken: set[str], expected: str) -> None:
    assert propose_id(title, "2018-06-12", taken) == expected
    assert propose_id(title, "2018-06-12", taken) == expected  # stable
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug(title))


def test_new_prints_a_template_in_the_files_style(invoke) -> None:  # type: ignore[no-untyped-def]
    flat = invoke("new")
    assert flat.exit_code == 0
    assert flat.stdout.startswith("- id: short-kebab-case-id")
    assert "  sources:" in flat.stdout and "\n  - title: " in flat.stdout
    nested = invoke("new", "--data", str(MINI))
    assert nested.stdout.startswith("  - id: short-kebab-case-id")
    assert "\n      - title: " in nested.stdout
    # the template is YAML (its comments aside) with every field of an event
    event = yaml.safe_load(flat.stdout)[0]
    assert set(event) == {
        "id",
        "date",
        "title",
        "summary",
        "actors",
        "tags",
        "place",
        "cameo",
        "quotes",
        "sources",
    }


def test_readme_example_event_passes_when_pasted_at_the_end(tmp_path: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"<!-- example-event -->\n```yaml\n(.*?)```", readme, re.S)
    assert example, "README.md has no example event block"
    path = tmp_path / "events.yaml"
    text = SHIPPED.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") + example.group(1), encoding="utf-8")
    result = invoke("validate", str(path))
    assert result.exit_code == 0, result.stderr


# -- schema -----------------------------------------------------------------------------------


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_schema_command_prints_the_shipped_schema(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("schema")
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed == SCHEMA
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(printed)


def test_shipped_data_passes_the_schema() -> None:
    data = _plain(yaml.safe_load(SHIPPED.read_text(encoding="utf-8")))
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))
    assert errors == []


def test_shipped_data_has_the_editor_modeline() -> None:
    first = SHIPPED.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../timeline/curate/dataset.schema.json"
    assert (SHIPPED.parent / "../timeline/curate/dataset.schema.json").resolve().is_file()


GOOD_EVENT = (
    "{id: e, date: '2019-01-01', title: T, sources: [{title: S, publisher: P, url: 'https://p.test/'}]}"
)
BAD_FILES = {
    "unknown top key": f"events: [{GOOD_EVENT}]\ncolour: red\n",
    "events not a list": "events: {a: 1}\n",
    "no sources": "events: [{id: e, date: '2019-01-01', title: T}]\n",
    "empty sources": "events: [{id: e, date: '2019-01-01', title: T, sources: []}]\n",
    "id not kebab": "events: [{id: Not_Kebab, date: '2019-01-01', title: T, sources: [{title: S, publisher: P, url: 'https://p.test/'}]}]\n",
    "malformed date": "events: [{id: e, date: '1 June 2019', title: T, sources: [{title: S, publisher: P, url: 'https://p.test/'}]}]\n",
    "month 13": "events: [{id: e, date: '2019-13', title: T, sources: [{title: S, publisher: P, url: 'https://p.test/'}]}]\n",
    "unknown event key": "events: [{id: e, date: '2019-01-01', title: T, colour: red, sources: [{title: S, publisher: P, url: 'https://p.test/'}]}]\n",
    "source without url": "events: [{id: e, date: '2019-01-01', title: T, sources: [{title: S, publisher: P}]}]\n",
    "ftp url": "events: [{id: e, date: '2019-01-01', title: T, sources: [{title: S, publisher: P, url: 'ftp://p.test/'}]}]\n",
    "bad kind": "events: [{id: e, date: '2019-01-01', title: T, sources: [{title: S, publisher: P, url: 'https://p.test/', kind: tertiary}]}]\n",
    "cameo unquoted": "events: [{id: e, date: '2019-01-01', title: T, cameo: 43, sources: [{title: S, publisher: P, url: 'https://p.test/'}]}]\n",
    "country lower case": f"actors: {{a: {{name: A, country: usa}}}}\nevents: [{GOOD_EVENT}]\n",
    "actor without name": f"actors: {{a: {{role: R}}}}\nevents: [{GOOD_EVENT}]\n",
    "era without start": f"eras: [{{name: E}}]\nevents: [{GOOD_EVENT}]\n",
    "tag not kebab": f"tags: {{Summit: meetings}}\nevents: [{GOOD_EVENT}]\n",
    "publisher aliases not a list": f"publishers: {{Reuters: 3}}\nevents: [{GOOD_EVENT}]\n",
    "empty title": "events: [{id: e, date: '2019-01-01', title: '', sources: [{title: S, publisher: P, url: 'https://p.test/'}]}]\n",
    "no events": "title: Nothing\n",
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_schema_and_validate_agree_on_bad_files(name: str, write, invoke) -> None:  # type: ignore[no-untyped-def]
    text = BAD_FILES[name]
    path = write(text)
    schema_errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(_plain(yaml.safe_load(text))))
    result = invoke("validate", str(path))
    assert schema_errors, f"the schema accepts {name}"
    assert result.exit_code == 1, f"validate accepts {name}"
    assert result.stderr.startswith(f"timeline: {path}")


def test_schema_and_validate_agree_on_a_good_file(write, invoke) -> None:  # type: ignore[no-untyped-def]
    text = (
        "schema: 1\ntitle: T\ntags: {summit: meetings}\npublishers: {Reuters: [Reuters News], P: null}\n"
        "actors: {a: {name: A, aliases: [B], country: USA}}\n"
        "eras: [{name: E, start: 2019, end: '2019-12'}]\n"
        "events: [{id: e, date: 2019-01-01, end: '2019-01-02', title: T, summary: S, actors: [a], tags: [summit],"
        " place: X, cameo: '043', quotes: [{text: Q, by: a}], related: [e],"
        " sources: [{title: S, publisher: P, url: 'https://p.test/', date: '2019-01~', kind: primary}]}]\n"
    )
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(_plain(yaml.safe_load(text)))) == []
    result = invoke("validate", str(write(text)))
    assert result.exit_code == 0, result.stderr


# -- validate: everything at once ----------------------------------------------------------------


def test_validate_reports_a_bad_related_link_of_an_event_with_other_problems(write, invoke) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "events:\n"
        "- id: first\n"
        "  date: '2019-02-30'\n"
        "  title: T\n"
        "  related: [nowhere]\n"
        "  sources: [{title: S, publisher: P, url: 'https://p.test/'}]\n"
    )
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"timeline: {path}:3:9: event 'first': 'date': impossible date '2019-02-30': day is out of range for month",
        f"timeline: {path}:5:13: event 'first': related event 'nowhere' does not exist",
        "timeline: 2 problems found",
    ]


def test_an_event_indented_as_a_source_gets_a_hint(write, invoke) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "events:\n"
        "- id: first\n"
        "  date: '2019-01-01'\n"
        "  title: T\n"
        "  sources:\n"
        "  - title: S\n"
        "    publisher: P\n"
        "    url: https://p.test/\n"
        "  - id: pasted\n"
        "    date: '2019-01-02'\n"
        "    title: Pasted one level too deep\n"
        "    sources:\n"
        "    - {title: S, publisher: P, url: 'https://p.test/'}\n"
    )
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert (
        f"timeline: {path}:9:5: this looks like an event indented as a source; events start at column 1"
        " (with '- id:'), like the one above"
    ) in result.stderr.splitlines()


# -- validate --strict ------------------------------------------------------------------------

STRICT = """\
tags:
  summit: meetings of leaders
  rhetoric: threats
publishers:
  Yonhap News Agency: [Yonhap]
  Wire:
actors:
  a: {name: A}
  b: {name: B}
events:
- id: e
  date: '2019-01-01'
  title: T
  actors: [a]
  tags: [Summit, rumours]
  quotes:
  - {text: Q, by: b}
  sources:
  - {title: S, publisher: Yonhap, url: 'http://secure.test/x'}
  - {title: S, publisher: 'wire', url: 'https://secure.test/y'}
  - {title: S, publisher: Unknown Daily, url: 'http://plain.test/z'}
"""


def test_strict_checks_the_curation_policy(write, invoke) -> None:  # type: ignore[no-untyped-def]
    path = write(STRICT)
    assert invoke("validate", str(path)).exit_code == 0  # only policy problems
    result = invoke("validate", "--strict", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"timeline: {path}:15:10: event 'e': tag 'Summit' is spelled 'summit' in the vocabulary",
        f"timeline: {path}:15:18: event 'e': tag 'rumours' is not in the declared vocabulary ('tags:')",
        f"timeline: {path}:17:19: event 'e', quote #1: speaker 'b' is not among the event's actors",
        f"timeline: {path}:19:27: event 'e', source #1: publisher 'Yonhap' is spelled 'Yonhap News Agency'",
        f"timeline: {path}:19:40: event 'e', source #1: use https:// (secure.test is cited over https elsewhere)",
        f"timeline: {path}:20:27: event 'e', source #2: publisher 'wire' is spelled 'Wire'",
        f"timeline: {path}:21:27: event 'e', source #3: publisher 'Unknown Daily' is not declared in 'publishers:'",
        "timeline: 7 problems found",
    ]


def test_strict_needs_declared_vocabularies(write, invoke) -> None:  # type: ignore[no-untyped-def]
    path = write(f"events: [{GOOD_EVENT}]\n")
    result = invoke("validate", "--strict", str(path))
    assert result.exit_code == 1
    assert "declares no tag vocabulary" in result.stderr
    assert "declares no publishers" in result.stderr


def test_shipped_data_passes_strict(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("validate", "--strict", str(SHIPPED))
    assert result.exit_code == 0, result.stderr
    assert "valid (strict)" in result.stdout


def _no_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading with positions fails the test: a valid file must be checked without them."""
    from timeline import loader

    def refused(texts: object) -> object:
        raise AssertionError("read with positions")

    monkeypatch.setattr(loader, "positioned_documents", refused)


def test_validate_reads_a_valid_file_fast_without_positions(invoke, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    as_json = tmp_path / "events.json"
    as_json.write_text(
        json.dumps(yaml.safe_load(SHIPPED.read_text(encoding="utf-8")), default=str), encoding="utf-8"
    )
    expected = invoke("validate", "--strict", str(SHIPPED)).stdout  # the shipped YAML is read with positions
    _no_positions(monkeypatch)
    strict = invoke("validate", "--strict", str(as_json))
    assert strict.exit_code == 0, strict.stderr
    assert strict.stdout == expected.replace(str(SHIPPED), str(as_json))
    result = invoke("validate", str(MINI))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{MINI}: valid: 5 events, 4 actors\n"


def test_validate_reads_valid_standard_input_fast(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from timeline.cli import app

    _no_positions(monkeypatch)
    result = CliRunner().invoke(app, ["validate", "-"], input=f"events: [{GOOD_EVENT}]\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "<stdin>: valid: 1 events, 0 actors\n"


def test_validate_locates_what_the_fast_path_finds(invoke, write) -> None:  # type: ignore[no-untyped-def]
    # valid to the fast path's reader, invalid to validation: the message is the located one
    path = write(f"events: [{GOOD_EVENT}, {GOOD_EVENT}]\n")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith(f"timeline: {path}:1:")
    assert "duplicate event id" in result.stderr


def test_readme_tag_table_matches_the_declared_vocabulary() -> None:
    declared = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["tags"]
    table = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (.+?) \|$", table, re.M))
    assert set(documented) == set(declared)


# -- sources ----------------------------------------------------------------------------------


def test_sources_on_the_fixture(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("sources", "--format", "json", "--data", str(MINI))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["events"] == 5 and report["sources"] == 6
    assert report["publishers"] == [
        {"publisher": "Wire", "citations": 3},
        {"publisher": "Paper", "citations": 2},
        {"publisher": "White House", "citations": 1},
    ]
    assert report["single_source"] == {
        "count": 4,
        "percent": 80.0,
        "events": ["threat", "talks", "month-only", "russia"],
    }
    assert report["single_publisher"]["count"] == 0
    assert report["no_primary_source"]["events"] == ["threat", "talks", "month-only", "russia"]
    assert report["sources_before_event"]["count"] == 0
    assert report["undated_sources"]["count"] == 4
    assert report["undated_sources"]["percent_of_sources"] == 66.7


def test_sources_text_and_filters(invoke, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "events:\n"
        "- {id: early, date: '2019-05-01', title: T, sources: [{title: S, publisher: P, url: 'https://p.test/1', date: '2019-04-30'},"
        " {title: S, publisher: P, url: 'https://p.test/2', date: '2019-05-01'}]}\n"
    )
    result = invoke("sources", "--data", str(path))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "1 events, 2 sources"
    assert "Events whose sources are all one publisher: 1 (100.0%)" in lines
    assert "Sources published before the event they cite: 1 (50.0% of sources)" in lines
    assert "  early  https://p.test/1" in lines
    narrowed = invoke("sources", "--since", "2020", "--data", str(path))
    assert narrowed.exit_code == 0 and narrowed.stdout.startswith("0 events, 0 sources")


# -- diff -------------------------------------------------------------------------------------


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    shutil.copyfile(MINI, old)
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("title: The leaders meet", "title: The leaders meet in Singapore")
    text = text.replace(
        "    date: 2017-08-08\n    title: Fire and fury", "    date: 2017-08-09\n    title: Fire and fury"
    )
    start = text.index("  - id: month-only")
    end = text.index("  - id: russia")
    text = text[:start] + text[end:]
    text = text.replace(
        "eras:",
        "  - id: added\n    date: 2024-01-01\n    title: A new one\n    sources:\n"
        "      - {title: N, publisher: Wire, url: 'https://news.test/n'}\neras:",
    )
    text = text.replace("    role: Supreme Leader\n", "    role: General Secretary\n")
    new.write_text(text, encoding="utf-8")
    return old, new


def test_diff_json(invoke, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    result = invoke("diff", str(old), str(new), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["events"]["added"] == [{"id": "added", "date": "2024-01-01", "title": "A new one"}]
    assert report["events"]["removed"] == [
        {"id": "month-only", "date": "2020-06", "title": "A month-precision event"}
    ]
    changed = {c["id"]: c["changes"] for c in report["events"]["changed"]}
    assert changed == {
        "threat": [{"field": "date", "old": "2017-08-08", "new": "2017-08-09"}],
        "summit": [{"field": "title", "old": "The leaders meet", "new": "The leaders meet in Singapore"}],
    }
    assert report["actors"]["changed"] == [
        {
            "id": "kim-jong-un",
            "name": "Kim Jong Un",
            "changes": [{"field": "role", "old": "Supreme Leader", "new": "General Secretary"}],
        }
    ]
    assert report["eras"] == {"added": [], "removed": [], "changed": []}


def test_diff_text(invoke, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    result = invoke("diff", str(old), str(new))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "+ event 2024-01-01 A new one (added)",
        "- event 2020-06 A month-precision event (month-only)",
        "~ event 2017-08-09 Fire and fury (threat)",
        "    date: 2017-08-08 -> 2017-08-09",
        "~ event 2018-06-12 The leaders meet in Singapore (summit)",
        "    title: The leaders meet -> The leaders meet in Singapore",
        "~ actor Kim Jong Un (kim-jong-un)",
        "    role: Supreme Leader -> General Secretary",
    ]
    same = invoke("diff", str(old), str(old))
    assert same.exit_code == 0 and same.stdout == "no differences\n"


def test_diff_markdown_is_a_changelog(invoke, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    result = invoke("diff", str(old), str(new), "--format", "markdown")
    assert result.exit_code == 0
    tokens = MarkdownIt("commonmark").parse(result.stdout)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[1:] == ["Added", "Removed", "Corrected and updated", "Actors"]
    items = [t.content for t in tokens if t.type == "inline" and t.content.startswith(("2", "changed"))]
    assert "2024-01-01 A new one (added)" in items
    assert "2017-08-09 Fire and fury (threat): date" in items


def test_diff_usage_errors(invoke, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, _ = versions
    result = invoke("diff", str(old))
    assert result.exit_code == 2
    assert result.stderr == "timeline: diff needs two files, OLD and NEW (or --rev REVISION)\n"
    missing = invoke("diff", str(old), str(old.parent / "nope.yaml"))
    assert missing.exit_code == 1 and "nope.yaml: no such file" in missing.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_against_a_git_revision(invoke, tmp_path: Path, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    target = repo / "events.yaml"
    shutil.copyfile(old, target)
    for command in (["init", "-q"], ["add", "events.yaml"], ["commit", "-qm", "first"]):
        subprocess.run(["git", "-C", str(repo), *command], check=True, env=env)
    shutil.copyfile(new, target)
    result = invoke("diff", "--rev", "HEAD", "--data", str(target), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["events"]["added"][0]["id"] == "added"
    bad = invoke("diff", "--rev", "no-such-rev", "--data", str(target))
    assert bad.exit_code == 2 and bad.stderr.startswith("timeline: --rev no-such-rev: ")


def test_add_asks_for_missing_fields_on_a_terminal(mini_copy: Path) -> None:
    import pty
    import select

    from tests.test_robustness import COMMAND, env

    main, child = pty.openpty()
    process = subprocess.Popen(
        [*COMMAND, "add", "--data", str(mini_copy), "-a", "Kim", "--tag", "summit"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env(TERM="xterm-256color", COLUMNS="80", LINES="50"),
    )
    os.close(child)
    answers = {
        b"Date (YYYY-MM-DD)": b"2018-06-13\n",
        b"Title": b"Asked on a terminal\n",
        b"Summary": b"Typed at the prompts.\n",
        b"Source URL": b"https://news.test/asked\n",
        b"Source headline": b"Asked\n",
        b"Publisher": b"Wire\n",
        b"Publication date (YYYY-MM-DD)": b"2018-06-13\n",
    }
    seen = b""
    asked: list[bytes] = []
    while process.poll() is None:
        ready, _, _ = select.select([main], [], [], 10)
        if not ready:
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        seen += chunk
        for prompt, answer in answers.items():
            if prompt + b":" in seen and prompt not in asked:
                asked.append(prompt)
                os.write(main, answer)
                seen = b""
                break
    process.wait(timeout=30)
    os.close(main)
    assert process.returncode == 0
    assert asked == list(answers)
    data = yaml.safe_load(mini_copy.read_text(encoding="utf-8"))
    added = next(e for e in data["events"] if e["id"] == "asked-on-a-terminal")
    assert added["summary"] == "Typed at the prompts."
    assert added["sources"][0]["url"] == "https://news.test/asked"
    assert added["actors"] == ["kim-jong-un"]
