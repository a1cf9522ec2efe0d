"""Reading a package folder or zip safely: names, sizes, encodings and CSV shape.

Nothing here trusts the package. A zip entry with an absolute name, a ``..`` part or a
symlink refuses the whole package; sizes are capped before and while reading (a zip's
declared sizes can lie); text must be UTF-8 (a byte-order mark is dropped).
"""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tracker.packages.format import BY_NAME, unescape_cell
from tracker.packages.report import PackageError, Problem

BOM = b"\xef\xbb\xbf"
CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """Caps on what a package may hold; defaults fit a large national network comfortably."""

    max_files: int = 100
    max_file_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024


@dataclass
class Table:
    """One CSV file: its columns (lower-cased) and its data rows with their line numbers."""

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass
class Package:
    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    refused: bool = False  # unsafe or oversized as a whole: nothing in it was read


def read_package(path: str | os.PathLike[str], limits: Limits | None = None) -> Package:
    """Every CSV file of the package, parsed; or the problems that stop it being read."""
    limits = limits or Limits()
    location = Path(path)
    if location.is_symlink():
        raise PackageError(f"{location} is a symbolic link: give the folder or zip itself")
    if location.is_dir():
        raw = _folder_files(location, limits)
    elif location.is_file():
        if not zipfile.is_zipfile(location):
            raise PackageError(f"{location.name} is not a zip file or a folder of CSV files")
        raw = _zip_files(location, limits)
    else:
        raise PackageError(f"no package at {location}")
    package = Package(problems=raw.problems, ignored=raw.ignored, refused=raw.refused)
    for name, data in raw.files.items():
        table = _parse(name, data, package.problems)
        if table is not None:
            package.tables[name] = table
    return package


@dataclass
class _Raw:
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    refused: bool = False

    def refuse(self, problem: Problem) -> _Raw:
        self.problems.append(problem)
        self.refused = True
        return self


def _whole(name: str, message: str) -> Problem:
    return Problem(name, 0, "-", message)


def _accept(name: str, raw: _Raw) -> str | None:
    """The package file name for ``name`` (lower-cased), or None for files a package ignores."""
    lowered = name.lower()
    if not lowered.endswith(".csv"):
        raw.ignored.append(name)
        return None
    if lowered not in BY_NAME:
        raw.problems.append(
            _whole(name, "not a file of the network package format (check the spelling)")
        )
        return None
    if lowered in raw.files:
        raw.problems.append(_whole(name, "appears twice in the package"))
        return None
    return lowered


def _folder_files(folder: Path, limits: Limits) -> _Raw:
    raw = _Raw()
    entries = sorted(os.scandir(folder), key=lambda e: e.name)
    visible = [e for e in entries if not e.name.startswith(".")]
    if len(visible) > limits.max_files:
        return raw.refuse(
            _whole(
                folder.name,
                f"holds {len(visible)} files; a package holds at most {limits.max_files}",
            )
        )
    total = 0
    for entry in visible:
        if entry.is_symlink():
            raw.problems.append(_whole(entry.name, "is a symbolic link; packages hold plain files"))
            continue
        if not entry.is_file(follow_symlinks=False):
            raw.ignored.append(entry.name)
            continue
        name = _accept(entry.name, raw)
        if name is None:
            continue
        size = entry.stat(follow_symlinks=False).st_size
        if size > limits.max_file_bytes:
            raw.problems.append(_too_big(entry.name, size, limits))
            continue
        total += size
        if total > limits.max_total_bytes:
            return raw.refuse(_too_big_total(folder.name, limits))
        with open(entry.path, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
        if len(data) > limits.max_file_bytes:  # grew while we looked
            raw.problems.append(_too_big(entry.name, len(data), limits))
            continue
        raw.files[name] = data
    return raw


def _unsafe_name(name: str) -> str | None:
    """Why a zip entry name is refused, or None when it is safe to consider."""
    if "\x00" in name:
        return "has a NUL character in its name"
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "has an absolute path"
    if ".." in parts:
        return "reaches outside the package (a '..' in its path)"
    return None


def _zip_files(path: Path, limits: Limits) -> _Raw:
    raw = _Raw()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"{path.name} cannot be opened as a zip: {exc}") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_files:
            return raw.refuse(
                _whole(
                    path.name,
                    f"holds {len(infos)} entries; a package holds at most {limits.max_files}",
                )
            )
        unsafe = False
        for info in infos:
            reason = _unsafe_name(info.filename)
            if reason is None and stat.S_ISLNK(info.external_attr >> 16):
                reason = "is a symbolic link; packages hold plain files"
            if reason is None and info.flag_bits & 0x1:
                reason = "is encrypted; packages are not"
            if reason:
                raw.problems.append(_whole(info.filename, reason))
                unsafe = True
        if unsafe:
            raw.refused = True
            return raw
        candidates = [
            info
            for info in infos
            if not info.is_dir()
            and not any(part.startswith((".", "__MACOSX")) for part in _parts(info.filename))
        ]
        folders = {_parts(info.filename)[:-1] for info in candidates if _is_csv(info.filename)}
        if len(folders) > 1:
            return raw.refuse(
                _whole(path.name, "has CSV files in more than one folder; put them together")
            )
        root = folders.pop() if folders else ()
        declared = sum(info.file_size for info in candidates)
        if declared > limits.max_total_bytes:
            return raw.refuse(_too_big_total(path.name, limits))
        total = 0
        for info in candidates:
            parts = _parts(info.filename)
            if parts[:-1] != root:
                raw.ignored.append(info.filename)
                continue
            name = _accept(parts[-1], raw)
            if name is None:
                continue
            if info.file_size > limits.max_file_bytes:
                raw.problems.append(_too_big(info.filename, info.file_size, limits))
                continue
            data = _read_capped(archive, info, limits.max_file_bytes, raw)
            if data is None:
                continue
            total += len(data)
            if total > limits.max_total_bytes:
                return raw.refuse(_too_big_total(path.name, limits))
            raw.files[name] = data
    return raw


def _parts(name: str) -> tuple[str, ...]:
    return tuple(p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", "."))


def _is_csv(name: str) -> bool:
    return name.lower().endswith(".csv")


def _read_capped(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, raw: _Raw
) -> bytes | None:
    """Read one entry, stopping as soon as it passes ``cap`` or its declared size."""
    limit = min(cap, info.file_size)
    out = bytearray()
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(CHUNK):
                out += chunk
                if len(out) > limit:
                    raw.problems.append(
                        _whole(info.filename, "unpacks to more than its declared size; refused")
                    )
                    return None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raw.problems.append(_whole(info.filename, f"cannot be unpacked: {exc}"))
        return None
    return bytes(out)


def _mib(size: int) -> str:
    """A size as people read it: 312 bytes, 4.5 KiB, 12.0 MiB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size} bytes"


def _too_big(name: str, size: int, limits: Limits) -> Problem:
    return _whole(name, f"is {_mib(size)}; one file may be at most {_mib(limits.max_file_bytes)}")


def _too_big_total(name: str, limits: Limits) -> Problem:
    return _whole(
        name, f"unpacks to more than {_mib(limits.max_total_bytes)}, the most a package may hold"
    )


def _decode(name: str, data: bytes, problems: list[Problem]) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(_whole(name, "is UTF-16 text; save it as “CSV UTF-8” and try again"))
        return None
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                name,
                line,
                "-",
                f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as "
                "“CSV UTF-8” and try again",
            )
        )
        return None


def _parse(name: str, data: bytes, problems: list[Problem]) -> Table | None:
    text = _decode(name, data, problems)
    if text is None:
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(name, line, "-", "contains a NUL character; this is not a CSV"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    quoted = "'" in text  # only then can a cell carry a formula escape to undo
    table: Table | None = None
    width = 0
    previous_end = 0
    try:
        for cells in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if table is None:
                header = [c.strip().lstrip("\ufeff").lower() for c in cells]
                if not any(header):
                    continue  # blank lines before the header
                table = _header(name, line, header, problems)
                if table is None:
                    return None
                width = len(header)
                continue
            cells = [c.strip() for c in cells]
            if not any(cells):
                continue
            if len(cells) > width:
                if any(cells[width:]):
                    problems.append(
                        Problem(
                            name,
                            line,
                            "-",
                            f"has {len(cells)} cells but the header names {width} columns",
                        )
                    )
                    continue
                cells = cells[:width]
            if quoted:
                cells = [unescape_cell(c) for c in cells]
            table.rows.append((line, dict(zip(table.columns, cells, strict=False))))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, "-", f"is not valid CSV: {exc}"))
        return None
    if table is None:
        problems.append(_whole(name, "is empty: it needs a header row naming its columns"))
        return None
    return table


def _header(name: str, line: int, header: list[str], problems: list[Problem]) -> Table | None:
    seen: set[str] = set()
    ok = True
    for column in header:
        if column and column in seen:
            problems.append(Problem(name, line, column, "column appears twice in the header"))
            ok = False
        seen.add(column)
    spec = BY_NAME[name]
    for column in spec.columns:
        if column not in seen:
            problems.append(Problem(name, line, column, "required column is missing"))
            ok = False
    return Table(name, header) if ok else None
