"""GET /api/v1/me, /units, /categories: who am I, and the reference data the actions name."""

from __future__ import annotations

from typing import Any

from zayavky.api.tests.helpers import assert_error
from zayavky.catalog.models import Section, Unit


def test_it_says_who_i_am(api: Any, district: Any) -> None:
    body = api.get("head", "/api/v1/me").json()
    assert body["id"] == district.head.pk and body["username"] == "head"
    assert body["name"] == "Кравченко А." and body["full_name"] == "Кравченко Андрій"
    assert body["roles"] == [
        {
            "role": "unit_head",
            "role_display": body["roles"][0]["role_display"],
            "unit": {"id": district.zhkg.pk, "short_name": "ЖКГ", "name": district.zhkg.name},
        }
    ]
    assert [u["short_name"] for u in body["units"]] == ["ЖКГ"] and body["signs_for"] == []


def test_it_says_which_units_a_signatory_signs_for(api: Any, district: Any) -> None:
    body = api.get("signatory", "/api/v1/me").json()
    assert [r["role"] for r in body["roles"]] == ["signatory"] and body["roles"][0]["unit"] is None
    assert [u["short_name"] for u in body["signs_for"]] == ["ЖКГ"]
    assert body["units"] == []


def test_it_lists_the_active_units(api: Any, district: Any) -> None:
    Unit.objects.create(name="Закритий відділ", short_name="Закритий", is_active=False)
    body = api.get("executor", "/api/v1/units").json()
    assert [u["short_name"] for u in body] == ["Благоустрій", "ЖКГ"]
    assert body[1]["email"] == "zhkg@example.org"


def test_it_lists_the_classifier(api: Any, district: Any) -> None:
    sub = Section.objects.create(code="01.1", name="Водопостачання", parent=district.section)
    district.emergency.section = sub
    district.emergency.save()
    body = api.get("general", "/api/v1/categories").json()
    assert [c["code"] for c in body] == ["01.001", "01.002", "01.003", "02.001"]
    emergency = body[1]
    assert emergency["section_path"] == [
        {"code": "01", "name": "Житлово-комунальне господарство"},
        {"code": "01.1", "name": "Водопостачання"},
    ]
    assert emergency["unit"]["short_name"] == "ЖКГ" and emergency["urgency"] == "emergency"
    assert emergency["evidence_required"] is True and emergency["is_active"] is True


def test_it_searches_the_classifier(api: Any, district: Any) -> None:
    def codes(**params: Any) -> list[str]:
        return [c["code"] for c in api.get("general", "/api/v1/categories", **params).json()]

    assert codes(q="порив") == ["01.002"]  # by keyword
    assert codes(q="Ремонт") == ["01.003"]  # by name
    assert codes(q="02.") == ["02.001"]  # by code
    assert codes(q="лампа під'їзд") == ["01.001"]  # every word
    assert codes(q="нічого такого") == []


def test_it_leaves_out_retired_types_unless_asked(api: Any, district: Any) -> None:
    district.medium.is_active = False
    district.medium.save()

    def codes(**params: Any) -> list[str]:
        return [c["code"] for c in api.get("general", "/api/v1/categories", **params).json()]

    assert "01.003" not in codes()
    assert "01.003" in codes(include_retired="1")
    assert_error(api.get("general", "/api/v1/categories", include_retired="perhaps"), 422, field="include_retired")
