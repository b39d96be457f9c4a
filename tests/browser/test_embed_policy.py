"""An imported fastpages blog with a YouTube embed, served under the Content-Security-Policy the build generated.

No network: the frame's request is aborted, which is not a policy violation; a violation is what the page's
`securitypolicyviolation` events report.
"""

from __future__ import annotations

import pytest
from tests.blogtools import BLOGS, empty_site
from tests.browser.conftest import serve, site_headers

from coursenotes.build import BuildOptions, build
from coursenotes.importing import import_blog

pytestmark = pytest.mark.slow

RECORD = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  `${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
"""
EMBED = """---
title: "A lesson video"
date: 2024-05-01
---

The lecture, embedded as the course site does:

<iframe width="560" height="315" src="https://www.youtube.com/embed/XfoYk_Z5AkI" title="Lesson 1" allowfullscreen></iframe>
"""


def test_imported_posts_and_a_youtube_embed_break_no_policy(tmp_path, visit):
    root = empty_site(tmp_path / "site")
    import_blog(BLOGS / "fastpages", root)
    (root / "posts/2024-05-01-video.md").write_text(EMBED)
    result = build(root, BuildOptions(execute=False, search=False))
    assert result.ok, [str(e) for e in result.errors]
    site = root / "_site"
    headers = site_headers(site)
    assert "frame-src https://www.youtube.com;" in headers["Content-Security-Policy"]
    # Chromium upgrades http: requests under upgrade-insecure-requests; Netlify serves https, this test http.
    headers["Content-Security-Policy"] = headers["Content-Security-Policy"].replace("; upgrade-insecure-requests", "")
    pages = ["", "posts/video/", "posts/lesson-one/", "posts/markdown-post/", "tags/", "archive/"]
    with serve(site, headers) as base:
        seen_frame, requests = False, []
        for path in pages:
            v = visit()
            v.page.add_init_script(RECORD)
            response = v.page.goto(base + path)
            assert response.ok and response.headers.get("content-security-policy"), path
            v.page.wait_for_load_state("load")
            v.page.wait_for_timeout(300)
            assert v.page.evaluate("window.__violations") == [], path
            assert not [e for e in v.errors if "Content Security Policy" in e], path
            frames = v.page.locator('iframe[src^="https://www.youtube.com/embed/"]')
            seen_frame |= frames.count() > 0
            requests += v.requests
    assert seen_frame  # the embed is on its page, and the policy let its request go (cut off here: no network)
    assert any(url.startswith("https://www.youtube.com/embed/") for url in requests)
