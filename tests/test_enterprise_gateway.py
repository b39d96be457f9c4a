"""Posts executed through a real Jupyter Enterprise Gateway: same site as locally, files sent, several gateways."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time

import pytest

from coursenotes.build import BuildOptions, build
from enterprise_gateway import EnterpriseGateway, free_port, hiding_unavailable, missing
from test_gateway import NO_SEARCH, POST_ONE, POST_TWO, KernelGateway, cli_build, nothing_cached, statuses, tree

pytestmark = pytest.mark.skipif(bool(missing()), reason=missing() or "")


@pytest.fixture(scope="module")
def eg(tmp_path_factory):
    """One Enterprise Gateway for the module, started in an empty folder."""
    gw = EnterpriseGateway(tmp_path_factory.mktemp("eg"))
    yield gw
    gw.stop()


@pytest.fixture(scope="module")
def blind(tmp_path_factory):
    """An Enterprise Gateway that cannot see the folder its sites live in (a tmpfs over it, in its own mount namespace)."""
    why = hiding_unavailable()
    if why:
        pytest.skip(f"no gateway blind to the site folder: {why}")
    sites = tmp_path_factory.mktemp("unseen")
    gw = EnterpriseGateway(tmp_path_factory.mktemp("blind-eg"), hide=sites)
    gw.sites = sites
    yield gw
    gw.stop()


def host(gw) -> str:
    return gw.url.removeprefix("http://")


def report(site, out: str = "_site") -> dict:
    return json.loads(site.read("execution/report.json", out))


@pytest.mark.slow  # two builds of two posts
def test_build_through_enterprise_gateway_equals_local_build(eg, site):
    site.post("2024-01-01-one/index.qmd", POST_ONE)
    (site.root / "posts/2024-01-01-one/data.txt").write_text("from the post folder\n")
    site.post("2024-01-02-two.qmd", POST_TWO)
    local = build(site.root, BuildOptions(**NO_SEARCH, out=site.root / "local", jobs=1))
    assert local.ok, local.errors
    options = BuildOptions(
        **NO_SEARCH, out=site.root / "remote", refresh=(), jobs=2, gateway_url=eg.url, gateway_token=eg.token
    )
    remote = build(site.root, options)
    assert remote.ok, remote.errors
    assert set(statuses(remote).values()) == {"executed"}
    assert tree(site.root / "remote") == tree(site.root / "local")
    rows = report(site, "remote")["posts"]
    assert [(p["gateway"], p["device"]) for p in rows] == [(host(eg), "cpu"), (host(eg), "NVIDIA H100 80GB HBM3")]
    assert [p["gateway"] for p in report(site, "local")["posts"]] == ["local", "local"]
    page = site.read("execution/index.html", "remote")
    assert f"<td>{host(eg)}</td><td>NVIDIA H100 80GB HBM3</td>" in page and eg.token not in page


SLEEPER = """\
---
title: "Sleeper {n}"
date: 2024-01-0{n}
---

```{{python}}
import os, time
start = time.time()
time.sleep(2)
open({log!r} + "/{n}", "w").write(f"{{os.getpid()}} {{start}} {{time.time()}}")
```
"""


@pytest.mark.slow  # two kernels sleeping side by side; bench/jobs_parallel.py measures the speed-up
def test_jobs_2_runs_two_posts_on_two_remote_kernels_at_once(eg, site, tmp_path):
    log = tmp_path / "ran"
    log.mkdir()
    for n in (1, 2):
        site.post(f"sleeper-{n}.qmd", SLEEPER.format(n=n, log=str(log)))
    code, errors, _ = cli_build(site.root, "--gateway-url", eg.url, "--gateway-token", eg.token, "--jobs", "2")
    assert code == 0 and errors == []
    (pid1, start1, end1), (pid2, start2, end2) = ([float(x) for x in (log / n).read_text().split()] for n in ("1", "2"))
    assert pid1 != pid2  # two kernels
    assert start1 < end2 and start2 < end1  # their cells overlapped
    assert {p["gateway"] for p in report(site)["posts"]} == {host(eg)}


READS_DATA = """\
---
title: "Reads data.csv"
date: 2024-01-01
---

```{{python}}
import os
print(open("data.csv").read().strip())
print(sorted(os.listdir(".")))
print(os.path.exists({posts!r}))
```
"""

READS_SHARED = """\
---
title: "Flat {n}"
date: 2024-01-0{n}
---

```{{python}}
print(open("shared.csv").read().strip(), {n})
```
"""


@pytest.mark.slow  # three posts on a gateway in its own mount namespace
def test_post_reads_its_data_with_the_site_invisible_to_the_gateway(blind, site, monkeypatch):
    from coursenotes.execution.kernels.gateway import executor

    site = type(site)(blind.sites / "site")  # conftest's SiteMaker, in the folder the gateway cannot see
    site.post("2024-01-01-reads/index.qmd", READS_DATA.format(posts=str(site.root / "posts")))
    folder = site.root / "posts/2024-01-01-reads"
    (folder / "data.csv").write_text("x,y\n1,2\n")
    (folder / "weights.bin").write_bytes(b"\0" * 1000)  # git-ignored: never sent
    (folder / "index_files").mkdir()  # an output folder: never sent
    (folder / "index_files/figure.png").write_bytes(b"png")
    (site.root / ".gitignore").write_text("*.bin\n_site/\n")
    subprocess.run(["git", "init", "-q", str(site.root)], check=True)
    for n in (2, 3):  # two flat posts share posts/ and its shared.csv: sent once
        site.post(f"flat-{n}.qmd", READS_SHARED.format(n=n))
    (site.root / "posts/shared.csv").write_text("shared")

    sends = []
    real = executor.send

    async def spy(client, files, session):
        result = await real(client, files, session)
        sends.append((files.digest, result["sent"]))
        return result

    monkeypatch.setattr(executor, "send", spy)
    code, errors, _ = cli_build(site.root, "--gateway-url", blind.url, "--gateway-token", blind.token, "--jobs", "1")
    assert code == 0 and errors == []
    page = site.read("posts/reads/index.html")
    assert "x,y\n1,2" in page
    assert "[&#39;data.csv&#39;, &#39;index.qmd&#39;]" in page  # not the git-ignored file, not the outputs
    assert "\nFalse</code>" in page  # the kernel could not see the site's folder
    assert "shared 2" in site.read("posts/flat-2/index.html") and "shared 3" in site.read("posts/flat-3/index.html")
    assert len(sends) == 3 and len({d for d, _ in sends}) == 2
    assert [sent for _, sent in sends].count(False) == 1  # the second flat post found posts/ already there
    assert blind.leftovers() == []  # nothing stays on the gateway's side
    assert {p["gateway"] for p in report(site)["posts"]} == {host(blind)}


def test_folder_over_the_size_cap_fails_in_one_line(blind, site, monkeypatch):
    site = type(site)(blind.sites / "big")
    site.post("2024-01-01-big/index.qmd", "---\ntitle: Big\n---\n\n```{python}\n1\n```\n")
    (site.root / "posts/2024-01-01-big/huge.npy").write_bytes(b"\1" * 300_000)
    (site.root / "pyproject.toml").write_text(
        f'[tool.coursenotes]\ngateway = "box"\n\n[tool.coursenotes.gateways.box]\nurl = "{blind.url}"\n'
        'token-env = "BOX_TOKEN"\nsend-limit-mb = 0.25\n'
    )
    monkeypatch.setenv("BOX_TOKEN", blind.token)
    code, errors, _ = cli_build(site.root)
    assert code == 1 and errors == [
        f"error: posts/2024-01-01-big/index.qmd: gateway {blind.url}: the post's folder has 0.3 MB to send, "
        "over the 0.25 MB limit (largest: huge.npy, 0.3 MB); git-ignore what the post does not read, make the data "
        'in code, raise send-limit-mb, or share the folder (files = "shared")'
    ]
    assert blind.leftovers() == []


# --- failures: one line naming the gateway (host, never the token) and the post ----------------


def test_wrong_token_and_gateway_down(eg, site):
    site.post("a.qmd", "---\ntitle: A\n---\n\n```{python}\n1\n```\n")
    code, errors, _ = cli_build(site.root, "--gateway-url", eg.url, "--gateway-token", "wrong-secret")
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith(f"error: posts/a.qmd: gateway {eg.url}: the token was refused (HTTP 401 Unauthorized)")
    down = f"http://127.0.0.1:{free_port()}"
    code, errors, seconds = cli_build(site.root, "--gateway-url", down, "--gateway-token", "s3cret")
    assert (
        code == 1
        and seconds < 15
        and errors
        == [
            f"error: posts/a.qmd: gateway {down}: not reachable (Connection refused); is the gateway running?; "
            "or build with --frozen"
        ]
    )
    assert "wrong-secret" not in errors[0] and nothing_cached(site.root)


def test_refused_user_is_named(site, tmp_path, monkeypatch):
    # Enterprise Gateway's default refuses kernels for `root`; the build says who and why, in one line.
    monkeypatch.setenv("KERNEL_USERNAME", "root")
    site.post("a.qmd", "---\ntitle: A\n---\n\n```{python}\n1\n```\n")
    gw = EnterpriseGateway(tmp_path / "eg", unauthorized="root")
    try:
        code, errors, _ = cli_build(site.root, "--gateway-url", gw.url, "--gateway-token", gw.token)
    finally:
        gw.stop()
    assert code == 1 and errors == [
        f"error: posts/a.qmd: gateway {gw.url}: reading the kernel's environment: access is forbidden (HTTP 403 "
        "Forbidden); check the token and the gateway's limits: User 'root' is not authorized to start kernel "
        "'Python 3'. Ensure KERNEL_USERNAME is set to an appropriate value and retry the request.; or build with --frozen"
    ]


@pytest.mark.slow  # its own gateway, killed while a cell sleeps
def test_gateway_lost_mid_cell(site, tmp_path):
    pid_file = tmp_path / "kernel-pid"
    site.post(
        "slow.qmd",
        "---\ntitle: Slow\n---\n\n```{python}\n1\n```\n\n"
        f"```{{python}}\nimport os, pathlib, time\npathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()))\n"
        "time.sleep(60)\n```\n",
    )
    gw = EnterpriseGateway(tmp_path / "eg")
    try:
        result: dict = {}
        args = ("--gateway-url", gw.url, "--gateway-token", gw.token)
        worker = threading.Thread(target=lambda: result.update(out=cli_build(site.root, *args)))
        worker.start()
        end = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < end:
            time.sleep(0.1)
        time.sleep(0.5)
        gw.stop(signal.SIGKILL)  # the gateway goes away mid-cell
        killed = time.monotonic()
        worker.join(30)
        assert not worker.is_alive() and time.monotonic() - killed < 10
        code, errors, _ = result["out"]
        assert code == 1 and errors == [
            f"error: posts/slow.qmd:9: gateway {gw.url}: cell 2: the connection to the gateway was lost"
        ]
    finally:
        gw.stop()
        if pid_file.exists():  # the kernel runs in its own process group: it outlives a killed gateway
            try:
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass


# --- several gateways in one build -------------------------------------------------------------

WHERE = """\
---
title: "Post {n}"
date: 2024-01-0{n}
{extra}---

```{{python}}
import time
time.sleep(1)
{n}
```
"""


@pytest.mark.slow  # a second gateway (a Kernel Gateway) beside the Enterprise Gateway
def test_posts_pick_a_gateway_or_are_spread_over_several(eg, site, tmp_path):
    kg = KernelGateway(tmp_path / "kg")
    try:
        site.post("p1.qmd", WHERE.format(n=1, extra=""))
        site.post("p2.qmd", WHERE.format(n=2, extra=""))
        site.post("p3.qmd", WHERE.format(n=3, extra="coursenotes:\n  gateway: cpu\n"))
        site.post("p4.qmd", WHERE.format(n=4, extra="coursenotes:\n  gateway: local\n"))
        (site.root / "pyproject.toml").write_text(
            '[tool.coursenotes]\ngateway = ["gpu", "cpu"]\n\n'
            f'[tool.coursenotes.gateways.gpu]\nurl = "{eg.url}"\ntoken = "{eg.token}"\n\n'
            f'[tool.coursenotes.gateways.cpu]\nurl = "{kg.url}"\ntoken = "{kg.token}"\n'
        )
        code, errors, _ = cli_build(site.root, "--jobs", "2")
        assert code == 0 and errors == []
        ran = {p["source"]: p["gateway"] for p in report(site)["posts"]}
        assert ran["posts/p3.qmd"] == host(kg) and ran["posts/p4.qmd"] == "local"
        assert {ran["posts/p1.qmd"], ran["posts/p2.qmd"]} == {host(eg), host(kg)}  # side by side: one each
        from jupyter_server.gateway.gateway_client import GatewayClient

        assert not GatewayClient.initialized()  # no process-wide gateway client was ever made
    finally:
        kg.stop()
