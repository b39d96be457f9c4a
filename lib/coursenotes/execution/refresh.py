"""`--refresh`: which posts it names, checked before anything runs."""

from __future__ import annotations

from pathlib import Path

from coursenotes.errors import ExecutionError
from coursenotes.settings import BuildOptions
from coursenotes.sources import Post, post_name


def names(name: str, post: Post, root: Path) -> bool:
    """Whether a `--refresh` argument (a slug, or the post's file or folder) means this post."""
    if name.strip("/") in (post.slug, post_name(post.source)):
        return True
    for base in (Path.cwd(), root):
        path = (base / name).resolve()
        if path in (post.source.resolve(), post.source.parent.resolve() if post.folder else None):
            return True
    return False


def check_refresh(posts: list[Post], root: Path, options: BuildOptions) -> None:
    """A one-line error for `--refresh` with `--frozen`, or naming a post that is not there."""
    if options.refresh is not None and options.frozen:
        raise ExecutionError("--refresh runs code and --frozen never does: use one of them")
    for name in options.refresh or ():
        if not any(names(name, p, root) for p in posts):
            raise ExecutionError(f"--refresh {name}: no such post (give its slug or its file; drafts need --drafts)")


def refreshing(post: Post, root: Path, options: BuildOptions) -> bool:
    """`--refresh` (every post) or `--refresh` naming this one."""
    refresh = options.refresh
    return refresh is not None and (not refresh or any(names(n, post, root) for n in refresh))
