"""Display formatters installed in the build's kernel, so outputs come out in a form the site can draw.

mermaid-py builds diagrams in code, but draws them by calling the mermaid.ink web service (in
`Mermaid.__init__`), which a build machine cannot reach. Here its diagrams display as a
```mermaid block in `text/markdown` (our first MIME choice), which the site's Lua filter turns
into a diagram drawn by the site's own mermaid.js.
"""

from __future__ import annotations

import base64
import importlib.util
import re


def mermaid_markdown(script: str) -> str:
    """A mermaid script as a fenced ```mermaid block."""
    runs = [len(run) for run in re.findall(r"`{3,}", script)]
    ticks = "`" * max(3, 1 + max(runs, default=0))
    return f"{ticks}mermaid\n{script.strip(chr(10))}\n{ticks}"


def graph_markdown(graph) -> str:
    """Markdown for a `mermaid.graph.Graph` (FlowChart, ERDiagram, ...): its `script`."""
    return mermaid_markdown(graph.script)


def diagram_markdown(diagram) -> str:
    """Markdown for a `mermaid.Mermaid`, whose script is kept base64-encoded in `_diagram`."""
    return mermaid_markdown(base64.urlsafe_b64decode(diagram._diagram.encode()).decode("utf-8"))


def offline_request(self) -> None:
    """Stands in for `Mermaid._make_request_to_mermaid`: no web call, so `Mermaid(graph)` works offline."""
    self.svg_response = self.img_response = None


def no_html(_obj) -> None:
    """A text/html formatter that declines, so `Mermaid._repr_html_` (the mermaid.ink SVG) is never asked."""
    return None


def register_mermaid(ip) -> bool:
    """Show mermaid-py diagrams as ```mermaid markdown; False when mermaid-py is not installed."""
    if importlib.util.find_spec("mermaid") is None:
        return False
    # Import now: the web call is in Mermaid's constructor, so it must be patched before any cell runs.
    import mermaid
    from mermaid.graph import Graph

    mermaid.Mermaid._make_request_to_mermaid = offline_request
    formatters = ip.display_formatter.formatters
    formatters["text/markdown"].for_type(Graph, graph_markdown)
    formatters["text/markdown"].for_type(mermaid.Mermaid, diagram_markdown)
    formatters["text/html"].for_type(mermaid.Mermaid, no_html)
    return True


def register(ip=None) -> list[str]:
    """Install our formatters in an IPython shell (the running one by default); the names of what was installed."""
    if ip is None:
        from IPython import get_ipython

        ip = get_ipython()
    if ip is None:
        return []
    return ["mermaid"] if register_mermaid(ip) else []
