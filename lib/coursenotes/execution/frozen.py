"""The frozen store: each executed post's outputs as committed, diffable files in _frozen/.

`_frozen/<slug>.json` holds the code hash, the kernel, the environment and every code cell's
outputs (text split into lines, like an .ipynb); images and other binary outputs sit beside it
in `_frozen/<slug>/<content hash>.<ext>` so a diff shows text changes, not base64.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from coursenotes.errors import ExecutionError
from coursenotes.sources import inside

FOLDER = "_frozen"
FORMAT = 1
FILE_REF = "@frozen:"  # a value that is a file beside the JSON (base64 never starts with "@")
FILE_MIMES = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
    "application/pdf": "pdf",
}
TEXT_MIMES = {"image/svg+xml"}
# What `freeze` writes: a content hash and an extension. Anything else (`../../etc/passwd`, an
# absolute path) came from an edited store, and following it would publish the build machine's files.
FILE_NAME = re.compile(r"[0-9a-f]{8,64}\.[a-z0-9]{1,8}")


@dataclass(frozen=True)
class Frozen:
    """One post's frozen execution."""

    source: str  # the post's file, relative to the site
    kernel: str
    code_hash: str  # cache.code_hash: code + keyed options + kernel, no environment
    cache_key: str = ""  # the jupyter-cache key it was executed under
    seconds: float = 0.0  # how long that execution took
    environment: dict = field(default_factory=dict)  # python/torch/fastai versions, device
    cells: list = field(default_factory=list)  # per code cell: execution_count, outputs


def lines(text: str) -> list[str] | str:
    """Multi-line text as a list of lines (each keeping its newline), the way .ipynb files diff well."""
    return text.splitlines(keepends=True) if "\n" in text.rstrip("\n") else text


def joined(value) -> str:
    """Text from a string or a list of lines."""
    return "".join(value) if isinstance(value, list) else value


class FrozenStore:
    """Read and write `_frozen/` under the site root."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.folder = self.root / FOLDER

    def path(self, slug: str) -> Path:
        """The JSON file of one post."""
        return self.folder / f"{slug}.json"

    def read(self, slug: str) -> Frozen | None:
        """A post's frozen entry (outputs still referring to files), or None when it has none."""
        path = self.path(slug)
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            frozen = Frozen(**{k: data[k] for k in Frozen.__dataclass_fields__ if k in data})
            check_shape(frozen)
            return frozen
        except (ValueError, TypeError, KeyError) as e:
            raise ExecutionError(f"unreadable frozen entry ({e}); delete it and rebuild with a kernel", path) from None

    def outputs(self, slug: str, frozen: Frozen) -> list[dict]:
        """The entry's cells with file references read back into notebook outputs."""
        return [
            {"execution_count": c.get("execution_count"), "outputs": [self.thaw(slug, o) for o in c.get("outputs", [])]}
            for c in frozen.cells
        ]

    def thaw(self, slug: str, output: dict) -> dict:
        """One stored output as a notebook output."""
        out = dict(output)
        if "text" in out:
            out["text"] = joined(out["text"])
        if "data" in out:
            data: dict[str, object] = {}
            for mime, value in out["data"].items():
                if isinstance(value, str) and value.startswith(FILE_REF):
                    path = self.stored_file(slug, value[len(FILE_REF) :])
                    if not path.is_file():
                        raise ExecutionError(
                            f"missing {FOLDER}/{slug}/{path.name}; rebuild with `--refresh {slug}`", self.path(slug)
                        )
                    raw = path.read_bytes()
                    value = raw.decode() if mime in TEXT_MIMES else base64.b64encode(raw).decode()
                data[mime] = joined(value) if isinstance(value, (str, list)) and not mime.endswith("json") else value
            out["data"] = data
        return out

    def stored_file(self, slug: str, name: str) -> Path:
        """The file an `@frozen:` reference names, or an ExecutionError when it would lead outside `_frozen/<slug>/`."""
        folder = self.folder / slug
        path = folder / name
        if not FILE_NAME.fullmatch(name) or not inside(path, folder):
            raise ExecutionError(
                f"frozen output refers to {name!r}, outside {FOLDER}/{slug}/; "
                f"delete the entry and rebuild with `--refresh {slug}`",
                self.path(slug),
            )
        return path

    def freeze(self, output: dict, files: dict[str, bytes]) -> dict:
        """One notebook output as stored: long text as lines, binary data moved out into `files`."""
        out = {k: v for k, v in dict(output).items() if k != "transient"}
        if isinstance(out.get("text"), str):
            out["text"] = lines(out["text"])
        if "data" in out:
            data: dict[str, object] = {}
            for mime, value in out["data"].items():
                if mime in FILE_MIMES and isinstance(value, (str, list)):
                    text = joined(value)
                    raw = text.encode() if mime in TEXT_MIMES else base64.b64decode(text)
                    name = f"{hashlib.sha256(raw).hexdigest()[:16]}.{FILE_MIMES[mime]}"
                    files[name] = raw
                    data[mime] = FILE_REF + name
                elif isinstance(value, str) and not mime.endswith("json"):
                    data[mime] = lines(value)
                else:
                    data[mime] = value
            out["data"] = data
        return out

    def write(self, slug: str, frozen: Frozen) -> None:
        """Store a post's execution; unchanged files are left alone so git sees only real changes."""
        files: dict[str, bytes] = {}
        cells = [
            {
                "execution_count": c.get("execution_count"),
                "outputs": [self.freeze(o, files) for o in c.get("outputs", [])],
            }
            for c in frozen.cells
        ]
        entry = {
            "format": FORMAT,
            "source": frozen.source,
            "kernel": frozen.kernel,
            "code_hash": frozen.code_hash,
            "cache_key": frozen.cache_key,
            "seconds": round(frozen.seconds),  # whole seconds: a re-run should not show up as a diff
            "environment": frozen.environment,
            "cells": sorted_keys(cells),
        }
        text = json.dumps(entry, indent=1, ensure_ascii=False) + "\n"
        self.folder.mkdir(parents=True, exist_ok=True)
        folder = self.folder / slug
        for name, raw in files.items():
            folder.mkdir(exist_ok=True)
            if not (folder / name).is_file():
                (folder / name).write_bytes(raw)
        if folder.is_dir():
            for old in folder.iterdir():
                if old.name not in files:
                    old.unlink()
            if not files:
                folder.rmdir()
        path = self.path(slug)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def check_shape(frozen: Frozen) -> None:
    """A TypeError when an (edited) entry does not have the shape `write` gives it."""
    if not isinstance(frozen.environment, dict) or not isinstance(frozen.cells, list):
        raise TypeError("`environment` must be an object and `cells` a list")
    for cell in frozen.cells:
        outputs = cell.get("outputs", []) if isinstance(cell, dict) else None
        if not isinstance(outputs, list) or not all(isinstance(o, dict) for o in outputs):
            raise TypeError("each cell must be an object with a list of output objects")


def sorted_keys(value):
    """The same JSON with every mapping's keys sorted, so output order never shows up in a diff."""
    return json.loads(json.dumps(value, sort_keys=True))
