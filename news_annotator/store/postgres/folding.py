"""Diacritics folded for search, as a file's FTS5 index folds them (unicode61,
remove_diacritics): "Zoe" finds "Zoë". One table serves the index (the SQL `fold()` that
migration 0003 defines, a `translate()` generated from it) and the query (Python).
"""

from __future__ import annotations

import unicodedata

# Letters with no decomposition that FTS5 still folds to a plain Latin letter.
_UNDECOMPOSED = {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h",
                 "Ħ": "H", "ı": "i"}
# Latin-1 Supplement, Latin Extended-A and -B, Latin Extended Additional.
_BLOCKS = (range(0xC0, 0x250), range(0x1E00, 0x1F00))


def fold_table() -> tuple[str, str]:
    """(accented letters, their plain letters): one character for one, as translate() needs."""
    accented, plain = [], []
    for block in _BLOCKS:
        for code in block:
            letter = chr(code)
            parts = unicodedata.normalize("NFKD", letter)
            if len(parts) > 1 and parts[0].isascii() and parts[0].isalpha() \
                    and all(unicodedata.combining(mark) for mark in parts[1:]):
                accented.append(letter)
                plain.append(parts[0])
            elif letter in _UNDECOMPOSED:
                accented.append(letter)
                plain.append(_UNDECOMPOSED[letter])
    return "".join(accented), "".join(plain)


_TABLE = str.maketrans(*fold_table())


def fold(text: str) -> str:
    """`text` with the diacritics of Latin letters removed (what the index holds)."""
    return text.translate(_TABLE)


def migration_sql() -> str:
    """The SQL function `fold(text)` of migration 0003, generated from `fold_table`."""
    accented, plain = fold_table()
    return ("CREATE FUNCTION fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE\n"
            f"RETURN translate(t, '{accented}', '{plain}');\n")
