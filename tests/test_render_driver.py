"""The pandoc driver (render/driver.lua, server.py, batch.py) against one `pandoc` run per post.

The same posts go through both paths and must come out byte for byte the same: HTML, table of
contents, warnings and the stderr text they are read from. Then what happens when a driver
fails: a filter error, a killed or hung driver, garbage on its stdout, and no process left.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from coursenotes.authoring.check_render import check_markdown
from coursenotes.errors import RenderError
from coursenotes.render import batch, post_pandoc_meta, server
from coursenotes.render import pandoc as render
from coursenotes.render.pandoc_meta import PandocMeta
from coursenotes.sources import discover

REPO = Path(__file__).resolve().parents[1]
LUA = REPO / "tests" / "lua"

MORE_BIB = """\
@book{gugger2021,
  author = {Gugger, Sylvain},
  title = {Deep Learning for Coders},
  publisher = {O'Reilly},
  year = {2021}
}
"""

EXTRAS = {
    # Options of every kind a post's front matter turns into arguments.
    "extras.md": """\
        ---
        title: Extras
        toc-depth: 2
        number-sections: true
        number-depth: 3
        crossref:
          fig-title: Abbildung
          fig-prefix: "Abb."
          title-delim: "·"
          "odd:key": x=y
        code-fold: true
        code-summary: "Zeige: den Code"
        callout-appearance: simple
        bibliography: [references.bib, more.bib]
        nocite: "@knuth1984"
        ---

        # One {#sec-one}

        Mr. Smith met Dr. Who on Jan. 3, e.g. at fig. 2 --- "quoted" and 'single'.
        Emoji :smile: and :+1:, a footnote[^n] and an inline one^[inline *note*].

        [^n]: The note, with `code`.

        ## Two

        See @sec-one, @fig-cat and @Fig-cat, cite [@howard2020; @gugger2021, p. 3] and @missing2020.

        ![A cat](cat.png){#fig-cat}

        ### Three

        Bad math $\\frac{1}{$ and good $x^2$, then

        $$\\begin{aligned} a &= \\undefinedmacro{b} \\end{aligned}$$

        #### Four

        <div class="raw"><b>raw</b> HTML</div>

        ```{=html}
        <span>raw block</span>
        ```

        ```python
        def f(x):
        \treturn x  # a tab
        ```

        -----------------------------------------------------------------
        Centered      Default           Right Left
        Header        Aligned         Aligned Aligned
        ----------- ------- --------------- -------------------------
           First    row                12.0 Example of a row that
                                            spans multiple lines.
        -----------------------------------------------------------------

        : A multiline table {#tbl-m}

        ::: {.callout-warning}
        ## Careful
        A callout with a [link](https://example.org).
        :::

        ::: {.panel-tabset}
        ## Python
        One.
        ## R
        Two.
        :::

        ::: {layout-ncol=2}
        ![Left](a.png)

        ![Right](b.png)
        :::

        {{< video https://youtu.be/8SF_h3xF3cE >}} and {{< kbd Ctrl-C >}}.
        """,
    # Each filter's logged warnings (pandoc's `Scripting warning at <file> line N`) and duplicate ids.
    "warned.md": """\
        ---
        title: Warned
        ---

        {{< video >}} and {{< video https://players.brightcove.net/1/x >}}

        ::: {.callout-note appearance="fancy"}
        A note.
        :::

        ```{.python code-line-numbers="1,3"}
        x = 1
        ```

        ::: {.panel-tabset}
        No headings here.
        :::

        ![A](a.png){#fig-dup}

        ![B](b.png){#fig-dup}

        ::: {layout="[[1,1],[1]"}
        Bad layout.
        :::
        """,
    # The body begins with a pandoc title block: document metadata beside the command line's.
    "titleblock.md": """\
        ---
        title: Title block
        ---
        % A document title
        % An Author

        Text under a title block, with a $\\frac{broken$ equation.
        """,
}


def make_site(root: Path) -> Path:
    """A site whose posts are the filters' golden inputs and the extras above."""
    (root / "posts").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project:\n  type: website\nwebsite:\n  title: Driver\n")
    (root / "_extensions").symlink_to(REPO / "_extensions", target_is_directory=True)
    shutil.copy(LUA / "references.bib", root / "posts" / "references.bib")
    (root / "posts" / "more.bib").write_text(MORE_BIB)
    for source in sorted(LUA.glob("input-*.md")):
        text = source.read_text().replace("tests/lua/references.bib", "references.bib")
        if not text.startswith("---\n"):
            text = "---\n---\n\n" + text
        (root / "posts" / source.name).write_text(text.replace("---\n", "---\ntitle: Golden\n", 1))
    for name, text in EXTRAS.items():
        (root / "posts" / name).write_text(textwrap.dedent(text))
    return root


def items_of(root: Path) -> list[tuple]:
    """(markdown, source, PandocMeta) for each post, as `coursenotes check` hands them to pandoc."""
    posts, errors = discover(root / "posts")
    assert errors == []
    metas = [post_pandoc_meta(post, root) for post in posts]
    assert all(isinstance(m, PandocMeta) for m in metas)
    return [(check_markdown(post), post.source, meta) for post, meta in zip(posts, metas)]


RAW = [
    # What the command line does to its input before the reader: BOM, CRs, tabs (pandoc's own tab stops).
    ("\ufeff# Tabs\r\n\r\na\tb\tc\r\n\n    x\ty\n\tindented\tcode\n\n|a\t|b|\n|-|-|\n|1|\t2|", Path("posts/raw.md"))
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[tuple]]:
    root = make_site(tmp_path_factory.mktemp("driver") / "site")
    return root, [*items_of(root), *RAW]


@pytest.fixture
def on_command_line(monkeypatch) -> list:
    """The posts that took the command line (one `pandoc` run each), listed as they go."""
    taken: list = []
    cli = batch.on_cli
    monkeypatch.setattr(batch, "on_cli", lambda item, root: taken.append(item[1]) or cli(item, root))
    return taken


@pytest.fixture
def driver_only(monkeypatch, on_command_line) -> list:
    """Drivers start for any batch; the posts that took the command line instead are listed."""
    monkeypatch.setattr(batch, "COLD_START", 1)
    return on_command_line


def cli_run(item: tuple, root: Path) -> tuple[str, str]:
    """A post's stdout and stderr from one `pandoc` run, as render_markdown runs it."""
    meta = item[2] if len(item) > 2 else render.NO_META
    proc = subprocess.run(
        render.pandoc_args(root) + list(meta.args),
        input=item[0].encode(),
        capture_output=True,
        cwd=root,
        env=render.pandoc_env(),
    )
    return proc.stdout.decode(), proc.stderr.decode()


def driver_answer(item: tuple, root: Path) -> dict:
    """A post's raw answer from a driver."""
    plan = batch.plan(render.pandoc_args(root))
    assert plan is not None
    line = batch.job_line(plan, 7, item[0], root, item[2] if len(item) > 2 else render.NO_META)
    assert line is not None
    pool = server.pool_for(plan.command)
    driver = pool.checkout(root, start=True)
    assert driver is not None, pool.broken
    try:
        return driver.exchange(line, time.monotonic() + 60)
    finally:
        pool.checkin(driver)


def test_the_driver_renders_every_post_as_the_command_line_does(corpus, driver_only):
    root, items = corpus
    by_cli = [batch.on_cli(item, root) for item in items]
    driver_only.clear()
    by_driver = batch.render_many(items, root, 2)
    assert driver_only == []  # every post went through a driver
    for item, one, other in zip(items, by_cli, by_driver):
        assert isinstance(one, render.Fragment), (item[1], one)
        assert (other.html, other.toc, other.warnings) == (one.html, one.toc, one.warnings), item[1]
    # the corpus does reach what it is meant to: warnings of each kind, tables of contents, options
    warnings = [w for f in by_cli for _, w in f.warnings]
    assert any("not in the bibliography" in w for w in warnings)
    assert any("equation cannot be rendered" in w for w in warnings)
    assert any("crossref option" in w for w in warnings)
    assert sum(bool(f.toc) for f in by_cli) >= 3
    assert "Abbildung" in by_cli[[i[1].name for i in items].index("extras.md")].html


def test_the_repos_own_posts_render_as_the_command_line_does(driver_only):
    posts, _ = discover(REPO / "posts")
    items = [(check_markdown(post), post.source, post_pandoc_meta(post, REPO)) for post in posts]
    by_driver = batch.render_many(items, REPO, 2)
    assert driver_only == [] and by_driver == [batch.on_cli(item, REPO) for item in items]


def test_the_stderr_text_is_the_command_lines_to_the_byte(corpus):
    root, items = corpus
    for item in items:
        if item[1].name in ("extras.md", "warned.md", "titleblock.md", "input-crossref-unresolved.md", "raw.md"):
            out, err = cli_run(item, root)
            answer = driver_answer(item, root)
            assert (answer["html"], answer["stderr"]) == (out, err), item[1]
    warned = driver_answer(next(i for i in items if i[1].name == "warned.md"), root)["stderr"]
    assert warned.count("[WARNING] Scripting warning at ") >= 5 and "coursenotes-warning\t#fig-dup" in warned


def test_metadata_arguments_are_read_as_the_command_line_reads_them(tmp_path):
    (tmp_path / "_extensions" / "coursenotes").mkdir(parents=True)
    (tmp_path / "_extensions" / "coursenotes" / "show.lua").write_text(
        "function Pandoc(doc)\n"
        "  doc.blocks:insert(pandoc.CodeBlock(pandoc.write(pandoc.Pandoc({}, doc.meta), 'json')))\n"
        "  doc.blocks:insert(pandoc.CodeBlock(PANDOC_WRITER_OPTIONS.toc_depth .. ' ' .. FORMAT))\n"
        "  return doc\nend\n"
    )
    args = (
        "--metadata=plain",
        "--metadata=k:v:w",
        "--metadata=a=b:c",
        "--metadata=t=TRUE",
        "--metadata=f:False",
        "--metadata=s=yes",
        "--metadata=e=",
        "--metadata=twice:1",
        "--metadata=twice=2",
        "--metadata=twice=true",
        "--metadata=title=from the command line",
        "--toc-depth=5",
        "--metadata=uni=Größe — ü",
    )
    item = ("% Document title\n\nBody.\n", Path("posts/m.md"), PandocMeta(args))
    assert batch.post_options(args) is not None
    out, err = cli_run(item, tmp_path)
    answer = driver_answer(item, tmp_path)
    assert (answer["html"], answer["stderr"]) == (out, err)
    meta = json.loads(html.unescape(out.split("<code>")[1].split("</code>")[0]))["meta"]
    assert meta["twice"] == {
        "t": "MetaList",
        "c": [{"t": "MetaString", "c": "1"}, {"t": "MetaString", "c": "2"}, {"t": "MetaBool", "c": True}],
    }
    assert meta["plain"] == meta["t"] == {"t": "MetaBool", "c": True} and meta["f"]["c"] is False
    assert meta["k"]["c"] == "v:w" and meta["a"]["c"] == "b:c" and meta["e"]["c"] == ""
    assert "5 html5" in out


def test_options_the_driver_does_not_reproduce_take_the_command_line():
    assert batch.post_options(("--metadata=lang=de",)) is None
    assert batch.post_options(("--shift-heading-level-by=1",)) is None
    assert batch.post_options(("--toc-depth=7",)) is None
    assert batch.plan([render.pandoc_path(), "-f", "markdown", "-t", "html5", "--citeproc", "--template=x"]) is None
    assert batch.plan([render.pandoc_path(), "-f", "markdown", "-t", "html5"]) is None  # no template


def test_cli_input_expands_tabs_as_pandoc_does():
    assert batch.cli_input("ab\tc\td\r\n\ufeff") == "ab  c   d\n\ufeff\n\n"
    assert batch.cli_input("\ufeffx") == "x\n\n" and batch.cli_input("") == "\n"


def filter_site(root: Path, extra: str) -> Path:
    """A site with the repo's filters and one more, run last."""
    ext = root / "_extensions" / "coursenotes"
    ext.mkdir(parents=True)
    for lua in (REPO / "_extensions" / "coursenotes").glob("*.lua"):
        shutil.copy(lua, ext / lua.name)
    (ext / "zz-test.lua").write_text(extra)
    return root


POSTS = [(f"# Post {i}\n\nText {i}.\n", Path(f"posts/p{i}.md")) for i in range(6)]


def test_a_filter_error_fails_only_its_post(tmp_path, driver_only):
    root = filter_site(
        tmp_path, "function Para(p)\n  if pandoc.utils.stringify(p):match('Text 2') then error('boom') end\nend\n"
    )
    results = batch.render_many(POSTS, root, 2)
    assert isinstance(results[2], RenderError)
    assert str(results[2]).startswith("posts/p2.md: pandoc: Error running filter ") and "zz-test.lua" in str(results[2])
    assert [i for i, r in enumerate(results) if not isinstance(r, render.Fragment)] == [2]
    assert driver_only == [Path("posts/p2.md")]  # the command line said why; the others stayed in the driver


def test_a_killed_driver_hands_its_posts_to_the_command_line(tmp_path, driver_only):
    # The first time it sees post 3, the filter kills the pandoc process running it (the driver).
    marker = tmp_path / "killed"
    root = filter_site(
        tmp_path / "site",
        f"function Para(p)\n  local f = io.open({str(marker)!r})\n"
        "  if pandoc.utils.stringify(p):match('Text 3') and not f then\n"
        f"    io.open({str(marker)!r}, 'w'):close()\n"
        "    pandoc.pipe('sh', {'-c', 'kill -9 $PPID'}, '')\n  end\n  if f then f:close() end\nend\n",
    )
    marker.touch()
    expected = [batch.on_cli(item, root) for item in POSTS]
    marker.unlink()
    driver_only.clear()
    results = batch.render_many(POSTS, root, 1)
    assert marker.exists() and results == expected
    assert driver_only[0] == Path("posts/p3.md") and Path("posts/p2.md") not in driver_only


def test_a_hung_driver_is_killed_and_its_post_rendered(tmp_path, driver_only, monkeypatch):
    marker, nap = tmp_path / "hung", "31.4159"  # a sleep no other process has
    root = filter_site(
        tmp_path / "site",
        f"function Para(p)\n  if pandoc.utils.stringify(p):match('Text 1') and not io.open({str(marker)!r}) then\n"
        f"    io.open({str(marker)!r}, 'w'):close()\n    pandoc.pipe('sleep', {{'{nap}'}}, '')\n  end\nend\n",
    )
    monkeypatch.setattr(batch, "TIMEOUT", 2.0)
    start = time.monotonic()
    results = batch.render_many(POSTS[:3], root, 1)
    assert time.monotonic() - start < 20
    assert all(isinstance(r, render.Fragment) for r in results) and "Text 1" in results[1].html
    assert driver_only == [Path("posts/p1.md"), Path("posts/p2.md")]
    sleeping = [p for p in Path("/proc").glob("[0-9]*") if f"sleep\0{nap}".encode() in read_bytes(p / "cmdline")]
    assert sleeping == []  # the driver's whole process group went


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or none when it has gone."""
    try:
        return path.read_bytes()
    except OSError:
        return b""


def test_garbage_on_the_drivers_stdout_is_a_failed_driver(tmp_path, driver_only):
    # Written past io.stdout: the command line would print it before the page, and so does the fallback.
    root = filter_site(
        tmp_path,
        "function Pandoc(doc)\n  local f = io.open('/dev/stdout', 'w')\n  f:write('garbage\\n')\n  f:close()\nend\n",
    )
    results = batch.render_many(POSTS[:2], root, 1)
    assert results[0].html.startswith("garbage\n")
    assert driver_only == [Path("posts/p0.md"), Path("posts/p1.md")]


def test_print_and_io_write_take_the_command_line(tmp_path, driver_only):
    root = filter_site(tmp_path, "function Pandoc(doc)\n  io.write('from io.write ')\n  print('printed')\nend\n")
    results = batch.render_many(POSTS[:3], root, 1)
    assert all(r.html.startswith("from io.write printed\n") for r in results)
    assert driver_only == [p for _, p in POSTS[:3]]


def test_drivers_are_reused_and_none_outlives_shutdown(corpus, driver_only):
    root, items = corpus
    batch.render_many(items[:4], root, 2)
    pids = server.live_pids()
    assert pids
    batch.render_many(items[4:6], root, 2)
    assert set(server.live_pids()) == set(pids)  # the second build found them warm
    server.shutdown()
    assert server.live_pids() == [] and not any(alive(pid) for pid in pids)


def test_a_lone_post_starts_no_driver_but_takes_a_warm_one(site, on_command_line):
    server.shutdown()
    taken = on_command_line
    batch.render_many(POSTS[:1], site.root, 2)
    assert server.live_pids() == [] and len(taken) == 1  # a run is cheaper than starting a driver
    batch.render_many(POSTS + POSTS, site.root, 2)  # six posts a worker: worth starting drivers
    assert len(server.live_pids()) == 2 and len(taken) == 1
    batch.render_many(POSTS[:1], site.root, 2)
    assert len(taken) == 1  # the preview's next build renders its post in a warm driver


def test_a_driver_gives_way_after_its_share_of_posts(site, driver_only, monkeypatch):
    started = []

    class Counted(server.Driver):
        def __init__(self, binary):
            super().__init__(binary)
            started.append(self)

    monkeypatch.setattr(server, "Driver", Counted)
    monkeypatch.setattr(server, "POSTS_PER_DRIVER", 2)
    server.shutdown()
    results = batch.render_many(POSTS, site.root, 1)
    assert all(isinstance(r, render.Fragment) for r in results) and driver_only == []
    assert len(started) == 3 and [d.answered for d in started] == [2, 2, 2]
    assert not any(d.alive() for d in started)  # worn drivers are closed, not kept


def test_a_user_init_lua_keeps_every_post_on_the_command_line(site, tmp_path, driver_only, monkeypatch):
    # pandoc's user data directory: $XDG_DATA_HOME/pandoc (it must exist to be used)
    (tmp_path / "xdg" / "pandoc").mkdir(parents=True)
    (tmp_path / "xdg" / "pandoc" / "init.lua").write_text("-- runs before every filter of a pandoc run\n")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(server, "POOLS", {})  # a pool reads the options afresh
    results = batch.render_many(POSTS, site.root, 1)
    assert all(isinstance(r, render.Fragment) for r in results)
    assert driver_only == [p for _, p in POSTS] and server.live_pids() == []
    plan = batch.plan(render.pandoc_args(site.root))
    assert plan is not None and "init.lua" in (server.pool_for(plan.command).broken or "")


def alive(pid: int) -> bool:
    """Whether a process (not a reaped zombie) has this id."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def test_no_driver_outlives_the_interpreter(site):
    root = site.root
    script = (
        "import json, sys\nfrom pathlib import Path\nfrom coursenotes.render import batch, server\n"
        "batch.COLD_START = 1\n"
        f"batch.render_many([(f'# P{{i}}\\n', Path('p.md')) for i in range(4)], Path({str(root)!r}), 2)\n"
        "print(json.dumps(server.live_pids()))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "lib"), str(REPO)])}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    pids = json.loads(done.stdout)
    assert pids, done.stderr
    assert not any(alive(pid) for pid in pids)


def test_a_warmed_driver_renders_the_lone_post_of_the_next_build(site, monkeypatch, on_command_line):
    from coursenotes.render import warmup

    server.shutdown()
    taken = on_command_line
    monkeypatch.setattr(server, "WARM_WAIT", 30.0)  # this machine may be slow: the wait is what is tested
    thread = warmup.warm(site.root)  # as the CLI does before it imports the pipeline
    assert thread is not None
    plan = batch.plan(render.pandoc_args(site.root))
    assert plan is not None
    pool = server.pool_for(plan.command)
    deadline = time.monotonic() + 30
    while not (pool.warming or pool.idle) and time.monotonic() < deadline:
        time.sleep(0.001)  # the warm-up has begun (the CLI starts it a third of a second before any post)
    [fragment] = batch.render_many(POSTS[:1], site.root, 2)  # waits a moment for the warm driver
    thread.join(30)
    assert isinstance(fragment, render.Fragment) and "Text 0." in fragment.html and taken == []
    pids = server.live_pids()
    assert len(pids) == 1
    warmup.warm_now(site.root)  # one is idle: no second driver
    assert server.live_pids() == pids
    server.shutdown()
    assert server.live_pids() == [] and not any(alive(pid) for pid in pids)


def test_a_failed_warm_up_leaves_the_command_line_to_render(site, monkeypatch, on_command_line):
    from coursenotes.render import warmup

    server.shutdown()
    monkeypatch.setattr(
        server.Driver, "exchange", lambda self, line, deadline: (_ for _ in ()).throw(server.DriverError("x"))
    )
    warmup.warm_now(site.root)
    assert server.live_pids() == []  # the driver that failed is gone
    [fragment] = batch.render_many(POSTS[:1], site.root, 2)
    assert isinstance(fragment, render.Fragment) and len(on_command_line) == 1
