"""Every private upstream API we use still has the shape we rely on (handbook.private_apis).

An upgrade of Sphinx, a theme, sphinxcontrib-bibtex, pybtex or sphinx-autobuild that moves, renames
or rewrites one of them fails here, with the key of its row in _ext/handbook/PRIVATE_APIS.md, before
it breaks a build. The installed release must also be in the range each use was written for: a new
release fails until someone has read the changed code and widened it. A scan of our code fails when
it uses another package's name that starts with `_` and the registry does not list it; undocumented
names without the underscore (the registry lists those too) cannot be told apart by a scan and are
listed by hand.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from handbook.private_apis import REGISTRY, ROOT, TABLE, PrivateAPI, render
from packaging.specifiers import SpecifierSet
from packaging.version import Version

#: Where private uses may hide: our extensions, the live preview and the benchmark (not the
#: registry itself, whose checks name every one of them).
SCANNED = sorted(
    path
    for path in [
        *(ROOT / "_ext").rglob("*.py"),
        ROOT / "tools" / "warm_sphinx.py",
        ROOT / "tools" / "preview.py",
        *(ROOT / "benchmarks").glob("*.py"),
    ]
    if path.name != "private_apis.py"
)
#: Our own top-level modules and packages: their private names are ours to use.
OURS = (
    {path.stem for path in (ROOT / "_ext").glob("*.py")}
    | {path.name for path in (ROOT / "_ext").iterdir() if (path / "__init__.py").is_file()}
    | {"tools", "benchmarks", "warm_sphinx", "private_apis"}
)


def row(entry: PrivateAPI) -> str:
    return f"row `{entry.key}` of _ext/handbook/PRIVATE_APIS.md"


def test_the_table_is_generated_from_the_registry() -> None:
    assert TABLE.read_text(encoding="utf-8") == render(), (
        "_ext/handbook/PRIVATE_APIS.md is out of date: run "
        "`.venv/bin/python _ext/handbook/private_apis.py --write` and commit it"
    )


def test_keys_are_unique() -> None:
    keys = [entry.key for entry in REGISTRY]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda entry: entry.key)
def test_installed_release_is_the_one_it_was_written_for(entry: PrivateAPI) -> None:
    installed = entry.installed_version()
    if Version(installed) not in SpecifierSet(entry.versions):
        pytest.fail(
            f"{entry.package} {installed} is outside {entry.versions}, the releases "
            f"{row(entry)} was written for. Read what changed upstream in {entry.name}; if "
            f"it changed: {entry.breaks}. Adapt our code or remove it ({entry.remove}), "
            "then widen `versions` in _ext/handbook/private_apis.py."
        )


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda entry: entry.key)
def test_upstream_still_has_the_shape_we_rely_on(entry: PrivateAPI) -> None:
    try:
        entry.check()
    except AssertionError as error:
        pytest.fail(
            f"{row(entry)}, {entry.package} {entry.installed_version()}: {error}. "
            f"What breaks: {entry.breaks}. How to remove it: {entry.remove}."
        )


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda entry: entry.key)
def test_our_code_still_uses_it_where_the_table_says(entry: PrivateAPI) -> None:
    for use in entry.uses:
        assert use.line(), (
            f"{use.file} no longer contains {use.needle!r}: update or "
            f"remove {row(entry)} in _ext/handbook/private_apis.py"
        )


# -- Nothing private is used that the registry does not list ----------------------------


def imported_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted upstream name, for every import of another package."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[(alias.asname or alias.name).split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return {
        local: dotted
        for local, dotted in names.items()
        if dotted.split(".")[0] not in OURS and dotted.split(".")[0] != "__future__"
    }


def resolve(dotted: str) -> Any:
    module, _, attribute = dotted.rpartition(".")
    try:
        return getattr(import_module(module), attribute)
    except (ImportError, AttributeError, ValueError):
        try:
            return import_module(dotted)
        except ImportError:
            return None


def upstream_has(bases: list[Any], name: str) -> bool:
    """Does an upstream base class define ``name`` (as attribute or ``self.name =``)?"""
    for base in bases:
        for klass in inspect.getmro(base):
            if klass is object:
                continue
            if name in vars(klass):
                return True
            try:
                if f"self.{name}" in inspect.getsource(klass):
                    return True
            except (OSError, TypeError):
                pass
    return False


def private_uses(path: Path) -> Iterator[tuple[int, str]]:
    """(line, what) for each use of an upstream private name in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    upstream = imported_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in OURS or node.module == "__future__":
                continue
            for alias in node.names:
                if any(part.startswith("_") for part in node.module.split(".")) or (
                    alias.name.startswith("_") and alias.name != "_"
                ):
                    yield node.end_lineno or node.lineno, f"import of {node.module}.{alias.name}"
        elif (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            base = node.value
            root = base
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(base, ast.Call) and ast.unparse(base) == "super()":
                yield node.lineno, f"super().{node.attr}"
            elif isinstance(root, ast.Name) and root.id in upstream:
                yield node.lineno, f"{ast.unparse(node)}"
            elif (
                isinstance(root, ast.Name)
                and root.id not in {"self", "cls"}
                and not isinstance(base, ast.Call)
            ):
                # An object of an upstream class (env, builder, app): not one of ours.
                yield node.lineno, f"{ast.unparse(node)}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr", "setattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and node.args[1].value.startswith("_")
            and not node.args[1].value.startswith("__")
        ):
            yield node.end_lineno or node.lineno, f"{node.func.id}(..., {node.args[1].value!r})"
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                root = target
                while isinstance(root, ast.Attribute):
                    root = root.value
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(root, ast.Name)
                    and root.id in upstream
                    and inspect.ismodule(resolve(upstream[root.id]))
                ):
                    yield node.lineno, f"assignment to {ast.unparse(target)}"
        elif isinstance(node, ast.ClassDef):
            bases = [
                resolve(upstream[b.id])
                for b in node.bases
                if isinstance(b, ast.Name) and b.id in upstream
            ]
            bases = [b for b in bases if inspect.isclass(b)]
            for item in ast.walk(node):
                name = None
                if isinstance(item, ast.FunctionDef):
                    name = item.name
                elif (
                    isinstance(item, ast.Attribute)
                    and isinstance(item.value, ast.Name)
                    and item.value.id == "self"
                ):
                    name = item.attr
                if (
                    name
                    and name.startswith("_")
                    and not name.startswith("__")
                    and upstream_has(bases, name)
                ):
                    yield item.lineno, f"{node.name}: upstream's {name}"


def test_every_private_use_is_in_the_registry() -> None:
    listed = {(use.file, use.line()) for entry in REGISTRY for use in entry.uses}
    # A use may sit a few lines below its row's line (inside the method it names).
    unlisted = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in SCANNED
        for line, what in private_uses(path)
        if not any(
            (str(path.relative_to(ROOT)), near) in listed for near in range(line - 3, line + 1)
        )
    ]
    assert not unlisted, (
        "private upstream names used but not listed in _ext/handbook/private_apis.py (add a row: "
        "what it works around, how to remove it, a check), or not private after all:\n"
        + "\n".join(unlisted)
    )
