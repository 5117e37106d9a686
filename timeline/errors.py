"""Exit codes and the exceptions the core raises; the command layer turns them into messages."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit statuses, as documented in the README."""

    OK = 0
    ERROR = 1  # bad data, unreadable file, refused overwrite
    USAGE = 2  # bad command-line input (typer's own code for usage errors)
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # the reader of stdout went away (`| head`), as a shell reports SIGPIPE


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, at a place in a file (line and column are 1-based)."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class TimelineError(Exception):
    """Base of every error the core raises for something the user can fix."""

    exit_code: ExitCode = ExitCode.ERROR

    def lines(self) -> list[str]:
        """The message, one line per problem, without any prefix."""
        return [str(self)]


class DataError(TimelineError):
    """A dataset could not be read or is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class UsageError(TimelineError):
    """A command-line value is wrong: an unknown actor, an unparsable date, a bad format."""

    exit_code = ExitCode.USAGE


class OutputError(TimelineError):
    """The output file could not be written or would overwrite a file without --force."""
