"""The cohort report (`oncoduck report`): sections read from the marts and stats in build.py, plotly figure specs
in figures.py, the self-contained HTML page in page.py."""

from .build import build_report

__all__ = ["build_report"]
