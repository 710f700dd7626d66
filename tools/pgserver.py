#!/usr/bin/env python3
"""A throw-away PostgreSQL server on loopback, in a temporary directory.

    python3 tools/pgserver.py find            # where the server binaries are (exit 1: none)
    eval "$(python3 tools/pgserver.py start)" # sets EHTUI_TEST_PG_URL and EHTUI_PG_DIR
    python3 tools/pgserver.py stop "$EHTUI_PG_DIR"

`start` makes a fresh cluster in a new temporary directory, listens only on
127.0.0.1 on a free port (its Unix socket stays inside the directory), trusts
every local connection, waits until `pg_isready` says it accepts connections,
and prints shell `export` lines. `stop` shuts it down and removes the directory.

initdb refuses to run as root: as root the cluster belongs to the system user
`postgres` (the Debian package creates it; made here with useradd if missing).
The server is for tests and benchmarks only: fsync is off, nothing survives
`stop`. Standard library only, so CI can run it before anything is installed.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SUPERUSER = "ehtui"
DATABASE = "ehtui"
SYSTEM_USER = "postgres"
READY_TIMEOUT = 60.0


def find_bindir() -> Path | None:
    """The directory holding pg_ctl and initdb: on PATH, else the newest Debian version."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(os.path.realpath(on_path)).parent
    found = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")

    def version(path: str) -> tuple[int, ...]:
        part = Path(path).parent.parent.name
        return tuple(int(n) for n in re.findall(r"\d+", part))

    for pg_ctl in sorted(found, key=version, reverse=True):
        bindir = Path(pg_ctl).parent
        if (bindir / "initdb").exists():
            return bindir
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _system_user() -> pwd.struct_passwd | None:
    """The account the server runs as: None means this process's own user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home", SYSTEM_USER],
            check=True,
        )
        return pwd.getpwnam(SYSTEM_USER)


def _as_user(user: pwd.struct_passwd | None) -> Callable[[], None] | None:
    if user is None:
        return None

    def demote() -> None:
        os.setgid(user.pw_gid)
        os.initgroups(user.pw_name, user.pw_gid)
        os.setuid(user.pw_uid)

    return demote


def _run(cmd: list[str], user: pwd.struct_passwd | None, *, check: bool = True) -> None:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    if user is not None:
        env["HOME"] = user.pw_dir
        env["USER"] = env["LOGNAME"] = user.pw_name
    result = subprocess.run(
        cmd,
        preexec_fn=_as_user(user),
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd="/",
    )
    if check and result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"pgserver: {Path(cmd[0]).name} failed (exit {result.returncode})")


def wait_ready(bindir: Path, port: int, data: Path, log: Path) -> None:
    """Poll pg_isready until the server accepts connections (bounded); give up
    early when the postmaster has died (its pid file gone), e.g. the port was taken."""
    started = time.monotonic()
    cmd = [str(bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)]
    cmd += ["-U", SUPERUSER, "-d", "postgres", "-t", "2"]
    delay = 0.05
    while (elapsed := time.monotonic() - started) < READY_TIMEOUT:
        if subprocess.run(cmd, stdin=subprocess.DEVNULL).returncode == 0:
            return
        if elapsed > 2 and not (data / "postmaster.pid").exists():
            break
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
    raise SystemExit(f"pgserver: the server did not become ready; its log:\n{tail}")


def _reachable(folder: Path, user: pwd.struct_passwd | None) -> bool:
    """Can USER reach into FOLDER (every ancestor searchable by others)?"""
    if user is None:
        return folder.is_dir()
    try:
        chain = [folder.resolve(), *folder.resolve().parents]
        return folder.is_dir() and all(p.stat().st_mode & 0o001 for p in chain)
    except OSError:
        return False


def _base(base: Path | None, user: pwd.struct_passwd | None) -> Path:
    """Where the temp dir goes: BASE, else the first temp folder USER can reach."""
    if base is not None:
        return base
    candidates = [Path(tempfile.gettempdir()), Path("/var/tmp"), Path("/dev/shm")]
    if user is not None:
        candidates.append(Path(user.pw_dir))
    for folder in candidates:
        if _reachable(folder, user):
            return folder
    raise SystemExit("pgserver: no temporary folder the server's user can reach; use --base")


def start(base: Path | None) -> dict[str, str]:
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("pgserver: no PostgreSQL server binaries (apt-get install postgresql)")
    user = _system_user()
    root = Path(tempfile.mkdtemp(prefix="ehtui-pg-", dir=_base(base, user)))
    data, log = root / "data", root / "server.log"
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    _run(
        [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        user,
    )
    for attempt in range(5):
        port = free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=100"
        )
        try:
            _run(
                [
                    str(bindir / "pg_ctl"),
                    "start",
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    options,
                    "-W",
                ],
                user,
            )
            wait_ready(bindir, port, data, log)
            break
        except SystemExit:
            stop_cmd = [str(bindir / "pg_ctl"), "stop", "-D", str(data), "-m", "immediate"]
            _run(stop_cmd, user, check=False)
            if attempt == 4:
                raise
    url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/{DATABASE}"
    _run(
        [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", SUPERUSER, DATABASE],
        user,
    )
    state = {"dir": str(root), "bindir": str(bindir), "port": str(port), "url": url}
    (root / "server.json").write_text(json.dumps(state))
    return state


def stop(root: Path) -> None:
    state_file = root / "server.json"
    if not state_file.exists():
        raise SystemExit(f"pgserver: {root} holds no server started by this tool")
    state = json.loads(state_file.read_text())
    user = _system_user()
    data = root / "data"
    if (data / "postmaster.pid").exists():
        _run([str(Path(state["bindir"]) / "pg_ctl"), "stop", "-D", str(data), "-m", "fast"], user)
    shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("find", help="print the directory of the server binaries")
    go = sub.add_parser("start", help="start a server; print shell export lines")
    go.add_argument("--base", type=Path, default=None, help="make the temp dir under BASE")
    go.add_argument("--json", action="store_true", help="print the state as JSON instead")
    halt = sub.add_parser("stop", help="stop the server in DIR and remove DIR")
    halt.add_argument("dir", type=Path)
    args = parser.parse_args(argv)
    if args.command == "find":
        bindir = find_bindir()
        if bindir is None:
            return 1
        print(bindir)
        return 0
    if args.command == "start":
        state = start(args.base)
        if args.json:
            print(json.dumps(state))
        else:
            print(f"export EHTUI_TEST_PG_URL={shlex.quote(state['url'])}")
            print(f"export EHTUI_PG_DIR={shlex.quote(state['dir'])}")
        return 0
    stop(args.dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
