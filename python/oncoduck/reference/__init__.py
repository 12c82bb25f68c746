"""Builders of the reference seeds shipped in seeds/reference (run by hand from public source files; the
warehouse build reads only the committed seeds)."""
