"""Every page type passes axe-core (WCAG 2 A/AA and best practices) in light and dark, on a laptop and a phone.

The audited site is this repository's own (the lesson-1 post from its frozen outputs, no kernel) plus
a notebook post whose stored outputs hold what posts produce: a DataFrame, stderr, an ANSI traceback,
an image, a diagram, a wide table and code with every kind of token. docs/accessibility.md explains.
"""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from tests.browser.conftest import serve
from tests.browser.test_reader_journey import png
from tests.conftest import REPO, SiteMaker
from tests.test_contrast import TOKEN_CLASSES as HIGHLIGHT_CLASSES

from coursenotes.build import BuildOptions, build

pytestmark = pytest.mark.slow

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = {
    "index": "",
    "lesson": "posts/fastai-lesson-1/",
    "outputs": "posts/outputs-tour/",
    "tags": "tags/",
    "tag": "tags/fast.ai/",
    "archive": "archive/",
    "search": "search/?q=traceback",
    "404": "404.html",
    "execution": "execution/",
}
VIEWPORTS = {"laptop": (1280, 800), "phone": (390, 844)}
# (system colour scheme, theme the reader chose with the toggle, or None).
MODES = {
    "light": ("light", None),
    "dark": ("dark", None),
    "toggled-dark": ("light", "dark"),
    "toggled-light": ("dark", "light"),
}
COMBINATIONS = [(m, v) for m in ("light", "dark") for v in VIEWPORTS] + [
    ("toggled-dark", "laptop"),
    ("toggled-light", "laptop"),
]

SGR_COLOURS = [str(n) for n in range(30, 38)] + [str(n) for n in range(90, 98)]
# Every class pandoc's highlighter emits (the contrast test's list), plus `ex`, which no style colours.
TOKEN_CLASSES = sorted([*HIGHLIGHT_CLASSES, "ex"])
TOKEN_SPECIMEN = "".join(f'<span class="{c}">{c}_token = {c!r}</span>\n' for c in TOKEN_CLASSES)
DATAFRAME = (
    """<div>
<style scoped>
    .dataframe tbody tr th:only-of-type { vertical-align: middle; }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;">
      <th></th>
"""
    + "".join(f"      <th>feature_{i}_long_column_name</th>\n" for i in range(12))
    + """    </tr>
    <tr>
      <th>sample</th>
"""
    + "      <th></th>\n" * 12
    + """    </tr>
  </thead>
  <tbody>
"""
    + "".join(
        f"    <tr>\n      <th>{r}</th>\n"
        + "".join(f"      <td>{r * i * 0.125:.3f}</td>\n" for i in range(12))
        + "    </tr>\n"
        for r in range(3)
    )
    + """  </tbody>
</table>
</div>"""
)
CODE = '''\
import math  # the standard library
from dataclasses import dataclass

@dataclass
class Batch:
    """Images and their labels."""
    size: int = 64

def scaled(values: list[float], factor=0x10) -> list[float]:
    if not values: raise ValueError(f"empty: {values!r}")
    return [round(v * factor / math.pi, 2) for v in values if v is not None]

print(scaled([1.5, 2, 3e-2]), len("abc"), True)
'''
TRACEBACK = [
    "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
    "\x1b[0;31mValueError\x1b[0m                                Traceback (most recent call last)",
    "Cell \x1b[0;32mIn[3], line 1\x1b[0m\n\x1b[0;32m----> 1\x1b[0m \x1b[43mscaled\x1b[49m\x1b[43m(\x1b[49m\x1b[43m[\x1b[49m\x1b[43m]\x1b[49m\x1b[43m)\x1b[49m",
    "\x1b[0;31mValueError\x1b[0m: empty: []",
]


def ansi_specimen() -> str:
    """Every ANSI foreground colour, plain and bold, one per line (how tracebacks and logs colour text)."""
    return "\n".join(f"\x1b[{n}mcolour {n}\x1b[0m \x1b[1;{n}mbold {n}\x1b[0m" for n in SGR_COLOURS) + "\n"


def outputs_notebook() -> nbformat.NotebookNode:
    """A notebook post with stored outputs (an .ipynb is shown as saved, not run)."""
    nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
    )
    out = nbformat.v4
    code = out.new_code_cell(
        CODE, execution_count=1, outputs=[out.new_output("stream", name="stdout", text="[0.48, 0.64, 0.01] 3 True\n")]
    )
    frame = out.new_code_cell(
        "frame  # twelve columns: wider than a phone",
        execution_count=2,
        outputs=[
            out.new_output(
                "execute_result", data={"text/html": DATAFRAME, "text/plain": "<DataFrame>"}, execution_count=2
            )
        ],
    )
    error = out.new_code_cell(
        "scaled([])",
        execution_count=3,
        outputs=[out.new_output("error", ename="ValueError", evalue="empty: []", traceback=TRACEBACK)],
    )
    streams = out.new_code_cell(
        "log_everything()",
        execution_count=4,
        outputs=[
            out.new_output("stream", name="stdout", text=ansi_specimen() + "a long line " + "x" * 300 + "\n"),
            out.new_output(
                "stream", name="stderr", text="UserWarning: plain stderr, as warnings print it\n" + ansi_specimen()
            ),
        ],
    )
    image = out.new_code_cell(
        "plt.imshow(square)",
        execution_count=5,
        outputs=[
            out.new_output(
                "display_data",
                data={"image/png": __import__("base64").b64encode(png(64, 48)).decode(), "text/plain": "<Figure>"},
            )
        ],
    )
    markdown_out = out.new_code_cell(
        "Markdown(snippet)",
        execution_count=6,
        outputs=[
            out.new_output(
                "display_data", data={"text/markdown": "```python\n" + CODE + "```\n", "text/plain": "<Markdown>"}
            ),
            out.new_output(
                "display_data",
                data={"text/html": f'<pre><code class="sourceCode">{TOKEN_SPECIMEN}</code></pre>', "text/plain": ""},
            ),
            out.new_output(
                "display_data",
                data={
                    "text/html": '<div style="width: 40rem">A wide HTML output, as widgets draw them.</div>',
                    "text/plain": "",
                },
            ),
        ],
    )
    nb.cells = [
        out.new_raw_cell(
            "---\ntitle: Outputs tour\ndate: 2024-10-05\ndescription: What cells print, for the audit.\ntags: [fast.ai]\n---"
        ),
        out.new_markdown_cell("A traceback, a table and a diagram.\n\n## Code\n\nEvery token class, in a code block:"),
        out.new_raw_cell(
            f'<div class="sourceCode"><pre class="sourceCode python"><code class="sourceCode python">{TOKEN_SPECIMEN}</code></pre></div>',
            metadata={"format": "text/html"},
        ),
        code,
        frame,
        out.new_markdown_cell("## Errors and logs"),
        error,
        streams,
        out.new_markdown_cell(
            "## Pictures\n\n```mermaid\n---\ntitle: From pixels to labels\n---\nflowchart LR\n  a[Pixels] -->|resize| b[Model] --> c[Label]\n```\n\n"
            "|   | Light | Dark |\n|---|---|---|\n| Background | white | near black |\n"
        ),
        image,
        markdown_out,
    ]
    return nb


@pytest.fixture(scope="module")
def audited_site(tmp_path_factory):
    """The repository's site (frozen, no kernel) plus the outputs tour, built with search."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (axe-core is pinned in package.json)")
    maker = SiteMaker(tmp_path_factory.mktemp("a11y") / "site")
    for name in ("posts", "_frozen"):
        shutil.copytree(REPO / name, maker.root / name, dirs_exist_ok=True)
    for name in ("_quarto.yml", "_variables.yml"):
        shutil.copy(REPO / name, maker.root / name)
    (maker.root / "posts/2024-10-05-outputs-tour").mkdir()
    nbformat.write(outputs_notebook(), maker.root / "posts/2024-10-05-outputs-tour/index.ipynb")
    result = build(maker.root, BuildOptions(frozen=True))
    assert result.ok, [str(e) for e in result.errors]
    assert (maker.root / "_site/search/meta.json").is_file(), "the build writes the search index"
    with serve(maker.root / "_site") as base:
        yield base


def ready(page, name: str) -> None:
    """Wait until what scripts draw is drawn: diagrams on posts, results on the search page."""
    if name == "search":
        page.wait_for_selector(".search-result-link", timeout=20_000)
    page.wait_for_function(
        "[...document.querySelectorAll('figure.diagram > pre.mermaid')]"
        ".every(p => p.dataset.processed || p.classList.contains('diagram-error'))",
        timeout=20_000,
    )


def audit(page) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", RULE_SETS)
    return result["violations"]


def described(where: str, violations: list[dict]) -> list[str]:
    """One line per violation: where, rule, how many nodes, the first few selectors and axe's advice."""
    return [
        f"{where}: {v['id']} ({v['impact']}) x{len(v['nodes'])} {[n['target'] for n in v['nodes'][:3]]}: "
        f"{v['nodes'][0]['failureSummary'].splitlines()[-1].strip()}"
        for v in violations
    ]


def open_in(visit, mode: str, viewport: str):
    """A page in the given colour mode and viewport; a toggled theme is stored as site.js stores it."""
    scheme, chosen = MODES[mode]
    width, height = VIEWPORTS[viewport]
    v = visit(width=width, height=height, scheme=scheme)
    if chosen:
        v.page.add_init_script(f"localStorage.setItem('theme', {json.dumps(chosen)})")
    return v


@pytest.mark.parametrize("mode,viewport", COMBINATIONS)
def test_every_page_passes_axe(visit, audited_site, mode, viewport):
    v = open_in(visit, mode, viewport)
    problems = []
    for name, path in PAGES.items():
        v.page.goto(audited_site + path)
        ready(v.page, name)
        problems += described(f"{mode}/{viewport} {name} /{path}", audit(v.page))
        headings = v.page.locator("h1").count()
        if headings != 1:
            problems.append(f"{mode}/{viewport} {name}: {headings} h1 elements, not one")
    assert problems == [], "\n".join(problems)
    assert v.external == [] and v.errors == [], (v.external, v.errors)


def test_theme_toggled_while_reading_stays_legible(visit, audited_site):
    v = visit()
    v.page.goto(audited_site + PAGES["lesson"])
    ready(v.page, "lesson")
    for expected in ("dark", "light"):  # diagrams redraw in each theme; none keeps the other's colours
        v.page.click(".theme-toggle")
        assert v.page.evaluate("document.documentElement.dataset.theme") == expected
        v.page.wait_for_timeout(1500)  # diagrams.js redraws every diagram in the new theme
        ready(v.page, "lesson")
        assert described(f"toggled to {expected}", audit(v.page)) == []


def test_scrollable_blocks_are_reachable_and_named(visit, audited_site):
    v = visit(width=390, height=844)
    v.page.goto(audited_site + PAGES["outputs"])
    ready(v.page, "outputs")
    scrollers = v.page.evaluate("""[...document.querySelectorAll('main *')].filter(e => {
        const s = getComputedStyle(e);
        return ['auto', 'scroll'].includes(s.overflowX) && e.scrollWidth > e.clientWidth; })
      .map(e => ({tag: e.tagName, tabindex: e.getAttribute('tabindex'), name: e.getAttribute('aria-label')
                  || (e.querySelector(':scope > caption') || {}).textContent}))""")
    assert len(scrollers) >= 4, scrollers  # code, the wide table, the long log line, the wide HTML
    assert all(s["tabindex"] == "0" and s["name"] for s in scrollers), scrollers
    names = {(s["tag"], s["name"]) for s in scrollers}
    assert {("TABLE", "Output table"), ("PRE", "Output"), ("DIV", "Output"), ("DIV", "Python code")} <= names, names


def test_keyboard_focus_is_always_visible(visit, audited_site):
    v = visit()
    page = v.page
    page.goto(audited_site + PAGES["outputs"])
    ready(page, "outputs")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    seen = []
    for _ in range(40):
        focus = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
            return {what: e.tagName + '.' + e.className, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                    shown: parseFloat(s.opacity) > 0 && r.width > 0 && r.height > 0}; }""")
        assert focus["outline"] and focus["shown"], focus
        seen.append(focus["what"])
        page.keyboard.press("Tab")
    assert any(w.startswith("BUTTON.copy-code") for w in seen) and any(w.startswith("TABLE") for w in seen), seen


def test_skip_link_jumps_to_the_content(visit, audited_site):
    page = visit().page
    page.goto(audited_site + PAGES["lesson"])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_reduced_motion_turns_transitions_off(browser, audited_site):
    durations = {}
    for motion in ("no-preference", "reduce"):
        context = browser.new_context(reduced_motion=motion)
        page = context.new_page()
        page.goto(audited_site + PAGES["outputs"])
        page.wait_for_selector("button.copy-code")
        durations[motion] = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('button.copy-code')).transitionDuration)"
        )
        context.close()
    assert durations["no-preference"] > 0.1 and durations["reduce"] < 0.001, durations


def test_diagrams_have_a_text_alternative(visit, audited_site):
    page = visit().page
    page.goto(audited_site + PAGES["outputs"])
    ready(page, "outputs")
    svg = page.locator("figure.diagram svg")
    assert svg.get_attribute("role") == "img"
    assert (
        svg.get_attribute("aria-label")
        == "Diagram: From pixels to labels. Source: flowchart LR a[Pixels] -->|resize| b[Model] --> c[Label]"
    )


def test_output_images_and_tables_keep_their_meaning(visit, audited_site):
    page = visit().page
    page.goto(audited_site + PAGES["outputs"])
    assert page.locator("img.cell-output-image").get_attribute("alt") == "Output of cell 5"
    corner = page.locator("table.dataframe thead tr").first.locator("th").first
    assert corner.text_content() == "Index" and corner.locator(".visually-hidden").count() == 1  # read aloud, not shown
    assert page.locator("table.dataframe thead tr").nth(1).locator("td").count() == 12
    assert page.locator("main table").last.locator("th").first.text_content() == "Item"
