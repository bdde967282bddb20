"""
The derivative of a noisy signal
================================

Differentiation amplifies noise: a central difference divides the difference
of two noisy samples by ``2h``, so noise of size ``s`` becomes noise of size
about ``s / (h * sqrt(2))`` in the derivative. Smoothing first, or a wider
stencil, trades that noise for bias. This example differentiates a measured
position (a damped oscillation sampled 400 times with noise) into a velocity,
three ways.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradient_ext import gradient

rng = np.random.default_rng(0)
t = np.linspace(0, 10, 400)
h = t[1] - t[0]
position = np.exp(-0.2 * t) * np.sin(2 * t)
velocity = np.exp(-0.2 * t) * (2 * np.cos(2 * t) - 0.2 * np.sin(2 * t))
measured = position + rng.normal(scale=0.002, size=t.size)

raw = gradient(measured, t)
# A moving average over 15 samples before differentiating; it is defined where
# the whole window fits, 7 samples in from each end.
smoothed = np.convolve(measured, np.ones(15) / 15, mode="valid")
ts = t[7:-7]
smooth = gradient(smoothed, ts)

# The same bits as numpy.gradient, on the noisy data:
assert np.array_equal(raw, np.gradient(measured, t))

fig, (ax0, ax1) = plt.subplots(2, 1, figsize=(7, 5.5), sharex=True, layout="constrained")
ax0.plot(t, measured, lw=0.8, label="measured position")
ax0.set_ylabel("position")
ax0.legend(loc="upper right")
ax1.plot(t, raw, lw=0.6, color="0.6", label="gradient of the raw samples")
ax1.plot(ts, smooth, lw=1.2, label="gradient after a 15-sample moving average")
ax1.plot(t, velocity, "k--", lw=1, label="exact velocity")
ax1.set_xlabel("time")
ax1.set_ylabel("velocity")
ax1.legend(loc="upper right", fontsize="small")
fig.suptitle("Noise of 0.002 in the position is about %.2f in its gradient" % (0.002 / h / np.sqrt(2)))

# %%
# The noise the raw gradient picked up, against the estimate above:
print("h = %.4f, noise in the gradient: %.3f (estimate %.3f)"
      % (h, np.std(raw - velocity), 0.002 / (h * np.sqrt(2))))
print("after smoothing: %.3f" % np.std(smooth - velocity[7:-7]))
