"""SQLite's LIKE folds only ASCII letters, so «Світло» would not find «світло». Django's ``icontains`` (and,
on SQLite, ``contains``) compile to ``LIKE … ESCAPE '\\'``; SQLite lets an application overload ``like()``,
and this one folds case the Unicode way (``str.casefold``). PostgreSQL needs nothing: it uses UPPER(…) LIKE.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.db.backends.signals import connection_created


@functools.lru_cache(maxsize=512)
def _compile(pattern: str, escape: str | None) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if escape and char == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def unicode_like(pattern: str | None, value: Any, escape: str | None = None) -> bool | None:
    """SQL ``value LIKE pattern [ESCAPE escape]`` with Unicode case folding (SQL NULL in, NULL out)."""
    if pattern is None or value is None:
        return None
    return _compile(pattern.casefold(), escape).fullmatch(str(value).casefold()) is not None


def _install(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("like", 2, unicode_like, deterministic=True)
        raw.create_function("like", 3, unicode_like, deterministic=True)


def install() -> None:
    connection_created.connect(_install, dispatch_uid="zayavky.sqlite.unicode_like")
