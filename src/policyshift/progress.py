"""A progress bar (rich, on stderr) for a long ingest; silent when stderr is not a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from policyshift.render import console_err


@contextmanager
def file_progress(path: Path, *, enabled: bool = True) -> Iterator[tuple[Callable[[int, int], None] | None,
                                                                        Callable[[Any, Any], None]]]:
    """(progress(done, total), on_start(source, reader)) callbacks for ``ingest_file``.

    on_start always says on stderr which file is being ingested; the bar shows only on a terminal.
    """
    console = Console(stderr=True)

    def on_start(source: Any, reader: Any) -> None:
        console_err(f"ingesting {source.name} as {reader.name}")

    if not (enabled and console.is_terminal):
        yield None, on_start
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                   TimeRemainingColumn(), console=console, transient=True)
    task = bar.add_task(path.name, total=None)
    with bar:
        yield (lambda done, total: bar.update(task, completed=done, total=total)), on_start
