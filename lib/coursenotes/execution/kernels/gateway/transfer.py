"""Post files travel: the files beside a post are sent to a fresh working folder on the kernel's side.

What is sent: the post's folder, without outputs (hidden files, `_site/`, `*_files/`, caches),
without other posts' folders and without anything git-ignored; past a size cap the post fails
with one line saying what is too big. How: a gzipped tar, in base64 chunks, through the kernel's
own execute channel (remote.py), so it works wherever the kernel is (a GPU box, a pod, a cloud
kernel) with no shared filesystem. The remote side keeps each bundle once per build under its
temp folder, by content hash, so an unchanged folder is not sent again to the same host; each
post is extracted into a fresh folder that its kernel removes when it exits, and the build's
last step removes the whole build folder (Gateway.close).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import subprocess
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from coursenotes.execution.kernels.gateway.remote import call

CHUNK = 4 * 1024 * 1024  # base64 characters per request: under tornado's 10 MiB websocket message cap
OUTPUT_NAMES = frozenset({"_site", "_freeze", "_frozen", "__pycache__", "node_modules"})
POST_INDEXES = ("index.qmd", "index.ipynb", "index.md")
MB = 1024 * 1024


class TooBigError(Exception):
    """The folder is over the size cap (the message says what to do)."""


@dataclass(frozen=True)
class Bundle:
    """The files of one post folder, packed: a tar.gz, its content hash, how many files and bytes."""

    data: bytes
    digest: str
    files: int
    size: int


def is_output(rel: Path, folder: Path) -> bool:
    """True for paths a post never reads: hidden ones, build outputs, caches, other posts' folders."""
    for i, part in enumerate(rel.parts[:-1]):
        if part.startswith(".") or part in OUTPUT_NAMES or part.endswith("_files"):
            return True
        sub = folder.joinpath(*rel.parts[: i + 1])
        if any((sub / name).is_file() for name in POST_INDEXES):
            return True  # a folder that is a post of its own
    name = rel.parts[-1]
    return name.startswith(".") or name.endswith(".quarto_ipynb")


def git_files(folder: Path) -> list[Path] | None:
    """The files under folder that git does not ignore (tracked or not), or None outside a git work tree."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(folder), "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    return [Path(p) for p in proc.stdout.decode(errors="surrogateescape").split("\0") if p]


def candidates(folder: Path) -> list[Path]:
    """The files of the folder a post may read, relative to it, sorted."""
    if not folder.is_dir():
        return []
    found = git_files(folder)
    if found is None:
        found = [p.relative_to(folder) for p in folder.rglob("*") if p.is_file()]
    return sorted(p for p in found if (folder / p).is_file() and not is_output(p, folder))


def bundle(folder: Path, limit_mb: float, label: str) -> Bundle:
    """The post folder's files packed for sending; TooBigError past `limit_mb`."""
    files = candidates(folder)
    sizes = {p: (folder / p).stat().st_size for p in files}
    total = sum(sizes.values())
    if total > limit_mb * MB:
        largest = max(sizes, key=lambda p: sizes[p])
        raise TooBigError(
            f"{label}: the post's folder has {total / MB:.1f} MB to send, over the {limit_mb:g} MB limit "
            f"(largest: {largest.as_posix()}, {sizes[largest] / MB:.1f} MB); git-ignore what the post does not "
            'read, make the data in code, raise send-limit-mb, or share the folder (files = "shared")'
        )
    digest, buf = hashlib.sha256(), io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", compresslevel=6) as tar:
        for rel in files:
            data = (folder / rel).read_bytes()
            digest.update(rel.as_posix().encode() + b"\0" + hashlib.sha256(data).digest())
            info = tarfile.TarInfo(rel.as_posix())
            info.size, info.mode, info.mtime = len(data), 0o644, int((folder / rel).stat().st_mtime)
            tar.addfile(info, io.BytesIO(data))
    return Bundle(buf.getvalue(), digest.hexdigest()[:32], len(files), total)


# Run in the kernel. Each returns a literal; none leaves a name behind (remote.py).
PREPARE = """
def main(session, digest):
    import os, tempfile
    base = os.path.join(tempfile.gettempdir(), "coursenotes-" + session)
    os.makedirs(base, exist_ok=True)
    return {"base": base, "have": os.path.exists(os.path.join(base, digest + ".tar.gz"))}
"""

APPEND = """
def main(part, chunk):
    import base64
    with open(part, "ab") as f:
        f.write(base64.b64decode(chunk))
    return True
"""

ENTER = """
def main(base, digest, part, sha):
    import atexit, hashlib, os, shutil, tarfile, tempfile
    bundle = os.path.join(base, digest + ".tar.gz")
    if part:
        with open(part, "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != sha:
                raise ValueError("the post's files arrived damaged")
        os.replace(part, bundle)
    work = tempfile.mkdtemp(prefix="post-", dir=base)
    with tarfile.open(bundle) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(work, filter="data")
        else:
            for m in tar.getmembers():
                if not m.isfile() or m.name.startswith("/") or ".." in m.name.split("/"):
                    raise ValueError("unexpected entry in the post's files: " + m.name)
            tar.extractall(work)
    os.chdir(work)
    atexit.register(shutil.rmtree, work, True)
    return {"cwd": work, "found": True}
"""

CLEANUP = """
def main(base):
    import os, shutil
    os.chdir(os.path.dirname(base))
    shutil.rmtree(base, ignore_errors=True)
    return not os.path.exists(base)
"""


async def send(client, files: Bundle, session: str) -> dict:
    """Make the kernel's working folder a fresh copy of the bundle, sending it only if its host lacks it."""
    where = await call(client, PREPARE, session, files.digest)
    part, sent = "", False
    if not where["have"]:
        part = f"{where['base']}/{files.digest}.{uuid.uuid4().hex[:8]}.part"
        text = base64.b64encode(files.data).decode()
        for start in range(0, len(text), CHUNK):
            await call(client, APPEND, part, text[start : start + CHUNK])
        sent = True
    sha = hashlib.sha256(files.data).hexdigest() if part else ""
    entered = await call(client, ENTER, where["base"], files.digest, part, sha)
    return {**entered, "base": where["base"], "files": files.files, "sent": sent}


def new_session() -> str:
    """A name for one build's folder on the remote side."""
    return f"{os.getpid()}-{uuid.uuid4().hex[:10]}"
