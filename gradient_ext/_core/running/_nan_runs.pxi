# nan="split": each run of finite values along an axis is differentiated as if it
# were its own array, with one-sided ends (`split_plan`, _schemes.pxi, gives each
# axis its reach, its shortest run, and what the runs' ends need).
#
# The sweep computes every output by numpy's rule (a non-finite value spreads over
# every stencil that reads it).  Right after the sweep of a unit of work, while
# its lines and their neighbours are still in cache, `split_unit` reads the
# non-finite values near them (`line_bits`: one vectorised pass of bit tests per
# line, which also classes its blocks of 32 points: clean, all NaN, mixed), picks
# per line the blocks where something can change (`active_blocks`, from the
# classes) and corrects that unit's outputs there only where they differ:
#
# * a point whose value is non-finite in a term's source gets NaN in the term's
#   output group, unless the sweep's stencil there already read a NaN (then it
#   wrote NaN: inside a patch of land nothing is written, so the streamed
#   output lines are not read back);
# * a finite point within `reach` of a non-finite one along a term's axis is
#   recomputed: every term of its output group (the Laplacian's axes, an
#   operator's terms) on its own run, combined in the sweep's order and dtype.
#
# A term's value at a point (`split_term`): the run holding the point is found by
# looking `reach` points each way (a periodic axis wraps: a run that touches both
# ends continues across).  Within `half` of one of the run's own ends, the run's
# end stencil, on the run's end points gathered into a small buffer (values and
# coordinates, wrapped ones shifted by the period) and the same primitives as a
# standalone call (uniform rows of the run's length, uneven end weights from the
# run's coordinates, numpy's edge formulas); elsewhere the axis's own stencil at
# that point, which the run shares.  Runs shorter than `min_len` give NaN.
#
# Each unit writes only its own points, so the threads share nothing but the
# read-only sources.

cdef enum:
    # points of a run's end gathered: a one-sided stencil's taps from a point
    # within `half` of the end (edge_taps + half <= MAX_ORDER + MAX_ACCURACY + MAX_TAPS)
    GATHER_MAX = 2 * MAX_TAPS + MAX_ORDER + MAX_ACCURACY
    # the window read beyond a unit's segment on each side of a line: at least any
    # reach (max(half, edge_taps + half - 2) <= MAX_ORDER + MAX_ACCURACY + MAX_TAPS / 2)
    SPLIT_MARGIN = MAX_ORDER + MAX_ACCURACY + MAX_TAPS
    # what a point of a unit needs (`split_unit`'s bytes)
    P_BAD = 1                   # non-finite in a term's source
    P_SURE = 2                  # the sweep's stencil of a term read a NaN: it wrote NaN
    P_NEAR = 4                  # a non-finite value within a term's reach
    A_NAN = 1                   # ... then: write NaN
    A_REDO = 2                  # ... or recompute on the runs
    # lines' bits a unit keeps (`BitsCache`): a line, and its neighbours within a
    # reach of 3 across lines, are each read once while the unit walks its lines
    BITS_SLOTS = 8
    BITS_SPAN = UNIT_ELEMENTS + 2 * SPLIT_MARGIN
    # lines per unit of a nan="split" call at least (`execute`): the more lines a
    # unit walks, the fewer neighbour lines it reads twice
    SPLIT_LINES = 16
    # A unit's points are in blocks of NEED_BLOCK (a reach is at most SPLIT_MARGIN
    # <= NEED_BLOCK, so a block's needs read only its own and its two neighbours'
    # bytes).  Each line's blocks get a class from its bits (`line_classes`);
    # `active_blocks` keeps those where a term may find something to do.
    NEED_BLOCK = 32
    B_DIRTY = 1                 # the block holds a non-finite value
    B_NAN = 2                   # ... only NaN
    CLS_SPAN = UNIT_ELEMENTS // NEED_BLOCK + 2  # a line's classes: blocks -1 .. nb ...
    CLS_WORDS = (CLS_SPAN + 63) // 64           # ... as bits c = b + 1 of masks of 64
    SPLIT_PLANS = 8             # plans a unit copies once for its recomputed points


# active_blocks reads a block's neighbours along a line only: a reach must fit in a block
if SPLIT_MARGIN > NEED_BLOCK:
    raise ImportError("gradient_ext: SPLIT_MARGIN > NEED_BLOCK in _nan_runs.pxi")


cdef struct BitsCache:
    # line_bits of the lines a unit read last, by source and line offset (the
    # window and wrap are the unit's)
    const char* src[BITS_SLOTS]
    Py_ssize_t off[BITS_SLOTS]
    Py_ssize_t used[BITS_SLOTS]
    Py_ssize_t tick
    unsigned char bits[BITS_SLOTS * BITS_SPAN]
    uint64_t dirty[BITS_SLOTS * CLS_WORDS]
    uint64_t nan[BITS_SLOTS * CLS_WORDS]


cdef struct LineBits:
    # a line's bits, from the unit's first point (bits[-ra..m+ra-1]), and its
    # blocks' classes as masks: bit b + 1 for block b = -1 .. nb
    const unsigned char* bits
    const uint64_t* dirty       # B_DIRTY: the block holds a non-finite value
    const uint64_t* nan         # B_NAN: all its values are NaN


cdef inline Py_ssize_t out_elem(const src_t* like) noexcept nogil:
    """Bytes of one output element for data of this type (numpy.gradient keeps the
    data's float type; integers give float64)."""
    if src_t is float:
        return sizeof(float)
    elif src_t is cfloat_t:
        return 2 * sizeof(float)
    elif src_t is cdouble_t:
        return 2 * sizeof(double)
    else:
        return sizeof(double)


cdef inline void put_nan(char* o, const src_t* like) noexcept nogil:
    cdef double nd = NAN
    cdef float nf = <float>nd
    if src_t is float or src_t is cfloat_t:
        (<float*>o)[0] = nf
        if src_t is cfloat_t:
            (<float*>o)[1] = nf
    else:
        (<double*>o)[0] = nd
        if src_t is cdouble_t:
            (<double*>o)[1] = nd


cdef inline void add_into(char* o, const char* v, int sign, const src_t* like) noexcept nogil:
    """o = o + v (sign > 0) or o - v, in the output's type, part by part (numpy's a + b)."""
    cdef int parts = 2 if (src_t is cfloat_t or src_t is cdouble_t) else 1, c
    for c in range(parts):
        if src_t is float or src_t is cfloat_t:
            if sign > 0:
                (<float*>o)[c] = (<float*>o)[c] + (<const float*>v)[c]
            else:
                (<float*>o)[c] = (<float*>o)[c] - (<const float*>v)[c]
        else:
            if sign > 0:
                (<double*>o)[c] = (<double*>o)[c] + (<const double*>v)[c]
            else:
                (<double*>o)[c] = (<double*>o)[c] - (<const double*>v)[c]


cdef extern from *:
    """
    #include <stdint.h>
    #include <string.h>
    /* nan="split": bit 0 where a value is non-finite (NaN, +-inf), bit 1 where it is
       NaN, from the bits (exponent all ones), so that the loops vectorise.  m values
       from p, s bytes apart; complex: `parts` 2, either part counts. */
    static inline void gx_set_class(uint64_t* dm, uint64_t* nm, ptrdiff_t c, int dirty, int nan) {
        dm[c >> 6] |= (uint64_t)dirty << (c & 63);
        nm[c >> 6] |= (uint64_t)nan << (c & 63);
    }
    #if defined(_MSC_VER)
    #include <intrin.h>
    static inline int gx_ctz64(uint64_t w) { unsigned long i; _BitScanForward64(&i, w); return (int)i; }
    #else
    static inline int gx_ctz64(uint64_t w) { return __builtin_ctzll(w); }
    #endif
    static inline unsigned char gx_bits64(uint64_t u) {
        uint64_t a = u & 0x7fffffffffffffffULL;
        return (unsigned char)((a >= 0x7ff0000000000000ULL) | ((a > 0x7ff0000000000000ULL) << 1));
    }
    static inline unsigned char gx_bits32(uint32_t u) {
        uint32_t a = u & 0x7fffffffu;
        return (unsigned char)((a >= 0x7f800000u) | ((a > 0x7f800000u) << 1));
    }
    /* Blocks of 32 values (one float type, contiguous): most hold no non-finite
       value, or (inside land) only NaN; both are told by adds on the bits that
       vectorise with plain SSE2 (bit 63, or 31, of |u| + c is set iff |u| >= 2^63 - c),
       and get their bytes by memset.  Only the others are narrowed to bytes.
       For the blocks done so, bit c0 + j of the masks dm (B_DIRTY) and nm (B_NAN)
       (if not NULL; set, not cleared) holds the class of out[32j:32j+32]; returns
       how many. */
    /* gx_line_bits64 and gx_line_bits32, one text: U the float's bits as an
       unsigned integer, TOP its sign bit's position, INF_ADD and NAN_ADD the adds
       above, BITS the one-value rule. */
    #define GX_LINE_BITS(NAME, U, TOP, INF_ADD, NAN_ADD, BITS)                          \
    static ptrdiff_t NAME(const char* p, ptrdiff_t s, ptrdiff_t m, int parts,          \
                          unsigned char* out, uint64_t* dm, uint64_t* nm, ptrdiff_t c0) { \
        const U abs_mask = ~((U)1 << TOP);                                             \
        const ptrdiff_t z = sizeof(U);                                                 \
        ptrdiff_t k = 0, full = 0;                                                     \
        if (parts == 1 && s == z) {                                                    \
            for (; k + 32 <= m; k += 32) {                                             \
                U any = 0, all = ~(U)0; int i;                                         \
                for (i = 0; i < 32; i++) {                                             \
                    U u; memcpy(&u, p + z * (k + i), z);                               \
                    any |= (u & abs_mask) + INF_ADD;                                   \
                }                                                                      \
                if (any >> TOP) {       /* then whether all are NaN (> inf) */         \
                    for (i = 0; i < 32; i++) {                                         \
                        U u; memcpy(&u, p + z * (k + i), z);                           \
                        all &= (u & abs_mask) + NAN_ADD;                               \
                    }                                                                  \
                }                                                                      \
                if (dm) gx_set_class(dm, nm, c0 + k / 32, (int)(any >> TOP),           \
                                     (int)(any >> TOP & all >> TOP));                  \
                if (!(any >> TOP)) { memset(out + k, 0, 32); continue; }               \
                if (all >> TOP) { memset(out + k, 3, 32); continue; }                  \
                for (i = 0; i < 32; i++) {                                             \
                    U u; memcpy(&u, p + z * (k + i), z); out[k + i] = BITS(u);         \
                }                                                                      \
            }                                                                          \
            full = k / 32;                                                             \
        }                                                                              \
        for (; k < m; k++) {                                                           \
            U u, v = 0; memcpy(&u, p + s * k, z);                                      \
            if (parts == 2) memcpy(&v, p + s * k + z, z);                              \
            out[k] = BITS(u) | (parts == 2 ? BITS(v) : 0);                             \
        }                                                                              \
        return full;                                                                   \
    }
    GX_LINE_BITS(gx_line_bits64, uint64_t, 63, 0x0010000000000000ULL, 0x000fffffffffffffULL,
                 gx_bits64)
    GX_LINE_BITS(gx_line_bits32, uint32_t, 31, 0x00800000u, 0x007fffffu, gx_bits32)
    /* One element's bit 0 (non-finite), as the lines' bits have it. */
    static inline int gx_bad64(const char* p, int parts) {
        uint64_t u, v = 0; memcpy(&u, p, 8);
        if (parts == 2) memcpy(&v, p + 8, 8);
        return (gx_bits64(u) | gx_bits64(v)) & 1;
    }
    static inline int gx_bad32(const char* p, int parts) {
        uint32_t u, v = 0; memcpy(&u, p, 4);
        if (parts == 2) memcpy(&v, p + 4, 4);
        return (gx_bits32(u) | gx_bits32(v)) & 1;
    }
    /* The class of the bytes p[0:len] of line_bits: B_DIRTY (1) if one is
       non-finite, B_NAN (2) if all are NaN (len > 0). */
    static inline unsigned char gx_block_class(const unsigned char* p, ptrdiff_t len) {
        unsigned char any = 0, all = 0xff; ptrdiff_t i;
        if (len <= 0) return 0;
        for (i = 0; i < len; i++) { any |= p[i]; all &= p[i]; }
        return (unsigned char)((any & 1) | (all & 2));
    }
    /* Whether the 32 bytes at p (a block of needs), or the 8 at p, are all zero:
       loads into registers (a copy into an array and reads of its words would
       stall on store forwarding). */
    static inline int gx_zero32(const unsigned char* p) {
        uint64_t a, b, c, d;
        memcpy(&a, p, 8); memcpy(&b, p + 8, 8); memcpy(&c, p + 16, 8); memcpy(&d, p + 24, 8);
        return (a | b | c | d) == 0;
    }
    static inline int gx_zero8(const unsigned char* p) {
        uint64_t a; memcpy(&a, p, 8); return a == 0;
    }
    """
    Py_ssize_t gx_line_bits64(const char* p, Py_ssize_t s, Py_ssize_t m, int parts,
                              unsigned char* out, uint64_t* dm, uint64_t* nm,
                              Py_ssize_t c0) noexcept nogil
    Py_ssize_t gx_line_bits32(const char* p, Py_ssize_t s, Py_ssize_t m, int parts,
                              unsigned char* out, uint64_t* dm, uint64_t* nm,
                              Py_ssize_t c0) noexcept nogil
    void gx_set_class(uint64_t* dm, uint64_t* nm, Py_ssize_t c, int dirty, int nan) noexcept nogil
    int gx_ctz64(uint64_t w) noexcept nogil
    bint gx_bad64(const char* p, int parts) noexcept nogil
    bint gx_bad32(const char* p, int parts) noexcept nogil
    unsigned char gx_block_class(const unsigned char* p, Py_ssize_t len) noexcept nogil
    bint gx_zero32(const unsigned char* p) noexcept nogil
    bint gx_zero8(const unsigned char* p) noexcept nogil


# a line beyond a non-periodic axis's end: no value, no bits (read only)
cdef unsigned char NO_BITS[BITS_SPAN]
cdef uint64_t NO_CLASS[CLS_WORDS]
memset(NO_BITS, 0, BITS_SPAN)
memset(NO_CLASS, 0, sizeof(NO_CLASS))
cdef LineBits NO_LINE
NO_LINE.bits, NO_LINE.dirty, NO_LINE.nan = NO_BITS + SPLIT_MARGIN, NO_CLASS, NO_CLASS


cdef inline Py_ssize_t values_bits(const src_t* src, Py_ssize_t off, Py_ssize_t s,
                                   Py_ssize_t m, unsigned char* out, uint64_t* dm,
                                   uint64_t* nm) noexcept nogil:
    """out[k]: P_BAD | P_SURE bits of the m values from `off` bytes, s bytes apart;
    bits 1 + j of the masks dm, nm (if not NULL): the classes of the first blocks
    of 32 (returns how many, maybe 0)."""
    if src_t is double:
        return gx_line_bits64(at(src, off), s, m, 1, out, dm, nm, 1)
    elif src_t is cdouble_t:
        return gx_line_bits64(at(src, off), s, m, 2, out, dm, nm, 1)
    elif src_t is float:
        return gx_line_bits32(at(src, off), s, m, 1, out, dm, nm, 1)
    elif src_t is cfloat_t:
        return gx_line_bits32(at(src, off), s, m, 2, out, dm, nm, 1)
    else:
        memset(out, 0, m)               # integers: never non-finite
        return 0


cdef inline bint bad_at(const src_t* f, Py_ssize_t off) noexcept nogil:
    """Whether the element `off` bytes from f is NaN or +-inf (integers: never): the
    rule `line_bits` applies to whole lines, on one element."""
    if src_t is double:
        return gx_bad64(at(f, off), 1)
    elif src_t is cdouble_t:
        return gx_bad64(at(f, off), 2)
    elif src_t is float:
        return gx_bad32(at(f, off), 1)
    elif src_t is cfloat_t:
        return gx_bad32(at(f, off), 2)
    else:
        return False


cdef struct Window:
    Py_ssize_t a, b              # the positions of a line whose bits a unit reads
    Py_ssize_t ra                # ... from ra before its segment
    Py_ssize_t m                 # ... of m points
    bint wrap                    # ... wrapped around a periodic axis along the lines


cdef Py_ssize_t line_bits(const src_t* src, Py_ssize_t off, Py_ssize_t s, Py_ssize_t n,
                          const Window* win, unsigned char* out, uint64_t* dm,
                          uint64_t* nm) noexcept nogil:
    """out[k - a] for the window's positions k = a..b-1 of the line whose first
    point is `off` bytes from src (n points, s bytes apart): positions beyond its
    ends wrap (a periodic axis) or hold nothing.  dm, nm: the classes of the
    segment's first blocks, read with the bits (returns how many)."""
    cdef Py_ssize_t a = win.a, b = win.b, k0 = win.a + win.ra, k, known
    cdef Py_ssize_t lo = a if a > 0 else 0, hi = b if b < n else n
    for k in range(a, lo):
        out[k - a] = 0
        wrap_bits(src, off, s, n, win, k, out + k - a)
    # the segment from its first point: its blocks are the needs' blocks
    if k0 > lo:
        values_bits(src, off + lo * s, s, k0 - lo, out + lo - a, NULL, NULL)
    known = values_bits(src, off + k0 * s, s, hi - k0, out + k0 - a, dm, nm)
    for k in range(hi, b):
        out[k - a] = 0
        wrap_bits(src, off, s, n, win, k, out + k - a)
    return known


cdef inline void wrap_bits(const src_t* src, Py_ssize_t off, Py_ssize_t s, Py_ssize_t n,
                           const Window* win, Py_ssize_t k, unsigned char* out) noexcept nogil:
    """The bits of position k beyond the line's ends, if the window wraps."""
    if win.wrap:
        values_bits(src, off + ghost_index(k, n, B_PERIODIC) * s, s, 1, out, NULL, NULL)


cdef void line_classes(const unsigned char* own, const Window* win, Py_ssize_t known,
                       uint64_t* dm, uint64_t* nm) noexcept nogil:
    """The classes of a line's blocks (own: its bits from the unit's first point)
    as bits b + 1 of the masks, b = 0 .. nb-1, those from `known` on from the
    bytes; block -1 covers the ra points before the segment, block nb the ra
    after it, and the last block's class covers them too (a block's needs may
    read a reach beyond a short last block)."""
    cdef Py_ssize_t m = win.m, nb = (m + NEED_BLOCK - 1) // NEED_BLOCK, b
    clear_from(dm, nb)                  # blocks nb - 1 and nb: from the bytes
    clear_from(nm, nb)
    set_class(dm, nm, 0, gx_block_class(own - win.ra, win.ra))
    for b in range(known, nb - 1):
        set_class(dm, nm, b + 1, gx_block_class(own + b * NEED_BLOCK, NEED_BLOCK))
    b = (nb - 1) * NEED_BLOCK
    set_class(dm, nm, nb, gx_block_class(own + b, m - b + win.ra))
    set_class(dm, nm, nb + 1, gx_block_class(own + m, win.ra))


cdef inline void clear_from(uint64_t* mask, Py_ssize_t c) noexcept nogil:
    """Bits c .. of a class mask cleared."""
    cdef Py_ssize_t w = c >> 6
    mask[w] &= (<uint64_t>1 << (c & 63)) - 1
    for w in range(w + 1, CLS_WORDS):
        mask[w] = 0


cdef inline void set_class(uint64_t* dm, uint64_t* nm, Py_ssize_t c,
                           unsigned char cls) noexcept nogil:
    gx_set_class(dm, nm, c, cls & B_DIRTY, (cls & B_NAN) >> 1)


cdef LineBits cached_bits(BitsCache* c, const src_t* src, Py_ssize_t off, Py_ssize_t s,
                          Py_ssize_t n, const Window* win) noexcept nogil:
    """line_bits of the window's positions of the line `off` bytes from src, and
    their classes, from the cache, else computed into its least recently used slot."""
    cdef int i, lru = 0
    cdef LineBits lb
    cdef uint64_t* dm
    cdef uint64_t* nm
    c.tick += 1
    for i in range(BITS_SLOTS):
        if c.src[i] == <const char*>src and c.off[i] == off:
            c.used[i] = c.tick
            lb.bits = c.bits + i * BITS_SPAN + win.ra
            lb.dirty, lb.nan = c.dirty + i * CLS_WORDS, c.nan + i * CLS_WORDS
            return lb
        if c.used[i] < c.used[lru]:
            lru = i
    c.src[lru], c.off[lru], c.used[lru] = <const char*>src, off, c.tick
    dm, nm = c.dirty + lru * CLS_WORDS, c.nan + lru * CLS_WORDS
    memset(dm, 0, CLS_WORDS * sizeof(uint64_t))
    memset(nm, 0, CLS_WORDS * sizeof(uint64_t))
    lb.bits, lb.dirty, lb.nan = c.bits + lru * BITS_SPAN + win.ra, dm, nm
    line_classes(lb.bits, win, line_bits(src, off, s, n, win, c.bits + lru * BITS_SPAN, dm, nm),
                 dm, nm)
    return lb


cdef void split_unit(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                     Py_ssize_t l0, Py_ssize_t l1, Py_ssize_t k0, Py_ssize_t k1) noexcept nogil:
    """Lines l0..l1-1, points k0..k1-1 of each, just swept: their outputs where a
    non-finite value changes them (see the top of this file).  Per line and
    output group, only the spans of blocks `active_blocks` keeps are read."""
    cdef BitsCache cache
    cdef unsigned char need[UNIT_ELEMENTS + NEED_BLOCK]
    cdef uint64_t act[CLS_WORDS]
    cdef int last = t.nd - 1, g, e, r, i
    cdef Py_ssize_t idx[MAX_DIMS]
    cdef Py_ssize_t m = k1 - k0, ra = 1, line, foff, c, c1, s0, s1
    cdef Py_ssize_t nb = (m + NEED_BLOCK - 1) // NEED_BLOCK
    cdef Window win
    cdef unsigned char seen
    cdef AxisPlan copies[SPLIT_PLANS]
    cdef AxisPlan* scratch = copies if nplans <= SPLIT_PLANS else NULL
    if scratch != NULL:
        for r in range(nplans):
            term_copy(&plans[r], &scratch[r])
    for i in range(BITS_SLOTS):
        cache.src[i], cache.used[i] = NULL, 0
    cache.tick = 0
    win.wrap = False
    for r in range(nplans):
        if plans[r].dim == last:
            ra = max(ra, plans[r].reach)
            win.wrap = win.wrap or plans[r].ghosts
    win.a, win.b, win.ra, win.m = k0 - ra, k1 + ra, ra, m
    first_index(t, l0, idx)
    for line in range(l0, l1):
        foff = point_offset(t, idx)
        g = 0
        while g < nplans:
            e = group_after(plans, nplans, g)
            active_blocks(f, t, plans, g, e, idx, foff, k0, &cache, &win, act)
            c = 1                       # bit c: block c - 1
            while c <= nb:
                c = next_bit(act, c, True)
                if c > nb:
                    break
                c1 = next_bit(act, c, False)  # a span of active blocks: c - 1 .. c1 - 2
                s0, s1 = (c - 1) * NEED_BLOCK, min((c1 - 1) * NEED_BLOCK, m)
                memset(need + s0, 0, s1 - s0 + NEED_BLOCK)    # zeros past s1: walk_actions
                seen = 0
                for r in range(g, e):
                    seen |= term_needs(f if plans[r].src == NULL else <const src_t*>plans[r].src,
                                       t, &plans[r], idx, foff, k0, s0, s1, &cache, &win, need)
                if seen:                    # else nothing to do in these blocks
                    act_on_needs(f, t, plans, nplans, g, idx, k0 + s0, s1 - s0, need + s0,
                                 scratch)
                c = c1
            g = e
        idx[last] = 0
        next_line(t, idx)


cdef inline Py_ssize_t next_bit(const uint64_t* mask, Py_ssize_t c, bint value) noexcept nogil:
    """The first bit from c on (at most CLS_WORDS * 64) that is set (value) or clear."""
    cdef uint64_t w
    while c < CLS_WORDS * 64:
        w = mask[c >> 6] if value else ~mask[c >> 6]
        w >>= c & 63
        if w:
            return c + gx_ctz64(w)
        c = (c | 63) + 1
    return c


cdef void active_blocks(const src_t* f, const Tiling* t, const AxisPlan* plans, int g, int e,
                        const Py_ssize_t* idx, Py_ssize_t foff, Py_ssize_t k0, BitsCache* cache,
                        const Window* win, uint64_t* act) noexcept nogil:
    """act: bit b + 1 for the blocks b of the line idx where the terms g..e-1 of an
    output group may find something to do.  Not if no non-finite value lies
    within their reach; not if the block is all NaN in a term's source (every
    point is non-finite) and a term's stencil reads a NaN next to each point (the
    sweep already wrote NaN): `act_on_needs` would do nothing.  From the blocks'
    class masks only, a few words per line."""
    cdef uint64_t dirty[CLS_WORDS]
    cdef uint64_t bad[CLS_WORDS]
    cdef uint64_t sure[CLS_WORDS]
    cdef int last = t.nd - 1, r, d, w
    cdef Py_ssize_t nb = (win.m + NEED_BLOCK - 1) // NEED_BLOCK, o, c0, c1, b0, b1
    cdef const AxisPlan* p
    cdef const src_t* src
    cdef LineBits own, lo, hi
    for w in range(CLS_WORDS):
        dirty[w] = bad[w] = sure[w] = 0
    for r in range(g, e):
        p = &plans[r]
        d = p.dim
        src = f if p.src == NULL else <const src_t*>p.src
        own = cached_bits(cache, src, foff, t.fstride[last], t.full[last], win)
        sure_span(p, t.full[d], &c0, &c1)
        for w in range(CLS_WORDS):
            bad[w] |= own.nan[w]
        if d == last:
            # a block and its two neighbours (a reach is at most a block)
            for w in range(CLS_WORDS):
                dirty[w] |= (own.dirty[w] | (own.dirty[w] << 1) | (own.dirty[w] >> 1)
                             | (own.dirty[w - 1] >> 63 if w > 0 else 0)
                             | (own.dirty[w + 1] << 63 if w + 1 < CLS_WORDS else 0))
            # the blocks wholly within c0..c1
            b0 = max(c0 - k0 + NEED_BLOCK - 1, 0) // NEED_BLOCK
            b1 = min(max(c1 - k0, 0) // NEED_BLOCK, nb)
            if c1 - k0 >= win.m:
                b1 = nb
            for w in range(CLS_WORDS):
                sure[w] |= own.nan[w] & bits_between(w, b0 + 1, b1 + 1)
            continue
        for w in range(CLS_WORDS):
            dirty[w] |= own.dirty[w]
        for o in range(1, p.reach + 1):
            lo = neighbour_bits(src, t, p, idx, foff, -o, cache, win)
            hi = neighbour_bits(src, t, p, idx, foff, o, cache, win)
            for w in range(CLS_WORDS):
                dirty[w] |= lo.dirty[w] | hi.dirty[w]
            if o == 1 and c0 <= idx[d] < c1:
                for w in range(CLS_WORDS):
                    sure[w] |= lo.nan[w] | hi.nan[w]
    for w in range(CLS_WORDS):
        act[w] = dirty[w] & ~(bad[w] & sure[w]) & bits_between(w, 1, nb + 1)


cdef inline uint64_t bits_between(int w, Py_ssize_t c0, Py_ssize_t c1) noexcept nogil:
    """Word w of the mask of bits c0 .. c1-1."""
    cdef Py_ssize_t lo = max(c0 - 64 * w, 0), hi = min(c1 - 64 * w, 64)
    if hi <= lo:
        return 0
    return (~<uint64_t>0 >> (64 - (hi - lo))) << lo


cdef unsigned char term_needs(const src_t* src, const Tiling* t, const AxisPlan* p,
                              const Py_ssize_t* idx, Py_ssize_t foff, Py_ssize_t k0,
                              Py_ssize_t s0, Py_ssize_t s1, BitsCache* cache, const Window* win,
                              unsigned char* need) noexcept nogil:
    """need[k] |= what one term finds at point k0 + k of the line (first point
    `foff` bytes from its source), for k in s0..s1-1: P_BAD from its source there;
    P_SURE where its stencil reads a NaN next to it (`sure_span`); P_NEAR where a
    non-finite value lies within its reach along its axis.  Returns 0 if it found
    nothing."""
    cdef int last = t.nd - 1, d = p.dim
    cdef Py_ssize_t m = s1 - s0, o, nd_ = t.full[d], c0, c1, fs = t.fstride[last]
    cdef const unsigned char* own = cached_bits(cache, src, foff, fs, t.full[last], win).bits + s0
    cdef const unsigned char* lo
    cdef const unsigned char* hi
    cdef unsigned char seen = 0
    sure_span(p, nd_, &c0, &c1)
    if d != last:                       # one position of the axis: all or none of the line
        if c0 <= idx[d] < c1:
            c0, c1 = 0, m
        else:
            c0, c1 = 0, 0
    else:
        c0, c1 = min(max(c0 - k0 - s0, 0), m), min(c1 - k0 - s0, m)
    for o in range(1, p.reach + 1):
        if d == last:
            lo, hi = own - o, own + o
        else:
            lo = neighbour_bits(src, t, p, idx, foff, -o, cache, win).bits + s0
            hi = neighbour_bits(src, t, p, idx, foff, o, cache, win).bits + s0
        if o == 1:
            seen |= first_needs(need + s0, own, lo, hi, m, c0, c1)
        else:
            seen |= more_needs(need + s0, lo, hi, m)
    return seen


cdef LineBits neighbour_bits(const src_t* src, const Tiling* t, const AxisPlan* p,
                             const Py_ssize_t* idx, Py_ssize_t foff, Py_ssize_t o,
                             BitsCache* cache, const Window* win) noexcept nogil:
    """The bits of the line o positions away along p's axis (across lines), from
    its segment's first point; zeros where there is no such line."""
    cdef int last = t.nd - 1, d = p.dim
    cdef Py_ssize_t n = t.full[d], jd = idx[d] + o
    if jd < 0 or jd >= n:
        if not p.ghosts or (o if o > 0 else -o) >= n:
            return NO_LINE
        jd = ghost_index(jd, n, B_PERIODIC)
    return cached_bits(cache, src, foff + (jd - idx[d]) * t.fstride[d], t.fstride[last],
                       t.full[last], win)


cdef inline unsigned char first_needs(unsigned char* need, const unsigned char* own,
                                      const unsigned char* lo, const unsigned char* hi,
                                      Py_ssize_t m, Py_ssize_t c0, Py_ssize_t c1) noexcept nogil:
    """A term's needs from its point (own), and its neighbours at distance 1 (lo,
    hi): P_SURE only at c0..c1-1.  One pass (loops the compiler vectorises);
    returns the or of the needs it found (0: none)."""
    cdef Py_ssize_t k
    cdef unsigned char v, seen = 0
    for k in range(c0):
        v = (own[k] & P_BAD) | (((lo[k] | hi[k]) & P_BAD) << 2)
        need[k] |= v
        seen |= v
    for k in range(c0, c1):
        v = ((own[k] & P_BAD) | ((lo[k] | hi[k]) & P_SURE) | (((lo[k] | hi[k]) & P_BAD) << 2))
        need[k] |= v
        seen |= v
    for k in range(c1 if c1 > c0 else c0, m):
        v = (own[k] & P_BAD) | (((lo[k] | hi[k]) & P_BAD) << 2)
        need[k] |= v
        seen |= v
    return seen


cdef inline unsigned char more_needs(unsigned char* need, const unsigned char* lo,
                                     const unsigned char* hi, Py_ssize_t m) noexcept nogil:
    """P_NEAR from the values at a further distance (lo, hi)."""
    cdef Py_ssize_t k
    cdef unsigned char v, seen = 0
    for k in range(m):
        v = ((lo[k] | hi[k]) & P_BAD) << 2
        need[k] |= v
        seen |= v
    return seen


cdef void sure_span(const AxisPlan* p, Py_ssize_t n, Py_ssize_t* c0, Py_ssize_t* c1) noexcept nogil:
    """The positions c0..c1-1 of an axis of n points whose swept stencil reads both
    neighbours (at an end, its inner one): there a NaN next to a point makes the
    sweep's output NaN.  numpy's schemes and uneven k-tap ones read every point of
    their window; a uniform k-tap stencil skips its taps of weight 0 (an end's row
    may have one next to the point: `point_taps`), so only its central stencil
    counts, and only if both of its neighbours' weights are nonzero."""
    cdef Py_ssize_t wt, h = p.half
    cdef const char* w
    c0[0], c1[0] = 0, n
    if h == 0 or p.uneven_taps:
        return
    if not p.ghosts:
        c0[0], c1[0] = h, max(n - h, h)
    w = tap_weights(p, h, max(n, 2 * h + 1), &wt)      # the central row
    if p.wide:
        if (<const double*>w)[h - 1] == 0 or (<const double*>w)[h + 1] == 0:
            c1[0] = c0[0]
    elif (<const float*>w)[h - 1] == 0 or (<const float*>w)[h + 1] == 0:
        c1[0] = c0[0]


cdef void act_on_needs(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans, int g,
                       Py_ssize_t* idx, Py_ssize_t k0, Py_ssize_t m, unsigned char* need,
                       AxisPlan* scratch) noexcept nogil:
    """Group g's outputs at the points of the line idx whose needs ask for it: NaN
    at non-finite points the sweep did not already make NaN, recomputed at finite
    points near non-finite ones.  The needs become actions in one pass, then the
    actions run.  (Prefetching the actions' output lines for writing first, all
    at once, measured no faster: 6.7-7.0 ms on one thread either way, 2000x2000
    30% land, in alternating processes.)"""
    cdef Py_ssize_t k
    cdef unsigned char v
    for k in range(m):                  # one vectorised pass: the actions
        v = need[k]
        need[k] = (v & ~(v >> 1) & P_BAD) | ((v >> 1) & A_REDO & ~(v << 1))
    walk_actions(f, t, plans, nplans, g, idx, k0, m, need, scratch)


cdef void walk_actions(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans, int g,
                       Py_ssize_t* idx, Py_ssize_t k0, Py_ssize_t m, const unsigned char* need,
                       AxisPlan* scratch) noexcept nogil:
    """Each action of need[0:m], run.  Most of a span asks nothing: NEED_BLOCK
    points are tested at once, then each word of 8 (need[m:] holds zeros up to
    the block's end)."""
    cdef int last = t.nd - 1, i
    cdef Py_ssize_t k = 0, e
    cdef unsigned char a
    cdef double nan_value[2]
    put_nan(<char*>nan_value, f)
    while k < m:
        if gx_zero32(need + k):
            k += NEED_BLOCK
            continue
        e = min(k + NEED_BLOCK, m) - k
        i = 0
        while i < e:
            if (i & 7) == 0 and gx_zero8(need + k + i):
                i += 8                  # a word without action
                continue
            a = need[k + i]
            if a:
                idx[last] = k0 + k + i
                if a == A_NAN:
                    put_elem(plans[g].out + output_offset(t, &plans[g], idx),
                             <const char*>nan_value, &plans[g], f)
                else:
                    recompute_group(f, t, plans, nplans, g, idx, scratch)
            i += 1
        k += NEED_BLOCK


cdef inline int group_after(const AxisPlan* plans, int nplans, int g) noexcept nogil:
    """The first plan after the output group that plan g stores."""
    cdef int r = g + 1
    while r < nplans and plans[r].out == plans[g].out and (plans[r].combine
                                                           or plans[r].accumulate):
        r += 1
    return r


cdef inline Py_ssize_t point_offset(const Tiling* t, const Py_ssize_t* idx) noexcept nogil:
    cdef Py_ssize_t off = 0
    cdef int d
    for d in range(t.nd):
        off += idx[d] * t.fstride[d]
    return off


cdef inline Py_ssize_t output_offset(const Tiling* t, const AxisPlan* p,
                                     const Py_ssize_t* idx) noexcept nogil:
    cdef Py_ssize_t off = 0
    cdef int d
    for d in range(t.nd):
        off += idx[d] * p.ostride[d]
    return off


cdef inline int group_first(const AxisPlan* plans, int q) noexcept nogil:
    """The plan that stores the output plans[q] adds to (itself if it stores)."""
    while q > 0 and (plans[q].combine or plans[q].accumulate) and plans[q - 1].out == plans[q].out:
        q -= 1
    return q


cdef void recompute_group(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                          int q, const Py_ssize_t* idx, AxisPlan* scratch) noexcept nogil:
    """The output plans[q] contributes to, at idx: each term on its own run,
    combined as the sweep combines them (the first stored, the others added or
    subtracted in the output's type).  scratch: each plan's `term_copy`, or NULL."""
    cdef double tmp[2]
    cdef double value[2]
    cdef int g = group_first(plans, q), r
    split_term(f, t, &plans[g], idx, <char*>value, NULL if scratch == NULL else &scratch[g])
    for r in range(g + 1, group_after(plans, nplans, g)):
        split_term(f, t, &plans[r], idx, <char*>tmp, NULL if scratch == NULL else &scratch[r])
        add_into(<char*>value, <const char*>tmp, -1 if plans[r].combine < 0 else 1, f)
    put_elem(plans[g].out + output_offset(t, &plans[g], idx), <const char*>value, &plans[g], f)


cdef inline void put_elem(char* o, const char* v, const AxisPlan* p, const src_t* like) noexcept nogil:
    """One corrected output element: streamed if the sweep streamed its line
    (else the store reads the line back from memory), plain otherwise."""
    if p.stream:
        gx_stream_elem(o, v, out_elem(like))
    else:
        memcpy(o, v, out_elem(like))


cdef inline void term_copy(const AxisPlan* p, AxisPlan* pe) noexcept nogil:
    """A plan as one term's value at one point computes it: stored plainly (no
    streaming, no adding), without the sweep's per-line coefficients."""
    pe[0] = p[0]
    pe.accumulate = False
    pe.combine = 0
    pe.stream = False
    pe.coef = NULL


cdef void split_term(const src_t* f, const Tiling* t, const AxisPlan* p, const Py_ssize_t* idx,
                     char* o, AxisPlan* pe) noexcept nogil:
    """One term's value at idx, each run of its source its own array, into o (one
    output element).  pe: p's `term_copy`, which this leaves as it found it (the
    unit makes one per plan, once: a plan is large), or NULL."""
    cdef const src_t* src = f if p.src == NULL else <const src_t*>p.src
    cdef int d = p.dim, k
    cdef Py_ssize_t n = t.full[d], s = t.fstride[d], j = idx[d], base, jj
    cdef Py_ssize_t a = 0, b = n, size = out_elem(f)
    cdef bint near_a = False, near_b = False, periodic = p.ghosts, at_end
    cdef int h = p.half if p.half else 1
    cdef AxisPlan copy
    cdef bint ghosts
    cdef const void* w
    cdef const void* wpoint
    if pe == NULL:
        term_copy(p, &copy)
        pe = &copy
    base = point_offset(t, idx) - j * s          # the line's first point
    if bad_at(src, base + j * s):
        put_nan(o, f)
        return
    if p.split:
        # the run around j, in unwrapped positions a .. b-1, where within reach
        for k in range(1, p.reach + 1):
            jj = j - k
            if jj < 0 and not periodic:
                a, near_a = 0, True
                break
            if k < n and bad_at(src, base + ghost_index(jj, n, B_PERIODIC) * s):
                a, near_a = jj + 1, True
                break
        for k in range(1, p.reach + 1):
            jj = j + k
            if jj >= n and not periodic:
                b, near_b = n, True
                break
            if k < n and bad_at(src, base + ghost_index(jj, n, B_PERIODIC) * s):
                b, near_b = jj, True
                break
        if near_a and near_b and b - a < p.min_len:
            put_nan(o, f)
            return
        # the run's own end (not the axis's: that one is the swept stencil's), or an
        # end of a uniform run too short for the axis's rows
        at_end = ((near_a and j - a < h and (periodic or a > 0))
                  or (near_b and b - 1 - j < h and (periodic or b < n))
                  or (near_a and near_b and p.half and not p.uneven_taps
                      and b - a < p.edge_taps + p.half - 1
                      and (j - a < h or b - 1 - j < h)))
        if at_end:
            ghosts, w, wpoint = pe.ghosts, pe.w, pe.wpoint      # run_end sets them
            run_end(src, base, s, n, a, b, near_a, near_b, j, pe, o, f)
            pe.ghosts, pe.w, pe.wpoint = ghosts, w, wpoint
            return
    # the axis's own stencil at j reads only j's run: as swept
    line_stencil(<const src_t*>at(src, base), s, o - j * size, size, n, j, j + 1, pe)


cdef void run_end(const src_t* src, Py_ssize_t base, Py_ssize_t s, Py_ssize_t n,
                  Py_ssize_t a, Py_ssize_t b, bint near_a, bint near_b, Py_ssize_t j,
                  AxisPlan* pe, char* o, const src_t* like) noexcept nogil:
    """j's value near an end of its run [a, b) (unwrapped positions; a far end not
    known): the run, or its known end's edge_taps + half points, gathered with their
    coordinates, then the standalone call's primitives on them."""
    cdef src_t v[GATHER_MAX]
    cdef double xd[GATHER_MAX]
    cdef float xf[GATHER_MAX]
    cdef double row[MAX_TAPS]
    cdef float rowf[MAX_TAPS]
    cdef double c[3]
    c[0] = c[1] = c[2] = 0
    cdef Py_ssize_t g0, m, u, w, i, size = out_elem(like), sz = sizeof(src_t)
    cdef int h = pe.half if pe.half else 1, te = pe.edge_taps if pe.half else pe.edge_order + 1
    cdef int t
    cdef double shift, hh
    if near_a and near_b:
        g0, m = a, b - a                        # the whole run (short: within reach)
    elif near_a and j - a < h:
        g0, m = a, te + h
    else:
        g0, m = b - (te + h), te + h
    for u in range(m):
        w = ghost_index(g0 + u, n, B_PERIODIC)
        v[u] = (<const src_t*>at(src, base + w * s))[0]
        shift = ((g0 + u) - w) // n * pe.period       # whole periods wrapped (exact: C's //)
        if pe.xw != NULL:
            xd[u] = pe.xw[w] + shift
        elif pe.x != NULL and pe.x_double:
            xd[u] = (<const double*>pe.x)[w] + shift
        elif pe.x != NULL:
            xf[u] = <float>((<const float*>pe.x)[w] + <float>shift)
    i = j - g0
    if not pe.half:                             # numpy's edges, on the run's points
        if i == 0:
            if pe.x == NULL:
                hh = pe.dx_lo
                c[0], c[1], c[2] = pe.lo[0], pe.lo[1], pe.lo[2]
            elif pe.x_double:
                hh = low_edge(<const double*>xd, pe.edge_order, c)
            else:
                hh = low_edge(<const float*>xf, pe.edge_order, c)
            if pe.edge_order == 1:
                op_diff(&v[1], &v[0], sz, o, size, 1, hh, pe.edge_wide)
            else:
                op_comb(&v[0], &v[1], &v[2], sz, o, size, 1, c, pe.edge_wide)
        else:
            if pe.x == NULL:
                hh = pe.dx_hi
                c[0], c[1], c[2] = pe.hi[0], pe.hi[1], pe.hi[2]
            elif pe.x_double:
                hh = high_edge(<const double*>xd + m - 3, pe.edge_order, c)
            else:
                hh = high_edge(<const float*>xf + m - 3, pe.edge_order, c)
            if pe.edge_order == 1:
                op_diff(&v[m - 1], &v[m - 2], sz, o, size, 1, hh, pe.edge_wide)
            else:
                op_comb(&v[m - 3], &v[m - 2], &v[m - 1], sz, o, size, 1, c, pe.edge_wide)
        return
    pe.ghosts = False
    if pe.uneven_taps:                          # the run's end weights, as its own table's
        if i < h:
            end_weights(xd, te, <int>i, pe.order, row)
        else:
            end_weights(xd + m - te, te, <int>(i - (m - te)), pe.order, row)
        if pe.wide:
            pe.wpoint = row
        else:
            for t in range(te):
                rowf[t] = <float>row[t]
            pe.wpoint = rowf
    else:                                       # the rows of a run of this length
        pe.w = <const char*>pe.wruns + (min(m, te + h - 1) - te) * pe.rows_len * (
            sizeof(double) if pe.wide else sizeof(float))
    position_taps(v, sz, sz, o, size, i, m, 1, pe)
