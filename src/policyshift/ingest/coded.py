"""Events coded from text by ``policyshift code`` (JSONL, one event a line; docs/coding.md).

Each event keeps where it came from: the document id (origin_document), the sentence
(origin_sentence), the character offsets of the sentence, actors and verb with the sentence index
and the dictionary entries that matched (origin_offsets, JSON), and, from the pipeline, the file and
line of the JSONL (origin_file, origin_line). Event ids are ``coded:<doc>:<sentence>:<n>``, so
coding the same documents again and ingesting the result reports duplicates, not new events.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

import pyarrow as pa

from policyshift.ingest.base import BadRow, Check, Field, Head, RawChunk, Reader
from policyshift.ingest.source import Source

REQUIRED = ("event_id", "doc_id", "sentence_index", "cameo_code")
COLUMNS = ("event_id", "doc_id", "sentence_index", "sentence", "date", "date_precision", "source_actor",
           "source_name", "source_country", "source_sector", "target_actor", "target_name", "target_country",
           "target_sector", "cameo_code", "root_code", "provenance", "doc_source")
CHUNK_ROWS = 20_000


def _blank(col: str) -> str:
    return f"nullif(trim({col}), '')"


FIELDS: dict[str, Field] = {
    "event_id": Field(f"'coded:' || {_blank('event_id')}", "event_id"),
    "date": Field("CAST(try_strptime(trim(date), '%Y-%m-%d') AS DATE)", "date", "YYYY-MM-DD"),
    "date_precision": Field("coalesce(lower(nullif(trim(date_precision), '')), 'day')", "date_precision"),
    **{name: Field(_blank(name), name) for name in (
        "source_actor", "source_name", "source_country", "source_sector",
        "target_actor", "target_name", "target_country", "target_sector", "cameo_code")},
    "origin_record_id": Field(_blank("event_id"), "event_id"),
    "origin_document": Field(_blank("doc_id"), "doc_id"),
    "origin_sentence": Field("nullif(sentence, '')", "sentence"),
    "origin_offsets": Field("nullif(provenance, '')", "provenance"),
    "origin_url": Field("CASE WHEN regexp_matches(doc_source, '^https?://') THEN doc_source END", "doc_source"),
}

CHECKS = (
    Check("root_code", "nullif(trim(root_code), '') IS NOT NULL AND nullif(trim(cameo_code), '') IS NOT NULL "
                       "AND NOT starts_with(trim(cameo_code), trim(root_code))",
          "root_code is not the first two digits of cameo_code"),
)


def _row(record: dict) -> list[str | None]:
    provenance = {"sentence_index": record.get("sentence_index"), **(record.get("offsets") or {}),
                  "source_entry": record.get("source_entry"), "target_entry": record.get("target_entry"),
                  "pattern": record.get("pattern"), "negated": record.get("negated"),
                  "dictionaries": record.get("dictionaries")}
    values: list[str | None] = []
    for col in COLUMNS:
        if col == "provenance":
            values.append(json.dumps(provenance, ensure_ascii=False))
            continue
        v = record.get(col)
        values.append(None if v is None else str(v))
    return values


class CodedReader(Reader):
    name = "coded"
    title = "events coded from text by policyshift code (JSONL)"
    fields = FIELDS
    checks = CHECKS

    def sniff(self, head: Head) -> str | None:
        lines = head.lines
        if not lines:
            return "it has no lines"
        try:
            first = json.loads(lines[0])
        except ValueError:
            return "its first line is not JSON"
        if not isinstance(first, dict) or any(k not in first for k in REQUIRED):
            return f"its first line is not a coded event (needs {', '.join(REQUIRED)})"
        return None

    def chunks(self, source: Source, stream: BinaryIO) -> Iterator[RawChunk]:
        rows: list[list[str | None]] = []
        lines: list[int] = []
        bad: list[BadRow] = []
        for n, raw in enumerate(stream, start=1):
            text = raw.decode("utf-8", errors="backslashreplace").rstrip("\r\n")
            if not text.strip():
                bad.append(BadRow(n, "(line)", None, "blank line", ""))
            else:
                try:
                    record = json.loads(text)
                except ValueError as e:
                    record = f"not a JSON object ({e})"
                if isinstance(record, dict):
                    rows.append(_row(record))
                    lines.append(n)
                else:
                    why = record if isinstance(record, str) and record.startswith("not a JSON") else "not a JSON object"
                    bad.append(BadRow(n, "(line)", text[:80], why, text))
            if len(rows) + len(bad) >= CHUNK_ROWS:
                yield self._chunk(rows, lines, bad)
                rows, lines, bad = [], [], []
        if rows or bad:
            yield self._chunk(rows, lines, bad)

    @staticmethod
    def _chunk(rows: list[list[str | None]], lines: list[int], bad: list[BadRow]) -> RawChunk:
        if not rows:
            return RawChunk(None, bad)
        arrays = [pa.array([r[i] for r in rows], type=pa.string()) for i in range(len(COLUMNS))]
        arrays.append(pa.array(lines, type=pa.int64()))
        return RawChunk(pa.Table.from_arrays(arrays, names=[*COLUMNS, "_line"]), bad)
