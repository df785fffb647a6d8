"""Who gets what from `followup web`, in process (no app process is started here):
the token for a cookie, 403 for the rest, `/static` never listed, `/ws` refused to a
foreign Origin, the page offline- and phone-ready, the feed behind its own key."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from tests.conftest import Env
from tui.web.auth import COOKIE
from tui.web.secrets import WebSecrets
from tui.web.server import Settings, make_app
from tui.web.sessions import Sessions

SECRETS = WebSecrets(token="t" * 43, feed_key="k" * 43)


@pytest.fixture
async def client(tmp_store: Env) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    app = make_app(tmp_store.store, SECRETS, Settings(), Sessions(4))
    async with TestClient(TestServer(app)) as client:
        yield client


async def _cookie(client: TestClient) -> dict[str, str]:  # type: ignore[type-arg]
    response = await client.get(f"/?token={SECRETS.token}", allow_redirects=False)
    assert response.status == 302
    return {COOKIE: response.cookies[COOKIE].value}


async def test_the_token_is_exchanged_for_a_strict_cookie(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get(f"/?fontsize=20&token={SECRETS.token}", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == "/?fontsize=20"  # the token leaves the address
    cookie = response.headers["Set-Cookie"]
    assert f"{COOKIE}={SECRETS.token}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = await client.get("/?fontsize=20", cookies={COOKIE: SECRETS.token})
    assert page.status == 200
    html = await page.text()
    assert 'name="viewport" content="width=device-width' in html
    assert 'data-font-size="20"' in html
    assert "@font-face" in html and "/static/fonts/RobotoMono-VariableFont_wght.ttf" in html
    assert "googleapis" not in html and "https://" not in html  # no outside host
    host = f"{client.server.host}:{client.server.port}"
    assert f'data-session-websocket-url="ws://{host}/ws"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?token=wrong",
        f"/?token={SECRETS.token[:-1]}",
        f"/?key={SECRETS.feed_key}",  # the feed key opens nothing else
        "/static/",
        "/static/js/textual.js",
        "/ws",
        "/calendar.ics",
        "/calendar.ics?key=wrong",
        f"/calendar.ics?key={SECRETS.token}",  # the token does not open the feed
        "/nowhere",
    ],
)
async def test_refused_without_the_right_secret(client: TestClient, path: str) -> None:  # type: ignore[type-arg]
    response = await client.get(path, allow_redirects=False)
    assert response.status == 403, path
    assert "Set-Cookie" not in response.headers


async def test_static_with_the_cookie_serves_files_but_never_lists(client: TestClient) -> None:  # type: ignore[type-arg]
    cookies = await _cookie(client)
    script = await client.get("/static/js/textual.js", cookies=cookies)
    assert script.status == 200
    font = await client.get("/static/fonts/RobotoMono-VariableFont_wght.ttf", cookies=cookies)
    assert font.status == 200
    for path in ("/static/", "/static/js/", "/static", "/static/fonts/"):
        listing = await client.get(path, cookies=cookies)
        assert listing.status in (403, 404), path
        assert "textual.js" not in await listing.text()
    wrong = await client.get("/", cookies={COOKIE: "t" * 42 + "x"})
    assert wrong.status == 403


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "http://127.0.0.1:1", "null", ""],
)
async def test_the_websocket_refuses_a_foreign_origin(client: TestClient, origin: str) -> None:  # type: ignore[type-arg]
    headers = {"Cookie": f"{COOKIE}={SECRETS.token}"}
    if origin:
        headers["Origin"] = origin
    with pytest.raises(WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", headers=headers)
    assert refused.value.status == 403


async def test_the_feed_is_the_export_with_a_morning_alarm(
    client: TestClient,  # type: ignore[type-arg]
    tmp_store: Env,
) -> None:
    response = await client.get(f"/calendar.ics?key={SECRETS.feed_key}")
    assert response.status == 200
    assert response.content_type == "text/calendar"
    body = await response.read()
    assert body.count(b"BEGIN:VALARM") == body.count(b"BEGIN:VEVENT") == 4
    assert b"TRIGGER;RELATED=START:PT9H" in body
    # live: a change made by another process is in the next fetch
    other = tmp_store.other_store()
    other.update_fields(
        tmp_store.uid("Lena Fischer"),
        {"next_step": "Send the brochure", "next_due": tmp_store.clock.now().date()},
    )
    again = await (await client.get(f"/calendar.ics?key={SECRETS.feed_key}")).read()
    assert again.count(b"BEGIN:VEVENT") == 5 and b"Lena Fischer" in again


async def test_a_feed_that_cannot_be_read_is_one_line(
    client: TestClient,  # type: ignore[type-arg]
    tmp_store: Env,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tmp_store.path.write_text("{ not json")
    response = await client.get(f"/calendar.ics?key={SECRETS.feed_key}")
    assert response.status == 503
    text = await response.text()
    assert text.count("\n") == 1 and str(tmp_store.path.name) in text
    err = capsys.readouterr().err
    assert err.startswith("followup: calendar feed: ") and "Traceback" not in err
