"""Network packages: the spreadsheet format coordinators import and export (interfaces.md)."""

from tracker.packages.export import export_package
from tracker.packages.importer import import_package
from tracker.packages.report import ImportReport, PackageError, Problem

__all__ = ["ImportReport", "PackageError", "Problem", "export_package", "import_package"]
