# Streaming stores for outputs larger than the caches: the C helper and when to use it.
#
# A plain store loop reads every destination cache line from memory before it
# writes it (read for ownership): a gradient into an array far from the caches
# moves three bytes per output byte where a streaming store moves two.  Only
# the memory-bound interiors stream: the accuracy-2 gradient's (uniform
# spacing) and the k-tap schemes' contiguous runs (each chunk summed in an L1
# buffer, then streamed: stream_store), float64 and float32 data in their own
# precision, outputs nothing reads back (not the Laplacian's later axes, not
# the operators' added terms); the bits are those of the plain loop.

cdef extern from *:
    """
    /* Streaming (non-temporal) stores for the memory-bound interior loop
       o[k] = (fp[k] - fm[k]) * h  (or / h), float64 and float32.  A plain
       store first reads each destination line from memory (read for
       ownership); a streaming store writes the line without reading it.  The
       arithmetic is the scalar loop's, element by element (sub, then mul or
       div; no FMA under -ffp-contract=off), so the bits are the same; only the
       store instruction differs.  Used only for outputs larger than the caches
       (STREAM_MIN_BYTES): the result goes to memory instead of staying in
       cache.  Returns 0 where it cannot stream (no SSE2; an output not aligned
       to its element), and the caller runs its own loop. */
    #include <stddef.h>
    #include <stdint.h>
    #include <string.h>
    #if defined(__x86_64__) || defined(_M_X64)
    #include <immintrin.h>
    #define GX_STREAM 1
    #if defined(__AVX2__)
    #define GX_VBYTES 32
    typedef __m256d gx_vd;
    typedef __m256 gx_vs;
    #define gx_loadu_d _mm256_loadu_pd
    #define gx_sub_d _mm256_sub_pd
    #define gx_mul_d _mm256_mul_pd
    #define gx_div_d _mm256_div_pd
    #define gx_set1_d _mm256_set1_pd
    #define gx_stream_d _mm256_stream_pd
    #define gx_loadu_s _mm256_loadu_ps
    #define gx_sub_s _mm256_sub_ps
    #define gx_mul_s _mm256_mul_ps
    #define gx_div_s _mm256_div_ps
    #define gx_set1_s _mm256_set1_ps
    #define gx_stream_s _mm256_stream_ps
    #else
    #define GX_VBYTES 16
    typedef __m128d gx_vd;
    typedef __m128 gx_vs;
    #define gx_loadu_d _mm_loadu_pd
    #define gx_sub_d _mm_sub_pd
    #define gx_mul_d _mm_mul_pd
    #define gx_div_d _mm_div_pd
    #define gx_set1_d _mm_set1_pd
    #define gx_stream_d _mm_stream_pd
    #define gx_loadu_s _mm_loadu_ps
    #define gx_sub_s _mm_sub_ps
    #define gx_mul_s _mm_mul_ps
    #define gx_div_s _mm_div_ps
    #define gx_set1_s _mm_set1_ps
    #define gx_stream_s _mm_stream_ps
    #endif
    /* One element, streamed too (movnti), so that no cache line of a run is
       written by both kinds of store: a line half written by a plain store is
       read for ownership, and a streaming store into it then flushes it. */
    static inline void gx_put_d(double* o, double v) {
        long long bits; memcpy(&bits, &v, sizeof bits); _mm_stream_si64((long long*)o, bits);
    }
    static inline void gx_put_s(float* o, float v) {
        int bits; memcpy(&bits, &v, sizeof bits); _mm_stream_si32((int*)o, bits);
    }
    /* Elements to store one by one until `o` reaches a vector boundary. */
    static inline ptrdiff_t gx_head(const void* o, size_t size, ptrdiff_t m) {
        ptrdiff_t h = (ptrdiff_t)(((GX_VBYTES - (uintptr_t)o % GX_VBYTES) % GX_VBYTES) / size);
        return h < m ? h : m;
    }
    static int gx_stream_diff_f64(double* o, const double* fp, const double* fm,
                                  ptrdiff_t m, double h, int divide) {
        const ptrdiff_t w = GX_VBYTES / sizeof(double);
        ptrdiff_t k = 0, head;
        gx_vd vh = gx_set1_d(h);
        if ((uintptr_t)o % sizeof(double)) return 0;
        head = gx_head(o, sizeof(double), m);
        if (divide) {
            for (; k < head; k++) gx_put_d(o + k, (fp[k] - fm[k]) / h);
            for (; k + w <= m; k += w)
                gx_stream_d(o + k, gx_div_d(gx_sub_d(gx_loadu_d(fp + k), gx_loadu_d(fm + k)), vh));
            for (; k < m; k++) gx_put_d(o + k, (fp[k] - fm[k]) / h);
        } else {
            for (; k < head; k++) gx_put_d(o + k, (fp[k] - fm[k]) * h);
            for (; k + w <= m; k += w)
                gx_stream_d(o + k, gx_mul_d(gx_sub_d(gx_loadu_d(fp + k), gx_loadu_d(fm + k)), vh));
            for (; k < m; k++) gx_put_d(o + k, (fp[k] - fm[k]) * h);
        }
        return 1;
    }
    static int gx_stream_diff_f32(float* o, const float* fp, const float* fm,
                                  ptrdiff_t m, float h, int divide) {
        const ptrdiff_t w = GX_VBYTES / sizeof(float);
        ptrdiff_t k = 0, head;
        gx_vs vh = gx_set1_s(h);
        if ((uintptr_t)o % sizeof(float)) return 0;
        head = gx_head(o, sizeof(float), m);
        if (divide) {
            for (; k < head; k++) gx_put_s(o + k, (fp[k] - fm[k]) / h);
            for (; k + w <= m; k += w)
                gx_stream_s(o + k, gx_div_s(gx_sub_s(gx_loadu_s(fp + k), gx_loadu_s(fm + k)), vh));
            for (; k < m; k++) gx_put_s(o + k, (fp[k] - fm[k]) / h);
        } else {
            for (; k < head; k++) gx_put_s(o + k, (fp[k] - fm[k]) * h);
            for (; k + w <= m; k += w)
                gx_stream_s(o + k, gx_mul_s(gx_sub_s(gx_loadu_s(fp + k), gx_loadu_s(fm + k)), vh));
            for (; k < m; k++) gx_put_s(o + k, (fp[k] - fm[k]) * h);
        }
        return 1;
    }
    /* o[k] = a[k] with streaming stores: a k-tap chunk summed in L1, written out
       (head and tail one element at a time, as gx_stream_diff_*). */
    static int gx_stream_store_f64(double* o, const double* a, ptrdiff_t m) {
        const ptrdiff_t w = GX_VBYTES / sizeof(double);
        ptrdiff_t k = 0, head;
        if ((uintptr_t)o % sizeof(double)) return 0;
        head = gx_head(o, sizeof(double), m);
        for (; k < head; k++) gx_put_d(o + k, a[k]);
        for (; k + w <= m; k += w) gx_stream_d(o + k, gx_loadu_d(a + k));
        for (; k < m; k++) gx_put_d(o + k, a[k]);
        return 1;
    }
    static int gx_stream_store_f32(float* o, const float* a, ptrdiff_t m) {
        const ptrdiff_t w = GX_VBYTES / sizeof(float);
        ptrdiff_t k = 0, head;
        if ((uintptr_t)o % sizeof(float)) return 0;
        head = gx_head(o, sizeof(float), m);
        for (; k < head; k++) gx_put_s(o + k, a[k]);
        for (; k + w <= m; k += w) gx_stream_s(o + k, gx_loadu_s(a + k));
        for (; k < m; k++) gx_put_s(o + k, a[k]);
        return 1;
    }
    /* Streaming stores are weakly ordered: a unit's stores must be visible
       before its thread reports it done (OpenMP barrier, return to Python). */
    static inline void gx_stream_fence(void) { _mm_sfence(); }
    /* One element of `size` bytes (4, 8 or 16), streamed where it is aligned:
       a correction to a line just streamed (nan="split") would otherwise read
       the line back from memory first. */
    static inline void gx_stream_elem(char* o, const char* v, ptrdiff_t size) {
        if (size == 4 && (uintptr_t)o % 4 == 0) {
            int32_t a; memcpy(&a, v, 4); _mm_stream_si32((int*)o, a);
        } else if (size % 8 == 0 && (uintptr_t)o % 8 == 0) {
            long long a; memcpy(&a, v, 8); _mm_stream_si64((long long*)o, a);
            if (size == 16) { memcpy(&a, v + 8, 8); _mm_stream_si64((long long*)(o + 8), a); }
        } else {
            memcpy(o, v, size);
        }
    }
    #else
    #define GX_STREAM 0
    static int gx_stream_diff_f64(double* o, const double* fp, const double* fm,
                                  ptrdiff_t m, double h, int divide) { return 0; }
    static int gx_stream_diff_f32(float* o, const float* fp, const float* fm,
                                  ptrdiff_t m, float h, int divide) { return 0; }
    static int gx_stream_store_f64(double* o, const double* a, ptrdiff_t m) { return 0; }
    static int gx_stream_store_f32(float* o, const float* a, ptrdiff_t m) { return 0; }
    static inline void gx_stream_fence(void) { }
    static inline void gx_stream_elem(char* o, const char* v, ptrdiff_t size) {
        memcpy(o, v, size);
    }
    #endif
    """
    int GX_STREAM
    bint gx_stream_diff_f64(double* o, const double* fp, const double* fm,
                            Py_ssize_t m, double h, bint divide) noexcept nogil
    bint gx_stream_diff_f32(float* o, const float* fp, const float* fm,
                            Py_ssize_t m, float h, bint divide) noexcept nogil
    void gx_stream_fence() noexcept nogil
    void gx_stream_elem(char* o, const char* v, Py_ssize_t size) noexcept nogil
    bint gx_stream_store_f64(double* o, const double* a, Py_ssize_t m) noexcept nogil
    bint gx_stream_store_f32(float* o, const float* a, Py_ssize_t m) noexcept nogil

cdef enum:
    # Calls writing at least this many bytes (all outputs together) stream:
    # below it the result would still be in cache for whoever reads it next.
    STREAM_MIN_BYTES = 1 << 24
    # ... and only with lines at least this long: a streamed line whose cache
    # lines are shared with plain stores (edges, the next line) loses.
    STREAM_MIN_RUN_BYTES = 4096

# The thresholds in force: the constants above, or the tests' override
# (GRADIENT_EXT_STREAMING_THRESHOLDS, which _runtime reads once at import and
# hands to set_streaming_thresholds) that streams small calls too.
cdef Py_ssize_t _stream_min_bytes = STREAM_MIN_BYTES
cdef Py_ssize_t _stream_min_run_bytes = STREAM_MIN_RUN_BYTES


def set_streaming_thresholds(Py_ssize_t min_bytes, Py_ssize_t min_line_bytes):
    """Stream calls writing >= min_bytes with lines >= min_line_bytes (for testing:
    0, 0 streams every eligible call).  Returns the previous pair."""
    global _stream_min_bytes, _stream_min_run_bytes
    previous = (_stream_min_bytes, _stream_min_run_bytes)
    _stream_min_bytes, _stream_min_run_bytes = min_bytes, min_line_bytes
    return previous


cdef inline bint stream_diff(const real_t* fp, const real_t* fm, char* o, Py_ssize_t m,
                             calc_t h, bint divide) noexcept nogil:
    """Streamed o[k] = (fp[k] - fm[k]) * h (or / h); False where the caller's loop runs."""
    if real_t is double and calc_t is double:
        return gx_stream_diff_f64(<double*>o, fp, fm, m, h, divide)
    elif real_t is float and calc_t is float:
        return gx_stream_diff_f32(<float*>o, fp, fm, m, h, divide)
    else:
        return False


cdef inline bint stream_store(char* o, const calc_t* a, Py_ssize_t m,
                              const real_t* like) noexcept nogil:
    """Streamed o[k] = a[k], the data's own type; False where the caller stores plainly."""
    if real_t is double and calc_t is double:
        return gx_stream_store_f64(<double*>o, a, m)
    elif real_t is float and calc_t is float:
        return gx_stream_store_f32(<float*>o, a, m)
    else:
        return False


cdef inline bint use_streaming(Py_ssize_t out_bytes, Py_ssize_t run_bytes) noexcept nogil:
    """Whether a call's outputs dwarf the caches and its contiguous runs are long."""
    return GX_STREAM and out_bytes >= _stream_min_bytes and run_bytes >= _stream_min_run_bytes
