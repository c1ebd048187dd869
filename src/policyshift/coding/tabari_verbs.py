"""TABARI/PETRARCH verb files: synsets, verb blocks and patterns, matched at a verb of a spaCy Doc.

Format (PETRARCH2 docs/dictionaries.rst): "&NAME" starts a synset whose "+PHRASE" lines follow;
"--- WORD [code] ---" starts a block; the block's verb lines ("ABANDON", "BAN {BANS BANNED}",
"WIRE_+TAP", "+BREAK_DOWN {...}", optionally with their own [code]) share its patterns
"- SAID * SANCTIONS AGAINST + [163]": "*" is the verb, "$" the source, "+" the target, "^" and "%"
skipped words, "&NAME" any phrase of a synset, "_" joins words that must be adjacent, and
"(...)"/"{...}" (PETRARCH2's prepositional and noun phrases) only group words.

We match a pattern as TABARI did, on the words rather than a constituency tree: the words before
"*" must appear in order to the left of the verb, those after it in order to its right, each within
the verb's clause; the pattern with most words wins. "[---]" means the verb alone codes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Token

from policyshift.coding.tabari_actors import guarded, lines, words
from policyshift.errors import InputFileError

_CODE = re.compile(r"\[([^\]]*)\]")


@dataclass
class Pattern:
    code: str
    before: list[list[object]]  # elements right to left; an element is a run of adjacent items
    after: list[list[object]]  # left to right
    text: str
    size: int  # number of words: more words, higher priority


@dataclass
class Verb:
    """One verb line: its main word, the other words of a multi-word verb, its own code."""

    main: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    code: str | None = None
    block: Block | None = None


@dataclass
class Block:
    name: str
    code: str | None
    patterns: list[Pattern] = field(default_factory=list)


def _code(body: str) -> str | None:
    """"[023]" -> 023; "[013:012]" (source and target codes) -> 013; "[:173]" -> 173; "[---]" -> None."""
    parts = [p.strip() for p in body.split(":")]
    code = parts[0] or (parts[1] if len(parts) > 1 else "")
    return None if not code or set(code) <= {"-", "+", "#"} else code.upper()


class VerbIndex:
    def __init__(self) -> None:
        self.synsets: dict[str, list[list[str]]] = {}
        self.forms: dict[str, list[Verb]] = {}  # main word (and irregular forms) -> verbs

    def read(self, path: Path, problems: list[str] | None = None) -> None:
        block: Block | None = None
        synset: str | None = None

        def one(number: int, text: str) -> None:
            nonlocal block, synset
            where = f"{path.name}:{number}"
            s = text.strip()
            if s.startswith("---"):
                m = re.match(r"^---\s*(.+?)\s*\[([^\]]*)\][\s-]*$", s)
                if m is None:
                    raise InputFileError(f"bad verb block header {s!r}", where=where,
                                         fix="write --- VERB [code] --- (with [---] for no code)")
                block, synset = Block(m.group(1).strip("_ "), _code(m.group(2))), None
            elif s.startswith("&"):
                synset = s.split()[0].rstrip("_").upper()
                self.synsets.setdefault(synset, [])
            elif s.startswith("+") and synset is not None:
                self.synsets[synset].append([w.upper() if w.startswith("&") else w
                                             for w in words(s[1:].rstrip("_"))])
            elif s.startswith("-"):
                if block is None:
                    raise InputFileError("a pattern before any verb block", where=where,
                                         fix="put patterns under a --- VERB [code] --- header")
                block.patterns.append(self._pattern(s, where=where))
            else:
                if block is None:
                    raise InputFileError(f"a verb {s!r} before any verb block", where=where,
                                         fix="put verbs under a --- VERB [code] --- header")
                synset = None
                self._verb(s, block, where=where)

        for number, text, _ in lines(path):
            guarded(problems, one, number, text)

    def _verb(self, s: str, block: Block, *, where: str) -> None:
        codes = _CODE.findall(s)
        body = _CODE.sub("", s)
        forms = re.findall(r"\{([^}]*)\}", body)
        head = re.sub(r"\{[^}]*\}", "", body).strip()
        if not head:
            raise InputFileError(f"a verb line with no verb: {s!r}", where=where, fix="write VERB {IRREGULAR FORMS} [code]")
        code = _code(codes[0]) if codes else None
        for form in [head] + [f for group in forms for f in group.split()]:
            ws = words(form.lstrip("+") if form.count("+") == 1 and form.startswith("+") and "_" in form
                       else form)
            if not ws:
                continue
            marked = [k for k, w in enumerate(ws) if w.startswith("+")]
            k = marked[0] if marked else 0  # "WIRE_+TAP": the verb is the marked word; else the first
            ws = tuple(w.lstrip("+") for w in ws)
            verb = Verb(ws[k], ws[:k], ws[k + 1:], code, block)
            self.forms.setdefault(ws[k], []).append(verb)

    def _pattern(self, s: str, *, where: str) -> Pattern:
        codes = _CODE.findall(s)
        if not codes:
            raise InputFileError(f"a pattern with no [code]: {s!r}", where=where, fix="end the pattern with [code]")
        body = _CODE.sub("", s)[1:]
        body = re.sub(r"[(){}]", " ", body)
        items: list[list[object]] = []
        for chunk in body.split():
            parts = [p for p in chunk.split("_") if p]
            items.append([p.upper() if p.startswith("&") else p.lower() for p in parts])
        # Split at the verb "*", which may sit inside a run ("SAID_*", "IN_*").
        before: list[list[object]] = []
        after: list[list[object]] = []
        seen = False
        for run in items:
            if "*" in run:
                k = run.index("*")
                if run[:k]:
                    before.append(run[:k])
                if run[k + 1:]:
                    after.append(run[k + 1:])
                seen = True
            elif seen:
                after.append(run)
            else:
                before.append(run)
        if not seen:
            raise InputFileError(f"a pattern with no verb marker *: {s!r}", where=where,
                                 fix="mark the verb's place with * (e.g. - * SANCTIONS AGAINST + [163])")
        size = sum(1 for run in items for w in run if w not in ("*", "$", "+", "^", "%"))
        return Pattern(_code(codes[0]) or "", before[::-1], after, s[1:].split("[")[0].strip(), size)

    def finish(self) -> None:
        for verbs in self.forms.values():
            for v in verbs:
                if v.block is not None and not getattr(v.block, "_sorted", False):
                    v.block.patterns.sort(key=lambda p: -p.size)
                    v.block._sorted = True  # type: ignore[attr-defined]


def clause(verb: Token) -> tuple[int, int]:
    """The token range a pattern may use: the verb's clause, from its subject to its last object."""
    head = verb
    while head.dep_ in ("xcomp", "ccomp", "conj", "aux", "advcl") and head.head is not head and head.i > head.head.i - 50:
        if head.dep_ == "conj" and head.head.pos_ != "VERB":
            break
        head = head.head
        if head.dep_ not in ("xcomp", "conj"):
            break
    left = min(t.i for t in head.subtree)
    right = max(t.i for t in verb.subtree)
    return left, right + 1


class Matcher:
    """Matches one pattern's words against a sentence around a verb."""

    def __init__(self, doc: Doc, synsets: dict[str, list[list[str]]], verb: Token | None = None) -> None:
        self.doc = doc
        self.verb = verb
        self._own: dict[int, bool] = {}
        self.synsets = synsets
        self.norms = [(t.lower_, t.lemma_.lower()) for t in doc]

    def own(self, i: int) -> bool:
        """Whether token i belongs to the verb's own phrase: the verb's subtree without the clauses
        of other verbs ("said" must not take "sanctions" from "said X would impose sanctions"), or
        the chain of verbs above it ("SAID * ..." patterns, auxiliaries)."""
        if self.verb is None:
            return True
        if i not in self._own:
            verb, tok = self.verb, self.doc[i]
            ok = tok in verb.ancestors or tok.head == verb.head and tok.dep_ in ("aux", "neg", "advmod")
            if not ok:
                t = tok
                for _ in range(12):
                    if t.i == verb.i:
                        ok = True
                        break
                    if (t.pos_ == "VERB" and t.dep_ not in ("amod", "compound")) or t.head is t:
                        break
                    t = t.head
            self._own[i] = ok
        return self._own[i]

    def word_at(self, i: int, w: str) -> bool:
        text, lemma = self.norms[i]
        return w in (text, lemma) or text.replace("-", "") == w.replace("-", "")

    def item_len(self, i: int, item: object, lo: int, hi: int) -> int | None:
        """Tokens the item covers when it starts at i, else None."""
        if not (lo <= i < hi):
            return None
        if item in ("^", "%", "$", "+"):
            return 1
        if isinstance(item, str) and item.startswith("&"):
            best = None
            for phrase in self.synsets.get(item.rstrip("_"), []):
                n = self.run_len(i, phrase, lo, hi)
                if n is not None and (best is None or n > best):
                    best = n
            return best
        return 1 if self.word_at(i, str(item)) else None

    def run_len(self, i: int, run: list, lo: int, hi: int) -> int | None:
        n = 0
        for item in run:
            k = self.item_len(i + n, item, lo, hi)
            if k is None:
                return None
            n += k
        return n

    def forward(self, runs: list[list[object]], start: int, lo: int, hi: int,
                slots: dict[str, tuple[int, int]], used: list[int]) -> bool:
        pos = start
        for run in runs:
            if run in (["$"], ["+"]):
                slots.setdefault(str(run[0]), (pos, 1))
                continue
            if run == ["^"]:
                pos += 1
                continue
            for i in range(pos, hi):
                n = self.run_len(i, run, lo, hi) if self.own(i) else None
                if n is not None:
                    for k, item in enumerate(run):
                        if item in ("$", "+"):
                            slots.setdefault(str(item), (i + k, 1))
                    used.extend(range(i, i + n))
                    pos = i + n
                    break
            else:
                return False
        return True

    def backward(self, runs: list[list[object]], end: int, lo: int, hi: int,
                 slots: dict[str, tuple[int, int]], used: list[int]) -> bool:
        pos = end  # runs are right to left; each must end before pos
        for run in runs:
            if run in (["$"], ["+"]):
                slots.setdefault(str(run[0]), (pos - 1, -1))
                continue
            if run == ["^"]:
                pos -= 1
                continue
            for i in range(pos - 1, lo - 1, -1):
                n = self.run_len(i, run, lo, hi) if self.own(i) else None
                if n is not None and i + n <= pos:
                    used.extend(range(i, i + n))
                    pos = i
                    break
            else:
                return False
        return True
