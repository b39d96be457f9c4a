"""Inlined diagram SVGs: scripts stripped, ids prefixed per diagram, one drawing for both themes."""

from __future__ import annotations

from coursenotes.render.diagrams.svg import namespace, sanitize
from coursenotes.render.diagrams.themes import compact, merge, simplify

LIGHT = (
    '<svg id="m" class="flowchart"><style>#m{fill:#333;}#m .node rect{fill:#ECECFF;stroke:#9370DB;}'
    "@keyframes dash{to{stroke-dashoffset:0;}}</style>"
    '<marker id="m_arrow"></marker><g id="L_A_B_0" class="node"><path d="M0 0 C1.2345 0, 2.5 0, 3 0" fill="#ECECFF" '
    'marker-end="url(#m_arrow)"></path></g><text aria-labelledby="m_arrow L_A_B_0">A</text></svg>'
)
DARK = (
    LIGHT.replace("#333", "#ccc").replace("#ECECFF", "#1f2020").replace("#9370DB", "#ccc")
    .replace("</svg>", '<linearGradient id="m-gradient"><stop stop-color="#ccc"></stop></linearGradient></svg>')
)  # fmt: skip


def test_sanitize_removes_scripts_handlers_and_script_urls():
    svg = (
        '<svg onload="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)"><text>ok</text></a>'
        "<g onclick='x()'></g><iframe src=\"x\"></iframe><foreignObject><div>label</div></foreignObject></svg>"
    )
    clean = sanitize(svg)
    assert "alert" not in clean and "onclick" not in clean and "iframe" not in clean
    assert "<text>ok</text>" in clean and "<div>label</div>" in clean


def test_namespace_prefixes_every_id_and_reference():
    out = namespace(LIGHT, "post-d2")
    assert 'id="post-d2-m"' in out and "#post-d2-m .node rect" in out and "url(#post-d2-m_arrow)" in out
    assert 'id="post-d2-L_A_B_0"' in out and 'aria-labelledby="post-d2-m_arrow post-d2-L_A_B_0"' in out
    assert "#333" in out and "#ECECFF" in out  # colours are not ids


def test_two_diagrams_on_a_page_share_no_id():
    import re

    ids = [set(re.findall(r'\bid="([^"]+)"', namespace(LIGHT, f"p-d{n}"))) for n in (1, 2)]
    assert ids[0] and not ids[0] & ids[1]


def test_straight_curves_become_lines_and_double_strokes_one():
    assert simplify("M0 0 C1 0, 2 0, 3 0 M0 0 C1 0, 2 0, 3 0") == "M0 0 L3 0"
    assert simplify("M0 0 C0 5, 3 5, 3 0") == "M0 0 C0 5, 3 5, 3 0"  # a real curve stays
    assert simplify("M0 0 A5 5 0 0 1 3 0") == "M0 0 A5 5 0 0 1 3 0"  # arcs are left alone
    assert 'd="M0 0 L3 0"' in compact(LIGHT)


def test_one_drawing_serves_both_themes():
    both = merge(LIGHT, DARK, "m")
    assert both is not None and both.count("<svg") == 1 and both.count('d="M0 0') == 1
    assert ':root[data-theme="dark"] #m{fill:#ccc}' in both
    assert '@media (prefers-color-scheme: dark){:root:not([data-theme="light"]) #m{fill:#ccc}' in both
    assert 'class="cnk1"' in both and "#m .cnk1{fill:#1f2020}" in both  # inline colours by class
    assert 'fill="#ECECFF"' in both and 'id="m-gradient"' in both  # light by default; dark's gradient kept
    assert both.count("@keyframes") == 1


def test_drawings_that_differ_in_shape_are_not_merged():
    assert merge(LIGHT, DARK.replace('d="M0 0', 'd="M9 9'), "m") is None
