"""What executes, merged options, kernels, cache keys and the frozen store: no kernel started."""

from __future__ import annotations

import base64
import json

import nbformat
import pytest

from coursenotes.build import BuildOptions, build
from coursenotes.cli import main
from coursenotes.errors import ConfigError, FrontMatterError
from coursenotes.execution.cache import ExecutionCache, code_hash, key_notebook
from coursenotes.execution.frozen import Frozen, FrozenStore
from coursenotes.execution.kernels import local as execute
from coursenotes.execution.options import execute_options, kernel_name, runs_code
from coursenotes.settings import load_config
from coursenotes.sources.notebook import to_notebook
from coursenotes.sources.posts import read_post

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
)
CODE = "```{python}\nx = 1\nprint(x)\n```\n"


def qmd(body: str = CODE, front: str = "", prose: str = "Some prose.") -> str:
    """A .qmd post with front matter, prose and a body."""
    return f"---\ntitle: T\ndate: 2024-01-01\n{front}---\n\n{prose}\n\n{body}"


def ipynb(front: str = "") -> str:
    """A notebook post with a stored output."""
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_raw_cell(f"---\ntitle: N\n{front}---"),
            nbformat.v4.new_code_cell("import os; os._exit(3)"),
        ]
    )
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="stored\n")]
    return nbformat.writes(nb)


def planned(site, rel: str, text: str, quarto: str = ""):
    """(post, notebook, merged options, config) for one post."""
    if quarto:
        (site.root / "_quarto.yml").write_text((site.root / "_quarto.yml").read_text() + quarto)
    post = read_post(site.post(rel, text))
    config = load_config(site.root)
    return post, to_notebook(post), execute_options(post, config), config


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail the test if anything starts a kernel."""

    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(execute, "new_client", refuse)


@pytest.mark.parametrize(
    "rel, text, quarto, execute, runs",
    [
        ("a/index.qmd", qmd(), "", True, True),
        ("a/index.qmd", qmd(), "", False, False),
        ("a/index.qmd", qmd(front="execute:\n  enabled: false\n"), "", True, False),
        ("a/index.qmd", qmd(), "execute:\n  enabled: false\n", True, False),
        ("a/index.qmd", qmd(front="execute:\n  eval: false\n"), "", True, False),
        ("a/index.qmd", qmd("```{python}\n#| eval: false\nx = 1\n```\n"), "", True, False),
        ("a/index.qmd", qmd("```python\nx = 1\n```\n"), "", True, False),
        ("a/index.md", qmd(), "", True, False),
        ("a/index.md", qmd(front="jupyter: python3\n"), "", True, True),
        ("a/index.md", qmd(front="engine: jupyter\n"), "", True, True),
        ("a/index.md", qmd(), "jupyter: python3\n", True, False),
        ("a/index.ipynb", ipynb(), "", True, False),
        ("a/index.ipynb", ipynb("execute:\n  enabled: true\n"), "", True, True),
        ("a/index.ipynb", ipynb(), "execute:\n  enabled: true\n", True, True),
    ],
)
def test_what_executes_follows_quarto(site, rel, text, quarto, execute, runs):
    post, nb, opts, _ = planned(site, rel, text, quarto)
    assert runs_code(post, nb, opts, execute) is runs


def test_post_execute_options_override_the_site(site):
    _, _, opts, _ = planned(
        site,
        "a/index.qmd",
        qmd(front="execute:\n  echo: false\n  timeout: 5\n"),
        "execute:\n  echo: true\n  freeze: auto\n",
    )
    assert opts == {"echo": False, "freeze": "auto", "timeout": 5}


@pytest.mark.parametrize(
    "front, quarto, where",
    [
        ("execute:\n  freeze: sometimes\n", "", "index.qmd:4: `execute: freeze` must be true, false or auto"),
        ("execute:\n  timeout: -1\n", "", "index.qmd:4: `execute: timeout` must be a positive number"),
        ("execute: yes\n", "", "index.qmd:4: `execute` must be a mapping"),
        ("", "execute:\n  error: maybe\n", "_quarto.yml: `execute: error` must be true or false"),
    ],
)
def test_bad_execute_options_name_their_file(site, front, quarto, where):
    with pytest.raises((FrontMatterError, ConfigError)) as e:
        planned(site, "a/index.qmd", qmd(front=front), quarto)
    assert where in str(e.value)


@pytest.mark.parametrize(
    "front, quarto, kernel",
    [
        ("jupyter: ir\n", "jupyter: julia-1.10\n", "ir"),
        ("jupyter:\n  kernelspec:\n    name: conda-gpu\n", "", "conda-gpu"),
        ("", "jupyter: julia-1.10\n", "julia-1.10"),
        ("", "", "python3"),
    ],
)
def test_kernel_is_the_posts_then_the_sites_then_python3(site, front, quarto, kernel):
    post, nb, _, config = planned(site, "a/index.qmd", qmd(front=front), quarto)
    assert kernel_name(post, nb, config) == kernel


def keys(site, text: str, kernel: str = "python3", env: dict | None = None) -> tuple[str, str]:
    """(cache key, frozen code hash) of a post's text."""
    _, nb, opts, _ = planned(site, "k/index.qmd", text)
    key = ExecutionCache(site.root).key(key_notebook(nb, opts, kernel, env or {"python": "3.11.7"}))
    return key, code_hash(nb, opts, kernel)


def test_cache_key_covers_code_options_kernel_and_environment_not_prose(site):
    base = keys(site, qmd())
    assert keys(site, qmd(prose="Edited prose, and a new paragraph.\n\nMore.")) == base
    assert keys(site, qmd(body="Intro.\n\n" + CODE)) == base
    assert keys(site, qmd(body="```{python}\n#| echo: false\n#| fig-cap: A caption\nx = 1\nprint(x)\n```\n")) == base
    assert keys(site, qmd(body=CODE.replace("x = 1", "x = 2")))[0] != base[0]
    assert keys(site, qmd(body="```{python}\n#| eval: false\nx = 1\nprint(x)\n```\n"))[0] != base[0]
    assert keys(site, qmd(front="execute:\n  error: true\n"))[0] != base[0]
    assert keys(site, qmd(), kernel="gpu")[0] != base[0]
    other_env = keys(site, qmd(), env={"python": "3.12.1"})
    assert other_env[0] != base[0] and other_env[1] == base[1]  # the frozen store ignores the environment


def test_frozen_store_keeps_text_as_lines_and_images_as_files(tmp_path):
    store = FrozenStore(tmp_path)
    png = base64.b64encode(PNG).decode()
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "one\ntwo\n"},
        {"output_type": "display_data", "metadata": {}, "data": {"image/png": png, "text/plain": "<Figure>"}},
        {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": "<svg/>\n"}},
        {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["a", "b"]},
    ]
    entry = Frozen(
        "posts/a/index.qmd",
        "python3",
        "hash",
        "key",
        12.3,
        {"device": "cpu"},
        [{"execution_count": 1, "outputs": outputs}, {"execution_count": None, "outputs": []}],
    )
    store.write("a", entry)
    text = (tmp_path / "_frozen/a.json").read_text()
    assert png not in text and '"one\\n",' in text and '"hash"' in text
    files = sorted(p.suffix for p in (tmp_path / "_frozen/a").iterdir())
    assert files == [".png", ".svg"]
    back = store.read("a")
    assert back.code_hash == "hash" and back.environment == {"device": "cpu"} and back.seconds == 12
    cells = store.outputs("a", back)
    assert cells[0]["outputs"] == outputs and cells[1] == {"execution_count": None, "outputs": []}
    before = (tmp_path / "_frozen/a.json").stat().st_mtime_ns
    store.write("a", entry)
    assert (tmp_path / "_frozen/a.json").stat().st_mtime_ns == before  # unchanged: not rewritten
    store.write(
        "a",
        Frozen("posts/a/index.qmd", "python3", "hash2", "key", 1, {}, [{"execution_count": 1, "outputs": outputs[:1]}]),
    )
    assert not (tmp_path / "_frozen/a").exists()  # images no output refers to are removed
    assert json.loads((tmp_path / "_frozen/a.json").read_text())["code_hash"] == "hash2"


def test_frozen_build_fails_for_a_post_never_frozen(site, no_kernel):
    site.post("a/index.qmd", qmd())
    result = build(site.root, BuildOptions(frozen=True))
    assert not result.ok
    assert "posts/a/index.qmd: not frozen yet; run `coursenotes build --refresh a`" in str(result.errors[0])
    assert [(r.source, r.status) for r in result.report.runs] == [("posts/a/index.qmd", "failed")]


def test_missing_kernel_fails_the_post_with_its_line(site, no_kernel):
    site.post("a/index.qmd", qmd(front="jupyter: no-such-kernel\n"))
    site.post("b.md", "---\ntitle: B\n---\n\nNo code.\n")
    result = build(site.root)
    assert len(result.errors) == 1
    assert "index.qmd:4: kernel `no-such-kernel` is not installed here" in str(result.errors[0])


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--refresh", "a", "--frozen"], "--refresh runs code and --frozen never does"),
        (["--refresh", "nope"], "--refresh nope: no such post"),
    ],
)
def test_cli_refuses_bad_refresh(site, no_kernel, capsys, monkeypatch, argv, message):
    site.post("a/index.qmd", qmd())
    monkeypatch.chdir(site.root)
    assert main(["build", *argv]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and not (site.root / "_site").exists()
