"""The web app command: ``policyshift serve`` (FastAPI under Uvicorn, the store read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from policyshift.cli import DbOption, command

DEFAULT_HOST = "127.0.0.1"  # only this machine, unless the user asks for more


@command
def serve(db: DbOption = None,
          host: Annotated[str, typer.Option("--host", help="Address to listen on; 0.0.0.0 opens the app to the "
                                            "network (it has no login).")] = DEFAULT_HOST,
          port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
          specs: Annotated[Path | None, typer.Option(
              "--specs", help="A folder of demands or case specs (YAML) the case pages may read; without it, only "
                              "the built-in cases.", file_okay=False, exists=True)] = None,
          timeout: Annotated[float, typer.Option("--timeout", help="Stop a request's queries after this many "
                                                 "seconds (the answer is 503).", min=0.1)] = 30.0) -> None:
    """The web app over a store, read-only: overview, dyad explorer, triads, say-do, shift scan, cases, JSON API."""
    import uvicorn

    from policyshift.store import default_db_path
    from policyshift.web import create_app

    path = db or default_db_path()
    app = create_app(path, specs_dir=specs, timeout=timeout, warm=True)  # opens the store now: a bad --db fails here
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"policyshift serving {path} at http://{shown}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
