"""Normalise an answer's value so that answers written differently compare equal.

Four kinds (`domain.AnswerKind`), tried in this order because each later kind is
looser than the one before it:

- CHOICE: "(b)", "B)", "Option B", "(C) Paris" -> "B"
- YESNO: "Yes.", "TRUE", "correct", "No, because ..." -> "yes" / "no"
- NUMBER: "1,000", "1000.0", "$23", "23 apples", "-5", "1/2", "twenty-three"
  -> a canonical decimal string ("1000", "23", "-5", "0.5")
- TEXT: anything else, case-, accent-, punctuation- and article-folded

`normalize_value` receives text that `parsing.clean_value` has already stripped of
markdown, quotes and a trailing period.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import NamedTuple

from roundtable.domain import AnswerKind

#: Multiple-choice letters we accept; exams rarely go past J.
_LETTERS = "A-Ja-j"

_CHOICE_PATTERNS = (
    # "B", "(b)", "b)", "[C]"
    re.compile(rf"^[(\[]?([{_LETTERS}])[)\]]?$"),
    # "Option B", "choice (c): Paris", "Answer B"
    re.compile(
        rf"^(?:option|choice|answer)\s*[(\[]?([{_LETTERS}])[)\]]?(?:\s*[:.)\-–—]\s*.*|\s*)$",
        re.I,
    ),
    # "(C) Paris", "[C] Paris"
    re.compile(rf"^[(\[]([{_LETTERS}])[)\]]\s*.+$"),
    # "b) Paris"
    re.compile(rf"^([{_LETTERS}])\)\s*.+$"),
    # "B. Paris", "B: Paris", "B — because" (upper case only: "a. m." is not a choice)
    re.compile(r"^([A-J])\s*(?:[.:]|\s[-—–])\s+.+$"),
)

_YES_WORDS = {"yes": "yes", "true": "true", "correct": "yes"}
_NO_WORDS = {"no": "no", "false": "false", "incorrect": "no", "not correct": "no"}
#: "Yes, because ..." / "No. It is not." : a yes/no word followed by a separator.
_LEADING_YESNO = re.compile(r"^(yes|no|true|false)\s*[,.;:!—–-]\s", re.I)

_NUMBER_PREFIX = re.compile(
    r"^(?:approximately|approx\.?|about|around|roughly|exactly|~|≈|=|"
    r"[a-z]\s*=|answer\s*=)\s*",
    re.I,
)
_NUMBER = re.compile(
    r"^(?P<sign>[-−+]?)\s*(?P<currency>[$€£¥])?\s*(?P<sign2>[-−]?)"
    r"(?P<num>\d+\s*/\s*\d+"  # a fraction: 1/2
    r"|\d+\s*\^\s*\{?\d+\}?"  # a power: 10^6, 2^{10}
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # grouped thousands: 1,000,000.5
    r"|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"  # plain, decimal or scientific
    r"|\.\d+)"
    r"(?P<percent>\s*%)?(?P<rest>.*)$"
)
#: Words allowed after a number ("23 apples", "42 km/h", "9.8 m/s^2"): a few words, starting
#: with a letter, whose digits are only exponents ("m2", "s^2"), never another number.
_MAX_UNIT_WORDS = 4
_UNIT = re.compile(r"^(?:[^\W\d_]|[°µ%])(?:[^\W\d]|[°µ/.·*\s-]|(?<=[^\W\d_^])\d|\^-?\d)*$")
#: Exponents beyond this are not answers but attempts to exhaust memory.
_MAX_EXPONENT = 100
_LATEX_FRAC = re.compile(r"\\[dt]?frac\s*\{\s*(-?\d+)\s*\}\s*\{\s*(\d+)\s*\}")

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

_ARTICLES = re.compile(r"\b(?:a|an|the)\b")
#: Decimal places kept for a fraction that does not terminate (1/3).
_FRACTION_DIGITS = 12
_MAX_DISPLAY = 200


class Normalized(NamedTuple):
    kind: AnswerKind
    value: str
    display: str


def normalize_value(text: str) -> Normalized:
    """Classify and normalise one cleaned answer value."""
    text = text.strip()
    display = _shorten(text)
    letter = normalize_choice(text)
    if letter is not None:
        return Normalized(AnswerKind.CHOICE, letter, letter)
    yesno = _yes_no_word(text)
    if yesno is not None:
        value = "yes" if yesno in ("yes", "true") else "no"
        return Normalized(AnswerKind.YESNO, value, yesno)
    number = normalize_number(text)
    if number is not None:
        return Normalized(AnswerKind.NUMBER, number, display)
    return Normalized(AnswerKind.TEXT, fold_text(text), display)


def normalize_choice(text: str) -> str | None:
    """Choice letters: "(b)", "B)", "Option B", "(C) Paris" -> "B"/"C"; else None."""
    if len(re.findall(rf"[(\[][{_LETTERS}][)\]]", text)) > 1:
        return None  # "(A) and (C)": several options, not one
    for pattern in _CHOICE_PATTERNS:
        match = pattern.match(text.strip())
        if match:
            return match.group(1).upper()
    return None


def normalize_yes_no(text: str) -> str | None:
    """Yes/no: "Yes." / "TRUE" / "correct" / "No, because ..." -> "yes" or "no", else None."""
    word = _yes_no_word(text)
    if word is None:
        return None
    return "yes" if word in ("yes", "true") else "no"


def _yes_no_word(text: str) -> str | None:
    """The yes/no word as the model put it ("yes", "no", "true", "false"), else None."""
    folded = re.sub(r"[^\w\s]", "", text.casefold()).strip()
    folded = re.sub(r"\s+", " ", folded)
    if folded in _YES_WORDS:
        return _YES_WORDS[folded]
    if folded in _NO_WORDS:
        return _NO_WORDS[folded]
    match = _LEADING_YESNO.match(text.strip())
    if match:
        return match.group(1).lower()
    return None


def normalize_number(text: str) -> str | None:
    """A canonical decimal string for a numeric answer ("$1,000.00" -> "1000"), else None."""
    text = latex_fractions(text.strip())
    text = text.replace("\\%", "%").replace("\\$", "$").replace("\u2212", "-")
    previous = None
    while previous != text:  # "about ~ 42" has two prefixes
        previous = text
        text = _NUMBER_PREFIX.sub("", text).strip()
    match = _NUMBER.match(text)
    if match is None:
        return _number_from_words(text)
    # "42 (six times seven)": a closing aside is not part of the number.
    rest = re.sub(r"\(.*\)$", "", match.group("rest")).strip()
    if rest and (len(rest.split()) > _MAX_UNIT_WORDS or not _UNIT.match(rest)):
        return None
    negative = "-" in (match.group("sign"), match.group("sign2"))
    number = _to_decimal(match.group("num"))
    if number is None:
        return None
    return canonical_decimal(-number if negative else number)


def latex_fractions(text: str) -> str:
    """LaTeX fractions read like typed ones: "\\frac{1}{2}" -> "1/2"."""
    return _LATEX_FRAC.sub(r"\1/\2", text)


def canonical_decimal(number: Decimal) -> str:
    """Decimal -> shortest plain string: no exponent, no trailing zeros, no "-0"."""
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _to_decimal(num: str) -> Decimal | None:
    num = num.replace(",", "").replace(" ", "")
    try:
        if "^" in num:
            base, exponent = (int(part.strip("{}")) for part in num.split("^"))
            return Decimal(base) ** exponent if exponent <= _MAX_EXPONENT else None
        if "/" in num:
            numerator, denominator = (int(part) for part in num.split("/"))
            if denominator == 0:
                return None
            fraction = Fraction(numerator, denominator)
            with localcontext() as ctx:
                ctx.prec = 28
                value = Decimal(fraction.numerator) / Decimal(fraction.denominator)
                return round(value, _FRACTION_DIGITS)
        value = Decimal(num)
    except (InvalidOperation, ValueError):
        return None
    # "1e5000000" from a model must not be written out as five million digits (or
    # overflow `normalize()`): a number that size is not an answer we can compare.
    if not value.is_finite() or abs(value.adjusted()) > _MAX_EXPONENT:
        return None
    return value


def _number_from_words(text: str) -> str | None:
    """English number words up to the billions: "twenty-three" -> "23"."""
    words = re.sub(r"[-,]", " ", text.casefold()).replace(" and ", " ").split()
    negative = bool(words) and words[0] in ("minus", "negative")
    if negative:
        words = words[1:]
    if not words or any(w not in _UNITS and w not in _SCALES for w in words):
        return None
    total = current = 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALES[word]
            current = 0
    value = total + current
    return str(-value if negative else value)


def fold_text(text: str) -> str:
    """Case, accents, punctuation, articles and whitespace folded: "The Eiffel Tower!" ->
    "eiffel tower"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[^\w\s]|_", " ", plain)
    plain = _ARTICLES.sub(" ", plain)
    return " ".join(plain.split())


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_DISPLAY else text[: _MAX_DISPLAY - 1].rstrip() + "…"
