"""What an import tells its caller: the problems found, or what was (or would be) written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class PackageError(Exception):
    """The package cannot be opened at all (no such file, not a folder or zip, no network)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a package, located as ``file:line: column: message``.

    ``line`` is the line in the CSV file (1 is the header row; 0 means the file as a whole)
    and ``column`` is the column name, or ``-`` when the problem is not about one column.
    """

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportReport:
    """Counts per file name: rows that created, updated or left unchanged what they describe."""

    network_uid: str | None = None
    network_name: str | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    dry_run: bool = False
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def files(self) -> list[str]:
        """The package's files that were read, in the package's own order."""
        return list(self.created)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def totals(self) -> dict[str, int]:
        return {
            "created": sum(self.created.values()),
            "updated": sum(self.updated.values()),
            "unchanged": sum(self.unchanged.values()),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "network_uid": self.network_uid,
            "network_name": self.network_name,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "written": self.written,
            "files": [
                {
                    "file": name,
                    "created": self.created.get(name, 0),
                    "updated": self.updated.get(name, 0),
                    "unchanged": self.unchanged.get(name, 0),
                }
                for name in self.files
            ],
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "problems": [p.as_dict() for p in self.problems],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        """Rebuild a report kept as JSON (the web import job stores it that way)."""
        return cls(
            network_uid=data.get("network_uid"),
            network_name=data.get("network_name"),
            created=dict(data.get("created") or {}),
            updated=dict(data.get("updated") or {}),
            unchanged=dict(data.get("unchanged") or {}),
            problems=[Problem(**p) for p in data.get("problems") or []],
            rows=int(data.get("rows") or 0),
            dry_run=bool(data.get("dry_run")),
            written=int(data.get("written") or 0),
        )
