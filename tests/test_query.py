import datetime as dt

import pytest

from timeline.errors import UsageError
from timeline.models import Timeline
from timeline.query import Filter, counts, resolve_actor, select


@pytest.mark.parametrize(
    ("name", "actor_id"),
    [
        ("Kim", "kim-jong-un"),  # an exact alias wins over the substring in "Kim Yo Jong"
        ("kim", "kim-jong-un"),
        ("KIM JONG-UN", "kim-jong-un"),
        ("kim jong un", "kim-jong-un"),
        ("김정은", "kim-jong-un"),
        ("kim-yo-jong", "kim-yo-jong"),
        ("Yo Jong", "kim-yo-jong"),  # unique substring
        ("Путин", "putin"),
        ("trump", "trump"),
    ],
)
def test_actor_names_resolve(mini, name: str, actor_id: str) -> None:  # type: ignore[no-untyped-def]
    assert resolve_actor(mini, name) == actor_id


def test_ambiguous_actor_lists_candidates(mini) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError) as exc:
        resolve_actor(mini, "Jong")
    assert str(exc.value) == (
        "--actor 'Jong' is ambiguous: it matches Kim Jong Un (kim-jong-un), Kim Yo Jong (kim-yo-jong)"
    )


def test_unknown_actor_suggests(mini) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match=r"no actor matches 'Trumpp'; did you mean 'Trump'"):
        resolve_actor(mini, "Trumpp")


def ids(events) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.id for e in events]


D = dt.date


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (Filter(), ["threat", "summit", "talks", "month-only", "russia"]),
        (Filter(actors=("Kim",)), ["summit", "talks", "russia"]),
        (Filter(actors=("Kim", "Putin")), ["summit", "talks", "russia"]),
        (Filter(actors=("Kim", "Putin"), match_all=True), ["russia"]),
        (Filter(actors=("Trump", "Kim"), match_all=True), ["summit", "talks"]),
        (Filter(tags=("summit",)), ["summit", "talks", "russia"]),
        (Filter(tags=("SUMMIT", "rhetoric")), ["threat", "summit", "talks", "russia"]),
        (Filter(tags=("summit", "diplomacy"), match_all=True), ["summit"]),
        (Filter(search=("FURY",)), ["threat"]),  # title, case-insensitive
        (Filter(search=("bedminster",)), ["threat"]),  # place
        (Filter(search=("sign a statement",)), ["summit"]),  # summary
        (Filter(search=("fire and",)), ["threat"]),
        (Filter(search=("fury", "meet"), match_all=True), []),
        (Filter(since=D(2019, 1, 1), until=D(2019, 12, 31)), ["talks"]),
        (Filter(since=D(2019, 2, 28)), ["talks", "month-only", "russia"]),  # a span overlapping the bound
        (Filter(until=D(2019, 2, 27)), ["threat", "summit", "talks"]),
        (Filter(since=D(2020, 6, 30), until=D(2020, 6, 30)), ["month-only"]),  # month covers its days
        (Filter(since=D(2023, 12, 31)), ["russia"]),  # a year covers its days
        (Filter(actors=("Kim",), since=D(2019, 1, 1)), ["talks", "russia"]),
        (Filter(reverse=True), ["russia", "month-only", "talks", "summit", "threat"]),
        (Filter(limit=2), ["threat", "summit"]),
        (Filter(limit=2, reverse=True), ["russia", "month-only"]),
        (Filter(limit=0), []),
    ],
)
def test_filter_model(mini, criteria: Filter, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert ids(select(mini, criteria)) == expected


def test_unknown_tag_is_an_error(mini) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="no event has the tag 'sumit'; did you mean 'summit'"):
        select(mini, Filter(tags=("sumit",)))


def test_counts(mini) -> None:  # type: ignore[no-untyped-def]
    per_actor, per_tag = counts(mini)
    assert per_actor == {"trump": 3, "kim-jong-un": 3, "kim-yo-jong": 1, "putin": 1}
    assert per_tag["summit"] == 3 and per_tag["rhetoric"] == 1


OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # writes the clipboard
CLEAR = "\x1b[2J\x1b[H"


def hostile_actors() -> Timeline:
    from timeline.models import Actor

    actors = {
        "evil-one": Actor(id="evil-one", name=f"Evil {OSC52}One"),
        "evil-two": Actor(id="evil-two", name=f"Evil {CLEAR}Two\u202e\u061c", aliases=("Evil\x9b31m",)),
    }
    return Timeline(title="T", actors=actors, events=())


def test_messages_quoting_data_are_inert() -> None:
    timeline = hostile_actors()
    with pytest.raises(UsageError) as exc:
        resolve_actor(timeline, "evil")
    message = str(exc.value)
    assert message == (
        "--actor 'evil' is ambiguous: it matches Evil \\x1b]52;c;ZWNobyBwd25lZA==\\x07One (evil-one), "
        "Evil \\x1b[2J\\x1b[HTwo\\u202e\\u061c (evil-two)"
    )
    with pytest.raises(UsageError) as exc:
        resolve_actor(timeline, "Evil\x9b31n")  # a close match quotes an alias from the data
    assert "\x1b" not in str(exc.value) and "\x9b" not in str(exc.value)
    assert "did you mean 'Evil\\x9b31m'" in str(exc.value)
    with pytest.raises(UsageError) as exc:
        resolve_actor(timeline, "\x1b]0;title\x07")  # what the user typed is shown inert too
    assert str(exc.value) == "--actor: no actor matches '\\x1b]0;title\\x07'; see 'timeline actors'"


def test_ambiguous_actor_on_the_command_line_is_inert(invoke, write) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import MINI

    text = MINI.read_text(encoding="utf-8").replace(
        "name: Kim Yo Jong", 'name: "Kim Yo Jong \\e]52;c;ZWNobyBwd25lZA==\\a\\e[2J"'
    )
    result = invoke("show", "--actor", "Jong", "--data", str(write(text)))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "timeline: --actor 'Jong' is ambiguous: it matches Kim Jong Un (kim-jong-un), "
        "Kim Yo Jong \\x1b]52;c;ZWNobyBwd25lZA==\\x07\\x1b[2J (kim-yo-jong)\n"
    )


def test_unknown_tag_is_inert(mini) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError) as exc:
        select(mini, Filter(tags=("\x1b[2J",)))
    assert str(exc.value) == "--tag: no event has the tag '\\x1b[2J'; see 'timeline tags'"
