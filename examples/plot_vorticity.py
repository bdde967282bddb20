"""
Vorticity and divergence of the wind on a global grid
=====================================================

Every atmosphere and ocean pipeline computes the vorticity and the divergence of
the wind at each time step. On a latitude/longitude grid (latitude φ, longitude
λ, on the unit sphere) they are

.. math::

   \\zeta = \\frac{1}{\\cos\\varphi}\\left(\\frac{\\partial v}{\\partial \\lambda}
            - \\frac{\\partial (u\\cos\\varphi)}{\\partial \\varphi}\\right), \\qquad
   \\delta = \\frac{1}{\\cos\\varphi}\\left(\\frac{\\partial u}{\\partial \\lambda}
            + \\frac{\\partial (v\\cos\\varphi)}{\\partial \\varphi}\\right).

The brackets are exactly what ``curl`` and ``divergence`` compute, in one pass
over the fields: with ``F = (u cos φ, v)`` on the frame ``axis=(1, 0)``
(longitude, then latitude), ``curl`` gives ``∂v/∂λ − ∂(u cos φ)/∂φ``, the sign
meteorologists expect; the longitude axis wraps around (``boundary="periodic"``).

Near the poles the division by cos φ magnifies the one-sided stencils' error at
the first and last latitudes; the higher orders keep it small. The wind here comes from the streamfunction ψ = cos²φ sin 2λ (a spherical
harmonic of degree 2), so the exact vorticity is ∇²ψ = −6ψ and the exact
divergence is 0: the figure shows how close each accuracy order comes.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradient_ext import curl, derivative, divergence

lat = np.deg2rad(np.arange(-89.5, 90, 1.0))           # no poles: 1/cos φ
lon = np.deg2rad(np.arange(0, 360, 1.0))
phi, lam = np.meshgrid(lat, lon, indexing="ij")       # arrays are [latitude, longitude]
u = 2 * np.cos(phi) * np.sin(phi) * np.sin(2 * lam)   # u = -dψ/dφ
v = 2 * np.cos(phi) * np.cos(2 * lam)                 # v = (1/cos φ) dψ/dλ
exact = -6 * np.cos(phi) ** 2 * np.sin(2 * lam)

frame = dict(axis=(1, 0), boundary=("periodic", "one-sided"), period=(2 * np.pi, None))
vort = {}
for acc in (2, 4, 8):
    ends = {"edge_order": 2} if acc == 2 else {}      # second-order ends at accuracy 2
    vort[acc] = curl((u * np.cos(phi), v), lon, lat, accuracy=acc, **ends,
                     **frame) / np.cos(phi)
div = divergence((u, v * np.cos(phi)), lon, lat, accuracy=4, **frame) / np.cos(phi)

fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
im = axes[0].pcolormesh(np.rad2deg(lon), np.rad2deg(lat), vort[4], cmap="RdBu_r",
                        shading="auto")
step = (slice(5, None, 12), slice(0, None, 15))
axes[0].quiver(np.rad2deg(lam[step]), np.rad2deg(phi[step]), u[step], v[step], scale=40)
fig.colorbar(im, ax=axes[0], label="relative vorticity")
axes[0].set_title("vorticity (curl, accuracy=4) and the wind")
axes[0].set_xlabel("longitude (degrees east)")
axes[0].set_ylabel("latitude (degrees north)")
for acc, z in vort.items():
    axes[1].semilogy(np.rad2deg(lat), np.abs(z - exact).max(axis=1), label=f"accuracy={acc}")
axes[1].set_xlabel("latitude (degrees north)")
axes[1].set_ylabel("largest error along the latitude circle")
axes[1].set_title("error of the vorticity against -6ψ")
axes[1].legend(fontsize="small")

# %%
# The divergence of this wind is zero; the stencils' error is what is left:
print(f"largest |divergence| (accuracy=4): {np.abs(div).max():.1e}")
for acc, z in vort.items():
    print(f"vorticity, accuracy={acc}: largest error {np.abs(z - exact).max():.1e}")

# %%
# ``curl`` is bit for bit the difference of two ``derivative`` calls, each
# along its own axis with its own spacing and boundary; it computes it without
# the two temporaries:
two_calls = (derivative(v, lon, axis=1, boundary="periodic", period=2 * np.pi)
             - derivative(u * np.cos(phi), lat, axis=0))
print("bit for bit the two derivative calls:",
      np.array_equal(curl((u * np.cos(phi), v), lon, lat, **frame), two_calls))
