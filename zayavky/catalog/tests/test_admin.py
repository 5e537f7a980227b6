"""The administrator's screens for the reference data, driven through HTTP as the administrator would."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zayavky.accounts.models import ApiToken, Membership, Role, User
from zayavky.catalog.models import (
    CalendarOverride,
    Category,
    Duty,
    Organisation,
    Section,
    Signatory,
    Unit,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"admin:{name}", args=args)


def management(prefix: str, total: int, initial: int = 0) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def type_data(section: Section, unit: Unit | None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "section": section.pk,
        "code": "01.02.007",
        "name": "Ліквідація стихійного сміттєзвалища",
        "unit": unit.pk if unit else "",
        "urgency": "ordinary",
        "evidence_required": "on",
        "description": "",
        "keywords": "звалище",
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --------------------------------------------------------------------------------------------------
# Every screen opens
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "catalog_unit",
        "catalog_section",
        "catalog_category",
        "catalog_signatory",
        "catalog_duty",
        "catalog_calendaroverride",
        "accounts_user",
        "accounts_apitoken",
    ],
)
def test_it_shows_every_reference_list(
    admin_client: Client, model: str, category: Category, deputy: Signatory, head_of_unit: User
) -> None:
    Duty.objects.create(signatory=deputy, unit=category.unit, valid_from=dt.date(2026, 1, 1))
    CalendarOverride.objects.create(date=dt.date(2026, 12, 31), kind="day_off", note="Перенесення")
    ApiToken.objects.create(user=head_of_unit, digest="d" * 64, label="Контакт-центр")

    response = admin_client.get(url(f"{model}_changelist"))

    assert response.status_code == 200
    app_label, model_name = model.split("_", 1)
    model_class = apps.get_model(app_label, model_name)
    assert response.context["cl"].result_count == model_class.objects.count() > 0


@pytest.mark.parametrize(
    "model", ["catalog_unit", "catalog_section", "catalog_category", "catalog_signatory", "catalog_duty"]
)
def test_it_opens_the_add_and_change_forms(
    admin_client: Client, model: str, category: Category, deputy: Signatory
) -> None:
    duty = Duty.objects.create(signatory=deputy, unit=category.unit, valid_from=dt.date(2026, 1, 1))
    obj = {
        "catalog_unit": category.unit,
        "catalog_section": category.section,
        "catalog_category": category,
        "catalog_signatory": deputy,
        "catalog_duty": duty,
    }[model]

    assert admin_client.get(url(f"{model}_add")).status_code == 200
    assert admin_client.get(url(f"{model}_change", obj.pk)).status_code == 200


def test_it_answers_in_ukrainian(admin_client: Client, category: Category) -> None:
    response = admin_client.get(url("catalog_category_changelist"))

    assert "Види заявок" in response.content.decode()
    assert "Припинити дію вибраних" in response.content.decode()


# --------------------------------------------------------------------------------------------------
# Request types: the Classifier (1.3, 2.2)
# --------------------------------------------------------------------------------------------------


def test_it_creates_a_request_type(admin_client: Client, section: Section, unit: Unit) -> None:
    response = admin_client.post(url("catalog_category_add"), type_data(section, unit))

    assert response.status_code == 302
    created = Category.objects.get(code="01.02.007")
    assert (created.unit, created.urgency, created.evidence_required) == (unit, "ordinary", True)


@pytest.mark.parametrize("missing", ["unit", "urgency"])
def test_it_refuses_a_request_type_without_unit_or_urgency(
    admin_client: Client, section: Section, unit: Unit, missing: str
) -> None:
    # 2.2: the general department routes a request by its type; a type without a unit or an urgency
    # type could not be routed, nor its term counted (2.12).
    data = type_data(section, unit)
    data[missing] = ""

    response = admin_client.post(url("catalog_category_add"), data)

    assert response.status_code == 200
    assert missing in response.context["adminform"].form.errors
    assert not Category.objects.exists()


def test_it_refuses_a_request_type_without_both(admin_client: Client, section: Section) -> None:
    data = type_data(section, None)
    del data["urgency"]

    response = admin_client.post(url("catalog_category_add"), data)

    assert set(response.context["adminform"].form.errors) == {"unit", "urgency"}
    assert not Category.objects.exists()


def test_it_refuses_an_active_type_under_a_retired_unit(admin_client: Client, section: Section, unit: Unit) -> None:
    unit.is_active = False
    unit.save()

    response = admin_client.post(url("catalog_category_add"), type_data(section, unit))

    assert response.context["adminform"].form.errors["unit"] == [
        "Цей підрозділ недіючий: чинному виду заявки потрібен діючий підрозділ."
    ]
    assert not Category.objects.exists()


def test_it_keeps_the_code_of_a_type(admin_client: Client, category: Category) -> None:
    data = type_data(category.section, category.unit, code="99.99", name="Нова назва")

    response = admin_client.post(url("catalog_category_change", category.pk), data)

    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.code, category.name) == ("01.02.001", "Нова назва")


def test_it_retires_and_restores_selected_types(admin_client: Client, category: Category) -> None:
    changelist = url("catalog_category_changelist")

    admin_client.post(changelist, {"action": "retire_selected", "_selected_action": [category.pk]})
    category.refresh_from_db()
    assert category.is_active is False
    assert LogEntry.objects.filter(object_id=str(category.pk)).count() == 1

    admin_client.post(changelist, {"action": "restore_selected", "_selected_action": [category.pk]})
    category.refresh_from_db()
    assert category.is_active is True


@pytest.mark.parametrize("model", ["catalog_category", "catalog_unit"])
def test_it_never_deletes_types_or_units(admin_client: Client, category: Category, model: str) -> None:
    # Requests point to both with a protecting key: they are retired instead.
    obj = category if model == "catalog_category" else category.unit
    changelist = admin_client.get(url(f"{model}_changelist"))
    assert "delete_selected" not in dict(changelist.context["action_form"].fields["action"].choices)

    assert admin_client.get(url(f"{model}_delete", obj.pk)).status_code == 403
    assert admin_client.post(url(f"{model}_delete", obj.pk), {"post": "yes"}).status_code == 403
    response = admin_client.post(
        url(f"{model}_changelist"), {"action": "delete_selected", "_selected_action": [obj.pk]}
    )
    assert response.status_code in (200, 302)
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_it_filters_types_by_section_with_its_subsections(admin_client: Client, category: Category, unit: Unit) -> None:
    other = Section.objects.create(code="02", name="Соціальний захист")
    Category.objects.create(section=other, code="02.001", name="Допомога", urgency="medium_term", unit=unit)
    root = category.section.parent
    assert root is not None

    response = admin_client.get(url("catalog_category_changelist"), {"section": root.pk})

    assert [c.code for c in response.context["cl"].result_list] == ["01.02.001"]


def test_it_filters_types_by_urgency_and_finds_them_by_keyword(
    admin_client: Client, category: Category, unit: Unit
) -> None:
    Category.objects.create(
        section=category.section, code="01.02.002", name="Аварія водогону", urgency="emergency", unit=unit
    )
    changelist = url("catalog_category_changelist")

    by_urgency = admin_client.get(changelist, {"urgency__exact": "emergency"})
    by_keyword = admin_client.get(changelist, {"q": "сміття"})

    assert [c.code for c in by_urgency.context["cl"].result_list] == ["01.02.002"]
    assert [c.code for c in by_keyword.context["cl"].result_list] == ["01.02.001"]


# --------------------------------------------------------------------------------------------------
# Units and sections
# --------------------------------------------------------------------------------------------------


def test_it_retires_a_unit_and_warns_about_its_active_types(admin_client: Client, category: Category) -> None:
    response = admin_client.post(
        url("catalog_unit_changelist"),
        {"action": "retire_selected", "_selected_action": [category.unit.pk]},
        follow=True,
    )

    category.unit.refresh_from_db()
    assert category.unit.is_active is False
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["success", "warning"]


def test_it_searches_units_and_filters_active_ones(admin_client: Client, unit: Unit, other_unit: Unit) -> None:
    other_unit.is_active = False
    other_unit.save()
    changelist = url("catalog_unit_changelist")

    assert list(admin_client.get(changelist, {"q": "комунального"}).context["cl"].result_list) == [unit]
    assert list(admin_client.get(changelist, {"is_active__exact": "0"}).context["cl"].result_list) == [other_unit]


def test_it_refuses_a_section_nested_in_its_own_subsection(admin_client: Client, section: Section) -> None:
    root = section.parent
    assert root is not None

    response = admin_client.post(
        url("catalog_section_change", root.pk),
        {"parent": section.pk, "code": "01", "name": root.name, "position": 1},
    )

    assert "parent" in response.context["adminform"].form.errors
    root.refresh_from_db()
    assert root.parent is None


def test_it_explains_why_a_section_with_types_cannot_be_deleted(admin_client: Client, category: Category) -> None:
    response = admin_client.post(url("catalog_section_delete", category.section.pk), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]
    assert Section.objects.filter(pk=category.section.pk).exists()


# --------------------------------------------------------------------------------------------------
# Signatories and the distribution of duties (2.4, 2.6)
# --------------------------------------------------------------------------------------------------


def signatory_data(user: User, unit: Unit, valid_from: str, valid_to: str) -> dict[str, Any]:
    return {
        "user": user.pk,
        "position": "deputy_head_exec",
        "is_active": "on",
        **management("duties", 1),
        "duties-0-unit": unit.pk,
        "duties-0-valid_from": valid_from,
        "duties-0-valid_to": valid_to,
        "duties-0-basis": "Розпорядження № 12-р від 05.01.2026",
    }


def test_it_adds_a_signatory_with_duties(admin_client: Client, bob: User, unit: Unit) -> None:
    response = admin_client.post(url("catalog_signatory_add"), signatory_data(bob, unit, "2026-01-05", ""))

    assert response.status_code == 302
    duty = Duty.objects.get()
    assert (duty.signatory.user, duty.unit, duty.valid_from, duty.valid_to) == (
        bob,
        unit,
        dt.date(2026, 1, 5),
        None,
    )


def test_it_refuses_a_duty_that_ends_before_it_starts(admin_client: Client, bob: User, unit: Unit) -> None:
    response = admin_client.post(url("catalog_signatory_add"), signatory_data(bob, unit, "05.01.2026", "04.01.2026"))

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["valid_to"]
    assert not Signatory.objects.exists()


def test_it_lists_the_duties_in_force_today(
    admin_client: Client, deputy: Signatory, manager: Signatory, unit: Unit
) -> None:
    today = timezone.localdate()
    old = Duty.objects.create(
        signatory=deputy,
        unit=unit,
        valid_from=today - dt.timedelta(days=100),
        valid_to=today - dt.timedelta(days=1),
    )
    current = Duty.objects.create(signatory=manager, unit=unit, valid_from=today)
    changelist = url("catalog_duty_changelist")

    in_force = admin_client.get(changelist, {"in_force": "today"}).context["cl"].result_list
    not_in_force = admin_client.get(changelist, {"in_force": "not_today"}).context["cl"].result_list
    signatories = admin_client.get(url("catalog_signatory_changelist"))

    assert list(in_force) == [current]
    assert list(not_in_force) == [old]
    assert "ВЖКГ" in signatories.content.decode()


# --------------------------------------------------------------------------------------------------
# Calendar and organisation
# --------------------------------------------------------------------------------------------------


def test_it_adds_an_extra_day_off(admin_client: Client) -> None:
    response = admin_client.post(
        url("catalog_calendaroverride_add"), {"date": "2026-12-31", "kind": "day_off", "note": "Перенесення"}
    )

    assert response.status_code == 302
    assert CalendarOverride.objects.get().date == dt.date(2026, 12, 31)


def organisation_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Виконавчий комітет Саксаганської районної у місті ради",
        "short_name": "Саксаганський райвиконком",
        "address": "",
        "phone": "",
        "general_mailbox": "zagal_zv@srvk.gov.ua",
        "ordinary_regulation_days": "5",
        "medium_term_regulation_days": "15",
        "long_term_internal_days": "30",
        "long_term_regulation_days": "45",
        "session_idle_minutes": "60",
        "retention_years": "3",
    }
    data.update(overrides)
    return data


def test_it_keeps_one_organisation(admin_client: Client) -> None:
    org = Organisation.current()

    assert admin_client.get(url("catalog_organisation_add")).status_code == 403
    assert admin_client.get(url("catalog_organisation_delete", org.pk)).status_code == 403
    response = admin_client.get(url("catalog_organisation_changelist"))
    assert response.status_code == 302
    assert response["Location"] == url("catalog_organisation_change", org.pk)


def test_it_adds_the_organisation_when_there_is_none(admin_client: Client) -> None:
    assert admin_client.get(url("catalog_organisation_changelist")).status_code == 200

    response = admin_client.post(url("catalog_organisation_add"), organisation_data())

    assert response.status_code == 302
    assert Organisation.objects.count() == 1


def test_it_changes_the_terms(admin_client: Client) -> None:
    org = Organisation.current()

    admin_client.post(url("catalog_organisation_change", org.pk), organisation_data(ordinary_regulation_days="6"))

    org.refresh_from_db()
    assert org.terms().ordinary_regulation_days == 6


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ordinary_regulation_days", "3"),  # shorter than the unit's 4 days (2.12.1)
        ("medium_term_regulation_days", "13"),  # shorter than the unit's 14 days (2.12.2)
        ("long_term_internal_days", "0"),
        ("long_term_regulation_days", "20"),  # shorter than the long-term internal term
    ],
)
def test_it_refuses_terms_the_deadline_engine_cannot_use(admin_client: Client, field: str, value: str) -> None:
    org = Organisation.current()

    response = admin_client.post(url("catalog_organisation_change", org.pk), organisation_data(**{field: value}))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    org.refresh_from_db()
    assert org.terms().ordinary_regulation_days == 5


def test_it_says_in_ukrainian_why_the_term_is_refused(admin_client: Client) -> None:
    org = Organisation.current()

    response = admin_client.post(
        url("catalog_organisation_change", org.pk), organisation_data(ordinary_regulation_days="3")
    )

    assert response.context["adminform"].form.errors["ordinary_regulation_days"] == [
        "Термін за Регламентом не може бути коротшим за термін для підрозділу — 4 дн. (п. 2.12.1)."
    ]


# --------------------------------------------------------------------------------------------------
# People and roles
# --------------------------------------------------------------------------------------------------


def user_data(user: User, memberships: list[tuple[str, Unit | None]], existing: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": "Петрівна",
        "position": "начальник відділу",
        "phone": "(056) 440-10-10",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
        **management("memberships", len(memberships), existing),
    }
    for i, (role, unit) in enumerate(memberships):
        data[f"memberships-{i}-role"] = role
        data[f"memberships-{i}-unit"] = unit.pk if unit else ""
    return data


def test_it_saves_a_user_with_patronymic_position_and_roles(admin_client: Client, alice: User, unit: Unit) -> None:
    data = user_data(alice, [(Role.UNIT_HEAD, unit), (Role.CONTROLLER, None)])

    response = admin_client.post(url("accounts_user_change", alice.pk), data)

    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.patronymic, alice.position, alice.phone) == (
        "Петрівна",
        "начальник відділу",
        "(056) 440-10-10",
    )
    assert set(alice.memberships.values_list("role", "unit")) == {
        ("unit_head", unit.pk),
        ("controller", None),
    }


@pytest.mark.parametrize(
    ("role", "with_unit"),
    [(Role.EXECUTOR, False), (Role.UNIT_CLERK, False), (Role.GENERAL, True), (Role.SIGNATORY, True)],
)
def test_it_refuses_a_role_with_the_wrong_unit(
    admin_client: Client, alice: User, unit: Unit, role: str, with_unit: bool
) -> None:
    # Membership.clean: the unit roles belong to a unit, the others to none.
    data = user_data(alice, [(role, unit if with_unit else None)])

    response = admin_client.post(url("accounts_user_change", alice.pk), data)

    assert response.status_code == 200
    assert "unit" in response.context["inline_admin_formsets"][0].formset.errors[0]
    assert not Membership.objects.exists()


@pytest.mark.parametrize("unit_role", [True, False])
def test_it_refuses_the_same_role_twice(admin_client: Client, alice: User, unit: Unit, unit_role: bool) -> None:
    membership = (Role.EXECUTOR, unit) if unit_role else (Role.CONTROLLER, None)
    data = user_data(alice, [membership, membership])

    response = admin_client.post(url("accounts_user_change", alice.pk), data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not Membership.objects.exists()


def test_it_finds_people_by_patronymic_and_role(admin_client: Client, head_of_unit: User, bob: User) -> None:
    changelist = url("accounts_user_changelist")

    by_name = admin_client.get(changelist, {"q": "Петрівна"}).context["cl"].result_list
    by_role = admin_client.get(changelist, {"memberships__role__exact": "unit_head"})

    assert list(by_name) == [head_of_unit]
    assert list(by_role.context["cl"].result_list) == [head_of_unit]
    assert "Керівник підрозділу — ВЖКГ" in by_role.content.decode()


def test_it_adds_a_user_with_the_personal_fields(admin_client: Client) -> None:
    response = admin_client.post(
        url("accounts_user_add"),
        {
            "username": "dana",
            "usable_password": "true",
            "password1": "Kryvyi-Rih-2026",
            "password2": "Kryvyi-Rih-2026",
            "last_name": "Бондар",
            "first_name": "Дарина",
            "patronymic": "Василівна",
            "position": "головний спеціаліст",
            "phone": "",
            "email": "",
            **management("memberships", 0),
        },
    )

    assert response.status_code == 302
    dana = User.objects.get(username="dana")
    assert (dana.last_name, dana.patronymic, dana.position) == ("Бондар", "Василівна", "головний спеціаліст")


def test_it_lists_api_tokens_read_only(admin_client: Client, alice: User) -> None:
    token = ApiToken.objects.create(user=alice, digest="f" * 64, label="Контакт-центр 1520")

    listing = admin_client.get(url("accounts_apitoken_changelist")).content.decode()
    change = admin_client.post(url("accounts_apitoken_change", token.pk), {"label": "інше"})

    assert "Контакт-центр 1520" in listing
    assert "f" * 64 not in listing
    assert admin_client.get(url("accounts_apitoken_add")).status_code == 403
    assert change.status_code in (302, 403)  # every field is read-only: only the revoke action changes a token
    token.refresh_from_db()
    assert token.label == "Контакт-центр 1520"


def test_it_revokes_an_api_token(admin_client: Client, alice: User) -> None:
    token = ApiToken.objects.create(user=alice, digest="e" * 64)

    deleted = admin_client.post(url("accounts_apitoken_delete", token.pk), {"post": "yes"})
    admin_client.post(url("accounts_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})

    assert deleted.status_code == 403  # the row stays: who had which token, when it was last used
    token.refresh_from_db()
    assert token.revoked_at is not None
