"""Bytes to text for news files: UTF-8/16/32 by BOM, else the most plausible of UTF-8, a declared
charset, Windows-1251, KOI8-R and charset-normalizer's guess, judged by how Russian or English the
result reads. Binary content is refused with a reason.

Russian sites still serve Windows-1251 and KOI8-R; any byte decodes in both, so plausibility decides:
real Russian text is mostly lower-case and never mixes scripts inside a word.

>>> decode_text("Тульская область".encode("cp1251"))
('Тульская область', 'cp1251')
>>> decode_text("Тульская область".encode("koi8_r"))
('Тульская область', 'koi8_r')
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable

# Control characters other than tab, newlines and form feed above this share mean binary content.
MAX_CONTROL_SHARE = 0.005
# A legacy 8-bit decoding scoring below this is noise (random bytes, an unknown binary format).
MIN_PLAUSIBILITY = 0.0
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC_FIRST = ("cp1251", "koi8_r")
# Per-character category checks are slow in Python; the text of a news article is almost all ASCII,
# Latin-1, Cyrillic and general punctuation, none of which is a control character or a symbol
# (tests/test_readers.py checks these ranges character by character). Only characters outside them
# are looked at one by one, so the results are exactly those of checking every character.
_TEXT_RANGES = "\\x20-\\x7e\\xa0-\\u0377\\u0400-\\u052f\\u2000-\\u2064\\u20a0-\\u20c0\\u2100-\\u218b\\u2190-\\u2426"
_CONTROL_SUSPECT = re.compile(f"[^\\t\\n\\r\\f{_TEXT_RANGES}]+")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept; the message says why."""


def _bom_encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def control_share(text: str) -> float:
    """Share of characters that are control characters (not whitespace) or replacement marks."""
    if not text:
        return 0.0
    bad = sum(1 for run in _CONTROL_SUSPECT.findall(text) for ch in run if is_control(ch))
    return bad / len(text)


def is_control(ch: str) -> bool:
    """Whether one character counts towards `control_share` (checked for every character it is given)."""
    return ((ch < " " and ch not in "\t\n\r\f") or ch in "\x7f\ufffd"
            or unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t\n\r\f")


def is_symbol(ch: str) -> bool:
    """Whether one character is a symbol that mis-decoded text is full of (box drawing, dingbats)."""
    return unicodedata.category(ch) == "So" or 0x2500 <= ord(ch) <= 0x259F


def symbol_count(text: str) -> int:
    """How many characters of `text` are symbols (`is_symbol`)."""
    return sum(1 for run in _SYMBOL_SUSPECT.findall(text) for ch in run if is_symbol(ch))


def ranges_where(test: Callable[[str], bool], stop: int, start: int = 0) -> str:
    """A regex class body of the code points in [start, stop) for which `test` holds."""
    parts, first = [], None
    for code in range(start, stop + 1):
        inside = code < stop and test(chr(code))
        if inside and first is None:
            first = code
        elif not inside and first is not None:
            parts.append(f"\\u{first:04x}-\\u{code - 1:04x}")
            first = None
    return "".join(parts)


# Symbols inside the common ranges (©, °, №, arrows) are listed exactly, from a scan made once.
_SYMBOL_SUSPECT = re.compile(f"[^{_TEXT_RANGES}]+|[{ranges_where(is_symbol, 0x2427)}]+")


def _space_share(text: str) -> float:
    return sum(ch.isspace() for ch in text) / len(text) if text else 0.0


def plausibility(text: str) -> float:
    """How much `text` reads like natural Russian or English (1.0 is best; may go negative)."""
    if control_share(text) > MAX_CONTROL_SHARE:
        return -10.0
    words = _WORD.findall(text)
    if not words:
        return 0.0
    mixed = foreign = 0
    cyr = cyr_upper = 0
    for word in words:
        has_cyr = has_lat = False
        for ch in word:
            code = ord(ch)
            if 0x0400 <= code <= 0x04FF:
                has_cyr = True
                cyr += 1
                cyr_upper += ch.isupper()
            elif code < 0x0250:
                has_lat = True
            else:
                foreign += 1
        mixed += has_cyr and has_lat
    letters = sum(len(w) for w in words)
    symbols = symbol_count(text)
    score = 1.0 - 3.0 * mixed / len(words) - 2.0 * foreign / letters - 5.0 * symbols / len(text)
    if cyr:
        score -= max(0.0, cyr_upper / cyr - 0.35)  # mis-decoded Cyrillic comes out mostly upper-case
    return score


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _normaliser_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return best.encoding if best is not None else None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """The text of `data` and the encoding used; raises DecodeError for binary or empty content.

    `declared` is a charset the container states (an HTML <meta charset>); it is a candidate,
    not an order, because sites often declare one encoding and serve another.
    """
    if not data.strip():
        raise DecodeError("empty file")
    bom = _bom_encoding(data)
    if bom:
        text = _try(data, bom)
        if text is None:
            raise DecodeError(f"invalid {bom} content after its byte-order mark")
        return _checked(text, bom), bom
    if b"\x00" in data:
        # UTF-16 without a BOM is the only text with NUL bytes; anything else is binary.
        for enc in ("utf-16-le", "utf-16-be"):
            text = _try(data, enc) if len(data) % 2 == 0 else None
            # prose has spaces between words; random bytes read as UTF-16 are one long "word"
            if text is not None and plausibility(text) > 0.8 and _space_share(text) >= 0.05:
                return text, enc
        raise DecodeError("binary content (NUL bytes), not a text file")
    text = _try(data, "utf-8")
    if text is not None:
        return _checked(text, "utf-8"), "utf-8"
    candidates: list[str] = []
    for enc in (declared, *_CYRILLIC_FIRST, _normaliser_guess(data)):
        if enc and codecs.lookup(enc).name not in {codecs.lookup(c).name for c in candidates}:
            candidates.append(enc)
    decoded = [(enc, t) for enc in candidates if (t := _try(data, enc)) is not None]
    if not decoded:
        raise DecodeError("cannot be decoded as text in any supported encoding")
    score, enc, text = max(((plausibility(t), enc, t) for enc, t in decoded), key=lambda trio: trio[0])
    if score < MIN_PLAUSIBILITY:
        raise DecodeError(f"does not decode to sensible text (best guess {enc}), not a text file")
    return _checked(text, enc), enc


def _checked(text: str, encoding: str) -> str:
    share = control_share(text)
    if share > MAX_CONTROL_SHARE:
        raise DecodeError(f"binary content ({share:.0%} control characters as {encoding}), not a text file")
    return text
