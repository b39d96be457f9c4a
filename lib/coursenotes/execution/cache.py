"""The execution cache: jupyter-cache in .jupyter_cache/ keyed on code, options, kernel and environment, not prose."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coursenotes.execution.options import keyed_options
from coursenotes.sources import Node, code_cells, outputs_of, to_node

FOLDER = ".jupyter_cache"
REBUILT = "{folder}/ was unreadable ({why}); it was cleared and rebuilt, so these posts run again"


@dataclass(frozen=True)
class Hit:
    """A cached execution: its key, each code cell's outputs, and what was recorded with it."""

    key: str
    cells: list[dict]
    data: dict


def key_notebook(nb, opts: dict, kernel: str, env: dict) -> Node:
    """What the cache key hashes: code cells with their keyed options, the kernel, the environment.

    Markdown cells and source line numbers are left out, so a prose edit is a cache hit."""
    cells = [
        {
            "cell_type": "code",
            "id": f"c{i}",
            "source": c.source,
            "metadata": {"coursenotes": {"options": keyed_options(c, opts)}},
            "execution_count": None,
            "outputs": [],
        }
        for i, c in enumerate(code_cells(nb))
    ]
    meta = {"kernelspec": {"name": kernel, "display_name": kernel}, "coursenotes": {"environment": env}}
    # Plain Nodes, not new_code_cell: validating each cell was a third of a no-op rebuild.
    return to_node({"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": cells})


def code_hash(nb, opts: dict, kernel: str) -> str:
    """The frozen store's key: code, keyed options and kernel, but not the environment.

    A machine without the GPU or fastai must still recognise the code it was given as frozen."""
    cells = [[c.source, keyed_options(c, opts)] for c in code_cells(nb)]
    return hashlib.sha256(json.dumps([kernel, cells], sort_keys=True).encode()).hexdigest()[:32]


@cache
def cache_class():
    """jupyter-cache's base class, hashing our `coursenotes` notebook metadata too (imported only when needed)."""
    from jupyter_cache.cache.main import JupyterCacheBase

    class PostCache(JupyterCacheBase):
        """JupyterCacheBase whose key also covers the environment fingerprint in the notebook metadata."""

        def create_hashed_notebook(self, nb, nb_metadata=("kernelspec", "coursenotes"), cell_metadata=None):
            """jupyter-cache's hash over code cells, with our metadata key added."""
            return super().create_hashed_notebook(nb, nb_metadata, cell_metadata)

    return PostCache


def notebook_node(nb):
    """The notebook as nbformat's NotebookNode: jupyter-cache checks the type (nbformat loads only when executing)."""
    import nbformat

    return nbformat.from_dict(nb)


def is_corrupt(e: Exception) -> bool:
    """Whether jupyter-cache failed because its SQLite database is damaged (truncated, not a database)."""
    import sqlite3

    try:
        from sqlalchemy.exc import DatabaseError
    except ImportError:
        return isinstance(e, sqlite3.DatabaseError)
    return isinstance(e, (DatabaseError, sqlite3.DatabaseError))


class ExecutionCache:
    """The site's jupyter-cache, opened on first use; a damaged one is cleared and rebuilt, with a warning."""

    def __init__(self, root: Path, warn: Callable[[str], None] | None = None):
        self.folder, self._db = Path(root) / FOLDER, None
        self.warn = warn or (lambda message: None)

    def guarded(self, action):
        """`action()`, retried once on a fresh cache when the database is damaged: a cache only saves time."""
        try:
            return action()
        except Exception as e:
            if not is_corrupt(e):
                raise
            self.warn(REBUILT.format(folder=FOLDER, why=str(e.orig if hasattr(e, "orig") else e).splitlines()[0]))
            self._db = None
            shutil.rmtree(self.folder, ignore_errors=True)
            return action()

    @property
    def db(self):
        """The jupyter-cache object."""
        if self._db is None:
            self._db = cache_class()(str(self.folder))
        return self._db

    def key(self, key_nb) -> str:
        """The cache key of a key notebook."""
        return self.db.create_hashed_notebook(notebook_node(key_nb))[1]

    def lookup(self, key_nb) -> Hit | None:
        """The cached execution of exactly this code, options, kernel and environment, if any."""
        return self.guarded(lambda: self.find(key_nb))

    def find(self, key_nb) -> Hit | None:
        """`lookup` without the guard."""
        try:
            record = self.db.match_cache_notebook(notebook_node(key_nb))
        except KeyError:
            return None
        # Read the executed notebook straight from jupyter-cache's folder: get_cache_bundle would
        # commit an "accessed" time per post (an fsync each, most of a no-op rebuild) and validate it.
        path = self.db._get_notebook_path_cache(record.hashkey)
        try:
            executed = to_node(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None
        return Hit(record.hashkey, outputs_of(executed), dict(record.data or {}))

    def store(self, executed, uri: str, data: dict) -> str:
        """Cache a successful execution (the key notebook with outputs); its key."""
        from jupyter_cache.base import CacheBundleIn

        # Validity is ours to judge: cells with `eval: false` legitimately have no execution count.
        record = self.guarded(
            lambda: self.db.cache_notebook_bundle(
                CacheBundleIn(notebook_node(executed), uri, data=data), check_validity=False, overwrite=True
            )
        )
        return record.hashkey
