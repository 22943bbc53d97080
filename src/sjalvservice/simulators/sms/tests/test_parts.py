"""Counting parts: GSM-7 160/153, UCS-2 70/67, extension characters twice, pairs unsplit."""

from __future__ import annotations

import pytest

from ..encoding import GSM7_BASIC, GSM7_EXTENSION, count_parts, encoding_of, is_gsm7
from .support import Peer

EMOJI = "😀"  # beyond the BMP: two UTF-16 units


def test_the_basic_table_has_127_characters_and_no_escape() -> None:
    assert len(GSM7_BASIC) == len(set(GSM7_BASIC)) == 127
    assert "\x1b" not in GSM7_BASIC
    assert not set(GSM7_BASIC) & set(GSM7_EXTENSION)


@pytest.mark.parametrize(
    ("text", "gsm7"),
    [
        ("Hej! Välkommen till Lycksele kommun.", True),
        ("ÅÄÖåäö éÉ ü Ñ ß @£$¥ §¿¡", True),
        ("{[~]}|^\\€", True),
        ("ç", False),  # only the capital Ç has a GSM code
        ("Ångström ő", False),
        ("Hej " + EMOJI, False),
        ("“citat”", False),  # typographic quotes are not GSM
        ("\x1b", False),
    ],
)
def test_gsm7_is_chosen_only_when_every_character_has_a_code(text: str, gsm7: bool) -> None:
    assert is_gsm7(text) is gsm7
    assert encoding_of(text).name == ("GSM-7" if gsm7 else "UCS-2")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("å" * 160, 1),  # å is in the GSM table
        ("€" * 80, 1),  # 160 septets
        ("€" * 81, 2),
        ("a" * 159 + "€", 2),  # 161 septets
        ("a" * 158 + "[", 1),
        # 306 septets fit two parts only if the € were split between them; it is not.
        ("a" * 152 + "€" + "a" * 152, 3),
        ("ç" * 70, 1),
        ("ç" * 71, 2),
        ("ç" * 134, 2),
        ("ç" * 135, 3),
        ("a" * 69 + "ç", 1),  # one non-GSM character makes the whole text UCS-2
        ("a" * 70 + "ç", 2),
        (EMOJI * 35, 1),  # 70 UTF-16 units
        (EMOJI * 36, 2),
        ("ç" * 66 + EMOJI + "ç" * 66, 3),  # 134 units, but the pair is not split
    ],
)
def test_parts_are_counted_like_the_networks(text: str, parts: int) -> None:
    assert count_parts(text) == parts


@pytest.mark.parametrize(
    ("text", "parts"),
    [("a" * 160, 1), ("a" * 161, 2), ("€" * 81, 2), ("é" * 70, 1), ("ő" * 70, 1), ("ő" * 71, 2)],
)
def test_the_answer_carries_the_count(peer: Peer, text: str, parts: int) -> None:
    assert peer.sent(message=text)["parts"] == parts
    (stored,) = peer.simulator.messages()
    assert stored["encoding"] == encoding_of(text).name
