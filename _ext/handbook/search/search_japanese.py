"""English search that also finds Japanese words.

Why: the handbook is in English but names places and institutions in Japanese script
(柏の葉キャンパス駅). Sphinx's English index splits text at non-word characters, so a Japanese
sentence, written without spaces, is indexed as one long "word": a reader searching for
柏の葉キャンパス finds nothing unless they type the whole sentence it sits in.

This module registers a search language for ``en`` that indexes English exactly as Sphinx
does (same word pattern, stop words and Snowball stemmer) and cuts runs of Japanese script
into words with Sphinx's own Japanese segmenter, TinySegmenter
(:class:`sphinx.search.ja.DefaultSplitter`). The query typed in the browser must be cut the
same way, or its words would not match the index: :func:`splitter_javascript` ports the same
segmenter to JavaScript, reading the model from the Python class, and Sphinx puts it in
``language_data.js`` as the ``splitQuery`` function that ``searchtools.js`` calls.

Single hiragana characters (の, は, を: mostly particles) are dropped on both sides, as
Sphinx's own Japanese search drops one-character words; single kanji (柏, 駅) are kept,
since a kanji alone is often a word.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import TYPE_CHECKING

from sphinx.search.en import SearchEnglish
from sphinx.search.ja import DefaultSplitter

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

# Japanese script: hiragana, katakana (with ー), CJK ideographs (with extension A and the
# compatibility block), the iteration and closing marks 々 and 〆, and half-width katakana.
JAPANESE_CHARACTERS = (
    "\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006\uff66-\uff9f"
)
_JAPANESE = re.compile(f"[{JAPANESE_CHARACTERS}]")
_JAPANESE_OR_NOT = re.compile(f"[{JAPANESE_CHARACTERS}]+|[^{JAPANESE_CHARACTERS}]+")
_LONE_HIRAGANA = re.compile("[\u3040-\u309f]")


def is_searchable(word: str) -> bool:
    """False for the lone hiragana TinySegmenter cuts off: particles nobody searches for."""
    return bool(word) and not (len(word) == 1 and _LONE_HIRAGANA.match(word))


class SearchEnglishWithJapanese(SearchEnglish):
    """Sphinx's English search language, plus word splitting for Japanese script."""

    # language_name stays "English": Sphinx names the JavaScript stemmer after it.
    lang = "en"

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.japanese_splitter = DefaultSplitter(options)
        # Each word's stem, once: the pure-Python stemmer is a tenth of a second per page,
        # and a page repeats most of its words (a whole build, most of its vocabulary).
        self._stems: dict[str, str] = {}

    def split(self, input: str) -> list[str]:
        words: list[str] = []
        for run in self._word_re.findall(input):
            if not _JAPANESE.search(run):
                words.append(run)
                continue
            # "T2K実験" holds two words: one Latin, one Japanese.
            for piece in _JAPANESE_OR_NOT.findall(run):
                if _JAPANESE.match(piece):
                    words.extend(filter(is_searchable, self.japanese_splitter.split(piece)))
                else:
                    words.append(piece)
        return words

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            # The English stemmer has no business with Japanese words.
            stem = self._stems[word] = word if _JAPANESE.search(word) else super().stem(word)
        return stem

    @property
    def js_splitter_code(self) -> str:  # type: ignore[override]  # a class attribute in Sphinx
        return splitter_javascript()


@cache
def splitter_javascript() -> str:
    """``splitQuery`` for ``language_data.js``: the query-side twin of :meth:`split`.

    The model tables and character classes are read from Sphinx's DefaultSplitter, so the
    two sides cannot drift apart when Sphinx updates its model.
    """
    model = {
        name: value
        for name, value in vars(DefaultSplitter).items()
        if name.endswith("__") and not name.startswith("__")
    }
    patterns = DefaultSplitter.patterns_.items()
    character_types = [[pattern.pattern, kind] for pattern, kind in patterns]
    return (
        _SPLITTER_TEMPLATE.replace(
            "@MODEL@", json.dumps(model, ensure_ascii=False, separators=(",", ":"))
        )
        .replace("@TYPES@", json.dumps(character_types, ensure_ascii=False))
        .replace("@JAPANESE@", JAPANESE_CHARACTERS.encode("unicode_escape").decode("ascii"))
    )


# A port of DefaultSplitter.split, line for line. `var`, not `const`: language_data.js is loaded
# after searchtools.js, which has already declared its default splitQuery with `var`.
_SPLITTER_TEMPLATE = """\
/* splitQuery from the handbook's handbook.search.search_japanese: Sphinx's English word
 * splitting, with runs of Japanese script cut into words by TinySegmenter
 * (model: sphinx.search.ja). */
var splitQuery = (() => {
  const m = @MODEL@;
  const types = @TYPES@.map(([pattern, kind]) => [new RegExp("^" + pattern, "u"), kind]);
  const japanese = /[@JAPANESE@]/u;
  const japaneseOrNot = /[@JAPANESE@]+|[^@JAPANESE@]+/gu;
  const ts = (table, key) => (Object.hasOwn(table, key) ? table[key] : 0);
  const ctype = (c) => (types.find(([re]) => re.test(c)) || [null, "O"])[1];
  const segment = (input) => {
    const chars = Array.from(input);
    if (chars.length === 0) return [];
    const seg = ["B3", "B2", "B1", ...chars, "E1", "E2", "E3"];
    const ct = ["O", "O", "O", ...chars.map(ctype), "O", "O", "O"];
    const result = [];
    let word = seg[3], p1 = "U", p2 = "U", p3 = "U";
    for (let i = 4; i < seg.length - 3; i++) {
      const [w1, w2, w3, w4, w5, w6] = seg.slice(i - 3, i + 3);
      const [c1, c2, c3, c4, c5, c6] = ct.slice(i - 3, i + 3);
      let score = m.BIAS__;
      score += ts(m.UP1__, p1) + ts(m.UP2__, p2) + ts(m.UP3__, p3);
      score += ts(m.BP1__, p1 + p2) + ts(m.BP2__, p2 + p3);
      score += ts(m.UW1__, w1) + ts(m.UW2__, w2) + ts(m.UW3__, w3);
      score += ts(m.UW4__, w4) + ts(m.UW5__, w5) + ts(m.UW6__, w6);
      score += ts(m.BW1__, w2 + w3) + ts(m.BW2__, w3 + w4) + ts(m.BW3__, w4 + w5);
      score += ts(m.TW1__, w1 + w2 + w3) + ts(m.TW2__, w2 + w3 + w4);
      score += ts(m.TW3__, w3 + w4 + w5) + ts(m.TW4__, w4 + w5 + w6);
      score += ts(m.UC1__, c1) + ts(m.UC2__, c2) + ts(m.UC3__, c3);
      score += ts(m.UC4__, c4) + ts(m.UC5__, c5) + ts(m.UC6__, c6);
      score += ts(m.BC1__, c2 + c3) + ts(m.BC2__, c3 + c4) + ts(m.BC3__, c4 + c5);
      score += ts(m.TC1__, c1 + c2 + c3) + ts(m.TC2__, c2 + c3 + c4);
      score += ts(m.TC3__, c3 + c4 + c5) + ts(m.TC4__, c4 + c5 + c6);
      // UQ1 twice, as in sphinx.search.ja (the original TinySegmenter has UQ3 for p3 + c3):
      // the query must be cut exactly as the index was.
      score += ts(m.UQ1__, p1 + c1) + ts(m.UQ2__, p2 + c2) + ts(m.UQ1__, p3 + c3);
      score += ts(m.BQ1__, p2 + c2 + c3) + ts(m.BQ2__, p2 + c3 + c4);
      score += ts(m.BQ3__, p3 + c2 + c3) + ts(m.BQ4__, p3 + c3 + c4);
      score += ts(m.TQ1__, p2 + c1 + c2 + c3) + ts(m.TQ2__, p2 + c2 + c3 + c4);
      score += ts(m.TQ3__, p3 + c1 + c2 + c3) + ts(m.TQ4__, p3 + c2 + c3 + c4);
      let p = "O";
      if (score > 0) {
        result.push(word.trim());
        word = "";
        p = "B";
      }
      p1 = p2;
      p2 = p3;
      p3 = p;
      word += seg[i];
    }
    result.push(word.trim());
    return result;
  };
  const searchable = (word) => word !== "" && !/^[\\u3040-\\u309f]$/u.test(word);
  return (query) =>
    query
      .split(/[^\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}]+/gu)
      .filter((run) => run)
      .flatMap((run) =>
        japanese.test(run)
          ? run.match(japaneseOrNot).flatMap((piece) =>
              japanese.test(piece) ? segment(piece).filter(searchable) : [piece])
          : [run]);
})();
"""


def setup(app: Sphinx) -> ExtensionMetadata:
    # Replaces Sphinx's "en" entry (a process-wide table): English builds get Japanese splitting.
    app.add_search_language(SearchEnglishWithJapanese)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
