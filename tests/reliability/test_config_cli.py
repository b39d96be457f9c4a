"""Site config, `[tool.coursenotes]`, command-line values, `new`, and the last-resort handler."""

from __future__ import annotations

import pytest

from coursenotes import build as build_module
from coursenotes import markdown as markdown_module
from coursenotes.errors import CoursenotesError, redact
from coursenotes.settings import GatewaySettings

QUARTO = [
    ("navbar-left-mapping", "website:\n  navbar:\n    left:\n      href: about.qmd\n",
     "website.navbar.left must be a list of items"),
    ("navbar-right-string", "website:\n  navbar:\n    right: about.qmd\n", "website.navbar.right must be a list"),
    ("navbar-list", "website:\n  navbar: [a, b]\n", "website.navbar must be a mapping"),
    ("website-list", "website: [a]\n", "`website` must be a mapping"),
    ("execute-typo", "execute:\n  timout: 5\n", "_quarto.yml: unknown `execute:` option 'timout'"),
    ("execute-list", "execute: [a]\n", "`execute` must be a mapping"),
    ("jupyter-kernelspec-string", "jupyter:\n  kernelspec: python3\n", "`jupyter: kernelspec` must be a mapping"),
    ("not-a-mapping", "- a\n- b\n", "_quarto.yml:1: must be a YAML mapping"),
    ("bad-yaml", "website:\n  title: [x\n", "_quarto.yml:3: invalid YAML"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), [q[1:] for q in QUARTO], ids=[q[0] for q in QUARTO])
def test_bad_quarto_config(project, capsys, text, message):
    project.write("_quarto.yml", text)
    project.refused("build", message=message, capsys=capsys)


TOOL = [
    ("unknown-key", "[tool.coursenotes]\ngatway-url = 'x'\n", "pyproject.toml:2: unknown setting `gatway-url`"),
    (
        "packages-string",
        "[tool.coursenotes]\nfingerprint-packages = 'torch'\n",
        "`fingerprint-packages` must be a list",
    ),
    ("bad-toml", "[tool.coursenotes\n", "pyproject.toml: invalid TOML"),
    ("url-number", "[tool.coursenotes]\ngateway-url = 3\n", "`gateway-url` must be a string"),
]


@pytest.mark.parametrize(("text", "message"), [t[1:] for t in TOOL], ids=[t[0] for t in TOOL])
def test_bad_tool_settings(project, capsys, text, message):
    project.write("pyproject.toml", text)
    project.refused("build", message=message, capsys=capsys)


@pytest.mark.parametrize("jobs", ["-3", "0"])
def test_jobs_must_be_positive(project, capsys, jobs):
    project.refused(
        "build", "--jobs", jobs, message=f"--jobs must be 1 or more (posts run at once), not {jobs}", capsys=capsys
    )


def test_jobs_not_a_number_is_argparse_usage(project, capsys):
    before = project.snapshot()
    with pytest.raises(SystemExit) as exit_info:
        project.run("build", "--jobs", "many", capsys=capsys)
    assert exit_info.value.code == 2
    assert "invalid int value: 'many'" in capsys.readouterr().err
    assert project.snapshot() == before


def test_new_with_a_300_character_title(project, capsys):
    title = "A very long lesson title " * 12
    result = project.run("new", title, capsys=capsys)
    assert result.code == 0, result.err
    folder = next(p for p in (project.root / "posts").iterdir() if "very-long" in p.name)
    assert len(folder.name) <= 91 and (folder / "index.qmd").is_file()
    assert title.strip() in (folder / "index.qmd").read_text()


def test_new_with_an_empty_title(project, capsys):
    project.refused("new", "   ", message="the title is empty", capsys=capsys)


def test_new_twice_with_the_same_title(project, capsys):
    assert project.run("new", "Same", capsys=capsys).code == 0
    project.refused("new", "Same", message="already exists: pick another title", capsys=capsys)


def test_unexpected_error_is_one_line_naming_the_post(project, capsys, monkeypatch):
    def broken(executed):
        raise RuntimeError("boom")

    monkeypatch.setattr(markdown_module, "page_source", broken)
    result = project.refused(
        "build", message="internal error (RuntimeError: boom); run again with --debug", capsys=capsys
    )
    assert "posts/2024-01-01-good/index.md" in result.errors[0]


def test_unexpected_error_outside_a_post_is_one_line(project, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("layout")

    monkeypatch.setattr(build_module, "site_files", broken)
    result = project.refused("build", message="internal error while running `coursenotes build`", capsys=capsys)
    assert "KeyError" in result.errors[0] and str(project.root) in result.errors[0]


def test_debug_shows_the_traceback(project, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("layout")

    monkeypatch.setattr(build_module, "site_files", broken)
    result = project.run("build", "--debug", capsys=capsys)
    assert result.code == 1 and "Traceback (most recent call last)" in result.err and "KeyError: 'layout'" in result.err


def test_debug_before_the_command_works_too(project, capsys):
    result = project.run("--debug", "build", capsys=capsys)
    assert result.code == 0, result.err


def test_ctrl_c_exits_130_and_keeps_the_site(project, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "site_files", interrupted)
    before = project.snapshot()
    result = project.run("build", capsys=capsys)
    assert result.code == 130 and result.err.strip() == "interrupted"
    assert project.snapshot() == before


def test_gateway_url_credentials_never_printed(project, capsys):
    result = project.refused("build", "--gateway-url", "ftp://alice:s3cret@gpu.example:8888",
                             message="gateway URL must look like http://host:port", capsys=capsys)  # fmt: skip
    assert "s3cret" not in result.err and "alice" not in result.err


def test_gateway_url_credentials_from_the_environment_never_printed(project, capsys, monkeypatch):
    monkeypatch.setenv("JUPYTER_GATEWAY_URL", "gopher://bob:hunter2@gpu.example")
    result = project.refused("build", message="gateway URL must look like", capsys=capsys)
    assert "hunter2" not in result.err


def test_every_error_message_drops_url_credentials():
    e = CoursenotesError("cannot reach http://carol:pw123@10.0.0.5:8888/api (connection refused)", "post.md", 3)
    assert str(e) == "post.md:3: cannot reach http://10.0.0.5:8888/api (connection refused)"
    assert redact("wss://tok@host/x and https://u:p@h") == "wss://host/x and https://h"


def test_gateway_label_has_no_credentials():
    assert GatewaySettings("https://dave:pw@gpu.example:8443/base").label == "gateway https://gpu.example:8443/base"
