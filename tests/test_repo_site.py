"""The repository's own site: it builds from the committed frozen outputs, with no kernel."""

from tests.conftest import REPO

from coursenotes.build import BuildOptions, build


def test_repository_site_builds_frozen_without_a_kernel(tmp_path, monkeypatch):
    from coursenotes.execution.kernels import local as execute

    monkeypatch.setattr(execute, "execute", lambda *a, **k: (_ for _ in ()).throw(AssertionError("a kernel started")))
    result = build(REPO, BuildOptions(frozen=True, out=tmp_path / "site", search=False))
    assert result.ok, [str(e) for e in result.errors]
    page = (tmp_path / "site/posts/fastai-lesson-1/index.html").read_text()
    assert "Prediction: 7" in page and page.count('<div class="diagram-svg"') == 5  # drawn, from _frozen/diagrams/
    assert '<pre class="mermaid">' not in page and "assets/mermaid/" not in page
