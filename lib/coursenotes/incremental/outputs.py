"""A post's executed outputs, reused after an edit that left its code alone: no cache lookup, no kernel.

A prose edit changes a post's body key, but not what its code printed. The outputs (and the
execute options and report row that came with them) are kept under a key made of the post's
code cells and their options, its front matter (kernel, `execute:`), its frozen entry and the
shared inputs; while that key holds, the execution stage (jupyter-cache, the kernel's
fingerprint, nbclient) is not even imported.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from coursenotes.sources import Node, Post, cell_options, code_cells


@dataclass(frozen=True)
class Reused:
    """An executed post as the markdown stage reads it (what execution.Executed holds)."""

    nb: Node
    options: dict
    status: str = "cached"


def code_key(post: Post, nb) -> str:
    """Everything the outputs depend on inside the post: code, cell options, front matter (not prose, not lines)."""
    cells = [[cell.source, cell_options(cell)] for cell in code_cells(nb)]
    text = json.dumps([post.kind, sorted(post.meta.items(), key=str), cells], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
