/* check_font.c - real fonts through font.h, hostile font files, and our rasterizer's accuracy
 * against FreeType's on the same outlines.
 *
 * FreeType is opened separately here as the oracle for what a font contains (format, em,
 * glyph count, cmap, advances) and, in the agreement test, renders the same transformed outline
 * with its own smooth rasterizer (FT_Outline_Get_Bitmap), as `likeletter bench` does. Both are
 * measured against the supersampled reference_render().
 */
#include "likeletter/font.h"
#include "likeletter/geom.h"
#include "likeletter/outline.h"
#include "likeletter/raster.h"
#include "reference.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_FONT_FORMATS_H
#include FT_OUTLINE_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct test_font {
    const char *name;
    const char *path;
    font_format_t format;
    uint32_t units_per_em;
} test_font_t;

static const test_font_t fonts[] = {
    {"Dancing Script", LIKELETTER_TEST_FONT_DANCING, FONT_FORMAT_CFF, 1000},
    {"Kristi", LIKELETTER_TEST_FONT_KRISTI, FONT_FORMAT_GLYF, 2048},
    {"DejaVu Sans", LIKELETTER_TEST_FONT_DEJAVU, FONT_FORMAT_GLYF, 2048},
    {"Kaushan Script", LIKELETTER_TEST_FONT_KAUSHAN, FONT_FORMAT_CFF, 1000},
};
enum { FONTS = sizeof fonts / sizeof fonts[0] };

/* ---- fixtures: a FreeType library and a temporary directory ---- */

static FT_Library ft;

static void ft_setup(void)
{
    ck_assert_msg(FT_Init_FreeType(&ft) == 0, "FT_Init_FreeType failed");
}

static void ft_teardown(void)
{
    FT_Done_FreeType(ft);
}

static void tmp_setup(void)
{
    ft_setup();
    testutil_tmpdir_make("check_font");
}

static void tmp_teardown(void)
{
    testutil_tmpdir_remove();
    ft_teardown();
}

/* ---- helpers ---- */

/* A test font's bytes: the fonts come from system packages, so say so when one is missing. */
static uint8_t *file_read(const char *path, size_t *len)
{
    ck_assert_msg(access(path, F_OK) == 0, "%s: %s (is the test font installed?)", path,
                  strerror(errno));
    uint8_t *data = testutil_file_get(path, len);
    ck_assert_msg(*len > 0, "%s: empty", path);
    return data;
}

static font_t *open_or_fail(const test_font_t *tf)
{
    char err[256] = "";
    font_t *font = font_open(tf->path, err, sizeof err);
    ck_assert_msg(font != NULL, "font_open(%s): expected a font, got NULL: %s", tf->path, err);
    return font;
}

static FT_Face ft_face_open(const char *path)
{
    FT_Face face;
    FT_Error e = FT_New_Face(ft, path, 0, &face);
    ck_assert_msg(e == 0, "FT_New_Face(%s) (the oracle): error %d", path, e);
    return face;
}

static bool outlines_equal(const outline_t *a, const outline_t *b)
{
    return a->verb_count == b->verb_count && a->point_count == b->point_count &&
           memcmp(a->verbs, b->verbs, a->verb_count) == 0 &&
           memcmp(a->points, b->points, 2 * (size_t)a->point_count * sizeof(float)) == 0;
}

/* ---- opening real fonts ---- */

START_TEST(real_font_opens)
{
    const test_font_t *tf = &fonts[_i];
    font_t *font = open_or_fail(tf);
    FT_Face face = ft_face_open(tf->path);
    const char *ft_format = FT_Get_Font_Format(face);

    ck_assert_msg(font_format(font) == tf->format,
                  "%s: expected format %s (FreeType says %s), got %s", tf->name,
                  font_format_name(tf->format), ft_format, font_format_name(font_format(font)));
    ck_assert_str_eq(font_format_name(FONT_FORMAT_GLYF), "glyf");
    ck_assert_str_eq(font_format_name(FONT_FORMAT_CFF), "cff");
    ck_assert_msg(font_units_per_em(font) == tf->units_per_em &&
                      face->units_per_EM == tf->units_per_em,
                  "%s: expected units_per_em %u (FreeType %u), got %u", tf->name, tf->units_per_em,
                  face->units_per_EM, font_units_per_em(font));
    ck_assert_msg(font_glyph_count(font) == (uint32_t)face->num_glyphs,
                  "%s: expected %ld glyphs as FreeType counts, got %u", tf->name, face->num_glyphs,
                  font_glyph_count(font));
    ck_assert_msg(strcmp(font_path(font), tf->path) == 0, "font_path: expected %s, got %s",
                  tf->path, font_path(font));
    int32_t asc = 0, desc = 0, gap = -1;
    font_vmetrics(font, &asc, &desc, &gap);
    ck_assert_msg(asc > 0 && desc < 0 && gap >= 0,
                  "%s: expected ascender > 0 > descender and line gap >= 0, got %d, %d, %d",
                  tf->name, asc, desc, gap);
    ck_assert_msg(font_ft_face(font) != NULL, "font_ft_face(%s): expected the FT_Face, got NULL",
                  tf->name);
    FT_Done_Face(face);
    font_close(font);
}
END_TEST

START_TEST(real_font_opens_from_memory)
{
    const test_font_t *tf = &fonts[_i];
    size_t len;
    uint8_t *data = file_read(tf->path, &len);
    char err[256] = "";
    font_t *font = font_open_memory(data, len, err, sizeof err);
    ck_assert_msg(font != NULL, "font_open_memory(%s): expected a font, got NULL: %s", tf->name,
                  err);
    ck_assert_str_eq(font_path(font), "<memory>");
    ck_assert_msg(font_format(font) == tf->format && font_units_per_em(font) == tf->units_per_em,
                  "%s from memory: expected %s / %u, got %s / %u", tf->name,
                  font_format_name(tf->format), tf->units_per_em,
                  font_format_name(font_format(font)), font_units_per_em(font));
    const outline_t *o = font_glyph_outline(font, font_glyph_index(font, 'g'));
    ck_assert_msg(o && o->verb_count > 0 && outline_check(o) == OUTLINE_OK,
                  "%s from memory: expected a good outline for 'g'", tf->name);
    font_close(font);
    free(data);
}
END_TEST

/* ---- every printable ASCII glyph ---- */

START_TEST(ascii_outlines_pass_check)
{
    const test_font_t *tf = &fonts[_i];
    font_t *font = open_or_fail(tf);
    FT_Face face = ft_face_open(tf->path);
    ck_assert_int_eq(FT_Select_Charmap(face, FT_ENCODING_UNICODE), 0);
    for (uint32_t c = 0x21; c <= 0x7e; c++) {
        uint32_t g = font_glyph_index(font, c);
        uint32_t want = FT_Get_Char_Index(face, c);
        ck_assert_msg(g == want && g != 0, "%s U+%04X: expected glyph %u (FreeType's cmap), got %u",
                      tf->name, c, want, g);
        const outline_t *o = font_glyph_outline(font, g);
        ck_assert_msg(o != NULL, "%s '%c': expected an outline, got NULL", tf->name, (int)c);
        int e = outline_check(o);
        ck_assert_msg(e == OUTLINE_OK, "%s '%c': outline_check expected OK, got %d (%s)", tf->name,
                      (int)c, e, outline_error_string(e));
        ck_assert_msg(o->verb_count > 0 && o->point_count > 0,
                      "%s '%c': expected a non-empty outline, got %u verbs %u points", tf->name,
                      (int)c, o->verb_count, o->point_count);
        ck_assert_msg(o->units_per_em == tf->units_per_em,
                      "%s '%c': outline units_per_em expected %u, got %u", tf->name, (int)c,
                      tf->units_per_em, o->units_per_em);
        ck_assert_msg(font_glyph_outline(font, g) == o,
                      "%s '%c': expected the cached outline (same pointer) on the second call",
                      tf->name, (int)c);
        FT_Fixed adv = 0;
        ck_assert_int_eq(FT_Get_Advance(face, g, FT_LOAD_NO_SCALE, &adv), 0);
        ck_assert_msg(font_glyph_advance(font, g) == (int32_t)adv,
                      "%s '%c': expected advance %ld font units, got %d", tf->name, (int)c,
                      (long)adv, font_glyph_advance(font, g));
    }
    FT_Done_Face(face);
    font_close(font);
}
END_TEST

/* ---- missing glyphs ---- */

START_TEST(missing_glyph_is_notdef)
{
    const test_font_t *tf = &fonts[_i];
    font_t *font = open_or_fail(tf);
    uint32_t g = font_glyph_index(font, 0x10FFFD); /* private use, plane 16 */
    ck_assert_msg(g == 0, "%s U+10FFFD: expected glyph 0, got %u", tf->name, g);
    const outline_t *notdef = font_glyph_outline(font, 0);
    ck_assert_msg(notdef != NULL, "%s: expected a .notdef outline, got NULL", tf->name);
    ck_assert_int_eq(outline_check(notdef), OUTLINE_OK);

    const uint32_t beyond[] = {font_glyph_count(font), font_glyph_count(font) + 1, 65535,
                               UINT32_MAX};
    for (size_t i = 0; i < sizeof beyond / sizeof beyond[0]; i++) {
        const outline_t *o = font_glyph_outline(font, beyond[i]);
        ck_assert_msg(o != NULL && outlines_equal(o, notdef),
                      "%s glyph %u (of %u): expected the .notdef outline, got %s", tf->name,
                      beyond[i], font_glyph_count(font), o ? "a different outline" : "NULL");
        ck_assert_msg(font_glyph_advance(font, beyond[i]) == 0,
                      "%s glyph %u: expected advance 0 for an unknown glyph, got %d", tf->name,
                      beyond[i], font_glyph_advance(font, beyond[i]));
    }
    font_close(font);
}
END_TEST

START_TEST(space_is_empty_outline)
{
    const test_font_t *tf = &fonts[_i];
    font_t *font = open_or_fail(tf);
    uint32_t g = font_glyph_index(font, ' ');
    ck_assert_msg(g != 0, "%s: expected a glyph for space, got 0", tf->name);
    const outline_t *o = font_glyph_outline(font, g);
    ck_assert_msg(o != NULL, "%s space: expected an empty outline, got NULL", tf->name);
    ck_assert_msg(o->verb_count == 0 && o->point_count == 0,
                  "%s space: expected 0 verbs and points, got %u and %u", tf->name, o->verb_count,
                  o->point_count);
    ck_assert_msg(o->x_min == 0 && o->y_min == 0 && o->x_max == 0 && o->y_max == 0,
                  "%s space: expected an all-zero control box, got %g %g %g %g", tf->name,
                  (double)o->x_min, (double)o->y_min, (double)o->x_max, (double)o->y_max);
    ck_assert_int_eq(outline_check(o), OUTLINE_OK);
    ck_assert_msg(font_glyph_advance(font, g) > 0, "%s space: expected a positive advance",
                  tf->name);
    geom_box_t box = {1, 2, 3, 4};
    geom_affine_t m = geom_affine_glyph(tf->units_per_em, 32, 0, 0, 5, 30);
    ck_assert_int_eq(raster_glyph_box(o, &m, &box), 0);
    ck_assert_msg(box.width == 0 && box.height == 0, "%s space: expected a 0x0 box, got %dx%d",
                  tf->name, box.width, box.height);
    font_close(font);
}
END_TEST

/* ---- malformed font files ---- */

/* A font that opened from damaged bytes must still hand out only checked outlines. */
static void expect_safe_font(font_t *font, const char *what)
{
    raster_t *r = raster_create();
    ck_assert_ptr_nonnull(r);
    for (uint32_t c = 0x20; c <= 0x7e; c++) {
        const outline_t *o = font_glyph_outline(font, font_glyph_index(font, c));
        if (!o) {
            continue; /* allowed when even .notdef cannot be loaded */
        }
        int e = outline_check(o);
        ck_assert_msg(e == OUTLINE_OK, "%s: glyph for '%c': outline_check expected OK, got %d",
                      what, (int)c, e);
        geom_affine_t m = geom_affine_glyph(font_units_per_em(font), 24, 0, 0, 2, 20);
        geom_box_t box;
        if (raster_glyph_box(o, &m, &box) == 0) {
            uint8_t *dst = malloc((size_t)box.width * (size_t)box.height + 1);
            ck_assert_ptr_nonnull(dst);
            e = raster_glyph_fill(r, o, &m, box, dst, box.width);
            ck_assert_msg(e == 0, "%s: glyph for '%c': fill expected 0, got %d", what, (int)c, e);
            free(dst);
        }
    }
    raster_free(r);
}

/* Opens path with font_open(); when FreeType itself refuses the file, font_open() must fail
 * with a message naming the path; otherwise it may fail the same way or give a safe font. */
static void expect_refused_or_safe(const char *path, bool must_fail, const char *what)
{
    FT_Face face;
    bool ft_ok = FT_New_Face(ft, path, 0, &face) == 0;
    if (ft_ok) {
        FT_Done_Face(face);
    }
    char err[512];
    memset(err, 'X', sizeof err);
    err[sizeof err - 1] = '\0';
    font_t *font = font_open(path, err, sizeof err);
    if (font == NULL) {
        ck_assert_msg(strstr(err, path) != NULL,
                      "font_open(%s) [%s]: expected an error message naming the path, got \"%s\"",
                      path, what, err);
        return;
    }
    ck_assert_msg(!must_fail && ft_ok,
                  "font_open(%s) [%s]: expected NULL (FreeType %s it), got a font", path, what,
                  ft_ok ? "opens" : "refuses");
    expect_safe_font(font, what);
    font_close(font);
}

static const double truncations[] = {1, 4, 12, 100, 300, 1000, 4096, 0.125, 0.25, 0.5, 0.9, -1};
enum { TRUNCATIONS = sizeof truncations / sizeof truncations[0] };

START_TEST(truncated_font_refused)
{
    for (int f = 0; f < 3; f++) {
        size_t len;
        uint8_t *data = file_read(fonts[f].path, &len);
        double t = truncations[_i];
        size_t cut = t < 0 ? len - 1 : t < 1 ? (size_t)(t * (double)len) : (size_t)t;
        char path[128], what[128];
        snprintf(path, sizeof path, "%s/truncated-%zu.font", testutil_tmpdir(), cut);
        snprintf(what, sizeof what, "%s cut to %zu of %zu bytes", fonts[f].name, cut, len);
        testutil_file_write(path, data, cut);
        expect_refused_or_safe(path, false, what);

        /* The same bytes from memory. */
        char err[256] = "";
        font_t *font = font_open_memory(data, cut, err, sizeof err);
        FT_Face face;
        bool ft_ok = FT_New_Memory_Face(ft, data, (FT_Long)cut, 0, &face) == 0;
        if (ft_ok) {
            FT_Done_Face(face);
        }
        if (font == NULL) {
            ck_assert_msg(strstr(err, "<memory>") != NULL,
                          "font_open_memory(%s): expected a message naming <memory>, got \"%s\"",
                          what, err);
        } else {
            ck_assert_msg(ft_ok, "font_open_memory(%s): FreeType refuses it, expected NULL", what);
            expect_safe_font(font, what);
            font_close(font);
        }
        free(data);
    }
}
END_TEST

START_TEST(garbage_font_refused)
{
    const char *path;
    uint8_t bytes[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof bytes; i++) { /* xorshift32: reproducible noise */
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        bytes[i] = (uint8_t)x;
    }
    path = testutil_path("random.ttf");
    testutil_file_write(path, bytes, sizeof bytes);
    expect_refused_or_safe(path, true, "random bytes");

    /* Random tables behind a plausible sfnt header. */
    memcpy(bytes, "\x00\x01\x00\x00\x00\x0c", 6);
    path = testutil_path("random-sfnt.ttf");
    testutil_file_write(path, bytes, sizeof bytes);
    expect_refused_or_safe(path, false, "random sfnt tables");
    memcpy(bytes, "OTTO\x00\x0a", 6);
    path = testutil_path("random-otto.otf");
    testutil_file_write(path, bytes, sizeof bytes);
    expect_refused_or_safe(path, false, "random OTTO tables");

    path = testutil_path("empty.ttf");
    testutil_file_write(path, bytes, 0);
    expect_refused_or_safe(path, true, "an empty file");

    path = testutil_path("a-directory.ttf");
    ck_assert_int_eq(mkdir(path, 0700), 0);
    expect_refused_or_safe(path, true, "a directory");

    path = testutil_path("does-not-exist.ttf");
    expect_refused_or_safe(path, true, "a missing file");

    char err[256] = "";
    font_t *font = font_open_memory(bytes, 0, err, sizeof err);
    ck_assert_msg(font == NULL, "font_open_memory(0 bytes): expected NULL");
    font = font_open_memory(bytes, sizeof bytes, err, sizeof err);
    ck_assert_msg(font == NULL, "font_open_memory(random bytes): expected NULL");
    ck_assert_msg(strstr(err, "<memory>") != NULL, "expected a message naming <memory>, got \"%s\"",
                  err);
}
END_TEST

START_TEST(error_buffer_respected)
{
    /* A tiny buffer gets a terminated prefix and nothing past it; NULL is allowed. */
    char err[24];
    memset(err, 'X', sizeof err);
    font_t *font = font_open("/nonexistent/dir/with/a/long/name/font.ttf", err, 16);
    ck_assert_msg(font == NULL, "font_open(missing): expected NULL");
    ck_assert_msg(memchr(err, '\0', 16) != NULL, "expected the message terminated within 16 bytes");
    for (size_t i = 16; i < sizeof err; i++) {
        ck_assert_msg(err[i] == 'X', "byte %zu past errlen 16: expected untouched 'X', got 0x%02X",
                      i, (unsigned)(unsigned char)err[i]);
    }
    ck_assert_ptr_null(font_open("/nonexistent.ttf", NULL, 0));
    ck_assert_ptr_null(font_open_memory((const uint8_t *)"junk", 4, NULL, 0));
    font_close(NULL);
}
END_TEST

/* ---- agreement with FreeType ---- */

/* Renders o under m into dst (box-sized, stride box.width) with FreeType's smooth rasterizer,
 * after mapping it to 26.6 pixels with y up from the bottom of the box, as FreeType wants. */
static void ft_render(const outline_t *o, const geom_affine_t *m, geom_box_t box, uint8_t *dst)
{
    memset(dst, 0, (size_t)box.width * (size_t)box.height);
    int contours = 0;
    for (uint32_t v = 0; v < o->verb_count; v++) {
        contours += o->verbs[v] == OUTLINE_MOVE;
    }
    if (contours == 0 || box.width == 0 || box.height == 0) {
        return;
    }
    FT_Outline ol;
    ck_assert_int_eq(FT_Outline_New(ft, o->point_count, contours, &ol), 0);
    uint32_t p = 0;
    int c = 0;
    for (uint32_t v = 0; v < o->verb_count; v++) {
        uint8_t verb = o->verbs[v];
        if (verb == OUTLINE_MOVE && p > 0) {
            ol.contours[c++] = (short)(p - 1);
        }
        int n = verb == OUTLINE_CUBIC ? 3 : verb == OUTLINE_QUAD ? 2 : 1;
        for (int k = 0; k < n; k++, p++) {
            double x = o->points[2 * p], y = o->points[2 * p + 1];
            double px = m->xx * x + m->xy * y + m->x0 - box.x;
            double py = m->yx * x + m->yy * y + m->y0 - box.y;
            ol.points[p].x = (FT_Pos)lround(px * 64);
            ol.points[p].y = (FT_Pos)lround((box.height - py) * 64);
            char tag = k == n - 1              ? FT_CURVE_TAG_ON
                       : verb == OUTLINE_CUBIC ? FT_CURVE_TAG_CUBIC
                                               : FT_CURVE_TAG_CONIC;
            ol.tags[p] = tag;
        }
    }
    ol.contours[c] = (short)(p - 1);
    ol.flags = FT_OUTLINE_OWNER; /* nonzero fill; FT_Outline_Done() frees the arrays */
    FT_Bitmap bm = {0};
    bm.rows = (unsigned)box.height;
    bm.width = (unsigned)box.width;
    bm.pitch = box.width;
    bm.buffer = dst;
    bm.num_grays = 256;
    bm.pixel_mode = FT_PIXEL_MODE_GRAY;
    ck_assert_int_eq(FT_Outline_Get_Bitmap(ft, &ol, &bm), 0);
    FT_Outline_Done(ft, &ol);
}

typedef struct error_tally {
    double sum;
    uint64_t count;
    int max;
} error_tally_t;

static const int agreement_sizes[] = {16, 32, 64};

START_TEST(agrees_with_freetype)
{
    const test_font_t *tf = &fonts[_i / 3];
    int px = agreement_sizes[_i % 3];
    font_t *font = open_or_fail(tf);
    raster_t *r = raster_create();
    ck_assert_ptr_nonnull(r);
    error_tally_t ours = {0}, theirs = {0};
    for (uint32_t c = 0x21; c <= 0x7e; c++) {
        const outline_t *o = font_glyph_outline(font, font_glyph_index(font, c));
        ck_assert_ptr_nonnull(o);
        /* A small rotation and an italic shear, origin off the pixel grid. */
        geom_affine_t m = geom_affine_glyph(tf->units_per_em, px, 3.0, 0.12, 5.3, px * 1.2 + 0.6);
        geom_box_t box;
        int e = raster_glyph_box(o, &m, &box);
        ck_assert_msg(e == 0, "%s %dpx '%c': raster_glyph_box expected 0, got %d", tf->name, px,
                      (int)c, e);
        size_t n = (size_t)box.width * (size_t)box.height;
        uint8_t *a = malloc(n + 1), *b = malloc(n + 1), *ref = malloc(n + 1);
        ck_assert(a && b && ref);
        e = raster_glyph_fill(r, o, &m, box, a, box.width);
        ck_assert_msg(e == 0, "%s %dpx '%c': raster_glyph_fill expected 0, got %d", tf->name, px,
                      (int)c, e);
        ft_render(o, &m, box, b);
        ck_assert_int_eq(reference_render(o, &m, box, ref, box.width), 0);
        reference_compare(a, box.width, ref, box.width, box.width, box.height, &ours.sum,
                          &ours.count, &ours.max);
        reference_compare(b, box.width, ref, box.width, box.width, box.height, &theirs.sum,
                          &theirs.count, &theirs.max);
        free(a), free(b), free(ref);
    }
    double our_mean = ours.sum / (double)ours.count;
    double ft_mean = theirs.sum / (double)theirs.count;
    printf("%s %d px: error vs reference: ours mean %.4f max %d; FreeType mean %.4f max %d\n",
           tf->name, px, our_mean, ours.max, ft_mean, theirs.max);
    ck_assert_msg(our_mean <= ft_mean,
                  "%s %d px: expected our mean error vs the reference <= FreeType's %.4f, got "
                  "%.4f",
                  tf->name, px, ft_mean, our_mean);
    ck_assert_msg(ours.max <= theirs.max + 8,
                  "%s %d px: expected our max error <= FreeType's %d + 8, got %d", tf->name, px,
                  theirs.max, ours.max);
    raster_free(r);
    font_close(font);
}
END_TEST

static Suite *font_suite(void)
{
    Suite *s = suite_create("font");
    TCase *tc = tcase_create("opening real fonts");
    tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
    tcase_add_loop_test(tc, real_font_opens, 0, FONTS);
    tcase_add_loop_test(tc, real_font_opens_from_memory, 0, FONTS);
    suite_add_tcase(s, tc);

    tc = tcase_create("printable ASCII outlines");
    tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
    tcase_add_loop_test(tc, ascii_outlines_pass_check, 0, FONTS);
    suite_add_tcase(s, tc);

    tc = tcase_create("missing glyphs and space");
    tcase_add_loop_test(tc, missing_glyph_is_notdef, 0, FONTS);
    tcase_add_loop_test(tc, space_is_empty_outline, 0, FONTS);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed font files");
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_add_loop_test(tc, truncated_font_refused, 0, TRUNCATIONS);
    tcase_add_test(tc, garbage_font_refused);
    tcase_add_test(tc, error_buffer_respected);
    suite_add_tcase(s, tc);

    tc = tcase_create("agreement with FreeType");
    tcase_add_checked_fixture(tc, ft_setup, ft_teardown);
    tcase_add_loop_test(tc, agrees_with_freetype, 0, 3 * 3); /* first three fonts x sizes */
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(font_suite());
}
