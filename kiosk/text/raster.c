/* raster.c - see raster.h. The checks, boxes and lifetime of an accumulation; the edge engine
 * that adds outlines to it is raster-edges.c, the sweep that turns it into coverage
 * raster-sweep.c. */
#include "likeletter/raster.h"

#include "raster-edges.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRANSLATE 16777216.0 /* |x0|, |y0|: keeps pixel boxes well inside int32 */
/* Boxes of at least this many pixels are accumulated in columns (see raster_begin()). */
#define COLUMNS_MIN_AREA 1024

const char *raster_sweep_name(void)
{
    return raster_sweep_flavour;
}

const char *raster_error_string(int err)
{
    switch (err) {
    case RASTER_E_TRANSFORM:
        return "transform is non-finite, singular or out of range";
    case RASTER_E_TOO_LARGE:
        return "glyph or box is too large";
    case RASTER_E_NOMEM:
        return "out of memory";
    case RASTER_E_STATE:
        return "rasterizer used out of order";
    default:
        return outline_error_string(err);
    }
}

/* The edge engine this CPU runs best. */
static const raster_edges_t *edges_pick(void)
{
#if defined(LIKELETTER_EDGES_AVX2)
    if (__builtin_cpu_supports("avx2")) {
        return &raster_edges_avx2;
    }
#endif
    return &raster_edges_baseline;
}

const char *raster_edges_name(void)
{
    return edges_pick()->name;
}

void raster_edges_force(raster_t *r, raster_edges_choice_t choice)
{
    r->edges = choice == RASTER_EDGES_BASELINE ? &raster_edges_baseline : edges_pick();
}

raster_t *raster_create(void)
{
    raster_t *r = calloc(1, sizeof(raster_t));
    if (r) {
        r->edges = edges_pick();
    }
    return r;
}

void raster_free(raster_t *r)
{
    if (!r) {
        return;
    }
    free(r->acc);
    free(r->run);
    free(r);
}

/* The transform must be finite, invertible and map an em to at most RASTER_MAX_SCALE px. */
static int transform_check(const geom_affine_t *m, uint32_t units_per_em)
{
    const double lin[4] = {m->xx, m->yx, m->xy, m->yy};
    double em = (double)units_per_em;
    for (int i = 0; i < 4; i++) {
        if (!isfinite(lin[i]) || fabs(lin[i]) * em > RASTER_MAX_SCALE) {
            return RASTER_E_TRANSFORM;
        }
    }
    if (!isfinite(m->x0) || !isfinite(m->y0) || fabs(m->x0) > MAX_TRANSLATE ||
        fabs(m->y0) > MAX_TRANSLATE) {
        return RASTER_E_TRANSFORM;
    }
    /* A (nearly) singular map squashes every glyph to a line: nothing to draw, refuse it. */
    double det = (m->xx * m->yy - m->xy * m->yx) * em * em;
    if (!(fabs(det) >= 1e-6)) {
        return RASTER_E_TRANSFORM;
    }
    return 0;
}

/* Cheap checks of an outline's header: limits, em, and a finite control box within range. */
static int outline_header_check(const outline_t *o)
{
    if (o->units_per_em < 1 || o->units_per_em > 16384) {
        return OUTLINE_E_EM;
    }
    if (o->point_count > OUTLINE_MAX_POINTS || o->verb_count > OUTLINE_MAX_VERBS) {
        return OUTLINE_E_TOO_MANY;
    }
    if ((o->point_count > 0 && !o->points) || (o->verb_count > 0 && !o->verbs)) {
        return OUTLINE_E_MALFORMED;
    }
    const float box[4] = {o->x_min, o->y_min, o->x_max, o->y_max};
    for (int i = 0; i < 4; i++) {
        if (!isfinite(box[i]) || fabsf(box[i]) > OUTLINE_MAX_COORD) {
            return OUTLINE_E_COORD;
        }
    }
    /* A glyph spanning many ems is not a letter; its box would be far larger than the size. */
    double limit = RASTER_MAX_GLYPH_EMS * o->units_per_em;
    if (o->x_max - o->x_min > limit || o->y_max - o->y_min > limit) {
        return RASTER_E_TOO_LARGE;
    }
    return 0;
}

static int box_check(geom_box_t box)
{
    if (box.width < 0 || box.height < 0 || box.width > RASTER_MAX_DIM ||
        box.height > RASTER_MAX_DIM || (int64_t)box.width * box.height > RASTER_MAX_AREA) {
        return RASTER_E_TOO_LARGE;
    }
    return 0;
}

/* A point set is usable when no coordinate exceeds OUTLINE_MAX_COORD (big is the largest
 * |coordinate|, which may have dropped a NaN) and the sum of the transformed coordinates
 * (probe) is finite: NaN and infinity propagate through it. */
static bool coords_ok(float big, float probe)
{
    return big <= OUTLINE_MAX_COORD && probe - probe == 0.0f;
}

int raster_glyph_box(const outline_t *o, const geom_affine_t *m, geom_box_t *box)
{
    int e = outline_header_check(o);
    if (e == 0) {
        e = transform_check(m, o->units_per_em);
    }
    if (e == 0 && o->point_count == 0) {
        *box = (geom_box_t){0, 0, 0, 0};
    }
    if (e != 0 || o->point_count == 0) {
        return e;
    }
    /* The curve lies in the hull of its transformed control points: their bounds suffice. */
    /* Relative to the translation in float (as raster_add computes), then placed in double. */
    const float mm[6] = {(float)m->xx, (float)m->xy, (float)m->yx, (float)m->yy, 0.0f, 0.0f};
    float lohi[4], big, probe;
    edges_pick()->points_map(o->points, o->point_count, mm, NULL, lohi, &big, &probe);
    const float fx0 = lohi[0], fy0 = lohi[1], fx1 = lohi[2], fy1 = lohi[3];
    if (!coords_ok(big, probe)) {
        return OUTLINE_E_COORD;
    }
    const double x0 = fx0 + m->x0, x1 = fx1 + m->x0, y0 = fy0 + m->y0, y1 = fy1 + m->y0;
    double w = ceil(x1) - floor(x0), h = ceil(y1) - floor(y0);
    if (w > RASTER_MAX_DIM || h > RASTER_MAX_DIM) {
        return RASTER_E_TOO_LARGE;
    }
    geom_box_t b = {(int32_t)floor(x0), (int32_t)floor(y0), (int32_t)w, (int32_t)h};
    e = box_check(b);
    if (e == 0) {
        *box = b;
    }
    return e;
}

/* Makes room for cells 16-bit cells in *buf (capacity *cap); new memory is zero, as the
 * accumulator's invariant requires. Never leaves *buf NULL once it succeeds, even for 0 cells. */
static int cells_reserve(uint16_t **buf, size_t *cap, size_t cells)
{
    if (cells > *cap || !*buf) {
        size_t n = cells < 8192 ? 8192 : (cells + cells / 4 + 7) & ~(size_t)7;
        uint16_t *p = aligned_alloc(16, n * sizeof *p);
        if (!p) {
            return RASTER_E_NOMEM;
        }
        memset(p, 0, n * sizeof *p);
        free(*buf);
        *buf = p, *cap = n;
    }
    return 0;
}

void raster_layout_force(raster_t *r, raster_layout_t layout)
{
    r->layout_forced = layout;
}

/* Two layouts of the accumulation, the same pixels give or take a rounding:
 * - rows: each line is cut into row pieces, and the sweep sums along each row;
 * - columns: x and y trade places when the outline is transformed, so the same code cuts each
 *   line into column pieces, adding to cells a row apart, and the sweep sums down the columns.
 *   That sweep adds whole rows as vectors, with no shuffles across lanes: about half the time
 *   of the row sweep, which is a third of a large glyph's time. And script's upright strokes
 *   cross fewer columns than rows: a fifth fewer pieces for Dancing Script at 200 px.
 *   Small boxes, where per-line costs rule, stay in rows. */
raster_layout_t raster_layout_for_box(geom_box_t box)
{
    return (int64_t)box.width * box.height >= COLUMNS_MIN_AREA ? RASTER_LAYOUT_COLUMNS
                                                               : RASTER_LAYOUT_ROWS;
}

static bool layout_columns(const raster_t *r, geom_box_t box)
{
    const raster_layout_t l = r->layout_forced;
    return (l == RASTER_LAYOUT_AUTO ? raster_layout_for_box(box) : l) == RASTER_LAYOUT_COLUMNS;
}

/* The accumulator's rows for a box height: in columns, pieces also touch the rows below the box
 * (RASTER_COLUMNS_SLACK, see pieces_wide_cols()). */
static size_t acc_rows(bool cols, int32_t height)
{
    return (size_t)height + (cols ? RASTER_COLUMNS_SLACK : 0);
}

int raster_begin(raster_t *r, geom_box_t box)
{
    if (r->active) {
        return RASTER_E_STATE;
    }
    int e = box_check(box);
    if (e != 0) {
        return e;
    }
    const bool cols = layout_columns(r, box);
    const size_t rows = acc_rows(cols, box.height);
    /* Rows: edges touch cells 0 .. width + 2. Columns: pieces touch the columns 0 .. width - 1
     * (and the rows below the box, acc_rows()); the sweep reads whole blocks of 16. */
    const int32_t stride = cols ? (box.width + 15) & ~15 : (box.width + 3 + 7) & ~7;
    /* Eight cells to spare: a wide piece in the last row adds a vector of eight cells. */
    e = cells_reserve(&r->acc, &r->acc_cap, (size_t)stride * rows + 8);
    if (e == 0 && cols) {
        e = cells_reserve(&r->run, &r->run_cap, (size_t)stride);
    }
    if (e != 0) {
        return e;
    }
    r->box = box, r->stride = stride, r->active = true, r->cols = cols;
    r->row_step = cols ? 1 : stride;
    for (int32_t i = 0; i < 4; i++) {
        r->lane_base[i] = i * r->row_step;
    }
    if (cols) {
        r->w = (float)box.height, r->h = (float)box.width; /* as the pieces see the box */
    } else {
        r->w = (float)box.width, r->h = (float)box.height;
    }
    return 0;
}

void raster_abort(raster_t *r)
{
    if (!r->active) {
        return;
    }
    memset(r->acc, 0, (size_t)r->stride * acc_rows(r->cols, r->box.height) * sizeof *r->acc);
    r->active = false;
}

/* Transforms the outline's points into box-relative pixels in r->pts; returns false when one
 * lies outside the box's columns (then segments are clipped exactly) or is not finite. */
static int points_transform(raster_t *r, const outline_t *o, const geom_affine_t *m)
{
    float mm[6] = {(float)m->xx,
                   (float)m->xy,
                   (float)m->yx,
                   (float)m->yy,
                   (float)(m->x0 - r->box.x),
                   (float)(m->y0 - r->box.y)};
    if (r->cols) {
        /* The columns layout (see layout_columns()): x and y trade places. */
        const float t[6] = {mm[2], mm[3], mm[0], mm[1], mm[5], mm[4]};
        memcpy(mm, t, sizeof t);
    }
    float lohi[4], big, probe;
    r->edges->points_map(o->points, o->point_count, mm, r->pts, lohi, &big, &probe);
    const float lo = lohi[0], hi = lohi[2];
    if (!coords_ok(big, probe)) {
        return OUTLINE_E_COORD;
    }
    /* Float rounding may put a point a hair outside the box raster_glyph_box() gave; the clamps
     * of the edge engine's pieces absorb that (the area error is below 1e-3 px), clipping is not
     * needed. */
    r->clip = !(lo >= -1e-3f && hi <= r->w + 1e-3f);
    return 0;
}

/* The points eight verbs take, from their bytes in w, and whether each is a known verb (0 to 3):
 * a verb takes max(verb, 1) points (outline_verb_points()), so the sum is the bytes' sum plus
 * the count of zeros. */
static bool verbs8_points(uint64_t w, uint32_t *points)
{
    const uint64_t ones = 0x0101010101010101u;
    const uint64_t zero = ~(w | w >> 1) & ones;       /* 1 in each byte 0 (when all are 0 to 3) */
    *points += (uint32_t)(((w + zero) * ones) >> 56); /* at most 24: no carry between bytes */
    return (w & 0xfcfcfcfcfcfcfcfcu) == 0;
}

/* The verbs must start with MOVE, know their kind and use exactly the points there are. Eight
 * verbs at a time, no branch per verb. */
static int verbs_check(const outline_t *o)
{
    const uint32_t n = o->verb_count;
    if (n == 0) {
        return o->point_count == 0 ? 0 : OUTLINE_E_MALFORMED;
    }
    if (o->verbs[0] != OUTLINE_MOVE) {
        return OUTLINE_E_MALFORMED;
    }
    uint32_t need = 0, v = 0;
    bool known = true;
    for (; v + 8 <= n; v += 8) {
        uint64_t w;
        memcpy(&w, o->verbs + v, sizeof w);
        known &= verbs8_points(w, &need);
    }
    uint8_t tail[8] = {0};
    memcpy(tail, o->verbs + v, n - v);
    uint64_t w;
    memcpy(&w, tail, sizeof w);
    known &= verbs8_points(w, &need);
    need -= 8 - (n - v); /* the padding's zeros counted as MOVEs */
    return known && need == o->point_count ? 0 : OUTLINE_E_MALFORMED;
}

int raster_add(raster_t *r, const outline_t *o, const geom_affine_t *m)
{
    if (!r->active) {
        return RASTER_E_STATE;
    }
    int e = outline_header_check(o);
    if (e == 0) {
        e = transform_check(m, o->units_per_em);
    }
    /* Everything is checked before the first cell changes: a refusal leaves the
     * accumulation as it was. */
    if (e == 0) {
        e = verbs_check(o);
    }
    if (e == 0) {
        e = points_transform(r, o, m);
    }
    if (e == 0) {
        r->edges->outline_add(r, o);
    }
    return e;
}

int raster_sweep(raster_t *r, uint8_t *dst, ptrdiff_t stride)
{
    if (!r->active) {
        return RASTER_E_STATE;
    }
    if (r->cols) {
        raster_sweep_cols(r->acc, r->stride, r->run, dst, stride, r->box.width, r->box.height);
    } else {
        raster_sweep_rows(r->acc, r->stride, dst, stride, r->box.width, r->box.height);
    }
    r->active = false;
    return 0;
}

int raster_glyph_fill(raster_t *r, const outline_t *o, const geom_affine_t *m, geom_box_t box,
                      uint8_t *dst, ptrdiff_t stride)
{
    int e = raster_begin(r, box);
    if (e != 0) {
        return e;
    }
    e = raster_add(r, o, m);
    if (e != 0) {
        raster_abort(r); /* the one-glyph accumulation is ours to end */
        return e;
    }
    return raster_sweep(r, dst, stride);
}
