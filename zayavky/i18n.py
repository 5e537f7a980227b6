"""Compile the .po catalogues to .mo in pure Python (Babel), so no GNU gettext is needed on any machine.

python -m zayavky.i18n compile   # every zayavky/**/locale/*/LC_MESSAGES/*.po
python -m zayavky.i18n check     # fails on untranslated or fuzzy Ukrainian entries
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent


def catalogues() -> list[Path]:
    return sorted(ROOT.glob("**/locale/*/LC_MESSAGES/*.po"))


def compile_all() -> int:
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
    return 0


def problems() -> list[str]:
    found: list[str] = []
    for po_path in catalogues():
        if "/uk/" not in str(po_path):
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
            if message.fuzzy or not all(strings):
                found.append(f"{po_path.relative_to(ROOT)}: {message.id!r}")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "compile"
    if command == "compile":
        return compile_all()
    if command == "check":
        issues = problems()
        for line in issues:
            print(line)
        return 1 if issues else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
