"""Multiple-testing adjustment matching R ``stats::p.adjust``."""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["bh_adjust"]


def bh_adjust(p: npt.ArrayLike) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values, identical to R ``p.adjust(p, method = "BH")``.

    R rules reproduced:

    * ``NA``/``NaN`` entries stay ``NaN`` and are *not* counted in ``n``
      (R subsets to the non-NA values before the lazily evaluated default
      ``n = length(p)`` is forced, so ``n`` = number of non-NA p-values);
    * ``i <- lp:1; o <- order(p, decreasing = TRUE); pmin(1, cummin(n / i * p[o]))[order(o)]``.

    Returns a float array of the input's shape (empty input -> empty output).
    """
    arr = np.asarray(p, dtype=float)
    shape = arr.shape
    flat = arr.ravel()
    out = np.full(flat.shape, np.nan)
    ok = ~np.isnan(flat)
    pv = flat[ok]
    n = pv.size
    if n == 0:
        return out.reshape(shape)
    # R: order(p, decreasing = TRUE) -- stable sort; ties do not change the result.
    o = np.argsort(-pv, kind="stable")
    i = np.arange(n, 0, -1, dtype=float)
    adj = np.minimum.accumulate(n / i * pv[o])
    res = np.empty(n)
    res[o] = np.minimum(1.0, adj)
    out[ok] = res
    return out.reshape(shape)
