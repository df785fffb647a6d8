"""The options of `followup web` (argparse only: the server is loaded when it runs)."""

from __future__ import annotations

import argparse

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_SESSIONS = 4


def declare(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", metavar="H", default=DEFAULT_HOST, help=f"default: {DEFAULT_HOST}")
    p.add_argument(
        "--port", metavar="P", type=int, default=DEFAULT_PORT, help=f"default: {DEFAULT_PORT}"
    )
    p.add_argument(
        "--sessions",
        metavar="N",
        type=int,
        default=DEFAULT_SESSIONS,
        help=f"browser tabs at once (default: {DEFAULT_SESSIONS})",
    )
    p.add_argument("--public-url", metavar="URL", help="the address the page uses (a proxy's)")
    p.add_argument("--new-token", action="store_true", help="replace the token and the feed key")
