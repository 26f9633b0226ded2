/* card-draw.c - the card's pixels: paper, border, handwritten words and the QR code. Each word
 * is one raster accumulation (so joined letters have no seams), blended in the ink colour with
 * an ink weight that runs smoothly from glyph to glyph along the word. */
#include "card-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int card_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) {
        return 0;
    }
    size_t n = *cap ? *cap : 256;
    while (n < need) {
        n = n > SIZE_MAX / 2 ? need : n * 2;
    }
    if (n > SIZE_MAX / elem) {
        return -1;
    }
    void *p = realloc(*buf, n * elem);
    if (!p) {
        return -1;
    }
    *buf = p;
    *cap = n;
    return 0;
}

void card_draw_paper(const canvas_t *c)
{
    uint8_t *row0 = c->rgb;
    for (int32_t x = 0; x < c->width; x++) {
        memcpy(row0 + 3 * (size_t)x, c->paper, 3);
    }
    for (int32_t y = 1; y < c->height; y++) {
        memcpy(c->rgb + (size_t)y * (size_t)c->stride, row0, 3 * (size_t)c->width);
    }
}

/* x / 255 rounded, exact for 0 <= x <= 255 * 255 (Blinn's trick). */
static inline uint32_t div255(uint32_t x)
{
    x += 128;
    return (x + (x >> 8)) >> 8;
}

/* Blends colour col at weight a (0..255) over pixel p. */
static inline void blend(uint8_t *p, const uint8_t col[3], uint32_t a)
{
    if (a == 255) {
        p[0] = col[0], p[1] = col[1], p[2] = col[2];
        return;
    }
    for (int i = 0; i < 3; i++) {
        p[i] = (uint8_t)div255(p[i] * (255 - a) + col[i] * a);
    }
}

/* Blends a rectangle (clipped to the canvas) in col at weight a. */
static void fill_rect(const canvas_t *c, geom_box_t b, const uint8_t col[3], uint32_t a)
{
    int32_t x0 = b.x < 0 ? 0 : b.x, y0 = b.y < 0 ? 0 : b.y;
    int32_t x1 = b.x + b.width > c->width ? c->width : b.x + b.width;
    int32_t y1 = b.y + b.height > c->height ? c->height : b.y + b.height;
    for (int32_t y = y0; y < y1; y++) {
        uint8_t *row = c->rgb + (size_t)y * (size_t)c->stride;
        for (int32_t x = x0; x < x1; x++) {
            blend(row + 3 * (size_t)x, col, a);
        }
    }
}

void card_draw_border(const canvas_t *c, geom_box_t panel, double dpi)
{
    /* A quarter-millimetre line 4.5 mm inside the panel's edge, in a light wash of the ink. */
    int32_t inset = (int32_t)lround(4.5 / 25.4 * dpi);
    int32_t w = (int32_t)lround(0.25 / 25.4 * dpi);
    w = w < 1 ? 1 : w;
    uint32_t a = 90;
    geom_box_t o = {panel.x + inset, panel.y + inset, panel.width - 2 * inset,
                    panel.height - 2 * inset};
    fill_rect(c, (geom_box_t){o.x, o.y, o.width, w}, c->ink, a);
    fill_rect(c, (geom_box_t){o.x, o.y + o.height - w, o.width, w}, c->ink, a);
    fill_rect(c, (geom_box_t){o.x, o.y + w, w, o.height - 2 * w}, c->ink, a);
    fill_rect(c, (geom_box_t){o.x + o.width - w, o.y + w, w, o.height - 2 * w}, c->ink, a);
}

/* The first x in [x, end) whose coverage is not zero: eight bytes at a time across the gaps
 * between letters and around them, which are most of a word's box. */
static inline int32_t coverage_next(const uint8_t *src, int32_t x, int32_t end)
{
    for (; x + 8 <= end; x += 8) {
        uint64_t v;
        memcpy(&v, src + x, sizeof v);
        if (v != 0) {
            break;
        }
    }
    while (x < end && src[x] == 0) {
        x++;
    }
    return x;
}

/* One past the last x in [start, end) whose coverage is not zero (start when there is none). */
static inline int32_t coverage_end(const uint8_t *src, int32_t start, int32_t end)
{
    while (end - 8 >= start) {
        uint64_t v;
        memcpy(&v, src + end - 8, sizeof v);
        if (v != 0) {
            break;
        }
        end -= 8;
    }
    while (end > start && src[end - 1] == 0) {
        end--;
    }
    return end;
}

typedef uint8_t v16u8 __attribute__((vector_size(16)));
typedef uint16_t v16u16 __attribute__((vector_size(32)));

/* px[j] = div255(px[j] (255 - a[j]) + col[j] a[j]) for j < n: blend() byte by byte, sixteen at
 * a time in vectors (SSE2 or NEON code), with exactly its arithmetic: the same pixels. */
static void bytes_blend(uint8_t *px, const uint8_t *a, const uint8_t *col, size_t n)
{
    size_t j = 0;
    for (; j + 16 <= n; j += 16) {
        v16u8 p8, a8, c8;
        memcpy(&p8, px + j, 16);
        memcpy(&a8, a + j, 16);
        memcpy(&c8, col + j, 16);
        const v16u16 aw = __builtin_convertvector(a8, v16u16);
        v16u16 t = __builtin_convertvector(p8, v16u16) * (255 - aw) +
                   __builtin_convertvector(c8, v16u16) * aw + 128;
        t = (t + (t >> 8)) >> 8;
        const v16u8 out = __builtin_convertvector(t, v16u8);
        memcpy(px + j, &out, 16);
    }
    for (; j < n; j++) {
        px[j] = (uint8_t)div255(px[j] * (255u - a[j]) + col[j] * (uint32_t)a[j]);
    }
}

/* Sixteen pixels' weights div255(cov ink), each spread over its three bytes: 48 bytes at out.
 * The spreading is one table lookup per vector on NEON (tbl); SSE2 has no byte shuffle, so x86
 * takes the SSSE3 one (pshufb) where the CPU has it, chosen at run time. */
static inline v16u8 weights16(const uint8_t *cov, const uint8_t *ink)
{
    v16u8 c8, i8;
    memcpy(&c8, cov, 16);
    memcpy(&i8, ink, 16);
    v16u16 t = __builtin_convertvector(c8, v16u16) * __builtin_convertvector(i8, v16u16) + 128;
    return __builtin_convertvector((t + (t >> 8)) >> 8, v16u8);
}

static inline void weights_tail(uint8_t *out, const uint8_t *cov, const uint8_t *ink, size_t i,
                                size_t n)
{
    for (; i < n; i++) {
        uint8_t a = (uint8_t)div255((uint32_t)cov[i] * ink[i]);
        out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = a;
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <tmmintrin.h>

__attribute__((target("ssse3"))) static void weights_spread_ssse3(uint8_t *out, const uint8_t *cov,
                                                                  const uint8_t *ink, size_t n)
{
    const __m128i k0 = _mm_setr_epi8(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5);
    const __m128i k1 = _mm_setr_epi8(5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10);
    const __m128i k2 =
        _mm_setr_epi8(10, 11, 11, 11, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        v16u8 a = weights16(cov + i, ink + i);
        __m128i v;
        memcpy(&v, &a, 16);
        _mm_storeu_si128((__m128i *)(void *)(out + 3 * i), _mm_shuffle_epi8(v, k0));
        _mm_storeu_si128((__m128i *)(void *)(out + 3 * i + 16), _mm_shuffle_epi8(v, k1));
        _mm_storeu_si128((__m128i *)(void *)(out + 3 * i + 32), _mm_shuffle_epi8(v, k2));
    }
    weights_tail(out, cov, ink, i, n);
}
#endif

/* out[3i..3i+2] = div255(cov[i] ink[i]) for i < n: each pixel's weight over its three bytes. */
static void weights_spread(uint8_t *out, const uint8_t *cov, const uint8_t *ink, size_t n)
{
#if defined(__x86_64__) || defined(__i386__)
    if (__builtin_cpu_supports("ssse3")) {
        weights_spread_ssse3(out, cov, ink, n);
        return;
    }
    weights_tail(out, cov, ink, 0, n);
#else
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const v16u8 a = weights16(cov + i, ink + i);
        const v16u8 s0 =
            __builtin_shufflevector(a, a, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5);
        const v16u8 s1 =
            __builtin_shufflevector(a, a, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10);
        const v16u8 s2 = __builtin_shufflevector(a, a, 10, 11, 11, 11, 12, 12, 12, 13, 13, 13, 14,
                                                 14, 14, 15, 15, 15);
        memcpy(out + 3 * i, &s0, 16);
        memcpy(out + 3 * i + 16, &s1, 16);
        memcpy(out + 3 * i + 32, &s2, 16);
    }
    weights_tail(out, cov, ink, i, n);
#endif
}

/* How far ahead of the blending the canvas rows are fetched. The canvas (6.5 MB at 300 dpi)
 * is far larger than the caches once the paper is laid, and a word's rows are short runs a
 * stride apart, which the hardware's prefetchers do not foresee: without this, a third of the
 * blending's time went in waiting for the first load of each row. */
#define BLEND_PREFETCH_ROWS 3

/* Asks for the canvas bytes of row y, columns x0 .. x1 - 1, to be fetched for writing (a row
 * outside the canvas is left alone). */
static inline void canvas_row_prefetch(const canvas_t *c, int32_t y, int32_t x0, int32_t x1)
{
    if (y >= c->height || x1 <= x0) {
        return;
    }
    const uint8_t *row = c->rgb + (size_t)y * (size_t)c->stride;
    for (size_t i = 3 * (size_t)x0; i < 3 * (size_t)x1; i += 64) {
        __builtin_prefetch(row + i, 1);
    }
    __builtin_prefetch(row + 3 * (size_t)x1 - 1, 1);
}

/* Blends coverage cov (box b, rows b.width apart) in the ink colour, column x weighted by
 * ink[x] (0..255). Each row's span from its first to its last covered pixel is blended as
 * bytes: the weight of each pixel spread over its three, then bytes_blend(). span holds
 * 6 * b.width bytes: weights, then the ink colour repeated. */
static void blend_coverage(const canvas_t *c, const uint8_t *cov, geom_box_t b, const uint8_t *ink,
                           uint8_t *span)
{
    int32_t xs = b.x < 0 ? -b.x : 0, xe = b.width;
    if (b.x + xe > c->width) {
        xe = c->width - b.x;
    }
    int32_t ys = b.y < 0 ? -b.y : 0, ye = b.height;
    if (b.y + ye > c->height) {
        ye = c->height - b.y;
    }
    uint8_t *weights = span, *colour = span + 3 * (size_t)b.width;
    for (int32_t x = 0; x < b.width; x++) {
        memcpy(colour + 3 * (size_t)x, c->ink, 3);
    }
    for (int32_t y = ys; y < ye; y++) {
        canvas_row_prefetch(c, b.y + y + BLEND_PREFETCH_ROWS, b.x + xs, b.x + xe);
        const uint8_t *src = cov + (size_t)y * (size_t)b.width;
        int32_t x0 = coverage_next(src, xs, xe), x1 = coverage_end(src, x0, xe);
        weights_spread(weights, src + x0, ink + x0, (size_t)(x1 - x0));
        uint8_t *row = c->rgb + (size_t)(b.y + y) * (size_t)c->stride;
        bytes_blend(row + 3 * (size_t)(b.x + x0), weights, colour, 3 * (size_t)(x1 - x0));
    }
}

static geom_box_t box_union(geom_box_t a, geom_box_t b)
{
    if (a.width == 0 || a.height == 0) {
        return b;
    }
    if (b.width == 0 || b.height == 0) {
        return a;
    }
    int32_t x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
    int32_t x1 = a.x + a.width > b.x + b.width ? a.x + a.width : b.x + b.width;
    int32_t y1 = a.y + a.height > b.y + b.height ? a.y + a.height : b.y + b.height;
    return (geom_box_t){x0, y0, x1 - x0, y1 - y0};
}

/* Per column of the word's box, the ink weight: linear between the glyphs' box centres, so a
 * join between a lighter and a darker letter has no step. */
static void word_ink_columns(const word_t *w, uint8_t *cols)
{
    double prev_x = 0, prev_ink = -1;
    int32_t filled = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (w->box[i].width == 0) {
            continue;
        }
        double cx = w->box[i].x - w->all.x + w->box[i].width * 0.5, ink = w->ink[i] * 255.0;
        if (prev_ink < 0) {
            prev_x = cx, prev_ink = ink;
        }
        for (; filled < w->all.width && filled <= (int32_t)cx; filled++) {
            double t = cx > prev_x ? (filled - prev_x) / (cx - prev_x) : 1.0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            cols[filled] = (uint8_t)lround(prev_ink + (ink - prev_ink) * t);
        }
        prev_x = cx, prev_ink = ink;
    }
    for (; filled < w->all.width; filled++) {
        cols[filled] = (uint8_t)lround(prev_ink < 0 ? 255 : prev_ink);
    }
}

/* Rasterizes the word as one accumulation and blends it. */
static int word_draw(card_renderer_t *r, const canvas_t *c, word_t *w, char *err, size_t errlen)
{
    if (w->all.width == 0 || w->all.height == 0) {
        return 0;
    }
    size_t area = (size_t)w->all.width * (size_t)w->all.height;
    if (card_grow((void **)&r->cov, &r->cov_cap, area, 1) < 0 ||
        card_grow((void **)&r->ink_cols, &r->ink_cap, (size_t)w->all.width, 1) < 0 ||
        card_grow((void **)&r->span, &r->span_cap, 6 * (size_t)w->all.width, 1) < 0) {
        snprintf(err, errlen, "out of memory drawing a word");
        return -1;
    }
    int rc = raster_begin(r->raster, w->all);
    for (size_t i = 0; rc == 0 && i < w->n; i++) {
        if (w->box[i].width > 0) {
            rc = raster_add(r->raster, w->outline[i], &w->m[i]);
        }
    }
    if (rc == 0) {
        rc = raster_sweep(r->raster, r->cov, w->all.width);
    } else {
        raster_abort(r->raster);
    }
    if (rc != 0) {
        snprintf(err, errlen, "cannot draw a word: %s", raster_error_string(rc));
        return -1;
    }
    word_ink_columns(w, r->ink_cols);
    blend_coverage(c, r->cov, w->all, r->ink_cols, r->span);
    return 0;
}

/* Adds glyph id (g's, or an alternate of it) drawn with map m at ink weight ink to the word and
 * to the record. */
static int word_add(card_renderer_t *r, const block_t *b, word_t *w, const layout_glyph_t *g,
                    uint32_t id, const geom_affine_t *m, double ink, char *err, size_t errlen)
{
    const outline_t *o = font_glyph_outline(b->fonts[g->font], id);
    geom_box_t box = {0, 0, 0, 0};
    int rc = o ? raster_glyph_box(o, m, &box) : 0;
    if (rc != 0) {
        snprintf(err, errlen, "cannot draw glyph %u: %s", id, raster_error_string(rc));
        return -1;
    }
    if (card_grow((void **)&r->glyphs, &r->glyph_cap, r->glyph_count + 1, sizeof *r->glyphs) < 0) {
        snprintf(err, errlen, "out of memory recording glyphs");
        return -1;
    }
    r->glyphs[r->glyph_count++] = (card_glyph_t){.glyph = id,
                                                 .cluster = g->cluster,
                                                 .font = b->font_ids[g->font],
                                                 .text = b->text,
                                                 .ink = ink,
                                                 .m = *m};
    if (b->font_ids[g->font] == 1 && b->text != CARD_TEXT_CAPTION) {
        r->info.fallback_glyphs++;
    }
    w->outline[w->n] = o;
    w->m[w->n] = *m;
    w->box[w->n] = box;
    w->ink[w->n] = ink;
    w->n++;
    w->all = box.width > 0 ? box_union(w->all, box) : w->all;
    return 0;
}

/* The map of glyph g at index gi of line li, with its origin at pen (x, y). */
static geom_affine_t glyph_map(const block_t *b, const layout_glyph_t *g, size_t li, size_t gi,
                               const handwriting_line_t *hl, double x, double y, double *ink)
{
    handwriting_glyph_t hg;
    handwriting_glyph(b->hand, li, gi, &hg);
    hg.rotate_deg += hl->slope_deg; /* letters stand on the sloped baseline */
    *ink = hg.ink * b->ink_scale;
    font_t *f = b->fonts[g->font];
    return handwriting_glyph_affine(&hg, font_units_per_em(f), b->px * g->scale, x, y);
}

/* The primary font's alternates for glyph (looked up once per renderer: the lookup walks the
 * font's GSUB); *alts points at them. */
static size_t glyph_alternates(card_renderer_t *r, uint32_t glyph, const uint32_t **alts)
{
    if (glyph >= r->alt_glyphs) {
        return 0;
    }
    if (r->alt_n[glyph] == ALT_UNKNOWN) {
        uint32_t n = shaper_alternates(r->shaper, glyph, r->alt[glyph], ALT_MAX);
        r->alt_n[glyph] = (uint8_t)(n < ALT_MAX ? n : ALT_MAX);
    }
    *alts = r->alt[glyph];
    return r->alt_n[glyph];
}

/* Where glyph i of a line stands among the line's instances of its glyph id: *before of them
 * come earlier, *total in all. */
static void glyph_occurrences(const layout_glyph_t *gs, size_t count, size_t i, size_t *before,
                              size_t *total)
{
    *before = 0, *total = 0;
    for (size_t j = 0; j < count; j++) {
        bool same = !gs[j].space && gs[j].font == gs[i].font && gs[j].glyph == gs[i].glyph;
        *before += same && j < i;
        *total += same;
    }
}

/* What a line's glyphs have used so far of the room at its end, and the previous glyph. */
typedef struct line_forms {
    double grow, room; /* px the alternates widened the line by; px there are to the right */
    uint32_t prev;     /* the glyph drawn before (in the same word), or UINT32_MAX */
} line_forms_t;

/* The glyph to draw for line glyph i: the shaped one, or, when the font has alternates for it and
 * it recurs in the line, the form the seeded variation picks for this occurrence (consecutive
 * occurrences differ, so "MMM" uses two forms). An alternate never repeats the glyph just drawn
 * (Kristi's calt already made the o of "oo" an o.alt2), stays within ALT_WIDTH_TOLERANCE of the
 * shaped glyph's advance and only widens the line into the room left at its end; *dx is how
 * much it moves the glyphs after it, px. Plain text is drawn exactly as shaped. */
#define ALT_WIDTH_TOLERANCE 0.3
static uint32_t glyph_form(card_renderer_t *r, const block_t *b, size_t li,
                           const layout_glyph_t *gs, size_t count, size_t i, line_forms_t *lf,
                           double *dx)
{
    const layout_glyph_t *g = &gs[i];
    const uint32_t *alts;
    size_t n, before, total;
    *dx = 0;
    if (g->font != LAYOUT_FONT_PRIMARY || b->fonts[0] != r->font ||
        (n = glyph_alternates(r, g->glyph, &alts)) == 0) {
        return g->glyph;
    }
    glyph_occurrences(gs, count, i, &before, &total);
    size_t pick = total < 2 ? 0 : handwriting_alternate_pick(b->hand, li, before, n + 1);
    if (pick == 0 || alts[pick - 1] == lf->prev) {
        return g->glyph;
    }
    double from = font_glyph_advance(r->font, g->glyph),
           to = font_glyph_advance(r->font, alts[pick - 1]);
    double delta = (to - from) * b->px * g->scale / font_units_per_em(r->font);
    if (!(from > 0) || fabs(to - from) > ALT_WIDTH_TOLERANCE * from ||
        lf->grow + delta > lf->room) {
        return g->glyph;
    }
    lf->grow += delta;
    *dx = delta;
    return alts[pick - 1];
}

/* Draws one line whose baseline starts at (x0, y0). */
static int line_draw(card_renderer_t *r, const canvas_t *c, const block_t *b, size_t li,
                     const layout_line_t *line, const handwriting_line_t *hl, double x0, double y0,
                     char *err, size_t errlen)
{
    const layout_glyph_t *gs = layout_glyphs(b->layout) + line->first;
    word_t *w = r->word;
    w->n = 0, w->all = (geom_box_t){0, 0, 0, 0};
    double shift = 0, span = line->width > 1 ? line->width : 1;
    line_forms_t lf = {0, b->left + b->width - (x0 + line->width), UINT32_MAX};
    for (size_t i = 0; i < line->count; i++) {
        const layout_glyph_t *g = &gs[i];
        if (g->space || w->n == WORD_MAX_GLYPHS) {
            if (word_draw(r, c, w, err, errlen) < 0) {
                return -1;
            }
            w->n = 0, w->all = (geom_box_t){0, 0, 0, 0};
            lf.prev = UINT32_MAX;
        }
        if (g->space) {
            shift += (handwriting_word_space(b->hand, li, g->word) - 1.0) * g->advance;
            continue;
        }
        double x = g->x + shift, dx;
        double y = y0 - g->y + handwriting_line_y(hl, x / span) * b->px - hl->slope * x;
        double ink;
        uint32_t id = glyph_form(r, b, li, gs, line->count, i, &lf, &dx);
        geom_affine_t m = glyph_map(b, g, li, i, hl, x0 + x, y, &ink);
        if (word_add(r, b, w, g, id, &m, ink, err, errlen) < 0) {
            return -1;
        }
        shift += dx;
        lf.prev = id;
    }
    return word_draw(r, c, w, err, errlen);
}

int card_draw_block(card_renderer_t *r, const canvas_t *c, const block_t *b, double y,
                    double *last_y, char *err, size_t errlen)
{
    const layout_line_t *lines = layout_lines(b->layout);
    size_t n = layout_line_count(b->layout);
    for (size_t i = 0; i < n; i++) {
        handwriting_line_t hl;
        handwriting_line(b->hand, b->line0 + i, &hl);
        if (i > 0) {
            y += b->line_height * hl.spacing;
        }
        double x0 = b->left + hl.margin_em * b->px;
        if (b->right_align) {
            x0 += b->width - lines[i].width - fabs(hl.margin_em) * b->px;
        }
        if (line_draw(r, c, b, b->line0 + i, &lines[i], &hl, x0, y, err, errlen) < 0) {
            return -1;
        }
    }
    *last_y = y;
    return 0;
}

int card_draw_qr(card_renderer_t *r, const canvas_t *c, geom_box_t box, int32_t module_px,
                 char *err, size_t errlen)
{
    size_t side = (size_t)box.width;
    if (card_grow((void **)&r->qr_cov, &r->qr_cap, side * side, 1) < 0 ||
        qr_render(r->qr, module_px, r->qr_cov, box.width) < 0) {
        snprintf(err, errlen, "cannot draw the QR code (%dx%d px)", box.width, box.width);
        return -1;
    }
    /* Black modules on a paper quiet zone: the best contrast a phone can get. */
    static const uint8_t black[3] = {0, 0, 0};
    fill_rect(c, box, c->paper, 255);
    for (int32_t y = 0; y < box.height; y++) {
        int32_t cy = box.y + y;
        const uint8_t *src = r->qr_cov + (size_t)y * side;
        for (int32_t x = 0; cy >= 0 && cy < c->height && x < box.width; x++) {
            int32_t cx = box.x + x;
            if (src[x] && cx >= 0 && cx < c->width) {
                blend(c->rgb + (size_t)cy * (size_t)c->stride + 3 * (size_t)cx, black, src[x]);
            }
        }
    }
    return 0;
}

/* ---- the ornament ---- */

/* One row or column of n_in samples (step apart in src) resampled to n_out at scale
 * n_out / n_in: each output sample averages the input it covers when shrinking, and
 * interpolates linearly between the two nearest when enlarging. */
static void resample_1d(const float *src, ptrdiff_t step, int32_t n_in, float *dst, ptrdiff_t dstep,
                        int32_t n_out, double scale)
{
    for (int32_t o = 0; o < n_out; o++) {
        double sum = 0;
        if (scale < 1) {
            double a = o / scale, e = (o + 1) / scale;
            for (int32_t i = (int32_t)a; i < n_in && i < e; i++) {
                double lo = i > a ? i : a, hi = i + 1 < e ? i + 1 : e;
                sum += src[i * step] * (hi - lo);
            }
            sum *= scale;
        } else {
            double c = (o + 0.5) / scale - 0.5, t = c - floor(c);
            int32_t i = (int32_t)floor(c);
            int32_t i0 = i < 0 ? 0 : i, i1 = i + 1 >= n_in ? n_in - 1 : i + 1;
            sum = src[i0 * step] * (1 - t) + src[i1 * step] * t;
        }
        dst[o * dstep] = (float)sum;
    }
}

int card_ornament_scale(ornament_t *o, double dpi)
{
    double s = dpi / o->dpi;
    int32_t w = (int32_t)lround(o->width * s), h = (int32_t)lround(o->height * s);
    w = w < 1 ? 1 : w, h = h < 1 ? 1 : h;
    if (w > CARD_DPI_MAX * 12 || h > CARD_DPI_MAX * 12) {
        return -1; /* larger than any card */
    }
    /* Two separable passes through float buffers: columns first, then rows. */
    float *in = malloc(sizeof *in * (size_t)o->width * (size_t)o->height);
    float *mid = malloc(sizeof *mid * (size_t)o->width * (size_t)h);
    float *out = malloc(sizeof *out * (size_t)w);
    uint8_t *scaled = malloc((size_t)w * (size_t)h);
    int rc = in && mid && out && scaled ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < (size_t)o->width * (size_t)o->height; i++) {
        in[i] = o->cov[i];
    }
    for (int32_t x = 0; rc == 0 && x < o->width; x++) {
        resample_1d(in + x, o->width, o->height, mid + x, o->width, h, (double)h / o->height);
    }
    for (int32_t y = 0; rc == 0 && y < h; y++) {
        resample_1d(mid + (size_t)y * (size_t)o->width, 1, o->width, out, 1, w,
                    (double)w / o->width);
        for (int32_t x = 0; x < w; x++) {
            float v = out[x];
            scaled[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)(v < 0     ? 0
                                                                  : v > 255 ? 255
                                                                            : v + 0.5f);
        }
    }
    free(in), free(mid), free(out);
    if (rc < 0) {
        free(scaled);
        return -1;
    }
    free(o->scaled);
    o->scaled = scaled, o->scaled_width = w, o->scaled_height = h, o->scaled_dpi = dpi;
    return 0;
}

void card_draw_ornament(const canvas_t *c, const ornament_t *o, int32_t right, int32_t top)
{
    /* A touch lighter than the writing, so it frames the note instead of competing with it. */
    const uint32_t weight = 215;
    int32_t left = right - o->scaled_width;
    for (int32_t y = 0; y < o->scaled_height; y++) {
        int32_t cy = top + y;
        if (cy < 0 || cy >= c->height) {
            continue;
        }
        const uint8_t *src = o->scaled + (size_t)y * (size_t)o->scaled_width;
        uint8_t *row = c->rgb + (size_t)cy * (size_t)c->stride;
        for (int32_t x = 0; x < o->scaled_width; x++) {
            int32_t cx = left + x;
            if (src[x] != 0 && cx >= 0 && cx < c->width) {
                blend(row + 3 * (size_t)cx, c->ink, div255(src[x] * weight));
            }
        }
    }
}
