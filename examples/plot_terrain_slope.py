"""
A terrain's slope map
=====================

A digital elevation model is a 2-D array of heights on a grid. Its gradient
``(dz/dy, dz/dx)`` gives the slope (the steepness, ``arctan(|grad z|)``) and
the aspect (the direction the slope faces) at every cell, the first layers of
any terrain analysis. Here the terrain is synthetic (a few hills on a 30 m
grid), computed in one call for both axes.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradient_ext import gradient

ny, nx, cell = 300, 400, 30.0                      # 30 m cells: 9 km x 12 km
y, x = np.meshgrid(np.arange(ny) * cell, np.arange(nx) * cell, indexing="ij")
hills = [(3000, 4000, 900, 1500), (6000, 8000, 600, 1200), (7000, 3000, 400, 700),
         (2000, 10000, 500, 2000)]
z = sum(height * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * w ** 2))
        for cy, cx, height, w in hills)
z += 40 * np.sin(x / 700) * np.cos(y / 900)        # rolling ground

dz_dy, dz_dx = gradient(z, cell, cell)             # both axes, one pass over z
slope = np.degrees(np.arctan(np.hypot(dz_dx, dz_dy)))
aspect = np.degrees(np.arctan2(-dz_dx, dz_dy)) % 360

fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
extent = (0, nx * cell / 1000, 0, ny * cell / 1000)
im0 = ax0.imshow(z, origin="lower", extent=extent, cmap="terrain")
ax0.contour(z, levels=12, colors="k", linewidths=0.4, origin="lower", extent=extent)
ax0.set_title("elevation (m)")
fig.colorbar(im0, ax=ax0, shrink=0.8)
im1 = ax1.imshow(slope, origin="lower", extent=extent, cmap="magma")
step = 20
ax1.quiver(x[::step, ::step] / 1000, y[::step, ::step] / 1000,
           -dz_dx[::step, ::step], -dz_dy[::step, ::step], color="w", scale=8)
ax1.set_title("slope (degrees); arrows point downhill")
fig.colorbar(im1, ax=ax1, shrink=0.8)
for ax in (ax0, ax1):
    ax.set_xlabel("km")
    ax.set_ylabel("km")

# %%
# The steepest cell and its aspect:
i = np.unravel_index(np.argmax(slope), slope.shape)
print("steepest: %.1f degrees at (%.1f km, %.1f km), facing %.0f degrees"
      % (slope[i], x[i] / 1000, y[i] / 1000, aspect[i]))
