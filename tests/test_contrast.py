"""Every code-token and ANSI colour in site.css meets WCAG AA (4.5:1) on every background it sits on, in both themes."""

from __future__ import annotations

import re

import pytest

from coursenotes.markdown import ansi
from coursenotes.site.assets import package_assets

CSS = (package_assets() / "site.css").read_text()
AA = 4.5
# Every class pandoc's highlighter (skylighting) emits; `ex` (Extension) has no colour in any style.
TOKEN_CLASSES = [
    "al",
    "an",
    "at",
    "bn",
    "bu",
    "cf",
    "ch",
    "cn",
    "co",
    "cv",
    "do",
    "dt",
    "dv",
    "er",
    "fl",
    "fu",
    "im",
    "in",
    "kw",
    "op",
    "ot",
    "pp",
    "sc",
    "ss",
    "st",
    "va",
    "vs",
    "wa",
]
BACKGROUNDS = ("--bg", "--code-bg", "--stderr-bg", "--error-bg")
TEXTS = ("--fg", "--stderr-fg")


def block(selector: str) -> str:
    """The declarations of the first rule whose selector is exactly `selector`."""
    return re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS).group(1)


def variables(declarations: str) -> dict[str, str]:
    """`--name: value` pairs."""
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", declarations))


LIGHT = variables(block(":root"))
DARK = variables(block(':root[data-theme="dark"]'))
# light-dark(a, b) pairs, wherever they are declared.
PAIRS = {
    name: (light, dark)
    for name, light, dark in re.findall(r"(--[\w-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)", CSS)
}


def luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_system_dark_and_toggled_dark_share_their_colours():
    system = re.search(
        r'@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme="light"\]\) \{([^}]*)\}', CSS
    ).group(1)
    assert variables(system) == DARK


@pytest.mark.parametrize("token", TOKEN_CLASSES)
def test_every_token_class_has_a_colour_that_passes_aa(token):
    rule = re.search(rf"([^{{}}]*\bcode span\.{token}\b[^{{}}]*)\{{([^}}]*)\}}", CSS)
    assert rule, f"no colour for .{token}"
    name = re.search(r"color:\s*var\((--tok-[\w-]+)\)", rule.group(2)).group(1)
    for theme, backgrounds, colour in (("light", LIGHT, PAIRS[name][0]), ("dark", DARK, PAIRS[name][1])):
        for bg in BACKGROUNDS:
            assert ratio(colour, backgrounds[bg]) >= AA, f".{token} {colour} on {theme} {bg} {backgrounds[bg]}"


@pytest.mark.parametrize("colour", [c + s for c in ansi.COLOURS for s in ("", "-intense")])
def test_every_ansi_colour_passes_aa_as_text_and_as_background(colour):
    assert re.search(rf"\.ansi-{colour}-fg \{{ color: var\(--ansi-{colour}\) !important; \}}", CSS)
    assert re.search(rf"\.ansi-{colour}-bg \{{ background-color: var\(--ansi-{colour}-bg\) !important; \}}", CSS)
    for i, (theme, palette) in enumerate((("light", LIGHT), ("dark", DARK))):
        fg, bg = PAIRS[f"--ansi-{colour}"][i], PAIRS[f"--ansi-{colour}-bg"][i]
        for back in BACKGROUNDS:
            assert ratio(fg, palette[back]) >= AA, f"{colour} text {fg} on {theme} {back}"
        for text in TEXTS:
            assert ratio(palette[text], bg) >= AA, f"{theme} {text} on the {colour} background {bg}"


def test_page_text_passes_aa_on_every_background():
    for theme, palette in (("light", LIGHT), ("dark", DARK)):
        for back in BACKGROUNDS:
            for text in ("--fg", "--muted", "--accent"):
                assert ratio(palette[text], palette[back]) >= AA, f"{theme} {text} on {back}"
        assert ratio(palette["--stderr-fg"], palette["--stderr-bg"]) >= AA
