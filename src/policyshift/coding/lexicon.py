"""What the coder needs from a set of dictionaries, whatever their format.

The engine (engine.py) parses text with spaCy and works out who did what to whom from the parse.
A :class:`Lexicon` tells it which spans of a sentence are actors and which verb phrases are events.
Two implementations: our own YAML dictionaries (dictionaries.py) and the field's TABARI/PETRARCH
files (tabari.py), so the same engine codes with either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from spacy.tokens import Doc, Token


@dataclass(frozen=True)
class ActorMatch:
    """An actor named in a sentence: tokens ``start``..``end`` (exclusive) of the Doc."""

    code: str  # CAMEO-style actor code, role resolved for the date: "PAKGOV", "USA", "IGOUNO", "TAL"
    start: int
    end: int
    kind: str  # "country", "demonym", "capital", "person", "organisation", "group", "agent"
    entry: str = ""  # the dictionary entry that matched, for provenance


@dataclass(frozen=True)
class VerbMatch:
    """An event pattern matched at a verb: the CAMEO code and the tokens the pattern used."""

    code: str  # CAMEO event code, e.g. "085" for "lift sanctions"
    tokens: tuple[int, ...]  # Doc token indices of the verb and the pattern's other words
    pattern: str  # the pattern as written in the dictionary, for provenance
    # Token indices the pattern itself marks as the source or target slot ("$", "+" in TABARI),
    # where it does; otherwise the engine takes them from the parse.
    source_hint: int | None = None
    target_hint: int | None = None


class Lexicon(Protocol):
    """A set of dictionaries, as the engine uses them."""

    name: str

    def actors(self, doc: Doc, when: date | None) -> list[ActorMatch]:
        """Every actor in ``doc``, longest match first, not overlapping; roles resolved at ``when``."""
        ...

    def verb(self, verb: Token, when: date | None) -> VerbMatch | None:
        """The event pattern that matches at ``verb`` (with its particles, objects, prepositions)."""
        ...

    def discard(self, doc: Doc) -> bool:
        """True when the sentence should not be coded at all (sports, entertainment, ...)."""
        ...
