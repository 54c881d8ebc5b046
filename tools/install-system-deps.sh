#!/usr/bin/env bash
# Install the Debian packages one kind of build needs, and only those:
#
#   tools/install-system-deps.sh html   # make html: the website
#   tools/install-system-deps.sh pdf    # make pdf: the website's needs plus TeX
#   tools/install-system-deps.sh test   # make test: the PDF's needs plus the test tools
#   tools/install-system-deps.sh --list TARGET   # print the target's packages, install nothing
#
# Each list includes the one before it. Installs only what is missing and prints nothing when
# everything is there, so a second run costs a few dpkg queries. Uses --no-install-recommends
# to keep the footprint small: `make html` on a fresh machine downloads no TeX Live.
set -euo pipefail

# One package a line, with the reason it is needed.
HTML_PACKAGES=(
  git            # "last updated" dates and the edition date come from git history
  graphviz       # the organisation diagram is drawn by dot (sphinx.ext.graphviz)
)
# The PDF: XeLaTeX with xeCJK for Japanese, polyglossia for French, xindy for the index.
PDF_PACKAGES=(
  "${HTML_PACKAGES[@]}"
  texlive-xetex              # the XeLaTeX engine (latex_engine = "xelatex")
  texlive-latex-extra        # LaTeX packages Sphinx's LaTeX writer loads
  texlive-lang-cjk           # xeCJK: Japanese text
  texlive-lang-chinese       # ctexhook.sty, which xeCJK loads
  texlive-lang-french        # French hyphenation patterns, for the French book
  texlive-fonts-recommended  # the standard fonts Sphinx's style files use
  latexmk                    # runs XeLaTeX and xindy as many times as the book needs
  xindy                      # sorts accented index entries (latex_use_xindy = True)
  fonts-noto-cjk             # Japanese glyphs, embedded in the PDF
  fonts-freefont-otf         # FreeSerif/FreeSans/FreeMono, the book's fonts (conf.py)
)
# The test suite builds the site and the PDF, then reads and browses them.
TEST_PACKAGES=(
  "${PDF_PACKAGES[@]}"
  poppler-utils  # pdftotext, pdffonts, pdfinfo: the PDF tests read the real book
  chromium       # the browser tests drive Debian's Chromium through Playwright
  nodejs         # runs the footprint calculator's JavaScript against the Python table
)

usage() {
  echo "usage: $0 [--list] html|pdf|test" >&2
  exit 2
}

list_only=false
if [ "${1:-}" = "--list" ]; then
  list_only=true
  shift
fi
[ "$#" -eq 1 ] || usage
case "$1" in
  html) packages=("${HTML_PACKAGES[@]}") ;;
  pdf) packages=("${PDF_PACKAGES[@]}") ;;
  test) packages=("${TEST_PACKAGES[@]}") ;;
  *) usage ;;
esac

if "$list_only"; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: apt-get not found. Install these packages with your" >&2
  echo "system's package manager, then run the command again: ${missing[*]}" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "install-system-deps ($1): installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
