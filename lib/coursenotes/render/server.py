"""Long-lived `pandoc lua driver.lua` processes that render many posts each, kept in a pool per pandoc command.

A `pandoc` run spends two thirds of its 0.12 s starting up (GHC runtime, syntax maps, Lua); a
driver pays that once. The pool outlives a build, so the preview server's later builds find warm
drivers; they are closed when the interpreter exits. batch.py decides what a driver may render.
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
DRIVER = HERE / "driver.lua"
CLI_OPTIONS = HERE / "cli_options.lua"  # a filter reporting the options the command line built
CLI_OPTIONS_PREFIX = "coursenotes-cli-options\t"
START_TIMEOUT = 60.0  # seconds for a driver to start and check its options
WARM_WAIT = 0.15  # seconds a lone post waits for a driver being warmed: its command-line run would take 0.11
# Posts a driver renders before it is replaced. pandoc keeps every Lua filter function it is given
# for the life of the process (pandoc-lua-marshal's filter functions are never freed from the
# registry), and with them what they reach: 0.85 MB a post, and each post slower than the last
# (36 ms at first, 52 ms by the 480th). A new driver costs 0.1 s: 1 ms a post at 100.
POSTS_PER_DRIVER = 100


class DriverError(Exception):
    """A driver process died, hung past its time, or answered something that is not an answer."""


class SetupRefusedError(DriverError):
    """A driver could not reproduce the command line's options: every driver for this command would refuse."""


@dataclass(frozen=True)
class Command:
    """What a pandoc command line fixes for every post: the binary and the options cli_options.lua can report."""

    binary: str
    options: tuple[str, ...]  # e.g. -f X -t html5 --mathml --template=T: all but the filters and the post's own


def driver_env() -> dict[str, str]:
    """pandoc's environment for a driver, less LUA_INIT: `pandoc lua` runs it, filters under `pandoc` never do."""
    from coursenotes.render.pandoc import pandoc_env

    env = pandoc_env()
    for name in ("LUA_INIT", "LUA_INIT_5_4"):
        env.pop(name, None)
    return env


def cli_options(command: Command, cwd: Path) -> dict:
    """The reader and writer options `pandoc` builds for the command (a run on no input); ValueError if unreadable."""
    from coursenotes.render.pandoc import pandoc_env

    args = [command.binary, *command.options, f"--lua-filter={CLI_OPTIONS}"]
    proc = subprocess.run(args, input=b"", capture_output=True, cwd=cwd, timeout=START_TIMEOUT, env=pandoc_env())
    for line in proc.stderr.decode(errors="replace").splitlines():
        if line.startswith(CLI_OPTIONS_PREFIX):
            report = json.loads(line.removeprefix(CLI_OPTIONS_PREFIX))
            if isinstance(report, dict):
                return report
    raise ValueError(f"pandoc reported no options (exit {proc.returncode}): {proc.stderr[-300:]!r}")


class Driver:
    """One `pandoc lua driver.lua` process: a job line in, a result line out."""

    def __init__(self, binary: str):
        # The driver's own stderr, in a file that never fills up like a pipe; each post's is in its result.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close(), with the process
        self.proc = subprocess.Popen(
            [binary, "lua", str(DRIVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=driver_env(),
            bufsize=0,
            start_new_session=True,  # its own process group: a kill reaches what its filters started (kill())
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        os.set_blocking(self.stdin, False)  # writes wait in select(), so a hung driver cannot block us
        self.buffer = bytearray()
        self.answered = 0  # posts rendered, for POSTS_PER_DRIVER

    def start(self, setup: dict) -> None:
        """Send the command line's options; DriverError when the driver does not confirm them."""
        answer = self.exchange((json.dumps(setup) + "\n").encode(), time.monotonic() + START_TIMEOUT)
        if answer.get("ready") is not True:
            raise SetupRefusedError(f"driver refused the command line's options: {answer.get('error')}")

    def exchange(self, line: bytes, deadline: float) -> dict:
        """Send one JSON line and read one JSON object back before the deadline."""
        self.send(line, deadline)
        line = self.readline(deadline)
        try:
            answer = json.loads(line)
        except ValueError:
            raise DriverError(f"driver answered garbage: {line[:80]!r}") from None
        if not isinstance(answer, dict):
            raise DriverError(f"driver answered garbage: {line[:80]!r}")
        return answer

    def send(self, data: bytes, deadline: float) -> None:
        """Write all of data, waiting in select() no later than the deadline."""
        view = memoryview(data)
        with selectors.DefaultSelector() as sel:
            sel.register(self.stdin, selectors.EVENT_WRITE)
            while view:
                if not sel.select(max(0.0, deadline - time.monotonic())):
                    if time.monotonic() >= deadline:
                        raise DriverError("driver took no input in time")
                    continue
                try:
                    view = view[os.write(self.stdin, view) :]
                except BlockingIOError:
                    continue
                except OSError as e:  # BrokenPipeError: it died
                    raise DriverError(f"driver is gone ({e})") from None

    def readline(self, deadline: float) -> bytes:
        """The next line of output, without its newline; DriverError on exit or past the deadline."""
        searched = 0
        with selectors.DefaultSelector() as sel:
            sel.register(self.stdout, selectors.EVENT_READ)
            while (end := self.buffer.find(b"\n", searched)) < 0:
                searched = len(self.buffer)  # a long line arrives in many chunks: search only the new ones
                if not sel.select(max(0.0, deadline - time.monotonic())):
                    if time.monotonic() >= deadline:
                        raise DriverError("driver took over its time")
                    continue
                chunk = os.read(self.stdout, 1 << 20)
                if not chunk:
                    raise DriverError(f"driver exited ({self.proc.poll()}): {self.last_words()}")
                self.buffer += chunk
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 1]
        return line

    def last_words(self) -> str:
        """The end of what the driver wrote to its stderr (a Lua error that ended it, say)."""
        try:
            self.log.seek(0)
            return self.log.read()[-500:].decode(errors="replace").strip()
        except (OSError, ValueError):
            return ""

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.proc.poll() is None

    def worn(self) -> bool:
        """Whether it has rendered its share of posts and should give way to a new one."""
        return self.answered >= POSTS_PER_DRIVER

    def close(self, wait: float = 5.0) -> None:
        """End the process: end of input asks it to exit; it is killed if it has not within `wait` seconds."""
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()  # type: ignore[union-attr]
            except OSError:
                pass
        try:
            self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.kill_group()
            self.proc.wait()
        self.log.close()

    def kill_group(self) -> None:
        """SIGKILL to the driver's process group: the driver and whatever its filters started."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass  # already gone

    def kill(self) -> None:
        """End the process and whatever its filters started, now (it hung or answered garbage)."""
        self.kill_group()
        self.close(wait=5.0)


class Pool:
    """Idle drivers for one pandoc command, with its options read from the command line once."""

    def __init__(self, command: Command):
        self.command = command
        self.lock = threading.Lock()
        self.setup_lock = threading.Lock()
        self.idle: list[Driver] = []
        self.live: set[Driver] = set()
        self.setup: dict | None = None
        self.broken: str | None = None  # why this command cannot have drivers (then every post takes the CLI path)
        self.pid = os.getpid()  # a forked child must not use (or close) its parent's drivers
        self.warming = 0  # drivers being started ahead (warmup.py): a lone post waits a moment for one
        self.ready = threading.Condition(self.lock)

    def checkout(self, cwd: Path, start: bool) -> Driver | None:
        """An idle driver, else a new one when `start`; None when there is none to have."""
        with self.lock:
            if not self.idle and not start and self.warming:
                self.ready.wait_for(lambda: self.idle or not self.warming, timeout=WARM_WAIT)
            while self.idle and not self.broken:
                driver = self.idle.pop()
                if driver.alive():
                    return driver
                self.live.discard(driver)
                driver.close(wait=0)
            if self.broken or not start:
                return None
        try:
            driver = Driver(self.command.binary)  # it starts up while the options are read, the first time
        except OSError:
            return None
        with self.lock:
            self.live.add(driver)
        try:
            driver.start(self.options(cwd))
        except SetupRefusedError as e:
            self.broken = str(e)
            self.discard(driver)
            return None
        except (DriverError, OSError, ValueError, subprocess.TimeoutExpired):
            self.discard(driver)  # tried again next build
            return None
        return driver

    def options(self, cwd: Path) -> dict:
        """The command line's options, read once per pool (by one thread while the others wait)."""
        with self.setup_lock:
            if self.setup is None:
                self.setup = cli_options(self.command, cwd)
            user_dir = self.setup.get("user_data_dir")
            if isinstance(user_dir, str) and (Path(user_dir) / "init.lua").exists():
                # `pandoc` runs the user's init.lua before each filter; `pandoc lua` runs pandoc's own
                raise SetupRefusedError(f"{user_dir}/init.lua is run by pandoc's command line only")
            return self.setup

    def checkin(self, driver: Driver) -> None:
        """Keep a driver for the next build, at most one per CPU (a pool is not a process leak)."""
        with self.lock:
            if driver.alive() and not driver.worn() and len(self.idle) < (os.cpu_count() or 2):
                self.idle.append(driver)
                self.ready.notify_all()
                return
            self.live.discard(driver)
        driver.close(wait=1.0)

    def discard(self, driver: Driver) -> None:
        """Kill a driver that failed and forget it."""
        with self.lock:
            self.live.discard(driver)
        driver.kill()

    def shutdown(self) -> None:
        """Close every driver this process started."""
        with self.lock:
            drivers, self.live, self.idle = list(self.live), set(), []
        if os.getpid() == self.pid:
            for driver in drivers:
                driver.close(wait=2.0)


POOLS: dict[Command, Pool] = {}
POOLS_LOCK = threading.Lock()


def pool_for(command: Command) -> Pool:
    """The process's pool for a pandoc command (a new one in a forked child)."""
    with POOLS_LOCK:
        pool = POOLS.get(command)
        if pool is None or pool.pid != os.getpid():
            pool = POOLS[command] = Pool(command)
        return pool


def live_pids() -> list[int]:
    """Process ids of the drivers this process has running (for tests)."""
    with POOLS_LOCK:
        return [d.proc.pid for pool in POOLS.values() for d in list(pool.live) if d.alive()]


@atexit.register
def shutdown() -> None:
    """Close every pool: no driver outlives the interpreter."""
    with POOLS_LOCK:
        pools = list(POOLS.values())
        POOLS.clear()
    for pool in pools:
        pool.shutdown()
