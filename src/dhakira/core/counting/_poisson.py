"""Poisson regression by IRLS for many small log-linear models at once.

The same iteration as R's ``glm.fit`` (start at mu = y + 0.1, stop when the relative change in
deviance is under 1e-8), run on a stack of models with numpy, so that the 6,893 hierarchical
models of a 5-list table fit in one pass. Rows can be left out per model (cells that a term
nobody is on forces to zero) and columns pinned at zero (that term's coefficient, which is
minus infinity in the limit).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

__all__ = ["PoissonFits", "fit_poisson"]

TOLERANCE = 1e-8  # R's glm.control(epsilon)
MAX_ITERATIONS = 50  # R stops at 25; boundary fits crawl, so give them a little longer


@dataclass(frozen=True)
class PoissonFits:
    """Fits of a stack of M models on C cells with p columns.

    Attributes:
        coef: (M, p) coefficients; pinned columns are 0.
        mu: (M, C) fitted means; 0 on left-out rows.
        deviance: (M,) Poisson deviance over the kept rows.
        loglik: (M,) Poisson log-likelihood over the kept rows (with the log y! terms, as R's
            ``dpois`` gives it, so AIC matches ``glm``'s).
        converged: (M,) whether the deviance settled within the iteration limit.
    """

    coef: np.ndarray
    mu: np.ndarray
    deviance: np.ndarray
    loglik: np.ndarray
    converged: np.ndarray


def fit_poisson(
    x: np.ndarray, y: np.ndarray, keep: np.ndarray | None = None,
    pinned: np.ndarray | None = None, start: np.ndarray | None = None,
) -> PoissonFits:
    """Fit log-linear Poisson models by iteratively reweighted least squares.

    Args:
        x: (M, C, p) model matrices.
        y: (C,) counts shared by all models, or (M, C) one vector per model.
        keep: (M, C) rows each model uses (default all).
        pinned: (M, p) columns held at 0 (their x columns must be 0 on kept rows).
        start: (M, C) positive starting means (default y + 0.1, as R); a nearby model's fit
            saves iterations in a stepwise search.

    Returns:
        The fits.
    """
    m, c, p = x.shape
    yy = np.broadcast_to(np.asarray(y, dtype=float), (m, c))
    kept = np.ones((m, c), bool) if keep is None else keep
    ridge = np.zeros((m, p)) if pinned is None else pinned.astype(float)
    ridge_diag = ridge[:, :, None] * np.eye(p)
    first = yy + 0.1 if start is None else np.where(start > 1e-3, start, yy + 0.1)
    mu = np.where(kept, first, 0.0)
    eta = np.log(np.where(kept, mu, 1.0))
    dev = _deviance(yy, mu, kept)
    coef = np.zeros((m, p))
    active = np.ones(m, bool)
    failed = np.zeros(m, bool)
    for _ in range(MAX_ITERATIONS):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        xa, wa, ka = x[idx], np.where(kept[idx], mu[idx], 0.0), kept[idx]
        z = np.where(ka, eta[idx] + (yy[idx] - mu[idx]) / np.where(ka, mu[idx], 1.0), 0.0)
        xtw = np.swapaxes(xa, 1, 2) * wa[:, None, :]
        lhs = xtw @ xa + ridge_diag[idx]
        rhs = np.einsum("mpc,mc->mp", xtw, z)
        beta = _solve(lhs, rhs)
        broken = ~np.isfinite(beta).all(axis=1)  # a degenerate system: stop, say so
        if broken.any():
            failed[idx[broken]] = True
            active[idx[broken]] = False
            idx, xa, ka, beta = idx[~broken], xa[~broken], ka[~broken], beta[~broken]
        new_eta = np.einsum("mcp,mp->mc", xa, beta)
        new_mu = np.where(ka, np.exp(np.clip(new_eta, -700.0, 700.0)), 0.0)
        new_dev = _deviance(yy[idx], new_mu, ka)
        done = np.abs(new_dev - dev[idx]) / (np.abs(new_dev) + 0.1) < TOLERANCE
        coef[idx], eta[idx], mu[idx], dev[idx] = beta, new_eta, new_mu, new_dev
        active[idx[done]] = False
    loglik = np.where(kept, special.xlogy(yy, mu) - mu - special.gammaln(yy + 1), 0.0).sum(1)
    return PoissonFits(coef=coef, mu=mu, deviance=dev, loglik=loglik,
                       converged=~active & ~failed)


def _deviance(y: np.ndarray, mu: np.ndarray, kept: np.ndarray) -> np.ndarray:
    safe_mu = np.where(kept & (mu > 0), mu, 1.0)
    terms = special.xlogy(y, np.where(y > 0, y, 1.0) / safe_mu) - (y - mu)
    return 2.0 * np.where(kept, terms, 0.0).sum(axis=-1)


def _solve(lhs: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    ok = np.isfinite(lhs).all(axis=(1, 2)) & np.isfinite(rhs).all(axis=1)
    out = np.full(rhs.shape, np.nan)
    if not ok.any():
        return out
    try:
        out[ok] = np.linalg.solve(lhs[ok], rhs[ok][..., None])[..., 0]
    except np.linalg.LinAlgError:  # one singular model must not sink the stack
        out[ok] = np.stack([np.linalg.lstsq(a, b, rcond=None)[0]
                            for a, b in zip(lhs[ok], rhs[ok], strict=True)])
    return out


def asymptotic_bias(x: np.ndarray, mu: np.ndarray, coef: np.ndarray,
                    pinned: np.ndarray | None = None) -> np.ndarray:
    """The first-order bias of exp(intercept), the estimated number unseen, per model.

    Rcapture's formula (its ``closedp.fitone``): with V the inverse Fisher information,
    xi_i = -x_i' V x_i / 2, psi = -2 X' diag(mu) xi less 1 in the intercept's place, the bias
    is exp(b0) (-V psi)_0 / 2. Rcapture warns when it is over a tenth of the estimate.

    Args:
        x: (M, C, p) model matrices; mu: (M, C) fitted means (0 on left-out rows);
        coef: (M, p) coefficients; pinned: (M, p) columns held at 0.

    Returns:
        (M,) biases (``inf`` where the information cannot be inverted).
    """
    p = x.shape[2]
    ridge = np.zeros(coef.shape) if pinned is None else pinned.astype(float)
    # A model whose fit ran off (an infinite mean) gives NaN on the way: its bias is inf,
    # said by the result, not by a NumPy warning on the command's error output.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        info = (np.swapaxes(x, 1, 2) * mu[:, None, :]) @ x + ridge[:, :, None] * np.eye(p)
        try:
            cov = np.linalg.inv(info)
        except np.linalg.LinAlgError:
            cov = np.linalg.pinv(info)
        xi = -0.5 * np.einsum("mcp,mcp->mc", x @ cov, x)
        psi = -2.0 * np.einsum("mcp,mc->mp", x, mu * xi)
        psi[:, 0] -= 1.0
        first = -np.einsum("mq,mq->m", cov[:, 0, :], psi)
        bias = 0.5 * np.exp(coef[:, 0]) * first
    return np.where(np.isfinite(bias), bias, np.inf)
