"""``zayavky routing …``: measure, split and study the routing suggestion (2.2) from CSV files of past requests.

* ``zayavky routing evaluate --train TRAIN.csv --test TEST.csv`` (or ``--data FILE --test-from DATE``) trains
  on one and measures on the other; its last line is one JSON object (docs/routing.md);
* ``zayavky routing split FILE --test-from DATE --out-dir DIR`` writes ``train.csv.gz`` and ``test.csv.gz``,
  split by time, so anyone can reproduce the figures;
* ``zayavky routing curve --data FILE --test-from DATE`` measures the learning curve the thresholds come from.

The work is done by the pure modules of :mod:`zayavky.routing`; this is only their command-line face.
"""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser, ArgumentTypeError
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zayavky.routing.dataset import DatasetError, Example, read_file, split_by_time, write_examples
from zayavky.routing.evaluation import CURVE_SIZES, evaluate, learning_curve
from zayavky.routing.model import TrainingError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from None


class Command(BaseCommand):
    help = "Routing suggestion: evaluate a model on CSV files, split a CSV by time, measure the learning curve."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{evaluate,split,curve}")

        evaluate_parser = actions.add_parser(
            "evaluate", help="train on one CSV, measure on another; the last line printed is one JSON object"
        )
        evaluate_parser.add_argument("--train", metavar="TRAIN.csv", help="requests to learn from")
        evaluate_parser.add_argument("--test", metavar="TEST.csv", help="newer requests to measure on")
        evaluate_parser.add_argument("--data", metavar="FILE", help="one CSV split by time with --test-from")
        evaluate_parser.add_argument("--test-from", type=_date, metavar="DATE", help="first day measured (Kyiv)")
        evaluate_parser.add_argument("--save-model", metavar="FILE", help="keep the model measured in FILE")

        split_parser = actions.add_parser("split", help="split one CSV by time into train.csv.gz and test.csv.gz")
        split_parser.add_argument("data", metavar="FILE")
        split_parser.add_argument("--test-from", type=_date, required=True, metavar="DATE")
        split_parser.add_argument("--out-dir", required=True, metavar="DIR")

        curve_parser = actions.add_parser("curve", help="quality against the number of requests learned from")
        curve_parser.add_argument("--train", metavar="TRAIN.csv")
        curve_parser.add_argument("--test", metavar="TEST.csv")
        curve_parser.add_argument("--data", metavar="FILE")
        curve_parser.add_argument("--test-from", type=_date, metavar="DATE")
        curve_parser.add_argument(
            "--sizes",
            default=",".join(str(s) for s in CURVE_SIZES),
            help="training sizes, comma-separated (the whole training set is always added)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"handle_{options['action']}")(options)
        except DatasetError as exc:
            raise CommandError(_("The file cannot be used; nothing was done.") + "\n" + str(exc)) from None
        except TrainingError as exc:
            raise CommandError(_("Nothing to learn from: %(reason)s") % {"reason": exc}) from None

    # ---------------------------------------------------------------------------------------------------------

    def _read(self, path: str) -> list[Example]:
        loaded = read_file(path)
        if loaded.repeated_rows:
            self.stdout.write(
                _("%(path)s: %(count)d rows repeat an earlier row exactly; each was read once.")
                % {"path": path, "count": loaded.repeated_rows}
            )
        return loaded.examples

    def _train_and_test(self, options: dict[str, Any]) -> tuple[list[Example], list[Example]]:
        pair = options["train"] is not None or options["test"] is not None
        one = options["data"] is not None or options["test_from"] is not None
        if pair == one or (pair and not (options["train"] and options["test"])):
            raise CommandError(_("Give either --train and --test, or --data and --test-from."))
        if pair:
            return self._read(options["train"]), self._read(options["test"])
        if not (options["data"] and options["test_from"]):
            raise CommandError(_("Give either --train and --test, or --data and --test-from."))
        train, test = split_by_time(self._read(options["data"]), options["test_from"])
        self._check_split(train, test, options["test_from"])
        return train, test

    @staticmethod
    def _check_split(train: list[Example], test: list[Example], test_from: dt.date) -> None:
        if not train or not test:
            raise CommandError(
                _("Splitting at %(day)s leaves %(train)d requests to learn from and %(test)d to measure on.")
                % {"day": test_from.isoformat(), "train": len(train), "test": len(test)}
            )

    def handle_evaluate(self, options: dict[str, Any]) -> None:
        train, test = self._train_and_test(options)
        self.stdout.write(
            _("Learning from %(train)d requests, measuring on %(test)d…") % {"train": len(train), "test": len(test)}
        )
        figures = evaluate(train, test, Path(options["save_model"]) if options["save_model"] else None)
        self.stdout.write(json.dumps(figures, ensure_ascii=False))

    def handle_split(self, options: dict[str, Any]) -> None:
        train, test = split_by_time(self._read(options["data"]), options["test_from"])
        self._check_split(train, test, options["test_from"])
        out = Path(options["out_dir"])
        write_examples(out / "train.csv.gz", train)
        write_examples(out / "test.csv.gz", test)
        self.stdout.write(
            _("Written %(train_path)s (%(train)d requests, to %(last)s) and %(test_path)s (%(test)d, from %(first)s).")
            % {
                "train_path": out / "train.csv.gz",
                "train": len(train),
                "last": train[-1].received_at.isoformat(),
                "test_path": out / "test.csv.gz",
                "test": len(test),
                "first": test[0].received_at.isoformat(),
            }
        )

    def handle_curve(self, options: dict[str, Any]) -> None:
        train, test = self._train_and_test(options)
        try:
            sizes = sorted({int(s) for s in options["sizes"].split(",") if s.strip()})
        except ValueError:
            raise CommandError(_("--sizes: whole numbers separated by commas")) from None
        points, per_type = learning_curve(train, test, sizes, progress=self.stdout.write)
        self.stdout.write(
            json.dumps(
                {"curve": [asdict(point) for point in points], "per_type": per_type},
                ensure_ascii=False,
            )
        )
