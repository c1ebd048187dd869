"""Who did it and to whom, from the dependency parse (spaCy's ClearNLP-style labels).

A role is a token (the head of a noun phrase); the actor it stands for is the actor span that holds
it, or one of its modifiers ("Taliban positions", "the American demand", "Musharraf's courage"), or
the object of its "of/on/against" phrase ("sanctions on Pakistan", "the assets of al-Qaeda").
Coordinated heads ("the US and Britain") give one role each.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from policyshift.coding.lexicon import ActorMatch

# Modifiers of a role's head that may name its actor.
_MODIFIERS = ("compound", "amod", "poss", "nmod", "appos")
# Prepositions inside a noun phrase that name whose thing it is, or what it is aimed at.
_NOUN_PREPS = ("of", "on", "against", "to", "for", "with", "from", "between", "among")
# Prepositions of the verb that give a target, in order of preference ("to" first: "hand over X to
# the United States" is aimed at the United States). Place and time ("in", "near", "at", "across",
# "during") never give one.
_VERB_PREPS = ("to", "against", "on", "with", "for", "from", "upon", "toward", "towards", "into", "over", "of",
               "between", "among")
# Prepositions of place: a target only where the event's location may stand for it (nested_heads).
_PLACE_PREPS = {"in", "at", "inside", "within", "near", "across", "around", "outside", "throughout"}
# Words that make the act they govern an intention: "will/would provide", "is ready/willing to
# send", "agreed/offered/promised to hand over".
_FUTURE = {"will", "would", "shall", "'ll"}
_OBLIGED = {"must", "should"}
_POSSIBLE = {"may", "might", "could"}
_INTENT_ADJ = {"ready", "willing", "prepared", "determined", "committed", "eager", "set"}
INTENT_VERBS = {"agree", "offer", "promise", "pledge", "vow", "swear", "plan", "intend", "decide", "commit",
                "undertake"}
# Personal pronouns that, as the subject of a reported clause, stand for the reporter ("Iraq said it
# would allow ...").
_PRONOUNS = {"he", "she", "it", "they", "we"}
# Dependents a last-resort target search does not enter: other clauses, the subject, punctuation.
_NOT_TARGET = {"nsubj", "nsubjpass", "csubj", "relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "punct",
               "aux", "auxpass", "neg", "mark", "cc", "conj", "det", "npadvmod", "advmod", "appos"}


class Actors:
    """The actor spans of one sentence, found by token."""

    def __init__(self, matches: list[ActorMatch]) -> None:
        self.by_token: dict[int, ActorMatch] = {}
        # More actors on the same span: a pronoun standing for several ("Russia and China ... They")
        self.shared: dict[int, list[ActorMatch]] = {}
        for m in matches:
            first = self.by_token.get(m.start)
            if first is not None and (first.start, first.end) == (m.start, m.end):
                self.shared.setdefault(m.start, []).append(m)
                continue
            for i in range(m.start, m.end):
                self.by_token[i] = m

    def at(self, tok: Token, *, depth: int = 0, places: bool = False) -> list[ActorMatch]:
        """The actors a noun phrase headed by ``tok`` names: the one it is part of, else those of
        its modifiers ("American and British forces": two), else that of its "of/on" phrase; with
        ``places`` (a subject), that of its "in" phrase too ("Lawmakers in Fornost and Gondor")."""
        hit = self.by_token.get(tok.i)
        if hit is not None:
            found = [hit, *self.shared.get(hit.start, ())]
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
                if not found and child.dep_ in ("compound", "appos", "nmod"):
                    # "Salaheddine Sidhoum, Algeria's leading activist": the appositive names the country;
                    # "Montenegro Municipality Association officials": so does the modifying name
                    found = self.at(child, depth=depth + 1)
                if found:
                    return found
        for child in tok.children:
            if child.dep_ in ("amod", "acl") and child.lemma_.lower() in TIED:
                found = [m for h in tied_heads(child) for c in conjuncts(h) for m in self.at(c, depth=depth + 1)]
                if found:
                    return found
        for child in tok.children:
            if child.dep_ == "prep" and (child.lower_ in _NOUN_PREPS or places and child.lower_ == "in"):
                for obj in child.children:
                    if obj.dep_ == "pobj":  # "talks between Israel and Syria": both
                        found = []
                        for c in conjuncts(obj):
                            found += [m for m in self.at(c, depth=depth + 1) if m not in found]
                        if found:
                            return found
        return []

    def of(self, heads: list[Token], *, places: bool = False) -> list[ActorMatch]:
        """The distinct actors of some heads and their coordinated heads, in order."""
        out: list[ActorMatch] = []
        for head in heads:
            for tok in conjuncts(head):
                if tok.pos_ == "ADP":  # a dative "to": its object
                    found = [m for o in tok.children if o.dep_ == "pobj" for m in self.at(o)]
                else:
                    found = self.at(tok, places=places)
                out += [m for m in found if m not in out]
        return out


# Participles and adjectives that tie a group to the actor that leads, owns or commands its loyalty:
# "Vietnamese-led forces", "workers affiliated with the Serbian union", "militants loyal to al-Qaeda",
# "farms owned by British citizens". The group or thing is named by that actor. Not "Iran-backed militia"
# (backing is not leading) nor "a London-based group" (where a group sits is not whose it is).
TIED = {"lead", "own", "affiliate", "link", "ally", "allied", "loyal", "belong", "align", "aligned"}
_TIED_PREPS = {"to", "with", "in", "by"}


def tied_heads(tie: Token) -> list[Token]:
    """The actor heads of a tying word: its compound-like modifier ("Vietnamese-led": npadvmod) or the
    object of its preposition ("loyal to al-Qaeda", "led by Iran")."""
    out = [g for g in tie.children if g.dep_ in ("npadvmod", "compound", "nmod", "poss") and g.i < tie.i]
    out += [o for p in tie.children if p.dep_ in ("prep", "agent") and p.lower_ in _TIED_PREPS
            for o in p.children if o.dep_ == "pobj"]
    return out


# Nouns that count or time the act named in their "of" phrase: "held a new round of talks", "launched
# ten days of war games", "carried out a series of raids"; and numbers ("froze $1 billion of assets").
_MEASURES = {"round", "series", "wave", "spate", "string", "flurry", "barrage", "volley", "salvo", "day", "week",
             "month", "hour"}


def lift_measured_objects(doc: Doc) -> None:
    """Make the act of a measuring object the verb's object ("held a round of talks" -> "held talks"),
    so that verb patterns and targets see it. Changes the parse of ``doc`` (a sentence's own copy)."""
    for tok in list(doc):
        measure = tok.lemma_.lower() in _MEASURES or tok.pos_ == "NUM"  # "froze $1 billion of Iranian assets"
        if tok.dep_ != "dobj" or not measure or tok.head.i == tok.i:
            continue
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        act = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None) if of else None
        if act is not None:
            act.head = tok.head
            act.dep_ = "dobj"
            tok.dep_ = "npadvmod"


def conjuncts(tok: Token) -> Iterator[Token]:
    """The token and those coordinated with it ("the US and Britain" -> US, Britain; a list
    without "and" often parses as apposition: "the Northern Alliance, Iran, India")."""
    yield tok
    for child in tok.children:
        if child.dep_ in ("conj", "appos"):
            yield from conjuncts(child)


# Participles that after "be" describe the subject's own stance, not something done to it: "Israel is
# opposed to French mediation" (Israel opposes), "Vietnam is committed to opening up". With no "by"
# agent the passive subject is the actor.
STATIVE_PASSIVES = {"oppose", "commit", "determine", "prepare", "dedicate", "resolve", "engage"}


def is_stative_passive(verb: Token) -> bool:
    return (verb.lemma_.lower() in STATIVE_PASSIVES and any(c.dep_ == "nsubjpass" for c in verb.children)
            and not any(c.dep_ == "agent" for c in verb.children))


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) and not is_stative_passive(verb)


def subject_heads(verb: Token) -> list[Token]:
    """The verb's subjects; a verb coordinated with or governed by another shares its subject."""
    heads = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if not heads and is_stative_passive(verb):
        heads = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if heads:
        return heads
    if verb.dep_ == "xcomp" and verb.head is not verb and is_raising_passive(verb.head):
        # "Pakistan is expected to hand over ...", "Iran was forced to withdraw": the passive's subject
        return [c for c in verb.head.children if c.dep_ == "nsubjpass"]
    # "is ready to contribute": the complement of an adjective shares the subject of its copula
    if verb.dep_ in ("conj", "xcomp", "acomp") and verb.head is not verb:
        return subject_heads(verb.head)
    if verb.dep_ == "advcl" and verb.head is not verb and _is_infinitive(verb):
        return subject_heads(verb.head)  # a purpose clause: "send material to help defend ..."
    if (gov := purpose_governor(verb)) is not None:
        return subject_heads(gov)
    if is_announced_plan(verb):
        return subject_heads(verb.head.head)  # "Japan announced a decision to withdraw ...": Japan withdraws
    root = verb.sent.root
    if verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBN") and root.pos_ in ("NOUN", "PROPN") and root.i < verb.i:
        # A misparse with no verb at the root: "Palestinian youths resorted to ..." read as a noun
        # phrase with a clause; the root noun is the subject.
        return [root]
    if is_participle_clause(verb):
        return subject_heads(verb.head)  # "imposed an embargo on Iraq, accusing it of ..."
    if (verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.dep_ == "dobj"
            and verb.head.head.lemma_.lower() in _ISSUE_VERBS):
        return subject_heads(verb.head.head)  # "issued a statement demanding ...": the issuer demands
    if means_of(verb) is not None:
        return subject_heads(verb.head.head)  # "retaliated by expelling four diplomats"
    return []


# Verbs of putting out a text whose participle says what the text does ("issued a statement condemning").
_ISSUE_VERBS = {"issue", "release", "publish", "put out", "adopt", "pass"}

# Verbs whose act is named by their "by" phrase ("Russia retaliated by expelling ..." is an expulsion),
# and the preposition that introduces it ("youths resorted to throwing stones").
RESPONSE_VERBS = {"retaliate": "by", "respond": "by", "react": "by", "reply": "by", "answer": "by", "resort": "to"}


def is_raising_passive(verb: Token) -> bool:
    """A passive with a subject and no "by" agent whose infinitive complement that subject does
    ("is expected to", "was forced to", "is set to", "was asked to")."""
    return (any(c.dep_ == "nsubjpass" for c in verb.children) and not any(c.dep_ == "nsubj" for c in verb.children)
            and not any(c.dep_ == "agent" for c in verb.children))


# Nouns that name an act decided or planned, and verbs that put one forward: "announced a decision to
# withdraw", "unveiled a plan to cut supplies". The act is the subject's, and an intention.
_PLAN_NOUNS = {"decision", "plan", "intention", "readiness", "willingness", "commitment", "proposal", "offer",
               "pledge", "promise"}
_PUTTING_FORWARD = {"announce", "unveil", "adopt", "approve", "present", "submit", "reveal", "confirm", "declare",
                    "make", "put", "reaffirm", "reiterate", "express", "signal"}


def is_announced_plan(verb: Token) -> bool:
    """The infinitive of a plan the subject puts forward ("announced a decision **to withdraw**")."""
    noun = verb.head
    return (verb.dep_ == "acl" and _is_infinitive(verb) and noun.lemma_.lower() in _PLAN_NOUNS
            and noun.dep_ == "dobj" and noun.head.lemma_.lower() in _PUTTING_FORWARD
            and not any(c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("PROPN", "ADJ")
                        and c.text[:1].isupper() for c in noun.children))  # "the Russian plan": another's


def purpose_head(verb: Token) -> Token | None:
    """The verb an infinitive purpose clause ("crossed into Somalia **to attack** ...") belongs to."""
    if verb.dep_ == "advcl" and _is_infinitive(verb) and verb.head.i != verb.i and verb.head.pos_ == "VERB":
        return verb.head
    return None


# Verbs of sending someone out of a country, whose "from" phrase names who did it in the passive.
EXPELLING = {"expel", "deport", "evict", "banish"}


def origins(verb: Token) -> list[Token]:
    """The objects of a verb's "from" phrases ("were expelled from Iraq")."""
    return [o for p in verb.children if p.dep_ == "prep" and p.lower_ == "from" for o in p.children
            if o.dep_ == "pobj"]


def destinations(verb: Token) -> list[Token]:
    """Where a verb of motion or sending goes: the objects of its "into/to" phrases."""
    return [o for p in verb.children if p.dep_ == "prep" and p.lower_ in ("into", "to")
            for o in p.children if o.dep_ == "pobj"]


def purpose_governor(verb: Token) -> Token | None:
    """For a purpose clause on a verb's object ("were converging for a rally **to protest** ..."), that
    verb, whose subject acts. Not a noun's content ("the demand to surrender bin Laden", "efforts to stop
    a parade": acl, not relcl), whose doer the noun's owner names."""
    if verb.dep_ != "relcl" or not _is_infinitive(verb) or verb.head.dep_ not in ("dobj", "pobj"):
        return None
    gov = verb.head.head
    gov = gov.head if gov.dep_ == "prep" and gov.head is not gov else gov
    return gov if gov.pos_ in ("VERB", "AUX") and gov.i != verb.i else None


def purpose_clauses(verb: Token) -> list[Token]:
    """The purpose clauses on the verb's objects (see purpose_governor)."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [o for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    return [r for o in objects for r in o.children if (g := purpose_governor(r)) is not None and g.i == verb.i]


def _is_infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def is_participle_clause(verb: Token) -> bool:
    """A second act in a participle clause after a comma ("..., accusing it of ..."): an adverbial
    clause in -ing with no subject or marker of its own."""
    return (verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head is not verb and verb.i > verb.head.i
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children)
            and verb.doc[verb.i - 1].text == ",")


def means_of(verb: Token) -> Token | None:
    """The response verb whose act this "by ...ing" phrase names, if any."""
    prep = verb.head
    if (verb.dep_ == "pcomp" and verb.tag_ == "VBG" and prep.dep_ == "prep"
            and RESPONSE_VERBS.get(prep.head.lemma_.lower()) == prep.lower_):
        return prep.head
    return None


def act_by_means(verb: Token) -> Token | None:
    """For a response verb ("retaliated by expelling ..."), the verb of its "by" phrase."""
    prep = RESPONSE_VERBS.get(verb.lemma_.lower())
    if prep is None:
        return None
    return next((g for c in verb.children if c.dep_ == "prep" and c.lower_ == prep
                 for g in c.children if g.dep_ == "pcomp" and g.tag_ == "VBG"), None)


def is_conditional_threat(verb: Token) -> bool:
    """An act announced on a condition the target must meet: "will withdraw its force **unless** ..."."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
               for c in verb.children)


def states_intent(verb: Token, *, future: bool = False) -> bool:
    """Whether the verb's act is stated as an intention rather than done: the complement of "ready
    to", "willing to", "agreed to", "offered to"; with ``future``, a future or conditional auxiliary
    too ("will provide", "would allow")."""
    if future and any(c.dep_ == "aux" and c.lower_ in _FUTURE for c in verb.children):
        return True
    if future and any(c.dep_ == "aux" and c.lower_ in _POSSIBLE for c in verb.children) and not any(
            c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
        return True  # "may halt mediation", "could impose sanctions"; not "may have bombed"
    if is_announced_plan(verb):
        return True
    if verb.dep_ == "xcomp" and verb.head is not verb:
        head = verb.head
        return head.lemma_.lower() in _INTENT_ADJ or (head.pos_ == "VERB" and head.lemma_.lower() in INTENT_VERBS)
    return False


def obliged_clauses(verb: Token) -> list[Token]:
    """Clause complements that say what someone must or should do ("said that China **must** drop
    barriers"), not negated; for a verb of putting out a text, the clause of its object too ("issued a
    reminder to Iraq that it must cooperate")."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    if verb.lemma_.lower() in _ISSUE_VERBS:
        clauses += [c for o in verb.children if o.dep_ == "dobj" for c in o.children
                    if c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
    return [c for c in clauses if c.pos_ in ("VERB", "AUX")
            and any(a.dep_ == "aux" and a.lower_ in _OBLIGED for a in c.children)
            and not any(a.dep_ == "neg" for a in c.children)]


# Verbs of asserting that no verb pattern lists (a dictionary may not): with a clause of what another
# must do, a demand ("the minister reiterated that Libya must hand over the suspects").
_ASSERTING = {"reiterate", "stress", "emphasise", "emphasize", "assert", "insist", "repeat", "maintain", "argue",
              "conclude", "note", "add", "underline", "underscore", "write", "tell"}


def is_unlisted_demand(verb: Token) -> bool:
    """A verb of asserting or of putting out a text whose clause says what someone must do."""
    lemma = verb.lemma_.lower()
    return (lemma in _ASSERTING or lemma in _ISSUE_VERBS) and bool(obliged_clauses(verb))


def is_pronoun(tok: Token) -> bool:
    return tok.lower_ in _PRONOUNS


def is_owned_by_pronoun(tok: Token) -> bool:
    """A noun phrase owned by a pronoun: "their forces", "its troops" (the reporter's own)."""
    return any(c.dep_ == "poss" and c.lower_ in _POSSESSIVES for c in tok.children)


_POSSESSIVES = {"its", "their", "our", "his", "her"}


_QUOTED = {"quote", "report", "cite"}


def reporter_heads(verb: Token) -> list[Token]:
    """For a clause whose subject is a pronoun, the subject of the verb that reports it ("Iraq said
    it would allow ...": Iraq; "Syria says it is willing to withdraw": Syria): the nearest subject
    up the chain of complements that is not itself a pronoun."""
    tok = verb
    for _ in range(8):
        if tok.dep_ not in ("ccomp", "xcomp", "conj", "acomp", "pcomp", "prep") or tok.head is tok:
            return []
        tok = tok.head
        heads = [c for c in tok.children if c.dep_ == "nsubj"]
        if not heads and tok.lemma_.lower() in _QUOTED:  # "Hassan was quoted as saying he would ..."
            heads = [c for c in tok.children if c.dep_ == "nsubjpass"]
        if heads and not all(is_pronoun(h) for h in heads):
            return heads
    return []


def passive_agents(verb: Token) -> list[Token]:
    """The "by" phrase of a passive verb; where the parser hung it on the verb that governs the passive
    clause ("has been accused of misusing funds, much of it believed embezzled, by officials"), that one."""
    found = [obj for c in verb.children if c.dep_ == "agent" for obj in c.children if obj.dep_ == "pobj"]
    if found:
        return found
    found = _by_objects(verb, after=verb.i)
    if not found:  # "was hit with new sanctions by the EU": the "by" phrase hung on the verb's object
        found = [o for p in verb.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"
                 for o in _by_objects(g, after=verb.i)]
    if not found and verb.dep_ == "ccomp" and verb.head is not verb and verb.head.i > verb.i:
        found = _by_objects(verb.head, after=verb.i)
    return found


def _by_objects(tok: Token, *, after: int) -> list[Token]:
    return [o for c in tok.children if c.dep_ == "prep" and c.lower_ == "by" and c.i > after
            for o in c.children if o.dep_ == "pobj" and o.pos_ in ("NOUN", "PROPN")]


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
    if not datives and not to:
        # "handed over three al-Qaeda suspects to the United States", the "to" hung on the object: the
        # recipient still comes first
        to = [o for d in direct for c in d.children if c.dep_ == "prep" and c.lower_ == "to"
              for o in c.children if o.dep_ == "pobj"]
    preps = sorted((c for c in verb.children if c.dep_ == "prep" and c.lower_ in _VERB_PREPS and c.lower_ != "to"),
                   key=lambda c: _VERB_PREPS.index(c.lower_))
    others = [o for c in preps for o in c.children if o.dep_ in ("pobj", "pcomp")]
    return [datives + to, direct, others]


def nested_heads(verb: Token, *, places: bool = False, depth: int = 5) -> list[Token]:
    """Last-resort target heads, nearest first: noun phrases inside the verb's objects and
    prepositional phrases ("offered to host a meeting between X and Y"). With ``places``, place
    phrases too ("contribute troops to a force in Liberia", "lifted a curfew in Montenegro"): the
    event's location stands for its target, as PLOVER codes it. Other clauses and the subject are
    not searched."""
    out: list[Token] = []
    frontier = [verb]
    for _ in range(depth):
        nxt = []
        for tok in frontier:
            for c in tok.children:
                if c.dep_ in _NOT_TARGET or c.i == verb.i:
                    continue
                if c.dep_ == "prep" and c.lower_ in _PLACE_PREPS and not places:
                    continue
                if c.pos_ in ("NOUN", "PROPN") and c not in out:
                    out.append(c)
                nxt.append(c)
        frontier = nxt
    return out


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
    """Clause complements; an infinitive right after the verb that the parser took for an adverbial
    clause is one too ("have sworn to fight until they gain ...": "to fight" as advcl)."""
    return [c for c in verb.children if c.dep_ in ("xcomp", "ccomp")
            or c.dep_ == "advcl" and _is_infinitive(c) and c.left_edge.i == verb.i + 1]


_WHERE_PREPS = ("in", "throughout", "across")


def place_heads(verb: Token, subjects: list[Token]) -> list[Token]:
    """Places where an unnamed subject acted, nearest first: in the subject ("students throughout
    Indonesia"), then on the verb or its object ("people blocked streets in Hong Kong")."""
    out: list[Token] = []
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    # and inside the verb's own phrases: "rioted at a jail in Dili", "was put under investigation in Italy",
    # "was killed in a car bomb explosion in Beirut"
    placed = [o for p in verb.children if p.dep_ in ("prep", "agent") for o in p.children if o.dep_ == "pobj"]
    for tok in [*(t for h in subjects for t in h.subtree), verb, *objects, *placed]:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in _WHERE_PREPS:
                out += [o for o in prep.children if o.dep_ == "pobj"]
    return out
