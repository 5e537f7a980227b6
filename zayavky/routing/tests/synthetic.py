"""A synthetic history of routed requests for the tests: five Classifier types, each written in Ukrainian and
in Russian in a few ways, with addresses and numbers that vary. Deterministic (a fixed seed), so a test that
passes once passes always; written to the test's own temporary folder, never read from outside the
repository."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from zayavky.routing.dataset import KYIV, Example, write_examples

TYPES: dict[str, list[str]] = {
    "Не працює пасажирський ліфт": [
        "Не працює ліфт у під'їзді {n}, зупинився між поверхами",
        "Ліфт стоїть вже {n} днів, мешканці не можуть піднятися",
        "Не работает лифт в подъезде {n}, застрял между этажами",
        "Лифт не работает уже {n} дней, пожилые люди не могут выйти",
    ],
    "Відсутність опалення": [
        "Відсутнє опалення в квартирі, батареї холодні вже {n} днів",
        "Немає опалення у будинку, в квартирі +{n} градусів",
        "Нет отопления в квартире, батареи холодные {n} дней",
        "Отопление не включили, в доме холодно, дети болеют",
    ],
    "Укладання та ремонт асфальтного покриття": [
        "Яма на дорозі біля будинку {n}, потрібен ремонт асфальту",
        "Зруйноване асфальтне покриття тротуару, ями глибиною {n} см",
        "Яма на дороге возле дома {n}, нужно отремонтировать асфальт",
        "Разрушен асфальт во дворе, ямы после зимы",
    ],
    "Прибирання та санітарний стан територій": [
        "Не прибирають сміття біля контейнерів, смітник переповнений {n} днів",
        "Двір у смітті, двірник не прибирає територію",
        "Мусор не вывозят {n} дней, контейнеры переполнены",
        "Во дворе грязно, дворник не убирает территорию",
    ],
    "Освітлення в приміщенні й при вході в нього": [
        "Не горить світло в під'їзді {n}, темно на сходах",
        "Перегоріли лампи на {n} поверсі, немає освітлення",
        "Не горит свет в подъезде {n}, темно на лестнице",
        "Нет освещения у входа в подъезд, лампочка перегорела",
    ],
}
STREETS = ["вул. Гетьманська", "просп. Миру", "вул. Січових Стрільців", "ул. Ленина", "вул. Шевченка"]


def history(count: int, *, start: dt.datetime | None = None, seed: int = 1520) -> list[Example]:
    """``count`` routed requests, one every two hours from ``start``, the types in turn."""
    rng = random.Random(seed)
    moment = start or dt.datetime(2024, 1, 9, 9, 0, tzinfo=KYIV)
    names = list(TYPES)
    examples = []
    for number in range(count):
        category = names[number % len(names)]
        text = rng.choice(TYPES[category]).format(n=rng.randint(2, 16))
        text = f"{text}. Адреса: {rng.choice(STREETS)}, {rng.randint(1, 120)}"
        examples.append(Example(f"T-{number:05d}", moment + dt.timedelta(hours=2 * number), category, text))
    return examples


def write_history(path: Path, count: int, **kwargs: object) -> Path:
    write_examples(path, history(count, **kwargs))  # type: ignore[arg-type]
    return path
