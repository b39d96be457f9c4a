"""The execution report: a progress line per post as it finishes, then report.json and a page."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

from coursenotes.execution.outcome import STATUSES


@dataclass
class PostRun:
    """How one post's code came to have its outputs in this build."""

    source: str  # relative to the site root
    url: str
    status: str  # executed / cached / frozen / failed
    seconds: float = 0.0  # spent on this post in this build
    kernel: str = ""
    cache_key: str = ""  # jupyter-cache key (code + options + kernel + environment)
    code_hash: str = ""  # frozen-store key (code + options + kernel)
    executed_seconds: float | None = None  # how long the execution behind these outputs took
    environment: dict = field(default_factory=dict)  # python/torch/fastai versions, device, gateway host
    message: str = ""  # why it failed

    @property
    def ran_on(self) -> str | None:
        """The gateway host the code ran on, `local`, or None when no run is known."""
        return where(self.environment or {})

    def reused(self) -> PostRun:
        """This run as a later build that reuses its outputs reports it: executed outputs are cached by then."""
        return replace(self, status="cached" if self.status == "executed" else self.status, seconds=0.0)

    def as_json(self) -> dict:
        """The post's row in report.json, versions and device flattened."""
        env = self.environment or {}
        row = {k: v for k, v in asdict(self).items() if k != "environment"}
        row.update(
            seconds=round(self.seconds, 2),
            device=env.get("device"),
            gateway=self.ran_on,
            python=env.get("python"),
            torch=env.get("torch"),
            fastai=env.get("fastai"),
        )
        return row


def where(env: dict) -> str | None:
    """Where a post's code ran: a gateway's host (never credentials), `local`, or None when nothing ran."""
    if env.get("gateway"):
        return str(env["gateway"])
    return "local" if env.get("device") else None


def progress_line(run: PostRun) -> str:
    """`executed  posts/a/index.qmd  2.1 s  python3 on cpu`, one line for the terminal."""
    line = f"{run.status:<9} {run.source}"
    if run.status == "executed" or (run.status == "failed" and run.seconds):
        line += f"  {run.seconds:.1f} s"
    device = (run.environment or {}).get("device")
    if run.status == "executed" and device:
        line += f"  {run.kernel} on {device}" + (
            f" at {run.environment['gateway']}" if run.environment.get("gateway") else ""
        )
    return line


class Report:
    """Every executing post's run, announced as it is added."""

    def __init__(self, progress: Callable[[str], None] | None = None):
        self.runs: list[PostRun] = []
        self.progress = progress
        self.notes: list[str] = []  # warnings for the author that are not a post's failure

    def note(self, message: str) -> None:
        """Remember a warning for the end of the build."""
        if message not in self.notes:
            self.notes.append(message)

    def add(self, run: PostRun) -> None:
        """Record a post's run and tell the terminal."""
        self.runs.append(run)
        if self.progress:
            self.progress(progress_line(run))

    def counts(self) -> dict[str, int]:
        """How many posts ended in each status."""
        return {s: n for s in STATUSES if (n := sum(r.status == s for r in self.runs))}

    def summary(self) -> str:
        """`2 executed, 18 cached` (empty when nothing executes)."""
        return ", ".join(f"{n} {s}" for s, n in self.counts().items())

    def rows(self) -> list[PostRun]:
        """Runs in source order."""
        return sorted(self.runs, key=lambda r: r.source)

    def to_json(self) -> bytes:
        """report.json."""
        data = {"counts": self.counts(), "posts": [r.as_json() for r in self.rows()]}
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode()
