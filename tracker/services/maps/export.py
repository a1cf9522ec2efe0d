"""A map's nodes or edges as CSV, with the same labels (and masks) as the JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from tracker.packages.format import escape_cell

CSV_PARTS = ("nodes", "edges")
NODE_COLUMNS = (
    "id", "label", "kind", "school", "school_name", "layer", "in_degree", "head",
    "role_holder", "broker", "articulation_point", "isolate", "pseudonymised", "change",
    "x", "y",
)  # fmt: skip
EDGE_COLUMNS = (
    "id", "source", "target", "source_label", "target_label", "kind", "kinds", "weight",
    "directed", "reciprocated", "change",
)  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return escape_cell(";".join(str(v) for v in value))
    return escape_cell(str(value))


def to_csv(data: Mapping[str, Any], part: str) -> str:
    """The map's nodes or edges as CSV, with the same labels (and masks) as the JSON; cells a
    spreadsheet would run as formulas are escaped."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if part == "nodes":
        writer.writerow(NODE_COLUMNS)
        for node in data["nodes"]:
            writer.writerow([_cell(node.get(col)) for col in NODE_COLUMNS])
        return out.getvalue()
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    writer.writerow(EDGE_COLUMNS)
    for edge in data["edges"]:
        row = {
            **edge,
            "source_label": labels.get(edge["source"], ""),
            "target_label": labels.get(edge["target"], ""),
        }
        writer.writerow([_cell(row.get(col)) for col in EDGE_COLUMNS])
    return out.getvalue()
