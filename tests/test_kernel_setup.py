"""The hidden setup cell: our display formatters reach every kernel, and cell numbers stay the post's."""

from coursenotes.build import BuildOptions, build


def test_mermaid_py_chart_renders_as_a_diagram_and_errors_count_post_cells(site):
    site.post(
        "chart/index.qmd",
        """
        ---
        title: Chart
        ---

        ```{python}
        from mermaid.flowchart import FlowChart, Link, Node
        a, b = Node("a", "get items"), Node("b", "split")
        FlowChart("pipeline", [a, b], [Link(a, b)])
        ```
        """,
    )
    site.post(
        "broken/index.qmd",
        """
        ---
        title: Broken
        ---

        ```{python}
        x = 1
        ```

        ```{python}
        1 / 0
        ```
        """,
    )
    result = build(site.root, BuildOptions(search=False))
    # line 9 is the failing cell's opening fence; the hidden setup cell is not counted
    assert [str(e).rsplit("site/", 1)[-1] for e in result.errors] == [
        "posts/broken/index.qmd:9: cell 2: ZeroDivisionError: division by zero"
    ]
    site.post("broken/index.qmd", "---\ntitle: Broken\n---\n\nfixed\n")
    assert build(site.root, BuildOptions(search=False)).ok
    page = site.read("posts/chart/index.html")
    assert '<pre class="mermaid">' in page and "get items" in page and "mermaid.ink" not in page
