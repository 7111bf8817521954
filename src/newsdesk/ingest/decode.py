"""Bytes to text: byte-order mark, then UTF-8, then the page's own charset, then a guess.

Binary input (images, PDFs, archives, anything with NUL bytes that is not UTF-16/32) is refused
with ``BinaryInput`` so the reader can say "binary file" rather than print mojibake.

>>> decode("café".encode("cp1252"))
'café'
>>> decode("\\ufeffhello".encode("utf-8"))
'hello'
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Signatures of binary formats people drop into a folder of articles by accident.
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "zip archive (docx, xlsx, epub?)"),
    (b"\x7fELF", "executable"),
    (b"\xd0\xcf\x11\xe0", "old Office document"),
    (b"RIFF", "media file"),
    (b"\x1a\x45\xdf\xa3", "media file"),
    (b"ID3", "MP3 audio"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard), and so do we:
# pages that claim latin-1 routinely carry cp1252 curly quotes.
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}
# More than this share of control characters (other than tab, newlines, form feed) in decoded
# text means it was not text: real articles have none, mojibake of binary data has many.
_MAX_CONTROL_SHARE = 0.01
# At or above this share of ASCII bytes, non-UTF-8 text is read as cp1252 (see ``_guess``).
_MIN_ASCII_FOR_CP1252 = 0.7


class BinaryInput(ValueError):
    """The bytes are not text; the message says what they look like."""


def sniff_binary(head: bytes) -> str | None:
    """What kind of binary ``head`` starts like, or None if it may be text.

    >>> sniff_binary(b"%PDF-1.7 ...")
    'PDF'
    >>> sniff_binary(b"plain words") is None
    True
    """
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head and not _bom(head) and not _utf16_guess(head):
        return "binary file"
    return None


def _bom(data: bytes) -> tuple[bytes, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    return None


def _utf16_guess(head: bytes) -> str | None:
    """UTF-16 without a byte-order mark: mostly-ASCII text puts NULs in every other byte."""
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def meta_charset(head: bytes) -> str | None:
    """The encoding an HTML page declares in a ``<meta>`` tag, if Python knows it.

    >>> meta_charset(b'<html><head><meta charset="windows-1252">')
    'cp1252'
    """
    match = _META_CHARSET.search(head[:4096])
    if not match:
        return None
    return encoding_named(match.group(1).decode("ascii", "replace"))


def encoding_named(label: str | None) -> str | None:
    """The Python codec for a charset label (read as browsers read it), or None if unknown.

    >>> encoding_named("ISO-8859-1"), encoding_named("utf8"), encoding_named("klingon")
    ('cp1252', 'utf-8', None)
    """
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    try:
        return codecs.lookup(_WHATWG_ALIASES.get(key, key)).name
    except LookupError:
        return None


def _check_text(text: str) -> str:
    sample = text[:20000]
    controls = sum(
        1 for ch in sample if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc"
    )
    if sample and controls > _MAX_CONTROL_SHARE * len(sample):
        raise BinaryInput("binary file")
    return text


def decode(data: bytes, *, html: bool = False, declared: str | None = None) -> str:
    """Text of ``data``; ``html=True`` also honours a ``<meta charset>`` declaration.

    Order: a byte-order mark; strict UTF-8 (cp1252 text is almost never valid UTF-8, so a
    success is trusted even over a page's own wrong declaration); the charset ``declared``
    by the server (HTTP ``Content-Type``), which outranks the page's (as in browsers); the
    page's meta charset; UTF-16 without a mark; then charset-normalizer's best guess.
    Raises ``BinaryInput``.

    >>> decode("naïve".encode("utf-16"))
    'naïve'
    """
    kind = sniff_binary(data[:8192])
    if kind:
        raise BinaryInput(kind)
    marked = _bom(data)
    if marked:
        bom, encoding = marked
        try:
            return _check_text(data[len(bom) :].decode(encoding))
        except UnicodeDecodeError as error:
            raise BinaryInput(f"undecodable as {encoding} despite its byte-order mark") from error
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    nearly = _nearly_utf8(data)
    if nearly is not None:
        return _check_text(nearly)
    candidates = [encoding_named(declared), meta_charset(data) if html else None]
    candidates.append(_utf16_guess(data))
    for candidate in candidates:
        if candidate:
            try:
                return _check_text(data.decode(candidate))
            except UnicodeDecodeError:
                continue
    return _check_text(_guess(data))


# Bytes that are not UTF-8, as decoded with "surrogateescape"; a lead byte and what follows
# of its sequence at the very end is a character cut in two.
_ESCAPED = re.compile(r"[\udc80-\udcff]+")
_CUT_AT_END = re.compile(r"[\udcc2-\udcf4][\udc80-\udcbf]{0,2}\Z")
_NON_ASCII = re.compile(r"[^\x00-\x7f\udc80-\udcff]")


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few bytes that are not: cut at the end, or a pasted cp1252 byte.

    Decoded as UTF-8 when its valid non-ASCII characters outnumber its bad bytes (cp1252
    text almost never holds a valid UTF-8 sequence; "Ã©" is not prose), with each bad byte
    read as cp1252 and a character cut at the very end dropped. Whole cp1252 decoding would
    turn every accented letter of the text into mojibake. None when it is not nearly UTF-8.
    """
    text = data.decode("utf-8", "surrogateescape")
    valid = len(_NON_ASCII.findall(text))
    if not valid:
        return None  # no UTF-8 sequence at all: "Le caf\xe9" is cp1252, not a cut "é"
    cut = _CUT_AT_END.search(text)
    if cut:
        text = text[: cut.start()]
    if valid <= sum(len(run) for run in _ESCAPED.findall(text)):
        return None
    return _ESCAPED.sub(
        lambda run: bytes(ord(ch) - 0xDC00 for ch in run.group()).decode("cp1252", "replace"),
        text,
    )


def _guess(data: bytes) -> str:
    # English-language files that are not UTF-8 are nearly always cp1252 (or its subset
    # latin-1), and mostly ASCII; charset-normalizer misreads short ones of those (it took
    # b"caf\xe9" for UTF-16 and "na\xefve r\xe9sum\xe9" for cp1006), so it only gets the
    # text that is mostly not ASCII, where its statistics have something to go on.
    sample = data[:200_000]
    ascii_share = sum(1 for byte in sample if byte < 0x80) / max(1, len(sample))
    if ascii_share >= _MIN_ASCII_FOR_CP1252:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise BinaryInput("binary file (no text encoding fits)")
    try:
        return data.decode(str(best.encoding))
    except (UnicodeDecodeError, LookupError) as error:
        raise BinaryInput("binary file (no text encoding fits)") from error
