"""Bayesian latent-class capture-recapture (LCMCR type, Manrique-Vallier 2016).

The sampler works on the observed patterns (unique rows with their counts) and the sampled
number of unseen people, so its cost grows with the people seen and the number of lists, never
with the 2^J cells of the full table.

Chains converge in rounds: run, check the rank-normalised split R-hat and bulk ESS (see
:mod:`dhakira.core.counting._diagnostics`), extend, until both are good or the time budget runs out.
Whether a run converged depends only on its draws, so a seeded run that converges is
reproducible; one stopped by the budget depends on the machine's speed, and says so.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from dhakira.core.counting._diagnostics import ESS_LIMIT, RHAT_LIMIT, effective_size, split_rhat
from dhakira.core.counting._gibbs import Chain, Priors
from dhakira.core.counting.errors import EstimateError
from dhakira.core.counting.table import CaptureTable

__all__ = ["BUDGET_SECONDS", "DONE", "MIN_LISTS", "LcmcrFit", "Priors", "Progress", "Status",
           "fit_lcmcr"]

MIN_LISTS = 3  # latent classes are not identified from fewer lists (nor are DGA's models)


class Status(str):
    """A progress status: its English words (what a log keeps), with a ``code`` and ``params``
    for a shell to say it again in the reader's language (the core has no catalogue).

    Codes: ``burn_in``; ``sampling`` (``round``); ``converging`` (``rhat``, ``ess``);
    ``done``; ``stratum`` (``stratum``, its name; ``index`` and ``count``, which of how
    many; ``status``, that stratum's own :class:`Status`).
    """

    code: str
    params: dict[str, Any]

    def __new__(cls, text: str, code: str, **params: Any) -> Status:
        made = super().__new__(cls, text)
        made.code, made.params = code, params
        return made


DONE = Status("done", "done")

Progress = Callable[[float, str], None]
"""A progress callback: an estimate of the fraction done (0 to 1) and a short plain status
(a :class:`Status`)."""

BUDGET_SECONDS = 300.0  # five minutes: R's LCMCR takes about 8.5 on a 20-list table
BLOCK_DRAWS = 50  # kept draws per chain between budget checks and progress reports
# The progress bar's share of what remains that one round (burn-in and sampling, or an
# extension) fills when another round may follow: rounds 1, 2, 3 end at 75 %, 94 %, 98 %.
# The number of rounds is not known ahead, so no fixed split can be right; this one keeps
# the bar moving in every round instead of waiting at one figure.
ROUND_SHARE = 0.75


@dataclass(frozen=True)
class LcmcrFit:
    """Posterior summary of N from the latent-class model.

    Attributes:
        k_star: the truncation level (maximum number of latent classes).
        draws: kept posterior draws of N, shaped (chains, draws per chain).
        median: posterior median of N.
        interval: central 95 % credible interval.
        rhat: rank-normalised split R-hat over the chains.
        ess: bulk effective sample size of the pooled draws.
        sweeps: sweeps per chain after burn-in (before thinning).
        burned: burn-in sweeps per chain actually run (fewer than asked if the budget ran
            out during burn-in).
        rounds: how many times the chains were run and checked.
        converged: R-hat and ESS reached their limits.
        budget_ran_out: the time budget stopped the chains before they converged.
        seconds: how long the fit took.
    """

    k_star: int
    draws: np.ndarray
    median: float
    interval: tuple[float, float]
    rhat: float
    ess: float
    sweeps: int = 0
    burned: int = 0
    rounds: int = 1
    converged: bool = False
    budget_ran_out: bool = False
    seconds: float = 0.0


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
    until_converged: bool = True,
    budget_seconds: float | None = BUDGET_SECONDS,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> LcmcrFit:
    """Sample the posterior of N under a Dirichlet-process mixture of independent-list classes.

    Args:
        table: the capture table.
        seed: seed for the random generator (each chain gets its own spawned stream).
        k_star: truncation level of the stick-breaking prior.
        burn_in: sweeps discarded at the start of each chain.
        iterations: sweeps kept (before thinning) in each chain in the first round.
        thin: keep every ``thin``-th sweep.
        chains: independent chains (R-hat compares their halves; two or more see more).
        priors: hyper-parameters; LCMCR's defaults when None.
        moves: Metropolis jumps per sweep in the number unseen, with the capture and class
            probabilities integrated out (0 gives the plain Gibbs sampler).
        until_converged: extend the chains in rounds until split R-hat <= RHAT_LIMIT and
            bulk ESS >= ESS_LIMIT; False runs exactly ``burn_in + iterations`` sweeps.
        budget_seconds: stop extending (and stop a round early) once this much time has
            passed; None for no limit. The first block of kept draws always runs.
        progress: called now and then with the fraction done (an estimate) and a status.
        clock: seconds from a monotonic clock (injectable for tests).

    Returns:
        The posterior summary and draws.

    Raises:
        EstimateError: for fewer than 3 lists (a latent-class model is not identified from
            two: it would print a number the data cannot support), or settings that cannot
            give a result.
    """
    p = len(table.lists)
    if p < MIN_LISTS:
        raise EstimateError(
            f"a latent-class model (LCMCR) needs at least {MIN_LISTS} lists, not {p}: with "
            "two lists it is not identified, and any number it gave would come from its "
            "priors, not from the data",
            code="too_few_lists", params={"method": "lcmcr", "lists": p})
    if (chains < 1 or k_star < 2 or thin < 1 or iterations < 4 * thin or burn_in < 0
            or moves < 0 or (budget_seconds is not None and not budget_seconds >= 0)):
        raise EstimateError(
            "need chains >= 1, k_star >= 2, thin >= 1, burn_in >= 0, moves >= 0, "
            "budget_seconds >= 0 and iterations >= 4 * thin"
        )
    x, counts = observed_patterns(table)
    streams = np.random.SeedSequence(seed).spawn(chains)
    run = _Run([Chain(x, counts, k_star, priors or Priors(), np.random.default_rng(s), moves)
                for s in streams], thin, budget_seconds, progress, clock)
    run.share = ROUND_SHARE if until_converged else 1.0
    run.plan = iterations  # burn-in is the smaller part of the first round: count both
    run.burn(burn_in)
    target = iterations
    while True:
        run.sample(target)
        draws = np.array(run.kept)
        rhat = split_rhat(draws)  # split halves: defined for one chain too
        ess = effective_size(draws)
        converged = rhat <= RHAT_LIMIT and ess >= ESS_LIMIT
        if converged or not until_converged or run.out_of_time():
            run.cut = run.cut or (until_converged and not converged and run.out_of_time())
            break
        target = run.sweeps + _extension(run.sweeps, ess, thin)
        run.report(Status(f"R-hat {rhat:.3f}, effective sample size {ess:.0f}; running on",
                          "converging", rhat=float(rhat), ess=float(ess)))
    run.report(DONE, done=True)
    low, median, high = np.quantile(draws, [0.025, 0.5, 0.975])
    return LcmcrFit(k_star=k_star, draws=draws, median=float(median),
                    interval=(float(low), float(high)), rhat=rhat, ess=ess, sweeps=run.sweeps,
                    burned=run.burned, rounds=run.rounds, converged=bool(converged),
                    budget_ran_out=not converged and run.cut,
                    seconds=run.elapsed())


def observed_patterns(table: CaptureTable) -> tuple[np.ndarray, np.ndarray]:
    """Return the observed patterns as a 0/1 matrix (patterns x lists) and their counts."""
    patterns = list(table.counts)
    flat = np.frombuffer("".join(patterns).encode("ascii"), dtype=np.uint8) - ord("0")
    x = flat.reshape(len(patterns), len(table.lists)).astype(float)
    return x, np.array(list(table.counts.values()), dtype=np.int64)


def _extension(sweeps: int, ess: float, thin: int) -> int:
    """Sweeps to add: enough for the ESS limit if ESS grows with length, 25 % to 100 % more."""
    factor = min(max(1.2 * ESS_LIMIT / max(ess, 1.0), 1.25), 2.0)
    block = BLOCK_DRAWS * thin
    return max(block, math.ceil(sweeps * (factor - 1) / block) * block)


class _Run:
    """Chains advanced in lockstep blocks, with the budget and progress between blocks."""

    def __init__(self, chains: list[Chain], thin: int, budget: float | None,
                 progress: Progress | None, clock: Callable[[], float]) -> None:
        self.chains, self.thin, self.budget = chains, thin, budget
        self.progress, self.clock, self.start = progress, clock, clock()
        self.kept: list[list[int]] = [[] for _ in chains]
        self.sweeps = self.burned = self.burn_target = self.rounds = 0
        self.shown = 0.0
        # The round's plan: sweeps to sample, and where its share of the bar starts.
        self.plan, self.share, self.base_shown, self.base_done = 0, 1.0, 0.0, 0
        self.cut = False  # the budget stopped burn-in, a round, or the extending

    def elapsed(self) -> float:
        return self.clock() - self.start

    def out_of_time(self) -> bool:
        return self.budget is not None and self.elapsed() >= self.budget

    def burn(self, sweeps: int) -> None:
        self.burn_target = sweeps
        block = BLOCK_DRAWS * self.thin
        while self.burned < sweeps and not self.out_of_time():
            step = min(block, sweeps - self.burned)
            for chain in self.chains:
                for _ in range(step):
                    chain.step()
            self.burned += step
            self.report(Status("burn-in", "burn_in"))
        self.cut = self.burned < sweeps

    def sample(self, target: int) -> None:
        self.rounds += 1
        if self.rounds > 1:  # an extension: its own share of what the bar has left
            self.base_shown, self.base_done = self.shown, self.burned + self.sweeps
        self.plan = target
        block = BLOCK_DRAWS * self.thin
        while self.sweeps < target:
            step = min(block, target - self.sweeps)
            for chain, kept in zip(self.chains, self.kept, strict=True):
                for i in range(step):
                    value = chain.step()
                    if (self.sweeps + i + 1) % self.thin == 0:
                        kept.append(value)
            self.sweeps += step
            self.report(Status(f"sampling, round {self.rounds}", "sampling", round=self.rounds))
            if self.out_of_time() and len(self.kept[0]) >= 4 and self.sweeps < target:
                self.cut = True
                return

    def report(self, status: str, *, done: bool = False) -> None:
        """Tell the progress callback the fraction done: the round's sweeps done over its
        plan (burn-in and the first sampling counted together), within the round's share
        of what was left; never less than the share of the time budget spent; never back."""
        if self.progress is None:
            return
        if done:
            self.shown = 1.0
        else:
            done_now = self.burned + self.sweeps - self.base_done
            planned = self.burn_target + max(self.plan, self.sweeps) - self.base_done
            work = self.base_shown + (1 - self.base_shown) * self.share * done_now / max(planned, 1)
            time_share = self.elapsed() / self.budget if self.budget else 0.0
            self.shown = max(self.shown, min(max(work, time_share), 0.99))
        self.progress(self.shown, status)
