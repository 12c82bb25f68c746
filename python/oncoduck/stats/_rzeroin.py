"""Vectorised port of R's ``R_zeroin2`` (src/library/stats/src/zeroin.c), the Brent
root finder behind ``stats::uniroot``.

Many independent root problems are advanced in lock-step; each lane follows
exactly the scalar C algorithm (same branches, same floating-point operations),
so the roots equal R's ``uniroot(...)$root`` -- including its default, coarse
``tol = .Machine$double.eps^0.25`` -- up to last-bit rounding of ``f``.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

DBL_EPSILON = float(np.finfo(float).eps)
R_UNIROOT_TOL = DBL_EPSILON ** 0.25


def zeroin_many(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    lower: np.ndarray,
    upper: np.ndarray,
    f_lower: np.ndarray,
    f_upper: np.ndarray,
    tol: float = R_UNIROOT_TOL,
    maxiter: int = 1000,
) -> np.ndarray:
    """Roots of ``f`` for ``len(lower)`` problems.

    ``f(idx, x)`` must evaluate problem ``idx[j]`` at ``x[j]`` (vectorised).
    Returns R's ``uniroot(...)$root``; lanes that fail to converge in
    ``maxiter`` iterations return the last iterate (R warns in that case).
    """
    a = np.asarray(lower, float).copy()
    b = np.asarray(upper, float).copy()
    fa = np.asarray(f_lower, float).copy()
    fb = np.asarray(f_upper, float).copy()
    c = a.copy()
    fc = fa.copy()
    root = np.full(a.shape, np.nan)
    done = np.zeros(a.shape, bool)
    # roots at end points
    z = fa == 0.0
    root[z] = a[z]
    done |= z
    z = (~done) & (fb == 0.0)
    root[z] = b[z]
    done |= z
    it = maxiter + 1
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while it > 0 and not done.all():
            it -= 1
            act = np.flatnonzero(~done)
            A, B, C = a[act], b[act], c[act]
            FA, FB, FC = fa[act], fb[act], fc[act]
            prev_step = B - A
            sw = np.abs(FC) < np.abs(FB)
            # a = b; b = c; c = a;  fa = fb; fb = fc; fc = fa
            A = np.where(sw, B, A)
            B = np.where(sw, C, B)
            C = np.where(sw, A, C)
            FA = np.where(sw, FB, FA)
            FB = np.where(sw, FC, FB)
            FC = np.where(sw, FA, FC)
            tol_act = 2 * DBL_EPSILON * np.abs(B) + tol / 2
            new_step = (C - B) / 2
            fin = (np.abs(new_step) <= tol_act) | (FB == 0.0)
            # interpolation
            interp = (~fin) & (np.abs(prev_step) >= tol_act) & (np.abs(FA) > np.abs(FB))
            cb = C - B
            lin = A == C
            t1_l = FB / FA
            p_l = cb * t1_l
            q_l = 1.0 - t1_l
            qq = FA / FC
            t1 = FB / FC
            t2 = FB / FA
            p_q = t2 * (cb * qq * (qq - t1) - (B - A) * (t1 - 1.0))
            q_q = (qq - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            p = np.where(lin, p_l, p_q)
            q = np.where(lin, q_l, q_q)
            pos = p > 0
            q = np.where(pos, -q, q)
            p = np.where(pos, p, -p)
            accept = interp & (p < (0.75 * cb * q - np.abs(tol_act * q) / 2)) & (p < np.abs(prev_step * q / 2))
            new_step = np.where(accept, p / q, new_step)
            small = np.abs(new_step) < tol_act
            new_step = np.where(small, np.where(new_step > 0, tol_act, -tol_act), new_step)
            # finished lanes
            fin_idx = act[fin]
            root[fin_idx] = B[fin]
            done[fin_idx] = True
            go = ~fin
            if not go.any():
                break
            gi = act[go]
            A2 = B[go]
            FA2 = FB[go]
            B2 = B[go] + new_step[go]
            FB2 = np.asarray(f(gi, B2), float)
            C2 = C[go]
            FC2 = FC[go]
            same = ((FB2 > 0) & (FC2 > 0)) | ((FB2 < 0) & (FC2 < 0))
            C2 = np.where(same, A2, C2)
            FC2 = np.where(same, FA2, FC2)
            a[gi], b[gi], c[gi] = A2, B2, C2
            fa[gi], fb[gi], fc[gi] = FA2, FB2, FC2
    left = ~done
    root[left] = b[left]
    return root
