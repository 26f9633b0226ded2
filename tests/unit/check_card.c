/* check_card.c - the thank-you card: its QR code decodes (zbarimg) from PNG and PWG output, the
 * same seed gives the same bytes and another seed another card, repeated letters are not copies,
 * the fallback font fills what the handwriting font lacks, a note that does not fit says how
 * much does, hostile inputs get clear errors, and notes in English, German and Dutch render. */
#include "likeletter/card.h"
#include "likeletter/font.h"
#include "likeletter/image.h"
#include "likeletter/raster.h"
#include "likeletter/shape.h"
#include "testutil.h"

#include <check.h>
#include <cups/raster.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LIKELETTER_TEST_ZBARIMG
#define LIKELETTER_TEST_ZBARIMG "zbarimg"
#endif

static const char url[] = "https://social.example/@anna/112233445566?lang=de#reply-7";

static const char note_en[] =
    "Thank you so much for your wonderful post about the reading group at the city library. "
    "I read it last night and kept smiling, especially at the story of the lost bookmark.\n"
    "It is lovely to see how much joy your words bring to other people. See you soon!";
static const char note_de[] =
    "Vielen Dank f\xC3\xBCr deinen wunderbaren Beitrag \xC3\xBC"
    "ber die Lesegruppe. Ich musste oft l\xC3\xA4"
    "cheln \xE2\x80\x93 besonders bei dem \xE2\x80\x9E"
    "verlorenen\xE2\x80\x9C Lesezeichen. Die Spende von 20 \xE2\x82\xAC kommt gut an!";
/* With U+0133 (the ĳ ligature letter): only Kaushan Script has it; the fallback fills it in. */
static const char note_nl[] = "Hartelijk dank voor je mooie bericht over de leesgroep in de "
                              "bibliotheek. Ik heb er gisteravond van genoten, het was "
                              "b\xC4\xB3zonder. Tot ziens!";

typedef struct card_out {
    uint8_t *rgb;
    int32_t w, h;
} card_out_t;

static card_renderer_t *renderer;

static void setup(void)
{
    testutil_tmpdir_make("check_card");
    char err[512];
    renderer = card_renderer_create(
        &(card_fonts_t){LIKELETTER_TEST_FONT_DANCING, LIKELETTER_TEST_FONT_DEJAVU}, err,
        sizeof err);
    ck_assert_msg(renderer != NULL, "expected a renderer, got: %s", err);
}

static void teardown(void)
{
    card_renderer_free(renderer);
    renderer = NULL;
    testutil_tmpdir_remove();
}

static card_spec_t spec_default(uint64_t seed)
{
    return (card_spec_t){.format = CARD_A6,
                         .dpi = 300,
                         .seed = seed,
                         .ink = CARD_INK_DEFAULT,
                         .em_mm = CARD_EM_MM,
                         .min_em_mm = CARD_MIN_EM_MM};
}

static card_content_t content_of(const char *note, card_lang_t lang)
{
    return (card_content_t){.post_url = url,
                            .post_title = "Ein Nachmittag in der Bibliothek",
                            .to = "Anna",
                            .from = "Jonas",
                            .note = note,
                            .note_len = strlen(note),
                            .date = "2024-05-17",
                            .lang = lang};
}

/* Renders with r; fails the test on an error. The caller frees out->rgb. */
static void render_ok(card_renderer_t *r, const card_spec_t *s, const card_content_t *c,
                      card_out_t *out)
{
    ck_assert_int_eq(card_size_px(s, &out->w, &out->h), 0);
    out->rgb = malloc((size_t)out->w * (size_t)out->h * 3);
    ck_assert_ptr_nonnull(out->rgb);
    char err[512] = "";
    int rc = card_render(r, s, c, out->rgb, (ptrdiff_t)out->w * 3, err, sizeof err);
    ck_assert_msg(rc == 0, "expected the card to render, got: %s", err);
}

/* Renders and expects failure with a message containing want. */
static void render_fails(const card_spec_t *s, const card_content_t *c, const char *want)
{
    int32_t w = 0, h = 0;
    ck_assert_int_eq(card_size_px(s, &w, &h), 0);
    uint8_t *rgb = malloc((size_t)w * (size_t)h * 3);
    char err[512] = "";
    int rc = card_render(renderer, s, c, rgb, (ptrdiff_t)w * 3, err, sizeof err);
    ck_assert_msg(rc == -1 && strstr(err, want),
                  "expected a failure saying \"%s\", got status %d and \"%s\"", want, rc, err);
    free(rgb);
}

static void zbar_decode(const char *path, char *out, size_t outlen)
{
    testutil_zbar_decode(LIKELETTER_TEST_ZBARIMG, path, out, outlen);
}

static void expect_decodes(const char *path, const char *want)
{
    char got[2048];
    zbar_decode(path, got, sizeof got);
    ck_assert_msg(strcmp(got, want) == 0, "%s: expected the QR code to say \"%s\", got \"%s\"",
                  path, want, got);
}

static image_view_t view_of(const card_out_t *o, double dpi)
{
    return (image_view_t){o->rgb, o->w, o->h, (ptrdiff_t)o->w * 3, IMAGE_RGB8, dpi};
}

/* ---- the QR code ---- */

START_TEST(qr_decodes_from_png)
{
    card_spec_t s = spec_default(42);
    card_content_t c = content_of(note_en, CARD_LANG_EN);
    card_out_t o;
    render_ok(renderer, &s, &c, &o);
    image_view_t v = view_of(&o, 300);
    const char *path = testutil_path("card.png");
    ck_assert_int_eq(image_png_write(&v, path), 0);
    expect_decodes(path, url);
    card_info_t info;
    card_renderer_info(renderer, &info);
    ck_assert_msg(info.qr_module_px >= 6, "expected modules >= 0.5 mm (6 px), got %d px",
                  info.qr_module_px);
    free(o.rgb);
}
END_TEST

START_TEST(qr_decodes_from_pwg)
{
    card_spec_t s = spec_default(7);
    card_content_t c = content_of(note_de, CARD_LANG_DE);
    card_out_t o;
    render_ok(renderer, &s, &c, &o);
    image_view_t v = view_of(&o, 300);
    const char *pwg = testutil_path("card.pwg");
    ck_assert_int_eq(image_pwg_write(&v, pwg, card_format_media(CARD_A6)), 0);

    int fd = open(pwg, O_RDONLY);
    ck_assert_msg(fd >= 0, "%s: %s", pwg, strerror(errno));
    cups_raster_t *ras = cupsRasterOpen(fd, CUPS_RASTER_READ);
    cups_page_header2_t h;
    ck_assert_msg(ras && cupsRasterReadHeader2(ras, &h), "expected a PWG header: %s",
                  cupsRasterErrorString());
    ck_assert_uint_eq(h.cupsWidth, (unsigned)o.w);
    ck_assert_uint_eq(h.cupsHeight, (unsigned)o.h);
    ck_assert_uint_eq(h.cupsBytesPerLine, (unsigned)o.w * 3);
    uint8_t *px = malloc((size_t)h.cupsBytesPerLine * h.cupsHeight);
    for (unsigned y = 0; y < h.cupsHeight; y++) {
        ck_assert_uint_eq(
            cupsRasterReadPixels(ras, px + (size_t)y * h.cupsBytesPerLine, h.cupsBytesPerLine),
            h.cupsBytesPerLine);
    }
    cupsRasterClose(ras);
    close(fd);
    ck_assert_msg(memcmp(px, o.rgb, (size_t)o.w * (size_t)o.h * 3) == 0,
                  "expected the PWG pixels to be the card's");
    image_view_t back = {px, o.w, o.h, (ptrdiff_t)o.w * 3, IMAGE_RGB8, 300};
    const char *png = testutil_path("from-pwg.png");
    ck_assert_int_eq(image_png_write(&back, png), 0);
    expect_decodes(png, url);
    free(px);
    free(o.rgb);
}
END_TEST

/* Every format: its size in pixels, and the code still decodes. */
START_TEST(formats_render_and_decode)
{
    static const int32_t want[][2] = {[CARD_A6] = {1240, 1748},
                                      [CARD_A5] = {2480, 1748},
                                      [CARD_4X6] = {1200, 1800},
                                      [CARD_5X7] = {1500, 2100}};
    card_spec_t s = spec_default(3);
    s.format = (card_format_t)_i;
    s.border = true;
    card_content_t c = content_of(note_en, CARD_LANG_EN);
    card_out_t o;
    render_ok(renderer, &s, &c, &o);
    ck_assert_msg(o.w == want[_i][0] && o.h == want[_i][1], "%s: expected %dx%d px, got %dx%d",
                  card_format_name(s.format), want[_i][0], want[_i][1], o.w, o.h);
    image_view_t v = view_of(&o, 300);
    const char *path = testutil_path("format.png");
    ck_assert_int_eq(image_png_write(&v, path), 0);
    expect_decodes(path, url);
    free(o.rgb);
}
END_TEST

/* A phone photographing a small print: the card shrunk 2:1 (box filter) and softened by a 3x3
 * binomial blur, as PNG at 150 dpi. The code must still read as exactly the link. */
START_TEST(qr_decodes_after_downscale_and_blur)
{
    card_spec_t s = spec_default(42);
    card_content_t c = content_of(note_en, CARD_LANG_EN);
    card_out_t o;
    render_ok(renderer, &s, &c, &o);
    int32_t w = o.w / 2, h = o.h / 2;
    uint8_t *half = malloc((size_t)w * (size_t)h * 3), *soft = malloc((size_t)w * (size_t)h * 3);
    for (int32_t y = 0; y < h; y++) {
        for (int32_t x = 0; x < w; x++) {
            for (int ch = 0; ch < 3; ch++) {
                const uint8_t *p = o.rgb + ((size_t)(2 * y) * (size_t)o.w + (size_t)(2 * x)) * 3;
                size_t row = (size_t)o.w * 3;
                unsigned sum = p[ch] + p[ch + 3] + p[row + (size_t)ch] + p[row + (size_t)ch + 3];
                half[((size_t)y * (size_t)w + (size_t)x) * 3 + (size_t)ch] =
                    (uint8_t)((sum + 2) / 4);
            }
        }
    }
    static const unsigned k[3] = {1, 2, 1};
    for (int32_t y = 0; y < h; y++) {
        for (int32_t x = 0; x < w; x++) {
            for (int ch = 0; ch < 3; ch++) {
                unsigned sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int32_t yy = y + dy < 0 ? 0 : y + dy >= h ? h - 1 : y + dy;
                        int32_t xx = x + dx < 0 ? 0 : x + dx >= w ? w - 1 : x + dx;
                        sum += k[dy + 1] * k[dx + 1] *
                               half[((size_t)yy * (size_t)w + (size_t)xx) * 3 + (size_t)ch];
                    }
                }
                soft[((size_t)y * (size_t)w + (size_t)x) * 3 + (size_t)ch] =
                    (uint8_t)((sum + 8) / 16);
            }
        }
    }
    image_view_t v = {soft, w, h, (ptrdiff_t)w * 3, IMAGE_RGB8, 150};
    const char *path = testutil_path("half-blurred.png");
    ck_assert_int_eq(image_png_write(&v, path), 0);
    expect_decodes(path, url);
    free(half), free(soft), free(o.rgb);
}
END_TEST

/* ---- reproducibility ---- */

START_TEST(same_seed_same_bytes)
{
    card_spec_t s = spec_default(42);
    card_content_t c = content_of(note_en, CARD_LANG_EN);
    card_out_t a, b;
    render_ok(renderer, &s, &c, &a);
    /* A second renderer, and the first one again after another card in between. */
    char err[256];
    card_renderer_t *r2 = card_renderer_create(
        &(card_fonts_t){LIKELETTER_TEST_FONT_DANCING, LIKELETTER_TEST_FONT_DEJAVU}, err,
        sizeof err);
    ck_assert_ptr_nonnull(r2);
    render_ok(r2, &s, &c, &b);
    ck_assert_msg(memcmp(a.rgb, b.rgb, (size_t)a.w * (size_t)a.h * 3) == 0,
                  "expected two renderers to draw the same pixels");
    free(b.rgb);
    card_content_t other = content_of(note_nl, CARD_LANG_NL);
    render_ok(renderer, &s, &other, &b);
    free(b.rgb);
    render_ok(renderer, &s, &c, &b);
    ck_assert_msg(memcmp(a.rgb, b.rgb, (size_t)a.w * (size_t)a.h * 3) == 0,
                  "expected a re-render after another card to draw the same pixels");
    /* And the files: PNG and PWG twice, byte for byte. */
    image_view_t va = view_of(&a, 300), vb = view_of(&b, 300);
    ck_assert_int_eq(image_png_write(&va, testutil_path("a.png")), 0);
    ck_assert_int_eq(image_png_write(&vb, testutil_path("b.png")), 0);
    ck_assert_int_eq(image_pwg_write(&va, testutil_path("a.pwg"), "iso_a6_105x148mm"), 0);
    ck_assert_int_eq(image_pwg_write(&vb, testutil_path("b.pwg"), "iso_a6_105x148mm"), 0);
    const char *pairs[][2] = {{"a.png", "b.png"}, {"a.pwg", "b.pwg"}};
    for (int i = 0; i < 2; i++) {
        size_t la, lb;
        uint8_t *fa = testutil_file_get(testutil_path(pairs[i][0]), &la);
        uint8_t *fb = testutil_file_get(testutil_path(pairs[i][1]), &lb);
        ck_assert_msg(la == lb && memcmp(fa, fb, la) == 0, "expected %s and %s to be identical",
                      pairs[i][0], pairs[i][1]);
        free(fa);
        free(fb);
    }
    card_renderer_free(r2);
    free(a.rgb);
    free(b.rgb);
}
END_TEST

static size_t pixels_differing(const card_out_t *a, const card_out_t *b)
{
    size_t n = 0;
    for (size_t i = 0; i < (size_t)a->w * (size_t)a->h * 3; i++) {
        n += a->rgb[i] != b->rgb[i];
    }
    return n;
}

START_TEST(other_seed_and_plain_differ)
{
    card_spec_t s = spec_default(42);
    card_content_t c = content_of(note_en, CARD_LANG_EN);
    card_out_t a, b, p;
    render_ok(renderer, &s, &c, &a);
    s.seed = 43;
    render_ok(renderer, &s, &c, &b);
    s.plain = true;
    render_ok(renderer, &s, &c, &p);
    size_t seed_diff = pixels_differing(&a, &b), plain_diff = pixels_differing(&a, &p);
    ck_assert_msg(seed_diff > 10000, "expected seeds 42 and 43 to differ widely, %zu bytes do",
                  seed_diff);
    ck_assert_msg(plain_diff > 10000, "expected --plain to differ widely, %zu bytes do",
                  plain_diff);
    /* Plain is plain whatever the seed. */
    card_out_t p2;
    s.seed = 1;
    render_ok(renderer, &s, &c, &p2);
    ck_assert_msg(pixels_differing(&p, &p2) == 0, "expected plain cards of two seeds to match");
    free(a.rgb), free(b.rgb), free(p.rgb), free(p2.rgb);
}
END_TEST

/* ---- repeated letters ---- */

/* Rasterizes glyph g with its map moved to the pixel origin (100.25, 100.5), so two instances
 * differ only by their own rotation, scale, shear and size. */
static uint8_t *glyph_alone(font_t *f, const card_glyph_t *g, geom_box_t *box)
{
    geom_affine_t m = g->m;
    m.x0 = 100.25, m.y0 = 100.5;
    const outline_t *o = font_glyph_outline(f, g->glyph);
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(raster_glyph_box(o, &m, box), 0);
    uint8_t *cov = calloc((size_t)box->width * (size_t)box->height + 1, 1);
    raster_t *r = raster_create();
    ck_assert_int_eq(raster_glyph_fill(r, o, &m, *box, cov, box->width), 0);
    raster_free(r);
    return cov;
}

/* Renders note with the handwriting font at font_path and compares every two instances of one
 * glyph in the note (a repeated letter, next to each other or not): returns how many pairs were
 * drawn as identical bitmaps, of *pairs found. */
static size_t repeated_identical(const char *font_path, const char *note, bool plain, size_t *pairs)
{
    char err[256];
    card_renderer_t *r = card_renderer_create(
        &(card_fonts_t){font_path, LIKELETTER_TEST_FONT_DEJAVU}, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    card_spec_t s = spec_default(42);
    s.plain = plain;
    card_content_t c = content_of(note, CARD_LANG_EN);
    card_out_t o;
    render_ok(r, &s, &c, &o);
    free(o.rgb);
    font_t *f = font_open(font_path, err, sizeof err);
    ck_assert_ptr_nonnull(f);
    size_t n, same = 0;
    const card_glyph_t *g = card_renderer_glyphs(r, &n);
    *pairs = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (g[i].text != CARD_TEXT_NOTE || g[j].text != CARD_TEXT_NOTE ||
                g[i].glyph != g[j].glyph || g[i].font != 0 || g[j].font != 0) {
                continue;
            }
            geom_box_t b1, b2;
            uint8_t *c1 = glyph_alone(f, &g[i], &b1), *c2 = glyph_alone(f, &g[j], &b2);
            (*pairs)++;
            same += b1.width == b2.width && b1.height == b2.height &&
                    memcmp(c1, c2, (size_t)b1.width * (size_t)b1.height) == 0;
            free(c1), free(c2);
        }
    }
    font_close(f);
    card_renderer_free(r);
    return same;
}

/* Dancing Script joins "ll" and "ee" into ligatures (one glyph for both letters, so no copy);
 * its "banana" and "moon" repeat a, n and o as separate glyphs. Kristi has no such ligatures:
 * "sell tree" gives it the double letters ll and ee as two glyphs each. */
static const struct {
    const char *font, *note;
    size_t min_pairs;
} repeats[] = {
    {LIKELETTER_TEST_FONT_DANCING, "sell tree banana moon", 5},
    {LIKELETTER_TEST_FONT_KRISTI, "sell tree", 3},
};

START_TEST(repeated_letters_differ)
{
    size_t pairs, same = repeated_identical(repeats[_i].font, repeats[_i].note, false, &pairs);
    ck_assert_msg(pairs >= repeats[_i].min_pairs, "%s: expected >= %zu repeated glyphs, found %zu",
                  repeats[_i].note, repeats[_i].min_pairs, pairs);
    ck_assert_msg(same == 0, "%s: expected no repeated letter drawn as a copy, %zu of %zu are",
                  repeats[_i].note, same, pairs);
}
END_TEST

START_TEST(plain_repeated_letters_match)
{
    /* The control: without variation every instance is the same bitmap. */
    size_t pairs, same = repeated_identical(repeats[_i].font, repeats[_i].note, true, &pairs);
    ck_assert_msg(pairs >= repeats[_i].min_pairs && same == pairs,
                  "%s: expected every plain pair identical, got %zu of %zu", repeats[_i].note, same,
                  pairs);
}
END_TEST

/* The largest difference between the linear parts (rotation, scale, shear) of two maps. */
static double linear_diff(const geom_affine_t *a, const geom_affine_t *b)
{
    double d[] = {fabs(a->xx - b->xx), fabs(a->xy - b->xy), fabs(a->yx - b->yx),
                  fabs(a->yy - b->yy)};
    double m = 0;
    for (size_t i = 0; i < 4; i++) {
        m = d[i] > m ? d[i] : m;
    }
    return m;
}

/* A double letter drawn as two glyphs of one id (Kristi has no ll/tt/ff ligatures) gets two
 * different maps: never one bitmap twice. */
START_TEST(double_letters_have_different_maps)
{
    char err[256];
    card_renderer_t *r = card_renderer_create(
        &(card_fonts_t){LIKELETTER_TEST_FONT_KRISTI, LIKELETTER_TEST_FONT_DEJAVU}, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    card_spec_t s = spec_default(_i);
    card_content_t c = content_of("sell little butter, coffee and all the apples", CARD_LANG_EN);
    card_out_t o;
    render_ok(r, &s, &c, &o);
    size_t n, pairs = 0;
    const card_glyph_t *g = card_renderer_glyphs(r, &n);
    for (size_t i = 0; i + 1 < n; i++) {
        if (g[i].text != CARD_TEXT_NOTE || g[i + 1].text != CARD_TEXT_NOTE ||
            g[i].glyph != g[i + 1].glyph || g[i].font != g[i + 1].font) {
            continue;
        }
        pairs++;
        double d = linear_diff(&g[i].m, &g[i + 1].m);
        ck_assert_msg(d > 1e-6,
                      "seed %d: expected the double letter at byte %u drawn with two maps, "
                      "their linear parts differ by %g",
                      _i, g[i].cluster, d);
    }
    ck_assert_msg(pairs >= 5, "seed %d: expected >= 5 double letters as glyph pairs, found %zu", _i,
                  pairs);
    free(o.rgb);
    card_renderer_free(r);
}
END_TEST

/* The glyph ids drawn for the letter at the note's bytes equal to ch. */
static size_t letter_ids(const card_glyph_t *g, size_t n, const char *note, char ch, uint32_t *ids,
                         size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++) {
        if (g[i].text == CARD_TEXT_NOTE && g[i].font == 0 && note[g[i].cluster] == ch) {
            ids[k++] = g[i].glyph;
        }
    }
    return k;
}

static size_t distinct(const uint32_t *ids, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++) {
            seen = seen || ids[j] == ids[i];
        }
        d += !seen;
    }
    return d;
}

/* Fonts and letters with alternates (salt in Dancing and Kaushan Script, calt in Kristi). */
static const struct {
    const char *font, *note, *letters;
} alt_notes[] = {
    {LIKELETTER_TEST_FONT_DANCING, "MMM! Mum, Max and Mia: FFF UUU, Uwe and Ute.", "MFU"},
    {LIKELETTER_TEST_FONT_KAUSHAN, "zzz, pizza and jazz in Zurich, zig zag", "z"},
    {LIKELETTER_TEST_FONT_KRISTI, "oooo, look at the good old zoo", "o"},
};

/* With variation, a letter that recurs in a line uses at least two of its forms; plain, every
 * instance is the one form shaping gives. */
START_TEST(alternates_chosen_for_repeats)
{
    char err[256];
    card_renderer_t *r = card_renderer_create(
        &(card_fonts_t){alt_notes[_i].font, LIKELETTER_TEST_FONT_DEJAVU}, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    card_spec_t s = spec_default(42);
    card_content_t c = content_of(alt_notes[_i].note, CARD_LANG_EN);
    for (const char *l = alt_notes[_i].letters; *l; l++) {
        for (int plain = 0; plain < 2; plain++) {
            s.plain = plain;
            card_out_t o;
            render_ok(r, &s, &c, &o);
            free(o.rgb);
            size_t n;
            const card_glyph_t *g = card_renderer_glyphs(r, &n);
            uint32_t ids[32];
            size_t k = letter_ids(g, n, c.note, *l, ids, 32), d = distinct(ids, k);
            ck_assert_msg(k >= 3, "'%c': expected >= 3 instances, got %zu", *l, k);
            if (plain && *l != 'o') { /* Kristi's calt varies the o even in plain shaping */
                ck_assert_msg(d == 1, "plain '%c': expected one form, got %zu", *l, d);
            } else if (!plain) {
                ck_assert_msg(d >= 2, "'%c' with variation: expected >= 2 forms, got %zu", *l, d);
            }
        }
    }
    card_renderer_free(r);
}
END_TEST

/* Each seed picks its forms the same way every time; across seeds the picks change. */
START_TEST(alternates_follow_the_seed)
{
    card_content_t c = content_of("MMMM MMMM MMMM", CARD_LANG_EN);
    uint32_t first[32], again[32];
    size_t n, k1, k2, changed = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        card_spec_t s = spec_default(seed);
        card_out_t o;
        render_ok(renderer, &s, &c, &o);
        free(o.rgb);
        const card_glyph_t *g = card_renderer_glyphs(renderer, &n);
        k1 = letter_ids(g, n, c.note, 'M', first, 32);
        render_ok(renderer, &s, &c, &o);
        free(o.rgb);
        g = card_renderer_glyphs(renderer, &n);
        k2 = letter_ids(g, n, c.note, 'M', again, 32);
        ck_assert_msg(k1 == 12 && k2 == 12 && memcmp(first, again, sizeof first[0] * k1) == 0,
                      "seed %llu: expected the same 12 forms twice", (unsigned long long)seed);
        static uint32_t seed1[32];
        if (seed == 1) {
            memcpy(seed1, first, sizeof seed1);
        } else {
            changed += memcmp(seed1, first, sizeof first[0] * 12) != 0;
        }
    }
    ck_assert_msg(changed > 0, "expected some seed to pick other forms than seed 1");
}
END_TEST

/* ---- plain text is the shaping ---- */

/* --plain draws the note exactly as HarfBuzz shapes it: the same glyph ids in order, placed at
 * the shaped advances and offsets, upright and unscaled. */
START_TEST(plain_matches_shaping)
{
    static const char *const notes[] = {"Thank you, Anna!", "Vielen Dank, Jonas", "MMM Fluff"};
    const char *note = notes[_i];
    card_spec_t s = spec_default(42);
    s.plain = true;
    card_content_t c = content_of(note, CARD_LANG_EN);
    card_out_t o;
    render_ok(renderer, &s, &c, &o);
    free(o.rgb);
    card_info_t info;
    card_renderer_info(renderer, &info);
    ck_assert_uint_eq(info.note_lines, 1);

    char err[256];
    font_t *f = font_open(LIKELETTER_TEST_FONT_DANCING, err, sizeof err);
    shaper_t *sh = f ? shaper_create(f, err, sizeof err) : NULL;
    ck_assert_msg(sh != NULL, "%s", err);
    shape_glyph_t sg[64];
    size_t ns;
    ck_assert_int_eq(shaper_shape(sh, note, strlen(note), "en", NULL, sg, 64, &ns), 0);
    double k = info.em_mm / 25.4 * 300 / font_units_per_em(f);
    geom_affine_t up = geom_affine_glyph(font_units_per_em(f), info.em_mm / 25.4 * 300, 0, 0, 0, 0);

    size_t n, gi = 0;
    const card_glyph_t *g = card_renderer_glyphs(renderer, &n);
    while (gi < n && g[gi].text != CARD_TEXT_NOTE) {
        gi++;
    }
    const card_glyph_t *g0 = &g[gi];
    double pen = 0, x_first = 0, y_first = 0;
    for (size_t i = 0; i < ns; i++) {
        bool space = note[sg[i].cluster] == ' ';
        if (!space) {
            ck_assert_msg(gi < n && g[gi].text == CARD_TEXT_NOTE && g[gi].font == 0,
                          "\"%s\": expected a drawn note glyph for shaped glyph %zu", note, i);
            ck_assert_msg(g[gi].glyph == sg[i].glyph && g[gi].cluster == sg[i].cluster,
                          "\"%s\" glyph %zu: expected id %u at byte %u, got %u at %u", note, i,
                          sg[i].glyph, sg[i].cluster, g[gi].glyph, g[gi].cluster);
            double want_x = (pen + sg[i].x_offset) * k, want_y = -sg[i].y_offset * k;
            if (g0 == &g[gi]) {
                x_first = want_x, y_first = want_y;
            }
            double dx = (g[gi].m.x0 - g0->m.x0) - (want_x - x_first);
            double dy = (g[gi].m.y0 - g0->m.y0) - (want_y - y_first);
            ck_assert_msg(fabs(dx) < 1e-6 && fabs(dy) < 1e-6 && linear_diff(&g[gi].m, &up) < 1e-12,
                          "\"%s\" glyph %zu: expected the shaped position and an upright map, "
                          "off by (%g, %g) px",
                          note, i, dx, dy);
            gi++;
        }
        pen += sg[i].x_advance;
    }
    ck_assert_msg(gi == n || g[gi].text != CARD_TEXT_NOTE, "\"%s\": more glyphs drawn than shaped",
                  note);
    shaper_free(sh);
    font_close(f);
}
END_TEST

/* ---- fonts ---- */

START_TEST(fallback_fills_kristi)
{
    char err[512];
    card_renderer_t *r = card_renderer_create(
        &(card_fonts_t){LIKELETTER_TEST_FONT_KRISTI, LIKELETTER_TEST_FONT_DEJAVU}, err, sizeof err);
    ck_assert_msg(r != NULL, "expected a Kristi renderer: %s", err);
    card_spec_t s = spec_default(5);
    card_content_t c = content_of(note_de, CARD_LANG_DE);
    card_out_t o;
    render_ok(r, &s, &c, &o);
    card_info_t info;
    card_renderer_info(r, &info);
    ck_assert_msg(info.missing == 0, "expected no .notdef, got %zu missing characters",
                  info.missing);
    /* Kristi has “ but lacks „ and €. */
    ck_assert_msg(info.fallback_glyphs >= 2, "expected the fallback to draw „ and €, it drew %zu",
                  info.fallback_glyphs);
    free(o.rgb);
    card_renderer_free(r);
}
END_TEST

START_TEST(missing_font_is_named)
{
    char err[512] = "";
    card_renderer_t *r =
        card_renderer_create(&(card_fonts_t){"/nonexistent/Hand.otf", NULL}, err, sizeof err);
    ck_assert_msg(!r && strstr(err, "/nonexistent/Hand.otf"),
                  "expected a failure naming the font, got %p \"%s\"", (void *)r, err);
    r = card_renderer_create(
        &(card_fonts_t){LIKELETTER_TEST_FONT_DANCING, "/nonexistent/Fallback.ttf"}, err,
        sizeof err);
    ck_assert_msg(!r && strstr(err, "/nonexistent/Fallback.ttf"),
                  "expected a failure naming the fallback, got \"%s\"", err);
    r = card_renderer_create(&(card_fonts_t){testutil_path(""), NULL}, err, sizeof err);
    ck_assert_msg(!r && err[0], "expected a directory to be refused as a font");
}
END_TEST

/* The Dutch ĳ: Kaushan Script draws it itself, Dancing Script takes it from the fallback. */
START_TEST(dutch_ij_from_font_or_fallback)
{
    static const char *const fonts[] = {LIKELETTER_TEST_FONT_KAUSHAN, LIKELETTER_TEST_FONT_DANCING};
    char err[256];
    card_renderer_t *r = card_renderer_create(
        &(card_fonts_t){fonts[_i], LIKELETTER_TEST_FONT_DEJAVU}, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    card_spec_t s = spec_default(9);
    card_content_t c = content_of(note_nl, CARD_LANG_NL);
    card_out_t o;
    render_ok(r, &s, &c, &o);
    free(o.rgb);
    card_info_t info;
    card_renderer_info(r, &info);
    uint32_t at = (uint32_t)(strstr(note_nl, "\xC4\xB3") - note_nl);
    size_t n, found = 0;
    const card_glyph_t *g = card_renderer_glyphs(r, &n);
    for (size_t i = 0; i < n; i++) {
        if (g[i].text == CARD_TEXT_NOTE && g[i].cluster == at) {
            found++;
            ck_assert_msg(g[i].font == (_i == 0 ? 0 : 1) && g[i].glyph != 0,
                          "%s: expected the ĳ from font %d, got font %u glyph %u", fonts[_i],
                          _i == 0 ? 0 : 1, g[i].font, g[i].glyph);
        }
    }
    ck_assert_msg(found == 1 && info.missing == 0,
                  "%s: expected one ĳ glyph and nothing missing, "
                  "got %zu and %zu missing",
                  fonts[_i], found, info.missing);
    card_renderer_free(r);
}
END_TEST

/* ---- the ornament ---- */

/* A 60x40 test ornament at 150 dpi: white with a black 20x20 square at (20, 10). */
static const char *ornament_write(void)
{
    static uint8_t px[60 * 40];
    memset(px, 255, sizeof px);
    for (int y = 10; y < 30; y++) {
        memset(px + y * 60 + 20, 0, 20);
    }
    image_view_t v = {px, 60, 40, 60, IMAGE_GRAY8, 150};
    const char *path = testutil_path("ornament.png");
    ck_assert_int_eq(image_png_write(&v, path), 0);
    return path;
}

/* The box of pixels where a and b differ. */
static geom_box_t diff_box(const card_out_t *a, const card_out_t *b)
{
    int32_t x0 = a->w, y0 = a->h, x1 = -1, y1 = -1;
    for (int32_t y = 0; y < a->h; y++) {
        for (int32_t x = 0; x < a->w; x++) {
            size_t i = ((size_t)y * (size_t)a->w + (size_t)x) * 3;
            if (memcmp(a->rgb + i, b->rgb + i, 3) != 0) {
                x0 = x < x0 ? x : x0, y0 = y < y0 ? y : y0;
                x1 = x > x1 ? x : x1, y1 = y > y1 ? y : y1;
            }
        }
    }
    return x1 < 0 ? (geom_box_t){0, 0, 0, 0} : (geom_box_t){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

/* Scaled from its 150 dpi to the card's 300 and 600, in the top-right corner, in the ink; the
 * same bytes from a fresh renderer and a warm one. */
START_TEST(ornament_drawn_top_right)
{
    card_spec_t s = spec_default(4);
    s.dpi = _i == 0 ? 300 : 600;
    card_content_t c = content_of("Danke!", CARD_LANG_DE);
    card_out_t plain, orn, again;
    render_ok(renderer, &s, &c, &plain);
    s.ornament = ornament_write();
    render_ok(renderer, &s, &c, &orn);
    render_ok(renderer, &s, &c, &again);
    ck_assert_msg(memcmp(orn.rgb, again.rgb, (size_t)orn.w * (size_t)orn.h * 3) == 0,
                  "expected a re-render with the ornament to draw the same pixels");
    geom_box_t b = diff_box(&plain, &orn);
    /* Enlarging interpolates: the edges soften by about a source pixel's width. */
    int32_t side = 20 * s.dpi / 150, soft = s.dpi / 150 + 1;
    ck_assert_msg(b.width >= side - 2 && b.width <= side + soft && b.height >= side - 2 &&
                      b.height <= side + soft && b.x > orn.w / 2 && b.y < orn.h / 8,
                  "expected a %dx%d px square in the top right, got %dx%d at (%d, %d)", side, side,
                  b.width, b.height, b.x, b.y);
    const uint8_t *mid =
        orn.rgb + ((size_t)(b.y + b.height / 2) * (size_t)orn.w + (size_t)(b.x + b.width / 2)) * 3;
    ck_assert_msg(mid[0] < 0x80 && mid[2] < 0x90,
                  "expected the square in the ink, got #%02X%02X%02X", mid[0], mid[1], mid[2]);
    free(plain.rgb), free(orn.rgb), free(again.rgb);
}
END_TEST

START_TEST(ornament_errors_name_the_file)
{
    card_spec_t s = spec_default(4);
    card_content_t c = content_of("Danke!", CARD_LANG_DE);
    s.ornament = "/nonexistent/sprig.png";
    render_fails(&s, &c, "the ornament /nonexistent/sprig.png: No such file or directory");
    const char *text = testutil_path("not-a.png");
    testutil_file_put(text, "this is not a PNG\n");
    s.ornament = text;
    char want[512];
    snprintf(want, sizeof want, "the ornament %s: not a PNG", text);
    render_fails(&s, &c, want);
    s.ornament = testutil_tmpdir();
    render_fails(&s, &c, "not a regular file");
    s.ornament = "";
    render_fails(&s, &c, "the ornament's file name is empty");
}
END_TEST

/* ---- fitting ---- */

START_TEST(too_long_says_what_fits)
{
    char *note = malloc(5001);
    for (size_t i = 0; i < 5000; i++) {
        note[i] = "lorem ipsum dolor sit amet "[i % 27];
    }
    note[5000] = '\0';
    card_spec_t s = spec_default(1);
    card_content_t c = content_of(note, CARD_LANG_EN);
    render_fails(&s, &c, "the note is too long for an A6 card: the first ");
    char err[512];
    int32_t w, h;
    card_size_px(&s, &w, &h);
    uint8_t *rgb = malloc((size_t)w * (size_t)h * 3);
    card_render(renderer, &s, &c, rgb, (ptrdiff_t)w * 3, err, sizeof err);
    size_t fit = 0, total = 0;
    ck_assert_msg(sscanf(err, "the note is too long for an A6 card: the first %zu of %zu bytes fit",
                         &fit, &total) == 2 &&
                      total == 5000 && fit > 300 && fit < 2000,
                  "expected some hundreds of 5000 bytes to fit, got \"%s\"", err);
    /* That much does fit, at the smallest size. */
    c.note_len = fit;
    ck_assert_msg(card_render(renderer, &s, &c, rgb, (ptrdiff_t)w * 3, err, sizeof err) == 0,
                  "expected the first %zu bytes to fit, got \"%s\"", fit, err);
    card_info_t info;
    card_renderer_info(renderer, &info);
    ck_assert_msg(info.em_mm >= CARD_MIN_EM_MM && info.em_mm < 5.0,
                  "expected a shrunk size near %.1f mm, got %.1f", CARD_MIN_EM_MM, info.em_mm);
    /* Without auto-fit the same note fails at the full size. */
    s.min_em_mm = 0;
    render_fails(&s, &c, "the note is too long for an A6 card");
    free(rgb);
    free(note);
}
END_TEST

START_TEST(short_note_keeps_full_size)
{
    card_spec_t s = spec_default(1);
    card_content_t c = content_of("Danke!", CARD_LANG_DE);
    card_out_t o;
    render_ok(renderer, &s, &c, &o);
    card_info_t info;
    card_renderer_info(renderer, &info);
    ck_assert_msg(info.em_mm == CARD_EM_MM && info.note_lines == 1,
                  "expected %.1f mm and 1 line, got %.1f mm and %zu", CARD_EM_MM, info.em_mm,
                  info.note_lines);
    free(o.rgb);
}
END_TEST

/* ---- hostile inputs ---- */

typedef struct hostile {
    const char *what, *url, *to, *note, *date, *want;
    size_t note_len; /* 0: strlen(note) */
} hostile_t;

static const hostile_t hostile[] = {
    {"invalid UTF-8", url, "Anna", "Danke sch\xC3\xB6n \xFF!", NULL, "invalid UTF-8 at byte 13", 0},
    {"overlong UTF-8", url, "Anna", "ab\xC0\xAF", NULL, "invalid UTF-8 at byte 2", 0},
    {"control character", url, "Anna", "Hallo\x07 Anna", NULL, "control character U+0007 at byte 5",
     0},
    {"escape sequence", url, "Anna", "\x1b[31mred", NULL, "control character U+001B at byte 0", 0},
    {"NUL inside", url, "Anna", "ab\0cd", NULL, "control character U+0000 at byte 2", 5},
    {"javascript link", "javascript:alert(1)", "Anna", "Hi", NULL, "only http and https", 0},
    {"data link", "data:text/html,<b>x</b>", "Anna", "Hi", NULL, "only http and https", 0},
    {"file link", "file:///etc/passwd", "Anna", "Hi", NULL, "only http and https", 0},
    {"no link", NULL, "Anna", "Hi", NULL, "link", 0},
    {"empty note", url, "Anna", "", NULL, "the note is empty", 0},
    {"no name", url, "", "Hi", NULL, "the recipient's name (to) is missing", 0},
    {"name with a line break", url, "An\nna", "Hi", NULL, "line break or tab at byte 2", 0},
    {"name with bad UTF-8", url, "An\xC3", "Hi", NULL, "invalid UTF-8 at byte 2", 0},
    {"bad date", url, "Anna", "Hi", "2024-02-30", "YYYY-MM-DD", 0},
};

START_TEST(hostile_inputs_refused)
{
    const hostile_t *t = &hostile[_i];
    card_spec_t s = spec_default(1);
    card_content_t c = content_of(t->note, CARD_LANG_DE);
    c.post_url = t->url, c.to = t->to;
    c.note_len = t->note_len ? t->note_len : strlen(t->note);
    c.date = t->date ? t->date : c.date;
    render_fails(&s, &c, t->want);
}
END_TEST

START_TEST(megabyte_note_refused)
{
    size_t n = 1u << 20;
    char *note = malloc(n);
    memset(note, 'a', n);
    card_spec_t s = spec_default(1);
    card_content_t c = content_of("x", CARD_LANG_EN);
    c.note = note, c.note_len = n;
    render_fails(&s, &c, "the note is 1048576 bytes; at most 65536");
    free(note);
}
END_TEST

START_TEST(bad_spec_refused)
{
    card_spec_t s = spec_default(1);
    card_content_t c = content_of("Hi", CARD_LANG_EN);
    int32_t w, h;
    s.dpi = 20000;
    ck_assert_int_eq(card_size_px(&s, &w, &h), -1);
    s.dpi = 300, s.format = (card_format_t)9;
    ck_assert_int_eq(card_size_px(&s, &w, &h), -1);
    s.format = CARD_A6;
    uint8_t small[16];
    char err[256] = "";
    ck_assert_int_eq(card_render(renderer, &s, &c, small, 3, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "stride"), "expected the short stride named, got \"%s\"", err);
    card_format_t f;
    card_lang_t l;
    uint32_t ink;
    ck_assert_int_eq(card_format_parse("a7", &f), -1);
    ck_assert_int_eq(card_lang_parse("fr", &l), -1);
    ck_assert_int_eq(card_ink_parse("#12345", &ink), -1);
    ck_assert_int_eq(card_ink_parse("#12345g", &ink), -1);
    ck_assert_int_eq(card_ink_parse("#a1B2c3", &ink), 0);
    ck_assert_uint_eq(ink, 0xA1B2C3);
    ck_assert_int_eq(card_ink_parse("blue-black", &ink), 0);
    ck_assert_uint_eq(ink, 0x1B2A4A);
    ck_assert_int_eq(card_date_check("2024-02-29"), 0);
    ck_assert_int_eq(card_date_check("2023-02-29"), -1);
    ck_assert_int_eq(card_date_check("2024-1-01"), -1);
}
END_TEST

/* ---- languages ---- */

START_TEST(languages_render)
{
    static const char *const notes[] = {note_en, note_de, note_nl};
    card_spec_t s = spec_default(11);
    card_content_t c = content_of(notes[_i], (card_lang_t)_i);
    card_out_t o;
    render_ok(renderer, &s, &c, &o);
    card_info_t info;
    card_renderer_info(renderer, &info);
    ck_assert_msg(info.missing == 0 && info.note_lines >= 2,
                  "expected all characters and >= 2 lines, got %zu missing, %zu lines",
                  info.missing, info.note_lines);
    /* The salutation starts with the language's word: its first glyph is D, L or B. */
    size_t n;
    const card_glyph_t *g = card_renderer_glyphs(renderer, &n);
    ck_assert_msg(n > 0 && g[0].text == CARD_TEXT_SALUTATION && g[0].cluster == 0,
                  "expected the salutation drawn first");
    free(o.rgb);
}
END_TEST

static size_t salutation_glyphs(void)
{
    size_t n, count = 0;
    const card_glyph_t *g = card_renderer_glyphs(renderer, &n);
    for (size_t i = 0; i < n; i++) {
        count += g[i].text == CARD_TEXT_SALUTATION;
    }
    return count;
}

/* German greets a man with "Lieber": the content's own greeting replaces the language's, and a
 * greeting that is not one short line is refused by name. */
START_TEST(salutation_chosen)
{
    card_spec_t s = spec_default(5);
    card_content_t c = content_of("Danke!", CARD_LANG_DE);
    c.to = "Jonas";
    card_out_t o;
    render_ok(renderer, &s, &c, &o);
    size_t liebe = salutation_glyphs(); /* "Liebe Jonas," */
    free(o.rgb);
    c.salutation = "Lieber";
    render_ok(renderer, &s, &c, &o);
    ck_assert_msg(salutation_glyphs() == liebe + 1,
                  "\"Lieber Jonas,\": expected one glyph more than \"Liebe Jonas,\" (%zu), got %zu",
                  liebe, salutation_glyphs());
    free(o.rgb);
    c.salutation = "";
    render_ok(renderer, &s, &c, &o);
    ck_assert_msg(salutation_glyphs() == liebe, "an empty greeting: expected the language's");
    free(o.rgb);
    ck_assert_str_eq(card_salutation_default(CARD_LANG_DE), "Liebe");
    ck_assert_str_eq(card_salutation_default(CARD_LANG_NL), "Beste");
    ck_assert_ptr_null(card_salutation_default((card_lang_t)7));
    c.salutation = "Lieber\nHerr";
    render_fails(&s, &c, "the salutation: a line break or tab at byte 6");
    c.salutation = "Sehr geehrter Herr Professor Doktor Doktor";
    render_fails(&s, &c, "the salutation");
}
END_TEST

static TCase *tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, teardown);
    return tc;
}

static Suite *card_suite(void)
{
    Suite *s = suite_create("card");
    TCase *tc = tcase("QR code decodes from PNG and PWG");
    tcase_add_test(tc, qr_decodes_from_png);
    tcase_add_test(tc, qr_decodes_from_pwg);
    tcase_add_loop_test(tc, formats_render_and_decode, CARD_A6, CARD_5X7 + 1);
    tcase_add_test(tc, qr_decodes_after_downscale_and_blur);
    suite_add_tcase(s, tc);

    tc = tcase("same seed same bytes, other seed other card");
    tcase_add_test(tc, same_seed_same_bytes);
    tcase_add_test(tc, other_seed_and_plain_differ);
    suite_add_tcase(s, tc);

    tc = tcase("repeated letters are not copies");
    tcase_add_loop_test(tc, repeated_letters_differ, 0, 2);
    tcase_add_loop_test(tc, plain_repeated_letters_match, 0, 2);
    tcase_add_loop_test(tc, double_letters_have_different_maps, 1, 6);
    suite_add_tcase(s, tc);

    tc = tcase("alternates for repeated letters");
    tcase_add_loop_test(tc, alternates_chosen_for_repeats, 0,
                        (int)(sizeof alt_notes / sizeof alt_notes[0]));
    tcase_add_test(tc, alternates_follow_the_seed);
    suite_add_tcase(s, tc);

    tc = tcase("plain text is the plain shaping");
    tcase_add_loop_test(tc, plain_matches_shaping, 0, 3);
    suite_add_tcase(s, tc);

    tc = tcase("ornament from a PNG");
    tcase_add_loop_test(tc, ornament_drawn_top_right, 0, 2);
    tcase_add_test(tc, ornament_errors_name_the_file);
    suite_add_tcase(s, tc);

    tc = tcase("fallback font and missing fonts");
    tcase_add_test(tc, fallback_fills_kristi);
    tcase_add_test(tc, missing_font_is_named);
    suite_add_tcase(s, tc);

    tc = tcase("fitting the note");
    tcase_add_test(tc, too_long_says_what_fits);
    tcase_add_test(tc, short_note_keeps_full_size);
    suite_add_tcase(s, tc);

    tc = tcase("hostile inputs");
    tcase_add_loop_test(tc, hostile_inputs_refused, 0, (int)(sizeof hostile / sizeof hostile[0]));
    tcase_add_test(tc, megabyte_note_refused);
    tcase_add_test(tc, bad_spec_refused);
    suite_add_tcase(s, tc);

    tc = tcase("notes in English, German and Dutch");
    tcase_add_loop_test(tc, languages_render, CARD_LANG_EN, CARD_LANG_NL + 1);
    tcase_add_test(tc, salutation_chosen);
    tcase_add_loop_test(tc, dutch_ij_from_font_or_fallback, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(card_suite());
}
