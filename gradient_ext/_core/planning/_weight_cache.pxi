# A small, bounded, thread-safe cache of the uneven weight tables (accuracy > 2
# or derivative n > 1 on uneven coordinates), included by `_schemes.pxi`.
#
# A table depends only on the float64 coordinates it is computed from (the
# wrapped ones of a periodic axis, so the period is part of them), the
# derivative's order, the stencil sizes (from accuracy) and the boundary; its
# computation is deterministic, so a cached table is the very table a fresh
# computation gives: results are the same bits with and without the cache.
# Repeated calls on the same grid (time stepping, xarray's differentiate on a
# fixed coordinate) then skip the weights, which cost ~10 ns a point for the
# first derivative and ~50-200 ns for higher ones.
#
# The key is cheap (the stencil's parameters and three coordinates); a hit is
# confirmed by comparing the whole coordinate array bit for bit (memcmp) with
# the one the table was computed from, far cheaper than hashing it.  Axes
# shorter than WEIGHT_CACHE_MIN_POINTS are not cached: their tables cost less
# than a lookup.
#
# Least recently used tables are dropped beyond WEIGHT_CACHE_ENTRIES tables or
# WEIGHT_CACHE_BYTES bytes; a table larger than the byte bound is not kept.
# Tables are read-only; the kernels read them while the call holds a reference
# (Scheme.keep), so dropping one from the cache never frees it under them.
# `clear_weight_cache()` empties it (gradient_ext.clear_weight_cache).

from collections import OrderedDict
import os
import threading

WEIGHT_CACHE_ENTRIES = 32
WEIGHT_CACHE_MIN_POINTS = 256
WEIGHT_CACHE_BYTES = 128 << 20

cdef object _weight_cache = OrderedDict()
cdef Py_ssize_t _weight_cache_bytes = 0
cdef object _weight_cache_lock = threading.Lock()


def _fresh_cache_lock():
    """A forked child gets a lock of its own: another thread of the parent may have
    held this one at the fork, and would never release it in the child."""
    global _weight_cache_lock
    _weight_cache_lock = threading.Lock()


os.register_at_fork(after_in_child=_fresh_cache_lock)
cdef dict _weight_cache_stats = {"hits": 0, "misses": 0}


cdef tuple weight_key(cnp.ndarray x, tuple stencil):
    """The cache key of the table of contiguous float64 coordinates x (length >= 1)."""
    cdef const double* xp = <const double*>cnp.PyArray_DATA(x)
    cdef Py_ssize_t m = cnp.PyArray_DIMS(x)[0]
    return stencil + (m, xp[0], xp[m // 2], xp[m - 1])


cdef bint same_bits(cnp.ndarray a, cnp.ndarray b) noexcept:
    """Whether two contiguous float64 arrays hold the same bytes."""
    cdef Py_ssize_t size = cnp.PyArray_NBYTES(a)
    return size == cnp.PyArray_NBYTES(b) and memcmp(cnp.PyArray_DATA(a), cnp.PyArray_DATA(b),
                                                    size) == 0


cdef object cached_weights(tuple key, cnp.ndarray x):
    """The cached table for key computed from exactly these coordinates, or None."""
    with _weight_cache_lock:
        entry = _weight_cache.get(key)
        if entry is not None:
            _weight_cache.move_to_end(key)
    if entry is not None and same_bits(<cnp.ndarray>entry[0], x):
        with _weight_cache_lock:
            _weight_cache_stats["hits"] += 1
        return entry[1]
    with _weight_cache_lock:
        _weight_cache_stats["misses"] += 1
    return None


cdef int keep_weights(tuple key, cnp.ndarray x, cnp.ndarray w) except -1:
    """Cache the table w of coordinates x under key, dropping the least recently used
    beyond the bounds."""
    global _weight_cache_bytes
    cdef Py_ssize_t size = w.nbytes + x.nbytes
    if size > WEIGHT_CACHE_BYTES:
        return 0
    x = x.copy()
    x.flags.writeable = False
    w.flags.writeable = False
    with _weight_cache_lock:
        old = _weight_cache.pop(key, None)
        if old is not None:
            _weight_cache_bytes -= old[0].nbytes + old[1].nbytes
        _weight_cache[key] = (x, w)
        _weight_cache_bytes += size
        while (len(_weight_cache) > WEIGHT_CACHE_ENTRIES
               or _weight_cache_bytes > WEIGHT_CACHE_BYTES):
            _, dropped = _weight_cache.popitem(last=False)
            _weight_cache_bytes -= dropped[0].nbytes + dropped[1].nbytes
    return 0


def clear_weight_cache():
    """Empty the cache of uneven weight tables (and reset its counters)."""
    global _weight_cache_bytes
    with _weight_cache_lock:
        _weight_cache.clear()
        _weight_cache_bytes = 0
        _weight_cache_stats["hits"] = 0
        _weight_cache_stats["misses"] = 0


def weight_cache_info():
    """{"entries", "bytes", "hits", "misses", "max_entries", "max_bytes"} of the cache."""
    with _weight_cache_lock:
        return {"entries": len(_weight_cache), "bytes": _weight_cache_bytes,
                "hits": _weight_cache_stats["hits"], "misses": _weight_cache_stats["misses"],
                "max_entries": WEIGHT_CACHE_ENTRIES, "max_bytes": WEIGHT_CACHE_BYTES,
                "min_points": WEIGHT_CACHE_MIN_POINTS}
