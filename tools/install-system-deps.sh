#!/usr/bin/env bash
# Install the Debian packages that the handbook's builds and tests need.
# Called by `make test` (and so by .ci/run). Installs only what is missing, so a
# second run costs a few dpkg queries. Uses --no-install-recommends to keep the
# footprint small.
set -euo pipefail

# One package a line (or group), with the reason it is needed.
PACKAGES=(
  git            # "last updated" dates and the edition revision come from git history
  graphviz       # the organisation diagram is drawn by dot (sphinx.ext.graphviz)
  # The PDF: XeLaTeX with xeCJK for Japanese, polyglossia for French, xindy for the index.
  texlive-xetex
  texlive-latex-extra
  texlive-lang-cjk
  texlive-lang-chinese  # ctexhook.sty, which xeCJK loads
  texlive-lang-french
  texlive-fonts-recommended
  latexmk
  xindy
  fonts-noto-cjk       # Japanese glyphs, embedded in the PDF
  fonts-freefont-otf   # FreeSerif/FreeSans/FreeMono, Sphinx's XeLaTeX default fonts
  poppler-utils        # pdftotext, pdffonts, pdfinfo: the PDF tests read the real book
  chromium             # the browser tests drive Debian's Chromium through Playwright
  nodejs               # runs the footprint calculator's JavaScript against the Python table
)

missing=()
for pkg in "${PACKAGES[@]}"; do
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

echo "install-system-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
