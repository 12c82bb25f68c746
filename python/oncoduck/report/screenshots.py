"""`make report-screenshots`: a PNG of every section of the report, for review (headless Chromium).

    python -m oncoduck.report.screenshots [--report serving/report/index.html] [--out serving/report/screenshots]

Writes cohort--<section>.png and <comparison>--<section>.png, and fails when the page logs an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .. import publish as pub
from .browser import Page, find_chromium


def capture(report: Path, out: Path) -> list[Path]:
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("no Chromium found: install Debian's chromium (apt-get install chromium)")
    written = []
    with Page(chromium) as page:
        page.open(report.resolve().as_uri())
        for key in page.evaluate("Array.prototype.map.call(document.querySelectorAll('#cohort > section'), "
                                 "function (s) { return s.id; })"):
            written.append(page.screenshot(out / f"cohort--{key}.png", f"#{key}"))
        for view in page.evaluate("oncoduckViews()"):
            page.evaluate(f"oncoduckShow({json.dumps(view)})")
            sections = page.evaluate(f"Array.prototype.map.call(document.querySelectorAll("
                                     f"'div.view[data-view={json.dumps(view)}] > section'), "
                                     "function (s) { return s.id; })")
            for key in sections:
                name = key[: -len(view) - 1] if key.endswith("-" + view) else key
                written.append(page.screenshot(out / f"{view}--{name}.png", f"#{key}"))
        errors = page.errors()
    if errors:
        raise SystemExit("the report logged errors in Chromium:\n" + "\n".join(errors))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = pub.default_serving_dir() / "report" / "index.html"
    parser.add_argument("--report", type=Path, default=default, help=f"the report to capture (default {default})")
    parser.add_argument("--out", type=Path, help="folder for the PNGs (default: screenshots/ beside the report)")
    ns = parser.parse_args(argv)
    if not ns.report.exists():
        print(f"{ns.report}: no report; run `make demo` (or `oncoduck report`) first", file=sys.stderr)
        return 1
    out = ns.out or ns.report.parent / "screenshots"
    written = capture(ns.report, out)
    print(f"oncoduck report-screenshots: {len(written)} PNGs in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
