"""One chain of the LCMCR Gibbs sampler (Manrique-Vallier 2016), vectorised over people.

The cells are the observed patterns only: the unseen people's pattern is the all-zero one, whose
probability under a class is a product over the lists, cheap at any number of lists.
Each step draws every observed person's latent class at once (one uniform each, looked up in
the cumulative class probabilities of their pattern), then the number of unseen people and
their classes, then the class capture probabilities, the stick-breaking weights and the
Dirichlet-process concentration. No Python loop runs over people, patterns or lists: a sweep
is a fixed handful of numpy calls, so its cost is numpy's call overhead plus work linear in
patterns x classes and people.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dhakira.core.counting._collapsed import move_unseen

STICK_FLOOR = float(np.log(1e-12))
ALIKE_FROM = 16  # lists: from here on chains start from alike classes (see Chain._start)


@dataclass(frozen=True)
class Priors:
    """LCMCR priors: alpha ~ Gamma(a_alpha, b_alpha); lambda ~ Beta(a_lambda, b_lambda)."""

    a_alpha: float = 0.25
    b_alpha: float = 0.25
    a_lambda: float = 1.0
    b_lambda: float = 1.0


class Chain:
    """State of one chain; ``step`` advances it one full Gibbs sweep."""

    def __init__(self, x: np.ndarray, counts: np.ndarray, k_star: int, priors: Priors,
                 rng: np.random.Generator, moves: int = 0) -> None:
        keep = counts > 0
        self.x, self.c = np.ascontiguousarray(x[keep], dtype=float), counts[keep].astype(np.int64)
        self.n = int(self.c.sum())
        self.k, self.p, self.rng = k_star, priors, rng
        cells = len(self.c)
        # Each observed person's pattern (row) and, for the class lookup, the row as an offset.
        self.rows = np.repeat(np.arange(cells), self.c).astype(float)
        self.last = np.repeat(np.arange(cells), self.c) * k_star + k_star - 1
        self.grid = np.arange(cells, dtype=float)[:, None]
        self.n0 = 0
        self.moves = moves
        # Gamma shapes: lambda's pairs for each list and class, then the sticks' pairs.
        self._shapes = np.ones((2, x.shape[1] + 1, k_star))
        self._start(rng)

    def _start(self, rng: np.random.Generator) -> None:
        """Set the starting state: one of two, by the number of lists.

        Each start has a trap (docs/estimation.md). From the independence model (nearly
        everyone in one class, the others random) a chain on many lists keeps one class for
        thousands of sweeps: an empty class's capture probabilities come from the prior, and
        at 34 lists a random one fits nobody (N about 1,110 against 1,220 once a second class
        forms). From four alike classes (LCMCR's start) a chain on a few dependent lists
        splits them list by list and explains the seen with few unseen (about 7,000 on the
        UK table, against about 23,000). So up to ALIKE_FROM - 1 lists chains start from
        the independence model, from ALIKE_FROM on from alike classes, which then split along
        the lines the data favour. Capture probabilities start at each list's share of
        ``spread`` times the people seen, ``spread`` drawn per chain between 1 and 4: chains
        start at different N, as R-hat wants.
        """
        k_star, lists = self.k, self.x.shape[1]
        spread = 1.0 + 3.0 * rng.random()
        shares = np.clip((self.x.T @ self.c) / (spread * self.n), 0.01, 0.99)
        if lists < ALIKE_FROM:
            lam = rng.beta(1.0, 1.0, size=(lists, k_star))
            lam[:, 0] = shares
            weights = np.append(1.0 - 1e-3 * (k_star - 1), np.full(k_star - 1, 1e-3))
        else:
            lam = np.repeat(shares[:, None], k_star, axis=1)
            first = min(4, k_star)
            weights = np.full(k_star, 0.1 / max(k_star - first, 1))
            weights[:first] = (0.9 if k_star > first else 1.0) / first
        self.log_lam, self.log_1m = np.log(lam), np.log1p(-lam)
        self.log_pi, self.alpha = np.log(weights), 1.0

    @property
    def lam(self) -> np.ndarray:
        """The class capture probabilities, shaped (lists, classes)."""
        return np.exp(self.log_lam)

    def step(self) -> int:
        """Run one sweep and return the current N."""
        rng = self.rng
        # log P(class k, missed by every list): the unseen pattern, and the base of every row.
        log_miss = self.log_1m.sum(axis=0) + self.log_pi
        z = self.observed_classes(log_miss)
        # Unseen people: with p(N) proportional to 1/N, N - n ~ NegBin(n, 1 - pi0).
        miss_k = np.exp(log_miss)
        pi0 = float(min(miss_k.sum(), 1 - 1e-12))
        self.n0 = int(rng.negative_binomial(self.n, 1 - pi0))
        z0 = rng.multinomial(self.n0, miss_k / miss_k.sum())
        n_k, hits = z.sum(axis=0), self.x.T @ z
        if self.moves:
            z0 = move_unseen(z0, n_k, n_k - hits, self.alpha, self.p.a_lambda,
                             self.p.b_lambda, moves=self.moves, rng=rng)
            self.n0 = int(z0.sum())
        size = n_k + z0
        self._draw_parameters(hits, size)
        return self.n + self.n0

    def observed_classes(self, log_miss: np.ndarray) -> np.ndarray:
        """Draw every observed person's class; return the counts per (pattern, class).

        One uniform per person, looked up in the cumulative class probabilities of their
        pattern, normalised to (0, 1] and shifted by the row number, so that one searchsorted
        finds every person's (row, class) cell at once: the multinomial of each pattern without
        a loop over patterns.
        """
        cum = self.x @ (self.log_lam - self.log_1m) + log_miss
        cum -= cum.max(axis=1, keepdims=True)
        np.exp(cum, out=cum)
        np.cumsum(cum, axis=1, out=cum)
        cum /= cum[:, -1:]
        cum += self.grid
        cell = np.searchsorted(cum.ravel(), self.rows + self.rng.random(self.n), side="right")
        # row + u can round up to row + 1 (u within 2^-40 of 1 at a thousand rows): keep the row.
        np.minimum(cell, self.last, out=cell)
        return np.bincount(cell, minlength=cum.size).reshape(cum.shape)

    def _draw_parameters(self, hits: np.ndarray, size: np.ndarray) -> None:
        """Draw lambda, the stick-breaking weights and alpha given the class counts.

        lambda ~ Beta(a + hits, b + misses) and each stick V_k ~ Beta(1 + N_k, alpha + N_>k),
        all drawn as pairs of gammas in one call and kept in logs, as LCMCR does: log(1 -
        lambda) stays exact near 1. Sticks are kept within [1e-12, 1 - 1e-12], so alpha's
        rate stays finite when the last classes are empty.
        """
        lists, shapes = self.x.shape[1], self._shapes
        shapes[0, :lists] = self.p.a_lambda + hits
        shapes[1, :lists] = self.p.b_lambda + size - hits
        shapes[0, lists, :-1] = 1.0 + size[:-1]
        shapes[1, lists, :-1] = self.alpha + np.cumsum(size[::-1])[-2::-1]
        g = np.log(self.rng.standard_gamma(shapes))
        g -= np.logaddexp(g[0], g[1])
        self.log_lam, self.log_1m = g[0, :lists], g[1, :lists]
        stick = np.maximum(g[:, lists, :-1], STICK_FLOOR)
        log_1mv = np.cumsum(stick[1])
        self.log_pi[:-1] = stick[0]
        self.log_pi[-1] = 0.0
        self.log_pi[1:] += log_1mv
        rate = self.p.b_alpha - log_1mv[-1]
        self.alpha = float(self.rng.gamma(self.p.a_alpha + self.k - 1, 1.0 / rate))
