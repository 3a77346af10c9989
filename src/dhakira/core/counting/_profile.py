"""Profile-likelihood interval for N, as in Rcapture's ``closedpCI.t``.

For a candidate number of unseen people n0, the model is refitted to the complete table (the
observed cells plus the all-zero cell holding n0, whose design row is zero but for the
intercept). The multinomial profile log-likelihood is -deviance/2 plus the term
log(N!) - N log N - log(n0!) + n0 log n0 that turns the Poisson into a multinomial likelihood
(Cormack 1992; Rcapture uses Stirling's form of the same term). The 95 % interval is every N
whose profile is within chi2(1, .95)/2 of the top.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats

from dhakira.core.counting._poisson import fit_poisson

_CAP_FACTOR = 1e4  # beyond observed * this the upper bound is reported as infinite


class _Profile:
    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        unseen = np.zeros(x.shape[1])
        unseen[0] = 1.0
        self.x = np.vstack([x, unseen])[None]
        self.y = y
        self.n = float(y.sum())

    def loglik(self, n0: float) -> float:
        fit = fit_poisson(self.x, np.append(self.y, n0))
        total = self.n + n0
        correction = (
            special.xlogy(n0, n0) - special.gammaln(n0 + 1)
            + special.gammaln(total + 1) - total * math.log(total)
        )
        return float(-fit.deviance[0] / 2 + correction)


def profile_interval(
    x: np.ndarray, y: np.ndarray, n0_hat: float, level: float = 0.95
) -> tuple[float, float]:
    """Return the profile-likelihood interval (low, high) for N.

    Args:
        x: model matrix of the observed cells (first column the intercept).
        y: observed counts.
        n0_hat: the point estimate of unseen people.
        level: the confidence level.

    Returns:
        (low, high); high is ``inf`` when the profile does not drop far enough.
    """
    prof = _Profile(x, y)
    n = prof.n
    drop = stats.chi2.ppf(level, 1) / 2
    top = optimize.minimize_scalar(
        lambda v: -prof.loglik(v), bounds=(0.0, max(1.5 * (n + n0_hat) - n, 10.0)),
        method="bounded", options={"xatol": 1e-4},
    )
    n0_top, l_top = float(top.x), -float(top.fun)
    target = l_top - drop

    def gap(v: float) -> float:
        return prof.loglik(v) - target

    low = n if gap(0.0) >= 0 else n + optimize.brentq(gap, 0.0, n0_top, xtol=1e-4)
    hi_end = max(2 * n0_top, 10.0)
    while gap(hi_end) > 0:
        if hi_end > _CAP_FACTOR * n:
            return low, math.inf
        hi_end *= 2
    high = n + optimize.brentq(gap, n0_top, hi_end, xtol=1e-4)
    return float(low), float(high)
