"""What a post executes, with which `execute:` options and on which kernel (Quarto's rules)."""

from __future__ import annotations

from coursenotes.errors import FrontMatterError, PostError
from coursenotes.settings import SiteConfig, check_execute, jupyter_kernel
from coursenotes.sources import Post, cell_options, code_cells

DEFAULT_KERNEL = "python3"
# Cell options that only change how a cell is shown, never what runs: left out of the cache
# key so that editing a caption or hiding a cell's code does not re-run a training cell.
PRESENTATION = frozenset(
    {"echo", "output", "include", "label", "fig-cap", "fig-alt", "fig-subcap", "tbl-cap", "code-fold",
     "code-summary", "code-line-numbers", "classes", "lst-label", "lst-cap"}
)  # fmt: skip


def execute_options(post: Post, config: SiteConfig) -> dict:
    """Site `execute:` options (checked when the settings were read) overlaid by the post's own `execute:`."""
    line = post.raw.key_lines.get("execute")
    own = post.meta.get("execute") or {}
    if not isinstance(own, dict):
        raise FrontMatterError(
            "`execute` must be a mapping of options (eval, echo, error, freeze, ...)", post.source, line
        )
    return {**config.execute, **check_execute(own, FrontMatterError, post.source, line)}


def cell_flag(cell, opts: dict, key: str, default: bool) -> bool:
    """A cell's effective boolean option: its own `#|` value, else the post's, else the default."""
    value = cell_options(cell).get(key, opts.get(key, default))
    return value if isinstance(value, bool) else default


def keyed_options(cell, opts: dict) -> dict:
    """The options that change what a cell runs or keeps (so they belong in the cache key)."""
    own = {k: v for k, v in cell_options(cell).items() if k not in PRESENTATION}
    return {**own, "eval": cell_flag(cell, opts, "eval", True), "error": cell_flag(cell, opts, "error", False)}


def names_jupyter(meta: dict) -> bool:
    """A .md post opts into execution by naming a kernel or the jupyter engine."""
    return bool(meta.get("jupyter")) or meta.get("engine") == "jupyter"


def runs_code(post: Post, nb, opts: dict, execute: bool = True) -> bool:
    """Whether the build executes this post (else it shows code, or an .ipynb's stored outputs)."""
    if not execute or opts.get("enabled") is False:
        return False
    if post.kind == "ipynb" and opts.get("enabled") is not True:
        return False
    if post.kind == "md" and not names_jupyter(post.meta):
        return False
    return any(c.source.strip() and cell_flag(c, opts, "eval", True) for c in code_cells(nb))


def kernel_name(post: Post, nb, config: SiteConfig) -> str:
    """The post's `jupyter:` kernel, else a notebook's own kernelspec, else `_quarto.yml`'s, else python3."""
    value = jupyter_kernel(post.meta.get("jupyter"), FrontMatterError, post.source, post.raw.key_lines.get("jupyter"))
    if isinstance(value, str) and value.strip():
        return value.strip()
    if value not in (None, True, False):
        raise FrontMatterError(
            "`jupyter` must name a kernel (e.g. `jupyter: python3`)",
            post.source,
            post.raw.key_lines.get("jupyter"),
        )
    own = notebook_kernel(post, nb) if post.kind == "ipynb" else None
    return own or config.jupyter or DEFAULT_KERNEL


def notebook_kernel(post: Post, nb) -> str | None:
    """A notebook's kernelspec name; a PostError when it names only a language other than Python,
    which a Python kernel would run as if it were Python."""
    spec = nb.metadata.get("kernelspec")
    spec = spec if isinstance(spec, dict) else {}
    info = nb.metadata.get("language_info")
    language = str(spec.get("language") or (info.get("name") if isinstance(info, dict) else "") or "")
    name = spec.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    if language and language.lower() not in ("python", "python3", "ipython", "ipython3"):
        raise PostError(
            f"the notebook's kernelspec has no name and its language is {language}: set metadata.kernelspec.name "
            "(e.g. `ir`) or `jupyter:` in the front matter",
            post.source,
        )
    return None


def gateway_names(post: Post, known: tuple[str, ...]) -> tuple[str, ...]:
    """The post's `coursenotes: gateway:` (a name or a list, spread over), checked against the site's gateways."""
    own = post.meta.get("coursenotes")
    line = post.raw.key_lines.get("coursenotes")
    if own is None:
        return ()
    if not isinstance(own, dict) or set(own) - {"gateway"}:
        raise FrontMatterError("`coursenotes` must be a mapping with `gateway: <name>`", post.source, line)
    value = own.get("gateway")
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise FrontMatterError("`coursenotes: gateway` must name a gateway, or a list of them", post.source, line)
    for name in names:
        if name not in known:
            raise FrontMatterError(
                f"`coursenotes: gateway` names `{name}`, which is not defined (known: {', '.join(known)}); "
                "see [tool.coursenotes.gateways] in docs/gateway.md",
                post.source,
                line,
            )
    return tuple(names)
