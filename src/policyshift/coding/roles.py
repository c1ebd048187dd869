"""Who did it and to whom, from the dependency parse (spaCy's ClearNLP-style labels).

A role is a token (the head of a noun phrase); the actor it stands for is the actor span that holds
it, or one of its modifiers ("Taliban positions", "the American demand", "Musharraf's courage"), or
the object of its "of/on/against" phrase ("sanctions on Pakistan", "the assets of al-Qaeda").
Coordinated heads ("the US and Britain") give one role each.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from policyshift.coding.lexicon import ActorMatch

# Modifiers of a role's head that may name its actor.
_MODIFIERS = ("compound", "amod", "poss", "nmod", "appos")
# Prepositions inside a noun phrase that name whose thing it is, or what it is aimed at.
_NOUN_PREPS = ("of", "on", "against", "to", "for", "with", "from")
# Prepositions of the verb that give a target, in order of preference ("to" first: "hand over X to
# the United States" is aimed at the United States). Place and time ("in", "near", "at", "across",
# "during") never give one.
_VERB_PREPS = ("to", "against", "on", "with", "for", "from", "upon", "toward", "towards", "into", "over", "of")


class Actors:
    """The actor spans of one sentence, found by token."""

    def __init__(self, matches: list[ActorMatch]) -> None:
        self.by_token: dict[int, ActorMatch] = {}
        for m in matches:
            for i in range(m.start, m.end):
                self.by_token[i] = m

    def at(self, tok: Token, *, depth: int = 0) -> list[ActorMatch]:
        """The actors a noun phrase headed by ``tok`` names: the one it is part of, else those of
        its modifiers ("American and British forces": two), else that of its "of/on" phrase."""
        hit = self.by_token.get(tok.i)
        if hit is not None:
            found = [hit]
            for child in tok.children:  # "American and British forces": the head is in one span
                if child.dep_ in _MODIFIERS and any(c.dep_ == "conj" for c in child.children):
                    found += [m for c in conjuncts(child)
                              if (m := self.by_token.get(c.i)) is not None and m not in found]
            return found
        if depth > 1:
            return []
        for child in tok.children:
            if child.dep_ in _MODIFIERS:
                found = [m for c in conjuncts(child) if (m := self.by_token.get(c.i)) is not None]
                if not found and child.dep_ == "compound":
                    found = self.at(child, depth=depth + 1)
                if found:
                    return found
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in _NOUN_PREPS:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self.at(obj, depth=depth + 1)
                        if found:
                            return found
        return []

    def of(self, heads: list[Token]) -> list[ActorMatch]:
        """The distinct actors of some heads and their coordinated heads, in order."""
        out: list[ActorMatch] = []
        for head in heads:
            for tok in conjuncts(head):
                if tok.pos_ == "ADP":  # a dative "to": its object
                    found = [m for o in tok.children if o.dep_ == "pobj" for m in self.at(o)]
                else:
                    found = self.at(tok)
                out += [m for m in found if m not in out]
        return out


def conjuncts(tok: Token) -> Iterator[Token]:
    """The token and those coordinated with it ("the US and Britain" -> US, Britain; a list
    without "and" often parses as apposition: "the Northern Alliance, Iran, India")."""
    yield tok
    for child in tok.children:
        if child.dep_ in ("conj", "appos"):
            yield from conjuncts(child)


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def subject_heads(verb: Token) -> list[Token]:
    """The verb's subjects; a verb coordinated with or governed by another shares its subject."""
    heads = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if heads:
        return heads
    if verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
        return subject_heads(verb.head)
    return []


def passive_agents(verb: Token) -> list[Token]:
    return [obj for c in verb.children if c.dep_ == "agent" for obj in c.children if obj.dep_ == "pobj"]


def passive_subjects(verb: Token) -> list[Token]:
    heads = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if not heads and verb.dep_ == "conj" and verb.head is not verb:
        return passive_subjects(verb.head)
    return heads


def object_heads(verb: Token) -> list[list[Token]]:
    """Candidate target heads, best first: recipient ("to", dative), direct object, other prepositions."""
    datives = [c for c in verb.children if c.dep_ == "dative"]
    to = [o for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"
          for o in c.children if o.dep_ == "pobj"]
    direct = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    preps = sorted((c for c in verb.children if c.dep_ == "prep" and c.lower_ in _VERB_PREPS and c.lower_ != "to"),
                   key=lambda c: _VERB_PREPS.index(c.lower_))
    others = [o for c in preps for o in c.children if o.dep_ in ("pobj", "pcomp")]
    return [datives + to, direct, others]


def complement_subjects(verb: Token) -> list[Token]:
    """Subjects (or objects) of a complement clause: "demanded that Pakistan end ..."."""
    out = []
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp"):
            if c.pos_ in ("NOUN", "PROPN"):
                # The parser took the clause for a noun phrase ("that the Taliban surrender bin Laden"
                # as one phrase headed by "Laden"): its first name is the clause's subject.
                out += [t for t in c.subtree if t.pos_ in ("PROPN", "NOUN")][:1]
            out += [g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
    return out


def complements(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("xcomp", "ccomp")]
