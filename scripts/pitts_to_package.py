#!/usr/bin/env python3
"""Convert the Pitts & Spillane (2009) school advice data into a network package.

The source (../shared/data/pitts_spillane_schools, see its README) has 15 US elementary
schools, 433 teachers and 1540 directed advice-seeking arcs measured within each school.
It names no schools, so the package makes up URNs (PS001...) and school names; every teacher
is layer ``teacher``; ties are binary, so frequency and influence are left empty. One fixed
date stands for the survey: the data carry none.

    python scripts/pitts_to_package.py --out pitts-package          # a folder
    python scripts/pitts_to_package.py --out pitts-package.zip      # a zip
    tracker import pitts-package
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from collections import Counter
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "pitts_spillane_schools"
NETWORK = "Pitts & Spillane (2009) schools"
DATE = "2009-01-01"
TOPIC = "teaching_and_learning"
EXPECTED = {"schools": 15, "teachers": 433, "arcs": 1540}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def school_id(number: int) -> str:
    return f"S{number:02d}"


def person_id(number: int) -> str:
    return f"T{number:03d}"


def build(source: Path = SOURCE) -> dict[str, bytes]:
    """The package's files, checked against the counts the source's README gives."""
    nodes = _read(source / "nodes.csv")
    arcs = _read(source / "edges_advice.csv")
    schools = sorted({int(n["school"]) for n in nodes})
    school_of = {int(n["id"]): int(n["school"]) for n in nodes}
    found = {"schools": len(schools), "teachers": len(nodes), "arcs": len(arcs)}
    if found != EXPECTED:
        raise SystemExit(f"the source does not match its README: {found} != {EXPECTED}")
    outside = [a for a in arcs if school_of[int(a["source"])] != school_of[int(a["target"])]]
    if outside:
        raise SystemExit(f"{len(outside)} arcs cross schools; the README says none do")
    return {
        "network.csv": _csv(
            ["name", "kind", "started", "priorities"], [[NETWORK, "cluster", DATE, ""]]
        ),
        "schools.csv": _csv(
            [
                "school_id",
                "name",
                "urn",
                "phase",
                "local_authority",
                "lat",
                "lon",
                "joined",
                "left",
                "size",
            ],
            [
                [
                    school_id(s),
                    f"Pitts & Spillane school {s}",
                    f"PS{s:03d}",
                    "primary",
                    "",
                    "",
                    "",
                    DATE,
                    "",
                    "",
                ]
                for s in schools
            ],
        ),
        "people.csv": _csv(
            ["person_id", "name", "school_id", "layer", "job_title", "promoted", "from", "to"],
            [
                [
                    person_id(int(n["id"])),
                    f"Teacher {n['label']} (school {n['school']})",
                    school_id(int(n["school"])),
                    "teacher",
                    "Teacher",
                    "no",
                    DATE,
                    "",
                ]
                for n in sorted(nodes, key=lambda n: int(n["id"]))
            ],
        ),
        "advice.csv": _csv(
            ["respondent_id", "nominee_id", "topic", "frequency", "influence", "date"],
            [
                [person_id(int(a["source"])), person_id(int(a["target"])), TOPIC, "", "", DATE]
                for a in arcs
            ],
        ),
    }


def school_sizes(files: dict[str, bytes]) -> list[int]:
    """Teachers per school in the package, in school order (the README lists them so)."""
    rows = list(csv.DictReader(io.StringIO(files["people.csv"].decode())))
    sizes = Counter(row["school_id"] for row in rows)
    return [sizes[key] for key in sorted(sizes)]


def write(files: dict[str, bytes], out: Path) -> Path:
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
        return out
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="a folder, or a file ending .zip")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the data folder")
    args = parser.parse_args(argv)
    files = build(args.source)
    path = write(files, args.out)
    print(
        f"Wrote {path}: {EXPECTED['schools']} schools, {EXPECTED['teachers']} teachers, "
        f"{EXPECTED['arcs']} advice ties (school sizes "
        f"{', '.join(str(n) for n in school_sizes(files))})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
