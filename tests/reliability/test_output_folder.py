"""`--out` and the output folder: never the project, a folder above it, a source folder, a file or someone's files."""

from __future__ import annotations

import os
import shutil

import pytest

from coursenotes.site import writer
from coursenotes.site.outdir import MARKER

HINT = "pick a new folder, e.g. --out _site"


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (".", "would replace the project itself"),
        ("..", "would replace the project itself"),
        ("/", "would replace the project itself"),
        ("posts", "inside the project's posts/ folder"),
        ("posts/2024-01-01-good", "inside the project's posts/ folder"),
        ("posts/new-folder", "inside the project's posts/ folder"),
        ("_extensions", "inside the project's _extensions/ folder"),
        ("_frozen", "inside the project's _frozen/ folder"),
        ("lib", "inside the project's lib/ folder"),
        (".git", "inside the project's .git/ folder"),
        ("notes.txt", "is an existing file"),
        ("notes.txt/site", "which is a file, not a folder"),
        ("../outside/stuff", "holds files that no coursenotes build wrote"),
        ("../outside/secret.txt", "is an existing file"),
    ],
    ids=lambda v: str(v),
)
def test_build_out_refused(project, capsys, out, message):
    result = project.refused("build", "--out", out, message=message, capsys=capsys)
    assert "--out" in result.errors[0]


def test_out_through_a_symlink_to_the_project_is_refused(project, capsys):
    (project.outside / "link").symlink_to(project.root, target_is_directory=True)
    before = project.snapshot()
    result = project.run("build", "--out", str(project.outside / "link"), capsys=capsys)
    assert result.code == 1 and "would replace the project itself" in result.errors[0]
    assert project.snapshot() == before


def test_preview_out_refuses_the_project(project, capsys):
    project.refused("preview", "--port", "0", "--out", ".", message="would replace the project itself", capsys=capsys)


def test_preview_out_refuses_a_source_folder(project, capsys):
    project.refused("preview", "--port", "0", "--out", "posts", message="inside the project's posts/", capsys=capsys)


def test_out_an_empty_folder_is_used_and_marked(project, capsys):
    target = project.outside / "empty"
    target.mkdir()
    result = project.run("build", "--out", str(target), capsys=capsys)  # outside the project, as asked
    assert result.code == 0 and not result.errors, result.err
    assert (target / "index.html").is_file() and (target / MARKER).is_file()
    project.assert_no_secret(target)


def test_out_a_folder_a_build_wrote_is_replaced(project, capsys):
    target = project.outside / "site-copy"
    assert project.run("build", "--out", str(target), capsys=capsys).code == 0
    (target / "stale.html").write_text("old")
    # A file put into a built site by hand is gone at the next full build (an incremental build only
    # rewrites what changed: docs/incremental.md); forget the memo to make this one full.
    shutil.rmtree(project.root / ".coursenotes-cache")
    assert project.run("build", "--out", str(target), capsys=capsys).code == 0
    assert not (target / "stale.html").exists() and (target / MARKER).is_file()


def test_default_site_without_marker_is_still_replaced(project, capsys):
    (project.root / "_site" / MARKER).unlink(missing_ok=True)
    project.built(capsys=capsys)
    assert (project.root / "_site" / MARKER).is_file()


def test_out_in_a_new_folder_of_the_project_is_fine(project, capsys):
    project.built("build", "--out", "build/site", capsys=capsys)
    assert (project.root / "build/site/index.html").is_file()


def test_unwritable_output_location_is_one_line(project, capsys):
    project.refused("build", "--out", "/proc/coursenotes-site", message="cannot write the site here", capsys=capsys)


def test_failed_swap_keeps_the_old_site(project, capsys, monkeypatch):
    real = os.rename

    def rename(src, dst):
        if str(dst).endswith("_site") and ".new-" in str(src):
            raise PermissionError(13, "Permission denied")
        return real(src, dst)

    monkeypatch.setattr(writer.os, "rename", rename)
    project.refused("build", message="cannot replace the site: Permission denied", capsys=capsys)
    assert not [p for p in project.root.iterdir() if p.name.startswith("._site.")]


def test_staging_left_by_a_killed_build_is_removed(project, capsys):
    leftovers = [
        project.root / "._site.new-999999-abc123",
        project.root / "._site.new-k2j4l5x_",
        project.root / "._site.old-999998",
    ]
    for folder in leftovers:
        folder.mkdir()
        (folder / "big.bin").write_bytes(b"x" * 1000)
    project.built(capsys=capsys)
    assert not any(folder.exists() for folder in leftovers)


def test_staging_of_a_running_build_is_kept(project, capsys):
    live = project.root / f"._site.new-{os.getppid()}-abc123"
    live.mkdir()
    project.built(capsys=capsys)
    assert live.is_dir()


def test_every_build_marks_its_site(project, capsys):
    project.built(capsys=capsys)
    assert (project.root / "_site" / MARKER).read_text().startswith("Written by `coursenotes build`")
