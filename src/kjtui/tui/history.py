"""Back and forward through jumps, like a web browser.

A jump (tree, Enter on a metric or an event, a search result, the palette,
`[` `]`) first records where the user was: node, view, and each view's own
state (filter, sort, cursor, scroll). Back restores that place and keeps the
one it left for forward. No Textual here: the app takes and restores the
snapshots; this only keeps them in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .catalog import NodeRef

LIMIT = 200  # places kept each way
ViewName = Literal["reader", "metrics", "timeline"]


@dataclass(frozen=True)
class Place:
    node: NodeRef
    view: ViewName | str  # the views' names; another tab's name when one is added
    state: dict[str, Any] = field(default_factory=dict)  # per view: whatever it needs to come back


class History:
    def __init__(self) -> None:
        self.back: list[Place] = []
        self.forward: list[Place] = []

    def jumped_from(self, place: Place) -> None:
        """A new jump leaves `place`: it is where back goes; forward is forgotten."""
        if self.back and self.back[-1].node == place.node and self.back[-1].view == place.view:
            self.back[-1] = place  # the same place again (moved within it): keep its latest state
        else:
            self.back.append(place)
            del self.back[:-LIMIT]
        self.forward.clear()

    def go_back(self, here: Place) -> Place | None:
        if not self.back:
            return None
        self.forward.append(here)
        return self.back.pop()

    def go_forward(self, here: Place) -> Place | None:
        if not self.forward:
            return None
        self.back.append(here)
        return self.forward.pop()
