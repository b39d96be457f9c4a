"""The kernel's display formatters: mermaid-py diagrams as ```mermaid markdown, never a mermaid.ink call."""

from __future__ import annotations

import mermaid
import pytest
from IPython.core.interactiveshell import InteractiveShell

from coursenotes.execution.kernels import kernel_formatters


@pytest.fixture
def shell(monkeypatch):
    """An in-process IPython shell with our formatters, where any web request fails the test."""
    import requests

    def no_web(*args, **kwargs):
        raise AssertionError(f"web request made: {args[:1]}")

    monkeypatch.setattr(requests, "get", no_web)
    ip = InteractiveShell.instance()
    assert kernel_formatters.register(ip) == ["mermaid"]
    return ip


def test_flowchart_displays_as_mermaid_markdown(shell):
    from mermaid.flowchart import FlowChart, Link, Node

    a, b = Node("a", "Data"), Node("b", "Model")
    data, _ = shell.display_formatter.format(FlowChart("pipeline", [a, b], [Link(a, b)]))
    text = data["text/markdown"]
    assert text.startswith("```mermaid\n---\ntitle: pipeline\n---\nflowchart TB\n") and text.endswith("\n```")
    assert "a --> b" in text and "text/html" not in data


def test_other_graph_classes_are_covered_by_the_base_class(shell):
    from mermaid.piechart import PieChart

    data, _ = shell.display_formatter.format(PieChart("Split", {"train": 80, "valid": 20}))
    assert data["text/markdown"].startswith("```mermaid\n") and '"train" : 80' in data["text/markdown"]


def test_mermaid_wrapper_works_offline_and_never_shows_its_svg(shell):
    from mermaid.flowchart import FlowChart, Node

    diagram = mermaid.Mermaid(FlowChart("one", [Node("x", "X")]))  # would call mermaid.ink unpatched
    data, _ = shell.display_formatter.format(diagram)
    assert "text/html" not in data and 'x["X"]' in data["text/markdown"]
    assert mermaid.Mermaid("graph LR\n  p --> q")._diagram  # a plain script string works too
    assert (
        shell.display_formatter.format(mermaid.Mermaid("graph LR\n  p --> q"))[0]["text/markdown"]
        == "```mermaid\ngraph LR\n  p --> q\n```"
    )


def test_register_outside_ipython_does_nothing(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert kernel_formatters.register() == []
