"""netlify.toml: what Netlify runs and serves, and proof that its build needs no GPU, torch or fastai."""

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from tests.conftest import REPO, simple_post

from coursenotes.build import build

CONFIG = tomllib.loads((REPO / "netlify.toml").read_text())
HEAVY = ("torch", "fastai", "torchvision", "nbclient", "jupyter_cache", "ipykernel")


def build_steps() -> list[str]:
    """The build command's steps, in order."""
    return [s.strip() for s in CONFIG["build"]["command"].split("&&")]


def step(word: str) -> list[str]:
    """The one step that mentions `word`, split as the shell would."""
    found = [s for s in build_steps() if word in s]
    assert len(found) == 1, (word, build_steps())
    return shlex.split(found[0])


def test_publishes_site_from_a_frozen_build():
    assert CONFIG["build"]["publish"] == "_site"
    assert step("coursenotes")[-3:] == ["coursenotes", "build", "--frozen"]
    assert build_steps()[-1] == " ".join(step("coursenotes"))  # the build comes last


def test_installs_only_the_render_dependencies():
    pip = step("pip")
    assert pip[:4] == ["python", "-m", "pip", "install"] and "." in pip  # this package, no extras
    assert not any(re.search(r"\.\[|torch|fastai|lesson|exec|requirements", arg) for arg in pip), pip
    command = CONFIG["build"]["command"]
    assert not any(name in command for name in ("torch", "fastai", "cuda"))
    assert step("npm")[:2] == ["npm", "ci"]  # mermaid.js exactly as locked


def test_pins_a_python_the_package_supports():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    minimum = tuple(int(x) for x in re.search(r">=\s*(\d+)\.(\d+)", pyproject["project"]["requires-python"]).groups())
    version = tuple(int(x) for x in CONFIG["build"]["environment"]["PYTHON_VERSION"].split(".")[:2])
    assert version >= minimum


def headers() -> dict[str, str]:
    blocks = [h for h in CONFIG["headers"] if h["for"] == "/*"]
    assert len(blocks) == 1
    return blocks[0]["values"]


def test_security_headers_for_every_path():
    values = headers()
    assert values["X-Content-Type-Options"] == "nosniff" and values["X-Frame-Options"] == "DENY"
    assert {"Referrer-Policy", "Permissions-Policy", "Strict-Transport-Security"} <= set(values)
    csp = dict(
        (part.split()[0], part.split()[1:]) for part in values["Content-Security-Policy"].split(";") if part.strip()
    )
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    for directive in ("script-src", "style-src", "img-src", "connect-src"):  # nothing from another origin
        assert all(s.startswith("'") or s == "data:" for s in csp[directive]), directive


def test_built_pages_load_nothing_the_policy_blocks(site):
    """Every script, stylesheet and image of a built page is the site's own; inline scripts are allowed for."""
    site.post(
        "2024-09-21-lesson/index.md",
        simple_post("Lesson", "[python]", body="```mermaid\nflowchart LR\n  a --> b\n```\n"),
    )
    site.post("2024-07-01-welcome.md", simple_post("Welcome", "[meta]"))
    result = build(site.root)
    assert result.ok, result.errors
    script_src = headers()["Content-Security-Policy"].split("script-src", 1)[1].split(";")[0]
    for page in (site.root / "_site").rglob("*.html"):
        html = page.read_text()
        for tag in re.findall(r"<(?:script|img|iframe|link|source|video|audio)\b[^>]*>", html):
            if tag.startswith("<link") and not re.search(r'rel="(?:stylesheet|icon|preload|modulepreload)"', tag):
                continue  # canonical, alternate: not loaded
            for url in re.findall(r'\s(?:src|href)="([^"]+)"', tag):
                assert not re.match(r"^(?:https?:)?//", url), f"{page.name} loads {url}"
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), f"{page.name} has an inline script"
    assert "'unsafe-inline'" not in script_src


def test_not_found_page_is_at_the_root_for_both_renderers(site):
    site.post("a/index.md", simple_post("A"))
    assert build(site.root).ok and (site.root / "_site" / "404.html").is_file()  # Netlify serves it for any miss
    assert (REPO / "404.qmd").is_file()  # `quarto render` writes it too


def test_the_quarto_alternative_is_documented():
    text = (REPO / "netlify.toml").read_text()
    assert '#   package = "@quarto/netlify-plugin-quarto"' in text
    assert "netlify-plugin-quarto" in (REPO / "docs" / "netlify.md").read_text()


# --- the build command in a fresh virtualenv -----------------------------------------------------------


def copy_site(into: Path) -> Path:
    """What Netlify checks out and builds from: the site's sources and frozen outputs (node_modules linked, not
    reinstalled: `npm ci` is the only step this test leaves out)."""
    for name in ("posts", "_extensions", "_frozen"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, into / name)
    for name in ("_quarto.yml", "pyproject.toml", "package.json", "package-lock.json"):
        shutil.copy(REPO / name, into / name)
    if (REPO / "node_modules").exists():
        (into / "node_modules").symlink_to(REPO / "node_modules")
    return into


def copy_package(into: Path) -> Path:
    """The package source, so pip's in-tree build never writes into the working tree."""
    shutil.copytree(REPO / "lib", into / "lib", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, into / name)
    return into


def run(args: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_frozen_build_in_a_fresh_virtualenv_without_torch_or_fastai(tmp_path):
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)], tmp_path).returncode == 0  # no system site-packages
    python = str(venv / "bin" / "python")
    pip = [python if a == "python" else a for a in step("pip")]
    installed = run(pip, copy_package(tmp_path / "src"))
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    for module in HEAVY:
        assert run([python, "-c", f"import {module}"], tmp_path).returncode != 0, f"{module} is installed"
    site = copy_site(tmp_path / "site")
    built = run([python if a == "python" else a for a in step("coursenotes")], site)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    out = site / CONFIG["build"]["publish"]
    assert (out / "index.html").is_file() and (out / "404.html").is_file()
    from coursenotes.sources.posts import discover

    for post in discover(REPO / "posts")[0]:
        if not post.draft:
            assert (out / post.url.lstrip("/") / "index.html").is_file(), post.url
