"""Convergence diagnostics: split R-hat and effective sample size (Gelman et al., BDA3)."""

from __future__ import annotations

import numpy as np


def _split(draws: np.ndarray) -> np.ndarray:
    half = draws.shape[1] // 2
    return np.vstack([draws[:, :half], draws[:, half:2 * half]]).astype(float)


def split_rhat(draws: np.ndarray) -> float:
    """Return split R-hat for draws shaped (chains, draws); near 1 means the chains agree."""
    s = _split(draws)
    m, n = s.shape
    within = s.var(axis=1, ddof=1).mean()
    between = n * s.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0 if between == 0 else float("inf")
    var_plus = (n - 1) / n * within + between / n
    return float(np.sqrt(var_plus / within))


def _autocov(x: np.ndarray) -> np.ndarray:
    n = len(x)
    centred = x - x.mean()
    size = 1 << (2 * n - 1).bit_length()
    spec = np.fft.rfft(centred, size)
    return np.fft.irfft(spec * np.conj(spec), size)[:n] / n


def effective_size(draws: np.ndarray) -> float:
    """Return the multi-chain effective sample size (Geyer's initial positive sequence)."""
    s = _split(draws)
    m, n = s.shape
    acov = np.array([_autocov(row) for row in s])
    within = acov[:, 0].mean() * n / (n - 1)
    var_plus = within * (n - 1) / n + s.mean(axis=1).var(ddof=1) if m > 1 else within
    if var_plus == 0:
        return float(m * n)
    rho = 1 - (within - acov.mean(axis=0)) / var_plus
    total = 0.0
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        total += pair
    tau = max(2 * total - 1, 1 / np.log10(max(m * n, 10)))
    return float(m * n / tau)
