"""What the routing model reads of a resident's text: one normalisation for Ukrainian and Russian.

Residents of the same city write in Ukrainian, in Russian and in a mix of both («не працює лифт»); the
Classifier types (2.2) do not depend on the language. Two views of the text are learned from:

* the characters (n-grams within words) of the lower-cased text, digits folded to ``0`` — robust to typos,
  endings and the masked ``[телефон]`` / ``[email]``;
* the stems of the words, after folding the letters the two languages spell differently (і ї и ы й → и,
  є э → е, ґ → г, ё → е, ъ dropped), cut to their first letters, with neighbouring pairs — so «ліфт» and
  «лифт», «опалення» and «опаления» meet.

Pure Python, no Django: the model is trained and evaluated without the project's database.
"""

from __future__ import annotations

import re

#: The first characters read of a text. The longest request of two years of Kyiv's 1551 has 2,489; a text
#: of 20,000 characters is cut here so one suggestion stays within its time (docs/routing.md).
MAX_CHARS = 4000
#: The first letters of a folded word that make its stem («опалення» → «опален»).
STEM_LETTERS = 6

_APOSTROPHES = re.compile(r"[’'`ʼ‘]")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[^\W\d_]+")
_FOLD = str.maketrans({"і": "и", "ї": "и", "ы": "и", "й": "и", "є": "е", "э": "е", "ё": "е", "ґ": "г", "ъ": ""})


def normalise(text: str) -> str:
    """Lower case, one apostrophe, every number as ``0``, single spaces, at most :data:`MAX_CHARS`."""
    text = text[:MAX_CHARS].lower().replace("ё", "е")
    text = _APOSTROPHES.sub("'", text)
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """:func:`normalise`, then the letters Ukrainian and Russian spell differently made one."""
    return normalise(text).translate(_FOLD)


def stems(text: str) -> list[str]:
    """The folded words' stems and each pair of neighbouring stems (one-letter words left out)."""
    words = [word[:STEM_LETTERS] for word in _WORDS.findall(fold(text)) if len(word) > 1]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def has_words(text: str) -> bool:
    """Whether there is anything to read: at least one letter (only digits, signs or spaces is nothing)."""
    return bool(_WORDS.search(text[:MAX_CHARS]))
