"""Notebooks in nbformat's shape without importing nbformat: its schema validator costs 0.1 s of every build."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Node(dict[str, Any]):
    """A dict whose keys read and write as attributes, as nbformat's NotebookNode (nested mappings become Nodes)."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value

    def __delattr__(self, key: str) -> None:
        try:
            del self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(value, Mapping) and not isinstance(value, Node):
            value = to_node(value)
        super().__setitem__(key, value)

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def copy(self) -> Node:
        return Node(self)


def to_node(value: Any) -> Any:
    """Mappings (also inside lists) as Nodes, all the way down, as nbformat.from_dict does."""
    if isinstance(value, Mapping):
        node = Node()
        for key, item in value.items():
            dict.__setitem__(node, key, to_node(item))
        return node
    if isinstance(value, (list, tuple)):
        return [to_node(item) for item in value]
    return value
