"""Convergence diagnostics: rank-normalised split R-hat and bulk effective sample size.

As defined by Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021), "Rank-normalization,
folding, and localization: an improved R-hat", the definitions ArviZ and Stan use:

* every chain is split in half (the middle draw of an odd chain is dropped);
* the pooled draws are replaced by normal scores of their ranks, (r - 3/8) / (S + 1/4), with
  tied draws sharing their average rank (LCMCR's draws of N are whole numbers and tie often);
* R-hat is the larger of the classic split R-hat of those scores (bulk) and of the scores of
  the folded draws |x - median| (tails);
* bulk ESS is the multi-chain ESS of the rank-normalised split chains, with Geyer's initial
  positive sequence made monotone, and tau never below 1 / log10(S).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri
from scipy.stats import rankdata

RHAT_LIMIT = 1.01  # Vehtari et al. 2021: trust the chains only below this
ESS_LIMIT = 400  # ... and with at least this bulk ESS (100 per split chain of four)


def _split(draws: np.ndarray) -> np.ndarray:
    half = draws.shape[1] // 2
    return np.vstack([draws[:, :half], draws[:, draws.shape[1] - half:]]).astype(float)


def _rank_normal(draws: np.ndarray) -> np.ndarray:
    size = draws.size
    ranks = rankdata(draws, method="average").reshape(draws.shape)
    return np.asarray(ndtri((ranks - 0.375) / (size + 0.25)))


def _classic_rhat(s: np.ndarray) -> float:
    n = s.shape[1]
    within = s.var(axis=1, ddof=1).mean()
    between = n * s.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0 if between == 0 else float("inf")
    return float(np.sqrt((between / within + n - 1) / n))


def split_rhat(draws: np.ndarray) -> float:
    """Return rank-normalised split R-hat for draws shaped (chains, draws); near 1 is good."""
    s = _split(draws)
    if np.ptp(s) == 0:
        return 1.0
    folded = np.abs(s - np.median(s))
    return max(_classic_rhat(_rank_normal(s)), _classic_rhat(_rank_normal(folded)))


def _autocov(x: np.ndarray) -> np.ndarray:
    n = len(x)
    centred = x - x.mean()
    size = 1 << (2 * n - 1).bit_length()
    spec = np.fft.rfft(centred, size)
    return np.fft.irfft(spec * np.conj(spec), size)[:n] / n


def effective_size(draws: np.ndarray) -> float:
    """Return the bulk effective sample size of draws shaped (chains, draws)."""
    s = _split(draws)
    if np.ptp(s) == 0:
        return float(s.size)
    return _ess(_rank_normal(s))


def _ess(s: np.ndarray) -> float:
    m, n = s.shape
    acov = np.array([_autocov(row) for row in s]).mean(axis=0)
    within = acov[0] * n / (n - 1)
    var_plus = within * (n - 1) / n + (s.mean(axis=1).var(ddof=1) if m > 1 else 0.0)
    rho = 1 - (within - acov) / var_plus
    rho[0] = 1.0
    # Geyer: sum pairs rho[2t] + rho[2t+1] while positive, never letting a pair grow.
    pairs = rho[: 2 * (n // 2)].reshape(-1, 2).sum(axis=1)
    stop = np.flatnonzero(pairs <= 0)
    pairs = np.minimum.accumulate(pairs[: stop[0]] if len(stop) else pairs)
    tau = max(2 * pairs.sum() - 1, 1 / np.log10(m * n))
    return float(m * n / tau)
