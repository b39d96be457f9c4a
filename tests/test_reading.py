"""What readers get from the HTML itself: alt text, sharing meta, lang, contents, neighbours, no external assets."""

import re

from tests.conftest import simple_post

from coursenotes.build import build
from coursenotes.site.images import describe, fill_alt, first_image

LONG = "\n\n".join(f"## Part {i}\n\nWords about part {i}." for i in range(1, 5))


def test_images_without_alt_get_words_from_their_file_name():
    assert describe("training-loss.png") == "training loss" and describe("img/show_batch.jpg") == "show batch"
    assert describe("3f9a2c1be0d4.png") == describe("figure-1.png") == describe("data:image/png;base64,xx") == ""
    html = '<p><img src="a-cat.png" /> <img src="b.png" alt="given" /> <img src="0123456789ab.png"></p>'
    assert (
        fill_alt(html) == '<p><img alt="a cat" src="a-cat.png" /> <img src="b.png" alt="given" /> '
        '<img alt="" src="0123456789ab.png"></p>'
    )
    assert first_image('<img src="data:x"><img alt="" src="p.png">') == "p.png" and first_image("<p>") == ""


def test_post_page_has_alt_sharing_meta_lang_and_contents(site):
    (site.root / "_quarto.yml").write_text((site.root / "_quarto.yml").read_text() + "lang: en-GB\n")
    site.post(
        "2024-01-01-pics/index.md",
        simple_post(
            "Pics", "[a, b]", body="Intro.\n\n![](learning-rate.png)\n\n" + LONG, extra="description: Pictures\n"
        ),
    )
    (site.root / "posts/2024-01-01-pics/learning-rate.png").write_bytes(b"png")
    site.post("2023-01-01-short/index.md", simple_post("Short", date="2023-01-01", body="## Only one heading\n\nx"))
    site.post(
        "2023-06-01-cover/index.md", simple_post("Cover", date="2023-06-01", extra="image: https://example.org/c.png\n")
    )
    assert build(site.root).ok
    page = site.read("posts/pics/index.html")
    assert '<html lang="en-GB">' in page
    assert '<img alt="learning rate" src="learning-rate.png"' in page
    assert '<meta property="og:image" content="https://notes.example.org/posts/pics/learning-rate.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert (
        '<meta property="og:title" content="Pics">' in page
        and '<meta property="og:description" content="Pictures">' in page
    )
    assert '<nav class="toc" aria-label="Contents">' in page and 'href="#part-4"' in page
    assert 'class="anchor"' in page  # heading self-links
    assert '<span class="reading-time">1 min read</span>' in page
    assert '<a class="tag" href="../../tags/a/"' in page
    assert 'rel="next" href="../cover/"' in page and "Older" in page
    assert '<nav class="toc"' not in site.read("posts/short/index.html")
    assert 'content="https://example.org/c.png"' in site.read("posts/cover/index.html")
    assert "og:image" not in site.read("posts/short/index.html")


def test_no_page_loads_anything_from_another_host(site):
    site.post("a.md", simple_post("A", body="[web](https://docs.fast.ai) ![x](https://example.org/x.png)"))
    assert build(site.root).ok
    for page in (site.root / "_site").rglob("*.html"):
        text = page.read_text()
        for tag in re.findall(r"<(?:script|link)\b[^>]*>", text):
            ref = re.search(r'(?:src|href)="([^"]*)"', tag)
            if ref and 'rel="canonical"' not in tag and "application/atom+xml" not in tag:
                assert not re.match(r"^(https?:)?//", ref.group(1)), f"{page}: {tag}"
    for asset in (site.root / "_site/assets").glob("*.css"):
        assert not re.search(r"url\((['\"]?)(https?:)?//", asset.read_text()), asset
        assert "@import" not in asset.read_text()
