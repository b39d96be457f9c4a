"""Benchmark: which math engine renders course-notes TeX with no CDN (docs/quarto-fidelity.md, "Math").

Usage: .venv/bin/python bench/math_engines.py

Renders one corpus of equations (the constructs course notes use, from fast.ai-style lessons)
with each candidate and prints, per engine: equations that failed, time for the whole corpus,
output bytes per equation, and what a reader must download besides the page.
- pandoc --mathml (texmath), as the build ran before;
- pandoc --mathml with _extensions/coursenotes/math.lua (the build now);
- KaTeX at build time through node (node_modules/katex, MathML output and HTML+MathML output).
MathJax is not measured at build time: served locally it typesets in the browser (several MB of
JavaScript and fonts, and the page reflows after load), which the build's no-CDN, static goal rules out.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from coursenotes.render import pandoc_path  # noqa: E402

KATEX = REPO / "node_modules" / "katex"
CORPUS = [
    r"a \over b",
    r"{n \choose k} p^k (1-p)^{n-k}",
    r"\frac{1}{1+e^{-x}}",
    r"\dfrac{\partial L}{\partial w}",
    r"\sum_{i=1}^n x_i",
    r"\prod_{i=1}^{n} p_i",
    r"\int_0^1 f(x)\,dx",
    r"\lim_{x \to 0} \frac{\sin x}{x}",
    r"\mathbb{R}^{n \times m}",
    r"\mathcal{L}(\theta)",
    r"\boldsymbol{\theta}",
    r"\bm{x}",
    r"\mathbf{W}x + \mathbf{b}",
    r"\hat{y} = \sigma(Wx + b)",
    r"\vec{v} \cdot \vec{w}",
    r"\lVert x \rVert_2",
    r"\left( \frac{a}{b} \right)^2",
    r"\bigg( x \bigg)",
    r"\text{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
    r"\operatorname{ReLU}(x) = \max(0, x)",
    r"\operatorname*{argmax}_\theta p(\theta)",
    r"\mathop{\mathrm{argmin}}_w L(w)",
    r"\underbrace{a + b}_{n}",
    r"\overbrace{x_1 + x_2}^{2}",
    r"x \xrightarrow{f} y",
    r"\underset{w}{\min} L",
    r"\overset{?}{=}",
    r"\begin{aligned} a &= b + c \\ d &= e \end{aligned}",
    r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
    r"\begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}",
    r"\begin{array}{cc} 1 & 2 \\ 3 & 4 \end{array}",
    r"\begin{align} y &= mx + b \end{align}",
    r"\begin{equation} E = mc^2 \end{equation}",
    r"\nabla_\theta J(\theta)",
    r"x \odot y",
    r"W^\top x",
    r"W^\intercal",
    r"\varepsilon \sim \mathcal{N}(0, 1)",
    r"\ell(y, \hat{y})",
    r"p(x \mid y)",
    r"a \approx b",
    r"\cancel{x}",
    r"\color{red}{x}",
    r"\displaystyle \sum_i x_i",
    r"\sum\limits_{i} x_i",
    r"\rm softmax",
    r"{\bf x}",
    r"\tfrac{1}{2}",
    r"\binom{n}{k}",
    r"\stackrel{def}{=}",
    r"\quad \qquad \, \! \;",
    r"\mathrm{d}x",
    r"\tag{1} y = x",
    r"\require{cancel} \cancel{y}",
    r"\newcommand{\R}{\mathbb{R}} \R^n",
    r"x \in [0, 1]",
    r"\{ x \mid x > 0 \}",
    r"\partial_x f",
    r"\infty",
    r"\langle x, y \rangle",
    r"\lfloor x \rfloor",
    r"\sqrt[3]{x}",
    r"\hbox{text}",
]


def pandoc_run(filters: list[Path]) -> tuple[int, float, int]:
    """(failed equations, seconds, output bytes) for the corpus through pandoc --mathml with these filters."""
    doc = "\n\n".join(f"$${tex}$$" for tex in CORPUS)
    args = [pandoc_path(), "-f", "markdown", "-t", "html5", "--mathml"] + [f"--lua-filter={f}" for f in filters]
    start = time.perf_counter()
    done = subprocess.run(args, input=doc, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    return done.stderr.count("Could not convert TeX math"), seconds, len(done.stdout.encode())


KATEX_SCRIPT = """
const katex = require(process.argv[1]); const out = {failed: 0, bytes: 0};
const corpus = JSON.parse(require('fs').readFileSync(0, 'utf8'));
for (const tex of corpus) {
  try {
    const options = {displayMode: true, output: process.argv[2], throwOnError: true};
    out.bytes += katex.renderToString(tex, options).length;
  }
  catch (e) { out.failed += 1; }
}
console.log(JSON.stringify(out));
"""


def katex_run(output: str) -> tuple[int, float, int] | None:
    """(failed, seconds, bytes) for KaTeX in node (`mathml` or `htmlAndMathml`), or None without node/katex."""
    if not shutil.which("node") or not KATEX.is_dir():
        return None
    start = time.perf_counter()
    done = subprocess.run(
        ["node", "-e", KATEX_SCRIPT, str(KATEX), output],
        input=json.dumps(CORPUS),
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout)
    return data["failed"], time.perf_counter() - start, data["bytes"]


def main() -> int:
    """Print one row per engine."""
    ext = REPO / "_extensions" / "coursenotes"
    katex_assets = sum(p.stat().st_size for p in (KATEX / "dist" / "fonts").glob("*.woff2")) if KATEX.is_dir() else 0
    rows = [
        ("pandoc --mathml", pandoc_run([]), "nothing"),
        ("pandoc --mathml + math.lua", pandoc_run([ext / "math.lua"]), "nothing"),
        ("KaTeX, MathML output (node)", katex_run("mathml"), "nothing"),
        (
            "KaTeX, HTML+MathML (node)",
            katex_run("htmlAndMathml"),
            f"katex.min.css + {katex_assets // 1024} KiB of woff2 fonts",
        ),
    ]
    print(f"{len(CORPUS)} equations")
    print(f"{'engine':32} {'failed':>6} {'seconds':>8} {'bytes/eq':>9}  reader downloads")
    for name, result, assets in rows:
        if result is None:
            print(f"{name:32} (node or node_modules/katex missing)")
            continue
        failed, seconds, size = result
        print(f"{name:32} {failed:>6} {seconds:>8.3f} {size // len(CORPUS):>9}  {assets}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
