"""The field's TABARI/PETRARCH dictionaries as a :class:`~policyshift.coding.lexicon.Lexicon`.

``load(directory)`` reads every ``*actors*.txt``, ``*agents*.txt``, ``*verbs*.txt`` (or
``CAMEO*.txt``) and ``*discards*.txt`` file in a directory: e.g. the PETRARCH validation set
(PETR.Validate.*) or the Phoenix/CAMEO operational set. The file formats are in tabari_actors.py
and tabari_verbs.py; docs/coding-evaluation.md gives how well the engine codes with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from policyshift.coding.lexicon import ActorMatch, VerbMatch
from policyshift.coding.tabari_actors import (
    Actor,
    Agent,
    PhraseIndex,
    norms_of,
    read_actors,
    read_agents,
    read_discards,
)
from policyshift.coding.tabari_verbs import Matcher, VerbIndex, clause
from policyshift.errors import InputFileError

# Words that may sit between a country and its agent in one noun phrase ("Pakistan's police").
_BRIDGE = {"'s", "’s", "'"}


class TabariLexicon:
    """Actors, agents, verb patterns and discards read from TABARI/PETRARCH files."""

    def __init__(self, *, name: str) -> None:
        self.name = name
        self.actor_index = PhraseIndex()
        self.agent_index = PhraseIndex()
        self.entries: list[Actor] = []
        self.verbs = VerbIndex()
        self.discards: list[tuple[str, ...]] = []
        # PETRARCH codes an agent with no country as "---GOV"; such an actor has no country, and the
        # engine always pairs it with some target, so by default it is not an actor at all.
        self.bare_agents = False
        self.problems: list[str] = []  # malformed lines skipped, "file:line: what; fix"
        self._cache: tuple[Doc, list[ActorMatch]] | None = None

    # -- the Lexicon protocol ---------------------------------------------------------------------

    def actors(self, doc: Doc, when: date | None) -> list[ActorMatch]:
        norms = norms_of(doc)
        raw: list[tuple[int, int, object]] = []
        i = 0
        while i < len(doc):
            hit = self.actor_index.match_at(doc, i, norms)
            agent_hit = self.agent_index.match_at(doc, i, norms)
            if agent_hit is not None and (hit is None or agent_hit[0] > hit[0]):
                hit = agent_hit
            if hit is None:
                i += 1
                continue
            raw.append((i, hit[0], hit[1]))
            i = hit[0]
        actors = [(s, e, v) for s, e, v in raw if isinstance(v, Actor)]
        agents = [(s, e, v) for s, e, v in raw if isinstance(v, Agent)]
        out: dict[int, ActorMatch] = {}
        for s, e, actor in actors:
            assert isinstance(actor, Actor)
            code = actor.code_at(when)
            if code:
                out[s] = ActorMatch(code, s, e, "actor", actor.name)
        for s, e, found in agents:
            agent = found
            assert isinstance(agent, Agent)
            owners = [m for m in out.values() if m.kind != "bare" and _modifies(doc, m, s, e)]
            if not owners:
                if self.bare_agents:
                    out[s] = ActorMatch(_compose("---", agent), s, e, "bare", agent.name)
                continue
            for m in owners:
                code = m.code if m.code.endswith(agent.code) else _compose(m.code, agent)
                entry = f"{m.entry} + {agent.name}"
                gap = doc[m.end:s] if m.end <= s else doc[e:m.start]
                if len(gap) <= 2 and all(t.lower_ in _BRIDGE or t.pos_ in ("ADJ", "PROPN", "NOUN", "DET") for t in gap):
                    # Adjacent ("Pakistani police", "MSF Arnor"): one span.
                    del out[m.start]
                    out[min(m.start, s)] = ActorMatch(code, min(m.start, s), max(m.end, e), "agent", entry)
                elif len(owners) == 1:
                    # "Human rights activists in Arnor": the agent's words stand for the composed actor.
                    del out[m.start]
                    out[s] = ActorMatch(code, s, e, "agent", entry)
                else:
                    # "Lawmakers in Fornost and Gondor": each country carries its code; the engine finds
                    # them as modifiers of the agent.
                    out[m.start] = ActorMatch(code, m.start, m.end, "agent", entry)
        matches = sorted(out.values(), key=lambda m: m.start)
        self._cache = (doc, matches)
        return matches

    def verb(self, verb: Token, when: date | None) -> VerbMatch | None:
        if verb.pos_ not in ("VERB", "AUX") and not verb.tag_.startswith("VB"):
            return None
        lemma, text = verb.lemma_.lower(), verb.lower_
        cands = self.verbs.forms.get(lemma, []) + (self.verbs.forms.get(text, []) if text != lemma else [])
        if not cands:
            return None
        doc = verb.doc
        matcher = Matcher(doc, self.verbs.synsets, verb)
        lo, hi = clause(verb)
        # Multi-word verbs ("break down", "wire tap") before single words.
        for v in sorted(cands, key=lambda v: -(len(v.before) + len(v.after))):
            extra = _multiword(matcher, verb, v.before, v.after)
            if extra is None:
                continue
            assert v.block is not None
            for p in v.block.patterns:
                slots: dict[str, tuple[int, int]] = {}
                used: list[int] = []
                start = max(extra + [verb.i]) + 1
                first = min(extra + [verb.i])
                if matcher.backward(p.before, first, lo, hi, slots, used) and \
                        matcher.forward(p.after, start, lo, hi, slots, used):
                    if not p.code:
                        return None
                    source = self._hint(doc, slots.get("$"), lo, hi)
                    return VerbMatch(p.code, tuple(sorted({verb.i, *extra, *used})), p.text,
                                     source if source is not None else _controller(verb),
                                     self._hint(doc, slots.get("+"), lo, hi))
            code = v.code or v.block.code
            if code:
                return VerbMatch(code, tuple(sorted({verb.i, *extra})), v.block.name.lower(), _controller(verb))
        return None

    def verb_patterns(self) -> Iterator[tuple[str, str, str]]:
        """Every verb pattern as (plain words, CAMEO code, its verb): each verb's own code first, then
        each block's patterns with "*" read as the block's verb ("SAID * SANCTIONS AGAINST +" ->
        "said impose sanctions against")."""
        blocks: dict[int, Any] = {}
        for forms in self.verbs.forms.values():
            for v in forms:
                code = v.code or (v.block.code if v.block else None)
                if code:
                    words = " ".join((*v.before, v.main, *v.after)).lower()
                    yield words, code, words
                if v.block is not None:
                    blocks[id(v.block)] = v.block
        for block in blocks.values():
            head = block.name.replace("_", " ").replace("+", "").lower()
            for p in block.patterns:
                if p.code:
                    yield _plain_words(p.text, head), p.code, head

    def discard(self, doc: Doc) -> bool:
        if not self.discards:
            return False
        toks = [t.lower_ for t in doc]
        for phrase in self.discards:
            n = len(phrase)
            for i in range(len(toks) - n + 1):
                if toks[i] == phrase[0] and tuple(toks[i:i + n]) == phrase:
                    return True
        return False

    # -- helpers ------------------------------------------------------------------------------------

    def _hint(self, doc: Doc, slot: tuple[int, int] | None, lo: int, hi: int) -> int | None:
        """The first actor token from a pattern's "$" or "+" slot, in the slot's direction."""
        if slot is None or self._cache is None or self._cache[0] is not doc:
            return None
        covered = {i for m in self._cache[1] for i in range(m.start, m.end)}
        pos, step = slot
        while lo <= pos < hi:
            if pos in covered:
                return pos
            pos += step
        return None


def _plain_words(pattern: str, verb: str) -> str:
    """A TABARI pattern as plain words, "*" as ``verb``, slots and markers dropped."""
    out = []
    for chunk in re.sub(r"[(){}]", " ", pattern).split():
        for part in chunk.split("_"):
            if part == "*":
                out.append(verb)
            elif part and part not in ("$", "+", "^", "%"):
                out.append(part.lstrip("&+").lower())
    return " ".join(out)


def _controller(verb: Token) -> int | None:
    """The subject of the clause that governs a subjectless verb: "Arnor is about to restore ties"
    (restore is an xcomp of the adjective "about"), "Arnor wants to restore ties". None when the verb
    has its own subject (the engine takes it, with its coordination) or none is found."""
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    # A pronoun subject ("X announced it would withdraw") stands for the governing clause's subject.
    if own and not all(c.tag_ == "PRP" for c in own) or verb.dep_ not in ("xcomp", "advcl", "ccomp"):
        return None
    tok = verb
    for _ in range(4):
        if tok.dep_ not in ("xcomp", "acomp", "advcl", "ccomp") or tok.head is tok:
            return None
        tok = tok.head
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0].i
    return None


def _compose(country: str, agent: Agent) -> str:
    return agent.code + country if agent.prefix else country + agent.code


def _modifies(doc: Doc, actor: ActorMatch, start: int, end: int) -> bool:
    """Whether the actor span sits inside the agent's noun phrase ("Pakistani police", "the
    government of Arnor", "Arnor's army"), with no verb on the way up."""
    if actor.end == start or actor.start == end:
        return True
    agent_head = doc[start:end].root
    tok = doc[actor.start:actor.end].root
    for _ in range(6):
        if tok.head is tok or tok.pos_ in ("VERB", "AUX"):
            return False
        tok = tok.head
        if start <= tok.i < end or tok.i == agent_head.i:
            return True
        if tok.pos_ in ("VERB", "AUX"):
            return False
    return False


def _multiword(matcher: Matcher, verb: Token, before: tuple[str, ...], after: tuple[str, ...]) -> list[int] | None:
    """Token indices of a multi-word verb's other words ("down" in "broke down"), else None."""
    out: list[int] = []
    for k, w in enumerate(after):
        i = verb.i + 1 + k
        if i < len(verb.doc) and matcher.word_at(i, w):
            out.append(i)
            continue
        prt = [c.i for c in verb.children if c.dep_ in ("prt", "prep") and matcher.word_at(c.i, w)]
        if not prt:
            return None
        out.append(prt[0])
    for k, w in enumerate(reversed(before)):
        i = verb.i - 1 - k
        if i < 0 or not matcher.word_at(i, w):
            return None
        out.append(i)
    return out


def load(directory: str | Path, *, prefixes: tuple[str, ...] = (), strict: bool = False) -> TabariLexicon:
    """Read a directory of TABARI/PETRARCH dictionary files; with ``prefixes``, only the files whose
    names start with one of them (a directory may hold several sets: "PETR.Validate.", "Phoenix.").

    The field's own files have a few malformed lines (e.g. 7-digit dates in Phoenix.Countries): those
    are skipped and listed in ``problems`` (file:line, what, fix); ``strict`` raises on the first."""
    path = Path(directory)
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt"
                   and (not prefixes or p.name.startswith(prefixes)))
    notes: list[str] = []
    validation = [p for p in files if "validate" in p.name.lower()]
    if not prefixes and validation and len(validation) < len(files):
        # The field ships its test dictionaries ("PETR.Validate.*": Tolkien's countries, "not for
        # operational coding") beside the operational ones; mixing them would code "Bree" as a state.
        files = [p for p in files if p not in validation]
        notes.append(f"{path.name}: skipped the validation set ({', '.join(p.name for p in validation)}); "
                     "load it with prefixes=('PETR.Validate.',)")
    kinds = {"actors": [], "agents": [], "verbs": [], "discards": []}  # type: dict[str, list[Path]]
    for p in files:
        n = p.name.lower()
        if "discard" in n:
            kinds["discards"].append(p)
        elif "agent" in n:
            kinds["agents"].append(p)
        elif "verb" in n or n.startswith("cameo"):
            kinds["verbs"].append(p)
        elif "actor" in n:
            kinds["actors"].append(p)
    if not kinds["actors"] or not kinds["verbs"]:
        raise InputFileError("holds no TABARI/PETRARCH actor or verb file", where=str(path),
                             fix="point --dictionaries at a directory with *.actors.txt and *.verbs.txt "
                                 "(or CAMEO*.txt) files, or use a subdirectory holding one set only")
    lex = TabariLexicon(name=f"tabari:{path.name}")
    problems = None if strict else lex.problems
    lex.problems += notes
    for p in kinds["actors"]:
        read_actors(p, lex.actor_index, lex.entries, problems)
    for p in kinds["agents"]:
        read_agents(p, lex.agent_index, problems)
    for p in kinds["verbs"]:
        lex.verbs.read(p, problems)
    for p in kinds["discards"]:
        lex.discards += read_discards(p)
    lex.actor_index.finish()
    lex.agent_index.finish()
    lex.verbs.finish()
    return lex


__all__ = ["TabariLexicon", "load"]
