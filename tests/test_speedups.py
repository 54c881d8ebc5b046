"""The HANDBOOK_SPEEDUPS switch: which speed extensions conf.py loads (handbook.speed.speedups).

That the site builds with each of them left out, and with none, was checked by building the
real handbook each way (README, "Benchmark"); here, that the switch selects what it says and
that a mistyped name stops the build instead of being ignored.
"""

from __future__ import annotations

import runpy

import pytest
from conftest import PROJECT_ROOT
from handbook.speed.speedups import PACKAGE, SPEED_EXTENSIONS, VARIABLE, speed_extensions
from sphinx.errors import ConfigError

ALL = list(SPEED_EXTENSIONS)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (None, ALL),
        ("", ALL),
        ("1", ALL),
        ("0", []),
        ("-navigation_cache", ["bibtex_cache", "bibtex_index", "quick_rebuilds"]),
        ("-bibtex_cache, -quick_rebuilds", ["bibtex_index", "navigation_cache"]),
        ("quick_rebuilds,bibtex_cache", ["bibtex_cache", "quick_rebuilds"]),
    ],
)
def test_the_switch_selects_what_it_says(setting: str | None, expected: list[str]) -> None:
    assert speed_extensions(setting) == [f"{PACKAGE}.{name}" for name in expected]


@pytest.mark.parametrize("setting", ["navigation-cache", "-nope", "bibtex_cache,-bibtex_index"])
def test_a_mistyped_or_mixed_setting_is_a_configuration_error(setting: str) -> None:
    with pytest.raises(ConfigError, match=VARIABLE):
        speed_extensions(setting)


@pytest.mark.parametrize(
    ("setting", "loaded"),
    [("1", set(ALL)), ("0", set()), ("-bibtex_index", set(ALL) - {"bibtex_index"})],
)
def test_conf_py_loads_the_selected_ones(
    monkeypatch: pytest.MonkeyPatch, setting: str, loaded: set[str]
) -> None:
    monkeypatch.setenv(VARIABLE, setting)
    extensions = runpy.run_path(str(PROJECT_ROOT / "conf.py"))["extensions"]
    dotted = {f"{PACKAGE}.{name}" for name in ALL}
    assert set(extensions) & dotted == {f"{PACKAGE}.{name}" for name in loaded}
    # Everything else stays: the switch changes speed, never features.
    monkeypatch.setenv(VARIABLE, "1")
    everything = runpy.run_path(str(PROJECT_ROOT / "conf.py"))["extensions"]
    assert [e for e in everything if e not in dotted] == [e for e in extensions if e not in dotted]
