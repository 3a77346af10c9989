"""The vectorised Gibbs steps draw from the conditionals they claim, checked the slow way."""

import numpy as np
from scipy import stats

from dhakira.core.counting._gibbs import Chain, Priors

X = np.array([[1, 0, 0], [0, 1, 1], [1, 1, 0], [0, 0, 1]], dtype=float)
COUNTS = np.array([3, 1, 5, 2])
LAM = np.array([[0.9, 0.2, 0.5], [0.1, 0.6, 0.5], [0.3, 0.8, 0.05]])  # lists x classes
PI = np.array([0.5, 0.3, 0.2])


def _chain(seed: int) -> Chain:
    chain = Chain(X, COUNTS, 3, Priors(), np.random.default_rng(seed))
    chain.log_lam, chain.log_1m, chain.log_pi = np.log(LAM), np.log1p(-LAM), np.log(PI)
    return chain


def _class_probabilities() -> np.ndarray:
    # One pattern at a time, as the model reads: pi_k * prod_j lambda_jk^x_j (1 - lambda_jk)^(1-x_j).
    probs = np.array([[PI[k] * np.prod([LAM[j, k] if row[j] else 1 - LAM[j, k]
                                        for j in range(3)]) for k in range(3)] for row in X])
    return probs / probs.sum(axis=1, keepdims=True)


def test_every_observed_person_is_classed_by_their_patterns_probabilities():
    chain, draws = _chain(1), 4000
    log_miss = chain.log_1m.sum(axis=0) + chain.log_pi
    total = sum(chain.observed_classes(log_miss) for _ in range(draws))
    assert (total.sum(axis=1) == COUNTS * draws).all()  # every person, once per draw
    expected = _class_probabilities() * (COUNTS * draws)[:, None]
    for row in range(len(X)):
        assert stats.chisquare(total[row], expected[row]).pvalue > 1e-3


def test_a_class_with_no_chance_is_never_drawn():
    chain = _chain(2)
    chain.log_pi = np.log(np.array([0.6, 0.4, 1e-300])) - 700.0  # class 3 underflows to 0
    log_miss = chain.log_1m.sum(axis=0) + chain.log_pi
    assert sum(chain.observed_classes(log_miss) for _ in range(500))[:, 2].sum() == 0


def test_capture_probabilities_and_sticks_follow_their_beta_conditionals():
    chain, hits, size = _chain(3), np.array([[4, 0, 2], [1, 3, 0], [0, 2, 2]]), np.array([6, 4, 3])
    lam, first_stick = [], []
    for _ in range(4000):
        chain.alpha = 0.7
        chain._draw_parameters(hits, size)
        lam.append(np.exp(chain.log_lam))
        first_stick.append(np.exp(chain.log_pi[0]))
    lam_mean = np.mean(lam, axis=0)
    expected = (1 + hits) / (2 + size)  # Beta(1 + hits, 1 + misses)
    assert np.abs(lam_mean - expected).max() < 0.02
    # V_1 ~ Beta(1 + N_1, alpha + N_2 + N_3), and pi_1 = V_1.
    assert stats.kstest(first_stick, stats.beta(1 + 6, 0.7 + 7).cdf).pvalue > 1e-3
