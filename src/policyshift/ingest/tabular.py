"""policyshift's own layouts: a CSV, or a Parquet file, whose columns are named after the event record.

``policyshift export --parquet`` writes Parquet in exactly the ``schema.EVENT_COLUMNS`` layout and
the Parquet reader reads it back; a CSV with a header naming a subset of the same columns is how a
user brings a data set policyshift has no reader for. Only ``event_id``, ``date`` and
``cameo_code`` are required; a column the record lacks is refused by name (a typo would otherwise
be lost silently). See docs/datasets/policyshift-csv.md.

Ids are kept as given, so a re-ingested export reports every row as a duplicate of the stored
event (``same event id``), not as a new one. The record's provenance columns (``dataset``,
``origin_file``, ``origin_line``, ``batch_id``) are set by the pipeline for the file being read:
those columns of the file are accepted and not stored; ``root_code`` and ``plover`` come from the
codebook, so a file's ``root_code`` is only checked against its ``cameo_code``.

The end of the module holds helpers the header-named CSV readers (ACLED, Cline Center Phoenix)
share: reading a file's header before its rows, adding absent optional columns, and resolving
codes through a lookup table in SQL.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from policyshift.errors import InputFileError
from policyshift.ingest.base import CSV_CHUNK_ROWS, Check, Field, Head, RawChunk, Reader, csv_chunks
from policyshift.ingest.source import Source
from policyshift.schema import EVENT_COLUMN_NAMES

REQUIRED = ("event_id", "date", "cameo_code")
# Filled by the pipeline (provenance) or from the codebook: accepted in a file, not read from it.
NOT_READ = ("dataset", "origin_file", "origin_line", "batch_id", "root_code", "plover")
READ = tuple(c for c in EVENT_COLUMN_NAMES if c not in NOT_READ)


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _code(column: str) -> str:
    return f"nullif(trim({_q(column)}), '')"


def _text(column: str) -> str:
    # Free text (sentences, offsets JSON) is kept byte for byte: only an empty value becomes NULL.
    return f"nullif({_q(column)}, '')"


def _number(column: str, sql_type: str = "DOUBLE") -> str:
    return f"TRY_CAST({_code(column)} AS {sql_type})"


_PRECISION = "coalesce(lower(nullif(trim(date_precision), '')), 'day')"
# A full date always; YYYY-MM and YYYY only where the precision says that is all that is known.
_PARSED = rf"""CASE
    WHEN regexp_full_match(trim("date"), '\d{{4}}-\d{{2}}-\d{{2}}') THEN try_strptime(trim("date"), '%Y-%m-%d')
    WHEN {_PRECISION} IN ('month', 'year') AND regexp_full_match(trim("date"), '\d{{4}}-\d{{2}}')
        THEN try_strptime(trim("date") || '-01', '%Y-%m-%d')
    WHEN {_PRECISION} = 'year' AND regexp_full_match(trim("date"), '\d{{4}}')
        THEN try_strptime(trim("date") || '-01-01', '%Y-%m-%d')
    END"""
# The record stores a month- or year-precision date as the first day of its period.
_DATE = f"""CAST(CASE {_PRECISION}
    WHEN 'month' THEN date_trunc('month', {_PARSED})
    WHEN 'year' THEN date_trunc('year', {_PARSED})
    ELSE {_PARSED} END AS DATE)"""

FIELDS: dict[str, Field] = {
    "event_id": Field(_code("event_id"), "event_id"),
    "date": Field(_DATE, "date", "YYYY-MM-DD (YYYY-MM with month precision, YYYY with year precision)"),
    "date_precision": Field(_PRECISION, "date_precision"),
    **{name: Field(_code(name), name) for name in (
        "source_actor", "source_name", "source_country", "source_sector",
        "target_actor", "target_name", "target_country", "target_sector", "cameo_code",
        "location_country", "location_name", "origin_record_id", "origin_url")},
    "quad_class": Field(_number("quad_class", "TINYINT"), "quad_class"),
    "goldstein": Field(_number("goldstein"), "goldstein"),
    "lat": Field(_number("lat"), "lat"),
    "lon": Field(_number("lon"), "lon"),
    **{name: Field(_text(name), name) for name in ("origin_document", "origin_sentence", "origin_offsets")},
    "confidence": Field(_number("confidence"), "confidence"),
}
assert set(FIELDS) == set(READ), "every record column a file may give is read"

CHECKS = (
    Check("root_code",
          "nullif(trim(root_code), '') IS NOT NULL AND nullif(trim(cameo_code), '') IS NOT NULL "
          "AND NOT starts_with(trim(cameo_code), trim(root_code))",
          "root_code is not the first two digits of cameo_code (the store derives it from cameo_code: "
          "fix it or drop the column)"),
)


def check_columns(columns: Sequence[str], where: str, holder: str = "the header") -> None:
    """Refuse columns that lack a required one or name one the event record does not have."""
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputFileError(f"{holder} lacks {', '.join(missing)}", where=where,
                             fix="policyshift's own layout needs event_id, date and cameo_code; "
                                 "see docs/datasets/policyshift-csv.md")
    unknown = [c for c in columns if c not in EVENT_COLUMN_NAMES]
    if unknown:
        raise InputFileError(f"{holder} names columns the event record does not have: {', '.join(unknown)}",
                             where=where,
                             fix=f"rename or drop them; the columns are {', '.join(EVENT_COLUMN_NAMES)}")
    doubled = sorted({c for c in columns if list(columns).count(c) > 1})
    if doubled:
        raise InputFileError(f"{holder} names {', '.join(doubled)} more than once", where=where,
                             fix="keep one column of each name")


class CsvReader(Reader):
    name = "csv"
    title = "a CSV in policyshift's event layout (header with event_id, date, cameo_code, ...)"
    fields = FIELDS
    checks = CHECKS
    delimiter = ","

    def sniff(self, head: Head) -> str | None:
        columns = header_of(head.data)
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            return f"its header lacks {', '.join(missing)}"
        return None  # unknown columns are refused by chunks(), with the message that names them

    def chunks(self, source: Source, stream: BinaryIO) -> Iterator[RawChunk]:
        head, stream = peek(stream)
        check_columns(header_of(head), f"{source.name}:1")
        for chunk in csv_chunks(stream, source=source, required=REQUIRED):
            yield with_columns(chunk, READ + ("root_code",))


class ParquetReader(Reader):
    """Parquet, read with pyarrow from the path (the pipeline's stream is not seekable)."""

    name = "parquet"
    title = "a Parquet file in policyshift's event layout (policyshift export --parquet)"
    fields = FIELDS
    checks = CHECKS
    delimiter = ","

    def sniff(self, head: Head) -> str | None:
        return None  # routed here by its magic bytes; the schema is checked when it is opened

    def chunks(self, source: Source, stream: BinaryIO) -> Iterator[RawChunk]:
        try:
            parquet = pq.ParquetFile(source.path)
        except (pa.ArrowException, OSError) as e:
            raise InputFileError(f"is not a readable Parquet file ({e})", where=source.name,
                                 fix="re-export it; a partial copy truncates the footer") from None
        check_columns(parquet.schema_arrow.names, source.name, "the Parquet schema")
        line = 1
        for batch in _batches(parquet, source):
            table = _as_strings(pa.Table.from_batches([batch]), source)
            n = table.num_rows
            table = table.append_column("_line", pa.array(range(line, line + n), pa.int64()))
            line += n
            yield with_columns(RawChunk(table), READ + ("root_code",))


def _batches(parquet: pq.ParquetFile, source: Source) -> Iterator[pa.RecordBatch]:
    """The file's row batches; a corrupt page is an error naming the file, not a crash."""
    batches = parquet.iter_batches(batch_size=CSV_CHUNK_ROWS)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pa.ArrowException, OSError) as e:
            raise InputFileError(f"a part of the Parquet file cannot be read ({e})", where=source.name,
                                 fix="re-export it; nothing from this file was stored") from None
        yield batch


def _as_strings(table: pa.Table, source: Source) -> pa.Table:
    """Every column as text, as the reader's SQL expects; dates as ISO, numbers in round-trip form."""
    columns = []
    for name, column in zip(table.column_names, table.columns):
        if pa.types.is_timestamp(column.type):
            column = pc.strftime(column, format="%Y-%m-%d")
        try:
            columns.append(pc.cast(column, pa.string()))
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            raise InputFileError(f"column {name} is of type {column.type}, which has no text form",
                                 where=source.name,
                                 fix="write it as text, a number or a date (policyshift export does)") from None
    return pa.Table.from_arrays(columns, names=table.column_names)


# ---------------------------------------------------------------------------------------------
# Helpers shared by the readers of header-named CSV files.


def header_of(data: bytes, delimiter: str = ",") -> list[str]:
    """The column names in the first line of ``data`` (a file's first bytes), trimmed, BOM removed."""
    line = data.decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    try:
        first = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a stray carriage return or quote: no header this reader knows
        return []
    return [c.strip() for c in first]


class _Replay(io.RawIOBase):
    """A stream whose first bytes were already read: gives them back, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def peek(stream: BinaryIO, size: int = 64 * 1024) -> tuple[bytes, BinaryIO]:
    """The first ``size`` bytes of ``stream``, and a stream that still yields them."""
    head = stream.read(size)
    return head, io.BufferedReader(_Replay(head, stream), buffer_size=1 << 20)  # type: ignore[arg-type]


def with_columns(chunk: RawChunk, names: Iterable[str], rename: Mapping[str, str] | None = None) -> RawChunk:
    """The chunk with ``rename`` applied and every column of ``names`` it lacks added, empty.

    One SQL then serves every vintage of a layout; the quarantine's raw text of a row from a file
    without such a column ends with empty values for it.
    """
    table = chunk.table
    if table is None:
        return chunk
    if rename:
        table = table.rename_columns([rename.get(c, c) for c in table.column_names])
    for name in names:
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    return RawChunk(table, chunk.bad)


def lookup_sql(keys: str | Sequence[str], table: Mapping[str, str]) -> str:
    """SQL for the value ``table`` gives the first of ``keys`` (SQL expressions) it has; else NULL.

    The table is written into the statement as two constant strings, split into rows by DuckDB:
    a VALUES list of the same table takes DuckDB six times as long to plan, for every chunk. Keys
    and values are our own reference data (country names, ISO codes), never input.
    """
    if not isinstance(keys, str):
        return "coalesce(" + ", ".join(lookup_sql(k, table) for k in keys) + ")"
    pairs = sorted(table.items())
    assert not any(_SEP in k or _SEP in v for k, v in pairs), "the separator is in the table"
    split = "unnest(string_split({}, chr(31)))"
    names = split.format(_literal(_SEP.join(k for k, _ in pairs)))
    values = split.format(_literal(_SEP.join(v for _, v in pairs)))
    return f"(SELECT _t.v FROM (SELECT {names} AS k, {values} AS v) AS _t WHERE _t.k = {keys})"


_SEP = chr(31)  # ASCII unit separator: in no name or code


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def place_sql(parts: Sequence[str]) -> str:
    """SQL joining place names (SQL expressions, fine to coarse) with ", ", dropping repeats.

    "Kabul, Kabul, Afghanistan" becomes "Kabul, Afghanistan"; NULL when every part is empty.
    """
    shown = [parts[0]]
    for i, part in enumerate(parts[1:], start=1):
        shown.append(f"CASE WHEN NOT list_contains([{', '.join(parts[:i])}], {part}) THEN {part} END")
    return f"nullif(concat_ws(', ', {', '.join(shown)}), '')"
