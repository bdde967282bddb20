# OpenMP shims, fork safety and the default thread count.


gx_watch_fork()        # from import on, a forked child knows it is one


cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    #define GX_HAVE_OPENMP 1
    static int gx_omp_max_threads(void) { return omp_get_max_threads(); }
    #else
    #define GX_HAVE_OPENMP 0
    static int gx_omp_max_threads(void) { return 1; }
    #endif

    /* GNU OpenMP's thread pool does not survive fork(): a forked child that
       enters a parallel region waits forever for threads that exist only in
       the parent.  Whoever started that pool (we, or any other library on the
       same runtime), a forked child runs every call serially until it execs;
       the results are the same bits.  Spawned processes start fresh. */
    #if defined(_OPENMP) && !defined(_WIN32)
    #include <pthread.h>
    static volatile int gx_forked = 0;
    static void gx_mark_forked_child(void) { gx_forked = 1; }
    static void gx_watch_fork(void) { pthread_atfork(NULL, NULL, gx_mark_forked_child); }
    #else
    static const int gx_forked = 0;
    static void gx_watch_fork(void) { }
    #endif
    static int gx_in_forked_child(void) { return gx_forked; }
    """
    int GX_HAVE_OPENMP
    int gx_omp_max_threads() nogil
    void gx_watch_fork() noexcept
    int gx_in_forked_child() noexcept nogil

cdef enum:
    # Below this much work (in units of one float64 central difference: about
    # 8 MB of plain output) a call stays on one thread: waking a team, and the
    # risk of waiting for a thread the OS has not scheduled yet, cost more than
    # the arithmetic saves.  _tiling.work_of() weighs each axis by its cost.
    PARALLEL_MIN_WORK = 1 << 20
    # Explicit worker counts above this are clamped to it.
    MAX_WORKERS = 1024

cdef Py_ssize_t _usable_cpus = 1

def set_usable_cpus(int n):
    """Record how many CPUs this process may use (the wrapper measures it)."""
    global _usable_cpus
    _usable_cpus = max(1, n)


def openmp_enabled():
    """Whether the kernels were compiled with OpenMP."""
    return bool(GX_HAVE_OPENMP)


cdef inline int team_size(int requested, Py_ssize_t units) noexcept nogil:
    """The threads a parallel region may start: the one gate every ``prange``
    takes its ``num_threads`` from (tests/test_fork.py checks the sources).

    ``requested`` is what the caller asked for (workers=, or the default) after
    its own cost rule; ``units`` how many independent pieces of work there are.
    A forked child gets 1: its OpenMP pool died with the fork.
    """
    if requested <= 1 or units <= 1 or gx_in_forked_child():
        return 1
    if requested > units:
        return <int>units               # never more threads than units of work
    return requested


cpdef int default_threads() noexcept:
    """Threads a call with workers=None uses: OpenMP's setting, capped by the CPUs
    (1 in a forked child, where the OpenMP runtime cannot start threads)."""
    return team_size(max(1, min(gx_omp_max_threads(), _usable_cpus)), MAX_WORKERS)
