"""Text to events: parse with spaCy, find actors and verb patterns with a Lexicon, and work out who
did what to whom from the parse (roles.py), with negation (negation.py) and dates (dates.py).

Every sentence is coded on its own: its actors are resolved at the sentence's date (Musharraf is
PAKMIL in a sentence about 1998, PAKGOV in one about 2001); only a mention that names no actor ("It",
"the government", "its troops") may stand for an actor of the sentences before (coreference.py).
An event needs a source and a target that are both actors; a verb with only one of them is not
coded (docs/coding.md says why), unless the coder is asked for source-only events (``monadic``,
PLOVER's reading).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from spacy.tokens import Doc, Span, Token

from policyshift.cameo import lookup
from policyshift.coding import coreference, roles
from policyshift.coding.dates import ResolvedDate, resolve
from policyshift.coding.dictionaries import country_of, is_mutual, is_refusal
from policyshift.coding.lexicon import ActorMatch, Lexicon, VerbMatch
from policyshift.coding.negation import governed_code, intended_code, is_negated, refusal_code


@dataclass(frozen=True)
class Document:
    """One document to code. ``where`` says where it came from (file:line), for messages."""

    id: str
    text: str
    date: date | None = None
    source: str | None = None
    where: str | None = None
    end: int = 0  # byte offset in the input file where the document ends, for progress


@dataclass
class CodedEvent:
    doc_id: str
    sentence_index: int
    sentence: str
    date: str | None
    date_precision: str | None
    source_actor: str
    source_name: str
    source_country: str | None
    target_actor: str | None  # None: a source-only event (Coder(monadic=True))
    target_name: str | None
    target_country: str | None
    cameo_code: str
    root_code: str
    negated: bool
    # Character offsets in the document: [start, end) of the sentence, source, target and verb.
    offsets: dict[str, list[int]]
    source_entry: str
    target_entry: str | None
    pattern: str
    date_text: str | None = None
    doc_source: str | None = None
    dictionaries: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def source_sector(self) -> str | None:
        return _sector(self.source_actor, self.source_country)

    @property
    def target_sector(self) -> str | None:
        return _sector(self.target_actor, self.target_country)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("extra")
        out["source_sector"], out["target_sector"] = self.source_sector, self.target_sector
        out.update(self.extra)
        return out


def _sector(code: str | None, country: str | None) -> str | None:
    return code[3:6] or None if code and country and len(code) > 3 else None


# Acts that two coordinated subjects do together, whatever the verb ("X and Y reached a
# settlement", "signed a pact", "held talks"): each is the other's target.
_JOINT = ("036", "037", "038", "040", "044", "046", "050", "057", "06")


# Verbs whose object is an act offered, not done ("offered the use of its bases", "pledged troops").
_OFFERING = {"offer", "promise", "pledge", "propose"}


class Coder:
    """Codes text with one Lexicon. ``nlp`` defaults to the packaged spaCy model without NER."""

    def __init__(self, lexicon: Lexicon, *, nlp: Any = None, batch_size: int = 32,
                 keep_negated: bool = False, carry_dates: bool = False, monadic: bool = False,
                 future_intent: bool = False, coreference: bool = True) -> None:
        if nlp is None:
            from policyshift.coding.parse import load_nlp

            nlp = load_nlp()
        self.lexicon = lexicon
        self.nlp = nlp
        self.batch_size = batch_size
        self.keep_negated = keep_negated
        # News: a sentence without a date is the story's date. A history (carry_dates): it is the
        # last date the text gave with its year ("in 2001", "on 7 October 2001"), and a month or day
        # written without a year ("On October 7") is in that year.
        self.carry_dates = carry_dates
        # Source-only events ("Akayev agreed to resign", "Hizbollah declared a ceasefire"): off by
        # default, so `policyshift code` and --ingest keep CAMEO's dyadic events (docs/coding.md).
        self.monadic = monadic
        # "will provide aid" as an intention (033), as the CAMEO codebook and PLOVER read it; off by
        # default, as TABARI and PETRARCH code the act itself (070) and their tests expect that.
        self.future_intent = future_intent
        # Follow an actor into later sentences of the document ("Syria ... It also threatened ..."):
        # coreference.py, a few conservative rules; code_sentence alone never does.
        self.coreference = coreference
        self.sentences = 0  # sentences seen, for throughput figures

    def code_text(self, text: str, *, date: date | None = None, doc_id: str = "text") -> list[CodedEvent]:
        """The events of one text."""
        return self.code_doc(self.nlp(text), date=date, doc_id=doc_id)

    def code_documents(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[CodedEvent]]]:
        """Each document with its events, parsed in batches (``nlp.pipe``)."""
        pairs = ((d.text, d) for d in documents)
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            yield document, self.code_doc(doc, date=document.date, doc_id=document.id, source=document.source)

    def code_doc(self, doc: Doc, *, date: date | None, doc_id: str, source: str | None = None) -> list[CodedEvent]:
        """The events of a parsed document."""
        events: list[CodedEvent] = []
        context: ResolvedDate | None = None
        memory = coreference.Memory(lambda code: country_of(code, self.lexicon)) if self.coreference else None
        for index, sent in enumerate(doc.sents):
            self.sentences += 1
            if memory is not None:
                memory.enter(sent)
            # A history's "On October 7" is in the year the text last gave, not the publication's.
            year = context.date.year if self.carry_dates and context is not None and context.date else None
            when = resolve(sent.text, date, year=year)
            if self.carry_dates:
                if when.text is not None and when.explicit_year:
                    context = when
                elif when.text is None and context is not None:
                    when = context
            events += self.code_sentence(sent, index=index, doc_date=date, doc_id=doc_id, source=source, when=when,
                                         memory=memory)
        return events

    def code_sentence(self, sent: Span, *, index: int, doc_date: date | None, doc_id: str,
                      source: str | None = None, when: ResolvedDate | None = None,
                      memory: coreference.Memory | None = None) -> list[CodedEvent]:
        """The events of one sentence; with a document's ``memory``, a mention that names no actor may
        stand for an actor of the sentences before (coreference.py)."""
        if not any(t.pos_ in ("VERB", "AUX") for t in sent):  # AUX: "was critical of"
            return []
        when = when or resolve(sent.text, doc_date)
        sdoc = sent.as_doc()
        roles.lift_measured_objects(sdoc)
        if self.lexicon.discard(sdoc):
            return []
        matches = self.lexicon.actors(sdoc, when.date or doc_date)
        if memory is not None:
            matches = memory.follow(sdoc, matches, index)
        if not matches:
            return []
        actors = roles.Actors(matches)
        found: list[tuple[ActorMatch, ActorMatch | None, str, VerbMatch, Token, bool]] = []
        skip: set[int] = set()  # complements of a coded verb ("threatened to impose ...")
        for verb in sdoc:
            if verb.i in skip:
                continue
            match = self.lexicon.verb(verb, when.date or doc_date)
            if match is None and roles.is_unlisted_demand(verb):
                # "stressed that Libya must hand over ...", "issued a reminder to Iraq that it must ...": a
                # statement of what another must do, which the demand rule below codes 100
                match = VerbMatch("010", (verb.i,), verb.lemma_)
            if match is None and not is_refusal(self.lexicon, verb.lemma_.lower()):
                continue
            if match is None or not match.code.startswith("01"):
                # A statement's clause is an event of its own ("Iraq said it would allow ..."); the
                # complement of any other coded verb is part of it ("threatened to impose ...").
                for comp in roles.complements(verb):
                    skip.add(comp.i)
                if match is not None:  # and so is its purpose ("began a hunger strike to protest ...")
                    skip.update(p.i for p in roles.purpose_clauses(verb))
            found += self._events(verb, match, actors)
        out = []
        base = sent.start_char
        seen = set()
        for src, tgt, code, match, verb, negated in found:
            if negated and not self.keep_negated:
                continue
            key = (src.code, tgt.code if tgt else None, code, verb.i)
            if key in seen:
                continue
            seen.add(key)
            out.append(self._event(sdoc, base, index, doc_id, source, when, src, tgt, code, match, verb, negated))
        return out

    def _events(self, verb: Token, match: VerbMatch | None,
                actors: roles.Actors) -> list[tuple[ActorMatch, ActorMatch | None, str, VerbMatch, Token, bool]]:
        means = roles.act_by_means(verb)
        if means is not None and self.lexicon.verb(means, None) is not None:
            return []  # "retaliated by expelling ...": the expulsion is the event, coded at its verb
        negated = is_negated(verb)
        act = verb
        if is_refusal(self.lexicon, verb.lemma_.lower()):
            refused = [c for c in verb.children if c.dep_ == "xcomp"]
            if refused:
                act = refused[0]
                inner = self.lexicon.verb(act, None)
                code = refusal_code(inner.code if inner else None)
                match = VerbMatch(code, (verb.i, *(inner.tokens if inner else (act.i,))),
                                  f"{verb.lemma_} to {inner.pattern if inner else act.lemma_}")
            elif match is None:
                return []
        assert match is not None
        if act is verb and verb.lemma_.lower() in _OFFERING and match.code[:2] in ("06", "07", "08"):
            # "offered the United States the use of its air bases": an offer is an intention (CAMEO 03x,
            # "express intent to cooperate militarily" 0312), whatever act the pattern names
            match = VerbMatch(intended_code(match.code), match.tokens, match.pattern, match.source_hint,
                              match.target_hint)
        intent_verb = verb.lemma_.lower() in roles.INTENT_VERBS
        governed = False
        if act is verb and set(match.pattern.split()[1:]) <= {"to", "on", "with", "for", "upon"}:
            for comp in roles.complements(verb):
                inner = self.lexicon.verb(comp, None) if comp.dep_ == "xcomp" or intent_verb else None
                code = governed_code(match.code, inner.code if inner else None)
                if inner is not None and code == match.code and intent_verb:
                    intended = intended_code(inner.code)  # "agreed to lift the ban": 0354
                    code = intended if intended.startswith(("03", "13")) else code
                if inner is not None and code != match.code:
                    match = VerbMatch(code, tuple(sorted({*match.tokens, *inner.tokens})),
                                      f"{match.pattern} to {inner.pattern}", match.source_hint, match.target_hint)
                    governed = True
                    break
        if not governed and not negated and act is verb and roles.states_intent(verb, future=self.future_intent):
            code = intended_code(match.code)
            if self.future_intent and roles.is_conditional_threat(verb):
                code = governed_code("130", match.code)  # "will withdraw ... unless ...": a threat
            match = VerbMatch(code, match.tokens, match.pattern, match.source_hint, match.target_hint)
        if negated and any(verb.doc[i].dep_ == "neg" for i in match.tokens):
            negated = False  # the pattern spells out the negation and codes it ("didn't clash over" 904)
        elif negated and self.future_intent and act is verb and roles.states_intent(verb, future=True):
            # "will not accept any more refugees": an announced refusal, CAMEO's 12x for that act
            match = VerbMatch(refusal_code(match.code), match.tokens, f"will not {match.pattern}",
                              match.source_hint, match.target_hint)
            negated = False
        if match.code.startswith("01") and act is verb:
            # "declared that China must drop barriers": the statement is a demand on the clause's subject
            for comp in roles.obliged_clauses(verb):
                inner = self.lexicon.verb(comp, None)
                match = VerbMatch(governed_code("100", inner.code if inner else None),
                                  tuple(sorted({*match.tokens, *(inner.tokens if inner else (comp.i,))})),
                                  f"{match.pattern} that ... must {inner.pattern if inner else comp.lemma_}",
                                  match.source_hint, match.target_hint)
                break
        if roles.is_passive(act):
            agents = roles.passive_agents(act)
            sources = actors.of(agents)
            targets = actors.of(roles.passive_subjects(act), places=True)  # "the junta in Myanmar"
            if not sources and act.lemma_.lower() in roles.EXPELLING:
                # "Iranian diplomats were expelled from Iraq": the country they were sent out of did it
                sources = actors.of(roles.origins(act))
            if not sources and self.monadic:
                # "a missionary was arrested in Lebanon": with no named doer, PLOVER takes the country
                # where it was done, as for an unnamed group's act (_place_sources)
                sources = self._place_sources(act, agents, actors)
        else:
            heads = roles.subject_heads(verb)
            sources = actors.of(heads, places=True)
            if not sources and heads and all(roles.is_pronoun(h) or roles.is_owned_by_pronoun(h) for h in heads):
                # "Iraq said it would ...", "Serbs said their forces had completed ...": the reporter
                sources = actors.of(roles.reporter_heads(verb))
            if not sources and self.monadic and heads and not any(roles.is_pronoun(h) for h in heads):
                sources = self._place_sources(verb, heads, actors)
            targets = self._targets(act, actors) or (self._targets(verb, actors) if act is not verb else [])
            if not targets and not match.code.startswith("01"):
                # "demanded that Pakistan end ...": the clause's subject; not for a statement, whose
                # clause is a report about that actor ("Syria said Israeli jets had bombed ..."), not
                # words addressed to it
                targets = actors.of(roles.complement_subjects(verb))
            if not targets and (gov := roles.purpose_head(verb)) is not None:
                # "crossed into Somalia to attack Islamist fighters", "sent troops to Iraq to fight ...":
                # an act done where the governing verb went is aimed at that place
                targets = [m for m in actors.of(roles.destinations(gov)) if m not in sources]
            if not targets and roles.is_participle_clause(verb) and any(
                    c.dep_ == "dobj" and c.lower_ in ("it", "them", "him", "her") for c in verb.children):
                # "imposed an embargo on Iraq, accusing it of ...": the pronoun is the first act's target
                targets = self._targets(verb.head, actors)
            if not targets and not any(c.dep_ == "dobj" for c in verb.children):
                # "agreed to attack Israel": the complement's target. Not past an addressee that names no
                # actor: "urged Muslims to wage jihad against America" is not addressed to America.
                for comp in roles.complements(verb):
                    if comp.dep_ == "xcomp":
                        targets = self._targets(comp, actors)
                        if targets:
                            break
        # A pattern that marks its own source or target slot ("$", "+" in TABARI) overrides the parse.
        sdoc = verb.doc
        if match.source_hint is not None and (hinted := actors.of([sdoc[match.source_hint]])):
            sources = hinted
        if match.target_hint is not None and (hinted := actors.of([sdoc[match.target_hint]])):
            targets = hinted
        pairs: list[tuple[ActorMatch, ActorMatch | None]] = [
            (s, t) for s in sources for t in targets if s.code != t.code and s != t]
        if not targets and len(sources) > 1 and (is_mutual(self.lexicon, verb.lemma_.lower())
                                                 or match.code.startswith(_JOINT)):
            pairs = [(s, t) for s in sources for t in sources if s != t and s.code != t.code]
        elif not targets:
            # No recipient in the parse's usual places: the nearest actor inside the objects or in a
            # place phrase ("fired shells at Seoul", "lifted a curfew in Montenegro"), as TABARI and
            # PETRARCH take the first actor after the verb. A place in the source's own country is
            # where it acted, not whom it acted on ("troops stormed the mosque in Islamabad"), except
            # in source-only coding, where PLOVER takes the location as the target.
            targets = self._nested_targets(act, actors, sources, domestic=self.monadic)
            pairs = [(s, t) for s in sources for t in targets if s.code != t.code and s != t]
        if not pairs and self.monadic:
            pairs = [(s, None) for s in sources]
        return [(s, t, match.code, match, verb, negated) for s, t in pairs]

    def _nested_targets(self, verb: Token, actors: roles.Actors, sources: list[ActorMatch], *,
                        domestic: bool) -> list[ActorMatch]:
        """The nearest actor inside the verb's objects and prepositional phrases that is not a source
        (nor, unless ``domestic``, of a source's country)."""
        countries = {country_of(s.code, self.lexicon) for s in sources} - {None}
        for head in roles.nested_heads(verb, places=True):
            found = [m for m in actors.of([head]) if m not in sources
                     and (domestic or country_of(m.code, self.lexicon) not in countries)]
            if found:
                return found
        return []

    def _place_sources(self, verb: Token, heads: list[Token], actors: roles.Actors) -> list[ActorMatch]:
        """Source-only coding (PLOVER's reading): an unnamed group ("demonstrators", "students") acting
        in a country is that country's ("students throughout Indonesia staged demonstrations": IDN),
        as PLOVER codes a protest's source. Only the country is taken: "demonstrators in Baghdad"
        are Iraqis, not Iraq's government."""
        for place in roles.place_heads(verb, heads):
            for m in actors.of([place]):
                country = country_of(m.code, self.lexicon)
                if country:
                    return [ActorMatch(country, m.start, m.end, "place", m.entry)]
        return []

    @staticmethod
    def _targets(verb: Token, actors: roles.Actors) -> list[ActorMatch]:
        for heads in roles.object_heads(verb):
            found = actors.of(heads)
            if found:
                return found
        return []

    def _event(self, sdoc: Doc, base: int, index: int, doc_id: str, source: str | None, when: Any,
               src: ActorMatch, tgt: ActorMatch | None, code: str, match: VerbMatch, verb: Token,
               negated: bool) -> CodedEvent:
        def span(start: int, end: int) -> list[int]:
            return [base + sdoc[start].idx, base + sdoc[end - 1].idx + len(sdoc[end - 1].text)]

        entry = lookup(code)
        root = entry.root_code if entry else code[:2]
        src_country = country_of(src.code, self.lexicon)
        tgt_country = country_of(tgt.code, self.lexicon) if tgt else None
        offsets = {"sentence": [base, base + len(sdoc.text)], "source": span(src.start, src.end),
                   "verb": span(verb.i, verb.i + 1)}
        if tgt:
            offsets["target"] = span(tgt.start, tgt.end)
        return CodedEvent(
            doc_id=doc_id, sentence_index=index, sentence=sdoc.text, date=when.date.isoformat() if when.date else None,
            date_precision=when.precision, source_actor=src.code, source_name=sdoc[src.start:src.end].text,
            source_country=src_country, target_actor=tgt.code if tgt else None,
            target_name=sdoc[tgt.start:tgt.end].text if tgt else None,
            target_country=tgt_country, cameo_code=code, root_code=root, negated=negated,
            offsets=offsets, source_entry=src.entry, target_entry=tgt.entry if tgt else None,
            pattern=match.pattern, date_text=when.text,
            doc_source=source, dictionaries=getattr(self.lexicon, "name", ""))
