"""Authoring: `new` scaffolds a post, `check` finds problems, `preview` serves drafts while the author writes.

These commands sit on top of the pipeline: they use the stages' public names and `coursenotes.build`.
Public modules: scaffold (new_post), check (check), explain (`check --explain`), preview (preview).
"""

__all__ = ["check", "explain", "preview", "scaffold"]
