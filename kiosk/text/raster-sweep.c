/* raster-sweep.c - the coverage sweep: one flavour per architecture, chosen at build time.
 *
 * The accumulator holds, per pixel, the signed area the edges added to it and to its right, in
 * 16-bit cells; a running (prefix) sum along the row turns that into the winding-weighted
 * coverage. The SIMD flavours sum eight cells at a time (three shifted adds) and carry the last
 * lane; runs of cells that no edge touched just repeat the coverage to their left (NEON: any
 * block of eight; SSE2: runs of SKIP_CELLS).
 * The columns layout's sweep (raster_sweep_cols()) sums down the columns instead: each row of
 * cells is added to a row of running sums, lane by lane, with nothing to shuffle. */
#include "raster-private.h"

#include <stdbool.h>
#include <string.h>

/* Copies the n < 8 coverage bytes of a row's last, partial block: fixed-size copies, since a
 * variable-length memcpy per row would be a library call. */
static inline void tail_copy(uint8_t *dst, const uint8_t *px, int32_t n)
{
    int32_t k = 0;
    if (n & 4) {
        memcpy(dst, px, 4), k = 4;
    }
    if (n & 2) {
        memcpy(dst + k, px + k, 2), k += 2;
    }
    if (n & 1) {
        dst[k] = px[k];
    }
}

/* The same for n < 16 bytes. */
static inline void tail16_copy(uint8_t *dst, const uint8_t *px, int32_t n)
{
    if (n & 8) {
        memcpy(dst, px, 8);
        tail_copy(dst + 8, px + 8, n - 8);
    } else {
        tail_copy(dst, px, n);
    }
}

#if defined(LIKELETTER_SIMD_SSE2)
/* Runs of cells this long that no edge touched (the gaps in a word's box) are skipped with one
 * test. Shorter runs are summed like the rest: within a glyph, whether a block of 16 was
 * touched follows no pattern, and a test per 16 cells cost more in mispredictions than the
 * sums it saved (SSE2, Kristi at 200 px: +5% glyphs/s without it; Dancing +12%). */
#define SKIP_CELLS 64
#include <immintrin.h>
const char raster_sweep_flavour[] = "sse2";

/* The coverage of eight sums: |v| (SSE2 has no pabsw) rounded to levels, 0..255 once packed
 * with saturation (|-32768| = 32768 too, as 0x8008 >> 4 in the unsigned shift). */
static inline __m128i levels8(__m128i v)
{
    const __m128i a = _mm_max_epi16(v, _mm_sub_epi16(_mm_setzero_si128(), v));
    return _mm_srli_epi16(_mm_add_epi16(a, _mm_set1_epi16(8)), 4);
}

/* Prefix sum of 8 cells plus the carry (the running sum, in every lane); returns the
 * coverage levels as 16-bit lanes (0..255 once packed with saturation). */
static inline __m128i sweep8(__m128i v, __m128i *carry)
{
    v = _mm_add_epi16(v, _mm_slli_si128(v, 2));
    v = _mm_add_epi16(v, _mm_slli_si128(v, 4));
    v = _mm_add_epi16(v, _mm_slli_si128(v, 8));
    v = _mm_add_epi16(v, *carry);
    const __m128i top = _mm_shufflehi_epi16(v, _MM_SHUFFLE(3, 3, 3, 3));
    *carry = _mm_unpackhi_epi64(top, top);
    return levels8(v);
}

/* Byte 15 of v in all 16 bytes: the coverage an untouched stretch after v repeats. */
static inline __m128i last_byte(__m128i v)
{
    const __m128i t = _mm_unpackhi_epi8(v, v);
    const __m128i u = _mm_shufflehi_epi16(t, _MM_SHUFFLE(3, 3, 3, 3));
    return _mm_unpackhi_epi64(u, u);
}

/* Sixteen cells: their coverage at dst, the cells zeroed; returns the 16 coverage bytes. */
static inline __m128i sweep16(uint16_t *acc, uint8_t *dst, __m128i *carry)
{
    const __m128i a = _mm_load_si128((const __m128i *)(const void *)acc);
    const __m128i b = _mm_load_si128((const __m128i *)(const void *)(acc + 8));
    _mm_store_si128((__m128i *)(void *)acc, _mm_setzero_si128());
    _mm_store_si128((__m128i *)(void *)(acc + 8), _mm_setzero_si128());
    const __m128i ca = sweep8(a, carry);
    const __m128i px = _mm_packus_epi16(ca, sweep8(b, carry));
    _mm_storeu_si128((__m128i *)(void *)dst, px);
    return px;
}

/* Whether no edge touched the SKIP_CELLS cells at acc. */
static inline bool untouched(const uint16_t *acc)
{
    __m128i v = _mm_load_si128((const __m128i *)(const void *)acc);
    for (int k = 8; k < SKIP_CELLS; k += 8) {
        v = _mm_or_si128(v, _mm_load_si128((const __m128i *)(const void *)(acc + k)));
    }
    return _mm_movemask_epi8(_mm_cmpeq_epi16(v, _mm_setzero_si128())) == 0xffff;
}

/* The end of a row from cell i (a multiple of 16) on, with the running sum in every lane of
 * carry: the block of eight and the partial block left, then the cells past the width. */
static inline __attribute__((always_inline)) void
sweep_row_end(uint16_t *acc, uint8_t *dst, int32_t width, int32_t acc_len, int32_t i, __m128i carry)
{
    const __m128i zero = _mm_setzero_si128();
    if (i + 8 <= width) {
        const __m128i a = _mm_load_si128((const __m128i *)(const void *)(acc + i));
        _mm_store_si128((__m128i *)(void *)(acc + i), zero);
        const __m128i c = sweep8(a, &carry);
        _mm_storel_epi64((__m128i *)(void *)(dst + i), _mm_packus_epi16(c, c));
        i += 8;
    }
    if (i < width) {
        /* The last, partial block: up to 7 bytes, stored without a library call. */
        const __m128i a = _mm_load_si128((const __m128i *)(const void *)(acc + i));
        _mm_store_si128((__m128i *)(void *)(acc + i), zero);
        const __m128i c = sweep8(a, &carry);
        uint8_t last[16];
        _mm_storeu_si128((__m128i *)(void *)last, _mm_packus_epi16(c, c));
        tail_copy(dst + i, last, width - i);
        i += 8;
    }
    /* Cells past the width (edges may touch the three after it): one block at most, as acc_len
     * is width + 3 rounded up to 8; stored directly, as a loop here would become a memset call
     * per row. */
    if (i < acc_len) {
        _mm_store_si128((__m128i *)(void *)(acc + i), zero);
        i += 8;
        if (i < acc_len) {
            memset(acc + i, 0, (size_t)(acc_len - i) * sizeof *acc);
        }
    }
}

static inline __attribute__((always_inline)) void sweep_row(uint16_t *acc, uint8_t *dst,
                                                            int32_t width, int32_t acc_len)
{
    __m128i carry = _mm_setzero_si128();
    __m128i px = carry; /* the last 16 coverage bytes: an untouched run repeats the last one */
    int32_t i = 0;
    for (; i + SKIP_CELLS <= width; i += SKIP_CELLS) {
        if (untouched(acc + i)) {
            px = last_byte(px);
            for (int k = 0; k < SKIP_CELLS; k += 16) {
                _mm_storeu_si128((__m128i *)(void *)(dst + i + k), px);
            }
            continue;
        }
        for (int k = 0; k < SKIP_CELLS; k += 16) {
            px = sweep16(acc + i + k, dst + i + k, &carry);
        }
    }
    for (; i + 16 <= width; i += 16) {
        sweep16(acc + i, dst + i, &carry);
    }
    sweep_row_end(acc, dst, width, acc_len, i, carry);
}

/* AVX2, where the CPU has it (chosen at run time; the build's baseline stays SSE2): sixteen
 * cells per vector. The prefix sum runs within each 128-bit lane, then the low lane's total
 * moves into the high lane. The same sums and rounding as sweep8(): the same pixels.
 * Measured against the SSE2 rows: Dancing at 200 px +8%, Kristi +10% glyphs/s. */
#define AVX2 __attribute__((target("avx2")))

/* levels8() for sixteen sums. */
AVX2 static inline __m256i levels16_avx2(__m256i v)
{
    return _mm256_srli_epi16(_mm256_add_epi16(_mm256_abs_epi16(v), _mm256_set1_epi16(8)), 4);
}

AVX2 static inline __m256i sweep16_avx2(uint16_t *acc, uint8_t *dst, __m256i *carry)
{
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)acc);
    _mm256_storeu_si256((__m256i *)(void *)acc, _mm256_setzero_si256());
    v = _mm256_add_epi16(v, _mm256_slli_si256(v, 2));
    v = _mm256_add_epi16(v, _mm256_slli_si256(v, 4));
    v = _mm256_add_epi16(v, _mm256_slli_si256(v, 8));
    /* Each lane's total in all of that lane; the low lane's is added to the high lane. */
    const __m256i t = _mm256_shuffle_epi32(_mm256_shufflehi_epi16(v, 0xff), 0xff);
    v = _mm256_add_epi16(_mm256_add_epi16(v, *carry), _mm256_permute2x128_si256(t, t, 0x08));
    *carry = _mm256_add_epi16(*carry, _mm256_add_epi16(t, _mm256_permute2x128_si256(t, t, 0x01)));
    const __m256i c = levels16_avx2(v);
    const __m256i px = _mm256_permute4x64_epi64(_mm256_packus_epi16(c, c), 0x08);
    _mm_storeu_si128((__m128i *)(void *)dst, _mm256_castsi256_si128(px));
    return px;
}

AVX2 static void sweep_rows_avx2(uint16_t *acc, int32_t acc_len, uint8_t *dst, ptrdiff_t stride,
                                 int32_t width, int32_t height)
{
    for (int32_t y = 0; y < height; y++, acc += acc_len, dst += stride) {
        __m256i carry = _mm256_setzero_si256();
        __m256i px = carry; /* the last coverage bytes (the low 16): a run repeats the last */
        int32_t i = 0;
        for (; i + SKIP_CELLS <= width; i += SKIP_CELLS) {
            if (untouched(acc + i)) {
                const __m128i fill = last_byte(_mm256_castsi256_si128(px));
                px = _mm256_castsi128_si256(fill);
                for (int k = 0; k < SKIP_CELLS; k += 16) {
                    _mm_storeu_si128((__m128i *)(void *)(dst + i + k), fill);
                }
                continue;
            }
            for (int k = 0; k < SKIP_CELLS; k += 16) {
                px = sweep16_avx2(acc + i + k, dst + i + k, &carry);
            }
        }
        for (; i + 16 <= width; i += 16) {
            sweep16_avx2(acc + i, dst + i, &carry);
        }
        sweep_row_end(acc, dst, width, acc_len, i, _mm256_castsi256_si128(carry));
    }
}

/* The columns layout: sixteen columns' cells added to their running sums; returns their
 * coverage. */
static inline __m128i cols16(uint16_t *acc, uint16_t *run)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i a = _mm_load_si128((const __m128i *)(const void *)acc);
    __m128i b = _mm_load_si128((const __m128i *)(const void *)(acc + 8));
    _mm_store_si128((__m128i *)(void *)acc, zero);
    _mm_store_si128((__m128i *)(void *)(acc + 8), zero);
    a = _mm_add_epi16(a, _mm_load_si128((const __m128i *)(const void *)run));
    b = _mm_add_epi16(b, _mm_load_si128((const __m128i *)(const void *)(run + 8)));
    _mm_store_si128((__m128i *)(void *)run, a);
    _mm_store_si128((__m128i *)(void *)(run + 8), b);
    return _mm_packus_epi16(levels8(a), levels8(b));
}

static void sweep_cols_row(uint16_t *acc, uint16_t *run, uint8_t *dst, int32_t width)
{
    int32_t x = 0;
    for (; x + 16 <= width; x += 16) {
        _mm_storeu_si128((__m128i *)(void *)(dst + x), cols16(acc + x, run + x));
    }
    if (x < width) {
        uint8_t px[16];
        _mm_storeu_si128((__m128i *)(void *)px, cols16(acc + x, run + x));
        tail16_copy(dst + x, px, width - x);
    }
}

/* For a row whose last block of 16 columns is partial (n of them in the width): byte i of the
 * row's last 16 comes from the previous block's byte n + i when below 16 - n, else from the
 * last block's byte i - (16 - n). As shuffle indices (0x80: none), the previous block's are
 * tail_pick + 16 + n, the last block's tail_pick + n. With n = 16 the last block is whole and
 * the two pick it alone. */
static const uint8_t tail_pick[48] = {
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,   11,   12,   13,   14,   15,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};

/* The columns layout on AVX2: a strip of width columns, in nb blocks of 16 (nb <= 8, the last
 * block may be partial), swept down its rows with the running sums in registers, one per block:
 * no load and store of them per block (Kristi at 200 px: 6-8 % less time for the glyph than
 * with the sums in memory). Strips of up to 128 columns cover most glyphs at 200 px in one; a
 * row's cache lines are visited once per strip (strips of 16 columns were slower than a sum row
 * in memory). The last block goes out as the strip's last 16 bytes, merged with the block before
 * it in two shuffles: one store, not a copy byte by byte (which took a fifth of this sweep's
 * time at 200 px); only a strip under 16 columns copies its bytes. */
AVX2 static inline __attribute__((always_inline)) void
sweep_cols_strip(uint16_t *acc, int32_t acc_len, uint8_t *dst, ptrdiff_t stride, int32_t width,
                 int32_t height, const int nb)
{
    const int32_t n = width - 16 * (nb - 1); /* columns in the last block, 1 to 16 */
    const __m128i pick_prev = _mm_loadu_si128((const __m128i *)(const void *)(tail_pick + 16 + n));
    const __m128i pick_last = _mm_loadu_si128((const __m128i *)(const void *)(tail_pick + n));
    __m256i run[8];
    for (int b = 0; b < nb; b++) {
        run[b] = _mm256_setzero_si256();
    }
    for (int32_t y = 0; y < height; y++, acc += acc_len, dst += stride) {
        __m128i px[8];
#pragma GCC unroll 8
        for (int b = 0; b < nb; b++) {
            const __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(acc + 16 * b));
            _mm256_storeu_si256((__m256i *)(void *)(acc + 16 * b), _mm256_setzero_si256());
            run[b] = _mm256_add_epi16(run[b], v);
            const __m256i c = levels16_avx2(run[b]);
            px[b] = _mm_packus_epi16(_mm256_castsi256_si128(c), _mm256_extracti128_si256(c, 1));
        }
#pragma GCC unroll 8
        for (int b = 0; b < nb - 1; b++) {
            _mm_storeu_si128((__m128i *)(void *)(dst + 16 * b), px[b]);
        }
        if (nb >= 2) {
            _mm_storeu_si128((__m128i *)(void *)(dst + width - 16),
                             _mm_or_si128(_mm_shuffle_epi8(px[nb - 2], pick_prev),
                                          _mm_shuffle_epi8(px[nb - 1], pick_last)));
        } else if (n == 16) {
            _mm_storeu_si128((__m128i *)(void *)dst, px[0]);
        } else {
            uint8_t last[16];
            _mm_storeu_si128((__m128i *)(void *)last, px[0]);
            tail16_copy(dst, last, n);
        }
    }
}

/* Strips of eight blocks, or seven where that leaves two for the last strip (which then merges
 * its partial block), and the last strip with the blocks left. The switch gives each strip
 * width its own unrolled loop: with nb a run-time value GCC kept five of the eight sums on
 * the stack (1.5 % more time at 200 px). */
AVX2 static void sweep_cols_avx2(uint16_t *acc, int32_t acc_len, uint16_t *run, uint8_t *dst,
                                 ptrdiff_t stride, int32_t width, int32_t height)
{
    (void)run;                        /* the sums stay in registers */
    int32_t left = (width + 15) >> 4; /* blocks of 16 columns */
    while (left > 8) {
        if (left >= 10) {
            sweep_cols_strip(acc, acc_len, dst, stride, 128, height, 8);
            acc += 128, dst += 128, width -= 128, left -= 8;
        } else {
            sweep_cols_strip(acc, acc_len, dst, stride, 112, height, 7);
            acc += 112, dst += 112, width -= 112, left -= 7;
        }
    }
    switch (left) {
    case 1:
        sweep_cols_strip(acc, acc_len, dst, stride, width, height, 1);
        break;
    case 2:
        sweep_cols_strip(acc, acc_len, dst, stride, width, height, 2);
        break;
    case 3:
        sweep_cols_strip(acc, acc_len, dst, stride, width, height, 3);
        break;
    case 4:
        sweep_cols_strip(acc, acc_len, dst, stride, width, height, 4);
        break;
    case 5:
        sweep_cols_strip(acc, acc_len, dst, stride, width, height, 5);
        break;
    case 6:
        sweep_cols_strip(acc, acc_len, dst, stride, width, height, 6);
        break;
    case 7:
        sweep_cols_strip(acc, acc_len, dst, stride, width, height, 7);
        break;
    case 8:
        sweep_cols_strip(acc, acc_len, dst, stride, width, height, 8);
        break;
    default: /* no columns */
        break;
    }
}

#elif defined(LIKELETTER_SIMD_NEON)
#include <arm_neon.h>
const char raster_sweep_flavour[] = "neon";

/* The coverage of eight sums: |v| as unsigned (|-32768| = 32768 fits), rounded to 0..255
 * levels, saturated. */
static inline uint8x8_t levels8(int16x8_t v)
{
    return vqmovn_u16(vrshrq_n_u16(vreinterpretq_u16_s16(vabsq_s16(v)), 4));
}

/* Prefix sum of 8 cells plus the carry; returns the coverage 0..255. */
static inline uint8x8_t sweep8(int16x8_t v, int16x8_t *carry)
{
    const int16x8_t zero = vdupq_n_s16(0);
    v = vaddq_s16(v, vextq_s16(zero, v, 7));
    v = vaddq_s16(v, vextq_s16(zero, v, 6));
    v = vaddq_s16(v, vextq_s16(zero, v, 4));
    v = vaddq_s16(v, *carry);
    *carry = vdupq_laneq_s16(v, 7);
    return levels8(v);
}

static inline __attribute__((always_inline)) void sweep_row(uint16_t *acc, uint8_t *dst,
                                                            int32_t width, int32_t acc_len)
{
    const int16x8_t zero = vdupq_n_s16(0);
    int16x8_t carry = zero;
    uint8x8_t fill = vdup_n_u8(0); /* the coverage left of here: what an untouched block shows */
    int32_t i = 0;
    for (; i + 8 <= width; i += 8) {
        const int16x8_t v = vreinterpretq_s16_u16(vld1q_u16(acc + i));
        if (vmaxvq_u16(vreinterpretq_u16_s16(v)) == 0) {
            vst1_u8(dst + i, fill); /* no edge here: coverage is constant */
            continue;
        }
        vst1q_u16(acc + i, vdupq_n_u16(0));
        const uint8x8_t px = sweep8(v, &carry);
        vst1_u8(dst + i, px);
        fill = vdup_lane_u8(px, 7);
    }
    if (i < width) {
        /* The last, partial block: up to 7 bytes, stored without a library call. */
        uint8_t px[8];
        const int16x8_t v = vreinterpretq_s16_u16(vld1q_u16(acc + i));
        vst1q_u16(acc + i, vdupq_n_u16(0));
        vst1_u8(px, sweep8(v, &carry));
        tail_copy(dst + i, px, width - i);
        i += 8;
    }
    /* Cells past the width (edges may touch the three after it): usually one block, at most two;
     * stored directly, as a loop here would become a memset call per row. */
    if (i < acc_len) {
        vst1q_u16(acc + i, vdupq_n_u16(0));
        i += 8;
        if (i < acc_len) {
            vst1q_u16(acc + i, vdupq_n_u16(0));
            i += 8;
            if (i < acc_len) {
                memset(acc + i, 0, (size_t)(acc_len - i) * sizeof *acc);
            }
        }
    }
}

static void sweep_cols_row(uint16_t *acc, uint16_t *run, uint8_t *dst, int32_t width)
{
    int32_t x = 0;
    for (; x < width; x += 8) {
        const int16x8_t v = vaddq_s16(vreinterpretq_s16_u16(vld1q_u16(acc + x)),
                                      vreinterpretq_s16_u16(vld1q_u16(run + x)));
        vst1q_u16(acc + x, vdupq_n_u16(0));
        vst1q_u16(run + x, vreinterpretq_u16_s16(v));
        const uint8x8_t px = levels8(v);
        if (width - x >= 8) {
            vst1_u8(dst + x, px);
        } else {
            uint8_t t[8];
            vst1_u8(t, px);
            tail_copy(dst + x, t, width - x);
        }
    }
}

#else
const char raster_sweep_flavour[] = "portable";

/* The coverage of a sum of cells. */
static inline uint8_t level_of(uint16_t sum)
{
    /* The sum as a signed 16-bit value, without implementation-defined conversions. */
    const int32_t v = (int32_t)(sum ^ 0x8000u) - 0x8000;
    const int32_t c = ((v < 0 ? -v : v) + 8) >> 4;
    return (uint8_t)(c < 255 ? c : 255);
}

static inline __attribute__((always_inline)) void sweep_row(uint16_t *acc, uint8_t *dst,
                                                            int32_t width, int32_t acc_len)
{
    uint16_t sum = 0;
    for (int32_t i = 0; i < width; i++) {
        sum = (uint16_t)(sum + acc[i]);
        dst[i] = level_of(sum);
    }
    memset(acc, 0, (size_t)acc_len * sizeof *acc);
}

static void sweep_cols_row(uint16_t *acc, uint16_t *run, uint8_t *dst, int32_t width)
{
    for (int32_t x = 0; x < width; x++) {
        run[x] = (uint16_t)(run[x] + acc[x]);
        acc[x] = 0;
        dst[x] = level_of(run[x]);
    }
}
#endif

/* One call for the whole box: the per-row setup stays in registers. */
void raster_sweep_rows_baseline(uint16_t *acc, int32_t acc_len, uint8_t *dst, ptrdiff_t stride,
                                int32_t width, int32_t height)
{
    for (int32_t y = 0; y < height; y++, acc += acc_len, dst += stride) {
        sweep_row(acc, dst, width, acc_len);
    }
}

void raster_sweep_rows(uint16_t *acc, int32_t acc_len, uint8_t *dst, ptrdiff_t stride,
                       int32_t width, int32_t height)
{
#if defined(LIKELETTER_SIMD_SSE2)
    if (__builtin_cpu_supports("avx2")) {
        sweep_rows_avx2(acc, acc_len, dst, stride, width, height);
        return;
    }
#endif
    raster_sweep_rows_baseline(acc, acc_len, dst, stride, width, height);
}

/* The rows of a columns sweep (see raster_sweep_cols()); run is scratch for the sums. */
typedef void sweep_cols_rows_fn(uint16_t *acc, int32_t acc_len, uint16_t *run, uint8_t *dst,
                                ptrdiff_t stride, int32_t width, int32_t height);

static void sweep_cols_rows_baseline(uint16_t *acc, int32_t acc_len, uint16_t *run, uint8_t *dst,
                                     ptrdiff_t stride, int32_t width, int32_t height)
{
    memset(run, 0, (size_t)acc_len * sizeof *run);
    for (int32_t y = 0; y < height; y++, acc += acc_len, dst += stride) {
        sweep_cols_row(acc, run, dst, width);
    }
}

/* A columns sweep with the given rows (whose sums start at zero), and the rows below the box,
 * which pieces may touch, cleared after. */
static void sweep_cols_with(sweep_cols_rows_fn *rows, uint16_t *acc, int32_t acc_len, uint16_t *run,
                            uint8_t *dst, ptrdiff_t stride, int32_t width, int32_t height)
{
    rows(acc, acc_len, run, dst, stride, width, height);
    memset(acc + (ptrdiff_t)acc_len * height, 0,
           RASTER_COLUMNS_SLACK * (size_t)acc_len * sizeof *acc);
}

void raster_sweep_cols_baseline(uint16_t *acc, int32_t acc_len, uint16_t *run, uint8_t *dst,
                                ptrdiff_t stride, int32_t width, int32_t height)
{
    sweep_cols_with(sweep_cols_rows_baseline, acc, acc_len, run, dst, stride, width, height);
}

void raster_sweep_cols(uint16_t *acc, int32_t acc_len, uint16_t *run, uint8_t *dst,
                       ptrdiff_t stride, int32_t width, int32_t height)
{
#if defined(LIKELETTER_SIMD_SSE2)
    if (__builtin_cpu_supports("avx2")) {
        sweep_cols_with(sweep_cols_avx2, acc, acc_len, run, dst, stride, width, height);
        return;
    }
#endif
    raster_sweep_cols_baseline(acc, acc_len, run, dst, stride, width, height);
}
