#!/usr/bin/env python3
"""Set up and run ehtui from a fresh clone: `python3 dev.py run` / `python3 dev.py test`.

Creates `.venv` beside this file, installs the project with its pinned
versions (requirements/constraints.txt) the first time and whenever the pins
or pyproject change, then:

- `run [ARGS...]`: loads the demo borough if the store is empty, then opens the app;
- `test [PYTEST ARGS...]`: ruff, mypy, then the whole test suite.

Uses only the standard library, so it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
PINS = ROOT / "requirements" / "constraints.txt"
STAMP = VENV / ".ehtui-installed"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", PINS):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_env() -> None:
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("Installing ehtui and its pinned dependencies into .venv ...", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-c", str(PINS), "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(_fingerprint())


def run(args: list[str]) -> int:
    ehtui = str(BIN / "ehtui")
    # First run: a newcomer sees a real work tray, not an empty one.
    subprocess.run([ehtui, *_global(args), "demo", "--if-empty", "--size", "borough"], check=True)
    return subprocess.call([ehtui, *args])


def _global(args: list[str]) -> list[str]:
    """The global options among ARGS (--db and its value), for the demo step."""
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            out += [arg, args[i + 1]]
        elif arg.startswith("--db="):
            out.append(arg)
    return out


def test(args: list[str]) -> int:
    checks = [
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "mypy")],
    ]
    for check in checks:
        print("$", Path(check[0]).name, *check[1:], flush=True)
        if subprocess.call(check, cwd=ROOT) != 0:
            return 1
    return subprocess.call([str(PY), "-m", "pytest", "-n", "2", *args], cwd=ROOT)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test", "setup"}:
        print(__doc__)
        return 2
    ensure_env()
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "run":
        return run(rest)
    if command == "test":
        return test(rest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
