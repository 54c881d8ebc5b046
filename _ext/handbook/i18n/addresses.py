"""Each language's site at its own published address.

``make html LANG=fr`` publishes the French site under ``fr/`` beside the English one
(``_build/html/fr/``), but ``conf.py`` cannot know the language: the Makefile gives it as
``-D language=fr``, which Sphinx applies after reading ``conf.py``. So ``html_baseurl``, read
by the canonical link, the link previews and the sitemap, named the English address on every
French and Japanese page, which told search engines that each translation was a copy of the
English page. Once the configuration is complete, this adds the language's folder.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config

#: The language published at the root of the site; the others are in a folder named after them.
ROOT_LANGUAGE = "en"


def language_address(base: str, language: str | None) -> str:
    """The published address of one language's site, from the root site's address."""
    if not base or not language or language == ROOT_LANGUAGE:
        return base
    base = base.rstrip("/") + "/"
    suffix = f"{language}/"
    return base if base.endswith("/" + suffix) else base + suffix


def set_language_address(app: Sphinx, config: Config) -> None:
    config.html_baseurl = language_address(config.html_baseurl, config.language)


def setup(app: Sphinx) -> dict[str, object]:
    # Early, so that every extension that reads html_baseurl at config-inited sees it.
    app.connect("config-inited", set_language_address, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
