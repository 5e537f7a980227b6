"""Reading the staff pages in tests the way a person reads them: sections, rows, forms, messages."""

from __future__ import annotations

import html
import re
from typing import Any


def content(response: Any) -> str:
    return response.content.decode()


def section(page: str, testid: str) -> str:
    """The HTML of the element carrying ``data-testid="<testid>"`` up to the end of its section."""
    start = page.find(f'data-testid="{testid}"')
    if start < 0:
        return ""
    end = page.find("</section>", start)
    return page[start : end if end > 0 else None]


def queue_numbers(page: str, key: str) -> list[str]:
    """The request numbers listed in one queue of the home page, in their order."""
    return re.findall(r'data-testid="queue-row" data-number="([^"]+)"', section(page, f"queue-{key}"))


def list_numbers(page: str) -> list[str]:
    return re.findall(r'data-testid="list-row" data-number="([^"]+)"', page)


def forms_on(page: str) -> set[str]:
    """The actions whose forms the page offers."""
    return set(re.findall(r'<form method="post" action="[^"]*/act/([a-z_]+)/(?:#[^"]*)?"', page))


def text(page: str) -> str:
    """The visible text, tags removed and spaces collapsed (for sentences split by markup)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"</?(strong|span|a|em|b|time|code)\b[^>]*>", "", page)  # inline: no space
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def messages(page: str) -> list[str]:
    return [text(m) for m in re.findall(r'<p class="message[^"]*"[^>]*>(.*?)</p>', page, flags=re.S)]


def field_errors(page: str, name: str) -> str:
    match = re.search(rf'data-testid="error-{name}">(.*?)</div>', page, flags=re.S)
    return text(match.group(1)) if match else ""


def action_forms(page: str) -> list[tuple[str, str]]:
    """The action forms of a request page in their order, each ``(action, "open" | "folded" | "unfolded")``:
    open — shown as it is; folded — in a closed ``<details>`` block; unfolded — in one that is open."""
    out = []
    for match in re.finditer(
        r'data-testid="action-([a-z_]+)">\s*(<details class="action__fold" data-testid="fold-\1"( open)?>)?', page
    ):
        action, details, opened = match.groups()
        out.append((action, "open" if not details else "unfolded" if opened else "folded"))
    return out
