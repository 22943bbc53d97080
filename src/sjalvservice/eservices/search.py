"""Finding e-services by what people type: forgiving of case, accents, endings and typos.

The catalogue is small (hundreds of e-services), so the search runs in Python over the
words each e-service keeps in ``EService.search_text`` (maintained on save), after one
query for the candidates. Every distinct word is compared with the query once, so the
cost grows with the vocabulary, not with the number of e-services times their words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sjalvservice.eservices.models import EService

# Where a word matched: the title outranks the keywords, which outrank descriptions.
TITLE, KEYWORDS, DESCRIPTION = 3, 2, 1
# How well a word matched, best first.
EXACT, STEM, PREFIX, COMPOUND, FUZZY = 9, 8, 7, 5, 4

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MIN_PREFIX_LENGTH = 3
MIN_COMPOUND_PART = 4

# Words too common to tell e-services apart; dropped from queries.
STOP_WORDS = frozenset(
    ["och", "att", "av", "for", "fran", "i", "med", "om", "pa", "till", "som", "en", "ett",
     "den", "det", "jag", "vill", "kan", "ska", "hur", "var", "nar"]
)  # fmt: skip
# Longest first, so "lokalerna" loses "erna" rather than "a".
SUFFIXES = sorted(
    ["ernas", "arnas", "ornas", "erna", "arna", "orna", "ens", "ets", "en", "et", "ar", "er",
     "or", "na", "n", "s", "t"],
    key=len,
    reverse=True,
)  # fmt: skip
MIN_STEM_WORD_LENGTH = 6
MIN_STEM_LENGTH = 4

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EXTRA_FOLDS = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "œ": "oe"})


def fold(text: str) -> str:
    """Lower case without diacritics: "Skellefteå" -> "skelleftea", "Café" -> "cafe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_EXTRA_FOLDS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Swedish alphabetical order puts å, ä and ö after z, in that order.
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def collation_key(text: str) -> str:
    """Sort key for Swedish text: case-blind, "é" as "e", and å, ä, ö after z."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SWEDISH_ORDER))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of a text; "e-tjänst" gives "e", "tjanst" and "etjanst"."""
    result: list[str] = []
    for match in _WORD.findall(fold(text)):
        parts = match.split("-")
        result.extend(parts)
        if len(parts) > 1:
            result.append("".join(parts))
    return result


def stem(word: str) -> str:
    """A light Swedish stemmer: "bygglovet" -> "bygglov", "lokalerna" -> "lokal".

    Only words longer than five letters lose an ending, and a stem keeps four letters,
    so short words ("park", "lokal") stay as they are.
    """
    if len(word) < MIN_STEM_WORD_LENGTH:
        return word
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM_LENGTH:
            return word[: -len(suffix)]
    return word


def build_search_text(*, title: str, keywords: str, descriptions: Iterable[str]) -> str:
    """The stored form: three lines of distinct words (title, keywords, descriptions)."""
    description = " ".join(descriptions)
    return "\n".join(
        " ".join(dict.fromkeys(words(text))) for text in (title, keywords, description)
    )


def query_words(query: str) -> list[str]:
    """The words of a query worth looking for, at most ``MAX_QUERY_WORDS``."""
    found = [word for word in words(query[:MAX_QUERY_LENGTH]) if word not in STOP_WORDS]
    return list(dict.fromkeys(found))[:MAX_QUERY_WORDS]


def allowed_typos(word: str) -> int:
    """Misspellings forgiven: one for words of 4-7 letters, two for longer ones."""
    if len(word) >= 8:
        return 2
    if len(word) >= 4:
        return 1
    return 0


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or ``limit + 1`` as soon as it must exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def match_quality(query_word: str, word: str) -> int:
    """How well one query word matches one stored word: EXACT ... FUZZY, or 0."""
    if query_word == word:
        return EXACT
    query_stem, word_stem = stem(query_word), stem(word)
    if query_stem == word_stem:
        return STEM
    if len(query_word) >= MIN_PREFIX_LENGTH and word.startswith(query_word):
        return PREFIX
    # Compounds: "tillstand" finds "serveringstillstand", "gatubelysning" finds "belysning".
    if len(query_stem) >= MIN_COMPOUND_PART and query_stem in word:
        return COMPOUND
    if len(word_stem) >= MIN_COMPOUND_PART + 1 and word_stem in query_word:
        return COMPOUND
    limit = allowed_typos(query_word)
    if limit and (
        edit_distance(query_word, word, limit) <= limit
        or edit_distance(query_stem, word_stem, limit) <= limit
    ):
        return FUZZY
    return 0


@dataclass
class _Scored:
    eservice: EService
    matched: int = 0
    score: int = 0


def rank(eservices: Iterable[EService], query: str) -> list[EService]:
    """The e-services that match the query, best first.

    A word scores by where it matched (title over keywords over descriptions, with the
    municipality and category names counting as descriptions) and how well. E-services
    matching every word come first; if none does, those matching the most words.
    """
    wanted = query_words(query)
    candidates = list(eservices)
    if not wanted:
        return sorted(candidates, key=lambda eservice: collation_key(eservice.title))
    fields_of = {eservice.pk: _fields(eservice) for eservice in candidates}
    vocabulary = {word for fields in fields_of.values() for line in fields for word in line}
    qualities = {query_word: _matches(query_word, vocabulary) for query_word in wanted}
    results: list[_Scored] = []
    for eservice in candidates:
        scored = _Scored(eservice)
        for query_word in wanted:
            best = 0
            for weight, line in zip(
                (TITLE, KEYWORDS, DESCRIPTION), fields_of[eservice.pk], strict=True
            ):
                for word in line:
                    quality = qualities[query_word].get(word, 0)
                    if quality:
                        best = max(best, weight * 10 + quality)
            if best:
                scored.matched += 1
                scored.score += best
        if scored.matched:
            results.append(scored)
    if not results:
        return []
    most = max(scored.matched for scored in results)
    best_results = [scored for scored in results if scored.matched == most]
    best_results.sort(key=lambda scored: (-scored.score, collation_key(scored.eservice.title)))
    return [scored.eservice for scored in best_results]


def _matches(query_word: str, vocabulary: set[str]) -> dict[str, int]:
    """The words of the vocabulary that match, with their quality.

    Loose matches (compounds, typos) count only when nothing matches closely: whoever
    types "felanmälan" wants Felanmälan, not every "anmälan"; whoever types "bygglof"
    has no closer match and gets "bygglov".
    """
    found = {word: quality for word in vocabulary if (quality := match_quality(query_word, word))}
    if any(quality >= PREFIX for quality in found.values()):
        return {word: quality for word, quality in found.items() if quality >= PREFIX}
    return found


def _fields(eservice: EService) -> tuple[list[str], list[str], list[str]]:
    lines = [*eservice.search_text.split("\n"), "", "", ""][:3]
    title, keywords, description = (line.split() for line in lines)
    # Names of related rows are read here rather than stored, so a renamed municipality
    # is found under its new name at once.
    description += words(f"{eservice.municipality.name} {eservice.category.name}")
    return title, keywords, description
