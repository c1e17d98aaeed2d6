"""The chapter tree: years → documents → sections, children added on expand."""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.css.styles import RenderStyles
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..model import Section
from ._textual_private import tree_render_line
from .catalog import Catalog, NodeRef
from .textfit import ellipsize


def _counts(metrics: int, events: int) -> Text:
    """Dim counts beside a node: 项 metrics, 事 events."""
    parts = []
    if metrics:
        parts.append(f"{metrics}项")
    if events:
        parts.append(f"{events}事")
    return Text(" " + " ".join(parts), style="dim") if parts else Text("")


class ChapterTree(Tree[NodeRef]):
    BINDINGS = [
        Binding("j", "cursor_down", "下移", show=False, tooltip="Down", id="tree.down"),
        Binding("k", "cursor_up", "上移", show=False, tooltip="Up", id="tree.up"),
        Binding("l,right", "expand", "展开", show=False, tooltip="Expand", id="tree.expand"),
        Binding("h,left", "collapse", "收起", show=False, tooltip="Collapse", id="tree.collapse"),
        Binding("g,home", "scroll_home", "顶部", show=False, tooltip="Top", id="tree.top"),
        Binding("G,end", "scroll_end", "底部", show=False, tooltip="Bottom", id="tree.bottom"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(Text("kjtui"), **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.catalog: Catalog | None = None
        self._by_key: dict[str, TreeNode[NodeRef]] = {}
        self._counts: dict[int, Text] = {}  # node id → its dim counts, kept whole when a title is shortened

    _component_styles_cache: dict[tuple[str, ...], RenderStyles] | None = None

    def get_component_styles(self, *names: str) -> RenderStyles:
        """Cached: Tree asks for its guide styles three times per line drawn, and
        each answer merges style sheets anew (0.3 ms); after a focus change that
        was a hundred milliseconds per repaint of a full tree."""
        cache = self._component_styles_cache
        if cache is None:
            cache = self._component_styles_cache = {}
        styles = cache.get(names)
        if styles is None:
            styles = cache[names] = super().get_component_styles(*names)
        return styles

    def notify_style_update(self) -> None:
        self._component_styles_cache = None
        self._own_style = None
        super().notify_style_update()

    _own_style: Style | None = None

    def render_line(self, y: int) -> Strip:
        # as Tree.render_line, with the widget's style kept until the styles change:
        # computing it walks every ancestor, and Tree asked for it on each line drawn
        if self._own_style is None:
            self._own_style = self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        return tree_render_line(self, y + scroll_y, scroll_x, scroll_x + self.size.width, self._own_style)

    def _add(self, parent: TreeNode[NodeRef], title: Text, counts: Text, ref: NodeRef, **kwargs) -> TreeNode[NodeRef]:
        node = parent.add(title, data=ref, **kwargs)
        self._counts[node.id] = counts
        return node

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        """Tree renders every label of the open tree to measure it whenever its styles
        change, i.e. on every focus change (a year of 100 documents: ~10 ms). Labels here
        are cut to fit the pane, so their plain width is measure enough."""
        counts = getattr(self, "_counts", {}).get(node.id)  # the root is measured during __init__
        label = node.label
        width = label.cell_len if isinstance(label, Text) else cell_len(label)
        return width + 4 + (counts.cell_len if counts is not None else 0)

    def render_label(self, node: TreeNode[NodeRef], base_style: Style, style: Style) -> Text:
        """The title shortened with … to fit the pane, its counts kept in view."""
        label = super().render_label(node, base_style, style)
        counts = getattr(self, "_counts", {}).get(node.id)  # the root is drawn during __init__
        depth = 0
        parent = node.parent
        while parent is not None and parent is not self.root:
            depth += 1
            parent = parent.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth - 1
        if counts is not None:
            room -= counts.cell_len
        if room > 4 and label.cell_len > room:
            label = ellipsize(label, room)
        if counts is not None:
            label.append_text(counts)
        return label

    def load(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.clear()
        self._by_key.clear()
        self._counts.clear()
        years: list[int | None] = list(catalog.years)
        if catalog.has_documents(None):
            years.append(None)
        for k, year in enumerate(years):
            if not catalog.has_documents(year):
                continue
            metrics, events = catalog.year_totals(year)
            label = Text(f"{year}年" if year else "未标年份", style="bold")
            ynode = self._add(self.root, label, _counts(metrics, events), NodeRef("year", str(year or "")),
                              allow_expand=True)
            self._by_key[f"year:{year}"] = ynode
            if k == 0:  # the newest year open; the others get their documents when opened
                self._fill(ynode)
                ynode.expand()

    def _add_documents(self, ynode: TreeNode[NodeRef], year: int | None) -> None:
        """A year's documents, from the catalog alone (no document is read to list them)."""
        assert self.catalog is not None
        catalog = self.catalog
        for doc in catalog.documents_in(year):
            dlabel = Text("✉ " if doc.kind == "reply" else "▤ ", style="dim")
            dlabel.append(catalog.short_title(doc))
            if catalog.is_loaded(doc.id):
                expandable = bool(self._shown_children(doc.id))
            else:
                expandable = catalog.section_count(doc.id) > 1  # one section shows on the document itself
            dnode = self._add(ynode, dlabel, _counts(catalog.metric_total[doc.id], catalog.event_total[doc.id]),
                              NodeRef("document", doc.id), allow_expand=expandable)
            self._by_key[doc.id] = dnode

    def _fill(self, node: TreeNode[NodeRef]) -> None:
        """Add a node's children the first time it opens: a year's documents, a document's
        or a section's sections (reading the document's shard)."""
        if self.catalog is None or node.data is None or node.children:
            return
        if node.data.kind == "year":
            self._add_documents(node, int(node.data.key) if node.data.key.isdigit() else None)
            return
        for section in self._shown_children(node.data.key):
            counts = _counts(self.catalog.metric_total[section.id], self.catalog.event_total[section.id])
            child = self._add(node, Text(section.label), counts, NodeRef("section", section.id),
                              allow_expand=bool(self.catalog.children.get(section.id)))
            self._by_key[section.id] = child

    def _shown_children(self, key: str) -> list[Section]:
        """A document's lead (its text before the first heading) is shown on the document's
        own node, not as a child; headings inside the lead take its place."""
        assert self.catalog is not None
        shown: list[Section] = []
        for section in self.catalog.children.get(key, []):
            if section.number is None and section.id.endswith("/lead"):
                shown.extend(self.catalog.children.get(section.id, []))
            else:
                shown.append(section)
        return shown

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        self._fill(event.node)

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            self._fill(node)
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def reveal(self, ref: NodeRef) -> None:
        """Expand the path to a section and put the cursor on it."""
        if self.catalog is None:
            return
        if ref.kind == "section":
            section = self.catalog.section_by_id.get(ref.key)
            if section is None:
                return
            doc = self.catalog.document_by_id.get(section.document)
            path = [f"year:{doc.year if doc else None}", section.document] + [a.id for a in self.catalog.ancestors(section)]
        elif ref.kind == "document":
            doc = self.catalog.document_by_id.get(ref.key)
            path = [f"year:{doc.year if doc else None}"]
        else:
            path = []
        for key in path:
            node = self._by_key.get(key)
            if node is not None:
                self._fill(node)
                node.expand()
        target_key = ref.key if ref.kind != "year" else f"year:{ref.key or None}"
        target = self._by_key.get(target_key)
        if target is None and ref.kind == "section" and ref.key.endswith("/lead"):
            target = self._by_key.get(ref.key.rsplit("/", 1)[0])  # the lead lives on its document
        if target is not None:
            # new nodes get their line numbers on the next refresh
            self.call_after_refresh(self._land_on, target)

    def expand_ref(self, ref: NodeRef) -> None:
        """Open a node already in the tree (its children added); the cursor stays where it is."""
        node = self._by_key.get(ref.key if ref.kind != "year" else f"year:{ref.key or None}")
        if node is not None and node.allow_expand and not node.is_expanded:
            self._fill(node)
            node.expand()

    def put_cursor(self, ref: NodeRef) -> None:
        """The cursor on a node already in the tree, in this frame (no scrolling needed)."""
        target = self._by_key.get(ref.key if ref.kind != "year" else f"year:{ref.key or None}")
        if target is not None:
            self.cursor_line = next((k for k, line in enumerate(self._tree_lines) if line.node is target), 0)

    def _land_on(self, node: TreeNode[NodeRef]) -> None:
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)
