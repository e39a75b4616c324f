"""decode_seed: BOM, line endings, and the exact errors for files that are not text."""

from __future__ import annotations

import pytest

from sitegen.errors import IngestError
from sitegen.ingest.decode import decode_seed


def test_plain_utf8_is_returned_unchanged() -> None:
    assert decode_seed("Łukasz Kaiser\nLGMar 11, 2023\n".encode(), "a.txt") == (
        "Łukasz Kaiser\nLGMar 11, 2023\n"
    )


def test_bom_is_stripped() -> None:
    assert decode_seed(b"\xef\xbb\xbfLGMay 5\n", "a.txt") == "LGMay 5\n"


def test_crlf_and_lone_cr_become_lf() -> None:
    assert decode_seed(b"a\r\nb\rc\n", "a.txt") == "a\nb\nc\n"


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_or_blank_file(raw: bytes) -> None:
    with pytest.raises(IngestError) as info:
        decode_seed(raw, "blank.txt")
    assert str(info.value) == "blank.txt: file is empty"


def test_unicode_whitespace_only_is_empty() -> None:
    with pytest.raises(IngestError, match="file is empty"):
        decode_seed("\u00a0\u2003\n".encode(), "nbsp.txt")


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(IngestError) as info:
        decode_seed(b"PK\x03\x04\x00\x00binary", "zip.txt")
    assert str(info.value) == "zip.txt: not a text file"


def test_mostly_control_characters_mean_binary() -> None:
    with pytest.raises(IngestError) as info:
        decode_seed(bytes(range(1, 32)) * 10, "junk.txt")
    assert str(info.value) == "junk.txt: not a text file"


def test_a_stray_control_character_is_tolerated() -> None:
    text = "LGMay 5\n" + "x" * 200 + "\x0c\n"
    assert decode_seed(text.encode(), "a.txt") == text


def test_invalid_utf8_names_the_line_and_column() -> None:
    raw = b"first\nsecond\nthi" + b"\xff" + b"rd\n"
    with pytest.raises(IngestError) as info:
        decode_seed(raw, "latin.txt")
    assert info.value.file == "latin.txt"
    assert info.value.line == 3
    assert str(info.value) == "latin.txt:3: invalid UTF-8 byte 0xff at column 4"


def test_invalid_utf8_line_counts_crlf_lines_once() -> None:
    raw = b"a\r\nb\r\n\xe9t\xe9\r\n"
    with pytest.raises(IngestError) as info:
        decode_seed(raw, "cp1252.txt")
    assert info.value.line == 3


def test_truncated_multibyte_sequence_at_end() -> None:
    raw = "ok\nŁ".encode()[:-1]
    with pytest.raises(IngestError) as info:
        decode_seed(raw, "cut.txt")
    assert info.value.line == 2


def test_large_file_decodes() -> None:
    line = "LGMar 11, 2023Code\nTitleAnn Lee, Bob Roe\nAbstract text here.\n"
    raw = line.encode() * 200_000  # about 12 MB
    assert decode_seed(raw, "big.txt").count("\n") == 600_000
