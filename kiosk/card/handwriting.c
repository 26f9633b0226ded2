/* handwriting.c - see handwriting.h. Every number is a pure function of (seed, channel, indices):
 * SplitMix64's mixer hashes them into lattice values of 1-D value noise, interpolated with a
 * quintic smoothstep. No libm, no state between calls, so calls may come in any order from any
 * thread and give the same bits on every IEEE 754 platform. */
#include "likeletter/handwriting.h"

#include <errno.h>
#include <stdlib.h>

/* A fused multiply-add rounds once where a*b+c rounds twice, which would change the last bits
 * wherever the compiler may fuse: clang by default on arm64 (and x86_64 with -mfma), GCC in GNU
 * mode (-std=gnu17) or with -ffp-contract=fast. Turn contraction off for this file in both;
 * only an explicit clang -ffp-contract=fast overrides this, and the golden test catches that. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#define PI 3.14159265358979323846
#define GOLDEN UINT64_C(0x9E3779B97F4A7C15) /* SplitMix64's increment */
#define BEND_TURNS 0.5                      /* a line's bend spans half a wave: one bow */

/* Independent streams: each quantity hashes its own channel, so adding one never shifts
 * another's numbers. Values are part of the reproducibility contract: never renumber. */
enum channel {
    CH_ROTATE = 1,
    CH_SCALE,
    CH_SHEAR,
    CH_DY,
    CH_INK,
    CH_MARGIN,
    CH_SLOPE,
    CH_BEND,
    CH_BEND_PHASE,
    CH_SPACING,
    CH_WORD,
    CH_ALT_OFFSET,
    CH_ALT_STEP,
    CH_WHITE = 0x100, /* or-ed in: the independent part of a channel */
};

/* How a quantity varies along its index: lattice spacing in indices, and the share of the
 * correlated noise (the rest is independent per index). */
typedef struct drift {
    enum channel channel;
    uint64_t period;
    double smooth;
} drift_t;

static const drift_t ROTATE = {CH_ROTATE, 4, 0.6};
static const drift_t SCALE = {CH_SCALE, 6, 0.7};
static const drift_t SHEAR = {CH_SHEAR, 5, 0.7};
static const drift_t DY = {CH_DY, 3, 0.6};
static const drift_t INK = {CH_INK, 8, 0.8};
static const drift_t MARGIN = {CH_MARGIN, 4, 0.8};
static const drift_t SLOPE = {CH_SLOPE, 3, 0.7};
static const drift_t BEND = {CH_BEND, 3, 0.6};
static const drift_t SPACING = {CH_SPACING, 3, 0.7};
static const drift_t WORD = {CH_WORD, 3, 0.5};

struct handwriting {
    handwriting_params_t p;
};

uint64_t handwriting_splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += GOLDEN);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* A 64-bit hash of (seed, channel, a, b): chained SplitMix64 steps, one per input. */
static uint64_t hash(const handwriting_t *h, unsigned channel, uint64_t a, uint64_t b)
{
    uint64_t s = h->p.seed;
    uint64_t z = handwriting_splitmix64_next(&s);
    s = z ^ channel;
    z = handwriting_splitmix64_next(&s);
    s = z ^ a;
    z = handwriting_splitmix64_next(&s);
    s = z ^ b;
    return handwriting_splitmix64_next(&s);
}

/* The top 53 bits as a double in [-1, 1): exact, no rounding anywhere. */
static double signed_unit(uint64_t x)
{
    return (double)(x >> 11) * 0x1.0p-52 - 1.0;
}

/* v limited to [lo, hi]; NaN gives lo. */
static double clamp(double v, double lo, double hi)
{
    return v > lo ? (v < hi ? v : hi) : lo;
}

/* Quintic smoothstep on [0, 1]: zero first and second derivatives at both ends. */
static double smooth(double t)
{
    return t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
}

/* Drift d at index i of line (line 0 for per-line quantities), in [-1, 1]: value noise over
 * i / period mixed with an independent value for i. Integer lattice, so no float in the
 * indexing. */
static double drift_at(const handwriting_t *h, const drift_t *d, uint64_t line, uint64_t i)
{
    uint64_t k = i / d->period;
    double t = (double)(i % d->period) / (double)d->period;
    double a = signed_unit(hash(h, d->channel, line, k));
    double b = signed_unit(hash(h, d->channel, line, k + 1));
    double noise = a + (b - a) * smooth(t);
    double white = signed_unit(hash(h, d->channel | CH_WHITE, line, i));
    return clamp(d->smooth * noise + (1.0 - d->smooth) * white, -1.0, 1.0);
}

/* tan(x) for |x| <= 5 degrees by its Taylor series to x^11 (error < 1e-16 there): no libm. */
static double small_tan(double x)
{
    double x2 = x * x;
    double p = 62.0 / 2835.0 + x2 * (1382.0 / 155925.0);
    p = 1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (17.0 / 315.0 + x2 * p));
    return x * (1.0 + x2 * p);
}

/* sin(2 pi f) for f in [0, 1) without libm: Bhaskara-like parabola per half wave, refined once
 * (error < 0.001), continuous in value and slope at the half and whole turn. */
static double wave(double f)
{
    double sign = 1.0;
    if (f >= 0.5) {
        f -= 0.5;
        sign = -1.0;
    }
    double s = 16.0 * f * (0.5 - f);
    s += 0.225 * (s * s - s);
    return sign * clamp(s, 0.0, 1.0);
}

handwriting_params_t handwriting_params_default(uint64_t seed)
{
    return (handwriting_params_t){
        .seed = seed,
        .plain = false,
        .glyph_rotate_deg = 2.5,
        .glyph_scale = 0.04,
        .glyph_shear = 0.06,
        .glyph_dy_em = 0.04,
        .glyph_ink_min = 0.85,
        .line_bend_em = 0.08,
        .line_slope_deg = 0.8,
        .line_margin_em = 0.15,
        .line_spacing = 0.04,
        .word_space = 0.15,
    };
}

/* 0 <= v <= max, false for NaN. */
static bool in_range(double v, double max)
{
    return v >= 0.0 && v <= max;
}

static bool params_valid(const handwriting_params_t *p)
{
    return in_range(p->glyph_rotate_deg, HANDWRITING_MAX_ROTATE_DEG) &&
           in_range(p->glyph_scale, HANDWRITING_MAX_SCALE) &&
           in_range(p->glyph_shear, HANDWRITING_MAX_SHEAR) &&
           in_range(p->glyph_dy_em, HANDWRITING_MAX_DY_EM) && in_range(p->glyph_ink_min, 1.0) &&
           in_range(p->line_bend_em, HANDWRITING_MAX_BEND_EM) &&
           in_range(p->line_slope_deg, HANDWRITING_MAX_SLOPE_DEG) &&
           in_range(p->line_margin_em, HANDWRITING_MAX_MARGIN_EM) &&
           in_range(p->line_spacing, HANDWRITING_MAX_LINE_SPACING) &&
           in_range(p->word_space, HANDWRITING_MAX_WORD_SPACE);
}

handwriting_t *handwriting_create(const handwriting_params_t *params)
{
    if (!params || (!params->plain && !params_valid(params))) {
        errno = EINVAL;
        return NULL;
    }
    handwriting_t *h = malloc(sizeof *h);
    if (!h) {
        errno = ENOMEM;
        return NULL;
    }
    h->p = *params;
    return h;
}

void handwriting_free(handwriting_t *h)
{
    free(h);
}

void handwriting_line(const handwriting_t *h, size_t line_index, handwriting_line_t *line)
{
    *line = (handwriting_line_t){.spacing = 1.0};
    if (h->p.plain) {
        return;
    }
    const handwriting_params_t *p = &h->p;
    uint64_t i = line_index;
    line->margin_em = p->line_margin_em * drift_at(h, &MARGIN, 0, i);
    line->slope_deg = p->line_slope_deg * drift_at(h, &SLOPE, 0, i);
    line->slope = small_tan(line->slope_deg * (PI / 180.0));
    line->bend_em = p->line_bend_em * drift_at(h, &BEND, 0, i);
    line->bend_phase = (signed_unit(hash(h, CH_BEND_PHASE, 0, i)) + 1.0) * 0.5;
    line->spacing = 1.0 + p->line_spacing * drift_at(h, &SPACING, 0, i);
}

double handwriting_line_y(const handwriting_line_t *line, double x_fraction)
{
    double x = x_fraction > 0.0 ? (x_fraction < 1.0 ? x_fraction : 1.0) : 0.0;
    double f = x * BEND_TURNS + clamp(line->bend_phase, 0.0, 1.0);
    while (f >= 1.0) {
        f -= 1.0;
    }
    double amp = line->bend_em < 0 ? -line->bend_em : line->bend_em;
    /* Down is positive on the page: a positive wave bows the baseline up. */
    return clamp(-line->bend_em * wave(f), -amp, amp);
}

/* Rotation of glyph i before the neighbour rule, in [-a, a]. */
static double raw_turn(const handwriting_t *h, uint64_t line, uint64_t i)
{
    return h->p.glyph_rotate_deg * drift_at(h, &ROTATE, line, i);
}

/* True when v is within [-a, a] and at least gap from both neighbours. */
static bool turn_allowed(double v, double a, double gap, double left, double right)
{
    double dl = v > left ? v - left : left - v;
    double dr = v > right ? v - right : right - v;
    return v >= -a && v <= a && dl >= gap && dr >= gap;
}

/* Glyph i's rotation. Even indices keep their raw value; an odd index moves to the nearest value
 * in [-a, a] at least HANDWRITING_MIN_TURN * a from both (even, hence fixed) neighbours. Each
 * glyph depends only on its neighbours' raw values: no chain along the line. The nearest allowed
 * point is r itself or an end of an excluded gap or of the range; ends are pushed a hair beyond
 * the gap so rounding in v - left cannot bring them back inside. */
static double glyph_turn(const handwriting_t *h, uint64_t line, uint64_t i)
{
    double r = raw_turn(h, line, i);
    if (i % 2 == 0) {
        return r;
    }
    double a = h->p.glyph_rotate_deg;
    double gap = HANDWRITING_MIN_TURN * a, push = gap * (1.0 + 1e-9);
    double left = raw_turn(h, line, i - 1), right = raw_turn(h, line, i + 1);
    double cand[] = {r, left - push, left + push, right - push, right + push, -a, a};
    double best = r, best_d = -1.0;
    for (size_t c = 0; c < sizeof cand / sizeof cand[0]; c++) {
        double d = cand[c] > r ? cand[c] - r : r - cand[c];
        if (turn_allowed(cand[c], a, gap, left, right) && (best_d < 0 || d < best_d)) {
            best = cand[c];
            best_d = d;
        }
    }
    return best;
}

void handwriting_glyph(const handwriting_t *h, size_t line_index, size_t glyph_index,
                       handwriting_glyph_t *g)
{
    *g = (handwriting_glyph_t){.scale = 1.0, .ink = 1.0};
    if (h->p.plain) {
        return;
    }
    const handwriting_params_t *p = &h->p;
    uint64_t line = line_index, i = glyph_index;
    g->rotate_deg = glyph_turn(h, line, i);
    g->scale = 1.0 + p->glyph_scale * drift_at(h, &SCALE, line, i);
    g->shear = p->glyph_shear * drift_at(h, &SHEAR, line, i);
    g->dy_em = p->glyph_dy_em * drift_at(h, &DY, line, i);
    double u = (drift_at(h, &INK, line, i) + 1.0) * 0.5;
    g->ink = clamp(p->glyph_ink_min + (1.0 - p->glyph_ink_min) * u, p->glyph_ink_min, 1.0);
}

double handwriting_word_space(const handwriting_t *h, size_t line_index, size_t word_index)
{
    if (h->p.plain) {
        return 1.0;
    }
    return 1.0 + h->p.word_space * drift_at(h, &WORD, line_index, word_index);
}

/* offset + i * step (mod n) with a step in [1, n - 1] per line: consecutive picks differ by the
 * step, never by 0 mod n. */
size_t handwriting_alternate_pick(const handwriting_t *h, size_t line_index, size_t glyph_index,
                                  size_t n_alternates)
{
    if (h->p.plain || n_alternates < 2) {
        return 0;
    }
    uint64_t n = n_alternates;
    uint64_t offset = hash(h, CH_ALT_OFFSET, line_index, 0) % n;
    uint64_t step = 1 + hash(h, CH_ALT_STEP, line_index, 0) % (n - 1);
    if (n > UINT32_MAX) {
        step = 1; /* (i % n) * step could overflow; no font has that many alternates */
    }
    uint64_t i = (uint64_t)glyph_index % n;
    return (size_t)((offset + i * step % n) % n);
}

geom_affine_t handwriting_glyph_affine(const handwriting_glyph_t *g, double units_per_em, double px,
                                       double pen_x, double baseline_y)
{
    /* Scaling about the origin is a larger px; rotation and shear are about the origin too. */
    double y = g->dy_em != 0.0 ? baseline_y + g->dy_em * px : baseline_y;
    return geom_affine_glyph(units_per_em, px * g->scale, g->rotate_deg, g->shear, pen_x, y);
}
