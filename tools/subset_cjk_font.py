"""Regenerate the book's CJK font: Noto Sans CJK SC cut down to the characters the book uses.

    python tools/subset_cjk_font.py            # writes book/_static/fonts/...woff
    python tools/subset_cjk_font.py --check    # exit 1 if the committed font lacks a character

The source is Debian's ``fonts-noto-cjk`` (``apt-get install fonts-noto-cjk``), under the
SIL Open Font License 1.1; so is the subset (``book/_static/fonts/OFL.txt``). The subset
is renamed "Book CJK Subset" so that it is never taken for the full Noto font. Run it
again whenever a chapter, the glossary or the bibliography gains a Chinese character
(``tests/test_book_html.py`` fails until then).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
OUT = ROOT / "book" / "_static" / "fonts" / "NotoSansCJKsc-book-subset.woff"
FAMILY = "Book CJK Subset"
# The ranges in book/_static/book.css's unicode-range.
CJK = re.compile("[\u2e80-\u2fdf\u3000-\u303f\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf"
                 "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
SOURCES = ("book/**/*.md", "book/**/*.ipynb", "actlib/references.bib", "_config.yml", "_toc.yml")


def book_characters(root: Path = ROOT) -> set[str]:
    """Every CJK character in the book's sources (chapters, pages, bibliography)."""
    chars: set[str] = set()
    for pattern in SOURCES:
        for path in root.glob(pattern):
            if any(part.startswith((".", "_build")) for part in path.relative_to(root).parts):
                continue
            chars |= set(CJK.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return chars


def font_characters(path: Path = OUT) -> set[str]:
    from fontTools.ttLib import TTFont

    return {chr(c) for c in TTFont(path).getBestCmap()}


def build(chars: set[str]) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: apt-get install fonts-noto-cjk")
    collection = TTCollection(SOURCE)
    font = next(f for f in collection.fonts if "SC" in f["name"].getDebugName(1))
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["kern", "vert", "vrt2"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(ord(c) for c in chars))
    sub.subset(font)
    names = font["name"]
    for rec in list(names.names):
        if rec.nameID in (16, 17):
            names.removeNames(nameID=rec.nameID)
    names.setName(FAMILY, 1, 3, 1, 0x409)
    names.setName("Regular", 2, 3, 1, 0x409)
    names.setName(FAMILY, 4, 3, 1, 0x409)
    names.setName(FAMILY.replace(" ", "") + "-Regular", 6, 3, 1, 0x409)
    names.setName(f"{FAMILY}; subset of {names.getDebugName(3)}", 3, 3, 1, 0x409)
    for rec in list(names.names):  # Mac and localised family names of the full font
        if rec.platformID != 3 or rec.langID != 0x409:
            names.names.remove(rec)
    font.flavor = "woff"
    font.recalcTimestamp = False  # the same characters give the same bytes
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT, reorderTables=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the committed font")
    args = parser.parse_args()
    chars = book_characters()
    if args.check:
        missing = sorted(chars - font_characters())
        if missing:
            print("missing from the font:", "".join(missing))
            return 1
        print(f"the font covers all {len(chars)} CJK characters of the book")
        return 0
    build(chars)
    print(f"{OUT.relative_to(ROOT)}: {len(chars)} characters, {OUT.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
