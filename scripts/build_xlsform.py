"""Build forms/report.xlsx (an XLSForm for KoBoToolbox and ODK Collect) from forms/report.yaml.

Labels and hints in Arabic and English come from the YAML; the choice lists come from
Dhakira's vocabularies (codes as the answers' values, the vocabularies' labels as what the
phone shows), so that a submission export imports with forms/report-mapping.yaml.

Usage: python scripts/build_xlsform.py [--out forms/report.xlsx]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "forms" / "report.yaml"
LANGUAGES = {"en": "English (en)", "ar": "Arabic (ar)"}


def build(source: Path = SOURCE) -> Workbook:
    """The XLSForm workbook (survey, choices, settings) described by ``source``."""
    from dhakira.core.vocabularies import load

    form: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    columns = ["type", "name", *(f"label::{n}" for n in LANGUAGES.values()),
               *(f"hint::{n}" for n in LANGUAGES.values()), "required", "constraint",
               "appearance"]
    survey.append(columns)
    for q in form["questions"]:
        label, hint = q.get("label", {}), q.get("hint", {})
        row = [q["type"], q["name"], *(label.get(k) for k in LANGUAGES),
               *(hint.get(k) for k in LANGUAGES), "yes" if q.get("required") else None,
               q.get("constraint"), q.get("appearance")]
        survey.append(row)  # None, not "": an empty cell stays empty when read back
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *(f"label::{n}" for n in LANGUAGES.values())])
    for name in form["choices"]:
        for term in load(name).terms:
            choices.append([name, term.code, term.en, term.ar])
    settings = book.create_sheet("settings")
    s = form["settings"]
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([s["form_title"]["ar"] + " · " + s["form_title"]["en"], s["form_id"],
                     s["version"], LANGUAGES[s["default_language"]]])
    return book


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "forms" / "report.xlsx")
    args = parser.parse_args()
    build().save(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
