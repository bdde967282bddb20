"""
A coastline: ``nan="propagate"`` against ``nan="split"``
========================================================

A sea-surface field on a regular grid, with NaN over land (four islands and
coasts, 30% of the grid). numpy's stencils spread each NaN over their width:
the zonal gradient loses a band of ocean points along every coast, one point
wide at accuracy 2 and four at ``accuracy=8``. With ``nan="split"`` each run of
ocean points along the axis is differentiated as its own array, with one-sided
ends at the coast: every ocean point keeps a value (where a run is long enough
for the stencil), bit for bit what a loop over the runs would give, in compiled
code.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradient_ext import gradient

n = 240
y, x = np.mgrid[0:n, 0:n] / n
sst = 20 + 6 * np.sin(2 * np.pi * x) * np.cos(3 * np.pi * y) + 2 * y
blobs = sum(np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r))
            for cx, cy, r in [(0.3, 0.3, 0.18), (0.7, 0.6, 0.22), (0.2, 0.8, 0.12),
                              (0.8, 0.15, 0.1)])
land = blobs > np.quantile(blobs, 0.7)
sst[land] = np.nan

h = 1.0 / n
kw = {"axis": 1, "accuracy": 8}
propagate = gradient(sst, h, **kw)
split = gradient(sst, h, nan="split", **kw)
lost = np.isnan(propagate) & ~land
print(f"ocean points without a value: propagate {lost.sum()}, "
      f"split {(np.isnan(split) & ~land).sum()}")

fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), layout="constrained")
axes[0].imshow(sst, origin="lower", cmap="coolwarm")
axes[0].set_title("field, NaN over land")
limit = np.nanpercentile(np.abs(split), 99)
for ax, g, title in ((axes[1], propagate, 'nan="propagate" (numpy)'),
                     (axes[2], split, 'nan="split"')):
    im = ax.imshow(g, origin="lower", cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(f"d/dx at accuracy=8, {title}")
axes[1].contour(lost, levels=[0.5], colors="k", linewidths=0.6)
fig.colorbar(im, ax=axes[1:], shrink=0.8, label="d/dx")
