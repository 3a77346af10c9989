"""One chain of the LCMCR Gibbs sampler (Manrique-Vallier 2016), vectorised over cells.

The cells are the observed patterns only: the unseen people's pattern is the all-zero one, whose
probability under a class is a product over the lists, cheap at any number of lists.
People are never handled one by one: each step draws, for every observed pattern, how many of
its people fall in each latent class (one multinomial per cell), then the number of unseen
people and their classes, then the class capture probabilities, the stick-breaking weights and
the Dirichlet-process concentration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dhakira.estimate._collapsed import move_unseen


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
        self.x, self.c = x[keep], counts[keep].astype(np.int64)
        self.n = int(self.c.sum())
        self.k, self.p, self.rng = k_star, priors, rng
        # Start as the independence model: nearly everyone in the first class, whose capture
        # probabilities are the lists' shares of twice the people seen. Starting from random
        # classes lets each list grab "its own" class at once, a low-N trap that chains on
        # sparse tables leave only after 10^4-10^5 sweeps (see docs/estimation.md).
        self.lam = rng.beta(1.0, 1.0, size=(x.shape[1], k_star))
        self.lam[:, 0] = np.clip((self.x.T @ self.c) / (2.0 * self.n), 0.01, 0.99)
        self.alpha = 1.0
        self.log_pi = np.log(np.append(1.0 - 1e-3 * (k_star - 1), np.full(k_star - 1, 1e-3)))
        self.n0 = 0
        self.moves = moves

    def step(self) -> int:
        """Run one sweep and return the current N."""
        rng, lam = self.rng, np.clip(self.lam, 1e-12, 1 - 1e-12)
        log_lam, log_1m = np.log(lam), np.log1p(-lam)
        # Class probabilities of each observed pattern, then class counts per pattern.
        logits = self.x @ log_lam + (1 - self.x) @ log_1m + self.log_pi
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        z = rng.multinomial(self.c, probs)
        # Unseen people: with p(N) proportional to 1/N, N - n ~ NegBin(n, 1 - pi0).
        miss_k = np.exp(self.log_pi + log_1m.sum(axis=0))
        pi0 = float(min(miss_k.sum(), 1 - 1e-12))
        self.n0 = int(rng.negative_binomial(self.n, 1 - pi0))
        z0 = rng.multinomial(self.n0, miss_k / miss_k.sum())
        n_k, hits = z.sum(axis=0), self.x.T @ z
        if self.moves:
            z0 = move_unseen(z0, n_k, n_k - hits, self.alpha, self.p.a_lambda,
                             self.p.b_lambda, moves=self.moves, rng=rng)
            self.n0 = int(z0.sum())
        size = n_k + z0
        self.lam = rng.beta(self.p.a_lambda + hits, self.p.b_lambda + size - hits)
        self._stick(size)
        return self.n + self.n0

    def _stick(self, size: np.ndarray) -> None:
        rng = self.rng
        tail = np.cumsum(size[::-1])[::-1]
        v = rng.beta(1.0 + size[:-1], self.alpha + tail[1:])
        v = np.clip(v, 1e-12, 1 - 1e-12)
        log_1mv = np.log1p(-v)
        self.log_pi = np.append(np.log(v), 0.0) + np.concatenate(([0.0], np.cumsum(log_1mv)))
        rate = self.p.b_alpha - log_1mv.sum()
        self.alpha = float(rng.gamma(self.p.a_alpha + self.k - 1, 1.0 / rate))

