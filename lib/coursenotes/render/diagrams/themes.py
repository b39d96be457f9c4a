"""Smaller SVGs: rounded coordinates, and one drawing for both themes with the dark colours switched by CSS."""

from __future__ import annotations

import re

STYLE = re.compile(r"<style>(.*?)</style>", re.S)
GEOMETRY = re.compile(r'(\s(?:d|points|transform|viewBox|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|width|height)=")([^"]*)"')
NUMBER = re.compile(r"-?\d+\.\d{2,}")
PLAIN_PATH = re.compile(r"[MLCZz\d\s,.-]*")
COMMAND = re.compile(r"([MLCZz])([^MLCZz]*)")
UNUSED = re.compile(r'\sdata-points="[^"]*"')  # edge geometry for mermaid's own animations, base64 JSON
TOKEN = re.compile(r"<[^>]+>|[^<]+")
TAG_NAME = re.compile(r"<[\w:-]+")
ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
GRADIENT = re.compile(r"<(linearGradient|radialGradient)\b.*?</\1>", re.S)
COLOURS = {"fill", "stroke", "stop-color", "flood-color", "color"}
DARK = ':root[data-theme="dark"] '
SYSTEM_DARK = ':root:not([data-theme="light"]) '


def rounded(m: re.Match) -> str:
    """A number to one decimal place (a tenth of a pixel), trailing zeros dropped."""
    return rounded_text(float(m.group(0)))


def compact(svg: str) -> str:
    """The same drawing in fewer bytes: coordinates to a tenth of a pixel, point-sized curves as lines."""
    svg = UNUSED.sub("", svg)

    def geometry(m: re.Match) -> str:
        value = NUMBER.sub(rounded, m.group(2))
        if m.group(1).strip() == 'd="':
            value = simplify(value)
        return f'{m.group(1)}{value}"'

    return GEOMETRY.sub(geometry, svg)


def near_line(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> bool:
    """True when p lies within half a pixel of the segment a-b."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = (dx * dx + dy * dy) ** 0.5
    if length < 1e-9:
        return abs(px - ax) + abs(py - ay) <= 0.5
    t = ((px - ax) * dx + (py - ay) * dy) / (length * length)
    return -0.01 <= t <= 1.01 and abs((px - ax) * dy - (py - ay) * dx) / length <= 0.5


def simplify(d: str) -> str:
    """Path data with straight curves as lines and repeated strokes once (mermaid's shapes stroke twice).

    Only absolute M/L/C/Z paths are touched; anything else is returned as it was."""
    if not PLAIN_PATH.fullmatch(d):
        return d
    subpaths: list[str] = []
    current: list[str] = []
    point = (0.0, 0.0)
    for command, args in COMMAND.findall(d):
        nums = [float(n) for n in re.findall(r"-?[\d.]+", args)]
        if command == "M" and len(nums) == 2:
            if current:
                subpaths.append(" ".join(current))
            current, point = [f"M{args.strip()}"], (nums[0], nums[1])
        elif command == "C" and len(nums) == 6:
            end = (nums[4], nums[5])
            if near_line((nums[0], nums[1]), point, end) and near_line((nums[2], nums[3]), point, end):
                current.append(f"L{rounded_text(end[0])} {rounded_text(end[1])}")
            else:
                current.append(f"C{args.strip()}")
            point = end
        elif command == "L" and len(nums) == 2:
            current.append(f"L{args.strip()}")
            point = (nums[0], nums[1])
        elif command in "Zz" and not nums:
            current.append("Z")
        else:
            return d
    if current:
        subpaths.append(" ".join(current))
    return " ".join(dict.fromkeys(subpaths))  # a stroke drawn twice over the same points, once


def rounded_text(value: float) -> str:
    """A coordinate as compact text."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def top_level_rules(css: str) -> list[tuple[str, str]]:
    """(selector, block with braces) for each top-level rule of minified CSS."""
    rules, i = [], 0
    while i < len(css):
        start = css.find("{", i)
        if start < 0:
            break
        depth, j = 0, start
        while j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
            if depth == 0:
                break
        rules.append((css[i:start].strip(), css[start:j]))
        i = j
    return rules


def split_selectors(selector: str) -> list[str]:
    """A selector list split at top-level commas (not those inside parentheses)."""
    parts, depth, current = [], 0, ""
    for ch in selector:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [p.strip() for p in [*parts, current] if p.strip()]


def dark_rules(css: str, light: str = "") -> str:
    """The dark theme's rules that differ from the light ones, applying only when the site is dark."""
    before = dict(top_level_rules(light))
    plain = []
    for selector, block in top_level_rules(css):
        if selector.startswith("@") or before.get(selector) == block:
            continue  # keyframes and unchanged rules are the light sheet's already
        if selector in before and "{" not in block[1:]:  # keep only the declarations the dark theme changes
            old = set(before[selector].strip("{}").split(";"))
            block = "{" + ";".join(d for d in block.strip("{}").split(";") if d and d not in old) + "}"
        if block != "{}":
            plain.append((selector, block))
    forced = "".join(",".join(DARK + s for s in split_selectors(sel)) + block for sel, block in plain)
    system = "".join(",".join(SYSTEM_DARK + s for s in split_selectors(sel)) + block for sel, block in plain)
    return f"{forced}@media (prefers-color-scheme: dark){{{system}}}"


def attributes(tag: str) -> dict[str, str]:
    """A tag's attributes, in order."""
    return dict(ATTR.findall(tag))


def recolour(light: str, dark: str, rules: dict[tuple[str, str], str]) -> str | None:
    """The light tag with a class for each colour the dark one sets differently; None if they differ otherwise."""
    la, da = attributes(light), attributes(dark)
    name = TAG_NAME.match(light)
    if la.keys() != da.keys() or not name or name.group(0) != TAG_NAME.match(dark).group(0):  # type: ignore[union-attr]
        return None
    added = []
    for key, value in la.items():
        if value == da[key]:
            continue
        if key not in COLOURS:
            return None
        added.append(rules.setdefault((key, da[key]), f"cnk{len(rules) + 1}"))
    if "class" in la:
        return light.replace(f'class="{la["class"]}"', f'class="{" ".join([la["class"], *added])}"', 1)
    return light.replace(name.group(0), f'{name.group(0)} class="{" ".join(added)}"', 1)


def merge(light: str, dark: str, root_id: str) -> str | None:
    """One SVG drawing both themes when they differ only in colours; None when they differ otherwise.

    The shapes are the light drawing's; the dark theme's style sheet, its gradients and its colour
    attributes (as classes) apply only when the page is dark."""
    lstyle, dstyle = STYLE.search(light), STYLE.search(dark)
    if not lstyle or not dstyle:
        return None
    gradients = "".join(g.group(0) for g in GRADIENT.finditer(dark) if g.group(0) not in light)
    ltokens = TOKEN.findall(STYLE.sub("<style></style>", light))
    dtokens = TOKEN.findall(
        GRADIENT.sub(lambda m: "" if m.group(0) in gradients else m.group(0), STYLE.sub("<style></style>", dark))
    )
    if len(ltokens) != len(dtokens):
        return None
    rules: dict[tuple[str, str], str] = {}
    merged: list[str] = []
    for lt, dt in zip(ltokens, dtokens):
        token = lt if lt == dt else recolour(lt, dt, rules) if lt.startswith("<") else None
        if token is None:
            return None
        merged.append(token)
    colours = "".join(f"#{root_id} .{cls}{{{key}:{value}}}" for (key, value), cls in rules.items())
    css = lstyle.group(1) + dark_rules(dstyle.group(1) + colours, lstyle.group(1))
    svg = "".join(merged).replace("<style></style>", f"<style>{css}</style>", 1)
    return svg.replace("</svg>", f"<defs>{gradients}</defs></svg>") if gradients else svg
