"""Two small file checks for pre-commit, so that no hook has to be downloaded.

pre-commit's usual hooks (pre-commit-hooks) live in a repository that pre-commit clones
and installs on first use; the handbook's checks must run offline from the locked
environment. These replace the three we need:

- ``whitespace FILE...``: trailing whitespace removed, exactly one newline at the end of
  the file (the files are fixed in place; the hook fails so the fix is seen and committed);
- ``yaml FILE...``: every YAML file parses, each error reported as ``file:line: problem``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def _trimmed(line: bytes) -> bytes:
    """The line without trailing spaces or tabs; a Windows line end (CR) is kept as it was."""
    ending = b"\r" if line.endswith(b"\r") else b""
    return line.removesuffix(b"\r").rstrip(b" \t") + ending


def fix_whitespace(path: Path) -> bool:
    """Trim line ends and the end of the file; True when the file changed."""
    raw = path.read_bytes()
    if b"\0" in raw:  # not text, whatever its name says
        return False
    fixed = b"\n".join(_trimmed(line) for line in raw.split(b"\n")).rstrip(b"\n")
    fixed = fixed + b"\n" if fixed else b""
    if fixed == raw:
        return False
    path.write_bytes(fixed)
    return True


def yaml_problem(path: Path) -> str | None:
    """The first syntax error of a YAML file (all its documents), or None."""
    try:
        with path.open(encoding="utf-8") as stream:
            for _document in yaml.safe_load_all(stream):
                pass
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        return f"{path}:{line}: {error.problem or error}"
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return f"{path}:1: {error}"
    return None


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"whitespace", "yaml"}:
        print("usage: precommit_checks.py whitespace|yaml FILE...", file=sys.stderr)
        return 2
    command, paths = argv[0], [Path(name) for name in argv[1:]]
    if command == "whitespace":
        fixed = [path for path in paths if fix_whitespace(path)]
        for path in fixed:
            print(f"{path}: trailing whitespace or final newline fixed")
        return 1 if fixed else 0
    problems = [problem for path in paths if (problem := yaml_problem(path))]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
