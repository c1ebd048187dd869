"""TABARI/PETRARCH actor, agent and discard files: reading them and finding their entries in a Doc.

The formats (PETRARCH2's docs/dictionaries.rst, TABARI 0.8 manual): one entry per line, words joined
by "_" or spaces; "+NAME" lines add synonyms to the entry above; codes in brackets, on the same line
or on indented lines below, with date restrictions "[CODE <date]", "[CODE >date]",
"[CODE date-date]" (dates YYMMDD or YYYYMMDD). Agents carry "[~COP]" (appended to the country's
code: "Pakistani police" is PAKCOP) or "[NGO~]" (put before it), "{PLURALS}" and "!MACRO!"
substitutions declared as "!PERSON! = MAN, MEN". PETRARCH does not stem, so a trailing "_" (TABARI's
"exact match") changes nothing: every word matches a token's text or lemma, case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from spacy.tokens import Doc

from policyshift.errors import InputFileError

_CODE = re.compile(r"\[([^\]]*)\]")
# "#" starts a comment, except inside a code block ("[###]", TABARI's discard code).
_COMMENT = re.compile(r"#(?![^\[]*\]).*$")
_RESTRICT = re.compile(r"^(?P<code>[^\s<>\d][^\s<>]*)?\s*(?:(?P<op>[<>])\s*(?P<d>(?:\d{8}|\d{6}))|"
                       r"(?P<lo>(?:\d{8}|\d{6}))\s*-\s*(?P<hi>(?:\d{8}|\d{6})))?$")


def lines(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line number, text without comments, indented?) for each non-empty line of a dictionary."""
    in_xml = False
    with path.open(encoding="utf-8", errors="replace") as f:
        for number, raw in enumerate(f, 1):
            text = raw.rstrip("\n")
            if in_xml:
                if "-->" in text:
                    in_xml = False
                    text = text.split("-->", 1)[1]
                else:
                    continue
            while "<!--" in text:
                head, rest = text.split("<!--", 1)
                if "-->" in rest:
                    text = head + rest.split("-->", 1)[1]
                else:
                    text, in_xml = head, True
            if text.lstrip().startswith("<"):  # "<! -- ... >" one-line comments, XML-ish tags
                continue
            text = _COMMENT.sub("", text).rstrip()
            if text.strip():
                yield number, text, text[:1] in (" ", "\t")


def words(name: str) -> tuple[str, ...]:
    """A dictionary phrase as lowercased words: "GAZA_CITY" and "GAZA CITY" are both (gaza, city)."""
    return tuple(w for w in re.split(r"[_\s]+", name.strip().lower()) if w)


def parse_date(text: str, *, where: str) -> date:
    """YYMMDD (TABARI: 2-digit years, 30-99 are 19xx) or YYYYMMDD."""
    try:
        if len(text) == 6:
            yy = int(text[:2])
            return date(1900 + yy if yy >= 30 else 2000 + yy, int(text[2:4]), int(text[4:6]))
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise InputFileError(f"bad date {text!r} in a date restriction", where=where,
                             fix="write dates as YYYYMMDD (or TABARI's YYMMDD), e.g. [PAKGOV 19991012-20080818]") from None


@dataclass
class Actor:
    """One actor entry: its names and its codes, each optionally limited to a date range."""

    name: str
    codes: list[tuple[str, date | None, date | None]] = field(default_factory=list)
    kind: str = "actor"

    def code_at(self, when: date | None) -> str | None:
        restricted = [c for c in self.codes if c[1] is not None or c[2] is not None]
        default = next((c[0] for c in self.codes if c[1] is None and c[2] is None), None)
        if when is None:
            return default or (restricted[-1][0] if restricted else None)
        for code, lo, hi in restricted:  # the first restriction that holds wins (file order)
            if (lo is None or when >= lo) and (hi is None or when <= hi):
                return code
        return default


def _restriction(body: str, *, where: str) -> tuple[str, date | None, date | None]:
    m = _RESTRICT.match(body.strip())
    if m is None or not m.group("code"):
        raise InputFileError(f"bad actor code block [{body}]", where=where,
                             fix="write [CODE], [CODE <YYYYMMDD], [CODE >YYYYMMDD] or [CODE YYYYMMDD-YYYYMMDD]")
    code = m.group("code").upper()
    if m.group("op") == "<":
        return code, None, _before(parse_date(m.group("d"), where=where))
    if m.group("op") == ">":
        return code, _after(parse_date(m.group("d"), where=where)), None
    if m.group("lo"):
        return code, parse_date(m.group("lo"), where=where), parse_date(m.group("hi"), where=where)
    return code, None, None


def _before(d: date) -> date:
    return date.fromordinal(d.toordinal() - 1)


def _after(d: date) -> date:
    return date.fromordinal(d.toordinal() + 1)


class PhraseIndex:
    """Phrases by first word, longest first, for a left-to-right longest-match scan of a Doc."""

    def __init__(self) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], object]]] = {}

    def add(self, phrase: tuple[str, ...], value: object) -> None:
        if phrase:
            self.by_first.setdefault(phrase[0], []).append((phrase, value))

    def finish(self) -> None:
        for bucket in self.by_first.values():
            bucket.sort(key=lambda p: -len(p[0]))

    def match_at(self, doc: Doc, i: int, norms: list[tuple[str, str]]) -> tuple[int, object] | None:
        """(end, value) of the longest phrase starting at token i."""
        cands = self.by_first.get(norms[i][0], []) + (self.by_first.get(norms[i][1], [])
                                                      if norms[i][1] != norms[i][0] else [])
        best: tuple[int, object] | None = None
        for phrase, value in cands:
            j = i + len(phrase)
            if j > len(doc) or (best is not None and j <= best[0]):
                continue
            # Inner words must match the text; the last may be a plural ("police officers").
            if all(norms[i + k][0] == w or (k == len(phrase) - 1 or k == 0) and norms[i + k][1] == w
                   for k, w in enumerate(phrase)):
                best = (j, value)
        return best


def norms_of(doc: Doc) -> list[tuple[str, str]]:
    """Each token as (lowercased text, lowercased lemma): dictionaries list words both ways."""
    return [(t.lower_, t.lemma_.lower()) for t in doc]


def read_actors(path: Path, index: PhraseIndex, entries: list[Actor], problems: list[str] | None = None) -> None:
    """Add an actor file's entries. With ``problems``, a bad line is noted there and skipped (the
    field's own files have a few, e.g. 7-digit dates); without it, it raises."""
    current: Actor | None = None

    def one(number: int, text: str, indented: bool) -> None:
        nonlocal current
        where = f"{path.name}:{number}"
        stripped = text.strip()
        if indented and stripped.startswith("["):
            if current is None:
                raise InputFileError("a code block with no actor above it", where=where,
                                     fix="put the actor's name on the line before its [CODE] lines")
            for body in _CODE.findall(stripped):
                current.codes.append(_restriction(body, where=where))
            return
        if stripped.startswith("+") and current is not None:
            name, codes = stripped[1:], _CODE.findall(stripped[1:])
            index.add(words(_CODE.sub("", name)), current)
            for body in codes:
                current.codes.append(_restriction(body, where=where))
            return
        if stripped.startswith("+"):
            raise InputFileError("a synonym (+NAME) with no actor above it", where=where,
                                 fix="start an actor entry with its name, then +SYNONYM lines")
        name = _CODE.sub("", stripped).strip()
        if not name:
            raise InputFileError("a code with no actor name", where=where, fix="write NAME [CODE]")
        current = Actor(name)
        entries.append(current)
        index.add(words(name), current)
        for body in _CODE.findall(stripped):
            for part in body.split("/")[:1]:  # "[ELR/GAL]": several actors; the first is kept
                current.codes.append(_restriction(part, where=where))

    for number, text, indented in lines(path):
        guarded(problems, one, number, text, indented)


def guarded(problems: list[str] | None, fn: Callable[..., None], *args: object) -> None:
    try:
        fn(*args)
    except InputFileError as e:
        if problems is None:
            raise
        problems.append(str(e))


@dataclass(frozen=True)
class Agent:
    name: str
    code: str
    prefix: bool  # "[NGO~]": the agent's code goes before the country's


def read_agents(path: Path, index: PhraseIndex, problems: list[str] | None = None) -> None:
    macros: dict[str, list[str]] = {}

    def one(number: int, text: str) -> None:
        where = f"{path.name}:{number}"
        stripped = text.strip()
        m = re.match(r"^(![A-Z0-9_]+!)\s*=\s*(.+)$", stripped)
        if m:
            macros[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            return
        codes = _CODE.findall(stripped)
        if len(codes) != 1 or "~" not in codes[0]:
            raise InputFileError(f"an agent needs one code with ~, got {stripped!r}", where=where,
                                 fix="write NAME [~COP] (appended to the country code) or NAME [NGO~] (put before it)")
        body = codes[0].strip()
        prefix = body.endswith("~")
        agent_code = body.strip("~").strip().upper()
        head = _CODE.sub("", stripped)
        plurals = re.findall(r"\{([^}]*)\}", head)
        name = re.sub(r"\{[^}]*\}", "", head).strip()
        for form in [name] + [p for group in plurals for p in group.split()]:
            for expanded in _expand(form, macros, where=where):
                index.add(words(expanded), Agent(name, agent_code, prefix))

    for number, text, _ in lines(path):
        guarded(problems, one, number, text)


def _expand(form: str, macros: dict[str, list[str]], *, where: str) -> list[str]:
    m = re.search(r"![A-Z0-9_]+!", form)
    if m is None:
        return [form]
    if m.group(0) not in macros:
        raise InputFileError(f"unknown substitution {m.group(0)}", where=where,
                             fix=f"declare it at the top of the file: {m.group(0)} = WORD, WORD")
    return [x for w in macros[m.group(0)] for x in _expand(form[:m.start()] + w + form[m.end():], macros, where=where)]


def read_discards(path: Path) -> list[tuple[str, ...]]:
    """Phrases that discard a sentence; "+" marks story-level ones, which we apply per sentence."""
    return [words(text.strip().lstrip("+")) for _, text, _ in lines(path) if words(text.strip().lstrip("+"))]
