"""Rebuild the shipped CJK font: a Windows-31J subset of Noto Sans CJK JP, renamed.

Usage: python scripts/build_cjk_font.py /path/to/NotoSansCJK-Regular.ttc
(Debian's fonts-noto-cjk has it at /usr/share/fonts/opentype/noto/). Writes
jembatan/static/jembatan/fonts/JembatanNotoSansJP-Regular.woff2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

FAMILY = "Jembatan Noto Sans JP"
OUT = Path(__file__).resolve().parent.parent / "jembatan/static/jembatan/fonts"
RANGES = [
    (0x20, 0x7F),  # ASCII
    (0xA0, 0x180),  # Latin-1 and Latin Extended-A
    (0x2000, 0x2070),  # general punctuation
    (0x2100, 0x2200),  # letter-like symbols, arrows
    (0x2460, 0x2600),  # enclosed numbers, box drawing
    (0x3000, 0x3100),  # CJK symbols, hiragana, katakana
    (0x3200, 0x3400),  # enclosed CJK letters, CJK compatibility
    (0xFF00, 0xFFF0),  # half-width and full-width forms
]


def windows_31j() -> set[int]:
    """Every character Windows-31J (cp932) encodes in two bytes: the kanji Japanese uses."""
    found = set()
    for lead in range(0x81, 0xF0):
        for trail in range(0x40, 0xFD):
            try:
                text = bytes([lead, trail]).decode("cp932")
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(ord(text))
    return found


def build(source: Path) -> Path:
    font: TTFont = TTCollection(str(source)).fonts[0]  # face 0: Noto Sans CJK JP
    wanted = windows_31j().union(*(range(a, b) for a, b in RANGES))
    wanted &= set(font.getBestCmap())
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "") + "-Regular"
    font.flavor = "woff2"
    target = OUT / "JembatanNotoSansJP-Regular.woff2"
    font.save(str(target))
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
