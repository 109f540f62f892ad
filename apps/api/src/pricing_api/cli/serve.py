"""`pricing serve`: the REST API under uvicorn."""

from __future__ import annotations

import click
import uvicorn

from pricing_api.cli.common import container

__all__ = ["serve"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (share limits and revocations through Redis and the database).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the REST API; the OpenAPI page is at /schema."""
    # Migrate and seed once, before the workers start; each starts its process (asgi.py).
    container(ctx, started=False)
    click.echo(f"serving on http://{host}:{port} (docs at /schema)", err=True)
    uvicorn.run(
        "pricing_api.http.asgi:build",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,  # client addresses come from configured proxies only
        server_header=False,
        access_log=False,  # the app logs one structured line per request itself
        log_level="info",
    )
