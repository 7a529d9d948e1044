"""Name keys for screening: one name in Hanzi or Latin letters, ready to compare.

Chinese names are compared as *syllables*, not letters: 王建国 and "Wang Jianguo", "WANG Jian-guo",
"Jianguo Wang" and "wáng jiànguó" all become ``wang jian guo``. Comparing letters would make
"wangjianguo" and "wangjianjun" look 82% alike although they share only a surname and a
common character; comparing syllables gives 2 of 3. When both names are written in Hanzi the
characters decide (王伟 and 王玮 sound alike but are different names).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import product
from typing import Any, TypedDict

from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.pinyin_dict import pinyin_dict

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_WORD = re.compile(r"[^a-z\s]+")
MAX_WORDS_ROTATED = 4
MAX_SURNAME_VARIANTS = 4


class NameKey(TypedDict):
    text: str
    hanzi: str
    latin: str
    syllables: list[list[str]]


def strip_marks(text: str) -> str:
    """Lower case, tone marks and umlauts removed (ü → u), tone numbers dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\d", "", plain)


def _plain_syllable(raw: str) -> str:
    return strip_marks(raw).replace("ü", "u").replace("v", "u")


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (ü written u)."""
    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            found.add(_plain_syllable(reading))
    return frozenset(s for s in found if s.isalpha())


@lru_cache(maxsize=4096)
def segment(word: str) -> tuple[str, ...] | None:
    """Split a run of letters into pinyin syllables, fewest syllables first; None if it can't."""
    word = word.replace("lyu", "lu").replace("nyu", "nu").replace("v", "u")
    known = syllables()
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            piece = word[start:end]
            if head is not None and piece in known:
                candidate = (*head, piece)
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(word)]


def latin_words(text: str) -> list[str]:
    plain = strip_marks(text).replace("'", " ").replace("’", " ")
    return _NOT_WORD.sub(" ", plain).split()


def _hanzi_syllables(hanzi: str) -> list[list[str]]:
    """Pinyin of a Hanzi name; the surname's other readings too (单 Shan/Dan, 曾 Zeng/Ceng)."""
    rest = [_plain_syllable(s) for s in lazy_pinyin(hanzi[1:], style=Style.NORMAL)]
    surname = pinyin(hanzi[0], style=Style.NORMAL, heteronym=True)[0]
    readings = list(dict.fromkeys(_plain_syllable(s) for s in surname))[:MAX_SURNAME_VARIANTS]
    return [[first, *rest] for first in readings]


def _latin_syllables(words: list[str]) -> list[list[str]]:
    """Syllables for each rotation of the words (surname first or last), if all are pinyin."""
    if not words or len(words) > MAX_WORDS_ROTATED:
        return []
    pieces = [segment(word) for word in words]
    if any(piece is None for piece in pieces):
        return []
    found: list[list[str]] = []
    for shift in range(len(words)):
        order = pieces[shift:] + pieces[:shift]
        flat = [syllable for piece in order if piece for syllable in piece]
        if flat not in found:
            found.append(flat)
    return found


def name_key(text: str) -> NameKey:
    """The comparable form of one name as written."""
    hanzi = "".join(_HAN.findall(text))
    if hanzi:
        variants = _hanzi_syllables(hanzi)
        return NameKey(text=text, hanzi=hanzi, latin=" ".join(variants[0]), syllables=variants)
    words = latin_words(text)
    return NameKey(text=text, hanzi="", latin=" ".join(words), syllables=_latin_syllables(words))


def name_keys(names: list[str]) -> list[NameKey]:
    keys = []
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        key = name_key(name)
        if key["hanzi"] or key["latin"]:
            keys.append(key)
    return keys


def pinyin_name(hanzi_name: str) -> str:
    """The usual Latin form of a Chinese name: surname, then the given name run together."""
    syl = [s.capitalize() for s in lazy_pinyin(hanzi_name, style=Style.NORMAL)]
    if len(syl) <= 1:
        return "".join(syl)
    return f"{syl[0]} {''.join(syl[1:]).capitalize()}"


def latin_name(name: str) -> str:
    """The name in Latin letters: pinyin for a Hanzi name, the name itself otherwise."""
    return pinyin_name(name) if _HAN.search(name) else name


def as_keys(raw: Any) -> list[NameKey]:
    """Keys as stored in JSON (lists of dicts) back to typed keys."""
    return [
        NameKey(
            text=item["text"],
            hanzi=item["hanzi"],
            latin=item["latin"],
            syllables=item["syllables"],
        )
        for item in raw or []
    ]


def combos(a: NameKey, b: NameKey) -> list[tuple[list[str], list[str]]]:
    return list(product(a["syllables"], b["syllables"]))
