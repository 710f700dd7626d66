"""Time the interchange at borough scale: demo → export → import → export.

    python benchmarks/import_borough.py [--size borough|small] [--seed N] [--keep DIR]

Builds a demo store in a temporary directory (``ehtui demo``), exports it,
imports the export into an empty store, exports that store again (the two
documents must be byte-identical), then imports the export once more into the
same store (idempotent: nothing changes). Each step runs as the ``ehtui``
command would, in a fresh process, and is timed from outside.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def ehtui(db: Path, *args: str) -> float:
    """Run ``ehtui --db DB ARGS`` in a fresh process; return the seconds it took."""
    command = [sys.executable, "-m", "ehtui.cli", "--db", str(db), *args]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[3:])} failed ({result.returncode}):\n{result.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="borough", choices=["small", "borough"])
    parser.add_argument("--seed", default="1")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the files")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ehtui-bench-") as scratch:
        work = Path(args.keep or scratch)
        work.mkdir(parents=True, exist_ok=True)
        demo_db, copy_db = work / "demo.db", work / "copy.db"
        first, second = work / "export-1.json", work / "export-2.json"
        for stale in (demo_db, copy_db):
            for path in stale.parent.glob(stale.name + "*"):
                path.unlink()

        figures = [("demo", ehtui(demo_db, "demo", "--size", args.size, "--seed", args.seed))]
        figures.append(("export", ehtui(demo_db, "export", str(first))))
        figures.append(("import (empty store)", ehtui(copy_db, "import", str(first))))
        figures.append(("export again", ehtui(copy_db, "export", str(second))))
        figures.append(("re-import (no change)", ehtui(copy_db, "import", str(first))))

        doc = json.loads(first.read_text(encoding="utf-8"))
        episodes = doc["episodes"]
        counts = {
            "practitioners": len(doc["practitioners"]),
            "families": len(doc["families"]),
            "members": sum(len(f["members"]) for f in doc["families"]),
            "episodes": len(episodes),
            "open episodes": sum(1 for e in episodes if e["closed"] is None),
            "contacts": sum(len(e["contacts"]) for e in episodes),
            "voice of the child": sum(len(e["voice_of_child"]) for e in episodes),
            "TAF meetings": sum(len(e["taf_meetings"]) for e in episodes),
            "oversight": sum(len(e["oversight"]) for e in episodes),
        }
        identical = first.read_bytes() == second.read_bytes()

        print(f"ehtui interchange benchmark: --size {args.size} --seed {args.seed}")
        print(f"document: {first.stat().st_size / 1e6:.1f} MB")
        for name, number in counts.items():
            print(f"  {name:<20} {number:>9,}")
        for name, seconds in figures:
            print(f"{name:<24} {seconds:6.1f} s")
        print(f"export → import → export byte-identical: {'yes' if identical else 'NO'}")
        return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
