"""The reliability catalogue's harness: a built project beside an `outside/` folder, and the CLI run in-process.

Every case starts from a copy of one project built once per session: a good post, a `_site/`
that a build wrote, a few non-post files (`notes.txt`, `lib/`, `.git/`), and, beside the
project, `outside/` holding a secret that must never reach the site. `refused` runs a command
that must fail and checks the whole contract: exit code, one `error:` line saying what to do,
no traceback, and every byte of the project (`_site/` included) and of `outside/` unchanged.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import SiteMaker, simple_post

from coursenotes.cli import main

SECRET = "CANARY-7f3a-must-never-be-published"
CACHES = (".jupyter_cache", ".coursenotes-cache")  # speed only: a failed build may fill them


@dataclass
class Outcome:
    """What one command did."""

    code: int
    out: str
    err: str

    @property
    def errors(self) -> list[str]:
        """The `error:` lines."""
        return [line for line in self.err.splitlines() if line.startswith("error:")]


def tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes | str]:
    """Every file under `folder` (symlinks as their target, not followed) by relative path."""
    found: dict[str, bytes | str] = {}
    if not folder.exists():
        return found
    for dirpath, dirnames, filenames in os.walk(folder):
        rel_dir = Path(dirpath).relative_to(folder)
        dirnames[:] = [d for d in dirnames if not (rel_dir == Path(".") and d in skip)]
        for name in filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            path = Path(dirpath) / name
            key = (rel_dir / name).as_posix()
            found[key] = f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes()
    return found


class Project:
    """A copy of the built baseline project, with `outside/` beside it."""

    def __init__(self, base: Path, template: Path):
        self.base = base
        shutil.copytree(template, base, symlinks=True)
        self.root, self.outside = base / "site", base / "outside"
        self.maker = SiteMaker.__new__(SiteMaker)
        self.maker.root = self.root

    def post(self, rel: str, text: str) -> Path:
        """Write posts/<rel> (dedented)."""
        return self.maker.post(rel, text)

    def write(self, rel: str, data: str | bytes) -> Path:
        """Write a file under the project."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"))
        return path

    def snapshot(self) -> dict:
        """Every byte of the project (caches aside) and of outside/."""
        return {"project": tree(self.root, CACHES), "outside": tree(self.outside)}

    def run(self, *argv: str, capsys) -> Outcome:
        """The CLI in-process, from the project's folder."""
        old = Path.cwd()
        os.chdir(self.root)
        capsys.readouterr()
        try:
            code = main(list(argv))
        finally:
            os.chdir(old)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    def refused(self, *argv: str, message: str, capsys, code: int = 1) -> Outcome:
        """Run a command that must fail: exit `code`, one error line containing `message`, nothing changed."""
        before = self.snapshot()
        result = self.run(*argv, capsys=capsys)
        assert result.code == code, result
        assert "Traceback" not in result.err, result.err
        assert len(result.errors) == 1, result.err
        assert message in result.errors[0], result.errors[0]
        after = self.snapshot()
        assert after["outside"] == before["outside"], "something outside the project changed"
        changed = sorted(
            k
            for k in set(before["project"]) | set(after["project"])
            if before["project"].get(k) != after["project"].get(k)
        )
        assert not changed, f"the project changed: {changed[:5]}"
        return result

    def built(self, *argv: str, capsys) -> Outcome:
        """Run a build that must succeed, and check that nothing outside changed and no secret was published."""
        before = tree(self.outside)
        result = self.run(*(argv or ("build",)), capsys=capsys)
        assert result.code == 0, result.err
        assert "Traceback" not in result.err and not result.errors, result.err
        assert tree(self.outside) == before
        self.assert_no_secret()
        return result

    def site_text(self, rel: str) -> str:
        """A file of the built site."""
        return (self.root / "_site" / rel).read_text(encoding="utf-8")

    def assert_no_secret(self, out: Path | None = None) -> None:
        """The outside secret appears in no file of the site."""
        for rel, data in tree(out or self.root / "_site").items():
            assert SECRET.encode() not in (data if isinstance(data, bytes) else data.encode()), rel


@pytest.fixture(scope="session")
def baseline(tmp_path_factory) -> Path:
    """The project every case starts from, built once."""
    from coursenotes.build import BuildOptions, build

    base = tmp_path_factory.mktemp("baseline")
    maker = SiteMaker(base / "site")
    maker.post("2024-01-01-good/index.md", simple_post("Good", "[python]", body="Fine words."))
    (maker.root / "notes.txt").write_text("my notes, not a site\n")
    (maker.root / "lib").mkdir()
    (maker.root / "lib" / "helper.py").write_text("X = 1\n")
    (maker.root / ".git").mkdir()
    (maker.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n")
    (outside / "post").mkdir()
    (outside / "post" / "index.md").write_text(simple_post("Linked in", body=SECRET))
    (outside / "stuff").mkdir()
    (outside / "stuff" / "keep.txt").write_text("someone's files\n")
    result = build(maker.root, BuildOptions(search=False))
    assert result.ok, result.errors
    return base


@pytest.fixture
def project(baseline, tmp_path) -> Project:
    """A fresh copy of the built baseline project."""
    return Project(tmp_path / "p", baseline)
