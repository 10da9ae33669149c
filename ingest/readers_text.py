"""TXT/MD files into :class:`RawText`, and the text decoding and line splitting the other readers
(``readers_pdf``, ``readers_markup``) share; ``readers.read_file`` dispatches by extension.
Every unusable input raises :class:`IngestError` naming the file, the place and the problem.

Text encodings tried, in order: BOM (UTF-8/UTF-16/UTF-32), UTF-16 without BOM
(NUL bytes concentrated on one byte parity), UTF-8, then GB18030 and Big5 decoded
strictly and scored by how many of their CJK characters are *common* ones in the
encoding's own layout (GB2312 level 1 / Big5 常用字 block): a Big5 file decoded as
GBK yields kana, Greek and rare characters, and vice versa.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from .errors import IngestError
from .model import RawText

MAX_TEXT_BYTES = 256 << 20  # a bigger "text" file is almost surely not a policy
_NEWLINE = re.compile(r"\r\n|\r|\n")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# C0 controls that never appear in text files (\t \n \v \f \r and ESC/SUB excepted)
_CONTROL = frozenset(range(32)) - {9, 10, 11, 12, 13, 26, 27}
NOT_TEXT = "not UTF-8, UTF-16, GB18030 or Big5 text"


def split_lines(text: str) -> tuple[str, ...]:
    """Physical lines split on \\n, \\r\\n and \\r only (not str.splitlines' \\f, \\x1c…).

    >>> split_lines("a\\r\\nb\\rc\\n\\nd\\x0ce\\n")
    ('a', 'b', 'c', '', 'd\\x0ce')
    >>> split_lines("")
    ()
    """
    if not text:
        return ()
    parts = _NEWLINE.split(text)
    if parts[-1] == "":
        parts.pop()
    return tuple(parts)


def _common_ratio(text: str, encoding: str) -> float:
    """Share of CJK ideographs that sit in the encoding's frequent-character block.

    >>> _common_ratio("中华人民共和国", "gb18030")
    1.0
    >>> _common_ratio("中華人民共和國", "big5")
    1.0
    """
    n = hits = 0
    for ch in text:
        if not ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"):
            continue
        n += 1
        try:
            b = ch.encode("gb2312" if encoding == "gb18030" else "big5")
        except UnicodeEncodeError:
            continue
        if encoding == "gb18030":
            hits += 0xB0 <= b[0] <= 0xD7  # GB2312 level 1: the 3,755 most used hanzi
        else:
            hits += 0xA440 <= int.from_bytes(b, "big") <= 0xC67E  # Big5 常用字 (5,401)
    # text with no ideograph at all (kana/Greek soup) scores 0
    return hits / n if n else 0.0


_PLAIN = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u206f\u2460-\u24ff\u3000-\u303f"
                    r"\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: NULs mostly on one byte parity (the high byte of ASCII;
    U+4E00 一 puts some on the other) and a strict decode that reads as plain text."""
    head = data[:65536]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if even + odd < max(2, len(head) // 400):
        return None
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    if max(even, odd) < 2 * min(even, odd):
        return None
    for enc in order:
        sample = head[: len(head) // 2 * 2 - (4 if len(head) == 65536 else 0)]  # no split pair
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        if len(_PLAIN.findall(text)) >= 0.95 * len(text):
            return enc
    return None


def _check_not_binary(data: bytes, source: str) -> None:
    head = data[:65536]
    nul = head.find(0)
    if nul >= 0:
        raise IngestError(source, f"byte {nul}", "binary data (NUL bytes), not a text file")
    ctrl = sum(1 for b in head if b in _CONTROL)
    if ctrl > max(8, len(head) // 200):
        first = next(i for i, b in enumerate(head) if b in _CONTROL)
        raise IngestError(source, f"byte {first}",
                          f"binary data ({ctrl} control bytes in the first {len(head)}), not a text file")


def decode_text(data: bytes, source: str) -> tuple[str, str, tuple[str, ...]]:
    """(text, encoding, warnings) of a text file's bytes; IngestError when undecodable.

    >>> decode_text("第一条".encode("gbk"), "a.txt")[:2]
    ('第一条', 'gbk')
    >>> decode_text("\\ufeff第一条".encode("utf-8"), "a.txt")[:2]
    ('第一条', 'utf-8-sig')
    """
    if not data:
        raise IngestError(source, None, "empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc).lstrip("\ufeff"), enc, ()
            except UnicodeDecodeError as e:
                raise IngestError(source, f"byte {e.start}", f"invalid {enc} text after its BOM") from None
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            return data.decode(enc16), enc16, ("no BOM: decoded as " + enc16,)
        except UnicodeDecodeError:
            pass  # NULs for another reason: the binary check below says so
    _check_not_binary(data, source)
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError as e:
        utf8_error = e.start
        if e.reason == "unexpected end of data" and e.start >= len(data) - 3:  # cut mid-character
            return (data[:e.start].decode("utf-8"), "utf-8",
                    (f"incomplete UTF-8 character at the end (byte {e.start}) dropped",))
    best: tuple[float, str, str] | None = None
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _common_ratio(text[:200_000], enc)
        if best is None or score > best[0]:
            best = (score, enc, text)
    # mojibake (UTF-8 read as GB18030, mixed files) has few frequent hanzi
    if best is None or best[0] < 0.5:
        bad = data[utf8_error:utf8_error + 4].hex(" ")
        raise IngestError(source, f"byte {utf8_error}", f"{NOT_TEXT} (bytes {bad} …)")
    score, enc, text = best
    if enc == "gb18030":
        try:
            data.decode("gbk")
            enc = "gbk"
        except UnicodeDecodeError:
            pass
    return text, enc, ()


def read_text(path: Path, fmt: Literal["txt", "md"]) -> RawText:
    source = str(path)
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise IngestError(source, None, f"file too large for a text file ({path.stat().st_size} bytes)")
    text, enc, warnings = decode_text(path.read_bytes(), source)
    lines = split_lines(text)
    return RawText(source=source, format=fmt, lines=lines, pages=(None,) * len(lines),
                   encoding=enc, warnings=warnings)
