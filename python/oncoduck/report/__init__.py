"""The static HTML cohort report (`oncoduck report`): figures in figures.py, sections and HTML in build.py."""

from .build import build_report

__all__ = ["build_report"]
