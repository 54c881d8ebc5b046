"""The one switch for the extensions that only make the build faster: ``HANDBOOK_SPEEDUPS``.

Four of our extensions change how fast the handbook builds, never what it shows (the tests
compare the HTML with and without them). Each works around a cost in Sphinx, the themes or
sphinxcontrib-bibtex and reaches into their internals to do it (``_ext/handbook/PRIVATE_APIS.md``),
so each must be removable on its own: after an upgrade that breaks one, or to measure what
it is worth. ``conf.py`` loads the ones this module selects from the environment variable:

- unset, empty or ``1``: all four;
- ``0``: none (the plain upstream path);
- ``navigation_cache,bibtex_index``: only those named;
- ``-quick_rebuilds``: all but those named with a minus sign.

An unknown name stops the build with a configuration error, rather than being ignored.
``make bench`` uses the same switch to measure the handbook with and without them.
"""

from __future__ import annotations

#: The speed extensions, in the order conf.py loads them, and what each one saves.
SPEED_EXTENSIONS: dict[str, str] = {
    "bibtex_cache": "pybtex plugins and formatted entries kept, not redone per citation",
    "bibtex_index": "each bibliography's entries chosen in linear, not quadratic, time",
    "navigation_cache": "the sidebar's site tree computed once per build, not per page",
    "quick_rebuilds": "a small edit rebuilds fast: few pages read serially; templates kept",
}
VARIABLE = "HANDBOOK_SPEEDUPS"
#: The package that holds them: the switch takes short names, conf.py needs dotted ones.
PACKAGE = "handbook.speed"


def speed_extensions(setting: str | None) -> list[str]:
    """The speed extensions to load for one value of ``HANDBOOK_SPEEDUPS``.

    Raises ``sphinx.errors.ConfigError`` (shown by Sphinx without a traceback) for a value
    that names an extension that is not one of them.
    """
    value = (setting or "").strip()
    return [f"{PACKAGE}.{name}" for name in _selected(value, setting)]


def _selected(value: str, setting: str | None) -> list[str]:
    """The short names of the speed extensions one stripped switch value keeps."""
    if value in ("", "1"):
        return list(SPEED_EXTENSIONS)
    if value == "0":
        return []
    names = [name.strip() for name in value.split(",") if name.strip()]
    dropped = {name[1:] for name in names if name.startswith("-")}
    kept = {name for name in names if not name.startswith("-")}
    unknown = sorted((dropped | kept) - set(SPEED_EXTENSIONS))
    if unknown or (dropped and kept):
        from sphinx.errors import ConfigError

        raise ConfigError(
            f"{VARIABLE}={setting!r}: expected 1, 0, a comma-separated list of "
            f"{', '.join(SPEED_EXTENSIONS)}, or the same names each with a minus sign to "
            f"leave them out" + (f"; unknown: {', '.join(unknown)}" if unknown else "")
        )
    if dropped:
        return [name for name in SPEED_EXTENSIONS if name not in dropped]
    return [name for name in SPEED_EXTENSIONS if name in kept]
