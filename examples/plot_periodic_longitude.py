"""
Periodic longitudes on a global grid
====================================

On a global latitude/longitude grid the longitude has no ends: 357.5° E is the
neighbour of 0°. ``numpy.gradient`` (and ``DataArray.differentiate``) treat
the first and last longitudes as ends, with first-order one-sided differences
there: a seam of errors along the date line of the grid. ``boundary="periodic"``
wraps the stencil around instead, without copying the field.

The field is a made-up 500 hPa height with a few travelling waves on a 1° grid
held in an ``xarray.DataArray``. ``import gradient_ext.xarray`` registers the
``.gx`` accessor; its ``derivative`` takes the zonal derivative on the named
``longitude`` dimension, reading the coordinate from the object, with
``period=360.0`` degrees. Nothing is periodic unless you say so.
"""

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

import gradient_ext.xarray  # registers the .gx accessor

lat = np.arange(-90, 90.1, 1.0)
lon = np.arange(0, 360, 1.0)
phi, lam = np.deg2rad(lat)[:, None], np.deg2rad(lon)[None, :]
height = 5500 + 300 * np.cos(phi) ** 2 + 80 * np.cos(phi) ** 3 * (
    np.sin(5 * lam + 2 * phi) + 0.5 * np.cos(3 * lam - 1.0))
z = xr.DataArray(height, coords={"latitude": lat, "longitude": lon},
                 dims=("latitude", "longitude"), name="z", attrs={"units": "m"})
exact = 80 * np.cos(phi) ** 3 * (5 * np.cos(5 * lam + 2 * phi)
                                 - 1.5 * np.sin(3 * lam - 1.0)) * np.pi / 180

periodic = z.gx.derivative("longitude", boundary="periodic", period=360.0)
one_sided = z.differentiate("longitude")           # numpy's ends, at 0 and 359 E
periodic4 = z.gx.derivative("longitude", boundary="periodic", period=360.0, accuracy=4)
# The Laplacian on the sphere needs metric terms; on the grid's own coordinates
# (degrees) the accessor sums the second derivatives, periodic in longitude only:
lap = z.gx.laplacian(boundary={"longitude": "periodic"}, period={"longitude": 360.0})

fig = plt.figure(figsize=(10, 7), layout="constrained")
grid = fig.add_gridspec(2, 2)
ax = fig.add_subplot(grid[0, 0])
z.plot(ax=ax, cmap="viridis", cbar_kwargs={"label": "z (m)"})
ax.set_title("height")
ax = fig.add_subplot(grid[0, 1])
periodic.plot(ax=ax, cmap="RdBu_r", cbar_kwargs={"label": "dz/dlon (m per degree)"})
ax.set_title('dz/dlon, boundary="periodic"')
ax = fig.add_subplot(grid[1, :])
for da, label in ((one_sided, "differentiate (one-sided ends)"),
                  (periodic, 'boundary="periodic", accuracy=2'),
                  (periodic4, 'boundary="periodic", accuracy=4')):
    err = np.abs(da - exact).max("latitude")
    ax.semilogy(lon, err, label=label)
ax.set_xlabel("longitude (degrees east)")
ax.set_ylabel("largest error over latitudes")
ax.set_title("error of dz/dlon along the longitudes: the one-sided seam at 0/360")
ax.legend(fontsize="small")

# %%
# The accessor's default is ``differentiate``, bit for bit:
print("z.gx.derivative('longitude') is differentiate:",
      z.gx.derivative("longitude").identical(one_sided))
print("Laplacian (m per square degree): min %.3f, max %.3f" % (lap.min(), lap.max()))

# %%
# The errors at the seam (the first and last longitude) and elsewhere:
for da, label in ((one_sided, "one-sided"), (periodic, "periodic"), (periodic4, "periodic, acc 4")):
    err = np.abs(da - exact)
    print(f"{label:16s} seam {float(err[:, [0, -1]].max()):.2e}   "
          f"interior {float(err[:, 1:-1].max()):.2e}")

# %%
# Periodic with ``accuracy=2`` is exactly numpy.gradient on the field padded by
# one wrapped column, trimmed; the kernels reach across the seam without the copy:
padded = np.pad(z.values, ((0, 0), (1, 1)), mode="wrap")
plon = np.concatenate([[lon[-1] - 360], lon, [lon[0] + 360]])
workaround = np.gradient(padded, plon, axis=1)[:, 1:-1]
print("bit for bit the pad workaround:", np.array_equal(periodic.values, workaround))
