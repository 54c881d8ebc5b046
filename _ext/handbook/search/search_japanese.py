"""Search that finds Japanese words, in the English and in the Japanese edition.

Why: the handbook names places and institutions in Japanese script (柏の葉キャンパス駅), and
its Japanese edition is written in it. Japanese is written without spaces, so the index
must cut it into words, and the query typed in the browser must be cut the same way, or its
words would not match the index.

- English: Sphinx's English index splits text at non-word characters, so a Japanese
  sentence is indexed as one long "word". :class:`SearchEnglishWithJapanese` indexes English
  exactly as Sphinx does (same word pattern, stop words and Snowball stemmer) and cuts runs
  of Japanese script into words with Sphinx's own Japanese segmenter, TinySegmenter
  (:class:`sphinx.search.ja.DefaultSplitter`).
- Japanese: Sphinx's Japanese index (``sphinx.search.ja``) does cut words, but keeps none of
  one character, and ``searchtools.js`` matches a query word of one or two characters only
  as a whole term. TinySegmenter keeps 柏キャンパス and 柏駅 whole, so 柏 found nothing.
  :class:`SearchJapaneseWithShortWords` cuts the text as the English class does and also
  indexes the one- and two-character pieces of each Japanese run (:func:`short_pieces`).

Both classes index the same terms for Japanese script: TinySegmenter's words, plus each
kanji alone and each pair of adjacent kanji. A query is cut by
:meth:`JapaneseWords.split_query`: a run of one or two kanji stays whole (a reader typing 柏
or 研究 means that string, and the index holds it wherever the text does); any other run
is cut into TinySegmenter's words, and :func:`query_terms` turns a word of three kanji or
more into its pairs of adjacent kanji (研究所: 研究 and 究所, both required), found however
TinySegmenter cut the text. Other words (ニュートリノ, 柏キャンパス) are found as index terms
or, with three characters or more, inside longer ones (ニュートリノビーム), as
``searchtools.js`` does. :func:`splitter_javascript` ports the same query splitting,
TinySegmenter included, to JavaScript, reading the model from the Python class; Sphinx
puts it in ``language_data.js`` as the ``splitQuery`` function that ``searchtools.js``
calls.

Single hiragana characters (の, は, を: mostly particles) are dropped on both sides, as
Sphinx's own Japanese search drops one-character words; single kanji (柏, 駅) are kept,
since a kanji alone is often a word.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from sphinx.search.en import SearchEnglish
from sphinx.search.ja import DefaultSplitter, SearchJapanese

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
#: The longest Japanese query run kept whole: searchtools.js finds a query word of up to
#: two characters only as a whole index term, so the index holds every such piece.
SHORT = 2


def is_searchable(word: str) -> bool:
    """False for the lone hiragana TinySegmenter cuts off: particles nobody searches for."""
    return bool(word) and not (len(word) == 1 and _LONE_HIRAGANA.match(word))


# Kanji: the CJK ideographs of JAPANESE_CHARACTERS, with 々 and 〆.
KANJI_CHARACTERS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006"
_KANJI = re.compile(f"[{KANJI_CHARACTERS}]+")


def is_short_piece(piece: str) -> bool:
    """Whether the index holds ``piece`` wherever the text holds it: one kanji (柏, 駅) or two
    (柏市, 研究), the shapes of most short Japanese words. Kana pairs and single kana are
    left to TinySegmenter: indexing them too made the Japanese edition's index 399 kB
    instead of 233 kB (2026-12-03), for queries (ニュ, の葉) that are rarely words."""
    return len(piece) <= SHORT and bool(_KANJI.fullmatch(piece))


def short_pieces(run: str) -> Iterator[str]:
    """The kanji and the pairs of adjacent kanji of a Japanese run (研究所: 研, 究, 所, 研究,
    究所), which a reader may search for alone."""
    for size in range(1, SHORT + 1):
        for start in range(len(run) - size + 1):
            if is_short_piece(piece := run[start : start + size]):
                yield piece


def query_terms(word: str) -> list[str]:
    """The index terms a query word must all match: a word of three kanji or more as its
    pairs of adjacent kanji (研究所: 研究 and 究所), which the index holds wherever the text
    holds the word, however TinySegmenter cut the text around it (宇宙線研究所 is not always
    宇宙線 | 研究所); any other word as it is.

    Words that mix scripts stay whole: cutting 柏キャンパス into 柏 and キャンパス found the 4
    pages of the Japanese edition where TinySegmenter cut 大学柏 | キャンパス, but also 7
    pages that hold both words apart, ranked no lower (2026-12-03)."""
    if len(word) <= SHORT or not _KANJI.fullmatch(word):
        return [word]
    return [word[start : start + SHORT] for start in range(len(word) - 1)]


class JapaneseWords:
    """Word splitting for text with Japanese runs, shared by both search languages."""

    _word_re: re.Pattern[str]

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)  # type: ignore[call-arg]  # the SearchLanguage beside it
        self.japanese_splitter = DefaultSplitter(options)

    def _pieces(self, input: str) -> Iterator[tuple[str, bool]]:
        """Sphinx's words of ``input``, with Latin and Japanese in one run apart ("T2K実験"
        holds two words); each with whether it is Japanese."""
        for run in self._word_re.findall(input):
            if not _JAPANESE.search(run):
                yield run, False
                continue
            for piece in _JAPANESE_OR_NOT.findall(run):
                yield piece, bool(_JAPANESE.match(piece))

    def japanese_words(self, run: str) -> list[str]:
        """TinySegmenter's words of a Japanese run, without lone hiragana."""
        return list(filter(is_searchable, self.japanese_splitter.split(run)))

    def split(self, input: str) -> list[str]:
        """The index's terms: words, plus the short pieces of Japanese runs."""
        words: list[str] = []
        for piece, japanese in self._pieces(input):
            if japanese:
                words.extend(self.japanese_words(piece))
                words.extend(short_pieces(piece))
            else:
                words.append(piece)
        return words

    def split_query(self, query: str) -> list[str]:
        """What the browser's ``splitQuery`` (:func:`splitter_javascript`) makes of a query."""
        words: list[str] = []
        for piece, japanese in self._pieces(query):
            if not japanese:
                words.append(piece)
            elif is_short_piece(piece):
                words.append(piece)  # one or two kanji stay whole
            else:
                for word in self.japanese_words(piece):
                    words.extend(query_terms(word))
        return words

    @property
    def js_splitter_code(self) -> str:  # type: ignore[override]  # a class attribute in Sphinx
        return splitter_javascript()


class SearchEnglishWithJapanese(JapaneseWords, SearchEnglish):
    """Sphinx's English search language, plus word splitting for Japanese script."""

    # language_name stays "English": Sphinx names the JavaScript stemmer after it.
    lang = "en"

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        # Each word's stem, once: the pure-Python stemmer is a tenth of a second per page,
        # and a page repeats most of its words (a whole build, most of its vocabulary).
        self._stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            # The English stemmer has no business with Japanese words.
            stem = self._stems[word] = word if _JAPANESE.search(word) else super().stem(word)
        return stem


class SearchJapaneseWithShortWords(JapaneseWords, SearchJapanese):
    """Sphinx's Japanese search language (no stemmer, TinySegmenter), with the short pieces
    of Japanese runs indexed and Latin words cut as in the English index."""

    lang = "ja"

    def word_filter(self, stemmed_word: str) -> bool:
        # Sphinx's Japanese filter keeps words of two characters or more; a Japanese
        # character alone (柏), lone hiragana aside, is a term here too.
        return len(stemmed_word) > 1 or (
            bool(_JAPANESE.match(stemmed_word)) and is_searchable(stemmed_word)
        )


@cache
def splitter_javascript() -> str:
    """``splitQuery`` for ``language_data.js``: the browser's twin of
    :meth:`JapaneseWords.split_query`.

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
        .replace("@KANJI@", KANJI_CHARACTERS.encode("unicode_escape").decode("ascii"))
        .replace("@SHORT@", str(SHORT))
    )


# A port of DefaultSplitter.split, line for line. `var`, not `const`: language_data.js is loaded
# after searchtools.js, which has already declared its default splitQuery with `var`.
_SPLITTER_TEMPLATE = """\
/* splitQuery from the handbook's handbook.search.search_japanese: Sphinx's English word
 * splitting, with runs of Japanese script cut into words by TinySegmenter
 * (model: sphinx.search.ja), and short runs kept whole. */
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
  // One or two kanji stay whole: the index holds every such piece of the text.
  const kanji = /^[@KANJI@]+$/u;
  const short = (piece) => Array.from(piece).length <= @SHORT@ && kanji.test(piece);
  const queryTerms = (word) => {
    const chars = Array.from(word);
    if (chars.length <= @SHORT@ || !kanji.test(word)) return [word];
    return chars.slice(1).map((char, i) => chars[i] + char);
  };
  const japaneseTerms = (piece) =>
    short(piece) ? [piece] : segment(piece).filter(searchable).flatMap(queryTerms);
  return (query) =>
    query
      .split(/[^\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}]+/gu)
      .filter((run) => run)
      .flatMap((run) =>
        japanese.test(run)
          ? run.match(japaneseOrNot).flatMap((piece) =>
              japanese.test(piece) ? japaneseTerms(piece) : [piece])
          : [run]);
})();
"""


def setup(app: Sphinx) -> ExtensionMetadata:
    # Replace Sphinx's "en" and "ja" entries (a process-wide table): English builds get
    # Japanese splitting, Japanese builds their short words.
    app.add_search_language(SearchEnglishWithJapanese)
    app.add_search_language(SearchJapaneseWithShortWords)
    return {
        "version": "1.1",
        # 2: short pieces of Japanese runs indexed; pages are read again and indexed anew.
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
