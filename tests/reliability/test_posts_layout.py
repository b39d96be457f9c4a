"""posts/ on disk: symlinks out of the project, file names, images beside a post, and --root."""

from __future__ import annotations

import base64

from tests.conftest import simple_post

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_post_folder_symlinked_from_outside_is_refused(project, capsys):
    (project.root / "posts" / "2024-03-03-linked").symlink_to(project.outside / "post", target_is_directory=True)
    project.refused("build", message="links outside the project", capsys=capsys)


def test_post_file_symlinked_from_outside_is_refused(project, capsys):
    (project.root / "posts" / "linked.md").symlink_to(project.outside / "post" / "index.md")
    result = project.refused("build", message="posts/linked.md: links outside the project", capsys=capsys)
    assert "copy the post into posts/" in result.errors[0]


def test_symlink_inside_the_project_is_followed(project, capsys):
    project.write("shared/lesson/index.md", simple_post("Shared lesson"))
    (project.root / "posts" / "2024-03-03-lesson").symlink_to(
        project.root / "shared" / "lesson", target_is_directory=True
    )
    project.built(capsys=capsys)
    assert "Shared lesson" in project.site_text("posts/lesson/index.html")


def test_image_with_a_space_in_its_name_is_published(project, capsys):
    project.post("2024-03-03-pic/index.md", simple_post("Pic", body="![A dot](my%20image.png)"))
    (project.root / "posts/2024-03-03-pic/my image.png").write_bytes(PNG)
    project.built(capsys=capsys)
    assert (project.root / "_site/posts/pic/my image.png").read_bytes() == PNG


def test_image_in_angle_brackets_with_a_space_is_published(project, capsys):
    project.post("2024-03-03-pic/index.md", simple_post("Pic", body="![A dot](<figures/my image.png>)"))
    project.write("posts/2024-03-03-pic/figures/my image.png", PNG)
    project.built(capsys=capsys)
    assert (project.root / "_site/posts/pic/figures/my image.png").read_bytes() == PNG


def test_image_reference_out_of_the_post_folder_is_not_copied(project, capsys):
    body = "![x](../../../outside/secret.txt) [y](../../../outside/secret.txt) ![z](/etc/hostname)"
    project.post("2024-03-03-escape/index.md", simple_post("Escape", body=body))
    project.built(capsys=capsys)
    assert not list((project.root / "_site").rglob("secret.txt")) and not list(
        (project.root / "_site").rglob("hostname")
    )


def test_symlinked_image_leading_outside_is_not_copied(project, capsys):
    project.post("2024-03-03-escape/index.md", simple_post("Escape", body="![x](leak.txt)"))
    (project.root / "posts/2024-03-03-escape/leak.txt").symlink_to(project.outside / "secret.txt")
    project.built(capsys=capsys)
    assert not (project.root / "_site/posts/escape/leak.txt").exists()


def test_root_without_a_site_is_refused(project, capsys):
    project.refused(
        "build", "--root", "../outside/stuff", message="not a site: no _quarto.yml and no posts/", capsys=capsys
    )


def test_root_that_does_not_exist_is_refused(project, capsys):
    project.refused("build", "--root", "no-such-folder", message="no such folder", capsys=capsys)


def test_duplicate_slugs_are_one_error(project, capsys):
    project.post("2024-03-03-good/index.md", simple_post("Also good"))
    project.refused("build", message="duplicate URL /posts/good/", capsys=capsys)


def test_file_name_with_spaces_and_unicode(project, capsys):
    project.post("my first post.md", simple_post("Spaces"))
    project.post("2024-03-03-café ☕/index.md", simple_post("Coffee"))
    project.built(capsys=capsys)
    assert (project.root / "_site/posts/my-first-post/index.html").is_file()
    assert (project.root / "_site/posts/cafe/index.html").is_file()


def test_post_name_of_only_symbols_gets_a_stable_slug(project, capsys):
    project.post("★★★.md", simple_post("Stars"))
    project.built(capsys=capsys)
    assert [p.name for p in (project.root / "_site/posts").iterdir() if p.name.startswith("t-")]


def test_hidden_and_underscore_entries_are_not_posts(project, capsys):
    project.post(".hidden.md", "not front matter at all")
    project.post("_draft-notes.md", "not front matter at all")
    project.built(capsys=capsys)


def test_site_with_no_posts_yet_builds(project, capsys):
    (project.root / "posts" / "2024-01-01-good" / "index.md").unlink()
    project.built(capsys=capsys)
    assert (project.root / "_site/index.html").is_file()
