"""`followup web`: the routes put together, and the server run until interrupted.

GET /               the page (token or cookie; a "sessions in use" page when full)
GET /ws             one app process for this websocket (cookie and own Origin)
GET /static/...     textual-serve's script, styles and fonts (cookie; never listed)
GET /calendar.ics   the calendar feed (its own key)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import os
import signal
import sys
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from aiohttp import WSMsgType, web
from textual_serve.download_manager import DownloadManager

from store.errors import InputError
from tui.web import auth, feed, page
from tui.web.options import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SESSIONS
from tui.web.secrets import WebSecrets, load_or_create
from tui.web.sessions import AppProcess, Sessions

if TYPE_CHECKING:
    from store.store import Store

MAX_CELLS = 1000  # a terminal size asked for beyond this is clamped


class Settings(msgspec.Struct, frozen=True):
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    sessions: int = DEFAULT_SESSIONS
    public_url: str | None = None


def app_command(database: Path) -> list[str]:
    """The dashboard on this database, as one app process runs it."""
    return [sys.executable, "-m", "tui.web.dashboard", str(database)]


def app_environment() -> dict[str, str]:
    """What the app process needs beyond textual-serve's own variables: the browser's
    terminal (xterm.js) draws 256 colours and every character, whatever the server's."""
    from widgets.streak_header import can_show_emoji

    extra = {"TERM": "xterm-256color"}
    asked_plain = os.environ.get("FOLLOWUP_ASCII", "") not in ("", "0")
    if not asked_plain and not can_show_emoji({**os.environ, **extra}):
        extra["LC_ALL"] = "C.UTF-8"
    return extra


def make_app(
    store: Store, secrets: WebSecrets, settings: Settings, sessions: Sessions
) -> web.Application:
    command = app_command(store.path)
    environment = app_environment()
    downloads = DownloadManager()

    async def index(request: web.Request) -> web.StreamResponse:
        if sessions.full:
            return page.full(sessions.limit)
        return page.index(request, settings.public_url)

    async def websocket(request: web.Request) -> web.StreamResponse:
        if not sessions.hold():
            return page.full(sessions.limit)
        try:
            socket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
            await socket.prepare(request)
            width = _cells(request.query.get("width"), 80)
            height = _cells(request.query.get("height"), 24)
            process = AppProcess(
                command,
                environment,
                write_bytes=socket.send_bytes,
                write_str=socket.send_str,
                close=socket.close,
                download_manager=downloads,
            )
            sessions.running.add(process)
            try:
                await process.start(width, height)
                await _relay(socket, process)
            finally:
                await process.stop()
                sessions.running.discard(process)
                await socket.close()
        finally:
            sessions.release()
        return socket

    async def stop_sessions(_app: web.Application) -> None:
        await sessions.stop_all()

    app = web.Application(middlewares=[auth.middleware(secrets.token, settings.public_url)])
    app.router.add_get("/", index)
    app.router.add_get("/ws", websocket)
    app.router.add_get(auth.FEED_PATH, feed.handler(store, secrets.feed_key))
    static = Path(str(files("textual_serve").joinpath("static")))
    app.router.add_static("/static", static, show_index=False, follow_symlinks=False)
    app.on_shutdown.append(stop_sessions)
    return app


async def _relay(socket: web.WebSocketResponse, process: AppProcess) -> None:
    """The browser's keys, sizes and focus to the app process, until the socket closes."""
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            kind, data = json.loads(message.data)
        except (ValueError, TypeError):
            continue
        if kind == "stdin" and isinstance(data, str):
            await process.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width, height = _cells(data.get("width"), 80), _cells(data.get("height"), 24)
            await process.set_terminal_size(width, height)
        elif kind == "ping":
            await socket.send_json(["pong", data])
        elif kind == "blur":
            await process.blur()
        elif kind == "focus":
            await process.focus()


def _cells(value: object, default: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, 1), MAX_CELLS)


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def plain_http_warning(settings: Settings) -> str | None:
    """What to say when the server listens beyond this machine: its traffic is plain HTTP."""
    if is_loopback(settings.host):
        return None
    return (
        f"{settings.host} is reachable from other machines and the traffic is plain HTTP "
        "(the token and your contacts can be read on the way); prefer ssh -L or a TLS "
        "proxy with --public-url (see README)"
    )


def base_url(settings: Settings, port: int) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = settings.host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


async def serve(store: Store, secrets: WebSecrets, settings: Settings) -> None:
    """Serve until SIGINT or SIGTERM; every app process is ended before this returns."""
    sessions = Sessions(settings.sessions)
    app = make_app(store, secrets, settings, sessions)
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=6)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.host, settings.port)
        try:
            await site.start()
        except OSError as error:
            raise InputError(
                f"can't listen on {settings.host}:{settings.port} ({error.strerror}); "
                "try another --port"
            ) from None
        port = runner.addresses[0][1]
        url = base_url(settings, port)
        warning = plain_http_warning(settings)
        if warning:
            sys.stderr.write(f"followup: warning: {warning}\n")
        sys.stdout.write(f"open: {url}/?token={secrets.token}\n")
        sys.stdout.write(f"calendar feed: {url}{auth.FEED_PATH}?key={secrets.feed_key}\n")
        sys.stdout.flush()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()
        await sessions.stop_all()


def _settings(args: argparse.Namespace) -> Settings:
    if not 0 <= args.port <= 65535:
        raise InputError(f"--port: {args.port} is not a port (0-65535)")
    if args.sessions < 1:
        raise InputError("--sessions: at least 1")
    public = args.public_url
    if public is not None and not public.startswith(("http://", "https://")):
        raise InputError("--public-url: give the whole address, e.g. https://box.example:8443")
    return Settings(args.host, args.port, args.sessions, public)


def run(store: Store, args: argparse.Namespace) -> int:
    """`followup web`: serve the dashboard and the feed until interrupted."""
    settings = _settings(args)
    secrets = load_or_create(store.path, renew=args.new_token)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(store, secrets, settings))
    return 0
