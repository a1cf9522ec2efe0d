"""The analysis engine: pure functions from a :class:`~tracker.analysis.snapshot.Snapshot` to
graphs (``graphs``), network metrics (``metrics``) and participation, activity, transfer,
learning-level and leadership figures (``participation``). No Flask, driver or database here;
docs/analysis.md gives every definition and convention.
"""
