"""
Speed against numpy, measured when this page was built
=======================================================

A small live benchmark: the time of ``numpy.gradient`` and of
``gradient_ext.gradient`` on 1-D arrays from 100 to a million elements and on a
2-D array, and, where they are installed, findiff (``accuracy=4``) and
``dask.array.gradient``. Every case is checked first (bit for bit against
numpy, to 1e-9 against findiff). The figure's title says where and when it was
measured: the machine that built these pages, possibly busy with other work, so
the numbers move from build to build. ``python -m gradient_ext bench`` prints
the full tables on your machine; the guide's speed page has a quiet run.
"""

import datetime
import importlib.util
import os
import platform
import timeit

import matplotlib.pyplot as plt
import numpy as np

import gradient_ext
from gradient_ext import gradient


def best_time(call, target=0.01, repeats=5):
    """Best time per call: `repeats` runs of about `target` seconds each."""
    start = timeit.default_timer()
    call()
    once = max(timeit.default_timer() - start, 1e-7)
    number = max(1, int(target / once))
    return min(timeit.repeat(call, repeat=repeats, number=number)) / number


rng = np.random.default_rng(0)
cases = {f"1-D 1e{k}": rng.standard_normal(10 ** k) for k in (2, 3, 4, 5, 6)}
cases["2-D 1000x1000"] = rng.standard_normal((1000, 1000))
rows = []
for name, f in cases.items():
    ours, theirs = gradient(f), np.gradient(f)
    assert all(np.array_equal(a, b) for a, b in zip(np.atleast_1d(ours), np.atleast_1d(theirs)))
    rows.append(("numpy.gradient", name, best_time(lambda: np.gradient(f)),
                 best_time(lambda: gradient(f, workers=1))))

if importlib.util.find_spec("findiff"):
    import findiff
    for k in (4, 6):
        f = rng.standard_normal(10 ** k)
        d = findiff.Diff(0, 1.0, acc=4)
        assert np.allclose(d(f), gradient(f, accuracy=4), rtol=0, atol=1e-9)
        rows.append(("findiff acc=4", f"1-D 1e{k}", best_time(lambda: d(f)),
                     best_time(lambda: gradient(f, accuracy=4, workers=1))))

if importlib.util.find_spec("dask"):
    import dask
    import dask.array as da
    f = da.from_array(rng.standard_normal((2000, 2000)), chunks=(500, 500))
    expected = np.gradient(f.compute())
    assert all(np.array_equal(a, b) for a, b in zip(dask.compute(*gradient(f)), expected))
    with dask.config.set(scheduler="synchronous"):
        rows.append(("dask.array.gradient", "2-D 2000x2000\n500x500 chunks",
                     best_time(lambda: dask.compute(*da.gradient(f)), repeats=3),
                     best_time(lambda: dask.compute(*gradient(f)), repeats=3)))

when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
machine = (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
           f"{load.lstrip(', ')}\nPython {platform.python_version()}, numpy {np.__version__}, "
           f"gradient_ext {gradient_ext.__version__} ({gradient_ext.openmp_info()['kernels']})")

labels = [f"{case.replace(chr(10), ', ')}  vs {ref}" for ref, case, _, _ in rows]
speedup = [t_ref / t_ours for _, _, t_ref, t_ours in rows]
colors = {"numpy.gradient": "C0", "findiff acc=4": "C1", "dask.array.gradient": "C2"}
fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.6), layout="constrained")
bars = ax.barh(range(len(rows)), speedup, color=[colors[r[0]] for r in rows])
ax.bar_label(bars, fmt=" %.1f×", fontsize="small")
ax.axvline(1, color="k", lw=0.8)
ax.set_yticks(range(len(rows)), labels, fontsize="small")
ax.invert_yaxis()
ax.margins(x=0.12)                       # room for the labels
ax.set_xlabel("speedup: their time / gradient_ext's time (gradient_ext on 1 thread)")
ax.set_title(f"Measured while this page was built, {when}\n{machine}", fontsize="small")

# %%
# The times behind the bars (best of a few repeats, gradient_ext on one thread):
print(f"measured {when} on {machine}")
for ref, case, t_ref, t_ours in rows:
    print(f"{case.replace(chr(10), ' '):32s} {ref:20s} {t_ref * 1e6:10.1f} us  "
          f"gradient_ext {t_ours * 1e6:9.1f} us  {t_ref / t_ours:5.1f}x")
