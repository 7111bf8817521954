"""Fetcher against a real HTTP server on 127.0.0.1 (started here), plus pure address checks.

Nothing here contacts any address but 127.0.0.1; the tests about public hosts and redirects
into private ranges use ``httpx.MockTransport`` and an injected resolver, so no packet leaves.
"""

from __future__ import annotations

import gzip
import random
import socket
import threading
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from newsdesk.errors import ReadError, UsageError
from newsdesk.ingest.fetch import (
    CacheEntry,
    Fetcher,
    FetchError,
    _retry_after,
    check_host,
    pinned_transport,
    refused_address_reason,
)

FEEDS = Path(__file__).parent / "data" / "feeds"
MB = 1_000_000

Handler = Callable[["_Handler"], None]


class LocalServer:
    """A threaded HTTP/1.0 server on 127.0.0.1 with routes given as functions.

    ``hits`` counts requests per path, ``seen`` keeps the request headers, ``sent`` counts
    body bytes written per path (to show a big answer was cut short).
    """

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.stopping = threading.Event()
        self.done: dict[str, threading.Event] = {}
        server = self

        class Handler_(_Handler):
            owner = server

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler_)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes[path] = handler
            return handler

        return register

    def serve_file(self, path: str, file: Path, content_type: str, etag: str | None = None) -> None:
        body = file.read_bytes()

        def handler(h: _Handler) -> None:
            if etag is not None and h.headers.get("If-None-Match") == etag:
                h.send_response(304)
                h.send_header("ETag", etag)
                h.end_headers()
                return
            h.send_response(200)
            h.send_header("Content-Type", content_type)
            h.send_header("Content-Length", str(len(body)))
            if etag is not None:
                h.send_header("ETag", etag)
                h.send_header("Last-Modified", "Tue, 07 May 2024 09:00:00 GMT")
            h.end_headers()
            h.wfile.write(body)

        self.routes[path] = handler

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    owner: LocalServer

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.owner.hits[path] += 1
        self.owner.seen.append((path, dict(self.headers.items())))
        handler = self.owner.routes.get(path)
        try:
            if handler is None:
                self.send_error(404)
            else:
                handler(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up on purpose (timeout, size cap)
        finally:
            self.owner.done.setdefault(path, threading.Event()).set()

    def log_message(self, format: str, *args: object) -> None:
        pass


def sleep_then_answer(seconds: float) -> Handler:
    def handler(h: _Handler) -> None:
        h.owner.stopping.wait(seconds)
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.end_headers()
        h.wfile.write(b"<rss/>")

    return handler


def status(code: int, headers: dict[str, str] | None = None) -> Handler:
    def handler(h: _Handler) -> None:
        h.send_response(code)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return handler


def redirect(location: str) -> Handler:
    return status(302, {"Location": location})


def endless(total: int, *, declare: bool, path: str) -> Handler:
    """Sends ``total`` bytes made up on the fly: nothing that size ever exists in memory."""
    chunk = b"<item>" + b"x" * (64 * 1024 - 13) + b"</item>"

    def handler(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        if declare:
            h.send_header("Content-Length", str(total))
        h.end_headers()
        while h.owner.sent[path] < total and not h.owner.stopping.is_set():
            h.wfile.write(chunk)
            h.owner.sent[path] += len(chunk)

    return handler


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        running.serve_file("/riverside.rss", FEEDS / "riverside.rss", "application/rss+xml", '"v1"')
        yield running


class Recorder:
    """A fake clock and sleep: sleeping advances the clock, and every wait is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class OnlyLoopback(httpx.HTTPTransport):
    """A real transport that fails the test rather than contact anything but 127.0.0.1."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "127.0.0.1":
            raise AssertionError(f"test tried to reach {request.url}")
        return super().handle_request(request)


def local(recorder: Recorder | None = None, **options: object) -> Fetcher:
    """A fetcher allowed to reach the test server (only it), fast and without real sleeps."""
    recorder = recorder or Recorder()
    settings: dict[str, object] = {
        "transport": OnlyLoopback(),
        "allow_private": True,
        "timeout": 5.0,  # generous: only the timeout tests ask for 0.3 s
        "per_host_interval": 0.0,
        "backoff": 0.1,
        "clock": recorder.clock,
        "sleep": recorder.sleep,
        "rng": random.Random(4),
    }
    settings.update(options)
    return Fetcher(**settings)  # type: ignore[arg-type]


# -- conditional GET ---------------------------------------------------------------------------


def test_conditional_get_sends_validators_and_gets_304(server: LocalServer) -> None:
    cache: dict[str, CacheEntry] = {}
    fetcher = local(cache=cache)
    url = server.url("/riverside.rss")
    first = fetcher.get(url, kind="feed")
    assert first.status == 200 and first.body is not None and b"Riverside Herald" in first.body
    assert first.content_type == "application/rss+xml"
    assert cache[url] == CacheEntry(etag='"v1"', last_modified="Tue, 07 May 2024 09:00:00 GMT")
    second = fetcher.get(url, kind="feed")
    assert second.status == 304 and second.body is None and second.not_modified
    headers = server.seen[-1][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Tue, 07 May 2024 09:00:00 GMT"


def test_remember_false_leaves_the_cache_alone(server: LocalServer) -> None:
    cache: dict[str, CacheEntry] = {}
    fetcher = local(cache=cache)
    result = fetcher.get(server.url("/riverside.rss"), remember=False)
    assert cache == {}
    fetcher.remember(result)
    assert set(cache) == {server.url("/riverside.rss")}
    assert fetcher.get(server.url("/riverside.rss"), conditional=False).status == 200


# -- timeouts, errors, retries -------------------------------------------------------------------


def test_timeout_is_retried_then_fails_transiently(server: LocalServer) -> None:
    server.routes["/slow"] = sleep_then_answer(2.0)
    recorder = Recorder()
    with pytest.raises(FetchError) as caught:
        local(recorder, retries=1, timeout=0.3).get(server.url("/slow"))
    assert "timed out after 0.3 s after 2 attempts" in str(caught.value)
    assert caught.value.transient
    assert server.hits["/slow"] == 2
    assert isinstance(caught.value, ReadError) and "\n" not in str(caught.value)


def test_500_is_retried_with_capped_exponential_backoff_and_jitter(server: LocalServer) -> None:
    server.routes["/500"] = status(500)
    recorder = Recorder()
    with pytest.raises(FetchError, match=r"HTTP 500 after 4 attempts") as caught:
        local(recorder, retries=3, backoff=0.1, max_backoff=0.3).get(server.url("/500"))
    assert caught.value.transient
    assert server.hits["/500"] == 4
    first, second, third = recorder.sleeps
    assert 0.05 <= first <= 0.1  # 0.1 x jitter in [0.5, 1]
    assert 0.1 <= second <= 0.2  # doubled
    assert 0.15 <= third <= 0.3  # 0.4 capped at 0.3, then jittered


def test_429_waits_as_long_as_retry_after_asks(server: LocalServer) -> None:
    answers = iter([status(429, {"Retry-After": "2"}), status(200, {"Content-Type": "text/xml"})])
    server.routes["/busy"] = lambda h: next(answers)(h)
    recorder = Recorder()
    result = local(recorder, max_backoff=5.0).get(server.url("/busy"))
    assert result.status == 200 and result.body == b""
    assert recorder.sleeps == [2.0]


def test_a_long_retry_after_is_left_to_the_caller(server: LocalServer) -> None:
    server.routes["/busy"] = status(503, {"Retry-After": "3600"})
    recorder = Recorder()
    with pytest.raises(FetchError) as caught:
        local(recorder, retries=3, max_backoff=30.0).get(server.url("/busy"))
    assert caught.value.reason == "HTTP 503; asked to retry after 3600 s"
    assert caught.value.transient and caught.value.retry_after == 3600
    assert server.hits["/busy"] == 1 and recorder.sleeps == []


def test_client_errors_are_not_retried(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"/missing.xml: HTTP 404$") as caught:
        local(retries=3).get(server.url("/missing.xml"))
    assert not caught.value.transient
    assert server.hits["/missing.xml"] == 1


def test_connection_refused_is_a_transient_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="connection failed") as caught:
        local(retries=1).get(f"http://127.0.0.1:{port}/feed.xml")
    assert caught.value.transient


def test_a_trickle_is_cut_by_the_total_timeout(server: LocalServer) -> None:
    def trickle(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/xml")
        h.end_headers()
        for _ in range(50):
            h.wfile.write(b" " * 10_000)
            h.wfile.flush()
            if h.owner.stopping.wait(0.1):
                return

    server.routes["/trickle"] = trickle
    with pytest.raises(FetchError, match=r"took longer than 0.5 s in all"):
        local(retries=0, total_timeout=0.5).get(server.url("/trickle"))


# -- redirects ----------------------------------------------------------------------------------


def test_redirects_are_followed_to_the_final_url(server: LocalServer) -> None:
    server.routes["/moved"] = redirect("/riverside.rss")
    result = local().get(server.url("/moved"))
    assert result.url == server.url("/riverside.rss")
    assert result.requested_url == server.url("/moved")


def test_redirect_loop_is_named(server: LocalServer) -> None:
    server.routes["/loop-a"] = redirect("/loop-b")
    server.routes["/loop-b"] = redirect(server.url("/loop-a"))
    with pytest.raises(FetchError) as caught:
        local(retries=2).get(server.url("/loop-a"))
    a, b = server.url("/loop-a"), server.url("/loop-b")
    assert str(caught.value) == f"{a}: redirect loop: {a} -> {b} -> {a}"
    assert not caught.value.transient
    assert server.hits["/loop-a"] == 1 and server.hits["/loop-b"] == 1


def test_redirect_chain_longer_than_the_limit(server: LocalServer) -> None:
    for n in range(10):
        server.routes[f"/hop{n}"] = redirect(f"/hop{n + 1}")
    with pytest.raises(FetchError, match=r"more than 3 redirects"):
        local(max_redirects=3).get(server.url("/hop0"))
    assert server.hits["/hop4"] == 0


# -- size cap -----------------------------------------------------------------------------------


def test_200_mb_body_is_cut_at_the_cap_while_streaming(server: LocalServer) -> None:
    server.routes["/huge"] = endless(200 * MB, declare=False, path="/huge")
    fetcher = local(max_bytes=MB)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r"body larger than 1,000,000 bytes") as caught:
            fetcher.get(server.url("/huge"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    fetcher.close()
    assert not caught.value.transient
    assert server.done.setdefault("/huge", threading.Event()).wait(10)
    # The server stopped as soon as the client hung up: far from 200 MB went out, and the
    # client never held more than a few copies of the 1 MB cap.
    assert server.sent["/huge"] < 50 * MB
    assert peak < 20 * MB


def test_declared_200_mb_is_refused_before_reading(server: LocalServer) -> None:
    server.routes["/huge-declared"] = endless(200 * MB, declare=True, path="/huge-declared")
    with pytest.raises(FetchError, match=r"\(Content-Length 200,000,000\)"):
        local(max_bytes=MB).get(server.url("/huge-declared"))


def test_gzip_bomb_is_capped_on_decoded_bytes(server: LocalServer) -> None:
    bomb = gzip.compress(b"<" * (8 * MB))

    def handler(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Encoding", "gzip")
        h.send_header("Content-Length", str(len(bomb)))
        h.end_headers()
        h.wfile.write(bomb)

    server.routes["/bomb"] = handler
    assert len(bomb) < MB
    with pytest.raises(FetchError, match=r"body larger than 1,000,000 bytes"):
        local(max_bytes=MB).get(server.url("/bomb"))


# -- content types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "kind", "ok"),
    [
        ("application/rss+xml; charset=utf-8", "feed", True),
        ("application/atom+xml", "feed", True),
        ("text/xml", "feed", True),
        ("text/plain", "feed", True),
        ("image/png", "feed", False),
        ("application/octet-stream", "any", False),
        ("text/html; charset=utf-8", "page", True),
        ("application/xhtml+xml", "page", True),
        ("application/rss+xml", "page", False),
        ("application/pdf", "page", False),
    ],
)
def test_content_type_is_checked_before_the_body(
    server: LocalServer, content_type: str, kind: str, ok: bool
) -> None:
    server.routes["/thing"] = status(200, {"Content-Type": content_type})
    fetcher = local()
    if ok:
        assert fetcher.get(server.url("/thing"), kind=kind).status == 200  # type: ignore[arg-type]
    else:
        with pytest.raises(FetchError, match=r"content type .* is not"):
            fetcher.get(server.url("/thing"), kind=kind)  # type: ignore[arg-type]


def test_charset_comes_from_the_header(server: LocalServer) -> None:
    server.routes["/latin"] = status(200, {"Content-Type": 'text/xml; charset="iso-8859-1"'})
    assert local().get(server.url("/latin")).charset == "iso-8859-1"


# -- per-host rate limit ------------------------------------------------------------------------


def test_requests_to_one_host_are_spaced(server: LocalServer) -> None:
    recorder = Recorder()
    fetcher = local(recorder, per_host_interval=1.5)
    fetcher.get(server.url("/riverside.rss"), conditional=False)
    recorder.now += 0.5  # half a second passes
    fetcher.get(server.url("/riverside.rss"), conditional=False)
    assert recorder.sleeps == [pytest.approx(1.0)]
    recorder.now += 10
    fetcher.get(server.url("/riverside.rss"), conditional=False)
    assert len(recorder.sleeps) == 1


def test_other_hosts_do_not_wait() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, text="<rss/>"))
    recorder = Recorder()
    fetcher = local(recorder, per_host_interval=1.0, transport=transport)
    fetcher.get("http://a.example/feed")
    fetcher.get("http://b.example/feed")
    assert recorder.sleeps == []
    fetcher.get("http://a.example/other")
    assert recorder.sleeps == [1.0]


# -- private addresses --------------------------------------------------------------------------


def test_loopback_refused_without_allow_private(server: LocalServer) -> None:
    with pytest.raises(FetchError, match=r"loopback address 127\.0\.0\.1 .*--allow-private"):
        Fetcher(timeout=0.3).get(server.url("/riverside.rss"))
    assert server.hits["/riverside.rss"] == 0


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("169.254.169.254", "link-local"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("192.0.2.10", "private"),  # documentation range
        ("::1", "loopback"),
        ("fe80::1%eth0", "link-local"),
        ("fd00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "link-local"),
    ],
)
def test_address_check_refuses_non_public_ranges(address: str, reason: str) -> None:
    assert refused_address_reason(address) == f"{reason} address {address}"


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_address_check_lets_public_addresses_through(address: str) -> None:
    assert refused_address_reason(address) is None


def test_host_check_resolves_and_checks_every_address() -> None:
    def resolve(host: str) -> list[str]:
        return {"ok.example": ["93.184.215.14"], "mixed.example": ["93.184.215.14", "10.9.8.7"]}[
            host
        ]

    assert check_host("ok.example", resolve=resolve) is None
    assert check_host("mixed.example", resolve=resolve) == (
        "mixed.example resolves to private address 10.9.8.7"
    )
    assert check_host("[::1]", resolve=resolve) == "loopback address ::1"

    def fails(host: str) -> list[str]:
        raise socket.gaierror("Name or service not known")

    assert check_host("nowhere.example", resolve=fails) == (
        "cannot resolve nowhere.example: Name or service not known"
    )


def test_redirect_into_a_private_range_is_refused() -> None:
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://10.0.0.5/admin"})

    fetcher = Fetcher(
        transport=httpx.MockTransport(handler),
        resolve=lambda host: ["93.184.215.14"],
        per_host_interval=0,
    )
    with pytest.raises(FetchError) as caught:
        fetcher.get("http://news.example/feed.xml")
    assert str(caught.value) == (
        "http://news.example/feed.xml: private address 10.0.0.5 (after a redirect to "
        "http://10.0.0.5/admin) (use --allow-private to fetch from it)"
    )
    assert requested == ["http://news.example/feed.xml"]


def test_only_http_and_https() -> None:
    for url, reason in [
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("gopher://example.org/", "unsupported URL scheme 'gopher'"),
        ("http:///feed", "URL has no host"),
        ("http://[::1/feed", "invalid URL"),
        ("http://example.org:http/feed", "invalid URL"),
    ]:
        with pytest.raises(FetchError, match=reason):
            Fetcher().get(url)


def test_mock_transport_seam_needs_no_network() -> None:
    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"Content-Type": "text/html"}, text="<p>hi</p>")
    )
    fetcher = Fetcher(transport=transport, resolve=lambda host: ["93.184.215.14"])
    result = fetcher.get("https://news.example/story", kind="page")
    assert result.body == b"<p>hi</p>" and result.content_type == "text/html"


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = 1_715_072_400.0  # Tue, 07 May 2024 09:00:00 GMT
    assert _retry_after("120", lambda: now) == 120.0
    assert _retry_after("Tue, 07 May 2024 09:01:30 GMT", lambda: now) == 90.0
    assert _retry_after("Tue, 07 May 2024 08:00:00 GMT", lambda: now) == 0.0
    assert _retry_after("soon", lambda: now) is None
    assert _retry_after(None) is None


@pytest.mark.parametrize(
    "options", [{"timeout": 0}, {"max_bytes": 0}, {"retries": -1}, {"per_host_interval": -1}]
)
def test_bad_options_are_usage_errors(options: dict[str, float]) -> None:
    with pytest.raises(UsageError):
        Fetcher(**options)  # type: ignore[arg-type]


def test_pinned_transport_connects_to_the_address_it_checked(server: LocalServer) -> None:
    # The name is resolved by the transport itself (here to the test server) and connected
    # to by address; the Host header still names the host.
    transport = pinned_transport(resolve=lambda host: ["127.0.0.1"], refuse=lambda address: None)
    fetcher = local(transport=transport)
    result = fetcher.get(f"http://feeds.test:{server.port}/riverside.rss")
    assert result.status == 200
    assert server.seen[-1][1]["Host"] == f"feeds.test:{server.port}"


def test_pinned_transport_refuses_at_connect_time(server: LocalServer) -> None:
    # A name whose address changed after the fetcher's own check (DNS rebinding) is refused
    # by the transport, before any connection. allow_private only skips the first check.
    fetcher = local(transport=pinned_transport(resolve=lambda host: ["127.0.0.1"]))
    with pytest.raises(FetchError) as caught:
        fetcher.get(f"http://rebind.test:{server.port}/riverside.rss")
    assert (
        caught.value.reason == "rebind.test resolves to loopback address 127.0.0.1 at connect time"
    )
    assert not caught.value.transient
    assert server.hits["/riverside.rss"] == 0


def test_a_name_that_does_not_resolve_is_a_transient_error() -> None:
    def fails(host: str) -> list[str]:
        raise socket.gaierror("Temporary failure in name resolution")

    with pytest.raises(FetchError) as caught:
        Fetcher(resolve=fails).get("http://nowhere.test/feed.xml")
    assert caught.value.reason == (
        "cannot resolve nowhere.test: Temporary failure in name resolution"
    )
    assert caught.value.transient
