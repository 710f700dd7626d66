"""Run ehtui with a trace of keys and frames, for benchmarks/app_startup.py.

    python benchmarks/frame_trace.py TRACE_FILE [ehtui's arguments...]

Writes TRACE_FILE when the app exits: one line per key the app received and per
frame it wrote to the terminal, with the time in seconds (``time.perf_counter``):

    key <t> <key>
    frame <t> <the frame's text, escape sequences removed>

From it the benchmark reads how long the app itself took from a key to the frame
that shows its effect, without the terminal's and the measuring's share (tmux
delivering the key, drawing, being polled). Only the benchmark runs this; the app
has no trace of its own.
"""

from __future__ import annotations

import atexit
import re
import sys
import time
from typing import Any

from textual import events
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

ESCAPES = re.compile(r"\x1b\[[0-9;?<>]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
_trace: list[str] = []


def _write(original: Any) -> Any:
    def write(self: LinuxDriver, data: str) -> None:
        original(self, data)
        text = ESCAPES.sub("", data).replace("\n", " ")
        _trace.append(f"frame {time.perf_counter():.6f} {text}")

    return write


def _on_event(original: Any) -> Any:
    async def on_event(self: App[Any], event: events.Event) -> None:
        if isinstance(event, events.Key):
            _trace.append(f"key {time.perf_counter():.6f} {event.key}")
        await original(self, event)

    return on_event


def main() -> int:
    out, args = sys.argv[1], sys.argv[2:]
    LinuxDriver.write = _write(LinuxDriver.write)  # type: ignore[method-assign]
    App.on_event = _on_event(App.on_event)  # type: ignore[method-assign]

    def save() -> None:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write("\n".join(_trace) + "\n")

    atexit.register(save)
    from ehtui.cli import main as ehtui

    return ehtui(args)


if __name__ == "__main__":
    sys.exit(main())
