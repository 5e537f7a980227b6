"""One sentence per history row: every action of the workflow, in plain Ukrainian."""

from __future__ import annotations

import pytest
from django.utils import translation

from zayavky.cases.models import Event
from zayavky.cases.workflow import ACTIONS
from zayavky.web.history import sentence

CASES = {
    "receive": ({"number": "KC-1"}, "Заявка надійшла з Контакт-центру за № KC-1 (п. 2.1)."),
    "route": (
        {
            "category": "01.001",
            "unit": "ЖКГ",
            "urgency": "ordinary",
            "internal_due": "2026-12-01T23:59:59+02:00",
            "classifier_unit": "Благоустрій",
            "note": "Терміново",
        },
        "Заявку направлено до підрозділу «ЖКГ» (тип 01.001; звичайна); термін для підрозділу — 01.12.2026 23:59 "
        "(п. 2.2). За Класифікатором — підрозділ «Благоустрій». Примітка: Терміново",
    ),
    "take": ({"card_printed": True}, "Реєстраційну картку роздруковано та передано керівникові підрозділу (п. 2.3)."),
    "assign": ({"executor": {"id": 1, "name": "Олійник В."}}, "Виконавцем визначено: Олійник В. (п. 2.3)."),
    "reassign": (
        {"from": {"name": "Олійник В."}, "executor": {"name": "Лисенко Т."}, "reason": "відпустка"},
        "Виконавця змінено: Олійник В. → Лисенко Т. (п. 2.3). Причина: відпустка",
    ),
    "contact": ({"channel": "phone", "outcome": "no_answer", "note": ""}, "Зв’язок із заявником ("),
    "draft": ({"outcome": "executed", "length": 10}, "Збережено проєкт відповіді (результат: "),
    "submit": ({"outcome": "executed"}, "Відповідь подано на підпис (результат: "),
    "return": ({"comment": "Додайте фото"}, "Підписант повернув відповідь до підрозділу: «Додайте фото»."),
    "sign": (
        {"outgoing_number": "12/26"},
        "Відповідь підписано, вихідний № 12/26; заявку знято з контролю (п. 2.4, 2.8).",
    ),
    "hand_over": (
        {"mail_to": "zagal_zv@srvk.gov.ua", "unit_late": True},
        "Підписану відповідь, документи та реєстраційну картку передано до загального відділу; електронну версію "
        "надіслано на zagal_zv@srvk.gov.ua (п. 2.7). Термін для підрозділу порушено.",
    ),
    "publish": ({"district_late": False}, "Відповідь розміщено в Контакт-центрі (п. 2.9)."),
    "rework": (
        {"reason": "не підтвердив", "round": 1, "internal_due": "2026-12-05T23:59:59+02:00"},
        "Контакт-центр повернув заявку на доопрацювання (коло 1): не підтвердив. Новий термін для підрозділу — "
        "05.12.2026 23:59.",
    ),
    "withdraw": ({"reason": "дубль"}, "Контакт-центр відкликав заявку: дубль."),
    "return_to_general": (
        {"reason": "wrong_unit", "comment": "Це благоустрій.", "unit": "ЖКГ"},
        "Підрозділ «ЖКГ» повернув заявку до загального відділу: ",
    ),
    "extend": (
        {"from": "2026-11-28T09:00:00+02:00", "to": "2026-11-29T18:00:00+02:00", "justification": "техніка"},
        "Термін подовжено з 28.11.2026 09:00 до 29.11.2026 18:00 (п. 2.13). Обґрунтування: техніка",
    ),
    "comment": ({"text": "Прошу прискорити"}, "Коментар: Прошу прискорити"),
    "attach": ({"file": "фото.jpg", "kind": "photo"}, "Додано файл «фото.jpg» ("),
}


def test_every_workflow_action_has_its_sentence() -> None:
    assert set(ACTIONS) | {"receive"} == set(CASES)


@pytest.mark.parametrize("action", sorted(CASES))
def test_it_tells_each_action_in_ukrainian(action: str) -> None:
    data, expected = CASES[action]
    with translation.override("uk"):
        said, late = sentence(Event(action=action, data=data))
    assert said.startswith(expected), said
    assert late == (action == "hand_over")


def test_it_still_says_something_for_an_action_it_does_not_know() -> None:
    with translation.override("uk"):
        said, _late = sentence(Event(action="teleport", data={}, from_status="new", to_status="routed"))
    assert said.startswith("Дія «teleport».")


def test_it_survives_odd_data() -> None:
    with translation.override("uk"):
        said, _late = sentence(Event(action="extend", data={"from": "not a date", "to": None}))
    assert "not a date" in said and "—" in said
