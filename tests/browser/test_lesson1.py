"""The Lesson 1 post really executes (fastai on CPU, CUDA where present) and reads well in Chromium."""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest
from tests.browser.conftest import serve, shoot
from tests.conftest import REPO, SiteMaker

from coursenotes.build import BuildOptions, build

pytestmark = pytest.mark.slow

LESSON = REPO / "posts" / "2024-09-21-fastai-lesson-1"


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """The repository's lesson post, executed afresh in a throwaway site: (site, page html, seconds)."""
    maker = SiteMaker(tmp_path_factory.mktemp("lesson") / "site")
    shutil.copytree(LESSON, maker.root / "posts" / LESSON.name)
    start = time.perf_counter()
    result = build(maker.root, BuildOptions(refresh=(), search=False))
    seconds = time.perf_counter() - start
    assert result.ok, [str(e) for e in result.errors]
    assert [r.status for r in result.report.runs] == ["executed"]
    return maker, maker.read("posts/fastai-lesson-1/index.html"), seconds


def text_of(html: str) -> str:
    """The page's visible text, roughly."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_lesson_executes_on_cpu(lesson):
    # How long it takes is measured in bench/, not asserted here: CI shares the machine.
    maker, _, _ = lesson
    report = json.loads(maker.read("execution/report.json"))
    row = next(r for r in report["posts"] if r["url"] == "/posts/fastai-lesson-1/")
    assert row["status"] == "executed" and row["device"] and row["fastai"]


def test_page_shows_grid_training_prediction_tabular_collab_and_device(lesson):
    maker, html, _ = lesson
    text = text_of(html)
    grid = re.search(r'<img src="(figure-[0-9a-f]+\.png)"[^>]*alt="A batch of training images', html)
    assert grid and (maker.root / "_site/posts/fastai-lesson-1" / grid.group(1)).stat().st_size > 1000
    assert "error_rate" in text and "train_loss" in text and "valid_loss" in text
    assert re.search(r"Prediction: [017], probability (0\.9|1\.0)\d\d \(true label 7\)", text)
    assert ("6220800" in text.replace(",", "") and "(32, 32, 3)" in text) or "32, 32" in text
    assert "accuracy" in text  # the tabular learner's metric
    assert "MSE of the collab model" in text
    assert re.search(r"cpu|NVIDIA|Tesla|CUDA", text)  # the device the post ran on
    assert html.count('<pre class="mermaid">') == 5  # 3 fences, 1 {mermaid} cell, 1 mermaid-py chart
    assert "https://mermaid.ink" not in html and "\x1b[" not in html


def test_lesson_page_in_chromium(lesson, visit):
    maker, _, _ = lesson
    with serve(maker.root / "_site") as base:
        v = visit(width=1100)
        v.page.goto(base + "posts/fastai-lesson-1/")
        v.page.wait_for_function("document.querySelectorAll('pre.mermaid svg').length === 5", timeout=20_000)
        widths = v.page.eval_on_selector_all(
            "img.cell-output-image", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)"
        )
        assert widths and all(w > 0 for w in widths)
        assert v.page.eval_on_selector_all("pre.mermaid.diagram-error", "e => e.length") == 0
        shoot(v.page, "lesson-1")
        assert v.errors == [] and v.external == []
        assert all(url.startswith(base) or url.startswith(("data:", "blob:")) for url in v.requests)
