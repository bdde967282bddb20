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

    /* CPUs among `usable` that no other runnable task holds now, this thread's
       included; -1 when unknown.  /proc/loadavg's "R/T" counts runnable tasks
       (this one too) machine-wide, so it is read only when every online CPU
       is ours: under a cpuset the host's load says nothing about our CPUs.
       Parsed by hand, not with fscanf("%lf %lf %lf %d/%d") or strtol: C23
       headers (Debian unstable's) redirect those to __isoc23_* symbols of
       glibc 2.38, which would raise every wheel's glibc floor to 2.38. */
    #if defined(__linux__)
    #include <stdio.h>
    #include <stdlib.h>
    #include <unistd.h>
    /* scanf's %d: blanks, an optional sign, at least one digit; NULL if none.
       Saturates instead of overflowing (scanf's overflow is undefined). */
    static const char* gx_parse_int(const char* s, int* value) {
        long v = 0;
        int negative = 0;
        while (*s == ' ' || (*s >= 9 && *s <= 13)) s++;   /* isspace, C locale */
        if (*s == '+' || *s == '-') negative = *s++ == '-';
        if (*s < '0' || *s > '9') return NULL;
        for (; *s >= '0' && *s <= '9'; s++) if (v < 0x7fffffff) v = v * 10 + (*s - '0');
        if (v > 0x7fffffff) v = 0x7fffffff;
        *value = negative ? (int)-v : (int)v;
        return s;
    }
    static int gx_idle_cpus(int usable) {
        char line[256];
        const char* s;
        char* end;
        int running = 0, total = 0, i;
        FILE* fp;
        if (sysconf(_SC_NPROCESSORS_ONLN) != usable) return -1;
        fp = fopen("/proc/loadavg", "r");
        if (!fp) return -1;
        s = fgets(line, sizeof line, fp);
        fclose(fp);
        if (!s) return -1;
        for (i = 0; i < 3; i++) {           /* the three load averages, skipped */
            (void)strtod(s, &end);
            if (end == s) return -1;
            s = end;
        }
        s = gx_parse_int(s, &running);      /* "R/T" */
        if (!s || *s != '/' || !gx_parse_int(s + 1, &total)) return -1;
        if (running < 1) return -1;
        return running - 1 >= usable ? 0 : usable - (running - 1);
    }
    #else
    static int gx_idle_cpus(int usable) { (void)usable; return -1; }
    #endif
    """
    int GX_HAVE_OPENMP
    int gx_omp_max_threads() nogil
    void gx_watch_fork() noexcept
    int gx_in_forked_child() noexcept nogil
    int gx_idle_cpus(int usable) noexcept nogil

cdef enum:
    # Below this much work (in units of one float64 central difference: about
    # 8 MB of plain output) a call stays on one thread: waking a team, and the
    # risk of waiting for a thread the OS has not scheduled yet, cost more than
    # the arithmetic saves.  _tiling.work_of() weighs each axis by its cost.
    PARALLEL_MIN_WORK = 1 << 20
    # Explicit worker counts above this are clamped to it.
    MAX_WORKERS = 1024
    # What workers=None asks for: decided by team_size() when a region starts.
    AUTO_THREADS = 0

cdef Py_ssize_t _usable_cpus = 1
cdef bint _load_aware = False       # workers=None counts idle CPUs (GRADIENT_EXT_LOAD_AWARE=1)

def set_usable_cpus(int n):
    """Record how many CPUs this process may use (the wrapper measures it)."""
    global _usable_cpus
    _usable_cpus = max(1, n)


def set_load_aware(bint flag):
    """Whether workers=None takes only idle CPUs (the wrapper reads the environment)."""
    global _load_aware
    _load_aware = flag


def openmp_enabled():
    """Whether the kernels were compiled with OpenMP."""
    return bool(GX_HAVE_OPENMP)


cdef inline int team_size(int requested, Py_ssize_t units) noexcept nogil:
    """The threads a parallel region may start: the one gate every ``prange``
    takes its ``num_threads`` from (tests/test_fork.py checks the sources).

    ``requested`` is what the caller asked for after its own cost rule: a count
    (workers=), or AUTO_THREADS (workers=None); ``units`` how many independent
    pieces of work there are.  A forked child gets 1: its OpenMP pool died with
    the fork.  workers=None gets no more threads than idle CPUs: a team member
    waiting for a CPU that another process holds makes the whole team wait at
    the region's end, so on a busy machine threads would make the call slower.
    """
    if units <= 1 or gx_in_forked_child():
        return 1
    if requested == AUTO_THREADS:
        requested = idle_share(unloaded_threads())
    if requested <= 1:
        return 1
    if requested > units:
        return <int>units               # never more threads than units of work
    return requested


cdef inline int unloaded_threads() noexcept nogil:
    """workers=None on an idle machine: OpenMP's setting, capped by the usable CPUs."""
    return max(1, min(gx_omp_max_threads(), <int>_usable_cpus))


cdef inline int idle_share(int n) noexcept nogil:
    """At most n threads, and no more than the CPUs idle now (this one included)."""
    cdef int idle = gx_idle_cpus(<int>_usable_cpus) if n > 1 and _load_aware else -1
    if idle < 0:
        return n
    return max(1, min(n, idle))


cpdef int default_threads() noexcept:
    """Threads a call with workers=None may use: OpenMP's setting, capped by the CPUs
    (1 in a forked child, where the OpenMP runtime cannot start threads).  At run
    time team_size() gives such a call no more threads than there are idle CPUs."""
    return team_size(unloaded_threads(), MAX_WORKERS)
