"""``zayavky load-classifier FILE``: load the Classifier (1.3) from an XLSX or CSV file.

The module's name is the command's name; Django finds commands by file name and imports them with
importlib, so the hyphen is fine here (nothing imports this module with an ``import`` statement).
The work is done by :mod:`zayavky.catalog.classifier_io`; this is only the command-line face of it.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zayavky.catalog.classifier_io import ClassifierFileError, ImportSummary, load_classifier


class Command(BaseCommand):
    help = (
        "Load the Classifier of residents' requests from an XLSX or CSV file (docs/classifier-import.md). "
        "The whole file is checked first; if any row is wrong, nothing is changed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", metavar="FILE", help="the .xlsx or .csv file")
        parser.add_argument(
            "--retire-missing",
            action="store_true",
            help="retire the active request types whose code is not in the file (they are never deleted)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
        parser.add_argument("--sheet", help="the worksheet to read (XLSX; default: the first one)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_classifier(
                options["path"],
                retire_missing=options["retire_missing"],
                dry_run=options["dry_run"],
                sheet=options["sheet"],
            )
        except ClassifierFileError as exc:
            lines = [
                _("The Classifier was not loaded: problems found: %(count)d. Nothing was changed.")
                % {"count": len(exc.problems)},
                *(f"  {problem}" for problem in exc.problems),
            ]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(self.style.SUCCESS(self.report(summary)))

    @staticmethod
    def report(summary: ImportSummary) -> str:
        lines = []
        if summary.dry_run:
            lines.append(_("Check only (--dry-run): nothing was changed. A real run would give:"))
        lines.append(
            _("Request types: created %(created)d, updated %(updated)d, unchanged %(unchanged)d, retired %(retired)d.")
            % {
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "retired": summary.retired,
            }
        )
        lines.append(
            _("Sections: created %(created)d, updated %(updated)d.")
            % {"created": summary.sections_created, "updated": summary.sections_updated}
        )
        if summary.ignored_columns:
            lines.append(
                _("Columns ignored (not part of the Classifier layout): %(columns)s.")
                % {"columns": ", ".join(f"«{c}»" for c in summary.ignored_columns)}
            )
        return "\n".join(lines)
