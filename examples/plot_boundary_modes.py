"""
Walls without padding: boundary modes
=====================================

A tracer in a closed channel: no flux through the walls at ``x = 0`` and
``x = 1``, sampled at cell centres. Its profile is even about each wall, so the
mirror image beyond the wall is known: ``boundary="symmetric"`` (``np.pad``'s
mode of that name) gives every point, the two next to the walls included, the
interior stencil on the mirrored values. The one-sided ends of numpy's rule
lose the interior's order of accuracy there. No padded copy is made: the
kernels read the mirrored values by index.

The left panel shows the profile and its second derivative (the diffusion
term); the right one the error of each boundary treatment, at ``accuracy=4``.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradient_ext import derivative

n = 40
h = 1.0 / n
x = (np.arange(n) + 0.5) * h                      # cell centres of [0, 1]
c = 1 + 0.5 * np.cos(np.pi * x) + 0.2 * np.cos(3 * np.pi * x)
exact = -0.5 * np.pi ** 2 * np.cos(np.pi * x) - 1.8 * np.pi ** 2 * np.cos(3 * np.pi * x)

one_sided = derivative(c, h, n=2, accuracy=4)
mirrored = derivative(c, h, n=2, accuracy=4, boundary="symmetric")
padded = derivative(np.pad(c, 3, mode="symmetric"), h, n=2, accuracy=4)[3:-3]
assert np.array_equal(mirrored, padded)           # the definition, bit for bit

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
left.plot(x, c, label="c(x)")
left.plot(x, mirrored / 20, label="d2c/dx2 / 20 (symmetric)")
left.axvline(0, color="k", lw=3)
left.axvline(1, color="k", lw=3)
left.set_xlabel("x")
left.set_title("a tracer between two walls")
left.legend()
right.semilogy(x, np.abs(one_sided - exact), "o-", ms=3, label='boundary="one-sided"')
right.semilogy(x, np.abs(mirrored - exact), "s-", ms=3, label='boundary="symmetric"')
right.set_xlabel("x")
right.set_ylabel("|error| of d2c/dx2")
right.set_title("accuracy=4: error at the walls")
right.legend()
print(f"largest error: one-sided {np.abs(one_sided - exact).max():.2e}, "
      f"symmetric {np.abs(mirrored - exact).max():.2e}")
