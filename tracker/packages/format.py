"""The network package format (docs: ../shared/docs/interfaces.md), as data.

``columns`` are the documented columns; a file must have every one of them in its header
(cells may be empty where the format allows). ``optional`` columns may be left out of the
header altogether: when one is missing, the import leaves that property as it is. Exports
always write ``columns`` followed by ``optional``, so an export reads back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()
    required: bool = False

    @property
    def all_columns(self) -> tuple[str, ...]:
        return (*self.columns, *self.optional)


FILES: tuple[FileSpec, ...] = (
    FileSpec("network.csv", ("name", "kind", "started", "priorities"), required=True),
    FileSpec("funding.csv", ("source", "started", "ended")),
    FileSpec(
        "schools.csv",
        ("school_id", "name", "urn", "phase", "local_authority", "lat", "lon", "joined", "left"),
        optional=("size",),
        required=True,
    ),
    FileSpec(
        "people.csv",
        ("person_id", "name", "school_id", "layer", "job_title", "promoted", "from", "to"),
        required=True,
    ),
    FileSpec(
        "roles.csv",
        ("person_id", "role", "from", "to", "designated_by"),
        optional=("origin", "origin_note"),
    ),
    FileSpec(
        "groups.csv",
        ("group_id", "question", "priority", "started", "ended", "levels"),
        optional=("origin", "origin_note"),
    ),
    FileSpec("group_members.csv", ("group_id", "person_id", "role", "from", "to")),
    FileSpec("group_sessions.csv", ("group_id", "date", "attendees"), optional=("note",)),
    FileSpec("outcomes.csv", ("group_id", "date", "kind", "description")),
    FileSpec("coaching.csv", ("pair_id", "person_a", "person_b", "practice", "started", "ended")),
    FileSpec("coaching_sessions.csv", ("pair_id", "date")),
    FileSpec("trained.csv", ("trainer_id", "trainee_id", "practice", "date")),
    FileSpec(
        "activities.csv",
        (
            "activity_id",
            "kind",
            "date",
            "host_school_id",
            "title",
            "levels",
            "decided_by_school_id",
            "outcome",
        ),
        optional=("decision",),
    ),
    FileSpec("attendance.csv", ("activity_id", "person_id")),
    FileSpec(
        "transfers.csv",
        (
            "practice_id",
            "practice",
            "from_school_id",
            "to_school_id",
            "carrier_person_id",
            "date",
            "stage",
        ),
        optional=("carrier_group_id",),
    ),
    FileSpec(
        "advice.csv", ("respondent_id", "nominee_id", "topic", "frequency", "influence", "date")
    ),
    FileSpec(
        "responses.csv",
        ("respondent_id", "date", "leader_in_school", "leader_in_network", "trust_other_schools"),
        optional=("levels",),
    ),
)

BY_NAME: dict[str, FileSpec] = {spec.name: spec for spec in FILES}
ORDER: dict[str, int] = {spec.name: i for i, spec in enumerate(FILES)}
REQUIRED: tuple[str, ...] = tuple(spec.name for spec in FILES if spec.required)

# Answers from a package carry no questionnaire round: they are stamped ``import:<date>``.
SURVEY_PREFIX = "import:"

LIST_SEPARATOR = ";"
# Cells that a spreadsheet would run as a formula; exports prefix them with a quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would treat as a formula (numbers are left alone)."""
    if value.startswith(FORMULA_PREFIXES) and not _is_number(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """Undo :func:`escape_cell`, so an exported package reads back to the same values."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return value.strip() == value
