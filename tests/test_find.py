"""Issue 10 end to end: search by words, highlights, the criteria as understood, dates that cannot be
misread, lookup by id, cite, exclusions, and the small conventions."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from tests.conftest import MINI
from timeline.dates import parse_user_date

M = ("--data", str(MINI))


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.stderr
    return [e["id"] for e in json.loads(result.stdout)]


# -- 1. search by words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "wanted"),
    [
        ("Hanoi summit", "hanoi-summit"),
        ("Singapore summit", "singapore-summit"),
        ("DMZ meeting", "panmunjom-dmz-meeting"),
        ("troops Kursk", "north-korean-troops-kursk"),
        ("hwasong 15", "hwasong-15-icbm-test"),
        ("김정은 Singapore", "singapore-summit"),  # a Hangul alias of an actor
        ('"fire and fury"', "trump-fire-and-fury"),
    ],
)
def test_what_a_journalist_types_finds_the_event(invoke, words: str, wanted: str) -> None:  # type: ignore[no-untyped-def]
    searched = ids(invoke("filter", "--search", words, "-f", "json"))
    assert wanted in searched
    assert ids(invoke("filter", *words.split(), "-f", "json")) == searched  # free words, the same
    ranked = ids(invoke("filter", words, "--sort", "relevance", "-f", "json"))
    assert ranked[0] == wanted  # the best match on top when asked
    assert sorted(ranked) == sorted(searched)


def test_results_stay_in_date_order(invoke) -> None:  # type: ignore[no-untyped-def]
    from timeline.loader import load

    found = ids(invoke("show", "Hanoi", "summit", "-f", "json"))
    start = {e.id: (e.start, e.finish) for e in load().events}
    assert len(found) > 2 and [start[i] for i in found] == sorted(start[i] for i in found)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-s", "FURY"], ["threat"]),
        (["-s", "statement sign"], ["summit"]),  # words in any order
        (["-s", "white house"], ["summit"]),  # a source's publisher
        (["-s", "hanoi story"], ["talks"]),  # a source's title
        (["-s", "month only"], ["month-only"]),  # the event id
        (["-s", "putin"], ["russia"]),  # an actor's name
        (["-s", "Путин"], ["russia"]),  # ...and alias
        (["-s", '"fire and fury"'], ["threat"]),
        (["-s", '"fury and fire"'], []),
        (["-s", "fury", "-s", "meet"], ["threat", "summit"]),  # repeated --search: ANY
        (["-s", "fury", "-s", "meet", "--all"], []),  # ...or ALL
        (["-s", "kim", "-s", "leaders", "--all"], ["summit"]),
    ],
)
def test_search_model(invoke, args: list[str], expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert ids(invoke("filter", *args, "-f", "json", *M)) == expected


def test_a_search_without_words_is_a_usage_error(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("filter", "-s", "?!", *M)
    assert result.exit_code == 2
    assert result.stderr == "timeline: --search '?!': no words to search for\n"


# -- 2. show why it matched -------------------------------------------------------------------------

MATCH = "\x1b[1;31m"  # bold red, the theme's timeline.match


@pytest.mark.parametrize("compact", [[], ["--compact"]])
def test_matched_words_are_highlighted(invoke, compact: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--color", "always", "filter", "FURY", *compact, *M)
    assert result.exit_code == 0
    assert "Fire and \x1b[0m" + MATCH + "fury\x1b[0m" in result.stdout
    plain = invoke("filter", "FURY", *compact, *M)
    assert "\x1b" not in plain.stdout and "Fire and fury" in plain.stdout


def test_highlighting_never_interprets_data(invoke, write) -> None:  # type: ignore[no-untyped-def]
    text = MINI.read_text(encoding="utf-8").replace(
        "title: Fire and fury", 'title: "[bold]fury[/bold] \\e[31m red"'
    )
    result = invoke("--color", "always", "filter", "fury", "red", "--data", str(write(text)))
    assert result.exit_code == 0
    assert "[bold]" in result.stdout and "[/bold]" in result.stdout  # markup shown, not applied
    assert "\\x1b" in result.stdout  # the data's escape byte is shown as text...
    assert "\x1b[31m" not in result.stdout  # ...and never sent


# -- 3. say what was understood ---------------------------------------------------------------------


def heading(stdout: str) -> str:
    """The view's heading, unwrapped (it wraps at the 100-column cap)."""
    return " ".join(stdout.split("\n\n")[0].splitlines())


def test_header_names_the_criteria_as_read(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "filter", "-a", "Yo Jong", "--since", "June 2018", "--until", "2020", "-s", "Month, event!", *M,
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0
    assert heading(result.stdout) == (
        "Fixture timeline — 1 event · actor Kim Yo Jong (kim-yo-jong) · since 1 Jun 2018 · "
        'until 31 Dec 2020 · "month event"'
    )
    # a part of a name is taken, and the user is told how
    assert result.stderr == "timeline: --actor Yo Jong: taken as Kim Yo Jong (kim-yo-jong)\n"


def test_exact_names_are_taken_silently(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "filter", "-a", "Kim", "-a", "putin", "--all", "--not-tag", "statement", *M, env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0 and result.stderr == ""
    assert heading(result.stdout) == (
        "Fixture timeline — 1 event · actors Kim Jong Un (kim-jong-un) and Vladimir Putin (putin)"
        " · not tag statement"
    )


def test_machine_formats_stay_pure_data(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("filter", "-a", "Yo Jong", "-f", "json", *M)
    assert result.exit_code == 0
    assert [e["id"] for e in json.loads(result.stdout)] == ["month-only"]
    assert "taken as" in result.stderr


def test_relative_dates_are_shown_resolved(invoke) -> None:  # type: ignore[no-untyped-def]
    before = dt.date.today()
    result = invoke("show", "--since", "10 years ago", "--compact", *M)
    after = dt.date.today()
    assert result.exit_code == 0
    # the day ten years before today (before or after midnight, if the test straddles it)
    shown = {f"since {parse_user_date('10 years ago', today=d).display()}" for d in (before, after)}
    assert any(s in result.stdout.splitlines()[0] for s in shown), result.stdout


# -- 4. dates that cannot be misread ----------------------------------------------------------------


def test_ambiguous_date_is_refused(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("filter", "--since", "12/06/2018", *M)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "timeline: --since: '12/06/2018' could be 12 June 2018 or 6 December 2018; "
        "write 2018-06-12 or 2018-12-06\n"
    )


def test_unambiguous_numeric_date_is_read(invoke) -> None:  # type: ignore[no-untyped-def]
    assert ids(invoke("filter", "--since", "13/06/2018", "--until", "2019", "-f", "json", *M)) == ["talks"]


# -- 6. look one event up and cite it ---------------------------------------------------------------


def test_show_by_id(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "summit", *M)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Fixture timeline — 1 event · id summit"
    assert "#summit #diplomacy · id summit" in result.stdout  # the full view shows ids
    assert ids(invoke("show", "talks", "threat", "-f", "json", *M)) == ["threat", "talks"]
    assert ids(invoke("show", "--id", "talks", "--id", "summit", "-f", "json", *M)) == ["summit", "talks"]
    # a word that is not an id is a search
    assert ids(invoke("show", "summit", "nope", "-f", "json", *M)) == []


def test_unknown_id_suggests(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--id", "sumit", *M)
    assert result.exit_code == 2
    assert result.stderr == "timeline: no event has the id 'sumit'; did you mean 'summit'?\n"


def test_cite_markdown(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("cite", "summit", "threat", *M)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "The leaders meet (12 Jun 2018, Singapore).[^1][^2]\n"
        "\n"
        "Fire and fury (8 Aug 2017, Bedminster, New Jersey).[^3]\n"
        "\n"
        "[^1]: Paper, “Summit story”, 12 Jun 2018. <https://news.test/summit>\n"
        "[^2]: White House, “Joint statement”. <https://gov.test/statement>\n"
        "[^3]: Wire, “Threat story”, 8 Aug 2017. <https://news.test/threat>\n"
    )


def test_cite_plain(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("cite", "talks", "--style", "plain", *M)
    assert result.exit_code == 0
    assert result.stdout == (
        "Second summit ends early (27–28 Feb 2019).\n[1] Wire — Hanoi story. https://news.test/hanoi\n"
    )


def test_cite_csl_json(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("cite", "summit", "--style", "csl-json", *M)
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert [i["URL"] for i in items] == ["https://news.test/summit", "https://gov.test/statement"]
    assert items[0]["issued"] == {"date-parts": [[2018, 6, 12]]}


def test_cite_markdown_escapes_data(invoke, write) -> None:  # type: ignore[no-untyped-def]
    text = MINI.read_text(encoding="utf-8").replace(
        "title: The leaders meet", "title: '*Big* [x](http://e.test)'"
    )
    result = invoke("cite", "summit", "--data", str(write(text)))
    assert result.stdout.startswith("\\*Big\\* \\[x\\](http\\://e\\.test) (12 Jun 2018, Singapore).")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cite", "nope"], "timeline: no event has the id 'nope'\n"),
        (["cite"], "timeline: Missing argument 'ID...'."),
        (["cite", "summit", "--style", "apa"], "timeline: Invalid value for '--style'"),
    ],
)
def test_cite_errors(invoke, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke(*args, *M)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


# -- 8. excluding -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--not-tag", "summit"], ["threat", "month-only"]),
        (["--not-tag", "summit", "--not-tag", "rhetoric"], ["month-only"]),
        (["--not-actor", "Trump"], ["month-only", "russia"]),
        (["-a", "Kim", "--not-actor", "putin"], ["summit", "talks"]),  # after the rest of the filter
        (["-t", "summit", "--not-tag", "diplomacy", "--not-actor", "Putin"], ["talks"]),
    ],
)
def test_exclusions(invoke, args: list[str], expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert ids(invoke("filter", *args, "-f", "json", *M)) == expected


def test_exclusion_of_an_unknown_tag_is_an_error(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("filter", "--not-tag", "sumit", *M)
    assert result.exit_code == 2
    assert result.stderr == "timeline: --not-tag: no event has the tag 'sumit'; did you mean 'summit'?\n"


# -- 9. small conventions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "warning"),
    [
        (["--compact"], "timeline: --compact has no effect with --format json\n"),
        (["--color", "always"], "timeline: --color has no effect with --format json\n"),
    ],
)
def test_flag_without_effect_warns(invoke, args: list[str], warning: str) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "-f", "json", *args, *M)
    assert result.exit_code == 0
    assert result.stderr == warning
    assert len(json.loads(result.stdout)) == 5


def test_relevance_without_search_warns(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--sort", "relevance", "-f", "json", *M)
    assert result.stderr == "timeline: --sort relevance has no effect without a search\n"


def test_validate_reads_standard_input(invoke) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from timeline.cli import app

    runner = CliRunner()
    good = runner.invoke(app, ["validate", "-"], input=MINI.read_text(encoding="utf-8"))
    assert good.exit_code == 0
    assert good.stdout == "<stdin>: valid: 5 events, 4 actors\n"
    bad = runner.invoke(app, ["validate", "-"], input="events:\n  - {id: x, date: 2018-13-01}\n")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("timeline: <stdin>:")
    assert "Traceback" not in bad.stderr


def test_validate_dash_in_a_real_pipe() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "timeline", "validate", "-"], input=MINI.read_bytes(), capture_output=True
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout == b"<stdin>: valid: 5 events, 4 actors\n"


def test_compact_titles_align_after_a_date_range(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--compact", *M)
    rows = [
        line for line in result.stdout.splitlines() if line[:1].isdigit() or line.startswith(("Jun", "c."))
    ]
    starts = {
        line.index(title)
        for line, title in zip(rows, ["Fire", "The", "Second", "A month", "An"], strict=True)
    }
    assert len(rows) == 5 and starts == {len("27–28 Feb 2019  ")}


def test_prose_is_capped_near_100_columns(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", env={"COLUMNS": "220"})
    assert result.exit_code == 0
    widths = [len(line) for line in result.stdout.splitlines() if "://" not in line]
    assert max(widths) == 100


def test_usage_errors_of_new_options_are_one_line(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--sort", "best", *M)
    assert result.exit_code == 2
    assert result.stderr.startswith("timeline: ") and result.stderr.count("\n") == 1


def test_filter_accepts_words_as_its_criterion(invoke) -> None:  # type: ignore[no-untyped-def]
    assert ids(invoke("filter", "leaders", "-f", "json", *M)) == ["summit"]


def test_help_documents_the_new_options(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--help", env={"COLUMNS": "200"})
    for option in ("--not-tag", "--not-actor", "--id", "--sort", "--no-pager", "[WORDS|IDS]..."):
        assert option in result.stdout, option


def test_cite_as_of_keeps_only_the_sources_published_by_then(invoke, write) -> None:  # type: ignore[no-untyped-def]
    text = MINI.read_text(encoding="utf-8").replace(
        "        url: https://gov.test/statement\n",
        "        url: https://gov.test/statement\n        date: 2018-07-01\n",
    )
    path = str(write(text))
    whole = invoke("cite", "summit", "--style", "plain", "--data", path)
    assert [line.split(" — ")[0] for line in whole.stdout.splitlines()[1:]] == [
        "[1] Paper",
        "[2] White House",
    ]
    then = invoke("cite", "summit", "--style", "plain", "--as-of", "2018-06-30", "--data", path)
    assert then.exit_code == 0, then.stderr
    assert [line.split(" — ")[0] for line in then.stdout.splitlines()[1:]] == ["[1] Paper"]
    before = invoke("cite", "summit", "--as-of", "2018-06-01", "--data", path)
    assert before.exit_code == 0 and before.stdout == ""
    assert before.stderr == "timeline: summit: no source published by then (as known on 1 Jun 2018)\n"
    unknown = invoke("cite", "nope", "--as-of", "2018-06-01", "--data", path)
    assert unknown.exit_code == 2
