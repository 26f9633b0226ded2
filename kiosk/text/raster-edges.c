/* raster-edges.c - see raster-edges.h. Signed-area accumulation in the manner of libart and
 * font-rs: every line segment adds, to each pixel cell it crosses, the area it covers to the cell's
 * right within the cell and the remainder ("cover") to the next cell; a prefix sum along the row
 * then yields each pixel's winding-weighted coverage. Exact for non-overlapping paths; overlapping
 * contours of the same winding are clamped to full coverage (nonzero rule).
 * Large boxes are accumulated in columns instead (see layout_columns() in raster.c): the code that
 * cuts and adds pieces is the same, with x and y swapped; where it says rows, read columns there.
 */
#include "raster-edges.h"

#include <math.h>
#if defined(__AVX__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif
#include <string.h>

#define MAX_CURVE_STEPS 1024

/* Accumulator units of a fully covered pixel: 255 << 4, so the sweep's coverage is a shift away
 * and a 16-bit cell holds windings up to 8 deep with 1/16 of a coverage level to spare. Cells
 * add modulo 2^16: sums that pass through overflow on their way still come out right. */
#define ACC_ONE 4080.0f
/* Plain compares, not fminf(): they compile to one instruction and need no libm call. */
static inline float minf(float a, float b)
{
    return a < b ? a : b;
}

static inline float maxf(float a, float b)
{
    return a > b ? a : b;
}

/* floor and ceil for 0 <= v < 2^31 without libm (SSE2 has no rounding instruction). */
static inline int32_t floor_pos(float v)
{
    return (int32_t)v;
}

static inline int32_t ceil_pos(float v)
{
    int32_t i = (int32_t)v;
    return i + ((float)i < v);
}

/* Two points at a time in 4-lane vectors (GCC/Clang vector extensions: SSE2 or NEON code,
 * plain scalar code elsewhere). */
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

/* Lane-wise minimum and maximum: for numbers exactly minf() and maxf(). What a NaN lane gives
 * differs by architecture, which does not matter: a NaN point is refused by its probe sum
 * whatever its bounds, and the row pieces' lanes that count are finite. */
static inline v4f v4_min(v4f a, v4f b)
{
#if defined(__SSE2__)
    return (v4f)_mm_min_ps((__m128)a, (__m128)b);
#elif defined(__aarch64__)
    return (v4f)vminq_f32((float32x4_t)a, (float32x4_t)b);
#else
    const v4i lt = a < b;
    return (v4f)((lt & (v4i)a) | (~lt & (v4i)b));
#endif
}

static inline v4f v4_max(v4f a, v4f b)
{
#if defined(__SSE2__)
    return (v4f)_mm_max_ps((__m128)a, (__m128)b);
#elif defined(__aarch64__)
    return (v4f)vmaxq_f32((float32x4_t)a, (float32x4_t)b);
#else
    const v4i gt = a > b;
    return (v4f)((gt & (v4i)a) | (~gt & (v4i)b));
#endif
}

/* max(v, 0) lane by lane, and 0 for a NaN (the break between two contours, see
 * contour_start()), on every architecture. */
static inline v4f v4_max0(v4f v)
{
#if defined(__SSE2__)
    return (v4f)_mm_max_ps((__m128)v, _mm_setzero_ps()); /* the second operand when unordered */
#elif defined(__aarch64__)
    return (v4f)vmaxnmq_f32((float32x4_t)v, vdupq_n_f32(0.0f)); /* IEEE maxNum */
#else
    const v4i gt = v > (v4f){0.0f, 0.0f, 0.0f, 0.0f};
    return (v4f)(gt & (v4i)v);
#endif
}

/* Transforms n points (x, y pairs) by (mxx mxy, myx myy) plus (tx, ty), each coordinate
 * computed as the scalar m * px + m * py + t would be; stores them at dst unless it is NULL.
 * lohi gets the results' smallest x, y and largest x, y; big the largest |source coordinate|
 * (may drop a NaN); probe a sum of all results (NaN and infinity survive it). */
static inline __attribute__((always_inline)) void points_map(const float *src, uint32_t n,
                                                             const float mm[6], float *dst,
                                                             float lohi[4], float *big,
                                                             float *probe)
{
    const v4f ma = {mm[0], mm[2], mm[0], mm[2]}, mb = {mm[1], mm[3], mm[1], mm[3]};
    const v4f t = {mm[4], mm[5], mm[4], mm[5]};
    const v4i absmask = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    v4f lo = {INFINITY, INFINITY, INFINITY, INFINITY}, hi = -lo, vbig = {0, 0, 0, 0};
    v4f vprobe = vbig;
    uint32_t i = 0;
#if defined(__AVX__)
    /* Four points at a time in the AVX2 engine: the same operations on each coordinate. */
    const __m256 ma8 = _mm256_setr_ps(mm[0], mm[2], mm[0], mm[2], mm[0], mm[2], mm[0], mm[2]);
    const __m256 mb8 = _mm256_setr_ps(mm[1], mm[3], mm[1], mm[3], mm[1], mm[3], mm[1], mm[3]);
    const __m256 t8 = _mm256_setr_ps(mm[4], mm[5], mm[4], mm[5], mm[4], mm[5], mm[4], mm[5]);
    const __m256 abs8 = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    __m256 lo8 = _mm256_set1_ps(INFINITY), hi8 = _mm256_set1_ps(-INFINITY);
    __m256 big8 = _mm256_setzero_ps(), probe8 = big8;
    for (; i + 4 <= n; i += 4) {
        const __m256 p = _mm256_loadu_ps(src + 2 * i);
        const __m256 q = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(ma8, _mm256_moveldup_ps(p)),
                                                     _mm256_mul_ps(mb8, _mm256_movehdup_ps(p))),
                                       t8);
        if (dst) {
            _mm256_storeu_ps(dst + 2 * i, q);
        }
        big8 = _mm256_max_ps(big8, _mm256_and_ps(p, abs8));
        probe8 = _mm256_add_ps(probe8, q);
        lo8 = _mm256_min_ps(lo8, q), hi8 = _mm256_max_ps(hi8, q);
    }
    lo = v4_min((v4f)_mm256_castps256_ps128(lo8), (v4f)_mm256_extractf128_ps(lo8, 1));
    hi = v4_max((v4f)_mm256_castps256_ps128(hi8), (v4f)_mm256_extractf128_ps(hi8, 1));
    vbig = v4_max((v4f)_mm256_castps256_ps128(big8), (v4f)_mm256_extractf128_ps(big8, 1));
    vprobe = (v4f)_mm256_castps256_ps128(probe8) + (v4f)_mm256_extractf128_ps(probe8, 1);
#endif
    for (; i + 2 <= n; i += 2) {
        v4f p;
        memcpy(&p, src + 2 * i, sizeof p);
        const v4f px = __builtin_shufflevector(p, p, 0, 0, 2, 2);
        const v4f py = __builtin_shufflevector(p, p, 1, 1, 3, 3);
        const v4f q = ma * px + mb * py + t;
        if (dst) {
            memcpy(dst + 2 * i, &q, sizeof q);
        }
        vbig = v4_max(vbig, (v4f)((v4i)p & absmask));
        vprobe += q;
        lo = v4_min(lo, q), hi = v4_max(hi, q);
    }
    float bg = maxf(maxf(vbig[0], vbig[1]), maxf(vbig[2], vbig[3]));
    float pr = (vprobe[0] + vprobe[1]) + (vprobe[2] + vprobe[3]);
    lohi[0] = minf(lo[0], lo[2]), lohi[1] = minf(lo[1], lo[3]);
    lohi[2] = maxf(hi[0], hi[2]), lohi[3] = maxf(hi[1], hi[3]);
    if (i < n) {
        const float fx = src[2 * i], fy = src[2 * i + 1];
        const float x = mm[0] * fx + mm[1] * fy + mm[4], y = mm[2] * fx + mm[3] * fy + mm[5];
        if (dst) {
            dst[2 * i] = x, dst[2 * i + 1] = y;
        }
        bg = maxf(bg, maxf(fabsf(fx), fabsf(fy)));
        pr += x + y;
        lohi[0] = minf(lohi[0], x), lohi[1] = minf(lohi[1], y);
        lohi[2] = maxf(lohi[2], x), lohi[3] = maxf(lohi[3], y);
    }
    *big = bg, *probe = pr;
}

/* Adds v to a cell, modulo 2^16. */
static inline void acc_add(uint16_t *cell, int32_t v)
{
    *cell = (uint16_t)(*cell + (uint32_t)v);
}

/* Adds a, b and c to three cells in a row, each on its own. Compilers like to merge such adds
 * into wider loads and stores; then the next piece's wide load overlaps this piece's wide
 * store in part, which no store-to-load forwarding serves: a stall per piece. The empty asm
 * hides that the cells are neighbours. */
static inline __attribute__((always_inline)) void acc_add3(uint16_t *cell, int32_t a, int32_t b,
                                                           int32_t c, int32_t step)
{
    acc_add(cell, a);
    __asm__("" : "+r"(cell));
    acc_add(cell + step, b);
    __asm__("" : "+r"(cell));
    acc_add(cell + 2 * step, c);
}

static inline v4f v4_splat(float f)
{
    return (v4f){f, f, f, f};
}

/* Rounds each lane to the nearest integer (ties to even with SSE2 and NEON, away from zero in
 * portable C); the lanes are finite. */
static inline v4i v4_round(v4f v)
{
#if defined(__SSE2__)
    return (v4i)_mm_cvtps_epi32((__m128)v);
#elif defined(__aarch64__)
    return (v4i)vcvtnq_s32_f32((float32x4_t)v);
#else
    const v4f half = (v4f)((v4i)v4_splat(0.5f) | ((v4i)v & (v4i)v4_splat(-0.0f)));
    return __builtin_convertvector(v + half, v4i); /* truncates */
#endif
}

typedef uint16_t v8u __attribute__((vector_size(16)));

/* Eight 32-bit lanes (lo, then hi) as 16 bits each. The values are cells' shares, within
 * +-ACC_ONE: SSE2's saturating pack keeps them whole in one instruction. */
static inline v8u v8u_narrow(v4i lo, v4i hi)
{
#if defined(__SSE2__)
    return (v8u)_mm_packs_epi32((__m128i)lo, (__m128i)hi);
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return __builtin_shufflevector((v8u)lo, (v8u)hi, 0, 2, 4, 6, 8, 10, 12, 14);
#else
    return (v8u){(uint16_t)lo[0], (uint16_t)lo[1], (uint16_t)lo[2], (uint16_t)lo[3],
                 (uint16_t)hi[0], (uint16_t)hi[1], (uint16_t)hi[2], (uint16_t)hi[3]};
#endif
}

/* The rounded area (times d) left of the right side of cells j of a piece across m >= 3 cells
 * after its first (see piece_wide_add()); di itself from the piece's last cell on. */
static inline v4i span_steps4(v4i j, int32_t m, float d, int32_t di, float a0, float a1, float am,
                              float s)
{
    const v4i first = j == 0, end = j == m - 1, past = j >= m;
    const v4f mid = v4_splat(a1) + __builtin_convertvector(j - 1, v4f) * v4_splat(s);
    const v4f cum = (v4f)((first & (v4i)v4_splat(a0)) | (end & (v4i)v4_splat(1.0f - am)) |
                          (~(first | end) & (v4i)mid));
    return (v4_round(v4_splat(d) * cum) & ~past) | (di & past);
}

/* Adds a row piece from x to xn (box-relative, any order) across three or more cells, covering
 * the row by di accumulator units: a trapezoid per cell, triangles at both ends (font-rs's way).
 * What is rounded is the area left of each cell's right side, and each cell gets the step
 * between two of those: the rounding cannot build up along a long piece (rounding each cell's
 * share, 30 cells put a pixel more than a level off), and the shares add up to exactly di,
 * the cover in whole units (see pieces4_store()), so a row that edges cross and leave returns
 * to exactly zero. Eight cells go in per round (zero past the piece's last cell), so a piece's
 * width costs no branch for up to eight;
 * the accumulator has room for the cells past a row's end (see raster_begin()), and adding
 * zero there changes nothing. The cells are step apart: 1 in rows, where the eight go in as one
 * vector, a row of the box in columns. */
static void piece_wide_add(uint16_t *row, float x, float xn, int32_t di, int32_t step)
{
    const float d = (float)di;
    const float xa = minf(x, xn), xb = maxf(x, xn);
    const int32_t xai = floor_pos(xa), xbi = ceil_pos(xb), m = xbi - xai;
    const float s = 1.0f / (xb - xa), x0f = xa - (float)xai, x1f = xb - (float)xbi + 1.0f;
    const float a0 = 0.5f * s * (1.0f - x0f) * (1.0f - x0f), am = 0.5f * s * x1f * x1f;
    const float a1 = s * (1.5f - x0f);
    int32_t prev = 0; /* the rounded area left of the cells that follow */
    for (int32_t j0 = 0; j0 <= m; j0 += 8) {
        const v4i j = (v4i){0, 1, 2, 3} + j0;
        const v4i lo = span_steps4(j, m, d, di, a0, a1, am, s);
        const v4i hi = span_steps4(j + 4, m, d, di, a0, a1, am, s);
        const v4i before_lo = __builtin_shufflevector((v4i){prev, 0, 0, 0}, lo, 0, 4, 5, 6);
        const v4i before_hi = __builtin_shufflevector(lo, hi, 3, 4, 5, 6);
        const v8u shares = v8u_narrow(lo - before_lo, hi - before_hi);
        uint16_t *cell = row + (xai + j0) * step;
        if (step == 1) {
            v8u cells;
            memcpy(&cells, cell, sizeof cells);
            cells += shares;
            memcpy(cell, &cells, sizeof cells);
        } else {
            acc_add3(cell, shares[0], shares[1], shares[2], step);
            acc_add3(cell + 3 * step, shares[3], shares[4], shares[5], step);
            acc_add(cell + 6 * step, shares[6]);
            acc_add(cell + 7 * step, shares[7]);
        }
        prev = hi[3];
    }
}

/* d times the area left of the cell side u (u > xa) within the row and right of a piece from xa
 * to xb: the triangle up to min(xb, u) plus the full height beyond it; slope is
 * d / (2 (xb - xa)). */
static inline v4f v4_area_left(v4f u, v4f xa, v4f xb, v4f d, v4f slope)
{
    const v4f e = v4_min(xb, u), t = e - xa;
    return t * t * slope + d * (u - e);
}

/* Lane i of compact_lanes[m] is the index of the (i+1)-th lane set in the 4-bit mask m. */
static const v4i compact_lanes[16] = {{0, 0, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0},
                                      {2, 0, 0, 0}, {0, 2, 0, 0}, {1, 2, 0, 0}, {0, 1, 2, 0},
                                      {3, 0, 0, 0}, {0, 3, 0, 0}, {1, 3, 0, 0}, {0, 1, 3, 0},
                                      {2, 3, 0, 0}, {0, 2, 3, 0}, {1, 2, 3, 0}, {0, 1, 2, 3}};

/* The lanes of v that the 4-bit mask m selects, moved to the front in order; the lanes after
 * them are any of v's. One instruction with AVX (V4_COMPACT_FAST); elsewhere lane by lane, which
 * costs more than it saves where it is optional (SSE2: 5 % more time at 200 px). */
#if defined(__AVX__)
#define V4_COMPACT_FAST 1
#else
#define V4_COMPACT_FAST 0
#endif
static inline v4i v4_compact(v4i v, int m)
{
    const v4i pick = compact_lanes[m];
#if defined(__AVX__)
    return (v4i)_mm_permutevar_ps((__m128)v, (__m128i)pick);
#else
    return (v4i){v[pick[0]], v[pick[1]], v[pick[2]], v[pick[3]]};
#endif
}

/* How many lanes the 4-bit mask m has set (a table: x86-64's baseline has no popcnt, and
 * __builtin_popcount() became a library call). */
static const uint8_t lanes_set[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};

/* The lanes of a mask (all ones or zero per lane) as the bits of an int, lane 0 lowest. */
static inline int v4_signs(v4i m)
{
#if defined(__SSE2__)
    return _mm_movemask_ps((__m128)m);
#else
    return (m[0] & 1) | (m[1] & 2) | (m[2] & 4) | (m[3] & 8);
#endif
}

/* Adds four pieces' shares to their three cells each: a0, a1 and a2 to the cells at and after
 * cell (indices into acc). The shares fit 16 bits; SSE2 packs them so that each is one
 * instruction away from its register. */
static inline __attribute__((always_inline)) void cells4_add(uint16_t *acc, v4i cell, v4i a0,
                                                             v4i a1, v4i a2, int32_t step)
{
#if defined(__SSE2__)
    const __m128i p01 = _mm_packs_epi32((__m128i)a0, (__m128i)a1);
    const __m128i p2 = _mm_packs_epi32((__m128i)a2, (__m128i)a2);
    acc_add3(acc + cell[0], _mm_extract_epi16(p01, 0), _mm_extract_epi16(p01, 4),
             _mm_extract_epi16(p2, 0), step);
    acc_add3(acc + cell[1], _mm_extract_epi16(p01, 1), _mm_extract_epi16(p01, 5),
             _mm_extract_epi16(p2, 1), step);
    acc_add3(acc + cell[2], _mm_extract_epi16(p01, 2), _mm_extract_epi16(p01, 6),
             _mm_extract_epi16(p2, 2), step);
    acc_add3(acc + cell[3], _mm_extract_epi16(p01, 3), _mm_extract_epi16(p01, 7),
             _mm_extract_epi16(p2, 3), step);
#else
    /* Lanes by constant index: register moves, not a trip through memory. */
    acc_add3(acc + cell[0], a0[0], a1[0], a2[0], step);
    acc_add3(acc + cell[1], a0[1], a1[1], a2[1], step);
    acc_add3(acc + cell[2], a0[2], a1[2], a2[2], step);
    acc_add3(acc + cell[3], a0[3], a1[3], a2[3], step);
#endif
}

/* a * b lane by lane for 0 <= a, b < 2^15 (a cell's column and a row's length in cells, both
 * at most RASTER_MAX_DIM + 16): one instruction on SSE2, which has no 32-bit multiply. */
static inline v4i v4_mul_small(v4i a, int32_t b)
{
#if defined(__SSE2__)
    return (v4i)_mm_madd_epi16((__m128i)a, _mm_set1_epi32(b));
#else
    return a * b;
#endif
}

/* cells4_add() for five cells a piece, step apart (the columns layout's wide pieces). */
static inline __attribute__((always_inline)) void
cells4_add5(uint16_t *acc, v4i cell, v4i a0, v4i a1, v4i a2, v4i a3, v4i a4, int32_t step)
{
#if defined(__SSE2__)
    /* Through memory: scalar loads of a vector just stored are forwarded, and twenty lane
     * extracts would queue for the shuffle unit. */
    uint16_t sh[24];
    int32_t ci[4];
    _mm_storeu_si128((__m128i *)(void *)sh, _mm_packs_epi32((__m128i)a0, (__m128i)a1));
    _mm_storeu_si128((__m128i *)(void *)(sh + 8), _mm_packs_epi32((__m128i)a2, (__m128i)a3));
    _mm_storeu_si128((__m128i *)(void *)(sh + 16), _mm_packs_epi32((__m128i)a4, (__m128i)a4));
    _mm_storeu_si128((__m128i *)(void *)ci, (__m128i)cell);
#else
    int32_t sh[24], ci[4];
    memcpy(sh, &a0, sizeof a0), memcpy(sh + 4, &a1, sizeof a1), memcpy(sh + 8, &a2, sizeof a2);
    memcpy(sh + 12, &a3, sizeof a3), memcpy(sh + 16, &a4, sizeof a4);
    memcpy(ci, &cell, sizeof cell);
#endif
    for (int k = 0; k < 4; k++) {
        uint16_t *c = acc + ci[k];
        acc_add3(c, sh[k], sh[k + 4], sh[k + 8], step);
        c += 3 * step;
        __asm__("" : "+r"(c));
        acc_add(c, sh[k + 12]);
        __asm__("" : "+r"(c));
        acc_add(c + step, sh[k + 16]);
    }
}

/* Four listed wide pieces, ix[0..3], as pieces_wide_cols*() take them. */
typedef struct wide4 {
    v4f xa, xb, d, slope, xaf; /* ends in order, cover, slope, the first cell's side */
    v4i di, cell;              /* whole cover, the first cell (index into acc) */
} wide4_t;

static inline __attribute__((always_inline)) wide4_t wide4_load(const raster_t *r,
                                                                const int32_t *ix)
{
    const v4f x = {r->piece_x[ix[0]], r->piece_x[ix[1]], r->piece_x[ix[2]], r->piece_x[ix[3]]};
    const v4f xn = {r->piece_xn[ix[0]], r->piece_xn[ix[1]], r->piece_xn[ix[2]], r->piece_xn[ix[3]]};
    const v4i base = {r->piece_base[ix[0]], r->piece_base[ix[1]], r->piece_base[ix[2]],
                      r->piece_base[ix[3]]};
    wide4_t p;
    p.slope = (v4f){r->piece_slope[ix[0]], r->piece_slope[ix[1]], r->piece_slope[ix[2]],
                    r->piece_slope[ix[3]]};
    p.di = (v4i){r->piece_di[ix[0]], r->piece_di[ix[1]], r->piece_di[ix[2]], r->piece_di[ix[3]]};
    p.d = __builtin_convertvector(p.di, v4f);
    p.xa = v4_min(x, xn), p.xb = v4_max(x, xn);
    const v4i xai = __builtin_convertvector(p.xa, v4i);
    p.xaf = __builtin_convertvector(xai, v4f);
    p.cell = base + v4_mul_small(xai, r->stride);
    return p;
}

/* Lists the pieces ix[0..3] that do not fit (lanes of fits clear) at wide_idx + nr, behind
 * the reading; returns the new count. */
static inline __attribute__((always_inline)) int32_t wide4_rest(raster_t *r, const int32_t *ix,
                                                                v4i fits, int32_t nr)
{
    const int m = v4_signs(~fits);
    v4i idx;
    memcpy(&idx, ix, sizeof idx);
    const v4i rest = v4_compact(idx, m);
    memcpy(r->wide_idx + nr, &rest, sizeof rest);
    return nr + lanes_set[m];
}

/* Pads the list of nw wide pieces with n, a piece of no height, to a whole vector. */
static void wide_list_pad(raster_t *r, int32_t nw, int32_t n)
{
    for (int32_t k = nw; k < nw + 3; k++) {
        r->wide_idx[k] = n;
    }
}

/* The listed pieces that cross five to eight cells, as pieces_wide_cols() adds those within
 * four, nine cells each; returns how many did not fit, listed in their place. */
static int32_t pieces_wide_cols9(raster_t *r, int32_t nw, int32_t n)
{
    const int32_t step = r->stride;
    int32_t nr = 0;
    wide_list_pad(r, nw, n);
    for (int32_t w = 0; w < nw; w += 4) {
        const int32_t *ix = r->wide_idx + w;
        const wide4_t p = wide4_load(r, ix);
        const v4i fits = p.xb <= p.xaf + 8.0f;
        v4i sh[9];
        v4f a_prev = v4_area_left(p.xaf + 1.0f, p.xa, p.xb, p.d, p.slope);
        v4i r_prev = v4_round(a_prev);
        sh[0] = r_prev & fits;
        for (int j = 1; j < 8; j++) {
            const v4f a = v4_area_left(p.xaf + (float)(j + 1), p.xa, p.xb, p.d, p.slope);
            const v4i rj = v4_round(a - a_prev);
            sh[j] = (rj - r_prev) & fits;
            a_prev = a, r_prev = rj;
        }
        sh[8] = (p.di - r_prev) & fits;
        /* Through memory, as in cells4_add5(). */
        int32_t v[36], ci[4];
        for (int j = 0; j <= 8; j++) {
            memcpy(v + 4 * j, &sh[j], sizeof sh[j]);
        }
        memcpy(ci, &p.cell, sizeof ci);
        for (int k = 0; k < 4; k++) {
            uint16_t *c = r->acc + ci[k];
            for (int j = 0; j <= 8; j++) {
                acc_add(c, v[4 * j + k]);
                c += step;
                __asm__("" : "+r"(c)); /* see acc_add3() */
            }
        }
        nr = wide4_rest(r, ix, fits, nr);
    }
    return nr;
}

/* The columns layout's wide pieces, as listed by pieces_flush(): there, upright strokes make
 * them common (Dancing Script at 200 px: a quarter of the pieces, against a twelfth in rows),
 * but nearly all cross at most four cells. Those go in four at a time, five cells each, branch
 * free: cell j's cover is A(u_j+1) - A(u_j), with A(u) the area left of the cell side u (see
 * pieces_flush()), each rounded, and the last cell takes the rest of di. Most of the rest
 * cross at most eight (Kristi at 200 px: 10 pieces a glyph): they go in the same way, nine
 * cells each (2-3% less time at 200 px than one by one), and the few wider ones one by one.
 * Cells written: up to 4 past the box's rows, or 8 (piece_wide_add()): RASTER_COLUMNS_SLACK. */
static void pieces_wide_cols(raster_t *r, int32_t nw, int32_t n)
{
    uint16_t *const acc = r->acc;
    const int32_t step = r->stride;
    int32_t nr = 0;
    wide_list_pad(r, nw, n);
    for (int32_t w = 0; w < nw; w += 4) {
        const int32_t *ix = r->wide_idx + w;
        const wide4_t p = wide4_load(r, ix);
        const v4f u1 = p.xaf + 1.0f, u2 = p.xaf + 2.0f, u3 = p.xaf + 3.0f, u4 = p.xaf + 4.0f;
        const v4f A1 = v4_area_left(u1, p.xa, p.xb, p.d, p.slope);
        const v4f A2 = v4_area_left(u2, p.xa, p.xb, p.d, p.slope);
        const v4f A3 = v4_area_left(u3, p.xa, p.xb, p.d, p.slope);
        const v4f A4 = v4_area_left(u4, p.xa, p.xb, p.d, p.slope);
        const v4i r0 = v4_round(A1), r1 = v4_round(A2 - A1), r2 = v4_round(A3 - A2);
        const v4i r3 = v4_round(A4 - A3);
        const v4i fits = p.xb <= u4;
        cells4_add5(acc, p.cell, r0 & fits, (r1 - r0) & fits, (r2 - r1) & fits, (r3 - r2) & fits,
                    (p.di - r3) & fits, step);
        nr = wide4_rest(r, ix, fits, nr); /* nr <= w: behind the reading */
    }
    nr = pieces_wide_cols9(r, nr, n);
    for (int32_t w = 0; w < nr; w++) {
        const int32_t k = r->wide_idx[w];
        piece_wide_add(acc + r->piece_base[k], r->piece_x[k], r->piece_xn[k], r->piece_di[k], step);
    }
}

/* Adds the waiting row pieces, four at a time: one loop over all of them, whose exit a branch
 * predictor foresees. (A loop over each line's rows ended at a different count for nearly
 * every line, and mispredicted there.)
 * A piece from x to xn (box-relative, any order, within [0, w]) covers its row by di accumulator
 * units, d as a float (dy times the direction times ACC_ONE, rounded: see pieces4_store());
 * slope is d / (2 |xn - x|), the same for all of a line's pieces. Its cells' shares are rounded
 * so that they add up to exactly di: a row that edges cross and leave returns to exactly zero.
 * A piece within one or two cells adds to three cells, in one branch-free computation for both
 * cases (which of the two a piece touches follows no pattern a predictor could learn): g1 and g2
 * are the areas left of the line within the row (per unit of d) up to the next two cell sides, the
 * triangle up to min(xb, u1) plus the full height beyond it; the third cell gets the rest,
 * zero for a piece within one cell give or take the rounding. The cells written are
 * 0 .. w + 2, inside the row. A wider piece adds nothing in its lane and is added after the
 * loop by piece_wide_add(), or in the columns layout by pieces_wide_cols(), where a piece's
 * cells are step (a row of the box) apart. */
static inline __attribute__((always_inline)) void pieces_flush_mode(raster_t *r, const bool cols)
{
    uint16_t *const acc = r->acc;
    const int32_t step = cols ? r->stride : 1;
    const int32_t n = r->piece_count;
    int32_t nw = 0;
    r->piece_count = 0;
    /* The last vector's lanes past n: pieces of no height at the first cell, which add 0. */
    for (int32_t k = n; k < n + 3; k++) {
        r->piece_x[k] = r->piece_xn[k] = r->piece_slope[k] = 0.0f;
        r->piece_base[k] = r->piece_di[k] = 0;
    }
    for (int32_t k = 0; k < n; k += 4) {
        v4f x, xn, slope;
        v4i base, di;
        memcpy(&x, r->piece_x + k, sizeof x), memcpy(&xn, r->piece_xn + k, sizeof xn);
        memcpy(&slope, r->piece_slope + k, sizeof slope);
        memcpy(&base, r->piece_base + k, sizeof base), memcpy(&di, r->piece_di + k, sizeof di);
        const v4f d = __builtin_convertvector(di, v4f);
        const v4f xa = v4_min(x, xn), xb = v4_max(x, xn);
        const v4i xai = __builtin_convertvector(xa, v4i);
        const v4f xaf = __builtin_convertvector(xai, v4f), u1 = xaf + 1.0f;
        const v4f a1 = v4_area_left(u1, xa, xb, d, slope); /* d g1 */
        const v4f g2 = xaf + 2.0f - 0.5f * (xa + xb);
        const v4i c0 = v4_round(a1), c1 = v4_round(d * g2 - a1);
        const v4i narrow = xb <= xaf + 2.0f;
        const v4i cell = cols ? base + v4_mul_small(xai, step) : base + xai;
        const v4i add0 = c0 & narrow, add1 = (c1 - c0) & narrow, add2 = (di - c1) & narrow;
        cells4_add(acc, cell, add0, add1, add2, step);
        /* Wide pieces are listed without a branch (branching on them mispredicted often):
         * the indices of the wide lanes, in order, are stored, and the count moves on by as
         * many. */
        const int m = v4_signs(~narrow);
        const v4i idx = compact_lanes[m] + k;
        memcpy(r->wide_idx + nw, &idx, sizeof idx);
        nw += lanes_set[m];
    }
    if (cols) {
        pieces_wide_cols(r, nw, n);
        return;
    }
    for (int32_t w = 0; w < nw; w++) {
        const int32_t k = r->wide_idx[w];
        piece_wide_add(acc + r->piece_base[k], r->piece_x[k], r->piece_xn[k], r->piece_di[k], 1);
    }
}

static void pieces_flush(raster_t *r)
{
    if (r->cols) {
        pieces_flush_mode(r, true);
    } else {
        pieces_flush_mode(r, false);
    }
}

/* Stores four row pieces from index k: their ends, their slope, the index in acc of their rows
 * and their cover in whole units. */
static inline __attribute__((always_inline)) void pieces4_put(raster_t *r, int32_t k, v4f x, v4f xn,
                                                              v4f slope, v4i base, v4i di)
{
    memcpy(r->piece_x + k, &x, sizeof x), memcpy(r->piece_xn + k, &xn, sizeof xn);
    memcpy(r->piece_slope + k, &slope, sizeof slope);
    memcpy(r->piece_base + k, &base, sizeof base), memcpy(r->piece_di + k, &di, sizeof di);
}

/* Four of a line's row pieces, j = the lanes of jv, stored from index k (see
 * line_pieces_cut()); ln holds x0, y0, y1 and dxdy, dl dir and slope. */
static inline __attribute__((always_inline)) void
pieces4_store(raster_t *r, int32_t k, v4i jv, v4i base, v4f ln, v4f dl, int32_t ys)
{
    const v4f x0 = __builtin_shufflevector(ln, ln, 0, 0, 0, 0);
    const v4f y0 = __builtin_shufflevector(ln, ln, 1, 1, 1, 1);
    const v4f y1 = __builtin_shufflevector(ln, ln, 2, 2, 2, 2);
    const v4f dxdy = __builtin_shufflevector(ln, ln, 3, 3, 3, 3);
    const v4f dir = __builtin_shufflevector(dl, dl, 0, 0, 0, 0);
    const v4f slope = __builtin_shufflevector(dl, dl, 1, 1, 1, 1);
    const v4f zero = v4_splat(0.0f), w = v4_splat(r->w);
    const v4f top = __builtin_convertvector(jv + ys, v4f);
    const v4f ya = v4_max(y0, top), yb = v4_min(y1, top + 1.0f); /* the line within the row */
    /* d in whole units: the difference of the piece's ends' heights within the row, each
     * rounded (times the direction: rounding is symmetric, so the sign comes out exactly). The
     * pieces of the lines that cross a row, each line's end the next one's start, then add up
     * to exactly zero, as the heights do; rounding each d on its own left up to half a unit a
     * piece in the row's sum (a contour of 264 tiny steps along a row left a trail two levels
     * dark beyond it, to the box's end). */
    const v4i di = v4_round((yb - top) * dir) - v4_round((ya - top) * dir);
    /* Kept in the box's columns (what the cells written rely on): x between the line's ends
     * strays by rounding only, lanes past the line's last row may stray far. */
    const v4f x = v4_max(v4_min(x0 + (ya - y0) * dxdy, w), zero);
    const v4f xn = v4_max(v4_min(x0 + (yb - y0) * dxdy, w), zero);
    pieces4_put(r, k, x, xn, slope, base, di);
}

/* Cuts a line, ordered top to bottom (y0 < y1) and inside the box's rows, into its row
 * pieces from row ys + first on (ys = floor(y0); first is 1 or 2), four rows at a time with no
 * branch per row: piece j is the line within row ys + j, its ends interpolated from the line's
 * start (so rounding cannot build up over many rows; dxdy is finite), covering the row by
 * d = dir * (its height within the row). The lanes past the last piece are written, then
 * overwritten by the next line's. Four rows are cut whatever the line's height, and the
 * branch after them is rarely taken at text sizes: a loop of eight rows at a time, or a branch
 * on lines of one row, mispredicted where lines of one and two rows mix. */
static inline __attribute__((always_inline)) void line_pieces_cut(raster_t *r, float x0, float y0,
                                                                  float y1, float dxdy, float dir,
                                                                  float slope, int32_t first)
{
    const int32_t ys = floor_pos(y0), n = ceil_pos(y1) - ys;
    const v4f ln = {x0, y0, y1, dxdy}, dl = {dir, slope, 0.0f, 0.0f};
    const v4i lanes = {0, 1, 2, 3};
    if (r->piece_count > RASTER_PIECE_BATCH - 8) {
        pieces_flush(r);
    }
    int32_t k = r->piece_count;
    v4i base;
    memcpy(&base, r->lane_base, sizeof base);
    base += ys * r->row_step;
    pieces4_store(r, k, lanes + first, base + first * r->row_step, ln, dl, ys);
    if (n - first <= 4) {
        r->piece_count = k + n - first;
        return;
    }
    k += 4;
    for (int32_t j0 = first + 4; j0 < n; j0 += 4) {
        if (k > RASTER_PIECE_BATCH - 4) {
            r->piece_count = k;
            pieces_flush(r);
            k = 0;
        }
        pieces4_store(r, k, lanes + j0, base + j0 * r->row_step, ln, dl, ys);
        k += n - j0 < 4 ? n - j0 : 4;
    }
    r->piece_count = k;
}

static inline v4f v4_select(v4i m, v4f a, v4f b)
{
    return (v4f)((m & (v4i)a) | (~m & (v4i)b));
}

/* Adds the signed area of four lines (box-relative pixels, lane by lane; the i-th to i+3-th
 * waiting) to the accumulator, with no branch on any one line. Their setup is done for the
 * four at once: the swap to top-to-bottom order, the checks and the two divisions of a line
 * cost a quarter. So are the pieces in each line's first cut rows (1 or 2), all a line within
 * them has: at 16 px half the lines are within one row. Two rows are cut in columns (large
 * boxes, longer lines; one there: 3% more time at 200 px), and in rows where V4_COMPACT_FAST:
 * then only the lanes of lines that cross the second row are kept (4-8% less time at 16 to
 * 64 px than one row). Without it, the second row's lanes, mostly empty in rows, each add
 * three cells of nothing (4% more time at 16 px than one row). The lines that cross more rows
 * are listed, as wide pieces are, and lines_tall_add() cuts the rest of them after the batch,
 * in one loop whose exit a predictor foresees. (A branch per line on its height mispredicted where
 * lines of one and two rows mix.) Lanes of no height, or outside the box, or past a line's last row
 * add pieces of no cover. The values are those line_pieces_cut() computes for the same line,
 * lane by lane: the same pixels. */
static inline __attribute__((always_inline)) void lines4_add(raster_t *r, int32_t i, v4f x0, v4f y0,
                                                             v4f x1, v4f y1, const int32_t cut)
{
    const v4f zero = v4_splat(0.0f), h = v4_splat(r->h), w = v4_splat(r->w);
    const v4i up = y0 > y1;
    v4f xa = v4_select(up, x1, x0), ya = v4_select(up, y1, y0);
    const v4f xb = v4_select(up, x0, x1);
    v4f yb = v4_select(up, y0, y1);
    const v4f dir = (v4f)((v4i)v4_splat(ACC_ONE) | (up & (v4i)v4_splat(-0.0f)));
    /* Outside the box vertically, horizontal, or NaN: nothing to add. */
    v4i live = (ya < h) & (yb > zero) & (ya < yb);
    const v4f dxdy = (xb - xa) / (yb - ya);
    /* Cut at the box's top and bottom (the pieces interpolate x from the start). A line that
     * crosses y = 0 within a float's tiny span has an infinite dxdy: x is clamped, and such a
     * line is one row tall after the cut. */
    const v4i above = ya < zero;
    xa = v4_select(above, v4_min(v4_max(xa - ya * dxdy, zero), w), xa);
    ya = v4_select(above, zero, ya);
    yb = v4_min(yb, h);
    live &= ya < yb; /* something left inside (not so in a box 0 rows tall) */
    /* A row piece's d over its width is the same for all of the line: half of it, passed on,
     * spares pieces_flush() a division per piece. The floor on |dxdy| keeps it finite for
     * vertical lines and bounds what float noise in a piece's width can do (a width of one
     * ulp at x = 16384 times slope: under 8 units, half a level); for a line steeper than the
     * floor the triangle it scales is under 0.5 * ACC_ONE * 1e-3, 2 units, anyway. Lanes not
     * live get 0: a line of no length has a NaN dxdy, which NEON's maximum passes on. */
    const v4i absmask = {0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff};
    const v4f slope =
        (v4f)((v4i)(0.5f * dir / v4_max((v4f)((v4i)dxdy & absmask), v4_splat(1e-3f))) & live);
    /* The pieces interpolate x from the start, with a finite dxdy (an infinite one belongs
     * to a line a float's span tall: its pieces' d is nil either way). */
    const v4f dx = v4_min(v4_max(dxdy, v4_splat(-1e30f)), v4_splat(1e30f));
    /* Each line's first row, the four as one vector of pieces, as pieces4_store() cuts it
     * (lanes not live add nothing: no cover, no width, at cell 0). */
    if (r->piece_count > RASTER_PIECE_BATCH - 8) {
        pieces_flush(r);
    }
    const int32_t k = r->piece_count;
    /* (Lanes not live are kept within the box's rows before they are converted to int: far
     * outside the box their heights need not fit one. The live lanes are within already.) */
    const v4i ysv = __builtin_convertvector(v4_min(v4_max0(ya), h), v4i);
    const v4f top = __builtin_convertvector(ysv, v4f);
    const v4f ybl = v4_min(yb, top + 1.0f);
    const v4f x = (v4f)((v4i)v4_max(v4_min(xa, w), zero) & live);
    const v4f xn = (v4f)((v4i)v4_max(v4_min(xa + (ybl - ya) * dx, w), zero) & live);
    const v4f ub = (v4f)((v4i)((ybl - top) * dir) & live),
              ua = (v4f)((v4i)((ya - top) * dir) & live);
    const v4i di = v4_round(ub) - v4_round(ua);
    pieces4_put(r, k, x, xn, slope, v4_mul_small(ysv & live, r->row_step), di);
    const v4i ye = __builtin_convertvector(v4_max0(yb), v4i);
    const v4i rows = ye - ((v4i)(__builtin_convertvector(ye, v4f) < yb)) - ysv;
    if (cut == 2) {
        /* The second row too, of the lines that cross one. */
        const v4i two = live & (rows > 1);
        const v4f top2 = top + 1.0f, yb2 = v4_min(yb, top2 + 1.0f);
        v4f x2 = (v4f)((v4i)v4_max(v4_min(xa + (top2 - ya) * dx, w), zero) & two);
        v4f xn2 = (v4f)((v4i)v4_max(v4_min(xa + (yb2 - ya) * dx, w), zero) & two);
        const v4f ub2 = (v4f)((v4i)((yb2 - top2) * dir) & two);
        v4i di2 = v4_round(ub2);
        v4i base2 = v4_mul_small((ysv + 1) & two, r->row_step);
        v4f slope2 = slope;
        if (V4_COMPACT_FAST) {
            /* Only the lanes of lines that cross a second row, moved to the front: the others
             * would add nothing, at three cells each (AVX2, Kristi at 200 px: 2-3 % less time). */
            const int m2 = v4_signs(two);
            x2 = (v4f)v4_compact((v4i)x2, m2), xn2 = (v4f)v4_compact((v4i)xn2, m2);
            slope2 = (v4f)v4_compact((v4i)slope, m2);
            base2 = v4_compact(base2, m2), di2 = v4_compact(di2, m2);
            r->piece_count = k + 4 + lanes_set[m2];
        } else {
            r->piece_count = k + 8;
        }
        pieces4_put(r, k + 4, x2, xn2, slope2, base2, di2);
    } else {
        r->piece_count = k + 4;
    }
    /* The lines that cross more rows than those cut, listed for lines_tall_add(). */
    const v4i more = live & (rows > cut);
    memcpy(r->line_x0 + i, &xa, sizeof xa), memcpy(r->line_y0 + i, &ya, sizeof ya);
    memcpy(r->line_y1 + i, &yb, sizeof yb), memcpy(r->line_dxdy + i, &dx, sizeof dx);
    memcpy(r->line_dir + i, &dir, sizeof dir), memcpy(r->line_slope + i, &slope, sizeof slope);
    const int m = v4_signs(more);
    const v4i idx = compact_lanes[m] + i;
    memcpy(r->tall_idx + r->tall_count, &idx, sizeof idx);
    r->tall_count += lanes_set[m];
}

/* The rows after the first cut of the lines lines4_add() listed. */
static inline __attribute__((always_inline)) void lines_tall_add(raster_t *r, const int32_t cut)
{
    for (int32_t t = 0; t < r->tall_count; t++) {
        const int32_t l = r->tall_idx[t];
        line_pieces_cut(r, r->line_x0[l], r->line_y0[l], r->line_y1[l], r->line_dxdy[l],
                        r->line_dir[l], r->line_slope[l], cut);
    }
    r->tall_count = 0;
}

/* One line (lines4_add() with three lanes of no height). */
static void line_add(raster_t *r, float x0, float y0, float x1, float y1)
{
    lines4_add(r, 0, (v4f){x0, 0, 0, 0}, (v4f){y0, 0, 0, 0}, (v4f){x1, 0, 0, 0}, (v4f){y1, 0, 0, 0},
               1);
    lines_tall_add(r, 1);
}

/* Exact horizontal clipping: the parts left of the box become vertical lines on its left edge
 * (their cover still reaches every pixel to the right); parts right of it vanish. */
static void line_add_clipped(raster_t *r, float x0, float y0, float x1, float y1)
{
    const float w = r->w;
    float t[4] = {0.0f, 0.0f, 0.0f, 1.0f};
    int n = 1;
    if ((x0 < 0.0f) != (x1 < 0.0f)) {
        t[n++] = (0.0f - x0) / (x1 - x0);
    }
    if ((x0 > w) != (x1 > w)) {
        t[n++] = (w - x0) / (x1 - x0);
    }
    if (n == 3 && t[1] > t[2]) {
        float s = t[1];
        t[1] = t[2], t[2] = s;
    }
    t[n] = 1.0f;
    for (int i = 0; i < n; i++) {
        /* The ends exactly the line's: the next line starts at y1 exactly, and a row's pieces
         * add up to zero only if its heights are the same floats (see pieces4_store()). */
        float ya = i == 0 ? y0 : y0 + (y1 - y0) * t[i];
        float yb = i == n - 1 ? y1 : y0 + (y1 - y0) * t[i + 1];
        float xm = x0 + (x1 - x0) * 0.5f * (t[i] + t[i + 1]);
        if (xm >= w) {
            continue;
        }
        if (xm <= 0.0f) {
            line_add(r, 0.0f, ya, 0.0f, yb);
        } else {
            float xa = i == 0 ? x0 : x0 + (x1 - x0) * t[i];
            float xb = i == n - 1 ? x1 : x0 + (x1 - x0) * t[i + 1];
            line_add(r, xa, ya, xb, yb);
        }
    }
}

/* Adds the n waiting lines (not clipped), four at a time, cutting their first cut rows there. */
static inline __attribute__((always_inline)) void lines_add(raster_t *r, int32_t n,
                                                            const int32_t cut)
{
    for (int32_t i = 0; i < n; i += 4) {
        v4f x0, y0, x1, y1;
        memcpy(&x0, r->vx + i, sizeof x0), memcpy(&y0, r->vy + i, sizeof y0);
        memcpy(&x1, r->vx + i + 1, sizeof x1), memcpy(&y1, r->vy + i + 1, sizeof y1);
        lines4_add(r, i, x0, y0, x1, y1, cut);
    }
    lines_tall_add(r, cut);
}

/* Adds the waiting lines, from each waiting vertex to the next, in one loop that keeps the
 * box's constants in registers; the last vertex stays, as the next line's start. */
static void segments_flush(raster_t *r)
{
    const int32_t n = r->vertex_count - 1;
    if (n <= 0) {
        return;
    }
    r->vertex_count = 1;
    if (r->clip) {
        for (int32_t i = 0; i < n; i++) {
            if (r->vy[i] == r->vy[i] && r->vy[i + 1] == r->vy[i + 1]) { /* not a break */
                line_add_clipped(r, r->vx[i], r->vy[i], r->vx[i + 1], r->vy[i + 1]);
            }
        }
    } else {
        for (int32_t i = n + 1; i < n + 5; i++) {
            r->vx[i] = r->vy[i] = NAN; /* the lines past n: not live */
        }
        if (r->cols || V4_COMPACT_FAST) {
            lines_add(r, n, 2);
        } else {
            lines_add(r, n, 1);
        }
    }
    r->vx[0] = r->vx[n], r->vy[0] = r->vy[n];
    pieces_flush(r);
}

/* The next vertex: a line from the last one to it. */
static inline void vertex_add(raster_t *r, float x, float y)
{
    const int32_t k = r->vertex_count;
    r->vx[k] = x, r->vy[k] = y;
    if (++r->vertex_count == RASTER_SEG_BATCH + 1) {
        segments_flush(r);
    }
}

/* A contour's first vertex: after a NaN one, which no line from or to is live. */
static inline void contour_start(raster_t *r, float x, float y)
{
    vertex_add(r, NAN, NAN);
    vertex_add(r, x, y);
}

/* Steps for a curve: n chords stray at most tol from it when n^2 >= k * dd / tol, where dd is
 * the curve's largest second difference in px (k is 1/4 for quads, 3/4 for cubics). Given
 * q = (k * dd / tol)^2 = dd^2 * (k / tol)^2, the smallest n with n^4 >= q: small curves, the
 * common case, are settled by compares instead of two dependent square roots. */
static inline int curve_steps(float q)
{
    if (!(q > 1.0f)) {
        return 1; /* also NaN: one chord */
    }
    if (q <= 65536.0f) {
        int n = 2;
        while ((float)(n * n * n * n) < q) {
            n++;
        }
        return n;
    }
    const float n = sqrtf(sqrtf(q));
    return n >= (float)MAX_CURVE_STEPS ? MAX_CURVE_STEPS : ceil_pos(n);
}

/* 1/n for the step counts small curves get, so they skip a division. */
static const float step_recip[17] = {
    1.0f,     1.0f,      1.0f / 2,  1.0f / 3,  1.0f / 4,  1.0f / 5,  1.0f / 6,  1.0f / 7, 1.0f / 8,
    1.0f / 9, 1.0f / 10, 1.0f / 11, 1.0f / 12, 1.0f / 13, 1.0f / 14, 1.0f / 15, 1.0f / 16};

static inline float steps_recip(int n)
{
    return n <= 16 ? step_recip[n] : 1.0f / (float)n;
}

/* Chords alone lie inside every convex arc, so a plain polyline shrinks each curve by 2/3 of
 * its sagitta times its length: a bias that shows as the mean error. Here each inner vertex
 * moves by -1/12 of the curve's second difference there (B''(t) h^2), which shifts each chord
 * 2/3 of the way to its arc's midpoint: the polyline then crosses the curve, takes away as much
 * area as it adds (exactly, for quads), and strays at most 2/3 as far (by 2/3 of the sagitta at
 * the vertices, 1/3 between). So the same RASTER_FLATNESS_* allows sqrt(3/2) longer steps:
 * the sagitta may reach 1.5 times it. The ends stay on the curve. */
#define QUAD_K2 ((0.25 / 1.5 / RASTER_FLATNESS_QUAD) * (0.25 / 1.5 / RASTER_FLATNESS_QUAD))
#define CUBIC_K2 ((0.75 / 1.5 / RASTER_FLATNESS_CUBIC) * (0.75 / 1.5 / RASTER_FLATNESS_CUBIC))
#define VERTEX_SHIFT (-1.0f / 12.0f)

static void quad_add(raster_t *r, const float *p)
{
    const float ddx = p[0] - 2 * p[2] + p[4], ddy = p[1] - 2 * p[3] + p[5];
    const int n = curve_steps((ddx * ddx + ddy * ddy) * (float)QUAD_K2);
    if (n == 1) {
        vertex_add(r, p[4], p[5]);
        return;
    }
    /* Forward differences: B(t) = p0 + 2t(p1 - p0) + t^2 dd; the second difference is the
     * constant 2 h^2 dd, so every inner vertex moves by the same (ox, oy). */
    const float h = steps_recip(n);
    float x = p[0], y = p[1];
    float dx = 2 * h * (p[2] - p[0]) + h * h * ddx, dy = 2 * h * (p[3] - p[1]) + h * h * ddy;
    const float d2x = 2 * h * h * ddx, d2y = 2 * h * h * ddy;
    const float ox = VERTEX_SHIFT * d2x, oy = VERTEX_SHIFT * d2y;
    for (int i = 1; i < n; i++) {
        x += dx, y += dy, dx += d2x, dy += d2y;
        vertex_add(r, x + ox, y + oy);
    }
    vertex_add(r, p[4], p[5]);
}

static void cubic_add(raster_t *r, const float *p)
{
    const float ax = p[0] - 2 * p[2] + p[4], ay = p[1] - 2 * p[3] + p[5];
    const float bx = p[2] - 2 * p[4] + p[6], by = p[3] - 2 * p[5] + p[7];
    const int n = curve_steps(maxf(ax * ax + ay * ay, bx * bx + by * by) * (float)CUBIC_K2);
    if (n == 1) {
        vertex_add(r, p[6], p[7]);
        return;
    }
    /* Forward differences of B(t) = p0 + 3t c1 + 3t^2 c2 + t^3 c3. At vertex i, the second
     * difference from the vertex before (d2 before its update) is B(t_i+1) - 2 B(t_i) +
     * B(t_i-1) = B''(t_i) h^2 exactly, for a cubic. */
    const float h = steps_recip(n), h2 = h * h, h3 = h2 * h;
    const float c1x = p[2] - p[0], c1y = p[3] - p[1];
    const float c3x = p[6] - p[0] + 3 * (p[2] - p[4]), c3y = p[7] - p[1] + 3 * (p[3] - p[5]);
    float x = p[0], y = p[1];
    float dx = 3 * h * c1x + 3 * h2 * ax + h3 * c3x, dy = 3 * h * c1y + 3 * h2 * ay + h3 * c3y;
    float d2x = 6 * h2 * ax + 6 * h3 * c3x, d2y = 6 * h2 * ay + 6 * h3 * c3y;
    const float d3x = 6 * h3 * c3x, d3y = 6 * h3 * c3y;
    for (int i = 1; i < n; i++) {
        x += dx, y += dy;
        vertex_add(r, x + VERTEX_SHIFT * d2x, y + VERTEX_SHIFT * d2y);
        dx += d2x, dy += d2y, d2x += d3x, d2y += d3y;
    }
    vertex_add(r, p[6], p[7]);
}

/* Walks the verbs (checked by verbs_check(): the first is a MOVE) over the transformed
 * points, adding each vertex: a line from the current point, which is stored once (as two
 * lines' shared end it was stored twice: 1-2 % more time for Kristi). A verb's points follow
 * the current point in r->pts, so a curve's control points are read in place, current point
 * first: nothing is copied per verb. */
static void outline_walk(raster_t *r, const outline_t *o)
{
    if (o->verb_count == 0) {
        return;
    }
    const float *pt = r->pts;
    uint32_t cur = 0, start = 0; /* the current point and the contour's first, as offsets */
    r->vx[0] = pt[0], r->vy[0] = pt[1], r->vertex_count = 1;
    for (uint32_t v = 1; v < o->verb_count; v++) {
        const uint8_t verb = o->verbs[v];
        const float *p = pt + cur;
        cur += 2 * outline_verb_points(verb);
        if (verb == OUTLINE_MOVE) {
            vertex_add(r, pt[start], pt[start + 1]); /* close the last contour */
            start = cur;
            contour_start(r, pt[start], pt[start + 1]);
        } else if (verb == OUTLINE_LINE) {
            vertex_add(r, p[2], p[3]);
        } else if (verb == OUTLINE_QUAD) {
            quad_add(r, p);
        } else {
            cubic_add(r, p);
        }
    }
    vertex_add(r, pt[start], pt[start + 1]);
    segments_flush(r);
}

static void edges_points_map(const float *src, uint32_t n, const float mm[6], float *dst,
                             float lohi[4], float *big, float *probe)
{
    points_map(src, n, mm, dst, lohi, big, probe);
}

/* (On x86 the baseline uses SSE2, which x86-64 always has, whatever LIKELETTER_SIMD chose
 * for the sweep; the name follows the build's choice.) */
#if defined(RASTER_EDGES_BUILD_AVX2)
const raster_edges_t raster_edges_avx2 = {"avx2", edges_points_map, outline_walk};
#elif defined(LIKELETTER_SIMD_SSE2)
const raster_edges_t raster_edges_baseline = {"sse2", edges_points_map, outline_walk};
#elif defined(LIKELETTER_SIMD_NEON)
const raster_edges_t raster_edges_baseline = {"neon", edges_points_map, outline_walk};
#else
const raster_edges_t raster_edges_baseline = {"portable", edges_points_map, outline_walk};
#endif
