"""What `oncoduck build` shows while it runs: one progress line instead of dbt's line per node.

dbt calls a callback with every event it fires (dbtRunner(callbacks=...)), whatever its console log level, so
the build passes ``--quiet`` (dbt then prints errors only; every line still goes to logs/dbt.log) and this
callback counts the nodes: the highest layer reached (the schema a model writes: reference for the seeds,
landing, staging, intermediate, marts, stats), nodes (models, seeds and data tests) done of the total, failures
so far, seconds elapsed. A build from the compiled project (compiled.py) reports its nodes the same way. On a terminal the line is rewritten in place; in a log or a pipe a line is written
when a higher layer is reached and at most every 10 s otherwise (dbt runs layers side by side: a line per
change of layer made hundreds).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

LAYERS = ("reference", "landing", "staging", "intermediate", "marts", "stats")  # dbt_project.yml +schema, bottom up


class BuildProgress:
    def __init__(self, stream: TextIO | None = None, interval: float = 10.0):
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty()
        self.interval = interval
        self.started = time.monotonic()
        self.total = 0
        self.done = 0
        self.failed = 0
        self.layer = ""
        self._written_at = 0.0
        self._written_layer = ""

    def __call__(self, event) -> None:
        """A dbt event (dbtRunner callback)."""
        name = event.info.name
        if name == "LogStartLine" and not self.total:
            self.start(int(event.data.total))
        elif name == "NodeFinished":
            info = event.data.node_info
            schema = getattr(info.node_relation, "schema", "") if info.resource_type in ("model", "seed") else ""
            self.advance(schema, failed=info.node_status in ("error", "fail", "runtime error"))

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, schema: str, failed: bool = False) -> None:
        """One node done: a model or seed writing ``schema`` (a data test: ''), failed or not."""
        self.done += 1
        self.failed += failed
        if schema in LAYERS and (not self.layer or LAYERS.index(schema) > LAYERS.index(self.layer)):
            self.layer = schema
        self._show()

    def line(self) -> str:
        failed = f", {self.failed} failed" if self.failed else ""
        return (f"oncoduck build: {self.layer or 'starting'}: {self.done}/{self.total or '?'} nodes{failed}, "
                f"{time.monotonic() - self.started:.0f} s")

    def _show(self) -> None:
        now = time.monotonic()
        if self.live:
            self.stream.write("\r" + self.line().ljust(72))
        elif self.layer != self._written_layer or now - self._written_at >= self.interval:
            self.stream.write(self.line() + "\n")
        else:
            return
        self.stream.flush()
        self._written_at, self._written_layer = now, self.layer

    def close(self) -> None:
        """The last count, on its own line."""
        if self.done:
            self.stream.write(("\r" if self.live else "") + self.line().ljust(72 if self.live else 0) + "\n")
            self.stream.flush()
