"""Opening an input file: compression by content (plain, gzip, zip), hashing, progress."""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from policyshift.errors import InputFileError

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
PARQUET_MAGIC = b"PAR1"
HEAD_BYTES = 256 * 1024

Progress = Callable[[int], None]


class _CountingHashingReader(io.RawIOBase):
    """Wraps the on-disk file: hashes and counts every byte read from it."""

    def __init__(self, raw: BinaryIO, hasher: hashlib._Hash, progress: Progress | None) -> None:
        self._raw = raw
        self._hasher = hasher
        self._progress = progress
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self._hasher.update(memoryview(buffer)[:n])
            self.bytes_read += n
            if self._progress:
                self._progress(self.bytes_read)
        return n or 0


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Source:
    """One input file. ``open()`` yields its decompressed bytes; the hash is of the file on disk."""

    path: Path
    size: int
    compression: str  # "none", "gzip", "zip", "parquet"
    member: str | None = None  # the data file inside a zip
    _hasher: hashlib._Hash = field(default_factory=hashlib.sha256, repr=False)
    _counted: _CountingHashingReader | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return str(self.path) + (f"!{self.member}" if self.member else "")

    @classmethod
    def inspect(cls, path: Path) -> Source:
        if not path.exists():
            raise InputFileError("no such file", where=str(path), fix="check the path")
        if path.is_dir():
            raise InputFileError("is a folder, not a file", where=str(path),
                                 fix="pass the files inside it (e.g. folder/*.CSV)")
        size = path.stat().st_size
        if size == 0:
            raise InputFileError("the file is empty (0 bytes)", where=str(path),
                                 fix="re-download it or remove it from the command")
        with open(path, "rb") as f:
            magic = f.read(4)
        if magic.startswith(GZIP_MAGIC):
            return cls(path, size, "gzip")
        if magic == PARQUET_MAGIC:
            return cls(path, size, "parquet")
        if magic == ZIP_MAGIC:
            try:
                with zipfile.ZipFile(path) as z:
                    members = [i.filename for i in z.infolist() if not i.is_dir()]
            except zipfile.BadZipFile as e:
                raise InputFileError(f"is not a readable zip archive ({e})", where=str(path),
                                     fix="re-download it; a partial download truncates the archive") from None
            if len(members) != 1:
                raise InputFileError(f"the zip archive holds {len(members)} files ({', '.join(members[:5])})",
                                     where=str(path), fix="unzip it and ingest the data files one by one")
            return cls(path, size, "zip", member=members[0])
        return cls(path, size, "none")

    def hash_upfront(self) -> str:
        """Hash the whole file now (used when a stored file has the same size)."""
        return sha256_of(self.path)

    @contextmanager
    def open(self, progress: Progress | None = None) -> Iterator[BinaryIO]:
        """The decompressed content as a binary stream, hashing the on-disk bytes as they are read."""
        self._hasher = hashlib.sha256()
        self._counted = None
        with open(self.path, "rb") as disk:
            if self.compression == "zip":
                # A zip must seek to its central directory, so it is hashed separately.
                with zipfile.ZipFile(disk) as z, z.open(self.member or "") as member:
                    yield _ZipStream(member, self, progress)  # type: ignore[misc]
                return
            counted = self._counted = _CountingHashingReader(disk, self._hasher, progress)
            buffered = io.BufferedReader(counted, buffer_size=1 << 20)
            if self.compression == "gzip":
                yield _GzipStream(buffered, self)  # type: ignore[misc]
            else:
                yield buffered  # type: ignore[misc]

    def content_sha256(self) -> str:
        """The hash of the file on disk; after a full ``open()`` read it costs nothing more."""
        if self._counted is not None and self._counted.bytes_read == self.size:
            return self._hasher.hexdigest()
        return sha256_of(self.path)


class _GzipStream(io.RawIOBase):
    """gzip with errors that say the file is truncated or corrupt, not EOFError."""

    def __init__(self, raw: BinaryIO, source: Source) -> None:
        self._gz = gzip.GzipFile(fileobj=raw)
        self._source = source

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            return self._gz.read(size)
        except EOFError:
            raise InputFileError("the gzip file is truncated (it ends before its end-of-stream marker)",
                                 where=str(self._source.path),
                                 fix="re-download it; nothing from this file was stored") from None
        except (gzip.BadGzipFile, zlib.error, OSError) as e:
            raise InputFileError(f"the gzip file is corrupt ({e})", where=str(self._source.path),
                                 fix="re-download it; nothing from this file was stored") from None

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _ZipStream(io.RawIOBase):
    def __init__(self, member: BinaryIO, source: Source, progress: Progress | None) -> None:
        self._member = member
        self._source = source
        self._progress = progress
        self._done = 0
        self._ratio = source.size / max(1, getattr(member, "_orig_file_size", source.size) or 1)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._member.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
            raise InputFileError(f"the zip member is truncated or corrupt ({e})", where=self._source.name,
                                 fix="re-download it; nothing from this file was stored") from None
        self._done += len(data)
        if self._progress:
            self._progress(int(self._done * self._ratio))
        return data

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_head(source: Source, nbytes: int = HEAD_BYTES) -> bytes:
    """The first bytes of the decompressed content, for sniffing the data set."""
    if source.compression == "parquet":
        return b""
    with source.open() as stream:
        return stream.read(nbytes)
