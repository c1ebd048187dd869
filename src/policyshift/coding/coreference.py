"""Following actors across the sentences of one document, by a few conservative rules.

The engine codes a document sentence by sentence. A :class:`Memory` keeps the actors of the last two
sentences with their role (subject or object) and, in a later sentence, gives an actor for a mention
that names none: a subject pronoun ("It also threatened ..."), a pronoun owning an agent word ("its
troops"), or a definite description ("the country", "the government", "the rebels"). It gives none
when in doubt: an expletive "it", a pronoun after a thing just introduced ("sold a missile system ...
It"), a mention after an actor of its own sentence (which may be the antecedent), a description with
two candidate countries, a paragraph with no actor in between. Each rule is a small function below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from policyshift.coding import roles
from policyshift.coding.lexicon import ActorMatch

# How far back an antecedent may be, in sentences.
WINDOW = 2

_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_OBJECT_DEPS = ("dobj", "pobj", "dative", "attr", "appos")
_SINGULAR, _PLURAL = {"it", "its"}, {"they", "their"}
# An agent word owned by a pronoun ("its troops") and what it makes of a state: its sector.
_OWNED_AGENTS = {
    "government": "GOV",
    "leaders": "GOV",
    "officials": "GOV",
    "ministry": "GOV",
    "diplomats": "GOV",
    "army": "MIL",
    "troops": "MIL",
    "forces": "MIL",
    "military": "MIL",
    "soldiers": "MIL",
    "warplanes": "MIL",
    "jets": "MIL",
    "navy": "MIL",
    "police": "COP",
    "fighters": "",
    "militants": "",
    "rebels": "",
    "members": "",
    "gunmen": "",
}
# "the X" naming no actor: what it stands for. "" the state itself, a sector code that state's sector,
# None a non-state group (rebels, militants), which only an actor named as such can be.
_DESCRIPTIONS: dict[str, str | None] = {
    "country": "",
    "nation": "",
    "government": "GOV",
    "regime": "GOV",
    "administration": "GOV",
    "ministry": "GOV",
    "army": "MIL",
    "military": "MIL",
    "group": None,
    "movement": None,
    "rebels": None,
    "militants": None,
    "insurgents": None,
    "guerrillas": None,
    "fighters": None,
}
_GROUP_WORDS = {
    "rebels",
    "rebel",
    "militants",
    "insurgents",
    "guerrillas",
    "fighters",
    "militia",
    "militias",
    "group",
    "movement",
    "separatists",
    "gunmen",
    "jihadists",
}
# Sectors of a state (an actor "it" can be); others (REB, CVL, OPP ...) are not the state.
_STATE_SECTORS = {"", "GOV", "MIL", "COP", "SPY", "LEG", "JUD"}
# The words a mention can start from (mention_span): a quick test before the parse is read.
_CUES = {"it", "they", "its", "their"} | set(_DESCRIPTIONS)
_EXPLETIVE_HEADS = {"be", "seem", "appear", "remain", "become", "take", "matter", "happen"}


@dataclass(frozen=True)
class Mention:
    """An actor named (or resolved) in an earlier sentence."""

    code: str
    kind: str
    country: str | None
    sentence: int  # where it was mentioned: recency
    role: str  # "subject" or "object"
    plural: bool
    group: bool  # named as a non-state armed group ("Kurdish rebels", "Hamas militants")
    origin: str  # "Syria (sentence 0)": the first naming, for provenance


class _Sentence:
    """A remembered sentence, read only when a later mention asks (most sentences have none)."""

    def __init__(self, sdoc: Doc, matches: list[ActorMatch], index: int, country_of: Callable) -> None:
        self.sdoc, self.matches, self.index, self.country_of = sdoc, matches, index, country_of

    @cached_property
    def mentions(self) -> list[Mention]:
        """Its actors in a subject's or an object's place."""
        out = []
        for m in self.matches:
            head = span_head(self.sdoc, m.start, m.end)
            role = role_of(head)
            if role is None:
                continue
            words = self.sdoc[m.start : m.end]
            plural = head.tag_ in ("NNS", "NNPS") and m.kind not in ("country", "capital")
            group = any(t.lower_ in _GROUP_WORDS for t in words) or "REB" in m.code[3:]
            origin = m.entry.split(" -> ", 1)[1] if " -> " in m.entry else f"{words.text} (sentence {self.index})"
            out.append(Mention(m.code, m.kind, self.country_of(m.code), self.index, role, plural, group, origin))
        return out

    @cached_property
    def things(self) -> set[str]:
        return new_things(self.sdoc, self.matches)

    @cached_property
    def unnamed_subject(self) -> bool:
        """Whether its main subject names no actor ("Their aim was ...")."""
        taken = {i for m in self.matches for i in range(m.start, m.end)}
        return any(t.dep_ in _SUBJECT_DEPS and t.head.dep_ == "ROOT" and t.i not in taken for t in self.sdoc)


class Memory:
    """The actors of a document's recent sentences, for resolving later mentions."""

    def __init__(self, country_of: Callable[[str], str | None]) -> None:  # an actor code's country
        self.country_of = country_of
        self.sentences: dict[int, _Sentence] = {}
        self.paragraph_had_actor = True
        self.last: Span | None = None  # the sentence before, for paragraph breaks

    def enter(self, sent: Span) -> None:
        """Called with each sentence of the document in turn, before it is coded: a paragraph with no
        actor breaks the chain, nothing before it is followed past it. A blank line is a whitespace
        token at the end of the sentence before or at the start of this one."""
        if self.last is not None and (_blank_line(self.last[-1]) or _blank_line(sent[0])):
            if not self.paragraph_had_actor:
                self.sentences = {}
            self.paragraph_had_actor = False
        self.last = sent

    def follow(self, sdoc: Doc, matches: list[ActorMatch], index: int) -> list[ActorMatch]:
        """Sentence ``index``'s actors with those its mentions stand for, which it then remembers."""
        matches = matches + self.resolve(sdoc, matches, index)
        self.remember(sdoc, matches, index)
        return matches

    def resolve(self, sdoc: Doc, matches: list[ActorMatch], index: int) -> list[ActorMatch]:
        """Actors for the mentions of sentence ``index`` that name none."""
        if not self.sentences:
            return []
        taken = {i for m in matches for i in range(m.start, m.end)}
        out: list[ActorMatch] = []
        for tok in sdoc:
            if tok.i in taken or tok.lower_ not in _CUES:
                continue
            span = mention_span(tok)
            if span is None or any(i in taken for i in range(*span)):
                continue
            if any(m.start < span[0] for m in matches + out):
                continue  # an actor before it in its own sentence may be what it stands for
            others = {m.code for m in matches} | {c for m in matches if (c := self.country_of(m.code))}
            for antecedent, code in self._antecedents(tok, sdoc, index, others):
                entry = f"{sdoc[span[0] : span[1]].text} -> {antecedent.origin}"
                kind = antecedent.kind if code == antecedent.code else "agent"
                out.append(ActorMatch(code, span[0], span[1], kind, entry))
            taken.update(range(*span))
        return out

    def remember(self, sdoc: Doc, matches: list[ActorMatch], index: int) -> None:
        """Keep sentence ``index`` (and drop those out of reach)."""
        if matches:
            self.paragraph_had_actor = True
        self.sentences = {i: s for i, s in self.sentences.items() if i > index - WINDOW}
        self.sentences[index] = _Sentence(sdoc, matches, index, self.country_of)

    def _antecedents(self, tok: Token, sdoc: Doc, index: int, others: set[str]) -> list[tuple[Mention, str]]:
        reach = [m for i, s in self.sentences.items() if index - WINDOW <= i < index for m in s.mentions]
        recent = [m for m in reach if m.code not in others and m.country not in others]
        if tok.lower_ in _SINGULAR | _PLURAL:
            return self._pronoun(tok, recent, reach, index)
        return self._description(tok, recent, reach, index)

    def _pronoun(
        self, tok: Token, recent: list[Mention], reach: list[Mention], index: int
    ) -> list[tuple[Mention, str]]:
        plural = tok.lower_ in _PLURAL
        if tok.lower_ in ("it", "they") and (is_expletive(tok) or roles.reporter_heads(tok.head)):
            return []  # "The ministry said it ...": the reporter, an actor or not, comes first
        passive = tok.dep_ == "nsubjpass"
        sector = _OWNED_AGENTS.get(tok.head.lower_, "") if tok.dep_ == "poss" else ""
        # The previous sentence's subjects first, then its objects, then the sentence before.
        for back in range(1, WINDOW + 1):
            sentence = index - back
            remembered = self.sentences.get(sentence)
            if remembered is None:
                continue
            things = remembered.things
            if tok.lower_ in things or passive and f"{tok.lower_} undergoes" in things:
                # "criticised Syria over a new missile system. It threatens ...", "vetoed the resolution.
                # It was condemned by ...": the thing, maybe
                return []
            if remembered.unnamed_subject and not any(m.sentence == sentence and m.role == "subject" for m in reach):
                # "Kenyan troops entered Somalia. Their aim was to crush al-Shabaab. They attacked ...": a
                # subject naming no actor keeps the chain; its objects are not the pronoun's
                return []
            for role in ("subject", "object"):
                found = [m for m in recent if m.sentence == sentence and m.role == role]
                if not found:
                    continue
                if len({m.code for m in found}) > 1:
                    if plural and all(m.country and not m.plural for m in found):
                        return [(m, _with_sector(m, sector)) for m in found]  # "Russia and China ... They"
                    return []  # two of them: which one?
                if _agrees(found[0], plural):
                    return [(found[0], _with_sector(found[0], sector))]
                if role == "subject":
                    return []  # the salient actor does not fit: "it" is likely something else
        return []

    def _description(
        self, tok: Token, recent: list[Mention], reach: list[Mention], index: int
    ) -> list[tuple[Mention, str]]:
        sector = _DESCRIPTIONS[tok.lower_]
        if sector is None:  # "the rebels": only an actor named as such
            found = [m for m in recent if m.group]
            codes = {m.code for m in found}
            return [(found[-1], found[-1].code)] if len(codes) == 1 else []
        found = [m for m in recent if m.country and _is_state(m)]
        countries = {m.country for m in found}
        if len(countries) != 1:  # "Israel bombed Lebanon. The government condemned ...": whose?
            return []
        best = min(found, key=lambda m: (-m.sentence, m.role != "subject"))
        if len({m.country for m in reach if m.country and _is_state(m)}) > 1 and (
            best.role != "subject" or best.sentence != index - 1
        ):
            # One left once the sentence's own parties are set aside: the previous subject, named again
            # as "the government" ("Sudan accused Chad ... The government expelled the Chadian
            # ambassador"); not an object ("Ankara summoned the Dutch ambassador. The ministry said ...")
            return []
        country = best.country or ""  # found holds only actors with a country
        return [(best, country + sector if sector else country)]


def mention_span(tok: Token) -> tuple[int, int] | None:
    """The token span of a mention that may stand for an earlier actor, or None."""
    word = tok.lower_
    if word in ("it", "they") and tok.dep_ in _SUBJECT_DEPS:
        return tok.i, tok.i + 1
    if (
        word in ("its", "their")
        and tok.dep_ == "poss"
        and tok.head.lower_ in _OWNED_AGENTS
        and role_of(tok.head) is not None
    ):
        return tok.i, tok.head.i + 1  # "its troops"
    if word in _DESCRIPTIONS and tok.pos_ == "NOUN" and role_of(tok) is not None:
        dets = [c for c in tok.children if c.dep_ == "det"]
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod", "prep", "acl", "relcl")]
        if len(dets) == 1 and dets[0].lower_ == "the" and dets[0].i == tok.i - 1 and not mods:
            return tok.i - 1, tok.i + 1  # "the government", not "the Syrian government", "the government of ..."
    return None


def is_expletive(tok: Token) -> bool:
    """ "It is expected that ...", "it seems ...": an "it" that stands for nothing."""
    head = tok.head
    if tok.dep_ == "expl" or head.lemma_.lower() in _EXPLETIVE_HEADS:
        return True
    return tok.dep_ == "nsubjpass" and any(c.dep_ in ("ccomp", "xcomp") for c in head.children)


def role_of(head: Token) -> str | None:
    """ "subject" or "object" for the head of a noun phrase in that place, else None (a modifier)."""
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    if head.dep_ in _SUBJECT_DEPS:
        return "subject"
    if head.dep_ in _OBJECT_DEPS and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return "object"
    return None


def span_head(sdoc: Doc, start: int, end: int) -> Token:
    """The token of a span whose head lies outside it."""
    for tok in sdoc[start:end]:
        if not start <= tok.head.i < end or tok.head is tok:
            return tok
    return sdoc[end - 1]


def _blank_line(tok: Token) -> bool:
    return tok.is_space and tok.text.count("\n") >= 2


def new_things(sdoc: Doc, matches: list[ActorMatch]) -> set[str]:
    """The pronouns that a thing a sentence introduces as an object may take: "it" after "a missile
    system", "they" after "missiles" (no article); such a pronoun is not followed to an actor."""
    taken = {i for m in matches for i in range(m.start, m.end)}
    out: set[str] = set()
    for tok in sdoc:
        if tok.dep_ == "dobj" and tok.pos_ in ("NOUN", "PROPN"):
            # what was done to: a passive "it"/"they" next may be that, actor or thing ("vetoed the
            # resolution. It was condemned by ...", "killed two Palestinians. They were shot ...")
            out.add("they undergoes" if tok.tag_ in ("NNS", "NNPS") else "it undergoes")
        if tok.pos_ != "NOUN" or tok.i in taken or role_of(tok) != "object" or tok.ent_type_ in ("DATE", "TIME"):
            continue
        dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
        if tok.tag_ == "NN" and dets & {"a", "an"}:
            out.update(("it", "its"))
        elif tok.tag_ == "NNS" and not dets and tok.dep_ == "dobj":
            out.update(("they", "their"))
    return out


def _agrees(m: Mention, plural: bool) -> bool:
    """ "it" a state or organisation, "they" a plural group or people; never a person."""
    if m.kind == "person":
        return False
    if plural:
        return m.plural or m.group
    return not m.plural and m.kind != "demonym"


def _is_state(m: Mention) -> bool:
    return m.kind in ("country", "capital") or m.code[3:6] in _STATE_SECTORS and not m.group


def _with_sector(m: Mention, sector: str) -> str:
    """ "its troops" of Russia: RUSMIL; of a group or a non-state actor, the group itself."""
    return m.country + sector if sector and m.country and _is_state(m) else m.code
