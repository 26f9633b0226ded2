/* bench-card.c - `likeletter bench --card`: the card renderer against FreeType in one run.
 *
 * One A6 card (a 600-byte English note, salutation, signature, caption and QR code; Dancing
 * Script with DejaVu Sans as fallback; variation on, seed fixed; text size auto-fitted between
 * CARD_EM_MM and CARD_MIN_EM_MM as `likeletter render` does) at 300 and 600 dpi:
 *   ours:     card_render() with a warm renderer: checks, shaping, line breaking and fitting,
 *             handwriting variation, paper, words, caption and QR code;
 *   FreeType: the same canvas drawn glyph by glyph: the paper fill, then for every glyph the
 *             render recorded (card_renderer_glyphs(): same font, glyph id and map)
 *             FT_Set_Transform + FT_Load_Glyph (no hinting) + FT_Render_Glyph and a blend of the
 *             bitmap in the same ink at the glyph's ink weight, then the QR code drawn the way
 *             card-draw.c draws it (qr_render() + quiet zone + blend). The FreeType side gets
 *             the layout and the transforms for free: they come from our render.
 * Both run interleaved, alternating which goes first; each keeps the median of --runs timed
 * measurements. Then the kiosk preview: the card at the largest resolution whose canvas fits
 * 1280x800, re-rendered after each character typed at the end of the note.
 * The two canvases are compared pixel by pixel (they differ by design where letters join: ours
 * fills each word as one shape, FreeType's glyphs overlap and darken there); --verbose also
 * writes both, and their difference, as PNG into /tmp.
 */
#include "bench-card.h"

#include "likeletter/card.h"
#include "likeletter/geom.h"
#include "likeletter/image.h"
#include "likeletter/layout.h"
#include "likeletter/log.h"
#include "likeletter/qr.h"
#include "likeletter/raster.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#define DEFAULT_FONT "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf"
#define DEFAULT_FALLBACK "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define MAX_RUNS 101
#define TARGET_SECONDS 0.015 /* each timed measurement lasts at least about this long */
#define MAX_REPS 100000
#define PREVIEW_W 1280 /* the kiosk's screen */
#define PREVIEW_H 800
#define DIFF_LEVEL 16 /* a pixel "differs" when a channel differs by more than this */
#define SEED 42
#define DPI_COUNT 2

static const int32_t dpis[DPI_COUNT] = {300, 600};

/* 600 bytes of plain English: the note timed at 300 and 600 dpi. */
static const char note_text[] =
    "Thank you so much for your post about the reading group at the old library. I read it twice "
    "on the train home, and then once more aloud to my sister, who laughed at the part about the "
    "borrowed umbrella. It reminded me how much I miss slow evenings with a good book and a pot "
    "of tea, and people who listen as well as they talk. Your list of letters and diaries is now "
    "taped inside my notebook, and I have already found the first two in a little shop by the "
    "river. I hope the group keeps meeting through the winter, and that you keep writing about "
    "it. With warm wishes from a grateful reader in Leiden.";

/* What the preview's user types at the end of the note, one character per keystroke. */
static const char typed_text[] = " See you at the next meeting!";

/* One glyph of the card in FreeType's terms, prepared before anything is timed. */
typedef struct ft_glyph {
    FT_Face face;
    FT_UInt index;
    FT_Matrix matrix; /* the size's outline (26.6, y up) to the card's pixels, y up */
    FT_Vector delta;  /* the glyph's origin, 26.6, y up */
    uint32_t ink;     /* ink weight 0..255 */
} ft_glyph_t;

typedef struct card_result {
    int32_t dpi, width, height;
    double ours_ms, ft_ms; /* medians */
    double fixed_ms;       /* ours with the size found fixed: no auto-fit search */
    double common_ms;      /* the canvas work both sides share: paper fill and QR code */
    size_t glyphs, note_lines;
    double em_mm;
    double diff_mean;  /* mean over all pixels of the largest channel difference, 0..255 */
    int diff_max;      /* largest channel difference */
    double diff_share; /* share of pixels differing by more than DIFF_LEVEL */
} card_result_t;

typedef struct card_options {
    const char *font, *fallback;
    int runs;
    bool json, verbose;
} card_options_t;

typedef struct card_bench {
    card_options_t opt;
    card_renderer_t *r;
    FT_Library lib;
    FT_Face face[2]; /* LAYOUT_FONT_PRIMARY, LAYOUT_FONT_FALLBACK */
    qr_t *qr;        /* the FreeType side's QR code, made once as ours is */
    card_spec_t spec;
    card_content_t content;
    char note[sizeof note_text + sizeof typed_text];
    int32_t width, height;
    uint8_t *ours, *ft, *qr_cov; /* two canvases; the QR code's coverage */
    size_t ours_cap, ft_cap, qr_cap;
    card_info_t info;
    ft_glyph_t *glyphs;
    size_t glyph_count, glyph_cap;
    card_result_t results[DPI_COUNT];
    int32_t preview_dpi, preview_w, preview_h;
    double preview_ms, preview_p90_ms;
    size_t keystrokes;
} card_bench_t;

/* ---- small helpers ---- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, compare_doubles);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static FT_Fixed to_fixed(double v)
{
    return (FT_Fixed)lround(v * 65536.0);
}

static int grow(void **buf, size_t *cap, size_t need)
{
    if (need <= *cap) {
        return 0;
    }
    void *p = realloc(*buf, need);
    if (!p) {
        log_msg(LOG_ERROR, "bench: out of memory (%zu bytes)", need);
        return -1;
    }
    *buf = p;
    *cap = need;
    return 0;
}

/* ---- the FreeType side's canvas work, done as card-draw.c does it ---- */

/* x / 255 rounded, exact for 0 <= x <= 255 * 255. */
static inline uint32_t div255(uint32_t x)
{
    x += 128;
    return (x + (x >> 8)) >> 8;
}

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

static void rgb_of(uint32_t v, uint8_t out[3])
{
    out[0] = (uint8_t)(v >> 16), out[1] = (uint8_t)(v >> 8 & 0xFF), out[2] = (uint8_t)(v & 0xFF);
}

static void paper_fill(uint8_t *rgb, int32_t w, int32_t h, const uint8_t paper[3])
{
    for (int32_t x = 0; x < w; x++) {
        memcpy(rgb + 3 * (size_t)x, paper, 3);
    }
    for (int32_t y = 1; y < h; y++) {
        memcpy(rgb + (size_t)y * 3 * (size_t)w, rgb, 3 * (size_t)w);
    }
}

/* Blends FreeType's bitmap of the slot (its top left pixel at (left, top), y down), clipped. */
static void bitmap_blend(uint8_t *rgb, int32_t w, int32_t h, const FT_Bitmap *bm, int32_t left,
                         int32_t top, const uint8_t ink[3], uint32_t weight)
{
    for (int32_t y = 0; y < (int32_t)bm->rows; y++) {
        int32_t cy = top + y;
        if (cy < 0 || cy >= h) {
            continue;
        }
        const uint8_t *src = bm->buffer + (ptrdiff_t)y * bm->pitch;
        uint8_t *row = rgb + (size_t)cy * 3 * (size_t)w;
        for (int32_t x = 0; x < (int32_t)bm->width; x++) {
            int32_t cx = left + x;
            if (src[x] != 0 && cx >= 0 && cx < w) {
                blend(row + 3 * (size_t)cx, ink, div255((uint32_t)src[x] * weight));
            }
        }
    }
}

static int ft_glyph_draw(card_bench_t *b, const ft_glyph_t *g, const uint8_t ink[3])
{
    FT_Matrix matrix = g->matrix; /* FT_Set_Transform takes non-const pointers */
    FT_Vector delta = g->delta;
    FT_Set_Transform(g->face, &matrix, &delta);
    if (FT_Load_Glyph(g->face, g->index, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0 ||
        FT_Render_Glyph(g->face->glyph, FT_RENDER_MODE_NORMAL) != 0) {
        return -1;
    }
    const FT_GlyphSlot slot = g->face->glyph;
    if (slot->bitmap.pixel_mode != FT_PIXEL_MODE_GRAY) {
        return -1;
    }
    bitmap_blend(b->ft, b->width, b->height, &slot->bitmap, slot->bitmap_left, -slot->bitmap_top,
                 ink, g->ink);
    return 0;
}

/* The QR code as card_draw_qr() draws it: the quiet zone in paper, dark modules in black. */
static int ft_qr_draw(card_bench_t *b, const uint8_t paper[3])
{
    static const uint8_t black[3] = {0, 0, 0};
    geom_box_t box = b->info.qr_box;
    if (qr_render(b->qr, b->info.qr_module_px, b->qr_cov, box.width) < 0) {
        return -1;
    }
    for (int32_t y = 0; y < box.height; y++) {
        int32_t cy = box.y + y;
        if (cy < 0 || cy >= b->height) {
            continue;
        }
        const uint8_t *src = b->qr_cov + (size_t)y * (size_t)box.width;
        uint8_t *row = b->ft + (size_t)cy * 3 * (size_t)b->width;
        for (int32_t x = 0; x < box.width; x++) {
            int32_t cx = box.x + x;
            if (cx >= 0 && cx < b->width) {
                blend(row + 3 * (size_t)cx, paper, 255);
                if (src[x]) {
                    blend(row + 3 * (size_t)cx, black, src[x]);
                }
            }
        }
    }
    return 0;
}

static int ft_card(card_bench_t *b)
{
    uint8_t paper[3], ink[3];
    rgb_of(CARD_PAPER, paper);
    rgb_of(b->spec.ink, ink);
    paper_fill(b->ft, b->width, b->height, paper);
    int rc = 0;
    for (size_t i = 0; i < b->glyph_count && rc == 0; i++) {
        rc = ft_glyph_draw(b, &b->glyphs[i], ink);
    }
    FT_Set_Transform(b->face[0], NULL, NULL);
    FT_Set_Transform(b->face[1], NULL, NULL);
    return rc == 0 ? ft_qr_draw(b, paper) : -1;
}

static int ours_card_spec(card_bench_t *b, const card_spec_t *spec)
{
    char err[512];
    if (card_render(b->r, spec, &b->content, b->ours, (ptrdiff_t)b->width * 3, err, sizeof err) !=
        0) {
        log_msg(LOG_ERROR, "bench: card_render at %d dpi: %s", spec->dpi, err);
        return -1;
    }
    return 0;
}

static int ours_card(card_bench_t *b)
{
    return ours_card_spec(b, &b->spec);
}

/* Ours at the size the auto-fit found, as a card whose note already fits would draw. */
static int ours_card_fixed(card_bench_t *b)
{
    card_spec_t s = b->spec;
    s.em_mm = s.min_em_mm = b->info.em_mm;
    return ours_card_spec(b, &s);
}

/* What both sides do alike: the paper and the QR code (on the FreeType side's canvas). */
static int common_canvas(card_bench_t *b)
{
    uint8_t paper[3];
    rgb_of(CARD_PAPER, paper);
    paper_fill(b->ft, b->width, b->height, paper);
    return ft_qr_draw(b, paper);
}

/* ---- preparing one resolution ---- */

/* FreeType's size for a face: the note's em in pixels, so the note's matrices are near the
 * identity; the rest of every glyph's map goes into its matrix. */
static int ft_sizes_set(card_bench_t *b, double em_px)
{
    for (int i = 0; i < 2; i++) {
        if (FT_Set_Char_Size(b->face[i], 0, (FT_F26Dot6)lround(em_px * 64), 72, 72) != 0) {
            log_msg(LOG_ERROR, "bench: FreeType refuses %.1f px", em_px);
            return -1;
        }
    }
    return 0;
}

/* Our map takes font units (y up) to pixels (y down). FreeType loads the outline scaled by the
 * size's x_scale / y_scale (font units to 26.6), then applies the matrix and the delta, y up:
 * so the matrix is ours with the size's scale divided out and the y output negated, and the
 * bitmap's rows then lie where ours do (bitmap_top = -our y). */
static ft_glyph_t ft_glyph_make(FT_Face face, const card_glyph_t *g)
{
    double kx = 64.0 * 65536.0 / (double)face->size->metrics.x_scale;
    double ky = 64.0 * 65536.0 / (double)face->size->metrics.y_scale;
    long ink = lround(g->ink * 255.0);
    return (ft_glyph_t){.face = face,
                        .index = g->glyph,
                        .matrix = {.xx = to_fixed(g->m.xx * kx),
                                   .xy = to_fixed(g->m.xy * ky),
                                   .yx = to_fixed(-g->m.yx * kx),
                                   .yy = to_fixed(-g->m.yy * ky)},
                        .delta = {.x = lround(64 * g->m.x0), .y = lround(-64 * g->m.y0)},
                        .ink = ink < 0     ? 0
                               : ink > 255 ? 255
                                           : (uint32_t)ink};
}

/* Renders our card once (warm-up), takes its glyphs and QR placement, sizes every buffer so
 * nothing timed allocates, and draws FreeType's card once (it must succeed before timing). */
static int dpi_prepare(card_bench_t *b, int32_t dpi, card_result_t *res)
{
    b->spec.dpi = dpi;
    if (card_size_px(&b->spec, &b->width, &b->height) != 0) {
        return -1;
    }
    size_t bytes = (size_t)b->width * (size_t)b->height * 3;
    if (grow((void **)&b->ours, &b->ours_cap, bytes) != 0 ||
        grow((void **)&b->ft, &b->ft_cap, bytes) != 0 || ours_card(b) != 0 || ours_card(b) != 0) {
        return -1;
    }
    card_renderer_info(b->r, &b->info);
    size_t n;
    const card_glyph_t *gs = card_renderer_glyphs(b->r, &n);
    if (grow((void **)&b->glyphs, &b->glyph_cap, n * sizeof *b->glyphs) != 0 ||
        ft_sizes_set(b, b->info.em_mm / 25.4 * dpi) != 0) {
        return -1;
    }
    b->glyph_count = 0;
    for (size_t i = 0; i < n; i++) {
        FT_Face face = b->face[gs[i].font == LAYOUT_FONT_FALLBACK ? 1 : 0];
        b->glyphs[b->glyph_count++] = ft_glyph_make(face, &gs[i]);
    }
    size_t side = (size_t)b->info.qr_box.width;
    if (side == 0 || grow((void **)&b->qr_cov, &b->qr_cap, side * side) != 0) {
        return -1;
    }
    if (ft_card(b) != 0 || ft_card(b) != 0) {
        log_msg(LOG_ERROR, "bench: the FreeType side cannot draw the card at %d dpi", dpi);
        return -1;
    }
    *res = (card_result_t){.dpi = dpi,
                           .width = b->width,
                           .height = b->height,
                           .glyphs = n,
                           .note_lines = b->info.note_lines,
                           .em_mm = b->info.em_mm};
    return 0;
}

/* ---- timing ---- */

typedef int (*card_fn)(card_bench_t *b);

static int time_reps(card_bench_t *b, card_fn fn, int reps, double *seconds)
{
    double t0 = now_seconds();
    for (int i = 0; i < reps; i++) {
        if (fn(b) != 0) {
            return -1;
        }
    }
    *seconds = now_seconds() - t0;
    return 0;
}

static int calibrate(card_bench_t *b, card_fn fn, int *reps)
{
    double t;
    if (time_reps(b, fn, 1, &t) != 0) {
        return -1;
    }
    double n = t > 0 ? ceil(TARGET_SECONDS / t) : MAX_REPS;
    *reps = n < 1 ? 1 : n > MAX_REPS ? MAX_REPS : (int)n;
    return 0;
}

/* Both sides (and, for context, ours at a fixed size and the shared canvas work) --runs times,
 * interleaved, alternating which of ours and FreeType goes first; medians in ms. */
static int dpi_measure(card_bench_t *b, card_result_t *res)
{
    enum { N = 4 };
    card_fn fns[N] = {ours_card, ft_card, ours_card_fixed, common_canvas};
    int reps[N];
    double ms[N][MAX_RUNS];
    for (int m = 0; m < N; m++) {
        if (calibrate(b, fns[m], &reps[m]) != 0) {
            return -1;
        }
    }
    for (int run = 0; run < b->opt.runs; run++) {
        for (int i = 0; i < N; i++) {
            int m = run % 2 && i < 2 ? 1 - i : i;
            double t;
            if (time_reps(b, fns[m], reps[m], &t) != 0) {
                return -1;
            }
            ms[m][run] = 1000.0 * t / reps[m];
        }
    }
    res->ours_ms = median(ms[0], (size_t)b->opt.runs);
    res->ft_ms = median(ms[1], (size_t)b->opt.runs);
    res->fixed_ms = median(ms[2], (size_t)b->opt.runs);
    res->common_ms = median(ms[3], (size_t)b->opt.runs);
    return 0;
}

/* ---- comparing the two canvases ---- */

static void canvases_compare(const card_bench_t *b, card_result_t *res, uint8_t *diff)
{
    size_t pixels = (size_t)b->width * (size_t)b->height, differ = 0;
    double sum = 0;
    int max = 0;
    for (size_t i = 0; i < pixels; i++) {
        int d = 0;
        for (int c = 0; c < 3; c++) {
            int e = abs((int)b->ours[3 * i + c] - (int)b->ft[3 * i + c]);
            d = e > d ? e : d;
        }
        sum += d;
        max = d > max ? d : max;
        differ += d > DIFF_LEVEL;
        if (diff) {
            diff[i] = (uint8_t)(d * 4 > 255 ? 0 : 255 - d * 4); /* white: equal */
        }
    }
    res->diff_mean = sum / (double)pixels;
    res->diff_max = max;
    res->diff_share = (double)differ / (double)pixels;
}

/* With --verbose: both canvases and their difference (x4, dark = different) as PNG in /tmp. */
static int canvases_write(const card_bench_t *b, const uint8_t *diff)
{
    char path[3][128];
    const char *what[3] = {"ours", "freetype", "diff"};
    for (int i = 0; i < 3; i++) {
        snprintf(path[i], sizeof path[i], "/tmp/likeletter-bench-card-%d-%s.png", b->spec.dpi,
                 what[i]);
        image_view_t v = {.pixels = i == 0   ? b->ours
                                    : i == 1 ? b->ft
                                             : diff,
                          .width = b->width,
                          .height = b->height,
                          .stride = (ptrdiff_t)b->width * (i == 2 ? 1 : 3),
                          .format = i == 2 ? IMAGE_GRAY8 : IMAGE_RGB8,
                          .dpi = b->spec.dpi};
        if (image_png_write(&v, path[i]) != 0) {
            return -1;
        }
    }
    fprintf(stderr, "bench: wrote %s, %s and %s\n", path[0], path[1], path[2]);
    return 0;
}

static int dpi_compare(card_bench_t *b, card_result_t *res)
{
    /* Both canvases as one render each leaves them. */
    if (ours_card(b) != 0 || ft_card(b) != 0) {
        return -1;
    }
    uint8_t *diff = b->opt.verbose ? malloc((size_t)b->width * (size_t)b->height) : NULL;
    if (b->opt.verbose && !diff) {
        log_msg(LOG_ERROR, "bench: out of memory");
        return -1;
    }
    canvases_compare(b, res, diff);
    int rc = diff ? canvases_write(b, diff) : 0;
    free(diff);
    return rc;
}

/* ---- the kiosk preview ---- */

/* The largest resolution at which the whole card fits the screen. */
static int preview_dpi(card_bench_t *b)
{
    card_spec_t s = b->spec;
    for (s.dpi = CARD_DPI_MAX; s.dpi >= CARD_DPI_MIN; s.dpi--) {
        int32_t w, h;
        if (card_size_px(&s, &w, &h) == 0 && w <= PREVIEW_W && h <= PREVIEW_H) {
            b->preview_dpi = s.dpi, b->preview_w = w, b->preview_h = h;
            return 0;
        }
    }
    log_msg(LOG_ERROR, "bench: no resolution card_render() takes fits an A6 card in %dx%d",
            PREVIEW_W, PREVIEW_H);
    return -1;
}

static int preview_render(card_bench_t *b, size_t note_len)
{
    b->content.note_len = note_len;
    return ours_card(b);
}

/* Each run types typed_text at the end of the note, one character a render, after an untimed
 * render of the note as it was; every keystroke's render is timed alone. */
static int preview_measure(card_bench_t *b)
{
    size_t base = strlen(note_text), keys = strlen(typed_text);
    size_t n = (size_t)b->opt.runs * keys;
    double *ms = malloc(n * sizeof *ms);
    if (!ms || preview_dpi(b) != 0) {
        free(ms);
        return -1;
    }
    b->spec.dpi = b->preview_dpi;
    b->width = b->preview_w, b->height = b->preview_h;
    int rc = grow((void **)&b->ours, &b->ours_cap, (size_t)b->width * (size_t)b->height * 3);
    for (size_t k = 0; k <= keys && rc == 0; k++) { /* warm-up: one untimed pass */
        rc = preview_render(b, base + k);
    }
    for (int run = 0; run < b->opt.runs && rc == 0; run++) {
        rc = preview_render(b, base);
        for (size_t k = 1; k <= keys && rc == 0; k++) {
            double t0 = now_seconds();
            rc = preview_render(b, base + k);
            ms[(size_t)run * keys + k - 1] = 1000.0 * (now_seconds() - t0);
        }
    }
    b->content.note_len = base;
    if (rc == 0) {
        b->keystrokes = n;
        b->preview_ms = median(ms, n); /* sorts ms */
        b->preview_p90_ms = ms[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1];
    }
    free(ms);
    return rc;
}

/* ---- output ---- */

static double ratio(double a, double b)
{
    return b > 0 ? a / b : 0;
}

static void json_print(const card_bench_t *b)
{
    printf("{\"card\":[");
    for (int i = 0; i < DPI_COUNT; i++) {
        const card_result_t *r = &b->results[i];
        printf("%s{\"dpi\":%d,\"ours_ms\":%.3f,\"freetype_ms\":%.3f,\"speedup\":%.3f}",
               i ? "," : "", r->dpi, r->ours_ms, r->ft_ms, ratio(r->ft_ms, r->ours_ms));
    }
    printf("],\"preview_ms\":%.3f}\n", b->preview_ms);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void table_print(const card_bench_t *b)
{
    struct utsname u;
    FT_Int major, minor, patch;
    FT_Library_Version(b->lib, &major, &minor, &patch);
    printf("likeletter bench --card: FreeType %d.%d.%d, edges %s, sweep %s, machine %s; ms are "
           "medians of %d runs, warm renderer\n",
           major, minor, patch, raster_edges_name(), raster_sweep_name(),
           uname(&u) == 0 ? u.machine : "unknown", b->opt.runs);
    printf("A6 card, %zu-byte English note, variation on (seed %d), text auto-fit %.1f..%.1f mm; "
           "%s, fallback %s\n",
           strlen(note_text), SEED, CARD_EM_MM, CARD_MIN_EM_MM, base_name(b->opt.font),
           base_name(b->opt.fallback));
    printf("ours = card_render (check, shape, fit, vary, paper, words, caption, QR); FreeType = "
           "paper + per glyph\nFT_Set_Transform/Load_Glyph/Render_Glyph + blend + the same QR, "
           "given our layout and transforms\nfixed = ours at the text size found (no auto-fit "
           "search); both = "
           "paper fill + QR alone, in both sides' times\ndiff = largest channel difference per "
           "pixel: mean "
           "/ max, and the share above %d\n\n",
           DIFF_LEVEL);
    printf("%4s %10s %6s %5s %7s %8s %8s %8s %8s %8s %17s\n", "dpi", "canvas", "glyphs", "lines",
           "text", "ours ms", "FT ms", "speedup", "fixed ms", "both ms", "diff");
    for (int i = 0; i < DPI_COUNT; i++) {
        const card_result_t *r = &b->results[i];
        char canvas[32], diff[48];
        snprintf(canvas, sizeof canvas, "%dx%d", r->width, r->height);
        snprintf(diff, sizeof diff, "%.2f / %d, %.2f%%", r->diff_mean, r->diff_max,
                 100.0 * r->diff_share);
        printf("%4d %10s %6zu %5zu %4.1f mm %8.3f %8.3f %7.2fx %8.3f %8.3f %17s\n", r->dpi, canvas,
               r->glyphs, r->note_lines, r->em_mm, r->ours_ms, r->ft_ms,
               ratio(r->ft_ms, r->ours_ms), r->fixed_ms, r->common_ms, diff);
    }
    printf("\npreview %dx%d at %d dpi (fits %dx%d): re-render after one character appended to the "
           "note:\n  median %.3f ms, 90th percentile %.3f ms over %zu keystrokes\n",
           b->preview_w, b->preview_h, b->preview_dpi, PREVIEW_W, PREVIEW_H, b->preview_ms,
           b->preview_p90_ms, b->keystrokes);
}

/* ---- command line ---- */

static void usage(FILE *to)
{
    fprintf(to,
            "usage: likeletter bench --card [--font FILE] [--fallback-font FILE] [--runs N]\n"
            "                               [--json] [--verbose]\n"
            "  --font FILE           handwriting font (default Dancing Script)\n"
            "  --fallback-font FILE  fallback and caption font (default DejaVu Sans)\n"
            "  --runs N              timed runs per side, median kept, 1..%d (default 11)\n"
            "  --json                print one JSON object instead of the table\n"
            "  --verbose             also write both canvases and their difference as PNG\n"
            "                        into /tmp (likeletter-bench-card-DPI-*.png)\n",
            MAX_RUNS);
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "likeletter bench --card: %s '%s'\n", what, arg);
    usage(stderr);
    return 2;
}

/* Returns 0 to run, 2 on bad usage, or -1 after --help. */
static int options_parse(int argc, char **argv, card_options_t *opt)
{
    *opt = (card_options_t){.font = DEFAULT_FONT, .fallback = DEFAULT_FALLBACK, .runs = 11};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--card") == 0) {
            continue;
        } else if (strcmp(a, "--json") == 0) {
            opt->json = true;
        } else if (strcmp(a, "--verbose") == 0) {
            opt->verbose = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return -1;
        } else if (strcmp(a, "--font") == 0 && has_value) {
            opt->font = argv[++i];
        } else if (strcmp(a, "--fallback-font") == 0 && has_value) {
            opt->fallback = argv[++i];
        } else if (strcmp(a, "--runs") == 0 && has_value) {
            char *end;
            errno = 0;
            long v = strtol(argv[++i], &end, 10);
            if (errno != 0 || end == argv[i] || *end != '\0' || v < 1 || v > MAX_RUNS) {
                return usage_error("bad --runs", argv[i]);
            }
            opt->runs = (int)v;
        } else {
            bool value = strcmp(a, "--font") == 0 || strcmp(a, "--fallback-font") == 0 ||
                         strcmp(a, "--runs") == 0;
            return usage_error(value ? "a value is missing after" : "unknown argument", a);
        }
    }
    return 0;
}

/* ---- main ---- */

static int bench_open(card_bench_t *b)
{
    char err[512];
    b->r = card_renderer_create(&(card_fonts_t){b->opt.font, b->opt.fallback}, err, sizeof err);
    if (!b->r) {
        log_msg(LOG_ERROR, "bench: %s", err);
        return -1;
    }
    if (FT_Init_FreeType(&b->lib) != 0) {
        b->lib = NULL;
        log_msg(LOG_ERROR, "bench: FreeType cannot start");
        return -1;
    }
    const char *paths[2] = {b->opt.font, b->opt.fallback};
    for (int i = 0; i < 2; i++) {
        if (FT_New_Face(b->lib, paths[i], 0, &b->face[i]) != 0) {
            b->face[i] = NULL;
            log_msg(LOG_ERROR, "bench: %s: FreeType cannot open it", paths[i]);
            return -1;
        }
    }
    memcpy(b->note, note_text, strlen(note_text));
    memcpy(b->note + strlen(note_text), typed_text, sizeof typed_text);
    b->content = (card_content_t){.post_url = "https://social.example/@anna/109876543210",
                                  .post_title = "Reading group: notes on slow letters",
                                  .to = "Anna",
                                  .from = "Jonas",
                                  .note = b->note,
                                  .note_len = strlen(note_text),
                                  .date = "2024-05-17",
                                  .lang = CARD_LANG_EN};
    b->spec = (card_spec_t){.format = CARD_A6,
                            .dpi = dpis[0],
                            .seed = SEED,
                            .ink = CARD_INK_DEFAULT,
                            .em_mm = CARD_EM_MM,
                            .min_em_mm = CARD_MIN_EM_MM};
    b->qr = qr_create(b->content.post_url, err, sizeof err);
    if (!b->qr) {
        log_msg(LOG_ERROR, "bench: %s", err);
        return -1;
    }
    return 0;
}

static void bench_close(card_bench_t *b)
{
    card_renderer_free(b->r);
    qr_free(b->qr);
    for (int i = 0; i < 2; i++) {
        if (b->face[i]) {
            FT_Done_Face(b->face[i]);
        }
    }
    if (b->lib) {
        FT_Done_FreeType(b->lib);
    }
    free(b->ours);
    free(b->ft);
    free(b->qr_cov);
    free(b->glyphs);
    free(b);
}

int bench_card_main(int argc, char **argv)
{
    card_bench_t *b = calloc(1, sizeof *b);
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
    if (bench_open(b) != 0) {
        goto done;
    }
    for (int i = 0; i < DPI_COUNT; i++) {
        card_result_t *res = &b->results[i];
        if (dpi_prepare(b, dpis[i], res) != 0 || dpi_measure(b, res) != 0 ||
            dpi_compare(b, res) != 0) {
            goto done;
        }
    }
    if (preview_measure(b) != 0) {
        goto done;
    }
    if (b->opt.json) {
        json_print(b);
    } else {
        table_print(b);
    }
    rc = fflush(stdout) == 0 ? 0 : 1;
done:
    bench_close(b);
    return rc;
}
