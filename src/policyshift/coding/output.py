"""Coding a file: documents in, events out as JSONL, resumable, bad documents reported and skipped.

With an output file, a checkpoint beside it (``OUT.done``) records each finished document and the
size of the output after its events. A run that stops (killed, a crash) is continued by running the
same command again: the output is cut back to the last checkpoint (so a half-written document's
events are not kept twice), finished documents are skipped, and the rest are coded and appended.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from policyshift.coding.documents import BadDocument, read_documents
from policyshift.coding.engine import CodedEvent, Coder, Document
from policyshift.coding.lexicon import Lexicon
from policyshift.errors import InputFileError


@dataclass
class CodeResult:
    input: str
    output: str | None
    documents: int = 0  # coded in this run
    resumed: int = 0  # skipped as done by an earlier run
    events: int = 0
    sentences: int = 0
    bad: list[BadDocument] = field(default_factory=list)
    ingest: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"input": self.input, "output": self.output, "documents": self.documents, "resumed": self.resumed,
                "events": self.events, "sentences": self.sentences,
                "bad_documents": [str(b) for b in self.bad], "ingest": self.ingest}


def event_records(document: Document, events: list[CodedEvent]) -> Iterator[dict[str, Any]]:
    """The JSONL records of a document's events, each with its event id ``doc:sentence:n``."""
    per_sentence: dict[int, int] = {}
    for event in events:
        n = per_sentence.get(event.sentence_index, 0)
        per_sentence[event.sentence_index] = n + 1
        yield {"event_id": f"{document.id}:{event.sentence_index}:{n}", **event.as_dict()}


def checkpoint_path(out: Path) -> Path:
    return out.with_name(out.name + ".done")


def _resume(out: Path) -> tuple[set[str], int]:
    """Documents done by an earlier run, and the output size after the last of them."""
    done: set[str] = set()
    size = 0
    check = checkpoint_path(out)
    if check.exists() and out.exists():
        for line in check.read_text(encoding="utf-8").splitlines():
            doc_id, _, at = line.rpartition("\t")
            if doc_id and at.isdigit():
                done.add(doc_id)
                size = int(at)
    return done, size


def _good(path: Path, date: date | None, done: set[str], result: CodeResult,
          on_bad: Callable[[BadDocument], None] | None) -> Iterable[Document]:
    """The documents to code: bad ones reported (and counted), ones done by an earlier run skipped."""
    seen: set[str] = set()
    for item in read_documents(path, date=date):
        if not isinstance(item, BadDocument) and item.id in seen:
            item = BadDocument(item.where or path.name, item.id, "the id is used by an earlier document")
        if isinstance(item, BadDocument):
            result.bad.append(item)
            if on_bad:
                on_bad(item)
            continue
        seen.add(item.id)
        if item.id in done:
            result.resumed += 1
            continue
        yield item


def code_file(path: str | Path, *, out: str | Path | None = None, lexicon: Lexicon | None = None,
              coder: Coder | None = None, date: date | None = None,
              progress: Callable[[int, int], None] | None = None,
              on_bad: Callable[[BadDocument], None] | None = None, stream: IO[str] | None = None) -> CodeResult:
    """Code every document of ``path``, writing events as JSONL to ``out`` (or ``stream``, default stdout).

    ``date`` dates a single-document file. A bad document is passed to ``on_bad`` and skipped.
    """
    path = Path(path)
    if coder is None:
        if lexicon is None:
            from policyshift.coding.dictionaries import load

            lexicon = load()
        coder = Coder(lexicon)
    result = CodeResult(str(path), str(out) if out else None)
    total = path.stat().st_size if path.exists() else 0
    with ExitStack() as stack:
        done: set[str] = set()
        check: IO[str] | None = None
        if out is not None:
            out = Path(out)
            if out.resolve() == path.resolve():
                raise InputFileError("the output would overwrite the input", where=str(out),
                                     fix="choose another --out")
            done, size = _resume(out)
            if not done and out.exists() and out.stat().st_size and not checkpoint_path(out).exists():
                raise InputFileError("exists and was not written by policyshift code (it has no checkpoint "
                                     f"{checkpoint_path(out).name} beside it)", where=str(out),
                                     fix="choose another --out, or remove the file to overwrite it")
            if not done:
                out.write_text("", encoding="utf-8")
                checkpoint_path(out).write_text("", encoding="utf-8")
            else:
                with open(out, "r+b") as f:
                    f.truncate(size)  # drop what a stopped run wrote after its last checkpoint
            sink: IO[str] = stack.enter_context(open(out, "a", encoding="utf-8"))
            check = stack.enter_context(open(checkpoint_path(out), "a", encoding="utf-8"))
        else:
            sink = stream or sys.stdout
        before = coder.sentences
        for document, events in coder.code_documents(_good(path, date, done, result, on_bad)):
            for record in event_records(document, events):
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            result.documents += 1
            result.events += len(events)
            if check is not None:
                sink.flush()
                check.write(f"{document.id}\t{os.fstat(sink.fileno()).st_size}\n")
                check.flush()
            if progress:
                progress(document.end, total)
        result.sentences = coder.sentences - before
    return result


__all__ = ["CodeResult", "checkpoint_path", "code_file", "event_records"]
