"""Polite, bounded HTTP GETs for feeds and article pages.

One verb: ``Fetcher(...).get(url)`` returns a ``FetchResult`` or raises ``FetchError``.

What a fetch guarantees, and why:

- **Conditional GET.** ``If-None-Match``/``If-Modified-Since`` come from ``cache`` (any
  ``MutableMapping[str, CacheEntry]``: a dict, or a mapping the store keeps on disk); a ``304``
  gives ``body=None``, so a feed that has not changed costs one round trip and no parsing.
- **Bounded.** ``timeout`` per connect/read/write (and ``6 * timeout`` for a whole attempt, so
  a server trickling one byte a second cannot hold a poll forever); ``max_bytes`` checked
  against ``Content-Length`` and again while streaming the decoded body, so a 200 MB answer
  (or a gzip bomb) is cut at the cap without being held in memory; at most ``max_redirects``
  redirects, a loop is named as such.
- **Retried** with exponential backoff, jitter and a cap on timeouts, connection errors, 5xx
  and 429 (``Retry-After`` honoured; a wait longer than the cap fails at once, with
  ``FetchError.retry_after`` for the caller's schedule); other 4xx fail at once.
- **Polite.** Requests to one host are spaced by ``per_host_interval`` seconds.
- **Safe.** Only http(s). Unless ``allow_private``, the host is resolved and every address is
  checked (private, loopback, link-local, multicast, reserved, unspecified, shared and other
  non-global ranges are refused), again after every redirect, so a public URL cannot bounce
  the fetcher into the local network; and again when connecting (``pinned_transport``),
  which connects to exactly the addresses it checked, so a DNS answer that changes between
  check and connection (rebinding) cannot either. The content type is checked before the
  body is read.

Errors (``FetchError`` is a ``newsdesk.errors.ReadError``, so the CLI prints one line)::

    ReadError
    └── FetchError(url, reason)   .transient: worth retrying later (timeout, 5xx, 429, network)

``httpx`` is imported lazily: importing this module costs nothing until the first fetch.

>>> Fetcher().get("ftp://x.org/f")
Traceback (most recent call last):
...
newsdesk.ingest.fetch.FetchError: ftp://x.org/f: unsupported URL scheme 'ftp'; use http or https
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import random
import socket
import time
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin, urlsplit

from ..errors import ReadError, UsageError

if TYPE_CHECKING:
    import httpx

__all__ = [
    "CacheEntry",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "Kind",
    "check_host",
    "pinned_transport",
    "refused_address_reason",
]

log = logging.getLogger(__name__)

Kind = Literal["feed", "page", "any"]
"""What the caller expects: decides which content types are accepted."""

USER_AGENT = "newsdesk/0.1 (feed reader)"

# Media types by kind. Feeds are served under many names (application/rss+xml, text/xml,
# application/atom+xml, text/plain, even text/html from misconfigured servers), so "feed"
# takes any xml/rss/atom type and any text/*; pages must be HTML.
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class FetchError(ReadError):
    """A URL could not be fetched; ``reason`` says why in one line.

    ``transient`` is true when trying again later may succeed (timeouts, connection errors,
    5xx, 429); false for refusals that will not change by themselves (404, a private address,
    a wrong content type, a body over the size cap, a redirect loop). ``retry_after`` is the
    wait in seconds a server asked for (``Retry-After``) when longer than the fetcher waits.

    >>> e = FetchError("http://example.org/feed", "HTTP 500 after 3 attempts", transient=True)
    >>> str(e), e.transient
    ('http://example.org/feed: HTTP 500 after 3 attempts', True)
    """

    def __init__(
        self,
        source: str,
        reason: str,
        *,
        transient: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(source, reason)
        self.transient = transient
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """The validators of the last successful fetch of one URL."""

    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One successful fetch.

    ``status`` is 200-ish, or 304 with ``body=None`` (not modified since the cached
    validators). ``url`` is the final URL after redirects; ``requested_url`` the one asked
    for (the cache key). ``content_type`` is the bare media type, lower case, or None.
    ``headers`` has lower-case names.
    """

    status: int
    url: str
    content_type: str | None
    body: bytes | None
    headers: Mapping[str, str] = field(default_factory=dict)
    requested_url: str = ""

    @property
    def not_modified(self) -> bool:
        return self.body is None

    @property
    def charset(self) -> str | None:
        """The charset named by the Content-Type header, if any."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None

    @property
    def cache_entry(self) -> CacheEntry | None:
        """What to remember for the next conditional GET, or None if the server gave nothing."""
        etag = self.headers.get("etag")
        last_modified = self.headers.get("last-modified")
        if self.body is None or (etag is None and last_modified is None):
            return None
        return CacheEntry(etag=etag, last_modified=last_modified)


def refused_address_reason(address: str) -> str | None:
    """Why an IP address must not be fetched from, or None if it is a public address.

    Pure: no network traffic.

    >>> refused_address_reason("169.254.169.254")
    'link-local address 169.254.169.254'
    >>> refused_address_reason("10.1.2.3")
    'private address 10.1.2.3'
    >>> refused_address_reason("::ffff:127.0.0.1")
    'loopback address ::ffff:127.0.0.1'
    >>> refused_address_reason("93.184.215.14") is None
    True
    """
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
            address.split("%", 1)[0]  # drop an IPv6 zone id ("fe80::1%eth0")
        )
    except ValueError:
        return f"not an IP address: {address!r}"
    # An IPv4 address wrapped in IPv6 (::ffff:10.0.0.1, or 6to4/NAT64-style forms handled
    # by is_global below) is judged as the IPv4 address it reaches.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # Order matters: 127.0.0.1 is also "private" in ipaddress' terms; name the sharper reason.
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        # What remains non-global: 100.64.0.0/10 (carrier NAT), documentation and benchmark
        # ranges, and the like.
        ("non-public", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"{name} address {address}"
    return None


def _system_resolve(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


class _Refused(Exception):
    """A host that must not be fetched from; ``transient`` when its name did not resolve."""

    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


def _checked_addresses(
    host: str,
    resolve: Callable[[str], Iterable[str]],
    refuse: Callable[[str], str | None] = refused_address_reason,
) -> list[str]:
    """The addresses of ``host``, all public, or ``_Refused``."""
    bare = host.strip("[]")
    try:
        ipaddress.ip_address(bare.split("%", 1)[0])
    except ValueError:
        pass
    else:
        reason = refuse(bare)
        if reason is not None:
            raise _Refused(reason)
        return [bare]
    try:
        addresses = list(dict.fromkeys(resolve(bare)))
    except (OSError, UnicodeError) as error:
        raise _Refused(f"cannot resolve {host}: {error}", transient=True) from None
    if not addresses:
        raise _Refused(f"cannot resolve {host}: no addresses", transient=True)
    for address in addresses:
        reason = refuse(address)
        if reason is not None:
            raise _Refused(f"{host} resolves to {reason}")
    return addresses


def check_host(
    host: str, *, resolve: Callable[[str], Iterable[str]] = _system_resolve
) -> str | None:
    """Why ``host`` must not be fetched from (it or one of its addresses is not public), or None.

    An IP literal is judged as is; a name is resolved and *every* address must be public (a
    name resolving to one public and one private address is refused).

    >>> check_host("127.0.0.1")
    'loopback address 127.0.0.1'
    >>> check_host("news.example", resolve=lambda h: ["93.184.215.14", "10.0.0.7"])
    'news.example resolves to private address 10.0.0.7'
    """
    try:
        _checked_addresses(host, resolve)
    except _Refused as refused:
        return refused.reason
    return None


def pinned_transport(
    resolve: Callable[[str], Iterable[str]] = _system_resolve,
    refuse: Callable[[str], str | None] = refused_address_reason,
) -> httpx.BaseTransport:
    """An httpx transport that connects only to addresses it checked itself, at connect time.

    Checking a name and then letting the HTTP library resolve it again leaves a window (DNS
    rebinding: a public answer to the check, a private one to the connection). Here the
    network backend resolves, checks every address, and connects to exactly those. TLS still
    verifies the certificate against the host name (httpcore sends it as SNI).
    """
    import httpcore
    import httpx

    class _CheckingBackend(httpcore.SyncBackend):
        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> httpcore.NetworkStream:
            last: Exception | None = None
            for address in _checked_addresses(host, resolve, refuse):
                try:
                    return super().connect_tcp(
                        address, port, timeout, local_address, socket_options
                    )
                except httpcore.ConnectError as error:
                    last = error
            assert last is not None
            raise last

    transport = httpx.HTTPTransport()
    # httpx has no public knob for the network backend; swap the pool it built (unused yet).
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=_CheckingBackend()
    )
    return transport


def _media_type(header: str | None) -> str | None:
    if not header:
        return None
    return header.split(";", 1)[0].strip().lower() or None


def _acceptable(media_type: str | None, kind: Kind) -> bool:
    """Whether a body of ``media_type`` may be what a caller of ``kind`` wants.

    A missing Content-Type is let through: the content is sniffed afterwards anyway.
    """
    if media_type is None:
        return True
    is_page = media_type in _PAGE_TYPES
    is_feed = (
        media_type.startswith("text/")
        or media_type.endswith("+xml")
        or media_type.endswith("/xml")
        or "rss" in media_type
        or "atom" in media_type
    )
    if kind == "page":
        return is_page
    if kind == "feed":
        return is_feed
    return is_page or is_feed


def _expected(kind: Kind) -> str:
    return {
        "page": "text/html",
        "feed": "an XML, RSS, Atom or text type",
        "any": "HTML, XML, RSS, Atom or text",
    }[kind]


def _retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


class _Retry(Exception):
    """One attempt failed in a way worth another try; carries the reason and any wait asked for."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class Fetcher:
    """Fetches feeds and pages over HTTP with the guarantees of this module's docstring.

    ``cache`` maps a requested URL to the validators of its last fetch. ``get`` remembers
    them by default; pass ``remember=False`` and call ``remember(result)`` once the content
    is safely stored, so a crash in between cannot turn the next poll into a ``304`` that
    loses articles (``feeds.iter_source_articles`` does this).

    Not thread-safe: one fetcher per thread (the rate limit is per fetcher).

    Seams for tests: ``transport`` (an ``httpx`` transport, e.g. ``httpx.MockTransport``),
    ``resolve`` (host -> addresses), ``clock``/``sleep`` (rate limit and backoff waits) and
    ``rng`` (jitter).

    >>> with Fetcher(timeout=2.0, retries=0) as fetcher:
    ...     try:
    ...         fetcher.get("http://127.0.0.1:9/feed.xml")
    ...     except FetchError as error:
    ...         print(error.reason)
    loopback address 127.0.0.1 (use --allow-private to fetch from it)
    """

    def __init__(
        self,
        cache: MutableMapping[str, CacheEntry] | None = None,
        *,
        allow_private: bool = False,
        timeout: float = 10.0,
        retries: int = 2,
        max_bytes: int = 10_000_000,
        per_host_interval: float = 1.0,
        transport: httpx.BaseTransport | None = None,
        max_redirects: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        total_timeout: float | None = None,
        user_agent: str = USER_AGENT,
        resolve: Callable[[str], Iterable[str]] = _system_resolve,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if timeout <= 0 or max_bytes < 1:
            raise UsageError(f"timeout and size cap must be positive, got {timeout}, {max_bytes}")
        if retries < 0 or per_host_interval < 0 or max_redirects < 0:
            raise UsageError("retries, redirects and the per-host interval cannot be negative")
        self.cache: MutableMapping[str, CacheEntry] = {} if cache is None else cache
        self.allow_private = allow_private
        self.timeout = timeout
        self.retries = retries
        self.max_bytes = max_bytes
        self.per_host_interval = per_host_interval
        self.max_redirects = max_redirects
        self.backoff = backoff
        self.max_backoff = max_backoff
        # A whole attempt (connect, headers, every chunk) gets a few times the per-step
        # timeout: a 10 MB feed at a slow 2 MB/s still fits in 6 x 10 s, a trickle does not.
        self.total_timeout = 6 * timeout if total_timeout is None else total_timeout
        self.user_agent = user_agent
        self._transport = transport
        self._resolve = resolve
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._last_request: dict[str, float] = {}
        self._client: httpx.Client | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool (the fetcher reopens one if used again)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            import httpx

            transport = self._transport
            if transport is None and not self.allow_private:
                transport = pinned_transport(self._resolve)
            self._client = httpx.Client(
                transport=transport,
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=False,  # followed by hand: every hop is address-checked
                headers={"User-Agent": self.user_agent},
                # Proxies from the environment would connect on our behalf to addresses we
                # never checked; a feed reader talks to the feeds directly.
                trust_env=False,
            )
        return self._client

    # -- the verb --------------------------------------------------------------------------

    def get(
        self, url: str, *, kind: Kind = "any", conditional: bool = True, remember: bool = True
    ) -> FetchResult:
        """GET ``url``: the body (``None`` on 304 Not Modified), or ``FetchError``.

        ``kind`` picks the accepted content types ("feed": xml/rss/atom/text, "page":
        text/html, "any": either). ``conditional=False`` ignores the cache; ``remember=False``
        leaves it untouched (see ``remember``).
        """
        try:
            parts = urlsplit(url)
            _ = parts.port  # raises on a port that is not a number
        except ValueError as error:
            raise FetchError(url, f"invalid URL: {error}") from None
        if parts.scheme not in ("http", "https"):
            raise FetchError(url, f"unsupported URL scheme {parts.scheme!r}; use http or https")
        if not parts.hostname:
            raise FetchError(url, "URL has no host")
        headers: dict[str, str] = {}
        entry = self.cache.get(url) if conditional else None
        if entry is not None:
            if entry.etag:
                headers["If-None-Match"] = entry.etag
            if entry.last_modified:
                headers["If-Modified-Since"] = entry.last_modified
        current = url
        chain = [url]
        for _hop in range(self.max_redirects + 1):
            result = self._get_with_retries(url, current, headers, kind)
            if isinstance(result, FetchResult):
                if remember:
                    self.remember(result)
                return result
            target = result
            if target in chain:
                loop = " -> ".join([*chain[chain.index(target) :], target])
                raise FetchError(url, f"redirect loop: {loop}")
            chain.append(target)
            current = target
        raise FetchError(url, f"more than {self.max_redirects} redirects (last to {current})")

    def remember(self, result: FetchResult) -> None:
        """Store the validators of ``result`` for the next conditional GET of its URL."""
        entry = result.cache_entry
        if entry is not None:
            self.cache[result.requested_url] = entry

    # -- one hop, retried --------------------------------------------------------------------

    def _get_with_retries(
        self, requested: str, url: str, headers: Mapping[str, str], kind: Kind
    ) -> FetchResult | str:
        """One hop: a result, or the absolute URL a redirect points to."""
        try:
            parts = urlsplit(url)
            _ = parts.port
        except ValueError:
            raise FetchError(requested, f"redirected to an invalid URL: {url}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(requested, f"redirected to an unusable URL: {url}")
        if not self.allow_private:
            try:
                _checked_addresses(parts.hostname, self._resolve)
            except _Refused as refused:
                where = "" if url == requested else f" (after a redirect to {url})"
                if refused.transient:
                    raise FetchError(requested, refused.reason + where, transient=True) from None
                raise FetchError(
                    requested, f"{refused.reason}{where} (use --allow-private to fetch from it)"
                ) from None
        attempts = self.retries + 1
        for attempt in range(attempts):
            self._wait_for_host(parts.hostname)
            try:
                return self._attempt(requested, url, headers, kind)
            except _Retry as retry:
                if retry.wait is not None and retry.wait > self.max_backoff:
                    # The server asks for more patience than a poll has: leave it to the
                    # caller's retry schedule rather than hammer it after max_backoff.
                    raise FetchError(
                        requested,
                        f"{retry.reason}; asked to retry after {retry.wait:g} s",
                        transient=True,
                        retry_after=retry.wait,
                    ) from None
                if attempt + 1 == attempts:
                    suffix = f" after {attempts} attempts" if attempts > 1 else ""
                    raise FetchError(requested, retry.reason + suffix, transient=True) from None
                delay = min(self.max_backoff, self.backoff * 2**attempt)
                # Full-range jitter in [delay/2, delay]: polls of many feeds restarted together
                # do not hammer a recovering server in lockstep.
                delay *= 0.5 + self._rng.random() / 2
                if retry.wait is not None:
                    delay = max(delay, retry.wait)
                log.info("%s: %s; retrying in %.1f s", url, retry.reason, delay)
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait_for_host(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None and self.per_host_interval > 0:
            wait = last + self.per_host_interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()

    def _attempt(
        self, requested: str, url: str, headers: Mapping[str, str], kind: Kind
    ) -> FetchResult | str:
        import httpx

        started = time.monotonic()
        client = self._http()
        try:
            with client.stream("GET", url, headers=dict(headers)) as response:
                status = response.status_code
                if status in _REDIRECTS and "location" in response.headers:
                    return urljoin(url, response.headers["location"])
                if status == 429 or status >= 500:
                    wait = _retry_after(response.headers.get("retry-after"))
                    label = " (rate limited)" if status == 429 else ""
                    raise _Retry(f"HTTP {status}{label}", wait)
                flat = {k.lower(): v for k, v in response.headers.items()}
                media_type = _media_type(response.headers.get("content-type"))
                if status == 304:
                    return FetchResult(304, url, media_type, None, flat, requested)
                if not 200 <= status < 300:
                    raise FetchError(requested, f"HTTP {status}")
                if not _acceptable(media_type, kind):
                    raise FetchError(
                        requested, f"content type {media_type} is not {_expected(kind)}"
                    )
                body = self._read_capped(requested, response, started)
                return FetchResult(status, url, media_type, body, flat, requested)
        except _Refused as refused:  # from pinned_transport: DNS changed since the check
            raise FetchError(
                requested, f"{refused.reason} at connect time", transient=refused.transient
            ) from None
        except httpx.TimeoutException:
            raise _Retry(f"timed out after {self.timeout:g} s") from None
        except httpx.TooManyRedirects:  # pragma: no cover - we follow by hand
            raise FetchError(requested, "too many redirects") from None
        except (httpx.TransportError, httpx.DecodingError) as error:
            # Connection refused/reset, protocol errors, a body that is not the gzip it claims.
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise _Retry(f"connection failed: {reason}") from None
        except httpx.InvalidURL as error:
            raise FetchError(requested, f"invalid URL: {error}") from None

    def _read_capped(self, requested: str, response: httpx.Response, started: float) -> bytes:
        too_big = f"body larger than {self.max_bytes:,} bytes"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(requested, f"{too_big} (Content-Length {int(declared):,})")
        chunks: list[bytes] = []
        size = 0
        # iter_bytes yields *decoded* bytes, so the cap also stops a gzip bomb.
        for chunk in response.iter_bytes(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(requested, too_big)
            if time.monotonic() - started > self.total_timeout:
                raise _Retry(f"took longer than {self.total_timeout:g} s in all")
            chunks.append(chunk)
        return b"".join(chunks)
