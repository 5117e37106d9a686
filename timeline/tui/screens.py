"""The browser's dialogs: pick one of a list, type a value, confirm, read a message, the key list.

Every label is a Rich ``Text`` (never a markup string), so that data text stays literal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: round $accent; background: $surface; padding: 0 1;
}}
{name} OptionList, {name} OptionList:focus {{ height: auto; max-height: 20; border: none; }}
{name} Input {{ border: tall $accent; }}
{name} .note {{ color: $text-muted; }}
"""


def _text(value: str | Text) -> Text:
    return value if isinstance(value, Text) else Text(value)


class Choose(ModalScreen["int | None"]):
    """Pick one line of a list (type to narrow it); returns its index, or None on Esc."""

    DEFAULT_CSS = DIALOG_CSS.format(name="Choose")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Close")]

    def __init__(self, title: str, lines: Sequence[Text], *, narrow: bool = False, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.lines = list(lines)
        self.narrow = narrow
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            if self.narrow:
                yield Input(placeholder="type to narrow the list", id="narrow")
            yield OptionList(*self._options(""), id="choices")
            if self.note:
                yield Static(Text(self.note), classes="note")

    def _options(self, wanted: str) -> list[Option]:
        wanted = wanted.casefold().strip()
        return [
            Option(line, id=str(index))
            for index, line in enumerate(self.lines)
            if not wanted or wanted in line.plain.casefold()
        ]

    def on_mount(self) -> None:
        self.query_one("#narrow" if self.narrow else "#choices").focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(self._options(event.value))
        if choices.option_count:
            choices.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            option = choices.get_option_at_index(choices.highlighted or 0)
            self.dismiss(int(option.id or 0))

    def on_key(self, event: events.Key) -> None:
        key = event.key
        if self.narrow and self.focused is None and event.is_printable and event.character:
            # typed before the narrowing box took the focus: it was meant for it
            self.query_one("#narrow", Input).insert_text_at_cursor(event.character)
            event.stop()
            return
        # arrows in the narrowing box move in the list
        if self.narrow and key in ("up", "down"):
            choices = self.query_one("#choices", OptionList)
            if choices.option_count:
                current = choices.highlighted or 0
                choices.highlighted = max(
                    0, min(choices.option_count - 1, current + (1 if key == "down" else -1))
                )
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class Ask(ModalScreen["list[str] | None"]):
    """Type one or more values (a file name; two dates); returns them, or None on Esc.

    ``check`` is called on Enter with the values; a message it returns is shown and the dialog stays.
    """

    DEFAULT_CSS = DIALOG_CSS.format(name="Ask")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Close")]

    def __init__(
        self,
        title: str,
        fields: Sequence[tuple[str, str]],
        check: Callable[[list[str]], str | None] | None = None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)  # (placeholder, value)
        self.check = check
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            for number, (placeholder, value) in enumerate(self.fields):
                yield Input(value=value, placeholder=placeholder, id=f"field{number}")
            yield Static(Text(self.note), classes="note", id="problem")

    def on_mount(self) -> None:
        self.query_one("#field0", Input).focus()

    def values(self) -> list[str]:
        return [self.query_one(f"#field{n}", Input).value for n in range(len(self.fields))]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        number = int((event.input.id or "field0")[5:])
        if number + 1 < len(self.fields):
            self.query_one(f"#field{number + 1}", Input).focus()
            return
        values = self.values()
        problem = self.check(values) if self.check else None
        if problem:
            self.query_one("#problem", Static).update(Text(problem, style="bold"))
            return
        self.dismiss(values)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question: y or Enter for yes, n or Esc for no."""

    DEFAULT_CSS = DIALOG_CSS.format(name="Confirm")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: Text | str) -> None:
        super().__init__()
        self.question = _text(question)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            yield Static(Text("y: yes    n or Esc: no"), classes="note")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class Notice(ModalScreen[None]):
    """A message, such as an address that could not be opened; c copies ``copy``, Esc closes."""

    DEFAULT_CSS = DIALOG_CSS.format(name="Notice")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "dismiss_none", "Close"),
        Binding("c", "copy", "Copy"),
    ]

    def __init__(self, body: Text | str, copy: str | None = None) -> None:
        super().__init__()
        self.notice_text = _text(body)
        self.copy_text = copy

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.notice_text)
            hint = "c: copy the address    Esc: close" if self.copy_text else "Esc: close"
            yield Static(Text(hint), classes="note", id="hint")

    def action_copy(self) -> None:
        if self.copy_text is not None:
            self.app.copy_to_clipboard(self.copy_text)
            self.query_one("#hint", Static).update(Text("copied    Esc: close"))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
