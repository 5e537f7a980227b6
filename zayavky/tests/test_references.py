"""What the code cites is in the repository: the design and the order live in docs/, nothing points at a file
beside the clone (a user's clone has none), and no comment or page speaks of the history of the work
("issue 4, item 2") instead of what a thing is for."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUFFIXES = {".py", ".html", ".css", ".js", ".po", ".md", ".txt", ".toml", ".cfg", ".ini"}
FILES = sorted(
    p
    for p in [*(ROOT / "zayavky").rglob("*"), ROOT / "README.md", *(ROOT / "docs").rglob("*"), ROOT / "Makefile"]
    if p.is_file() and (p.suffix in SUFFIXES or p.name == "Makefile") and "migrations" not in p.parts
)

OUTSIDE = re.compile(r"DESIGN\.md|STYLE\.md|\.\./shared|shared/(?:procedure|data|DESIGN)")
HISTORY = re.compile(r"\bissues? #?\d+", re.IGNORECASE)
CITED_DOC = re.compile(r"\bdocs/([\w.-]+\.(?:md|txt))")


def _lines(pattern: re.Pattern[str], skip: frozenset[Path] = frozenset()) -> list[str]:
    found = []
    for path in FILES:
        if path in skip or path == Path(__file__):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_it_cites_no_file_outside_the_repository() -> None:
    assert _lines(OUTSIDE) == []


def test_it_says_what_a_thing_is_for_not_which_issue_asked_for_it() -> None:
    assert _lines(HISTORY) == []


def test_it_cites_documents_that_exist() -> None:
    cited = {m for path in FILES for m in CITED_DOC.findall(path.read_text(encoding="utf-8", errors="replace"))}
    assert {"design.md", "order-170-r.md"} <= cited
    assert [name for name in sorted(cited) if not (ROOT / "docs" / name).is_file()] == []
