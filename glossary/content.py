"""Loads the shipped glossary (glossary/data/terms/*.csv) through the same importer trainers use."""

from pathlib import Path

from .formats import csv_format
from .importer import apply_import, plan_import

TERMS_DATA = Path(__file__).resolve().parent / "data" / "terms"


def load_glossary(folder=TERMS_DATA):
    """Import every CSV file of the folder as one file; returns the plan that was applied.

    Raises ValueError, naming the file and line, when any entry is rejected."""
    records, problems = [], []
    for path in sorted(Path(folder).glob("*.csv")):
        file_records, file_problems = csv_format.parse(path.read_bytes())
        for item in (*file_records, *file_problems):
            item.line = f"{path.name}:{item.line}"
        records += file_records
        problems += file_problems
    plan = plan_import(records, problems)
    if plan.rejected:
        raise ValueError("; ".join(f"{p.line}: {p.message}" for p in plan.rejected[:10]))
    apply_import(plan)
    return plan
