"""``ehtui import`` / ``ehtui export`` on the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ehtui.cli import main
from tests.unit.test_interchange import sample


def write(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def cli(*args: str) -> int:
    """Run ``ehtui`` as of 1 Mar 2026 (the sample's dates lie before it)."""
    return main(["--as-of", "2026-03-01", *args])


def test_import_then_export_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = write(tmp_path / "in.json", sample())
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert cli("--db", a, "import", str(doc)) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Imported in.json"
    assert "  contacts: 3 added" in out.splitlines()

    assert cli("--db", a, "export", str(tmp_path / "one.json")) == 0
    assert "Exported 3 practitioners, 3 families, 4 episodes" in capsys.readouterr().err
    assert cli("--db", b, "import", str(tmp_path / "one.json")) == 0
    assert cli("--db", b, "export", str(tmp_path / "two.json")) == 0
    one = (tmp_path / "one.json").read_bytes()
    assert one == (tmp_path / "two.json").read_bytes()
    assert json.loads(one) == sample()

    # Again: nothing changes.
    capsys.readouterr()
    assert cli("--db", b, "import", str(tmp_path / "one.json")) == 0
    assert "  episodes: 4 unchanged" in capsys.readouterr().out.splitlines()


def test_export_dash_writes_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "a.db")
    assert cli("--db", db, "import", str(write(tmp_path / "in.json", sample()))) == 0
    capsys.readouterr()
    assert cli("--db", db, "export", "-") == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == sample()
    assert captured.err == ""
    assert cli("--db", db, "export") == 0  # FILE defaults to "-"
    assert json.loads(capsys.readouterr().out) == sample()


def test_import_dash_reads_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.dumps(sample()).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert cli("--db", str(tmp_path / "a.db"), "import", "-") == 0
    assert capsys.readouterr().out.startswith("Imported <stdin>")


def test_export_replaces_the_file_atomically(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    target = tmp_path / "out.json"
    target.write_text("old contents", encoding="utf-8")
    assert cli("--db", db, "import", str(write(tmp_path / "in.json", sample()))) == 0
    assert cli("--db", db, "export", str(target)) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == sample()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_export_to_an_unwritable_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = cli("--db", str(tmp_path / "a.db"), "export", str(tmp_path / "no" / "such" / "x.json"))
    assert status == 2
    assert "cannot write (No such file or directory)" in capsys.readouterr().err


def test_import_and_export_do_not_load_textual(tmp_path: Path) -> None:
    doc = write(tmp_path / "in.json", sample())
    code = f"""
import sys
import ehtui.interchange
import ehtui.cli
db = {str(tmp_path / "a.db")!r}
assert ehtui.cli.main(["--db", db, "--as-of", "2026-03-01", "import", {str(doc)!r}]) == 0
assert ehtui.cli.main(["--db", db, "export", {str(tmp_path / "out.json")!r}]) == 0
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not loaded, loaded
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == sample()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = str(write(tmp_path / "in.json", sample()))
    assert cli("--db", str(tmp_path / "a.db"), "import", doc) == 0
    assert capsys.readouterr().err == ""  # piped: no bar, no escape codes

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli("--db", str(tmp_path / "b.db"), "import", doc) == 0
    drawn = terminal.getvalue()
    assert "\rChecking " in drawn and "100.0%" in drawn
    assert "\rImporting" in drawn


def test_demo_small_exports_imports_and_exports_identically(tmp_path: Path) -> None:
    """The foundation's check: ``ehtui demo --size small`` then ``ehtui export`` gives a
    document of at least 20 episodes that imports cleanly into an empty store and
    exports identically."""
    demo, fresh = str(tmp_path / "demo.db"), str(tmp_path / "fresh.db")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    as_of = ["--as-of", "2026-11-20"]
    assert main(["--db", demo, "demo", "--size", "small", "--anchor", "2026-11-20"]) == 0
    assert main(["--db", demo, *as_of, "export", str(first)]) == 0
    doc = json.loads(first.read_text(encoding="utf-8"))
    assert len(doc["episodes"]) >= 20
    assert main(["--db", fresh, *as_of, "import", str(first)]) == 0
    assert main(["--db", fresh, *as_of, "export", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
