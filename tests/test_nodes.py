"""Node: nbformat's NotebookNode behaviour without importing nbformat (the prose-edit path never loads it)."""

import copy
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import nbformat

import coursenotes
from coursenotes.sources import Node, to_node

NB = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3"}},
    "cells": [{"cell_type": "code", "id": "c0", "metadata": {}, "source": "1", "outputs": [{"output_type": "stream"}]}],
}


def test_a_node_reads_and_writes_like_a_notebook_node():
    ours, theirs = to_node(NB), nbformat.from_dict(NB)
    assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)
    assert ours.cells[0].outputs[0].output_type == "stream" and ours.metadata.kernelspec.name == "python3"
    ours.cells[0].metadata = {"tags": ["x"]}
    assert isinstance(ours.cells[0].metadata, Node) and ours.cells[0].metadata.tags == ["x"]
    assert nbformat.from_dict(ours) == nbformat.from_dict(
        {**theirs, "cells": [{**NB["cells"][0], "metadata": {"tags": ["x"]}}]}
    )
    ours.cells[0].setdefault("execution_count", None)
    ours.metadata.update({"language_info": {"name": "python"}})
    assert ours.metadata.language_info.name == "python"
    again = pickle.loads(pickle.dumps(ours))
    assert again == ours and isinstance(again.cells[0], Node)
    twin = copy.deepcopy(ours)
    twin.cells[0].source = "2"
    assert ours.cells[0].source == "1" and isinstance(twin.metadata, Node)
    try:
        ours.missing  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("a missing key must be an AttributeError, as with NotebookNode")


def test_reading_a_post_does_not_import_nbformat(tmp_path):
    post = tmp_path / "posts/a.qmd"
    post.parent.mkdir()
    post.write_text("---\ntitle: A\n---\n\nProse.\n\n```{python}\n#| echo: false\nprint(1)\n```\n")
    code = (
        "import sys; from pathlib import Path; from coursenotes.sources import read_post, to_notebook;"
        f"nb = to_notebook(read_post(Path({str(post)!r}), Path({str(post.parent)!r})));"
        "assert nb.cells[1].metadata; assert 'nbformat' not in sys.modules, 'nbformat was imported'"
    )
    lib = str(Path(coursenotes.__file__).parents[1])
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": lib})
