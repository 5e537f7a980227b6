"""Finding a request type in the Classifier by words of its name, code or keywords (2.2).

The Classifier is small (hundreds of types), so the search runs over all active types in Python: the same
result on SQLite and PostgreSQL, case-insensitive for Cyrillic (SQLite's LIKE folds only ASCII), and the
apostrophes residents type (' ’ ʼ) count as one.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from zayavky.catalog.models import Category, Section

LIMIT = 25
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})


def _fold(text: str) -> str:
    return text.casefold().translate(_APOSTROPHES)


def search(query: str, limit: int = LIMIT) -> list[Category]:
    words = _fold(query).split()[:8]
    if not words:
        return []
    found: list[tuple[tuple[int, str], Category]] = []
    types = Category.objects.filter(is_active=True).select_related("unit", "section")
    for category in types:
        code, name = _fold(category.code), _fold(category.name)
        haystack = " ".join((code, name, _fold(category.keywords), _fold(category.description)))
        if not all(word in haystack for word in words):
            continue
        # Best first: the exact code, a code that starts so, every word in the name, then the keywords.
        if code == words[0] and len(words) == 1:
            rank = 0
        elif code.startswith(words[0]):
            rank = 1
        elif all(word in name for word in words):
            rank = 2
        else:
            rank = 3
        found.append(((rank, category.code), category))
    found.sort(key=lambda pair: pair[0])
    return [category for _key, category in found[:limit]]


def as_json(category: Category) -> dict[str, object]:
    return {
        "id": category.pk,
        "code": category.code,
        "name": category.name,
        "unit_id": category.unit_id,
        "unit": str(category.unit),
        "urgency": category.urgency,
        "urgency_label": str(category.get_urgency_display()),
        "evidence_required": category.evidence_required,
    }


@login_required
def search_view(request: HttpRequest) -> HttpResponse:
    """``/classifier/search/?q=``: an HTML fragment for the route form's script, or JSON.

    ``format=json`` gives JSON; ``pick=route`` gives the radio buttons of the route form.
    """
    query = request.GET.get("q", "")[:200]
    results = search(query)
    if request.GET.get("format") == "json":
        return JsonResponse({"q": query, "results": [as_json(c) for c in results]})
    pick = request.GET.get("pick") == "route"
    return render(
        request,
        "web/_classifier_results.html",
        {"results": results, "q": query, "pick": pick, "field_name": "route-category", "selected": None},
    )


@login_required
def classifier_page(request: HttpRequest) -> HttpResponse:
    """The whole Classifier: each section with its types, their units and urgency types (1.3)."""
    query = request.GET.get("q", "")[:200]
    sections = {s.pk: s for s in Section.objects.all()}
    groups: dict[int, list[Category]] = {}
    types = Category.objects.filter(is_active=True).select_related("unit").order_by("code")
    for category in types:
        groups.setdefault(category.section_id, []).append(category)
    tree = []
    for section_id, items in groups.items():
        chain: list[str] = []
        node = sections.get(section_id)
        while node is not None and len(chain) < 20:  # parents from the dict: no query per level
            chain.append(str(node))
            node = sections.get(node.parent_id) if node.parent_id else None
        tree.append((" / ".join(reversed(chain)), items))
    tree.sort(key=lambda pair: pair[0])
    return render(
        request,
        "web/classifier.html",
        {"q": query, "results": search(query) if query else None, "tree": tree},
    )
