"""Error classes and the row-level error record shared by every reader."""

from __future__ import annotations

from dataclasses import dataclass


class GeodataError(Exception):
    """Base class so callers can catch every domain error in one place."""


class BoundaryError(GeodataError, ValueError):
    """A boundary file cannot be used as it stands (no CRS, no code field, bad repair)."""


class CrimeFileError(GeodataError, ValueError):
    """A police.uk file cannot be read at all (missing, not CSV, wrong header, broken zip)."""


class ForceChoiceError(GeodataError, ValueError):
    """A force asked for (``--force``) is not among the forces the files hold."""


class PopulationError(GeodataError, ValueError):
    """A population file cannot be read at all (missing, not CSV, no code or count column)."""


class HarmWeightsError(GeodataError, ValueError):
    """A harm-weights table cannot be used (unknown or missing category, bad weight, ASB)."""


class ConcernFileError(GeodataError, ValueError):
    """A concerns or concern-tags file cannot be read at all (missing, not CSV, wrong header)."""


class ConcernError(GeodataError, ValueError):
    """A concern, update or edit cannot be stored as given; the message names every problem."""


class ThreatFileError(GeodataError, ValueError):
    """A threat assessment file cannot be used; the message lists every problem found."""


class PlanFileError(GeodataError, ValueError):
    """A plans file cannot be read at all (missing, not CSV or JSON, wrong header or shape)."""


class TeamFileError(GeodataError, ValueError):
    """A teams or abstraction file cannot be used; ``errors`` lists every row's problem."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.errors: list[RowError] = list(errors or [])


class ContextError(GeodataError, ValueError):
    """A map context file (roads and places) cannot be used; the message names the file."""


class AreaError(GeodataError, ValueError):
    """A target, ring or circle that cannot be drawn: a bad distance, point or shape."""


class EvaluationError(GeodataError, ValueError):
    """A plan evaluation cannot be made as asked; the message names the argument."""


class PlanError(GeodataError, ValueError):
    """A problem-solving plan cannot be stored as given; ``problems`` lists (field, problem)."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.problems: list[tuple[str, str]] = list(problems or [])


class MessageError(GeodataError, ValueError):
    """A prevention message cannot be stored as given; ``problems`` lists (field, problem)."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.problems: list[tuple[str, str]] = list(problems or [])


class MessageFileError(GeodataError, ValueError):
    """A prevention-messages file is refused whole; the message lists every problem."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected row: enough to find it in the source file and fix it by hand."""

    source: str
    line: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}, line {self.line}, column {self.column!r}: {self.problem}"
