/* bench.c - `likeletter bench`: our rasterizing core side by side with FreeType in one run.
 *
 * For each font and size, four timed methods run interleaved over the same glyph set and the
 * same cycle of handwriting-like transforms:
 *   core:  ours (raster_glyph_box + raster_glyph_fill on a preloaded outline) against FreeType's
 *          smooth rasterizer on the same preloaded outline (copy, transform, get bitmap);
 *   full:  ours with the font's outline cache lookup, against FreeType's usual per-glyph path
 *          (FT_Set_Transform + FT_Load_Glyph + FT_Render_Glyph);
 * then (unless --no-accuracy) both rasterizers' images are compared with reference_render().
 * The FreeType side opens its own FT_Library and FT_Face so nothing it does (transforms, sizes)
 * can disturb the font_t under test.
 * `likeletter bench --card` runs the card benchmark instead (bench-card.c).
 */
#include "bench.h"

#include "bench-card.h"
#include "bench-print.h"

#include "likeletter/font.h"
#include "likeletter/geom.h"
#include "likeletter/log.h"
#include "likeletter/raster.h"
#include "reference.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#define MAX_FONTS 32
#define MAX_SIZES 32
#define MAX_RUNS 101
#define MAX_PX 2048          /* keeps the reference's work and our box within reason */
#define TARGET_SECONDS 0.015 /* each timed measurement lasts at least about this long */
#define MAX_REPS 1000000
#define WORST_SHOWN 3 /* glyphs listed per font and size with --verbose */

static const char *const default_fonts[] = {
    "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf",
    "/usr/share/fonts/truetype/kristi/Kristi.ttf",
    "/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};

/* Beyond printable ASCII: what German and French thank-you notes need. */
static const uint32_t extra_codepoints[] = {
    0x00E4, 0x00F6, 0x00FC, 0x00DF, 0x00C4, 0x00D6, 0x00DC, 0x00EB, 0x00E9, 0x00E8,
    0x00EA, 0x00EF, 0x20AC, 0x2013, 0x2014, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019,
};

/* Handwriting-like variation, one entry per instance in turn. Offsets are multiples of 1/64 px
 * so FreeType's 26.6 translation places the glyph exactly where ours does. */
typedef struct jitter {
    double rotate_deg, shear, scale, dx, dy;
} jitter_t;

static const jitter_t jitters[] = {
    {-3.0, 0.10, 1.02, 17 / 64.0, 40 / 64.0}, {1.5, -0.05, 0.97, 3 / 64.0, 9 / 64.0},
    {4.0, 0.15, 1.05, 50 / 64.0, 22 / 64.0},  {-1.0, -0.15, 0.95, 33 / 64.0, 61 / 64.0},
    {2.5, 0.00, 1.00, 0.0, 32 / 64.0},        {-4.0, 0.08, 0.99, 45 / 64.0, 5 / 64.0},
    {0.5, -0.10, 1.04, 12 / 64.0, 29 / 64.0}, {-2.0, 0.12, 0.96, 58 / 64.0, 51 / 64.0},
};
#define JITTER_COUNT (sizeof jitters / sizeof jitters[0])

/* One jittered instance at one size, in both libraries' terms. */
typedef struct instance {
    geom_affine_t m;    /* ours: font units to pixels, y down */
    FT_Matrix ft_core;  /* FreeType: font units to 26.6 pixels, y up */
    FT_Matrix ft_full;  /* the same without the size's scale, for FT_Set_Transform */
    FT_Vector ft_delta; /* the sub-pixel offset, 26.6, y up */
} instance_t;

typedef struct glyph {
    uint32_t codepoint, index;
    const outline_t *outline; /* ours, owned by the font_t's cache */
    FT_Outline ft_src;        /* FreeType's, font units, preloaded */
    FT_Outline ft_work;       /* scratch the core copies ft_src into per instance */
} glyph_t;

/* Accuracy of both rasterizers for one glyph or summed over a glyph set. */
typedef struct accuracy {
    double ours_sum, ft_sum;
    uint64_t pixels;
    int ours_max, ft_max;
    uint32_t codepoint;
} accuracy_t;

typedef struct result {
    int px;
    double ours_gps, ft_gps, ours_full_gps, ft_full_gps; /* medians */
    bool measured_accuracy;
    accuracy_t acc;
    accuracy_t worst[WORST_SHOWN]; /* by our max error, then our mean */
} result_t;

typedef struct bench_font {
    font_t *font;
    FT_Face face;
    glyph_t *glyphs;
    size_t glyph_count;
    result_t results[MAX_SIZES];
} bench_font_t;

typedef struct options {
    const char *fonts[MAX_FONTS];
    int font_count;
    int sizes[MAX_SIZES];
    int size_count;
    int runs;
    bool json, accuracy, verbose;
} options_t;

/* A growable byte buffer, sized before timing so no method allocates inside the loop. */
typedef struct scratch {
    uint8_t *bytes;
    size_t cap;
} scratch_t;

typedef struct bench {
    options_t opt;
    FT_Library lib;
    raster_t *raster;
    scratch_t ours_buf, ft_buf, ref_buf;
    bench_font_t fonts[MAX_FONTS];
    int font_count;
} bench_t;

/* A timed method: renders every glyph reps times, cycling through the instances. */
typedef int (*method_fn)(bench_t *b, bench_font_t *f, const instance_t *inst, int reps);

/* ---- small helpers ---- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int scratch_reserve(scratch_t *s, size_t bytes)
{
    if (bytes <= s->cap) {
        return 0;
    }
    uint8_t *p = realloc(s->bytes, bytes);
    if (!p) {
        log_msg(LOG_ERROR, "bench: out of memory (%zu bytes)", bytes);
        return -1;
    }
    s->bytes = p;
    s->cap = bytes;
    return 0;
}

static size_t box_area(geom_box_t box)
{
    return (size_t)box.width * (size_t)box.height;
}

static geom_box_t box_union(geom_box_t a, geom_box_t b)
{
    if (box_area(a) == 0) {
        return b;
    }
    if (box_area(b) == 0) {
        return a;
    }
    int32_t x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
    int32_t x1 = a.x + a.width > b.x + b.width ? a.x + a.width : b.x + b.width;
    int32_t y1 = a.y + a.height > b.y + b.height ? a.y + a.height : b.y + b.height;
    return (geom_box_t){x0, y0, x1 - x0, y1 - y0};
}

/* floor(v / 64) and ceil(v / 64) for 26.6 values of either sign. */
static FT_Pos floor64(FT_Pos v)
{
    return v >= 0 ? v / 64 : -((-v + 63) / 64);
}

static FT_Pos ceil64(FT_Pos v)
{
    return -floor64(-v);
}

static FT_Fixed to_fixed(double v)
{
    return (FT_Fixed)lround(v * 65536.0);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare_doubles);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- instances ---- */

/* Ours maps font units (y up) to pixels (y down). FreeType works y up throughout and turns the
 * bitmap's top row into the top of the image, so its matrix is ours with the y output negated:
 * the rendered images then have the same orientation and position. */
static instance_t instance_make(const jitter_t *j, double units_per_em, int px)
{
    instance_t in;
    in.m = geom_affine_glyph(units_per_em, px * j->scale, j->rotate_deg, j->shear, j->dx, j->dy);
    in.ft_core = (FT_Matrix){.xx = to_fixed(64 * in.m.xx),
                             .xy = to_fixed(64 * in.m.xy),
                             .yx = to_fixed(-64 * in.m.yx),
                             .yy = to_fixed(-64 * in.m.yy)};
    /* FT_Set_Pixel_Sizes already scales by px / units_per_em: the full path's matrix is the
     * rest (jitter scale, shear, rotation, flip). */
    double s = units_per_em / px;
    in.ft_full = (FT_Matrix){.xx = to_fixed(s * in.m.xx),
                             .xy = to_fixed(s * in.m.xy),
                             .yx = to_fixed(-s * in.m.yx),
                             .yy = to_fixed(-s * in.m.yy)};
    in.ft_delta = (FT_Vector){.x = lround(64 * in.m.x0), .y = lround(-64 * in.m.y0)};
    return in;
}

static void instances_make(instance_t *inst, const bench_font_t *f, int px)
{
    for (size_t i = 0; i < JITTER_COUNT; i++) {
        inst[i] = instance_make(&jitters[i], font_units_per_em(f->font), px);
    }
}

/* ---- FreeType's core: the same outline through its smooth rasterizer ---- */

/* Copies the preloaded outline, transforms it, and places it on the pixel grid the way
 * FT_Render_Glyph does (bitmap = the control box rounded out to whole pixels), folding the
 * sub-pixel offset and the move to the bitmap's origin into one translation. *box is the
 * bitmap in our y-down pixel coordinates: left = floor(xMin), top = -ceil(yMax). */
static int ft_core_prepare(glyph_t *g, const instance_t *in, geom_box_t *box)
{
    if (FT_Outline_Copy(&g->ft_src, &g->ft_work) != 0) {
        return -1;
    }
    FT_Outline_Transform(&g->ft_work, &in->ft_core);
    FT_BBox cb;
    FT_Outline_Get_CBox(&g->ft_work, &cb);
    FT_Pos left = floor64(cb.xMin + in->ft_delta.x), right = ceil64(cb.xMax + in->ft_delta.x);
    FT_Pos bottom = floor64(cb.yMin + in->ft_delta.y), top = ceil64(cb.yMax + in->ft_delta.y);
    FT_Outline_Translate(&g->ft_work, in->ft_delta.x - 64 * left, in->ft_delta.y - 64 * bottom);
    *box = (geom_box_t){(int32_t)left, (int32_t)-top, (int32_t)(right - left),
                        (int32_t)(top - bottom)};
    return 0;
}

/* Renders the prepared outline into dst (box.height rows of pitch bytes). The smooth
 * rasterizer only writes covered spans, so the bitmap is cleared first, as FreeType does. */
static int ft_core_render(FT_Library lib, glyph_t *g, geom_box_t box, uint8_t *dst, int pitch)
{
    for (int32_t y = 0; y < box.height; y++) {
        memset(dst + (ptrdiff_t)y * pitch, 0, (size_t)box.width);
    }
    FT_Bitmap bm = {.rows = (unsigned)box.height,
                    .width = (unsigned)box.width,
                    .pitch = pitch,
                    .buffer = dst,
                    .num_grays = 256,
                    .pixel_mode = FT_PIXEL_MODE_GRAY};
    return FT_Outline_Get_Bitmap(lib, &g->ft_work, &bm) != 0 ? -1 : 0;
}

/* ---- the four timed methods ---- */

static int ours_core(bench_t *b, bench_font_t *f, const instance_t *inst, int reps)
{
    size_t k = 0;
    for (int r = 0; r < reps; r++) {
        for (size_t i = 0; i < f->glyph_count; i++, k = k + 1 < JITTER_COUNT ? k + 1 : 0) {
            const outline_t *o = f->glyphs[i].outline;
            geom_box_t box;
            if (raster_glyph_box(o, &inst[k].m, &box) != 0 ||
                raster_glyph_fill(b->raster, o, &inst[k].m, box, b->ours_buf.bytes, box.width)) {
                return -1;
            }
        }
    }
    return 0;
}

static int ft_core(bench_t *b, bench_font_t *f, const instance_t *inst, int reps)
{
    size_t k = 0;
    for (int r = 0; r < reps; r++) {
        for (size_t i = 0; i < f->glyph_count; i++, k = k + 1 < JITTER_COUNT ? k + 1 : 0) {
            geom_box_t box;
            if (ft_core_prepare(&f->glyphs[i], &inst[k], &box) != 0 ||
                ft_core_render(b->lib, &f->glyphs[i], box, b->ft_buf.bytes, box.width) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

static int ours_full(bench_t *b, bench_font_t *f, const instance_t *inst, int reps)
{
    size_t k = 0;
    for (int r = 0; r < reps; r++) {
        for (size_t i = 0; i < f->glyph_count; i++, k = k + 1 < JITTER_COUNT ? k + 1 : 0) {
            const outline_t *o = font_glyph_outline(f->font, f->glyphs[i].index);
            geom_box_t box;
            if (!o || raster_glyph_box(o, &inst[k].m, &box) != 0 ||
                raster_glyph_fill(b->raster, o, &inst[k].m, box, b->ours_buf.bytes, box.width)) {
                return -1;
            }
        }
    }
    return 0;
}

/* FreeType's everyday path; FT_Render_Glyph manages the slot's bitmap itself. */
static int ft_full(bench_t *b, bench_font_t *f, const instance_t *inst, int reps)
{
    (void)b;
    int rc = 0;
    size_t k = 0;
    for (int r = 0; r < reps && rc == 0; r++) {
        for (size_t i = 0; i < f->glyph_count; i++, k = k + 1 < JITTER_COUNT ? k + 1 : 0) {
            FT_Matrix matrix = inst[k].ft_full; /* FT_Set_Transform takes non-const pointers */
            FT_Vector delta = inst[k].ft_delta;
            FT_Set_Transform(f->face, &matrix, &delta);
            if (FT_Load_Glyph(f->face, f->glyphs[i].index,
                              FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) ||
                FT_Render_Glyph(f->face->glyph, FT_RENDER_MODE_NORMAL)) {
                rc = -1;
                break;
            }
        }
    }
    FT_Set_Transform(f->face, NULL, NULL);
    return rc;
}

/* ---- timing ---- */

enum { M_OURS_CORE, M_FT_CORE, M_OURS_FULL, M_FT_FULL, METHOD_COUNT };

static const struct {
    const char *name;
    method_fn run;
} methods[METHOD_COUNT] = {
    [M_OURS_CORE] = {"ours core", ours_core},
    [M_FT_CORE] = {"FreeType core", ft_core},
    [M_OURS_FULL] = {"ours full", ours_full},
    [M_FT_FULL] = {"FreeType full", ft_full},
};

static int time_method(bench_t *b, bench_font_t *f, const instance_t *inst, int m, int reps,
                       double *seconds)
{
    double t0 = now_seconds();
    if (methods[m].run(b, f, inst, reps) != 0) {
        log_msg(LOG_ERROR, "bench: %s: %s failed", font_path(f->font), methods[m].name);
        return -1;
    }
    *seconds = now_seconds() - t0;
    return 0;
}

/* How many passes over the glyph set last TARGET_SECONDS: one warm-up pass, one timed. */
static int calibrate(bench_t *b, bench_font_t *f, const instance_t *inst, int m, int *reps)
{
    double t;
    if (time_method(b, f, inst, m, 1, &t) != 0 || time_method(b, f, inst, m, 1, &t) != 0) {
        return -1;
    }
    double n = t > 0 ? ceil(TARGET_SECONDS / t) : MAX_REPS;
    *reps = n < 1 ? 1 : n > MAX_REPS ? MAX_REPS : (int)n;
    return 0;
}

/* Runs every method opt.runs times, interleaved (and alternating which goes first, so neither
 * side always runs on a cache the other just warmed), and keeps each method's median. */
static int measure_speed(bench_t *b, bench_font_t *f, const instance_t *inst, result_t *res)
{
    int reps[METHOD_COUNT];
    double gps[METHOD_COUNT][MAX_RUNS];
    for (int m = 0; m < METHOD_COUNT; m++) {
        if (calibrate(b, f, inst, m, &reps[m]) != 0) {
            return -1;
        }
    }
    for (int run = 0; run < b->opt.runs; run++) {
        for (int i = 0; i < METHOD_COUNT; i++) {
            int m = run % 2 ? i ^ 1 : i; /* swaps ours and FreeType within each pair */
            double t;
            if (time_method(b, f, inst, m, reps[m], &t) != 0) {
                return -1;
            }
            gps[m][run] = (double)reps[m] * (double)f->glyph_count / t;
        }
    }
    res->ours_gps = median(gps[M_OURS_CORE], b->opt.runs);
    res->ft_gps = median(gps[M_FT_CORE], b->opt.runs);
    res->ours_full_gps = median(gps[M_OURS_FULL], b->opt.runs);
    res->ft_full_gps = median(gps[M_FT_FULL], b->opt.runs);
    return 0;
}

/* Sizes the output buffers for the largest box any instance produces, so the timed loops never
 * allocate; also proves every glyph renders before anything is timed. */
static int buffers_prepare(bench_t *b, bench_font_t *f, const instance_t *inst)
{
    for (size_t i = 0; i < f->glyph_count; i++) {
        for (size_t k = 0; k < JITTER_COUNT; k++) {
            geom_box_t ob, fb;
            int err = raster_glyph_box(f->glyphs[i].outline, &inst[k].m, &ob);
            if (err != 0) {
                log_msg(LOG_ERROR, "bench: %s: U+%04X: %s", font_path(f->font),
                        f->glyphs[i].codepoint, raster_error_string(err));
                return -1;
            }
            if (ft_core_prepare(&f->glyphs[i], &inst[k], &fb) != 0 ||
                scratch_reserve(&b->ours_buf, box_area(ob)) != 0 ||
                scratch_reserve(&b->ft_buf, box_area(fb)) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

/* ---- accuracy ---- */

/* Renders one glyph instance with ours, FreeType and the reference into one common box (the
 * union of the three; the reference uses ours) and adds the differences to *acc. */
static int accuracy_glyph(bench_t *b, glyph_t *g, const instance_t *in, accuracy_t *acc)
{
    geom_box_t ob, fb;
    int err = raster_glyph_box(g->outline, &in->m, &ob);
    if (err != 0 || ft_core_prepare(g, in, &fb) != 0) {
        return -1;
    }
    geom_box_t u = box_union(ob, fb);
    size_t area = box_area(u);
    if (scratch_reserve(&b->ref_buf, 3 * area + 1) != 0) {
        return -1;
    }
    uint8_t *ours = b->ref_buf.bytes, *ft = ours + area, *ref = ft + area;
    memset(ours, 0, 2 * area);
    uint8_t *ours_at = ours + (ptrdiff_t)(ob.y - u.y) * u.width + (ob.x - u.x);
    uint8_t *ft_at = ft + (ptrdiff_t)(fb.y - u.y) * u.width + (fb.x - u.x);
    if ((err = raster_glyph_fill(b->raster, g->outline, &in->m, ob, ours_at, u.width)) != 0 ||
        ft_core_render(b->lib, g, fb, ft_at, u.width) != 0 ||
        reference_render(g->outline, &in->m, u, ref, u.width) != 0) {
        return -1;
    }
    uint64_t pixels = 0;
    reference_compare(ours, u.width, ref, u.width, u.width, u.height, &acc->ours_sum, &pixels,
                      &acc->ours_max);
    reference_compare(ft, u.width, ref, u.width, u.width, u.height, &acc->ft_sum, &acc->pixels,
                      &acc->ft_max);
    return 0;
}

/* Keeps the WORST_SHOWN glyphs with the largest max error of ours (ties: larger mean). */
static void worst_keep(accuracy_t *worst, const accuracy_t *a)
{
    for (int i = 0; i < WORST_SHOWN; i++) {
        bool worse = a->ours_max > worst[i].ours_max ||
                     (a->ours_max == worst[i].ours_max && a->ours_sum > worst[i].ours_sum);
        if (worst[i].pixels == 0 || worse) {
            memmove(worst + i + 1, worst + i, (size_t)(WORST_SHOWN - 1 - i) * sizeof *worst);
            worst[i] = *a;
            return;
        }
    }
}

/* Each glyph once, with the jitter cycle, as in the timed methods. */
static int measure_accuracy(bench_t *b, bench_font_t *f, const instance_t *inst, result_t *res)
{
    for (size_t i = 0; i < f->glyph_count; i++) {
        accuracy_t a = {.codepoint = f->glyphs[i].codepoint};
        if (accuracy_glyph(b, &f->glyphs[i], &inst[i % JITTER_COUNT], &a) != 0) {
            log_msg(LOG_ERROR, "bench: %s: U+%04X at %d px: accuracy run failed",
                    font_path(f->font), f->glyphs[i].codepoint, res->px);
            return -1;
        }
        res->acc.ours_sum += a.ours_sum;
        res->acc.ft_sum += a.ft_sum;
        res->acc.pixels += a.pixels;
        res->acc.ours_max = a.ours_max > res->acc.ours_max ? a.ours_max : res->acc.ours_max;
        res->acc.ft_max = a.ft_max > res->acc.ft_max ? a.ft_max : res->acc.ft_max;
        worst_keep(res->worst, &a);
    }
    res->measured_accuracy = true;
    return 0;
}

static int bench_size(bench_t *b, bench_font_t *f, result_t *res)
{
    instance_t inst[JITTER_COUNT];
    instances_make(inst, f, res->px);
    if (FT_Set_Pixel_Sizes(f->face, 0, (FT_UInt)res->px) != 0) {
        log_msg(LOG_ERROR, "bench: %s: FreeType refuses %d px", font_path(f->font), res->px);
        return -1;
    }
    if (buffers_prepare(b, f, inst) != 0 || measure_speed(b, f, inst, res) != 0) {
        return -1;
    }
    return b->opt.accuracy ? measure_accuracy(b, f, inst, res) : 0;
}

/* ---- fonts and glyph sets ---- */

/* Preloads FreeType's own copy of the glyph in font units, as the core's input. */
static int glyph_ft_load(bench_t *b, bench_font_t *f, glyph_t *g)
{
    /* IGNORE_TRANSFORM: a transform the full path set must never leak into the preload. */
    FT_Int32 flags =
        FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP | FT_LOAD_IGNORE_TRANSFORM;
    if (FT_Load_Glyph(f->face, g->index, flags) != 0 ||
        f->face->glyph->format != FT_GLYPH_FORMAT_OUTLINE) {
        return -1;
    }
    const FT_Outline *src = &f->face->glyph->outline;
    FT_UInt points = (FT_UInt)src->n_points;
    /* Both the same size: FT_Outline_Copy insists on it. */
    bool src_made = FT_Outline_New(b->lib, points, src->n_contours, &g->ft_src) == 0;
    bool work_made = FT_Outline_New(b->lib, points, src->n_contours, &g->ft_work) == 0;
    if (src_made && work_made && FT_Outline_Copy(src, &g->ft_src) == 0) {
        return 0;
    }
    if (src_made) {
        FT_Outline_Done(b->lib, &g->ft_src);
    }
    if (work_made) {
        FT_Outline_Done(b->lib, &g->ft_work);
    }
    return -1;
}

/* Adds a code point's glyph when the font has it and both sides can load it. Glyphs our cache
 * replaced by .notdef (refused outlines) are left out: FreeType would render the real one. */
static void glyph_add(bench_t *b, bench_font_t *f, uint32_t cp, const outline_t *notdef)
{
    uint32_t index = font_glyph_index(f->font, cp);
    if (index == 0) {
        return;
    }
    const outline_t *o = font_glyph_outline(f->font, index);
    if (!o || o == notdef || o->verb_count == 0) {
        log_msg(LOG_WARN, "bench: %s: U+%04X left out (no usable outline)", font_path(f->font), cp);
        return;
    }
    glyph_t *g = &f->glyphs[f->glyph_count];
    *g = (glyph_t){.codepoint = cp, .index = index, .outline = o};
    if (glyph_ft_load(b, f, g) != 0) {
        log_msg(LOG_WARN, "bench: %s: U+%04X left out (FreeType cannot load it)",
                font_path(f->font), cp);
        return;
    }
    f->glyph_count++;
}

static int glyphs_load(bench_t *b, bench_font_t *f)
{
    size_t extra = sizeof extra_codepoints / sizeof extra_codepoints[0];
    f->glyphs = calloc(0x7E - 0x21 + 1 + extra, sizeof *f->glyphs);
    if (!f->glyphs) {
        log_msg(LOG_ERROR, "bench: out of memory");
        return -1;
    }
    const outline_t *notdef = font_glyph_outline(f->font, 0);
    for (uint32_t cp = 0x21; cp <= 0x7E; cp++) {
        glyph_add(b, f, cp, notdef);
    }
    for (size_t i = 0; i < extra; i++) {
        glyph_add(b, f, extra_codepoints[i], notdef);
    }
    if (f->glyph_count == 0) {
        log_msg(LOG_ERROR, "bench: %s: none of the benchmark's characters", font_path(f->font));
        return -1;
    }
    return 0;
}

static void bench_font_close(bench_t *b, bench_font_t *f)
{
    for (size_t i = 0; i < f->glyph_count; i++) {
        FT_Outline_Done(b->lib, &f->glyphs[i].ft_src);
        FT_Outline_Done(b->lib, &f->glyphs[i].ft_work);
    }
    free(f->glyphs);
    if (f->face) {
        FT_Done_Face(f->face);
    }
    font_close(f->font);
}

/* Opens path on both sides. Returns 0, 1 when it is missing and optional (skipped with a note),
 * or -1. */
static int bench_font_open(bench_t *b, const char *path, bool optional)
{
    char err[512];
    bench_font_t *f = &b->fonts[b->font_count];
    *f = (bench_font_t){0};
    f->font = font_open(path, err, sizeof err);
    if (!f->font) {
        log_msg(optional ? LOG_WARN : LOG_ERROR, "bench: %s%s", err,
                optional ? " (default font skipped)" : "");
        return optional ? 1 : -1;
    }
    if (FT_New_Face(b->lib, path, 0, &f->face) != 0) {
        log_msg(LOG_ERROR, "bench: %s: FreeType cannot open it", path);
        f->face = NULL;
        bench_font_close(b, f);
        return -1;
    }
    if (glyphs_load(b, f) != 0) {
        bench_font_close(b, f);
        return -1;
    }
    b->font_count++;
    return 0;
}

/* ---- output ---- */

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : 0;
}

static double mean_err(double sum, uint64_t pixels)
{
    return pixels ? sum / (double)pixels : 0;
}

static void json_size(const result_t *r)
{
    printf("{\"px\":%d,\"ours_gps\":%.0f,\"freetype_gps\":%.0f,\"speedup\":%.3f,"
           "\"full_speedup\":%.3f,",
           r->px, r->ours_gps, r->ft_gps, ratio(r->ours_gps, r->ft_gps),
           ratio(r->ours_full_gps, r->ft_full_gps));
    if (r->measured_accuracy) {
        printf("\"ours_mean_err\":%.4f,\"ours_max_err\":%d,\"freetype_mean_err\":%.4f,"
               "\"freetype_max_err\":%d}",
               mean_err(r->acc.ours_sum, r->acc.pixels), r->acc.ours_max,
               mean_err(r->acc.ft_sum, r->acc.pixels), r->acc.ft_max);
    } else {
        printf("\"ours_mean_err\":null,\"ours_max_err\":null,\"freetype_mean_err\":null,"
               "\"freetype_max_err\":null}");
    }
}

static void json_print(const bench_t *b, const char *ft_version)
{
    printf("{\"freetype\":");
    json_string(ft_version);
    printf(",\"sweep\":");
    json_string(raster_sweep_name());
    printf(",\"edges\":");
    json_string(raster_edges_name());
    printf(",\"fonts\":[");
    for (int i = 0; i < b->font_count; i++) {
        const bench_font_t *f = &b->fonts[i];
        printf("%s{\"font\":", i ? "," : "");
        json_string(font_path(f->font));
        printf(",\"format\":\"%s\",\"sizes\":[", font_format_name(font_format(f->font)));
        for (int s = 0; s < b->opt.size_count; s++) {
            printf("%s", s ? "," : "");
            json_size(&f->results[s]);
        }
        printf("]}");
    }
    printf("]}\n");
}

static void table_header(const char *ft_version, int runs)
{
    struct utsname u;
    const char *machine = uname(&u) == 0 ? u.machine : "unknown";
    printf("likeletter bench: FreeType %s, edges %s, sweep %s, machine %s; glyphs/s are medians "
           "of %d runs\n"
           "core = same preloaded outline and transform through each rasterizer; full = per-glyph "
           "path incl. outline lookup/loading\nerr = |coverage - 16x16 reference|, 0..255, "
           "mean / max over all pixels\n\n",
           ft_version, raster_edges_name(), raster_sweep_name(), machine, runs);
    printf("%-26s %-6s %4s %6s %11s %11s %8s %8s %14s %14s\n", "font", "format", "px", "glyphs",
           "ours g/s", "FT g/s", "speedup", "full", "ours err", "FT err");
}

static void table_row(const bench_font_t *f, const result_t *r, bool verbose)
{
    char ours_err[32] = "-", ft_err[32] = "-";
    if (r->measured_accuracy) {
        snprintf(ours_err, sizeof ours_err, "%.2f / %d", mean_err(r->acc.ours_sum, r->acc.pixels),
                 r->acc.ours_max);
        snprintf(ft_err, sizeof ft_err, "%.2f / %d", mean_err(r->acc.ft_sum, r->acc.pixels),
                 r->acc.ft_max);
    }
    printf("%-26.26s %-6s %4d %6zu %11.0f %11.0f %7.2fx %7.2fx %14s %14s\n",
           base_name(font_path(f->font)), font_format_name(font_format(f->font)), r->px,
           f->glyph_count, r->ours_gps, r->ft_gps, ratio(r->ours_gps, r->ft_gps),
           ratio(r->ours_full_gps, r->ft_full_gps), ours_err, ft_err);
    for (int i = 0; verbose && r->measured_accuracy && i < WORST_SHOWN; i++) {
        const accuracy_t *w = &r->worst[i];
        if (w->pixels > 0) {
            printf("    worst U+%04X: ours %.2f / %d, FT %.2f / %d (%llu px)\n", w->codepoint,
                   mean_err(w->ours_sum, w->pixels), w->ours_max, mean_err(w->ft_sum, w->pixels),
                   w->ft_max, (unsigned long long)w->pixels);
        }
    }
}

static void table_print(const bench_t *b, const char *ft_version)
{
    table_header(ft_version, b->opt.runs);
    for (int i = 0; i < b->font_count; i++) {
        for (int s = 0; s < b->opt.size_count; s++) {
            table_row(&b->fonts[i], &b->fonts[i].results[s], b->opt.verbose);
        }
    }
}

/* ---- command line ---- */

static void usage(FILE *to)
{
    fprintf(to,
            "usage: likeletter bench [--font FILE]... [--sizes PX,PX,...] [--runs N] [--json]\n"
            "                        [--no-accuracy] [--verbose]\n"
            "  --font FILE     benchmark this font (repeatable; default: four bundled fonts)\n"
            "  --sizes LIST    pixel sizes, 1..%d (default 16,32,64,200)\n"
            "  --runs N        timed runs per method, median kept, 1..%d (default 5)\n"
            "  --json          print one JSON object instead of the table\n"
            "  --no-accuracy   skip the comparison with the 16x16 reference\n"
            "  --verbose       list each size's glyphs with our largest errors\n"
            "  --card          a whole card against FreeType instead (see --card --help)\n"
            "  --print         queued card to job accepted by a printer: --print --printer DEST\n",
            MAX_PX, MAX_RUNS);
}

/* Parses a whole decimal integer in [lo, hi]. */
static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
        return false;
    }
    *out = (int)v;
    return true;
}

static bool parse_sizes(const char *list, options_t *opt)
{
    char buf[256];
    if (strlen(list) >= sizeof buf) {
        return false;
    }
    strcpy(buf, list);
    opt->size_count = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (opt->size_count == MAX_SIZES ||
            !parse_int(tok, 1, MAX_PX, &opt->sizes[opt->size_count])) {
            return false;
        }
        opt->size_count++;
    }
    return opt->size_count > 0;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the problem and the usage; returns the exit status for bad usage. */
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "likeletter bench: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    usage(stderr);
    return 2;
}

static bool takes_value(const char *a)
{
    return strcmp(a, "--font") == 0 || strcmp(a, "--sizes") == 0 || strcmp(a, "--runs") == 0;
}

/* Returns 0 to run, 2 on bad usage, or -1 after --help. */
static int options_parse(int argc, char **argv, options_t *opt)
{
    *opt = (options_t){.sizes = {16, 32, 64, 200}, .size_count = 4, .runs = 5, .accuracy = true};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--json") == 0) {
            opt->json = true;
        } else if (strcmp(a, "--no-accuracy") == 0) {
            opt->accuracy = false;
        } else if (strcmp(a, "--verbose") == 0) {
            opt->verbose = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return -1;
        } else if (strcmp(a, "--font") == 0 && has_value) {
            if (opt->font_count == MAX_FONTS) {
                return usage_error("too many fonts (at most %d)", MAX_FONTS);
            }
            opt->fonts[opt->font_count++] = argv[++i];
        } else if (strcmp(a, "--sizes") == 0 && has_value) {
            if (!parse_sizes(argv[++i], opt)) {
                return usage_error("bad --sizes '%s' (want e.g. 16,32,64,200)", argv[i]);
            }
        } else if (strcmp(a, "--runs") == 0 && has_value) {
            if (!parse_int(argv[++i], 1, MAX_RUNS, &opt->runs)) {
                return usage_error("bad --runs '%s'", argv[i]);
            }
        } else {
            return usage_error(takes_value(a) ? "%s needs a value" : "unknown argument '%s'", a);
        }
    }
    return 0;
}

/* ---- main ---- */

static int fonts_open(bench_t *b)
{
    bool defaults = b->opt.font_count == 0;
    int n = defaults ? (int)(sizeof default_fonts / sizeof default_fonts[0]) : b->opt.font_count;
    for (int i = 0; i < n; i++) {
        const char *path = defaults ? default_fonts[i] : b->opt.fonts[i];
        if (bench_font_open(b, path, defaults) < 0) {
            return -1;
        }
    }
    if (b->font_count == 0) {
        log_msg(LOG_ERROR, "bench: none of the default fonts is installed; use --font FILE");
        return -1;
    }
    return 0;
}

static int bench_run(bench_t *b)
{
    for (int i = 0; i < b->font_count; i++) {
        for (int s = 0; s < b->opt.size_count; s++) {
            result_t *res = &b->fonts[i].results[s];
            *res = (result_t){.px = b->opt.sizes[s]};
            if (bench_size(b, &b->fonts[i], res) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

static void bench_free(bench_t *b)
{
    for (int i = 0; i < b->font_count; i++) {
        bench_font_close(b, &b->fonts[i]);
    }
    free(b->ours_buf.bytes);
    free(b->ft_buf.bytes);
    free(b->ref_buf.bytes);
    raster_free(b->raster);
    if (b->lib) {
        FT_Done_FreeType(b->lib);
    }
    free(b);
}

int bench_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--card") == 0) {
            return bench_card_main(argc, argv);
        }
        if (strcmp(argv[i], "--print") == 0) {
            return bench_print_main(argc, argv);
        }
    }
    bench_t *b = calloc(1, sizeof *b);
    if (!b) {
        log_msg(LOG_ERROR, "bench: out of memory");
        return 1;
    }
    int rc = options_parse(argc, argv, &b->opt);
    if (rc != 0) {
        free(b);
        return rc < 0 ? 0 : rc;
    }
    rc = 1;
    b->raster = raster_create();
    if (!b->raster || FT_Init_FreeType(&b->lib) != 0) {
        log_msg(LOG_ERROR, "bench: out of memory");
        b->lib = NULL;
        goto done;
    }
    if (fonts_open(b) != 0 || bench_run(b) != 0) {
        goto done;
    }
    FT_Int major, minor, patch;
    FT_Library_Version(b->lib, &major, &minor, &patch);
    char version[32];
    snprintf(version, sizeof version, "%d.%d.%d", major, minor, patch);
    if (b->opt.json) {
        json_print(b, version);
    } else {
        table_print(b, version);
    }
    rc = fflush(stdout) == 0 ? 0 : 1;
done:
    bench_free(b);
    return rc;
}
