/* raster-sweep.c - the coverage sweep: one flavour per architecture, chosen at build time.
 *
 * The accumulator holds, per pixel, the signed area the edges added to it and to its right;
 * a running (prefix) sum along the row turns that into the winding-weighted coverage. The SIMD
 * versions do the prefix sum four lanes at a time (two shifted adds) and carry the last lane. */
#include "raster-private.h"

#include <math.h>
#include <string.h>

#if defined(LIKELETTER_SIMD_SSE2)
#include <emmintrin.h>
const char raster_sweep_flavour[] = "sse2";

/* Prefix sum of 4 lanes plus the carry; returns |sum| rounded, in 4 int lanes. The packs that
 * follow saturate it to 0..255 (a huge or NaN sum converts to INT_MIN and packs to 0). */
static inline __m128i sweep4(__m128 v, __m128 *carry)
{
    const __m128 absmask = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
    v = _mm_add_ps(v, _mm_castsi128_ps(_mm_slli_si128(_mm_castps_si128(v), 4)));
    v = _mm_add_ps(v, _mm_castsi128_ps(_mm_slli_si128(_mm_castps_si128(v), 8)));
    v = _mm_add_ps(v, *carry);
    *carry = _mm_shuffle_ps(v, v, _MM_SHUFFLE(3, 3, 3, 3));
    return _mm_cvtps_epi32(_mm_and_ps(v, absmask));
}

void raster_sweep_row(float *acc, uint8_t *dst, int32_t width, int32_t acc_len)
{
    const __m128 zero = _mm_setzero_ps();
    const __m128i izero = _mm_setzero_si128();
    __m128 carry = zero;
    uint64_t fill = 0; /* the coverage left of here, 8 times: what an untouched block shows */
    int32_t i = 0;
    for (; i + 8 <= width; i += 8) {
        const __m128 a = _mm_load_ps(acc + i), b = _mm_load_ps(acc + i + 4);
        const __m128i any = _mm_castps_si128(_mm_or_ps(a, b));
        if (_mm_movemask_epi8(_mm_cmpeq_epi32(any, izero)) == 0xffff) {
            memcpy(dst + i, &fill, 8); /* no edge here: coverage is constant */
            continue;
        }
        __m128i q0 = sweep4(a, &carry), q1 = sweep4(b, &carry);
        _mm_store_ps(acc + i, zero);
        _mm_store_ps(acc + i + 4, zero);
        const __m128i px = _mm_packus_epi16(_mm_packs_epi32(q0, q1), izero);
        _mm_storel_epi64((__m128i *)(void *)(dst + i), px);
        fill = (uint64_t)(_mm_extract_epi16(px, 3) >> 8) * 0x0101010101010101ull;
    }
    for (; i < width; i += 4) {
        __m128i q = sweep4(_mm_load_ps(acc + i), &carry);
        _mm_store_ps(acc + i, zero);
        q = _mm_packus_epi16(_mm_packs_epi32(q, q), q);
        uint8_t px[16];
        _mm_storeu_si128((__m128i *)(void *)px, q);
        int32_t n = width - i < 4 ? width - i : 4;
        memcpy(dst + i, px, (size_t)n);
    }
    for (; i < acc_len; i += 4) {
        _mm_store_ps(acc + i, zero);
    }
}

#elif defined(LIKELETTER_SIMD_NEON)
#include <arm_neon.h>
const char raster_sweep_flavour[] = "neon";

/* Prefix sum of 4 lanes plus the carry; returns |sum| rounded, saturated to 0..65535. */
static inline uint16x4_t sweep4(float32x4_t v, float32x4_t *carry)
{
    const float32x4_t zero = vdupq_n_f32(0.0f);
    v = vaddq_f32(v, vextq_f32(zero, v, 3));
    v = vaddq_f32(v, vextq_f32(zero, v, 2));
    v = vaddq_f32(v, *carry);
    *carry = vdupq_laneq_f32(v, 3);
    return vqmovn_u32(vcvtnq_u32_f32(vabsq_f32(v)));
}

void raster_sweep_row(float *acc, uint8_t *dst, int32_t width, int32_t acc_len)
{
    const float32x4_t zero = vdupq_n_f32(0.0f);
    float32x4_t carry = zero;
    uint8x8_t fill = vdup_n_u8(0); /* the coverage left of here: what an untouched block shows */
    int32_t i = 0;
    for (; i + 8 <= width; i += 8) {
        const float32x4_t a = vld1q_f32(acc + i), b = vld1q_f32(acc + i + 4);
        const uint32x4_t any = vorrq_u32(vreinterpretq_u32_f32(a), vreinterpretq_u32_f32(b));
        if (vmaxvq_u32(any) == 0) {
            vst1_u8(dst + i, fill); /* no edge here: coverage is constant */
            continue;
        }
        uint16x4_t q0 = sweep4(a, &carry), q1 = sweep4(b, &carry);
        vst1q_f32(acc + i, zero);
        vst1q_f32(acc + i + 4, zero);
        uint8x8_t px = vqmovn_u16(vcombine_u16(q0, q1));
        vst1_u8(dst + i, px);
        fill = vdup_lane_u8(px, 7);
    }
    for (; i < width; i += 4) {
        uint16x4_t q = sweep4(vld1q_f32(acc + i), &carry);
        vst1q_f32(acc + i, zero);
        uint8_t px[8];
        vst1_u8(px, vqmovn_u16(vcombine_u16(q, q)));
        int32_t n = width - i < 4 ? width - i : 4;
        memcpy(dst + i, px, (size_t)n);
    }
    for (; i < acc_len; i += 4) {
        vst1q_f32(acc + i, zero);
    }
}

#else
const char raster_sweep_flavour[] = "portable";

void raster_sweep_row(float *acc, uint8_t *dst, int32_t width, int32_t acc_len)
{
    float sum = 0.0f;
    uint8_t cov = 0;
    for (int32_t i = 0; i < width; i++) {
        if (acc[i] != 0.0f) {
            sum += acc[i];
            acc[i] = 0.0f;
            float a = fabsf(sum);
            cov = (uint8_t)(a < 255.0f ? a + 0.5f : 255.0f); /* NaN gives 255 */
        }
        dst[i] = cov;
    }
    memset(acc + width, 0, (size_t)(acc_len - width) * sizeof *acc);
}
#endif

