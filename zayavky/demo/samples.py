"""What the demo's residents write and what the district answers them, read from ``data/``.

- ``names.csv``, ``streets.csv``: the invented applicants and where they live (Kryvyi Rih, Saksahanskyi
  district). Phones and e-mails are made up here: mobile codes of Ukraine's operators, and the reserved
  ``example.*`` domains (RFC 2606), so no real mailbox is ever written to.
- ``request_texts.csv``: a request's text by Classifier code, or by top section for the types without one.
  Placeholders: ``{addr}`` address, ``{entr}`` entrance, ``{fl}``/``{fl2}`` floors, ``{days}`` 2–4,
  ``{weeks}`` 2–3, ``{few}`` 2–4, ``{many}`` 5–12, ``{temp}`` a cold room's degrees, ``{month}`` a month
  in the genitive, ``{Who}`` «Заявник»/«Заявниця», ``{name}``/``{name_lc}`` the type's name.
- ``answers_done.csv`` (by code, else by section; ``{date}`` the day of the work) and
  ``answers_explained.csv`` (by section): the answers' wording (2.5).
- ``phrases.csv``: the other sentences people write in the procedure, by where they are used.
- ``seasons.csv``: the types that belong to some months only, so a November demo does not mow grass.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from zayavky.demo import datafiles
from zayavky.demo.datafiles import DemoDataError

POSTCODES = ("50045", "50049", "50050", "50053", "50057", "50069")
MOBILE_CODES = ("67", "67", "67", "96", "97", "98", "50", "66", "95", "63", "93", "73")
MAIL_DOMAINS = ("example.com", "example.net", "example.org")  # reserved (RFC 2606): never a real mailbox

#: Ukrainian to Latin letters for the invented e-mail logins (the 2010 national system; «_» = dropped).
_TRANSLIT = {
    letter: "" if latin == "_" else latin
    for letter, latin in zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'",
        "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch _ iu ia _".split(),
        strict=True,
    )
}

MONTHS_GENITIVE = tuple(
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня".split()
)

NAME_COLUMNS = ("Прізвище", "Чоловіче ім'я", "Жіноче ім'я", "По батькові (чоловіче)", "По батькові (жіноче)")

#: The places of ``phrases.csv``'s first column.
PHRASE_PLACES = frozenset(
    {
        "cannot_now",  # the answer: cannot be done now (2.5)
        "not_competent",  # the answer: not the district's competence, passed on
        "signatory_return",  # the signatory returns the answer for corrections (2.6)
        "rework",  # the Contact Center returns a request: the applicant did not confirm the result
        "withdraw",  # the Contact Center withdraws a request
        "not_competent_return",  # a unit returns a request to the general department (2.2)
        "comment_head",
        "comment_executor",
        "extension",  # the justification of an extension (2.13)
        "contact_reached",  # the outcome of a call to the applicant (2.10, 2.11)
        "contact_phone_off",
        "contact_no_answer",
        "contact_wrong_number",
    }
)


@dataclass(frozen=True)
class Samples:
    surnames: tuple[str, ...]
    male_names: tuple[str, ...]
    female_names: tuple[str, ...]
    patronymics: tuple[tuple[str, str], ...]  # (a son's, a daughter's)
    streets: tuple[tuple[str, int], ...]  # (street, highest house number)
    texts: dict[str, tuple[str, ...]]  # Classifier code or top section -> request texts
    done: dict[str, str]  # code or top section -> what was done
    explained: dict[str, str]  # top section -> the explanation
    phrases: dict[str, tuple[str, ...]]
    seasons: dict[str, frozenset[int]]  # code -> months

    def phrase(self, place: str) -> tuple[str, ...]:
        return self.phrases[place]


def latin(word: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in word.lower())


@cache
def samples() -> Samples:
    """Everything the files hold, read once and checked: a broken file names itself and its row."""
    names = datafiles.rows("names.csv", NAME_COLUMNS)
    sons = [r["По батькові (чоловіче)"] for _n, r in names if r["По батькові (чоловіче)"]]
    daughters = [r["По батькові (жіноче)"] for _n, r in names if r["По батькові (жіноче)"]]
    if len(sons) != len(daughters):
        raise DemoDataError("names.csv: every son's patronymic needs its daughter's on the same row")
    streets = []
    for number, r in datafiles.rows("streets.csv", ("Вулиця", "Найбільший номер будинку")):
        if not r["Найбільший номер будинку"].isdigit():
            raise DemoDataError(f"streets.csv, row {number}: the highest house number is a whole number")
        streets.append((r["Вулиця"], int(r["Найбільший номер будинку"])))
    phrases = datafiles.grouped((r["Де"], r["Текст"]) for _n, r in datafiles.rows("phrases.csv", ("Де", "Текст")))
    if set(phrases) != PHRASE_PLACES:
        raise DemoDataError(f"phrases.csv: the places are {sorted(PHRASE_PLACES)}, not {sorted(phrases)}")
    seasons = {}
    for number, r in datafiles.rows("seasons.csv", ("Код", "Місяці")):
        months = frozenset(int(m) for m in r["Місяці"].replace(" ", "").split(",") if m.isdigit())
        if not months or not months <= set(range(1, 13)):
            raise DemoDataError(f"seasons.csv, row {number}: months are numbers 1–12 separated by commas")
        seasons[r["Код"]] = months
    return Samples(
        surnames=tuple(datafiles.column("names.csv", NAME_COLUMNS, "Прізвище")),
        male_names=tuple(datafiles.column("names.csv", NAME_COLUMNS, "Чоловіче ім'я")),
        female_names=tuple(datafiles.column("names.csv", NAME_COLUMNS, "Жіноче ім'я")),
        patronymics=tuple(zip(sons, daughters, strict=True)),
        streets=tuple(streets),
        texts=datafiles.grouped(
            (r["Код"], r["Текст заявки"]) for _n, r in datafiles.rows("request_texts.csv", ("Код", "Текст заявки"))
        ),
        done={r["Код"]: r["Що зроблено"] for _n, r in datafiles.rows("answers_done.csv", ("Код", "Що зроблено"))},
        explained={
            r["Код"]: r["Роз'яснення"] for _n, r in datafiles.rows("answers_explained.csv", ("Код", "Роз'яснення"))
        },
        phrases=phrases,
        seasons=seasons,
    )
