"""
Accuracy orders: error against spacing
======================================

A scheme of order ``p`` has an error proportional to ``h**p``: halving the
spacing divides the error by ``2**p``. On a log-log plot of error against ``h``
each order is a straight line of slope ``p``, until rounding takes over (the
error of a difference of nearly equal numbers grows like ``eps / h``).

This example computes the largest error of ``gradient(f, h, accuracy=p)`` for
``f = exp(sin(x))`` on one period, for ``p`` = 2 (numpy's), 4, 6 and 8, with
one-sided ends and with ``boundary="periodic"``, on grids of 8 to 1024 points.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradient_ext import gradient

sizes = 2 ** np.arange(3, 11)
orders = (2, 4, 6, 8)


def max_error(n, accuracy, boundary):
    h = 2 * np.pi / n
    x = np.arange(n) * h
    f = np.exp(np.sin(x))
    exact = np.cos(x) * f
    return np.max(np.abs(gradient(f, h, accuracy=accuracy, boundary=boundary) - exact))


fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True, layout="constrained")
for ax, boundary in zip(axes, ("one-sided", "periodic")):
    hs = 2 * np.pi / sizes
    for p in orders:
        errors = [max_error(n, p, boundary) if n > p else np.nan for n in sizes]
        line, = ax.loglog(hs, errors, "o-", label=f"accuracy={p}")
        # The slope measured on the two coarsest grids where the error is still large.
        ok = np.isfinite(errors) & (np.array(errors) > 1e-11)
        e, hh = np.array(errors)[ok], hs[ok]
        slope = np.log(e[-1] / e[-2]) / np.log(hh[-1] / hh[-2]) if len(e) > 1 else np.nan
        print(f"{boundary:9s} accuracy={p}: measured slope {slope:.2f}")
    ax.loglog(hs, 1e-16 / hs, "k:", lw=1, label="rounding, eps / h")
    ax.set_title(f'boundary="{boundary}"')
    ax.set_xlabel("spacing h")
    ax.grid(True, which="major", alpha=0.3)
axes[0].set_ylabel("largest error of the first derivative")
axes[1].legend(fontsize="small")
fig.suptitle("Error of each accuracy order against h (f = exp(sin x), one period)")

# %%
# With ``accuracy=2`` and one-sided ends the error is first order at the ends
# (numpy's scheme): the left plot's ``accuracy=2`` line has slope 1, while
# ``accuracy > 2`` uses one-sided stencils of the same order at the ends.
# With ``boundary="periodic"`` every point gets the central stencil, so each
# line has its full slope ``p`` until it meets the rounding floor.
