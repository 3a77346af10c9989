"""Bayesian latent-class capture-recapture (LCMCR type, Manrique-Vallier 2016)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dhakira.estimate._design import pattern_matrix
from dhakira.estimate._diagnostics import effective_size, split_rhat
from dhakira.estimate._gibbs import Priors, run_chain
from dhakira.estimate.errors import EstimateError
from dhakira.estimate.table import CaptureTable

__all__ = ["LcmcrFit", "Priors", "fit_lcmcr"]


@dataclass(frozen=True)
class LcmcrFit:
    """Posterior summary of N from the latent-class model.

    Attributes:
        k_star: the truncation level (maximum number of latent classes).
        draws: kept posterior draws of N, shaped (chains, draws per chain).
        median: posterior median of N.
        interval: central 95 % credible interval.
        rhat: split R-hat over the chains.
        ess: effective sample size of the pooled draws.
    """

    k_star: int
    draws: np.ndarray
    median: float
    interval: tuple[float, float]
    rhat: float
    ess: float


def fit_lcmcr(
    table: CaptureTable,
    *,
    seed: int | None = None,
    k_star: int = 10,
    burn_in: int = 2000,
    iterations: int = 10_000,
    thin: int = 10,
    chains: int = 2,
    priors: Priors | None = None,
    moves: int = 5,
) -> LcmcrFit:
    """Sample the posterior of N under a Dirichlet-process mixture of independent-list classes.

    Args:
        table: the capture table.
        seed: seed for the random generator (each chain gets its own spawned stream).
        k_star: truncation level of the stick-breaking prior.
        burn_in: sweeps discarded at the start of each chain.
        iterations: sweeps kept (before thinning) in each chain.
        thin: keep every ``thin``-th sweep.
        chains: independent chains (two or more for R-hat).
        priors: hyper-parameters; LCMCR's defaults when None.
        moves: Metropolis jumps per sweep in the number unseen, with the capture and class
            probabilities integrated out (0 gives the plain Gibbs sampler).

    Returns:
        The posterior summary and draws.

    Raises:
        EstimateError: for settings that cannot give a result.
    """
    if (chains < 1 or k_star < 2 or thin < 1 or iterations < 4 * thin or burn_in < 0
            or moves < 0):
        raise EstimateError(
            "need chains >= 1, k_star >= 2, thin >= 1, burn_in >= 0, moves >= 0 and "
            "iterations >= 4 * thin"
        )
    x, y = pattern_matrix(table)
    streams = np.random.SeedSequence(seed).spawn(chains)
    draws = np.array([
        run_chain(x, y, k_star=k_star, priors=priors or Priors(), burn_in=burn_in,
                  iterations=iterations, thin=thin, rng=np.random.default_rng(s),
                  moves=moves)
        for s in streams
    ])
    low, median, high = np.quantile(draws, [0.025, 0.5, 0.975])
    rhat = split_rhat(draws) if chains > 1 else float("nan")
    return LcmcrFit(k_star=k_star, draws=draws, median=float(median),
                    interval=(float(low), float(high)), rhat=rhat, ess=effective_size(draws))
