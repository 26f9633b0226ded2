/* check_layout.c - notes broken into lines of positioned glyphs: English, German and Dutch notes
 * in the handwriting fonts with DejaVu Sans as the fallback, paragraphs, hyphen and long-word
 * breaks, fallback scaling, fit reporting, hostile input, and re-layout without allocation.
 *
 * Every layout is checked against invariants that do not depend on the font (expect_sane()):
 * lines no wider than the width (a single cluster aside), widths that are the sum of their
 * advances, and every non-space byte of the note covered by exactly one glyph cluster, in order.
 * The shaper (check_shape.c tests it) is the oracle for what a paragraph shapes to; FreeType's
 * exact glyph boxes are the oracle for x-heights.
 */
#include "likeletter/font.h"
#include "likeletter/layout.h"
#include "likeletter/shape.h"
#include "likeletter/utf8.h"
#include "testutil.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_BBOX_H

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const font_paths[] = {
    LIKELETTER_TEST_FONT_DANCING,
    LIKELETTER_TEST_FONT_KRISTI,
    LIKELETTER_TEST_FONT_KAUSHAN,
    LIKELETTER_TEST_FONT_DEJAVU,
};
enum { DANCING = 0, KRISTI = 1, KAUSHAN = 2, DEJAVU = 3, HANDWRITING = 3 };

typedef struct note {
    const char *lang;
    const char *text;
} note_t;

static const note_t notes[] = {
    {"en", "Dear Sarah, thank you so much for your lovely post about the old lighthouse. It "
           "reminded me of summers by the sea. Warm wishes, Tom"},
    {"de", "Liebe Anna, vielen Dank f\xC3\xBCr deinen Beitrag \xC3\xBC"
           "ber B\xC3\xA4ume \xE2\x80\x93 er hat mich ber\xC3\xBChrt. Gr\xC3\xBC\xC3\x9F"
           "e, J\xC3\xB6rg"},
    {"nl", "Beste Pieter, dank je wel voor je bericht over de ijsbaan \xE2\x80\x94 echt mooi. "
           "Groetjes"},
};
enum { NOTES = sizeof notes / sizeof notes[0] };

static const double widths[] = {180.0, 420.0, 900.0};
enum { WIDTHS = sizeof widths / sizeof widths[0] };

#define SIZE_PX 40.0
#define EPS 1e-6

/* "5 € „Danke“": Kristi lacks € (offset 2) and „ (offset 6). */
static const char euro_note[] = "5 \xE2\x82\xAC \xE2\x80\x9E"
                                "Danke\xE2\x80\x9C";

/* ---- helpers ---- */

typedef struct fixture {
    font_t *font;
    shaper_t *shaper;
} fixture_t;

static fixture_t open_font(int which)
{
    char err[256] = "";
    fixture_t f;
    f.font = font_open(font_paths[which], err, sizeof err);
    ck_assert_msg(f.font != NULL, "font_open(%s): expected a font, got NULL: %s (installed?)",
                  font_paths[which], err);
    f.shaper = shaper_create(f.font, err, sizeof err);
    ck_assert_msg(f.shaper != NULL, "shaper_create(%s): expected a shaper, got NULL: %s",
                  font_paths[which], err);
    return f;
}

static void close_font(fixture_t f)
{
    shaper_free(f.shaper);
    font_close(f.font);
}

static layout_params_t params_of(fixture_t f, const fixture_t *fb, double width)
{
    return (layout_params_t){.font = f.font,
                             .shaper = f.shaper,
                             .fallback_font = fb ? fb->font : NULL,
                             .fallback_shaper = fb ? fb->shaper : NULL,
                             .size_px = SIZE_PX,
                             .width_px = width,
                             .lang = "en"};
}

static void run_ok(layout_t *l, const layout_params_t *p, const char *text, size_t len)
{
    int rc = layout_run(l, p, text, len);
    ck_assert_msg(rc == 0, "layout_run(\"%.40s\"): expected 0, got %d: %s", text, rc,
                  layout_error(l));
    ck_assert_str_eq(layout_error(l), "");
}

/* Marks the bytes of line break characters (\n, U+2028, U+2029). */
static void breaks_mark(const char *s, size_t len, bool *is_break)
{
    for (size_t off = 0; off < len;) {
        uint32_t cp = 0;
        size_t n = utf8_decode(s + off, len - off, &cp);
        for (size_t i = 0; i < n; i++) {
            is_break[off + i] = utf8_is_line_break(cp);
        }
        off += n;
    }
}

/* The clusters of the whole result, in order: each spans from its offset to the next distinct
 * cluster of its line (or the line's end). Each byte may be covered once; every byte but
 * blanks and line breaks must be. */
static void expect_coverage(const layout_t *l, const char *text, size_t len)
{
    const layout_line_t *lines = layout_lines(l);
    const layout_glyph_t *g = layout_glyphs(l);
    unsigned char *covered = calloc(len + 1, 1);
    bool *is_break = calloc(len + 1, sizeof *is_break);
    ck_assert(covered && is_break);
    breaks_mark(text, len, is_break);
    int64_t last = -1;
    for (size_t li = 0; li < layout_line_count(l); li++) {
        const layout_line_t *ln = &lines[li];
        for (size_t i = ln->first; i < ln->first + ln->count; i++) {
            if (i > ln->first && g[i].cluster == g[i - 1].cluster) {
                continue;
            }
            ck_assert_msg((int64_t)g[i].cluster > last,
                          "glyph %zu: expected cluster after %lld, got %u (out of order)", i,
                          (long long)last, g[i].cluster);
            last = g[i].cluster;
            size_t end = ln->byte_end;
            for (size_t j = i + 1; j < ln->first + ln->count; j++) {
                if (g[j].cluster != g[i].cluster) {
                    end = g[j].cluster;
                    break;
                }
            }
            ck_assert_msg(g[i].cluster >= ln->byte_start && end <= ln->byte_end,
                          "line %zu: expected cluster %u..%zu within bytes %zu..%zu", li,
                          g[i].cluster, end, ln->byte_start, ln->byte_end);
            for (size_t b = g[i].cluster; b < end; b++) {
                covered[b]++;
            }
        }
    }
    for (size_t b = 0; b < len; b++) {
        bool blank = text[b] == ' ' || text[b] == '\t';
        ck_assert_msg(covered[b] <= 1, "byte %zu: expected one cluster, got %d", b, covered[b]);
        ck_assert_msg(!is_break[b] || covered[b] == 0, "byte %zu: a line break drawn as a glyph",
                      b);
        ck_assert_msg(blank || is_break[b] || covered[b] == 1,
                      "byte %zu ('%c'): expected covered by a glyph, got none", b, text[b]);
    }
    free(covered);
    free(is_break);
}

/* Lines tile the glyph array; each is no wider than the width unless it holds one cluster;
 * widths are their advances' sums; byte ranges increase. */
static void expect_lines(const layout_t *l, double width)
{
    const layout_line_t *lines = layout_lines(l);
    const layout_glyph_t *g = layout_glyphs(l);
    size_t next = 0, prev_end = 0;
    for (size_t li = 0; li < layout_line_count(l); li++) {
        const layout_line_t *ln = &lines[li];
        ck_assert_msg(ln->first == next, "line %zu: expected first glyph %zu, got %zu", li, next,
                      ln->first);
        next += ln->count;
        double sum = 0;
        for (size_t i = ln->first; i < ln->first + ln->count; i++) {
            sum += g[i].advance;
        }
        ck_assert_msg(fabs(sum - ln->width) < EPS, "line %zu: expected width %g, got %g", li, sum,
                      ln->width);
        bool one_cluster = ln->count > 0 && g[ln->first].cluster == g[next - 1].cluster;
        ck_assert_msg(ln->width <= width + EPS || one_cluster,
                      "line %zu: expected at most %g px wide, got %g", li, width, ln->width);
        ck_assert_msg(ln->byte_start >= prev_end && ln->byte_end >= ln->byte_start,
                      "line %zu: bytes %zu..%zu after %zu", li, ln->byte_start, ln->byte_end,
                      prev_end);
        prev_end = ln->byte_end;
    }
    ck_assert_uint_eq(next, layout_glyph_count(l));
}

static void expect_sane(const layout_t *l, const char *text, size_t len, double width)
{
    expect_lines(l, width);
    expect_coverage(l, text, len);
}

/* The text the line shows, for messages and comparisons. */
static void line_text(const layout_t *l, size_t li, const char *text, char *out, size_t cap)
{
    const layout_line_t *ln = &layout_lines(l)[li];
    snprintf(out, cap, "%.*s", (int)(ln->byte_end - ln->byte_start), text + ln->byte_start);
}

/* ---- notes in three languages ---- */

/* Every handwriting font, note and width, DejaVu Sans as the fallback. */
START_TEST(notes_break_within_width)
{
    int font = _i / (NOTES * WIDTHS), which = (_i / WIDTHS) % NOTES;
    double width = widths[_i % WIDTHS];
    const note_t *n = &notes[which];
    fixture_t f = open_font(font), fb = open_font(DEJAVU);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, &fb, width);
    p.lang = n->lang;
    run_ok(l, &p, n->text, strlen(n->text));
    expect_sane(l, n->text, strlen(n->text), width);
    ck_assert_msg(layout_missing_count(l) == 0, "%s/%s: expected nothing missing, got %zu",
                  font_paths[font], n->lang, layout_missing_count(l));
    ck_assert(!layout_overflow(l));
    ck_assert_uint_eq(layout_fit_bytes(l), strlen(n->text));
    size_t lines = layout_line_count(l);
    ck_assert_msg(width > 200 || lines >= 3, "%g px: expected several lines, got %zu", width,
                  lines);
    ck_assert_msg(layout_lines(l)[lines - 1].paragraph_end, "expected the last line to end it");
    /* A dash between words ends a line ("Baeume -"), never starts one. */
    for (size_t i = 1; i < lines; i++) {
        const char *at = n->text + layout_lines(l)[i].byte_start;
        ck_assert_msg(strncmp(at, "\xE2\x80\x93", 3) != 0 && strncmp(at, "\xE2\x80\x94", 3) != 0,
                      "line %zu: expected no dash at its start: \"%.20s\"", i, at);
    }
    for (size_t i = 0; i < layout_glyph_count(l); i++) {
        ck_assert_msg(layout_glyphs(l)[i].glyph != 0, "glyph %zu (byte %u): expected no .notdef", i,
                      layout_glyphs(l)[i].cluster);
    }
    layout_free(l);
    close_font(fb);
    close_font(f);
}
END_TEST

/* Greedy filling: a line that broke at a space could not have taken the next word. */
START_TEST(lines_are_filled_greedily)
{
    const note_t *n = &notes[_i];
    fixture_t f = open_font(DEJAVU);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 300);
    run_ok(l, &p, n->text, strlen(n->text));
    double space = font_glyph_advance(f.font, font_glyph_index(f.font, ' ')) * SIZE_PX /
                   font_units_per_em(f.font);
    const layout_line_t *lines = layout_lines(l);
    const layout_glyph_t *g = layout_glyphs(l);
    for (size_t li = 0; li + 1 < layout_line_count(l); li++) {
        if (n->text[lines[li].byte_end] != ' ') {
            continue; /* broke after a hyphen */
        }
        double word = 0;
        for (size_t i = lines[li + 1].first; !g[i].space && g[i].word == 0; i++) {
            word += g[i].advance;
        }
        char shown[256];
        line_text(l, li, n->text, shown, sizeof shown);
        ck_assert_msg(lines[li].width + space + word > p.width_px,
                      "line \"%s\" (%g px): the next word (%g px) would have fit in %g", shown,
                      lines[li].width, word, p.width_px);
    }
    layout_free(l);
    close_font(f);
}
END_TEST

/* A paragraph on one line is the shaper's run of the whole paragraph: ligatures (Dancing's
 * e_e, l_l), init/fina and kerning work across words, positions scaled to pixels. */
START_TEST(paragraph_is_shaped_as_one_run)
{
    static const char text[] = "Thee will see the tree, well done";
    fixture_t f = open_font(DANCING);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 5000);
    run_ok(l, &p, text, strlen(text));
    shape_glyph_t want[128];
    size_t n = 0;
    ck_assert_int_eq(shaper_shape(f.shaper, text, strlen(text), "en", NULL, want, 128, &n), 0);
    ck_assert_msg(n < strlen(text), "expected ligatures (fewer glyphs than %zu bytes), got %zu",
                  strlen(text), n);
    ck_assert_uint_eq(layout_line_count(l), 1);
    ck_assert_uint_eq(layout_glyph_count(l), n);
    double scale = SIZE_PX / font_units_per_em(f.font), pen = 0;
    for (size_t i = 0; i < n; i++) {
        const layout_glyph_t *g = &layout_glyphs(l)[i];
        ck_assert_msg(g->glyph == want[i].glyph && g->cluster == want[i].cluster,
                      "glyph %zu: expected %u at byte %u, got %u at byte %u", i, want[i].glyph,
                      want[i].cluster, g->glyph, g->cluster);
        ck_assert_msg(fabs(g->x - (pen + want[i].x_offset * scale)) < EPS &&
                          fabs(g->advance - want[i].x_advance * scale) < EPS &&
                          fabs(g->y - want[i].y_offset * scale) < EPS,
                      "glyph %zu: expected x %g advance %g, got x %g advance %g", i,
                      pen + want[i].x_offset * scale, want[i].x_advance * scale, g->x, g->advance);
        ck_assert(g->font == LAYOUT_FONT_PRIMARY && g->scale == 1.0);
        pen += want[i].x_advance * scale;
    }
    layout_free(l);
    close_font(f);
}
END_TEST

/* Words: numbered per line from 0, the first glyph of each marked; spaces belong to none. */
START_TEST(words_are_numbered_per_line)
{
    static const char text[] = "Thank you so much";
    fixture_t f = open_font(DANCING);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 5000);
    run_ok(l, &p, text, strlen(text));
    size_t starts = 0, spaces = 0;
    for (size_t i = 0; i < layout_glyph_count(l); i++) {
        const layout_glyph_t *g = &layout_glyphs(l)[i];
        bool blank = text[g->cluster] == ' ';
        ck_assert_msg(g->space == blank, "glyph %zu (byte %u): expected space %d, got %d", i,
                      g->cluster, blank, g->space);
        if (g->word_start) {
            ck_assert_msg(g->word == starts, "glyph %zu: expected word %zu, got %u", i, starts,
                          g->word);
            starts++;
        }
        spaces += g->space;
    }
    ck_assert_uint_eq(starts, 4);
    ck_assert_uint_eq(spaces, 3);

    /* Wrapped: the second line starts again at word 0. */
    p.width_px = layout_lines(l)[0].width * 0.6;
    run_ok(l, &p, text, strlen(text));
    ck_assert_uint_ge(layout_line_count(l), 2);
    const layout_glyph_t *g = &layout_glyphs(l)[layout_lines(l)[1].first];
    ck_assert_msg(g->word == 0 && g->word_start && !g->space,
                  "line 2: expected word 0 starting, got word %u start %d space %d", g->word,
                  g->word_start, g->space);
    layout_free(l);
    close_font(f);
}
END_TEST

/* ---- paragraphs and line breaks ---- */

typedef struct para_case {
    const char *text;
    size_t lines;
    size_t starts[5];
    size_t ends[5];
    bool paragraph_end[5];
} para_case_t;

static const para_case_t para_cases[] = {
    {"Dear Anna,\nthank you!\n\nTom", 4, {0, 11, 22, 23}, {10, 21, 22, 26}, {1, 1, 1, 1}},
    {"Danke\n", 1, {0}, {5}, {1}},
    {"\n", 1, {0}, {0}, {1}},
    {"", 0, {0}, {0}, {0}},
    /* U+2028 breaks the line, U+2029 the paragraph. */
    {"eins\xE2\x80\xA8zwei\xE2\x80\xA9"
     "drei",
     3,
     {0, 7, 14},
     {4, 11, 18},
     {0, 1, 1}},
    /* Trailing blanks are dropped; a paragraph's indent stays. */
    {"  Hallo   \nwij  ", 2, {0, 11}, {7, 14}, {1, 1}},
    /* A tab is a blank, drawn as a space. */
    {"a\tb", 1, {0}, {3}, {1}},
};
enum { PARA_CASES = sizeof para_cases / sizeof para_cases[0] };

START_TEST(paragraphs_start_new_lines)
{
    const para_case_t *c = &para_cases[_i];
    fixture_t f = open_font(DANCING);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 5000);
    size_t len = strlen(c->text);
    run_ok(l, &p, c->text, len);
    expect_sane(l, c->text, len, p.width_px);
    ck_assert_msg(layout_line_count(l) == c->lines, "\"%s\": expected %zu lines, got %zu", c->text,
                  c->lines, layout_line_count(l));
    for (size_t i = 0; i < c->lines; i++) {
        const layout_line_t *ln = &layout_lines(l)[i];
        ck_assert_msg(ln->byte_start == c->starts[i] && ln->byte_end == c->ends[i] &&
                          ln->paragraph_end == c->paragraph_end[i],
                      "\"%s\" line %zu: expected bytes %zu..%zu end %d, got %zu..%zu end %d",
                      c->text, i, c->starts[i], c->ends[i], c->paragraph_end[i], ln->byte_start,
                      ln->byte_end, ln->paragraph_end);
    }
    for (size_t i = 0; i < layout_glyph_count(l); i++) {
        ck_assert_msg(layout_glyphs(l)[i].glyph != 0, "\"%s\": glyph %zu is .notdef", c->text, i);
    }
    ck_assert_uint_eq(layout_fit_bytes(l), len);
    layout_free(l);
    close_font(f);
}
END_TEST

/* ---- hyphens and long words ---- */

static const char *const hyphenated[] = {
    "well-known", "well\xE2\x80\x90known", /* U+2010 HYPHEN */
    "well\xE2\x80\x93known",               /* U+2013 EN DASH */
};
enum { HYPHENS = sizeof hyphenated / sizeof hyphenated[0] };

/* The line ends after the hyphen when "well-" fits and "well-known" does not. */
START_TEST(breaks_after_hyphens)
{
    const char *text = hyphenated[_i];
    size_t len = strlen(text), after = len - 5; /* "known" is the last 5 bytes */
    fixture_t f = open_font(DEJAVU);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 5000);
    run_ok(l, &p, text, len);
    double full = layout_lines(l)[0].width, head = 0;
    for (size_t i = 0; i < layout_glyph_count(l); i++) {
        if (layout_glyphs(l)[i].cluster < after) {
            head += layout_glyphs(l)[i].advance;
        }
    }
    p.width_px = (head + full) / 2;
    run_ok(l, &p, text, len);
    expect_sane(l, text, len, p.width_px);
    ck_assert_uint_eq(layout_line_count(l), 2);
    const layout_line_t *ln = layout_lines(l);
    ck_assert_msg(ln[0].byte_end == after && ln[1].byte_start == after && !ln[0].paragraph_end,
                  "\"%s\": expected a break at byte %zu, got lines %zu..%zu, %zu..%zu", text, after,
                  ln[0].byte_start, ln[0].byte_end, ln[1].byte_start, ln[1].byte_end);

    /* A hyphen with a blank before it is no break: "well -known" breaks at the space. */
    static const char spaced[] = "well -known";
    run_ok(l, &p, spaced, strlen(spaced));
    ck_assert_uint_eq(layout_line_count(l), 2);
    ck_assert_uint_eq(layout_lines(l)[1].byte_start, 5);
    layout_free(l);
    close_font(f);
}
END_TEST

/* A word longer than the line is cut at cluster boundaries, no line wider than the width. */
START_TEST(long_word_is_split)
{
    static const char text[] = "Ein Donaudampfschifffahrtsgesellschaftskapit\xC3\xA4n kam";
    size_t len = strlen(text);
    fixture_t f = open_font(DANCING);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 150);
    p.lang = "de";
    run_ok(l, &p, text, len);
    expect_sane(l, text, len, p.width_px);
    ck_assert_uint_ge(layout_line_count(l), 4);
    for (size_t i = 0; i < layout_line_count(l); i++) {
        ck_assert_msg(layout_lines(l)[i].count > 0, "line %zu: expected glyphs, got none", i);
    }
    ck_assert_uint_eq(layout_lines(l)[0].byte_end, 3); /* "Ein", then the long word */

    /* Narrower than any letter: one cluster per line, and the layout still ends. */
    p.width_px = 1;
    run_ok(l, &p, text, len);
    expect_sane(l, text, len, p.width_px);
    ck_assert_uint_ge(layout_line_count(l), 40);
    layout_free(l);
    close_font(f);
}
END_TEST

/* ---- fallback ---- */

/* The top of a glyph's exact box, in ems, by FreeType: the x-height oracle. */
static double ft_glyph_top(font_t *font, uint32_t ch)
{
    FT_Face face = font_ft_face(font);
    ck_assert_int_eq(FT_Load_Char(face, ch, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0);
    FT_BBox box;
    ck_assert_int_eq(FT_Outline_Get_BBox(&face->glyph->outline, &box), 0);
    return (double)box.yMax / face->units_per_EM;
}

START_TEST(fallback_fills_missing_characters)
{
    size_t len = strlen(euro_note);
    fixture_t f = open_font(KRISTI), fb = open_font(DEJAVU);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, &fb, 5000);
    p.lang = "de";
    run_ok(l, &p, euro_note, len);
    expect_sane(l, euro_note, len, p.width_px);
    ck_assert_uint_eq(layout_missing_count(l), 0);
    double scale = layout_fallback_scale(l);
    bool seen_euro = false, seen_quote = false;
    for (size_t i = 0; i < layout_glyph_count(l); i++) {
        const layout_glyph_t *g = &layout_glyphs(l)[i];
        ck_assert_msg(g->glyph != 0, "glyph %zu (byte %u): expected no .notdef", i, g->cluster);
        bool lacking = g->cluster == 2 || g->cluster == 6;
        ck_assert_msg(g->font == (lacking ? LAYOUT_FONT_FALLBACK : LAYOUT_FONT_PRIMARY),
                      "byte %u: expected font %d, got %d", g->cluster, lacking, g->font);
        ck_assert(g->scale == (lacking ? scale : 1.0));
        seen_euro |= g->cluster == 2;
        seen_quote |= g->cluster == 6;
    }
    ck_assert(seen_euro && seen_quote);
    /* Kristi and DejaVu have OS/2 version 1 (no sxHeight): the x-heights come from 'x'. */
    double want = ft_glyph_top(f.font, 'x'), got = scale * ft_glyph_top(fb.font, 'x');
    ck_assert_msg(fabs(got - want) / want < 0.02,
                  "expected the fallback's x-height %.4f em to match Kristi's %.4f em", got, want);
    ck_assert_msg(scale < 0.95 || scale > 1.05, "expected a real scale, got %g", scale);
    layout_free(l);
    close_font(fb);
    close_font(f);
}
END_TEST

/* Kaushan covers ĳ; its OS/2 sxHeight sets the scale. */
START_TEST(fallback_kaushan_for_ij)
{
    static const char text[] = "de \xC4\xB3sbaan";
    fixture_t f = open_font(KRISTI), fb = open_font(KAUSHAN);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, &fb, 5000);
    p.lang = "nl";
    run_ok(l, &p, text, strlen(text));
    expect_sane(l, text, strlen(text), p.width_px);
    ck_assert_uint_eq(layout_missing_count(l), 0);
    size_t from_fallback = 0;
    for (size_t i = 0; i < layout_glyph_count(l); i++) {
        const layout_glyph_t *g = &layout_glyphs(l)[i];
        ck_assert(g->glyph != 0);
        ck_assert_msg((g->font == LAYOUT_FONT_FALLBACK) == (g->cluster == 3),
                      "byte %u: unexpected font %d", g->cluster, g->font);
        from_fallback += g->font;
    }
    ck_assert_uint_eq(from_fallback, 1);
    double want = ft_glyph_top(f.font, 'x'), got = layout_fallback_scale(l) * 452.0 / 1000.0;
    ck_assert_msg(fabs(got - want) / want < 0.02, "expected x-height %.4f em, got %.4f em", want,
                  got);
    layout_free(l);
    close_font(fb);
    close_font(f);
}
END_TEST

START_TEST(missing_without_fallback_is_counted)
{
    size_t len = strlen(euro_note);
    fixture_t f = open_font(KRISTI);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 5000);
    run_ok(l, &p, euro_note, len);
    expect_sane(l, euro_note, len, p.width_px);
    size_t off = 99;
    ck_assert_uint_eq(layout_missing_count(l), 2);
    ck_assert_uint_eq(layout_missing_first(l, &off), 0x20AC);
    ck_assert_uint_eq(off, 2);
    bool notdef = false;
    for (size_t i = 0; i < layout_glyph_count(l); i++) {
        const layout_glyph_t *g = &layout_glyphs(l)[i];
        notdef |= g->glyph == 0 && g->cluster == 2;
        ck_assert(g->font == LAYOUT_FONT_PRIMARY);
    }
    ck_assert_msg(notdef, "expected .notdef for the euro sign");
    ck_assert(layout_fallback_scale(l) == 1.0);
    layout_free(l);
    close_font(f);
}
END_TEST

/* 中 is in neither Kristi nor DejaVu Sans: the primary's .notdef, counted. */
START_TEST(missing_from_both_fonts_is_counted)
{
    static const char text[] = "Danke \xE4\xB8\xAD \xE2\x82\xAC!";
    fixture_t f = open_font(KRISTI), fb = open_font(DEJAVU);
    ck_assert_uint_eq(font_glyph_index(fb.font, 0x4E2D), 0);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, &fb, 5000);
    run_ok(l, &p, text, strlen(text));
    expect_sane(l, text, strlen(text), p.width_px);
    size_t off = 99;
    ck_assert_uint_eq(layout_missing_count(l), 1);
    ck_assert_uint_eq(layout_missing_first(l, &off), 0x4E2D);
    ck_assert_uint_eq(off, 6);
    for (size_t i = 0; i < layout_glyph_count(l); i++) {
        const layout_glyph_t *g = &layout_glyphs(l)[i];
        if (g->cluster == 6) {
            ck_assert_msg(g->glyph == 0 && g->font == LAYOUT_FONT_PRIMARY && g->advance > 0,
                          "expected the primary's .notdef, got glyph %u of font %d", g->glyph,
                          g->font);
        } else if (g->cluster == 10) {
            ck_assert_msg(g->glyph != 0 && g->font == LAYOUT_FONT_FALLBACK,
                          "expected the euro from the fallback, got glyph %u of font %d", g->glyph,
                          g->font);
        }
    }
    layout_free(l);
    close_font(fb);
    close_font(f);
}
END_TEST

/* ---- fit ---- */

START_TEST(max_lines_reports_fit)
{
    const char *text = notes[0].text;
    size_t len = strlen(text);
    fixture_t f = open_font(DANCING);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 300);
    run_ok(l, &p, text, len);
    size_t all = layout_line_count(l);
    size_t end2 = layout_lines(l)[1].byte_end;
    ck_assert_uint_ge(all, 4);

    p.max_lines = 2;
    run_ok(l, &p, text, len);
    ck_assert(layout_overflow(l));
    ck_assert_uint_eq(layout_line_count(l), 2);
    ck_assert_msg(layout_fit_bytes(l) == end2, "expected fit at the second line's end %zu, got %zu",
                  end2, layout_fit_bytes(l));
    ck_assert_msg(text[layout_fit_bytes(l)] == ' ', "expected the break at a space, got '%c'",
                  text[layout_fit_bytes(l)]);

    /* What fits lays out in the same lines without overflow. */
    run_ok(l, &p, text, end2);
    ck_assert(!layout_overflow(l));
    ck_assert_uint_eq(layout_line_count(l), 2);
    ck_assert_uint_eq(layout_fit_bytes(l), end2);

    /* Exactly enough lines: no overflow. */
    p.max_lines = (uint32_t)all;
    run_ok(l, &p, text, len);
    ck_assert(!layout_overflow(l));
    ck_assert_uint_eq(layout_fit_bytes(l), len);

    /* Paragraphs: the third one does not fit. */
    p.max_lines = 2;
    run_ok(l, &p, "Liebe\nAnna\nDanke", 16);
    ck_assert(layout_overflow(l));
    ck_assert_uint_eq(layout_fit_bytes(l), 10);
    layout_free(l);
    close_font(f);
}
END_TEST

START_TEST(line_height)
{
    fixture_t f = open_font(DANCING);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 300);
    run_ok(l, &p, "a", 1);
    int32_t asc, desc, gap;
    font_vmetrics(f.font, &asc, &desc, &gap);
    double want = (asc - desc + gap) * SIZE_PX / font_units_per_em(f.font);
    ck_assert_msg(fabs(layout_line_height(l) - want) < EPS, "expected %g px, got %g", want,
                  layout_line_height(l));
    p.line_height_px = 55;
    run_ok(l, &p, "a", 1);
    ck_assert(layout_line_height(l) == 55);
    layout_free(l);
    close_font(f);
}
END_TEST

/* ---- bad input ---- */

typedef struct bad_case {
    const char *text;
    size_t len;
    const char *message;
} bad_case_t;

static const bad_case_t bad_cases[] = {
    {"Liebe Anna, viele\xFFn Dank", 24, "invalid UTF-8 at byte 17"},
    {"Danke \xE2\x82", 8, "invalid UTF-8 at byte 6"},
    {"Hallo\a", 6, "control character U+0007 at byte 5"},
    {"Hallo\r\nwelt", 11, "control character U+000D at byte 5"},
    {"ab\xC2\x85", 4, "control character U+0085 at byte 2"},
    {"a\0b", 3, "control character U+0000 at byte 1"},
};
enum { BAD_CASES = sizeof bad_cases / sizeof bad_cases[0] };

START_TEST(bad_text_refused)
{
    const bad_case_t *c = &bad_cases[_i];
    fixture_t f = open_font(DANCING);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 300);
    run_ok(l, &p, "Danke", 5);
    int rc = layout_run(l, &p, c->text, c->len);
    ck_assert_msg(rc == -1, "expected -1, got %d", rc);
    ck_assert_str_eq(layout_error(l), c->message);
    ck_assert_uint_eq(layout_line_count(l), 0);
    ck_assert_uint_eq(layout_glyph_count(l), 0);
    ck_assert_uint_eq(layout_fit_bytes(l), 0);
    layout_free(l);
    close_font(f);
}
END_TEST

/* A 1 MiB paste is refused before anything reads it (not even UTF-8 checked). */
START_TEST(long_note_refused)
{
    size_t len = 1u << 20;
    char *text = malloc(len);
    ck_assert(text != NULL);
    memset(text, 0xFF, len);
    fixture_t f = open_font(DANCING);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, NULL, 300);
    ck_assert_int_eq(layout_run(l, &p, text, len), -1);
    ck_assert_str_eq(layout_error(l), "the note is 1048576 bytes; at most 65536");
    memset(text, 'a', len);
    ck_assert_int_eq(layout_run(l, &p, text, LAYOUT_MAX_BYTES + 1), -1);
    ck_assert_str_eq(layout_error(l), "the note is 65537 bytes; at most 65536");
    layout_free(l);
    close_font(f);
    free(text);
}
END_TEST

START_TEST(bad_params_refused)
{
    fixture_t f = open_font(DANCING);
    layout_t *l = layout_create();
    layout_params_t good = params_of(f, NULL, 300), p;
    ck_assert_int_eq(layout_run(l, NULL, "a", 1), -1);
    p = good;
    p.shaper = NULL;
    ck_assert_int_eq(layout_run(l, &p, "a", 1), -1);
    p = good;
    p.fallback_font = f.font;
    ck_assert_int_eq(layout_run(l, &p, "a", 1), -1);
    ck_assert_str_eq(layout_error(l), "the fallback font and its shaper go together");
    p = good;
    p.size_px = 0;
    ck_assert_int_eq(layout_run(l, &p, "a", 1), -1);
    p = good;
    p.width_px = NAN;
    ck_assert_int_eq(layout_run(l, &p, "a", 1), -1);
    p = good;
    p.line_height_px = -1;
    ck_assert_int_eq(layout_run(l, &p, "a", 1), -1);
    p = good;
    p.features = "kern=";
    ck_assert_int_eq(layout_run(l, &p, "a", 1), -1);
    ck_assert_msg(strstr(layout_error(l), "bad feature") != NULL, "got \"%s\"", layout_error(l));
    p = good;
    p.lang = "d e";
    ck_assert_int_eq(layout_run(l, &p, "a", 1), -1);
    run_ok(l, &good, "a", 1);
    layout_free(NULL);
    layout_free(l);
    close_font(f);
}
END_TEST

/* ---- reuse ---- */

/* A note of about 600 characters: the notes repeated. */
static size_t long_note(char *out, size_t cap)
{
    size_t len = 0;
    for (int i = 0; len < 600; i++) {
        const char *t = notes[i % NOTES].text;
        ck_assert(len + strlen(t) + 2 < cap);
        len += (size_t)snprintf(out + len, cap - len, "%s%s", t, i % 2 ? "\n" : " ");
    }
    return len;
}

static void expect_same(const layout_t *a, const layout_t *b)
{
    ck_assert_uint_eq(layout_line_count(a), layout_line_count(b));
    ck_assert_uint_eq(layout_glyph_count(a), layout_glyph_count(b));
    for (size_t i = 0; i < layout_line_count(a); i++) {
        const layout_line_t *x = &layout_lines(a)[i], *y = &layout_lines(b)[i];
        ck_assert(x->first == y->first && x->count == y->count && x->width == y->width &&
                  x->byte_start == y->byte_start && x->byte_end == y->byte_end &&
                  x->paragraph_end == y->paragraph_end);
    }
    for (size_t i = 0; i < layout_glyph_count(a); i++) {
        const layout_glyph_t *x = &layout_glyphs(a)[i], *y = &layout_glyphs(b)[i];
        ck_assert_msg(x->glyph == y->glyph && x->cluster == y->cluster && x->word == y->word &&
                          x->font == y->font && x->word_start == y->word_start &&
                          x->space == y->space && x->x == y->x && x->y == y->y &&
                          x->advance == y->advance && x->scale == y->scale,
                      "glyph %zu differs", i);
    }
}

START_TEST(same_text_same_layout)
{
    char text[2048];
    size_t len = long_note(text, sizeof text);
    fixture_t f = open_font(KRISTI), fb = open_font(DEJAVU);
    layout_t *a = layout_create(), *b = layout_create();
    layout_params_t p = params_of(f, &fb, 700);
    run_ok(a, &p, text, len);
    run_ok(b, &p, "something else entirely", 23);
    run_ok(b, &p, text, len);
    expect_same(a, b);
    run_ok(a, &p, text, len);
    expect_same(a, b);
    expect_sane(a, text, len, p.width_px);
    layout_free(b);
    layout_free(a);
    close_font(fb);
    close_font(f);
}
END_TEST

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* Typing: once warmed up on the longest note, re-laying-out after each keystroke reserves
 * nothing more, and takes well under a millisecond for a 600-character note. */
START_TEST(relayout_reuses_memory)
{
    char text[2048];
    size_t len = long_note(text, sizeof text);
    text[len] = '!';
    fixture_t f = open_font(DANCING), fb = open_font(DEJAVU);
    layout_t *l = layout_create();
    layout_params_t p = params_of(f, &fb, 1000);
    p.size_px = 60;
    run_ok(l, &p, text, len + 1);
    size_t reserved = layout_reserved_bytes(l);
    ck_assert_uint_gt(reserved, 0);
    for (size_t n = 0; n <= len + 1; n++) {
        if (n < len + 1 && ((uint8_t)text[n] & 0xC0) == 0x80) {
            continue; /* typing adds whole characters */
        }
        run_ok(l, &p, text, n);
        ck_assert_msg(layout_reserved_bytes(l) == reserved,
                      "after %zu bytes: expected %zu bytes reserved, got %zu", n, reserved,
                      layout_reserved_bytes(l));
    }
    enum { ROUNDS = 400 };
    double best = 1e9, start = now_seconds();
    for (int i = 0; i < ROUNDS; i++) {
        double t0 = now_seconds();
        run_ok(l, &p, text, len + (size_t)(i & 1));
        double t = now_seconds() - t0;
        best = t < best ? t : best;
    }
    double mean = (now_seconds() - start) / ROUNDS;
    ck_assert_uint_eq(layout_reserved_bytes(l), reserved);
    fprintf(stderr,
            "check_layout: re-layout of a %zu-byte note (%zu lines): %.1f us mean, %.1f us best\n",
            len, layout_line_count(l), mean * 1e6, best * 1e6);
    double limit = SANITIZED ? 20e-3 : 1e-3;
    ck_assert_msg(best < limit, "expected a re-layout under %g ms, got %g ms", limit * 1e3,
                  best * 1e3);
    layout_free(l);
    close_font(fb);
    close_font(f);
}
END_TEST

static Suite *layout_suite(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("English, German and Dutch notes");
    tcase_add_loop_test(tc, notes_break_within_width, 0, HANDWRITING * NOTES * WIDTHS);
    tcase_add_loop_test(tc, lines_are_filled_greedily, 0, NOTES);
    tcase_add_test(tc, paragraph_is_shaped_as_one_run);
    tcase_add_test(tc, words_are_numbered_per_line);
    suite_add_tcase(s, tc);

    tc = tcase_create("paragraphs and line breaks");
    tcase_add_loop_test(tc, paragraphs_start_new_lines, 0, PARA_CASES);
    tcase_add_loop_test(tc, breaks_after_hyphens, 0, HYPHENS);
    tcase_add_test(tc, long_word_is_split);
    tcase_add_test(tc, line_height);
    suite_add_tcase(s, tc);

    tc = tcase_create("fallback font");
    tcase_add_test(tc, fallback_fills_missing_characters);
    tcase_add_test(tc, fallback_kaushan_for_ij);
    tcase_add_test(tc, missing_without_fallback_is_counted);
    tcase_add_test(tc, missing_from_both_fonts_is_counted);
    suite_add_tcase(s, tc);

    tc = tcase_create("text that does not fit");
    tcase_add_test(tc, max_lines_reports_fit);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile input");
    tcase_add_loop_test(tc, bad_text_refused, 0, BAD_CASES);
    tcase_add_test(tc, long_note_refused);
    tcase_add_test(tc, bad_params_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("re-layout after a keystroke");
    tcase_add_test(tc, same_text_same_layout);
    tcase_add_test(tc, relayout_reuses_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(layout_suite());
}
