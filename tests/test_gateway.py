"""Posts executed through a real Jupyter Kernel Gateway: same outputs as locally, clear one-line failures."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from tests.gateway_process import GatewayProcess, free_port

from coursenotes.build import BuildOptions, build
from coursenotes.cli import main
from coursenotes.errors import ConfigError
from coursenotes.execution.kernels.gateway import Gateway
from coursenotes.settings import GatewaySettings, ToolSettings
from coursenotes.settings import resolve_gateway as resolve

TOKEN = "test-token-3f9a"
# No search index: it is not what these tests compare (and the option lands with the search feature).
NO_SEARCH = {"search": False} if "search" in BuildOptions.__dataclass_fields__ else {}


class KernelGateway(GatewayProcess):
    """`jupyter kernelgateway` on 127.0.0.1 with a token, started in its own process group."""

    NAME = "the kernel gateway"

    def __init__(self, cwd: Path, token: str = TOKEN):
        self.port, self.token, self.cwd = free_port(), token, cwd
        self.url = f"http://127.0.0.1:{self.port}"
        cwd.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "kernel_gateway",
            "--KernelGatewayApp.ip=127.0.0.1",
            f"--KernelGatewayApp.port={self.port}",
            f"--KernelGatewayApp.auth_token={token}",
            "--JupyterWebsocketPersonality.list_kernels=True",
        ]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_GATEWAY", "KG_"))}
        self.start(cmd, cwd, env, cwd / "gateway.log")

    @property
    def settings(self) -> GatewaySettings:
        return GatewaySettings(self.url, self.token)


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    """One gateway for the module, started in an empty folder (not the repository)."""
    gw = KernelGateway(tmp_path_factory.mktemp("kg"))
    yield gw
    gw.stop()


def key_nb(*sources: str):
    """A key notebook: just code cells, as the cache stage makes them."""
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


# --- settings ----------------------------------------------------------------------------------


def test_settings_come_from_cli_then_environment_then_pyproject():
    tool = ToolSettings(gateway_url="http://tool:1", gateway_token="t-tool", gateway_root="/srv/notes")
    env = {"JUPYTER_GATEWAY_URL": "http://env:2/", "JUPYTER_GATEWAY_AUTH_TOKEN": "t-env"}
    assert resolve(None, None, ToolSettings(), {}) is None
    assert resolve(None, None, tool, {}) == GatewaySettings("http://tool:1", "t-tool", "/srv/notes")
    assert resolve(None, None, tool, env) == GatewaySettings("http://env:2", "t-env", "/srv/notes")
    assert resolve("https://cli:3", "t-cli", tool, env) == GatewaySettings("https://cli:3", "t-cli", "/srv/notes")
    with pytest.raises(ConfigError, match="http://host:port"):
        resolve("gpu-box:8888", None, ToolSettings(), {})


def test_working_dir_env_maps_the_post_folder(tmp_path):
    post = tmp_path / "posts" / "a"
    assert Gateway(GatewaySettings("http://x:1"), tmp_path).remote_dirs(post) == {
        "KERNEL_WORKING_DIR": str(post.resolve()),
        "KERNEL_COURSENOTES_POST_DIR": "posts/a",
    }
    assert Gateway(GatewaySettings("http://x:1", root="/srv/notes"), tmp_path).remote_dirs(post) == {
        "KERNEL_WORKING_DIR": "/srv/notes/posts/a",
        "KERNEL_COURSENOTES_POST_DIR": "posts/a",
    }


# --- one notebook on the gateway ---------------------------------------------------------------


def test_notebook_runs_on_the_gateway_like_on_a_local_kernel(kg, tmp_path):
    from coursenotes.execution.kernels import local as executor

    (tmp_path / "data.txt").write_text("42\n")
    nb = key_nb(
        "print(open('data.txt').read().strip())",
        "import os\nos.path.basename(os.getcwd())",
        "from IPython.display import Markdown\nMarkdown('**hi**')",
    )
    local = executor.execute(nb, "python3", tmp_path, 60)
    remote = Gateway(kg.settings, tmp_path).run(nb, "python3", tmp_path, 60)
    assert local.ok and remote.ok, (local.message, remote.message)
    assert remote.nb == local.nb
    assert [c.execution_count for c in remote.nb.cells] == [1, 2, 3]
    assert remote.env == local.env and remote.env["device"] == "cpu"


def test_cell_error_reads_as_locally(kg, tmp_path):
    remote = Gateway(kg.settings, tmp_path).run(key_nb("1", "1/0"), "python3", tmp_path, 60)
    assert not remote.ok and remote.cell == 2
    assert remote.message == "cell 2: ZeroDivisionError: division by zero"


def test_missing_file_explains_the_data_rule(kg, tmp_path):
    settings = GatewaySettings(kg.url, kg.token, root="/nonexistent/checkout", files="shared")
    run = Gateway(settings, tmp_path).run(key_nb("open('data.csv')"), "python3", tmp_path / "posts" / "a", 60)
    assert not run.ok and run.cell == 1
    assert run.message.startswith(
        f"gateway {kg.url}: cell 1: FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'"
    )
    assert "posts/a is not on the gateway host" in run.message and "make the data in code" in run.message
    assert "\n" not in run.message


def test_missing_file_after_sending_says_what_was_sent(kg, tmp_path):
    # The folder is not visible to the kernel (gateway-root points nowhere): its files are sent, data.csv is not one.
    (tmp_path / "posts/a").mkdir(parents=True)
    (tmp_path / "posts/a/other.txt").write_text("x")
    settings = GatewaySettings(kg.url, kg.token, root="/nonexistent/checkout")
    gateway = Gateway(settings, tmp_path)
    run = gateway.run(key_nb("open('data.csv')"), "python3", tmp_path / "posts" / "a", 60)
    base = Path(tempfile.gettempdir()) / f"coursenotes-{gateway.session}"  # the kernels run on this host
    assert base.is_dir()
    gateway.close()
    assert not base.exists()
    assert not run.ok and run.cell == 1
    assert run.message == (
        f"gateway {kg.url}: cell 1: FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'; "
        "the kernel ran in a copy of the post's folder posts/a (1 files sent) and the file is not there: "
        "put it beside the post (not git-ignored), or make the data in code; see docs/gateway.md"
    )


def test_gateway_started_in_a_checkout_finds_the_post_folder(kg, tmp_path):
    # No shared path (gateway-root points nowhere), but the gateway's own folder holds the repository.
    (kg.cwd / "posts/a").mkdir(parents=True, exist_ok=True)
    (kg.cwd / "posts/a/data.txt").write_text("on the gateway host\n")
    settings = GatewaySettings(kg.url, kg.token, root="/nonexistent/checkout")
    run = Gateway(settings, tmp_path).run(
        key_nb("print(open('data.txt').read().strip())"), "python3", tmp_path / "posts/a", 60
    )
    assert run.ok, run.message
    assert run.nb.cells[0].outputs[0]["text"] == "on the gateway host\n"


def test_remote_device_is_reported(kg, tmp_path):
    # The probe runs in the remote kernel: a stand-in torch module says what CUDA would.
    fake = (
        "import sys, types\nt = types.ModuleType('torch')\n"
        "t.cuda = types.SimpleNamespace(is_available=lambda: True, get_device_name=lambda i: 'NVIDIA H100 80GB HBM3')\n"
        "sys.modules['torch'] = t"
    )
    run = Gateway(kg.settings, tmp_path).run(key_nb(fake), "python3", tmp_path, 60)
    assert run.ok and run.env["device"] == "NVIDIA H100 80GB HBM3"


def test_environment_fingerprint_matches_the_local_one(kg, tmp_path):
    from coursenotes.execution.fingerprint import environment

    names = ("nbformat", "no-such-package-xyz")
    assert Gateway(kg.settings, tmp_path).environment("python3", names) == environment("python3", names)


# --- failures: one line naming the gateway, in bounded time -----------------------------------


def timed_run(settings, nb, tmp_path, kernel="python3"):
    start = time.monotonic()
    run = Gateway(settings, tmp_path).run(nb, kernel, tmp_path, 60)
    return run, time.monotonic() - start


def test_stopped_gateway(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    run, seconds = timed_run(GatewaySettings(url, TOKEN), key_nb("1"), tmp_path)
    assert not run.ok and seconds < 5
    assert run.message == f"gateway {url}: not reachable (Connection refused); is the gateway running?"


def test_bad_token(kg, tmp_path):
    run, seconds = timed_run(GatewaySettings(kg.url, "wrong"), key_nb("1"), tmp_path)
    assert not run.ok and seconds < 5
    assert run.message.startswith(f"gateway {kg.url}: the token was refused (HTTP 401 Unauthorized)")


def test_unknown_kernel(kg, tmp_path):
    run, seconds = timed_run(kg.settings, key_nb("1"), tmp_path, kernel="julia-9")
    assert not run.ok and seconds < 5
    assert run.message == f"gateway {kg.url}: has no kernel `julia-9` (it offers: python3)"


def test_kernel_death(kg, tmp_path):
    run, seconds = timed_run(kg.settings, key_nb("1", "import os; os._exit(1)"), tmp_path)
    assert not run.ok and run.cell == 2 and seconds < 20
    assert run.message == f"gateway {kg.url}: cell 2: the kernel died (the gateway restarted it)"


# --- whole builds ------------------------------------------------------------------------------

POST_ONE = """
---
title: "Reads its data"
date: 2024-01-01
tags: [gpu]
---

Data beside the post, read from the post's folder.

```{python}
print(open("data.txt").read().strip())
```

```{python}
from IPython.display import Markdown
Markdown("**bold** output")
```
"""

POST_TWO = """
---
title: "Makes its data"
date: 2024-01-02
---

```{python}
import sys, types
xs = [i * i for i in range(5)]
xs
```

```{python}
#| echo: false
# A stand-in torch: the report's device column comes from the kernel that ran the post.
t = types.ModuleType("torch")
t.cuda = types.SimpleNamespace(is_available=lambda: True, get_device_name=lambda i: "NVIDIA H100 80GB HBM3")
sys.modules["torch"] = t
print(sum(xs))
```
"""


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder but the execution report (it holds timings)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith("execution/")
    }


def gateway_options(gw, **kw) -> BuildOptions:
    return BuildOptions(**NO_SEARCH, gateway_url=gw.url, gateway_token=gw.token, **kw)


def statuses(result) -> dict[str, str]:
    return {r.source: r.status for r in result.report.rows()}


@pytest.fixture
def two_posts(site):
    site.post("2024-01-01-one/index.qmd", POST_ONE)
    (site.root / "posts/2024-01-01-one/data.txt").write_text("from the post folder\n")
    site.post("2024-01-02-two.qmd", POST_TWO)
    return site


def test_gateway_build_equals_local_build(kg, two_posts):
    site = two_posts
    local = build(site.root, BuildOptions(**NO_SEARCH, out=site.root / "local", jobs=1))
    assert local.ok, local.errors
    assert set(statuses(local).values()) == {"executed"}
    assert "from the post folder" in site.read("posts/one/index.html", "local")

    # Same code, same environment: the gateway build finds the local build's cache entries.
    cached = build(site.root, gateway_options(kg, out=site.root / "cached"))
    assert cached.ok, cached.errors
    assert set(statuses(cached).values()) == {"cached"}
    assert [r.cache_key for r in cached.report.rows()] == [r.cache_key for r in local.report.rows()]

    # Executed on the gateway, two at a time: the same site, byte for byte.
    remote = build(site.root, gateway_options(kg, out=site.root / "remote", refresh=(), jobs=2))
    assert remote.ok, remote.errors
    assert set(statuses(remote).values()) == {"executed"}
    assert tree(site.root / "remote") == tree(site.root / "local")
    report = json.loads(site.read("execution/report.json", "remote"))
    assert [(p["source"], p["device"]) for p in report["posts"]] == [
        ("posts/2024-01-01-one/index.qmd", "cpu"),
        ("posts/2024-01-02-two.qmd", "NVIDIA H100 80GB HBM3"),
    ]
    assert "NVIDIA H100 80GB HBM3" in site.read("execution/index.html", "remote")


def cli_build(root: Path, *args: str) -> tuple[int, list[str], float]:
    """Run `coursenotes build` as the author would: exit code, the `error:` lines, seconds."""
    import contextlib
    import io

    err = io.StringIO()
    start = time.monotonic()
    with contextlib.chdir(root), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", "--root", str(root), "--out", str(root / "_site"), *args])
    return code, [line for line in err.getvalue().splitlines() if line.startswith("error: ")], time.monotonic() - start


def nothing_cached(root: Path) -> bool:
    from coursenotes.execution.cache import ExecutionCache

    frozen = root / "_frozen"
    return not ExecutionCache(root).db.list_cache_records() and not (frozen.exists() and any(frozen.rglob("*.json")))


def test_stopped_gateway_fails_each_post_in_one_line(two_posts):
    url = f"http://127.0.0.1:{free_port()}"
    code, errors, seconds = cli_build(two_posts.root, "--gateway-url", url, "--gateway-token", TOKEN)
    assert code == 1 and seconds < 15
    why = f"gateway {url}: not reachable (Connection refused); is the gateway running?; or build with --frozen"
    assert errors == [f"error: posts/2024-01-01-one/index.qmd: {why}", f"error: posts/2024-01-02-two.qmd: {why}"]
    assert nothing_cached(two_posts.root) and not (two_posts.root / "_site").exists()


def test_bad_token_and_unknown_kernel_over_the_cli(kg, site, monkeypatch):
    site.post("a.qmd", "---\ntitle: A\njupyter: julia-9\n---\n\n```{python}\n1\n```\n")
    code, errors, _ = cli_build(site.root, "--gateway-url", kg.url, "--gateway-token", kg.token)
    assert code == 1 and errors == [
        f"error: posts/a.qmd:3: gateway {kg.url}: has no kernel `julia-9` (it offers: python3); or build with --frozen"
    ]
    site.post("a.qmd", "---\ntitle: A\n---\n\n```{python}\n1\n```\n")
    monkeypatch.setenv("JUPYTER_GATEWAY_URL", kg.url)
    monkeypatch.setenv("JUPYTER_GATEWAY_AUTH_TOKEN", "wrong")
    code, errors, _ = cli_build(site.root)
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith(f"error: posts/a.qmd: gateway {kg.url}: the token was refused (HTTP 401 Unauthorized)")
    assert nothing_cached(site.root)


@pytest.mark.slow  # its own gateway, killed while a cell sleeps
def test_connection_lost_mid_post(site, tmp_path):
    started = tmp_path / "cell-2-started"  # the gateway runs on this host: the kernel can say when cell 2 runs
    site.post(
        "slow.qmd",
        "---\ntitle: Slow\n---\n\n```{python}\n1\n```\n\n"
        f"```{{python}}\nimport pathlib, time\npathlib.Path({str(started)!r}).touch()\ntime.sleep(60)\n```\n",
    )
    gw = KernelGateway(tmp_path / "kg")
    try:
        result = {}
        worker = threading.Thread(
            target=lambda: result.update(out=cli_build(site.root, "--gateway-url", gw.url, "--gateway-token", gw.token))
        )
        worker.start()
        end = time.monotonic() + 60
        while not started.exists() and time.monotonic() < end:
            time.sleep(0.1)
        time.sleep(0.5)
        gw.stop(signal.SIGKILL)  # the gateway host goes away mid-cell
        killed = time.monotonic()
        worker.join(30)
        assert not worker.is_alive() and time.monotonic() - killed < 10  # no hang: not the cell's 60 s
        code, errors, _ = result["out"]
        assert code == 1 and errors == [
            f"error: posts/slow.qmd:9: gateway {gw.url}: cell 2: the connection to the gateway was lost"
        ]
        assert nothing_cached(site.root)
    finally:
        gw.stop()


# --- several gateways: settings ----------------------------------------------------------------


def write_tool(root: Path, text: str) -> Path:
    """A site folder (a posts/ folder makes it one) whose pyproject.toml has this [tool.coursenotes]."""
    (root / "posts").mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text("[tool.coursenotes]\n" + text)
    return root


def test_named_gateways_are_read_and_checked(tmp_path):
    from coursenotes.settings import load_settings

    root = write_tool(
        tmp_path,
        'gateway = ["gpu", "cpu"]\n\n[tool.coursenotes.gateways.gpu]\nurl = "https://gpu-box:8888/"\n'
        'token-env = "GPU_TOKEN"\nfiles = "send"\nsend-limit-mb = 200\n\n'
        '[tool.coursenotes.gateways.cpu]\nurl = "http://cpu-box:8888"\nroot = "/srv/notes"\nfiles = "shared"\n',
    )
    settings = load_settings(root, environ={"GPU_TOKEN": "t-gpu"})
    gpu, cpu = settings.gateways
    assert settings.site.tool.default_gateway == ("gpu", "cpu") and settings.gateway is None
    assert (gpu.name, gpu.url, gpu.token, gpu.files, gpu.send_limit_mb) == (
        "gpu",
        "https://gpu-box:8888",
        "t-gpu",
        "send",
        200.0,
    )
    assert (cpu.name, cpu.root, cpu.files, cpu.host) == ("cpu", "/srv/notes", "shared", "cpu-box:8888")


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('gateway = "gpu"\n', "`gateway` names `gpu`, which is not defined (known: local)", 2),
        ("[tool.coursenotes.gateways.gpu]\nroot = '/x'\n", "[tool.coursenotes.gateways.gpu] needs a url", 2),
        ("[tool.coursenotes.gateways.gpu]\nurl = 'http://a:1'\nfile = 'send'\n", "unknown setting `file`", 4),
        (
            "[tool.coursenotes.gateways.gpu]\nurl = 'http://a:1'\nfiles = 'rsync'\n",
            "must be one of auto, send, shared",
            4,
        ),
        ("[tool.coursenotes.gateways.gpu]\nurl = 'gpu-box'\n", "gateway URL must look like http://host:port", None),
    ],
)
def test_named_gateway_mistakes_name_the_line(tmp_path, text, message, line):
    from coursenotes.settings import load_settings

    with pytest.raises(ConfigError, match=re.escape(message)) as e:
        load_settings(write_tool(tmp_path, text), environ={})
    assert e.value.line == line


def test_a_post_naming_an_unknown_gateway_fails_at_its_line(site):
    site.post("a.qmd", "---\ntitle: A\ncoursenotes:\n  gateway: gpu\n---\n\n```{python}\n1\n```\n")
    code, errors, _ = cli_build(site.root)
    assert code == 1 and errors == [
        "error: posts/a.qmd:3: `coursenotes: gateway` names `gpu`, which is not defined (known: local); "
        "see [tool.coursenotes.gateways] in docs/gateway.md"
    ]


def test_report_names_the_gateway_host_never_credentials():
    from coursenotes.execution.report import PostRun, progress_line

    url = "https://alice:pa55@gpu-box:8888/eg"
    assert GatewaySettings(url).host == "gpu-box:8888"
    run = PostRun(
        "posts/a.qmd", "/a/", "executed", 2.0, "python3", environment={"device": "cpu", "gateway": "gpu-box:8888"}
    )
    assert run.as_json()["gateway"] == "gpu-box:8888" and run.ran_on == "gpu-box:8888"
    assert progress_line(run) == "executed  posts/a.qmd  2.0 s  python3 on cpu at gpu-box:8888"
    assert PostRun("posts/b.qmd", "/b/", "executed", environment={"device": "cpu"}).ran_on == "local"


@pytest.mark.slow  # its own Jupyter Server
def test_a_plain_jupyter_server_runs_posts_with_their_files_sent(site, tmp_path):
    # A cloud notebook's Jupyter Server offers the same kernels API: the build drives its kernels directly.
    port, token = free_port(), "server-token-9d1e"
    (tmp_path / "server").mkdir()
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False"],
        cwd=tmp_path / "server", stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_GATEWAY")},
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        end = time.monotonic() + 30
        while time.monotonic() < end:
            try:
                urllib.request.urlopen(
                    urllib.request.Request(url + "/api/kernelspecs", headers={"Authorization": f"token {token}"}),
                    timeout=2,
                ).close()
                break
            except OSError:
                time.sleep(0.2)
        site.post(
            "2024-01-01-reads/index.qmd", "---\ntitle: R\n---\n\n```{python}\nprint(open('data.csv').read())\n```\n"
        )
        (site.root / "posts/2024-01-01-reads/data.csv").write_text("a,b\n3,4\n")
        (site.root / "pyproject.toml").write_text(
            f'[tool.coursenotes]\ngateway = "cloud"\n\n[tool.coursenotes.gateways.cloud]\nurl = "{url}"\ntoken = "{token}"\nfiles = "send"\n'
        )
        code, errors, _ = cli_build(site.root)
        assert code == 0 and errors == []
        assert "a,b\n3,4" in site.read("posts/reads/index.html")
        assert json.loads(site.read("execution/report.json"))["posts"][0]["gateway"] == f"127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
        log.close()
