"""Notebooks and the frozen store: malformed cells, kernels that cannot be guessed, and paths out of `_frozen/`."""

from __future__ import annotations

import json

import pytest

from coursenotes.execution.cache import code_hash
from coursenotes.execution.options import execute_options, kernel_name
from coursenotes.settings import load_config
from coursenotes.sources import read_post, to_notebook

FRONT = {"cell_type": "raw", "metadata": {}, "source": "---\ntitle: Notebook\ndate: 2024-04-04\n---\n"}


def notebook(cells: list, metadata: dict | None = None) -> str:
    """An .ipynb whose first cell is the front matter."""
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": meta if metadata is None else metadata,
                       "cells": [FRONT, *cells]})  # fmt: skip


MALFORMED = [
    ("cell-not-object", [1], "cell 2 is not an object"),
    ("cell-type-unknown", [{"cell_type": "picture", "source": ""}], "cell 2 has cell_type 'picture'"),
    ("source-number", [{"cell_type": "code", "source": 42, "outputs": []}], "cell 2: `source` must be a string"),
    ("source-list-of-numbers", [{"cell_type": "markdown", "source": [1, 2]}], "cell 2: `source` must be a string"),
    (
        "outputs-string",
        [{"cell_type": "code", "source": "1", "outputs": "none"}],
        "cell 2: `outputs` must be a list of objects",
    ),
    (
        "cell-metadata-list",
        [{"cell_type": "code", "source": "1", "metadata": [], "outputs": []}],
        "cell 2: `metadata` must be an object",
    ),
]


@pytest.mark.parametrize(("cells", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_valid_json_notebook_with_malformed_cells(project, capsys, cells, message):
    project.write("posts/2024-04-04-nb/index.ipynb", notebook(cells))
    project.refused("build", message=f"index.ipynb: not a valid notebook: {message}", capsys=capsys)


def test_notebook_metadata_not_an_object(project, capsys):
    project.write("posts/2024-04-04-nb/index.ipynb", notebook([], metadata=[]))  # type: ignore[arg-type]
    project.refused("build", message="`metadata` must be an object", capsys=capsys)


def test_notebook_that_is_not_json(project, capsys):
    project.write("posts/2024-04-04-nb/index.ipynb", '{"cells": [')
    project.refused("build", message="index.ipynb:1: not a valid notebook (JSON)", capsys=capsys)


def test_notebook_without_cells(project, capsys):
    project.write("posts/2024-04-04-nb/index.ipynb", '{"nbformat": 4}')
    project.refused("build", message="no `cells` list", capsys=capsys)


def test_r_notebook_whose_kernelspec_has_no_name_never_runs_on_python(project, capsys):
    front = dict(FRONT, source="---\ntitle: R\nexecute:\n  enabled: true\n---\n")
    cells = [front, {"cell_type": "code", "source": "print(1)", "metadata": {}, "outputs": [], "execution_count": None}]
    meta = {"kernelspec": {"display_name": "R", "language": "R"}, "language_info": {"name": "R"}}
    project.write(
        "posts/2024-04-04-r/index.ipynb",
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": cells}),
    )
    project.refused(
        "build", message="index.ipynb: the notebook's kernelspec has no name and its language is R", capsys=capsys
    )


def frozen_post(project, outputs: list) -> None:
    """A post with one code cell and a `_frozen/` entry whose code hash matches it, holding `outputs`."""
    path = project.post("2024-04-04-frozen/index.qmd", "---\ntitle: Frozen\n---\n\n```{python}\n1 + 1\n```\n")
    post, config = read_post(path), load_config(project.root)
    nb = to_notebook(post)
    opts = execute_options(post, config)
    entry = {"format": 1, "source": "posts/2024-04-04-frozen/index.qmd", "kernel": "python3",
             "code_hash": code_hash(nb, opts, kernel_name(post, nb, config)),
             "cells": [{"execution_count": 1, "outputs": outputs}]}  # fmt: skip
    project.write("_frozen/frozen.json", json.dumps(entry))


def image(ref: str) -> list:
    return [{"output_type": "display_data", "metadata": {}, "data": {"image/png": ref}}]


@pytest.mark.parametrize(
    "ref",
    ["@frozen:../../../outside/secret.txt", "@frozen:../../../../../../etc/passwd", "@frozen:/proc/self/environ",
     "@frozen:sub/0123456789abcdef.png", "@frozen:.hidden"],
    ids=["relative-escape", "etc-passwd", "proc-environ", "subfolder", "dot-file"],
)  # fmt: skip
def test_frozen_reference_out_of_its_folder_is_refused(project, capsys, ref):
    frozen_post(project, image(ref))
    result = project.refused("build", "--frozen", message="frozen output refers to", capsys=capsys)
    assert "outside _frozen/frozen/" in result.errors[0] and "_frozen/frozen.json" in result.errors[0]


def test_frozen_file_symlinked_outside_is_refused(project, capsys):
    frozen_post(project, image("@frozen:0123456789abcdef.png"))
    (project.root / "_frozen" / "frozen").mkdir()
    (project.root / "_frozen" / "frozen" / "0123456789abcdef.png").symlink_to(project.outside / "secret.txt")
    project.refused("build", "--frozen", message="frozen output refers to '0123456789abcdef.png'", capsys=capsys)


def test_frozen_store_reference_that_is_fine_is_published(project, capsys):
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    import base64

    frozen_post(project, image("@frozen:0123456789abcdef.png"))
    project.write("_frozen/frozen/0123456789abcdef.png", base64.b64decode(png))
    project.built("build", "--frozen", capsys=capsys)
    assert list((project.root / "_site/posts/frozen").glob("figure-*.png"))


def test_unreadable_frozen_entry(project, capsys):
    frozen_post(project, [])
    project.write("_frozen/frozen.json", "{not json")
    project.refused("build", "--frozen", message="unreadable frozen entry", capsys=capsys)


def test_frozen_entry_symlinked_to_a_secret_is_not_published(project, capsys):
    frozen_post(project, [])
    (project.root / "_frozen" / "frozen.json").unlink()
    (project.root / "_frozen" / "frozen.json").symlink_to(project.outside / "secret.txt")
    project.refused("build", "--frozen", message="unreadable frozen entry", capsys=capsys)


@pytest.mark.parametrize(
    "entry",
    ['{"code_hash": "x", "cells": "no"}', '{"code_hash": "x", "environment": [], "cells": []}',
     '{"code_hash": "x", "cells": [{"outputs": "text"}]}', '[]'],
    ids=["cells-string", "environment-list", "outputs-string", "json-list"],
)  # fmt: skip
def test_frozen_entry_of_the_wrong_shape(project, capsys, entry):
    frozen_post(project, [])
    project.write("_frozen/frozen.json", entry)
    project.refused("build", "--frozen", message="unreadable frozen entry", capsys=capsys)


def test_frozen_build_of_changed_code(project, capsys):
    frozen_post(project, [])
    project.post("2024-04-04-frozen/index.qmd", "---\ntitle: Frozen\n---\n\n```{python}\n2 + 2\n```\n")
    project.refused("build", "--frozen", message="code changed since it was frozen", capsys=capsys)


def test_huge_stored_output_is_capped_with_a_note(project, capsys):
    text = "0123456789" * 300_000  # 3 MB of stdout, stored in a notebook (not run at build time)
    code = {"cell_type": "code", "source": "print(big)", "metadata": {}, "execution_count": 1,
            "outputs": [{"output_type": "stream", "name": "stdout", "text": text}]}  # fmt: skip
    project.write("posts/2024-04-04-big/index.ipynb", notebook([code]))
    project.built(capsys=capsys)
    page = project.site_text("posts/big/index.html")
    assert "[output truncated: 2.0 MB more not shown (limit 1.0 MB per cell)]" in page
    assert len(page) < 1_200_000
    feed = project.site_text("index.xml")
    assert len(feed) < 300_000 and "too long for the feed" in feed


def test_huge_html_display_is_replaced_by_the_note(project, capsys):
    html = "<table>" + "<tr><td>1</td></tr>" * 100_000 + "</table>"
    code = {"cell_type": "code", "source": "df", "metadata": {}, "execution_count": 1,
            "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                         "data": {"text/html": html, "text/plain": "df"}}]}  # fmt: skip
    project.write("posts/2024-04-04-big/index.ipynb", notebook([code]))
    project.built(capsys=capsys)
    page = project.site_text("posts/big/index.html")
    assert "output truncated" in page and page.count("<tr>") < 10


def test_control_characters_in_outputs_keep_the_feed_valid(project, capsys):
    import xml.etree.ElementTree as ET

    code = {"cell_type": "code", "source": "x", "metadata": {}, "execution_count": 1,
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "bell\x07 nul\x00 esc\x1b[31mred\x1b[0m\x0c"}]}  # fmt: skip
    project.write("posts/2024-04-04-ctl/index.ipynb", notebook([code]))
    project.built(capsys=capsys)
    ET.fromstring(project.site_text("index.xml").encode())
