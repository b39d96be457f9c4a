"""What the execution stage hands on for each post: its notebook, outputs in, and how they came to be."""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("executed", "cached", "frozen", "failed")


@dataclass(frozen=True)
class Executed:
    """A post's notebook with its outputs (or none, when nothing ran), its `execute:` options and status."""

    nb: object
    options: dict
    status: str = "shown"  # executed / cached / frozen, or shown: code only, or an .ipynb's stored outputs
