"""A pandoc driver started while a build reads its sources, so that the first changed post renders in a warm one.

A driver's first post costs what a command-line run does (0.11 s: pandoc evaluates its tables and
the filters' code on first use); later posts cost 0.035 s. Warming one in the background, on the
other core, while Python imports the pipeline and reads the site, makes a prose edit's post one of
those later posts. The preview keeps the driver between builds.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from coursenotes.render.pandoc_meta import PandocMeta

# A throwaway post that reaches the reader, every filter and the writer as a real one does.
WARMUP = """## Notes {#notes}

Some *text* with `code`, a [link](#notes), a footnote[^1] and $x^2$ :smile:.

| a | b |
|---|---|
| 1 | 2 |

```python
print("warm")
```

::: {.callout-note}
A note.
:::

[^1]: The footnote.
"""


def warm(root: Path) -> threading.Thread | None:
    """Start warming a driver for this site's pandoc command in a background thread (POSIX only)."""
    if os.name != "posix":
        return None
    thread = threading.Thread(target=warm_now, args=(Path(root),), name="pandoc-warmup", daemon=True)
    thread.start()
    return thread


def warm_now(root: Path) -> None:
    """Render the throwaway post in a new driver and leave it idle, unless one already is."""
    from coursenotes.render import pandoc
    from coursenotes.render.batch import TIMEOUT, job_line, plan
    from coursenotes.render.server import pool_for

    try:
        the_plan = plan(pandoc.pandoc_args(root))
        if the_plan is None:
            return
        pool = pool_for(the_plan.command)
        with pool.lock:
            if pool.idle or pool.broken:
                return
            pool.warming += 1
        try:
            driver = pool.checkout(root, start=True)
            line = job_line(the_plan, -1, WARMUP, root, PandocMeta())
            if driver is not None and line is not None:
                try:
                    answer = driver.exchange(line, time.monotonic() + TIMEOUT)
                except Exception:  # died or hung: it is not kept
                    answer = {}
                driver.answered += 1
                (pool.checkin if "html" in answer else pool.discard)(driver)
        finally:
            with pool.lock:
                pool.warming -= 1
                pool.ready.notify_all()
    except Exception:  # a warm-up only saves time: any failure leaves the command line to do it
        return
