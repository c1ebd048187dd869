"""The reader contract every source implements, and the two chunkers readers are built from.

A reader turns a file into chunks of raw rows (every value a string, plus the line it came from)
and says, in SQL over those raw columns, how each field of the event record is computed and which
rows are bad. The pipeline (pipeline.py) runs that SQL in DuckDB, vectorised, one chunk at a time,
inside the file's transaction. Adding a source is one module and one line in ``READERS``.
"""

from __future__ import annotations

import csv
import io
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from policyshift.errors import InputFileError
from policyshift.ingest.source import Source

# Big enough that DuckDB's per-statement costs and the duplicate check's scan of the store are
# paid rarely; small enough that a chunk in flight (raw, parsed, staged) costs a few hundred MB.
CHUNK_BYTES = 64 * 1024 * 1024
CSV_CHUNK_ROWS = 50_000


@dataclass(frozen=True)
class Field:
    """How one field of the event record is computed from the raw columns.

    ``sql`` is a DuckDB expression over the raw columns (all VARCHAR); ``raw`` names the raw column
    that errors quote; ``expect`` describes a valid value, for error messages.
    """

    sql: str
    raw: str | None = None
    expect: str | None = None


@dataclass(frozen=True)
class Check:
    """A source-specific rule: rows where ``bad_sql`` is true are quarantined with ``reason``."""

    field: str
    bad_sql: str
    reason: str


@dataclass(frozen=True)
class BadRow:
    """A row that never reached SQL (wrong column count, invalid UTF-8, blank line)."""

    line: int
    field: str
    value: str | None
    reason: str
    raw: str | None


@dataclass
class RawChunk:
    """Raw rows as strings (Arrow), with ``_line`` (int64), and the rows rejected before SQL."""

    table: pa.Table | None
    bad: list[BadRow] = field(default_factory=list)

    @property
    def records(self) -> int:
        return (self.table.num_rows if self.table is not None else 0) + len(self.bad)


@dataclass(frozen=True)
class Head:
    """The start of a file's decompressed content, for sniffing."""

    data: bytes

    @property
    def lines(self) -> list[str]:
        text = self.data.decode("utf-8", errors="replace")
        lines = text.splitlines()
        if len(self.data) >= 4096 and not text.endswith(("\n", "\r")) and len(lines) > 1:
            lines = lines[:-1]  # the last line may be cut
        return [ln for ln in lines if ln.strip()]


class Reader(ABC):
    """One event data set. Subclasses set the class attributes and implement ``chunks``.

    During an ingest, ``delimited_chunks`` parses only the raw columns that ``fields`` and
    ``checks`` name (see ``ChunkerHints``): Python code a reader runs over its chunks must use no
    other column.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    fields: ClassVar[dict[str, Field]]
    checks: ClassVar[Sequence[Check]] = ()
    delimiter: ClassVar[str] = "\t"

    @abstractmethod
    def sniff(self, head: Head) -> str | None:
        """None when ``head`` looks like this data set; otherwise why it does not."""

    @abstractmethod
    def chunks(self, source: Source, stream: BinaryIO) -> Iterator[RawChunk]:
        """The file's rows, in order, as raw chunks."""


# ---------------------------------------------------------------------------------------------
# Chunker 1: delimited text without quoting (GDELT, ICEWS, Phoenix). Fast path through Arrow's
# C++ CSV parser; a chunk with any irregular line goes through the exact Python path instead.


def _read_chunks(stream: BinaryIO, size: int) -> Iterator[bytearray]:
    """Blocks of whole lines.

    Each block is read straight into its own buffer and cut in place at its last line end: one copy
    of the data instead of three (concatenating the carried-over part, then slicing).
    """
    rest = b""
    while True:
        block = bytearray(len(rest) + size)
        block[: len(rest)] = rest
        filled = len(rest) + _read_into(stream, block, len(rest))
        at_end = filled < len(block)
        del block[filled:]
        if at_end:
            if block:
                if not block.endswith(b"\n"):
                    block += b"\n"
                yield block
            return
        cut = block.rfind(b"\n")
        if cut < 0:
            rest = bytes(block)
            continue
        rest = bytes(block[cut + 1:])
        del block[cut + 1:]
        yield block


def _read_into(stream: BinaryIO, buffer: bytearray, start: int) -> int:
    """Fill ``buffer`` from ``start`` (short only at the end of the stream); the bytes read."""
    view = memoryview(buffer)
    filled = start
    try:
        while filled < len(buffer):
            try:
                n = stream.readinto(view[filled:])  # type: ignore[attr-defined]
            except (AttributeError, NotImplementedError, io.UnsupportedOperation):
                data = stream.read(len(buffer) - filled)
                view[filled: filled + len(data)] = data
                n = len(data)
            if not n:
                break
            filled += n
    finally:
        view.release()
    return filled - start


def _string_table(columns: Sequence[str], data: list[list[str | None]], lines: Sequence[int]) -> pa.Table:
    arrays = [pa.array(col, type=pa.string()) for col in data]
    arrays.append(pa.array(lines, type=pa.int64()))
    return pa.Table.from_arrays(arrays, names=[*columns, "_line"])


class ChunkerHints:
    """What the pipeline tells the chunkers about one file's ingest, and asks of them.

    ``wanted`` names (case-insensitively) the raw columns the reader's SQL uses; the fast path
    parses only those, the other columns of a chunk coming out null. (Converting a string column
    is most of Arrow's parsing cost, and a GDELT row has 61 where the SQL reads 25.) A reader's
    Python code over its chunks must therefore use only the columns its fields and checks name.

    ``line_text`` gives the text of a line of the block the current chunk came from, so that a
    quarantined row keeps its raw text whole though some of its columns were never parsed.
    """

    def __init__(self, wanted: Collection[str] | None) -> None:
        self.wanted = None if wanted is None else {w.lower() for w in wanted}
        self._block: bytes | bytearray = b""
        self._first_line = 0
        self._ends: np.ndarray | None = None

    def _hold(self, block: bytes | bytearray, first_line: int) -> None:
        self._block, self._first_line, self._ends = block, first_line, None

    def line_text(self, line: int) -> str | None:
        """The line as the file has it (without its line end); None when not in the block in hand."""
        if self._ends is None:
            self._ends = np.flatnonzero(np.frombuffer(self._block, dtype=np.uint8) == 10)
        i = line - self._first_line
        if not 0 <= i < len(self._ends):
            return None
        start = int(self._ends[i - 1]) + 1 if i else 0
        return bytes(self._block[start:int(self._ends[i])]).rstrip(b"\r").decode("utf-8", "backslashreplace")


_HINTS: ContextVar[ChunkerHints | None] = ContextVar("policyshift_chunker_hints", default=None)


@contextmanager
def chunker_hints(wanted: Collection[str] | None) -> Iterator[ChunkerHints]:
    """Within: delimited_chunks parses only the ``wanted`` columns and keeps each block's text."""
    hints = ChunkerHints(wanted)
    token = _HINTS.set(hints)
    try:
        yield hints
    finally:
        _HINTS.reset(token)


def delimited_chunks(stream: BinaryIO, *, layouts: dict[int, Sequence[str]], delimiter: str = "\t",
                     header: bool = False, first_line: int = 1,
                     chunk_bytes: int | None = None) -> Iterator[RawChunk]:
    """Rows of a delimited file with no quoting.

    ``layouts`` maps an accepted column count to its column names; every chunk comes out in the
    widest layout, narrower rows padded with nulls (GDELT 1.0's 57- and 58-column rows). Under
    ``chunker_hints`` (the pipeline's), columns the reader does not use come out null.
    """
    target = max(layouts.items())[1]
    line_no = first_line
    delim = delimiter.encode()
    hints = _HINTS.get()
    wanted = None if hints is None or hints.wanted is None else hints.wanted.__contains__
    for block in _read_chunks(stream, chunk_bytes or CHUNK_BYTES):
        if header and line_no == first_line:
            cut = block.index(b"\n") + 1
            block, line_no = block[cut:], line_no + 1
            if not block:
                continue
        if hints is not None:
            hints._hold(block, line_no)
        n_lines = block.count(b"\n")
        table = _fast_parse(block, n_lines, layouts, delimiter, wanted)
        if table is not None:
            table = table.append_column("_line", pa.array(np.arange(line_no, line_no + n_lines)))
            yield RawChunk(table)
        else:
            yield _exact_parse(block, line_no, layouts, target, delim)
        line_no += n_lines


# Arrow takes a blank line for a row of empty values; the exact path calls it a bad row. (One
# regular-expression pass: two substring searches cost four times as much.)
_BLANK_LINE = re.compile(rb"\n\r?\n")


def _fast_parse(block: bytes | bytearray, n_lines: int, layouts: dict[int, Sequence[str]],
                delimiter: str, wanted: Callable[[str], bool] | None = None) -> pa.Table | None:
    """Arrow's parser, when every line of the block has the layout of the first; else None.

    With ``wanted``, only the columns whose lower-cased name it accepts are converted (the others
    come out null); the whole block is still checked to be UTF-8.
    """
    if _BLANK_LINE.search(block) or block.startswith((b"\n", b"\r\n")):
        return None
    first = block[: block.index(b"\n")]
    count = first.count(delimiter.encode()) + 1
    if count not in layouts:
        return None
    names = list(layouts[count])
    parsed = names if wanted is None else [n for n in names if wanted(n.lower())]
    if len(parsed) < len(names) and not _is_utf8(block):
        return None  # the exact path says which line
    irregular = False

    def on_invalid(_row: object) -> str:
        nonlocal irregular
        irregular = True
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(block),  # no copy (io.BytesIO copies a bytearray)
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False, escape_char=False,
                                             newlines_in_values=False, ignore_empty_lines=False,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in parsed},
                                                 include_columns=parsed, strings_can_be_null=False,
                                                 check_utf8=True))
    except pa.ArrowInvalid:
        return None  # invalid UTF-8 and the like: the exact path says which line
    if irregular or table.num_rows != n_lines:
        return None
    widest = max(layouts.items())[1]
    for name in widest:
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    return table.select(list(widest))


def _is_utf8(data: bytes | bytearray) -> bool:
    """Whether ``data`` is valid UTF-8 (Arrow's validation: no Python string is made)."""
    offsets = pa.array([0, len(data)], type=pa.int64()).buffers()[1]
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _exact_parse(block: bytes | bytearray, line_no: int, layouts: dict[int, Sequence[str]],
                 target: Sequence[str], delim: bytes) -> RawChunk:
    """Line by line: every irregular line becomes a BadRow naming its line and why."""
    width = len(target)
    data: list[list[str | None]] = [[] for _ in target]
    lines: list[int] = []
    bad: list[BadRow] = []
    expected = " or ".join(str(n) for n in sorted(layouts))
    for offset, raw in enumerate(bytes(block).split(b"\n")[:-1]):
        n = line_no + offset
        raw = raw.rstrip(b"\r")
        if not raw.strip():
            bad.append(BadRow(n, "(line)", None, "blank line", ""))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            bad.append(_utf8_bad_row(n, raw, delim, target, e))
            continue
        values = text.split(delim.decode())
        if len(values) not in layouts:
            bad.append(BadRow(n, "(row)", str(len(values)),
                              f"has {len(values)} columns where this data set has {expected}", text))
            continue
        names = layouts[len(values)]
        by_name = dict(zip(names, values))
        for i, col in enumerate(target):
            data[i].append(by_name.get(col))
        lines.append(n)
    table = _string_table(target, data, lines) if lines else None
    assert width == len(data)
    return RawChunk(table, bad)


def _utf8_bad_row(n: int, raw: bytes, delim: bytes, names: Sequence[str], e: UnicodeDecodeError) -> BadRow:
    values = raw.split(delim)
    column = "(row)"
    value = raw.decode("utf-8", errors="backslashreplace")
    for i, v in enumerate(values):
        try:
            v.decode("utf-8")
        except UnicodeDecodeError:
            column = names[i] if i < len(names) else f"column {i + 1}"
            value = v.decode("utf-8", errors="backslashreplace")
            break
    return BadRow(n, column, value, f"invalid UTF-8 (byte 0x{raw[e.start]:02x}); the file must be UTF-8",
                  raw.decode("utf-8", errors="backslashreplace"))


# ---------------------------------------------------------------------------------------------
# Chunker 2: quoted CSV (UCDP, ACLED, policyshift's own CSV): Python's csv module, which handles
# quoted multi-line fields and CRLF, and knows the line each record starts on.

_SURROGATE = re.compile("[\udc80-\udcff]")


def _records(reader: csv._reader, source: Source) -> Iterator[list[str]]:
    """The reader's records; one the csv module cannot parse is an error that names its first line.

    (A quote that is never closed swallows the lines after it until the field passes csv's size
    limit.)
    """
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise InputFileError(f"the record that starts here cannot be read ({e}); a quote that is never "
                                 "closed runs on through the lines after it", where=f"{source.name}:{start}",
                                 fix="close or remove the stray quote, then ingest the file again") from None
        yield record


def csv_chunks(stream: BinaryIO, *, source: Source, required: Sequence[str], delimiter: str = ",",
               skip_record: callable[[list[str]], bool] | None = None,  # type: ignore[valid-type]
               chunk_rows: int = CSV_CHUNK_ROWS) -> Iterator[RawChunk]:
    """Records of a CSV file with a header row; columns named by the header.

    ``required`` header columns must be present. ``skip_record`` drops non-data records that a
    format defines (HXL hashtag rows); they are not counted as read.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(_records(reader, source))
    except StopIteration:
        raise InputFileError("the file has no header row", where=source.name,
                             fix="this data set's files start with a header line") from None
    header = [h.lstrip("\ufeff").strip() for h in header]
    if any(_SURROGATE.search(h) for h in header):
        raise InputFileError("the header row is not valid UTF-8", where=f"{source.name}:1",
                             fix="the file must be UTF-8; re-save it as UTF-8")
    missing = [c for c in required if c not in header]
    if missing:
        raise InputFileError(f"the header lacks {', '.join(missing)}", where=f"{source.name}:1",
                             fix="check --dataset; the header must name these columns")
    width = len(header)
    data: list[list[str | None]] = [[] for _ in header]
    lines: list[int] = []
    bad: list[BadRow] = []
    start = reader.line_num + 1
    for record in _records(reader, source):
        n, start = start, reader.line_num + 1
        if skip_record and skip_record(record):
            continue
        raw = delimiter.join(record)
        if not record or (len(record) == 1 and not record[0].strip()):
            bad.append(BadRow(n, "(line)", None, "blank line", ""))
        elif _SURROGATE.search(raw):
            i = next(i for i, v in enumerate(record) if _SURROGATE.search(v))
            col = header[i] if i < width else f"column {i + 1}"
            shown = record[i].encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            bad.append(BadRow(n, col, shown, "invalid UTF-8; the file must be UTF-8",
                              raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")))
        elif len(record) != width:
            bad.append(BadRow(n, "(row)", str(len(record)),
                              f"has {len(record)} columns where the header has {width}", raw))
        else:
            for i, v in enumerate(record):
                data[i].append(v)
            lines.append(n)
        if len(lines) + len(bad) >= chunk_rows:
            yield RawChunk(_string_table(header, data, lines) if lines else None, bad)
            data, lines, bad = [[] for _ in header], [], []
    if lines or bad:
        yield RawChunk(_string_table(header, data, lines) if lines else None, bad)
