"""The report page: one HTML file with its CSS, script and plotly.js inlined, so it opens offline.

Each figure is a plotly spec in a ``<script type="application/json">`` block beside an empty ``div.figure``;
the page's script draws the figures of the part on screen (the cohort part, then the comparison the selector
shows), so a page with many comparisons opens fast. Every figure exports to PNG (plotly's camera button) and
to SVG (the disk button). Tables sort on a click on their header and filter on the text typed above them.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timezone
from importlib import resources
from typing import TYPE_CHECKING

from . import figures

if TYPE_CHECKING:  # the sections are built in build.py, which imports this module
    from .build import Section, View

CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em auto;max-width:1150px;color:#222;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
h3{margin-top:1.6em}
.meta,.small{color:#666;font-size:.85em} .missing{background:#fff8e1;border-left:4px solid #f9a825;padding:.6em 1em}
figure{margin:1em 0;min-width:0} .columns-2{display:grid;grid-template-columns:1fr 1fr;column-gap:1.5em} div.figure{width:100%;min-height:120px} figcaption{color:#555;font-size:.85em}
table.data{border-collapse:collapse;font-size:.8em;margin:.5em 0} table.data th,table.data td{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}
table.data th{background:#f5f5f5;cursor:pointer;user-select:none} table.data th[aria-sort=ascending]::after{content:" \\25B2"}
table.data th[aria-sort=descending]::after{content:" \\25BC"} input.filter{font-size:.8em;margin-top:.6em;width:18em}
nav a{margin-right:1em} .selector{position:sticky;top:0;background:#fff;padding:.6em 0;border-bottom:1px solid #ddd;z-index:10}
.selector select{font-size:1em;max-width:100%}
"""

SCRIPT = r"""
(function () {
  "use strict";
  function config(name) {
    return {displaylogo: false, responsive: true,
            toImageButtonOptions: {format: "png", scale: 2, filename: name},
            modeBarButtonsToAdd: [{name: "Download plot as SVG", icon: Plotly.Icons.disk,
                                   click: function (gd) { Plotly.downloadImage(gd, {format: "svg", filename: name}); }}]};
  }
  function draw(root) {
    root.querySelectorAll("div.figure:not([data-drawn])").forEach(function (div) {
      var spec = JSON.parse(document.getElementById(div.dataset.spec).textContent);
      Plotly.newPlot(div, spec.data, spec.layout, config(div.id));
      div.dataset.drawn = "1";
    });
  }
  var select = document.getElementById("comparison-select");
  function show(key) {
    document.querySelectorAll("div.view").forEach(function (view) {
      view.hidden = view.dataset.view !== key;
      if (!view.hidden) { draw(view); }
    });
    if (select) { select.value = key; }
  }
  window.oncoduckShow = show;
  window.oncoduckViews = function () {
    return Array.prototype.map.call(document.querySelectorAll("div.view"), function (v) { return v.dataset.view; });
  };
  draw(document.getElementById("cohort"));
  if (select) {
    select.addEventListener("change", function () { show(select.value); });
    show(select.value);
  }
  document.querySelectorAll("table.data").forEach(function (table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var filter = document.createElement("input");
    filter.type = "search"; filter.className = "filter"; filter.placeholder = "filter rows";
    table.parentNode.insertBefore(filter, table);
    filter.addEventListener("input", function () {
      var needle = filter.value.toLowerCase();
      Array.prototype.forEach.call(body.rows, function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) < 0;
      });
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        function value(row) {
          var text = row.cells[column].textContent.trim(), number = parseFloat(text);
          return text !== "" && !isNaN(number) && isFinite(text) ? number : text.toLowerCase();
        }
        rows.sort(function (a, b) {
          var x = value(a), y = value(b);
          if (typeof x !== typeof y) { return typeof x === "number" ? -1 : 1; }
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
"""


def slug(text: str) -> str:
    """An id-safe, file-name-safe form of ``text``."""
    return re.sub(r"[^A-Za-z0-9]+", "_", str(text)).strip("_") or "x"


def plotly_js() -> str:
    return (resources.files("plotly") / "package_data" / "plotly.min.js").read_text(encoding="utf-8")


def _json(spec: dict) -> str:
    # inside <script>, "</" would end the block
    return json.dumps(figures.clean(spec), allow_nan=False, separators=(",", ":")).replace("</", "<\\/")


def _section(s: "Section", heading: str = "h2") -> list[str]:
    parts = [f"<section id='{s.key}'><{heading}>{html.escape(s.title)}</{heading}>"]
    if s.missing:
        parts.append(f"<p class='missing'>Not shown: {html.escape(s.missing)}.</p>")
    if s.intro:
        parts.append(f"<p>{html.escape(s.intro)}</p>")
    if s.figures:
        parts.append(f"<div class='figures columns-{s.columns}'>")
    for f in s.figures:
        parts.append(f"<figure><div class='figure' id='fig-{f.key}' data-spec='spec-{f.key}' "
                     f"aria-label='{html.escape(f.caption)}'></div>"
                     f"<script type='application/json' id='spec-{f.key}'>{_json(f.spec)}</script>"
                     f"<figcaption>{html.escape(f.caption)}</figcaption></figure>")
    if s.figures:
        parts.append("</div>")
    parts.extend(f"<p class='small'>{html.escape(n)}</p>" for n in s.notes)
    parts.extend(s.tables)
    parts.append("</section>")
    return parts


def render(cohort: list["Section"], views: list["View"], first: str | None, source_label: str,
           publication: dict | None) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    pub_txt = (f" &middot; publication {html.escape(str(publication.get('publication_id')))}"
               + (" (pseudonymized)" if publication.get("pseudonymized") else "")) if publication else ""
    first = first or (views[0].key if views else None)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>oncoduck cohort report</title>",
        f"<style>{CSS}</style><script>{plotly_js()}</script></head><body>",
        "<h1>oncoduck cohort report</h1>",
        f"<p class='meta'>Generated {now} from the {html.escape(source_label)}{pub_txt}. Figures: hover for "
        "details; the camera button saves a PNG, the disk button an SVG.</p>",
        "<noscript><p class='missing'>The figures need JavaScript; the tables below are complete without it.</p>"
        "</noscript>",
        "<nav>" + "".join(f"<a href='#{s.key}'>{html.escape(s.title)}</a>" for s in cohort)
        + ("<a href='#comparisons'>Comparisons</a>" if views else "") + "</nav>",
        "<div id='cohort'>",
    ]
    for s in cohort:
        parts.extend(_section(s))
    parts.append("</div><div id='comparisons'>")
    if views:
        options = "".join(f"<option value='{v.key}'{' selected' if v.key == first else ''}>{html.escape(v.label)}"
                          "</option>" for v in views)
        parts.append(f"<div class='selector'><label for='comparison-select'><b>Comparison</b> </label>"
                     f"<select id='comparison-select'>{options}</select></div>")
        for v in views:
            parts.append(f"<div class='view' data-view='{v.key}'><h2 class='view-title'>{html.escape(v.label)}</h2>")
            for s in v.sections:
                parts.extend(_section(s, "h3"))
            parts.append("</div>")
    else:
        parts.append("<p class='missing'>Not shown: no declared comparison with members "
                     "(marts.fct_comparison_member): declare comparisons in the study's analysis file.</p>")
    parts.append(f"</div><script>{SCRIPT}</script></body></html>")
    return "\n".join(parts)
