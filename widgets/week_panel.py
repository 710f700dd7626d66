"""The week beside the work tray: today's and this week's appointments from the diary.

A compact list (``ehtui.diary.week_ahead`` gives the lines; the widget never reads
the store): "Today" with my appointments (time, family, kind; kept ✓, did not
attend ✗), then "This week" with the days after, the Hub Panel, the Transfer
meeting and its Tuesday-noon cut-off. Enter on an appointment posts
:class:`WeekPanel.Chosen` with its episode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ehtui.safe_text import safe_text
from widgets.cells import clip as cut

FIXED_WORDS = {  # the fixed meetings, in the few words a narrow column holds
    "Hub Panel": "Hub Panel",
    "Transfer meeting agenda closes": "Transfer cut-off",
    "Allocations/Transfer meeting": "Transfer meeting",
}
KIND_WORDS = {  # the diary's kinds, short enough for the column
    "home_visit": "home visit",
    "office_visit": "office visit",
    "school_visit": "school visit",
    "telephone": "telephone",
    "virtual": "virtual",
    "taf": "TAF meeting",
    "supervision": "supervision",
}
MARKS = {"kept": " ✓", "did_not_attend": " ✗"}
WIDTH = 30  # the text of a line: the panel is 34 wide, less its border and padding


def clip(text: str, width: int = WIDTH) -> str:
    return cut(text, width)


def line_text(line: Any, *, with_day: bool) -> Text:
    """``Mon 10:00 Okafor, home visit`` (the day only in "This week")."""
    when = f"{line.at:%a %H:%M}" if with_day else f"{line.at:%H:%M}"
    if line.ref is None:
        return Text(clip(f"{when} {FIXED_WORDS.get(line.what, line.what)}"), style="italic")
    what = KIND_WORDS.get(line.kind or "", line.what)
    mark = MARKS.get(line.outcome or "", "")
    family = safe_text(line.family) or "—"
    return Text(clip(f"{when} {family}, {what}", WIDTH - len(mark)) + mark)


class WeekPanel(OptionList):
    """Today's and this week's appointments; Enter opens the appointment's case."""

    @dataclass
    class Chosen(Message):
        """An appointment was chosen: open its episode."""

        episode: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Option(Text("Today · loading…", style="bold"), disabled=True), id=id)
        self.episodes: dict[str, str] = {}  # option id → episode
        self.loaded = False

    def show_week(self, week: Any) -> None:
        """Fill from an :class:`ehtui.diary.WeekAhead`, keeping the highlighted line."""
        was = self.highlighted
        self.clear_options()
        self.episodes = {}
        options: list[Option | None] = [
            Option(Text(f"Today · {week.day:%a %d %b}", style="bold"), disabled=True)
        ]
        options += self._week_options(week.today, "today", with_day=False)
        options += [None, Option(Text("This week", style="bold"), disabled=True)]
        options += self._week_options(week.week, "week", with_day=True)
        self.add_options(options)
        self.loaded = True
        if was is not None and was < self.option_count:
            self.highlighted = was

    def _week_options(self, lines: Any, section: str, *, with_day: bool) -> list[Option | None]:
        if not lines:
            return [Option(Text("Nothing planned."), disabled=True)]
        found: list[Option | None] = []
        for n, line in enumerate(lines):
            key = f"{section}-{n}"
            if line.episode:
                self.episodes[key] = line.episode
            found.append(Option(line_text(line, with_day=with_day), id=key))
        return found

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        episode = self.episodes.get(event.option.id or "")
        if episode:
            self.post_message(self.Chosen(episode))
