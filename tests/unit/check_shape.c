/* check_shape.c - strict UTF-8 checks, and HarfBuzz shaping of English, German and Dutch notes
 * with the card's handwriting fonts (Dancing Script, Kristi, Kaushan Script) and DejaVu Sans.
 *
 * FreeType (font.h) is the oracle for glyph ids and nominal advances: a run shaped with every
 * substitution and kerning turned off must give exactly font_glyph_index() and
 * font_glyph_advance() per character, so positions are in font units. The font facts tested
 * here (which pairs kern, which words calt changes, which letters have salt alternates) were
 * found by shaping with and without each feature; see the comments at each test.
 */
#include "likeletter/font.h"
#include "likeletter/shape.h"
#include "likeletter/utf8.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct test_font {
    const char *name;
    const char *path;
} test_font_t;

static const test_font_t fonts[] = {
    {"Dancing Script", LIKELETTER_TEST_FONT_DANCING},
    {"Kristi", LIKELETTER_TEST_FONT_KRISTI},
    {"Kaushan Script", LIKELETTER_TEST_FONT_KAUSHAN},
    {"DejaVu Sans", LIKELETTER_TEST_FONT_DEJAVU},
};
enum { FONTS = sizeof fonts / sizeof fonts[0], DANCING = 0, KRISTI = 1, KAUSHAN = 2, DEJAVU = 3 };

typedef struct note {
    const char *text;
    const char *lang;
} note_t;

static const note_t notes[] = {
    {"Dank je wel", "nl"},
    {"Vielen Dank f\xC3\xBCr alles", "de"},
    {"Thank you", "en"},
};
enum { NOTES = sizeof notes / sizeof notes[0] };

/* Every GSUB feature these fonts use plus kerning, off: each character maps to its cmap glyph. */
#define NO_FEATURES "-liga,-clig,-dlig,-calt,-init,-medi,-fina,-salt,-rlig,-ccmp,-locl,-aalt,-kern"

#define MAX_GLYPHS 256

/* ---- helpers ---- */

typedef struct fixture {
    font_t *font;
    shaper_t *shaper;
} fixture_t;

static fixture_t open_font(int which)
{
    char err[256] = "";
    fixture_t f;
    f.font = font_open(fonts[which].path, err, sizeof err);
    ck_assert_msg(f.font != NULL, "font_open(%s): expected a font, got NULL: %s (installed?)",
                  fonts[which].path, err);
    f.shaper = shaper_create(f.font, err, sizeof err);
    ck_assert_msg(f.shaper != NULL, "shaper_create(%s): expected a shaper, got NULL: %s",
                  fonts[which].name, err);
    return f;
}

static void close_font(fixture_t f)
{
    shaper_free(f.shaper);
    font_close(f.font);
}

/* Shapes text, failing the test on any error; returns the glyph count. */
static size_t shape_ok(fixture_t f, const char *text, const char *lang, const char *features,
                       shape_glyph_t *out)
{
    size_t count = 0;
    int rc = shaper_shape(f.shaper, text, strlen(text), lang, features, out, MAX_GLYPHS, &count);
    ck_assert_msg(rc == 0, "shaper_shape(\"%s\", %s): expected 0, got %d: %s", text,
                  features ? features : "defaults", rc, shaper_error(f.shaper));
    return count;
}

static bool runs_differ(const shape_glyph_t *a, size_t na, const shape_glyph_t *b, size_t nb)
{
    if (na != nb) {
        return true;
    }
    for (size_t i = 0; i < na; i++) {
        if (a[i].glyph != b[i].glyph || a[i].x_advance != b[i].x_advance) {
            return true;
        }
    }
    return false;
}

/* Writes cp (below U+0800) as NUL-terminated UTF-8. */
static void encode(uint32_t cp, char *out)
{
    ck_assert(cp < 0x800);
    if (cp < 0x80) {
        out[0] = (char)cp;
        out[1] = '\0';
    } else {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        out[2] = '\0';
    }
}

static uint32_t glyph_of(fixture_t f, uint32_t cp)
{
    uint32_t g = font_glyph_index(f.font, cp);
    ck_assert_msg(g != 0, "expected U+%04X in the font, got glyph 0", cp);
    return g;
}

/* ---- UTF-8 validation ---- */

typedef struct utf8_case {
    const char *name;
    const char *bytes;
    size_t len;
    int rc;
    size_t offset;
} utf8_case_t;

/* Table rows; octal escapes where a hex escape would swallow the letter after it. */
#define OK(name, s) name, s, sizeof s - 1, 0, 0
#define BAD(name, s, off) name, s, sizeof s - 1, -1, off

static const utf8_case_t utf8_cases[] = {
    {OK("empty", "")},
    {OK("ASCII", "Thank you for the lovely post!")},
    {OK("German", "Vielen Dank f\xC3\xBCr alles, Gr\xC3\xBC\303\237e")},
    {OK("Dutch ij ligature", "Dank je wel, \xC4\xB3s en \xC4\xB2sselmeer")},
    {OK("euro sign", "5 \xE2\x82\xAC")},
    {OK("German quotes", "\342\200\236Danke\xE2\x80\x9C")},
    {OK("emoji", "Thanks \xF0\x9F\x98\x80")},
    {OK("NUL is U+0000", "a\0b")},
    {OK("last before surrogates U+D7FF", "\xED\x9F\xBF")},
    {OK("first after surrogates U+E000", "\xEE\x80\x80")},
    {OK("U+10FFFF", "\xF4\x8F\xBF\xBF")},
    {OK("smallest 2-byte U+0080", "\xC2\x80")},
    {OK("smallest 3-byte U+0800", "\xE0\xA0\x80")},
    {OK("smallest 4-byte U+10000", "\xF0\x90\x80\x80")},
    {BAD("overlong slash C0 AF", "\xC0\xAF", 0)},
    {BAD("overlong C1 BF after text", "ab\xC1\xBF", 2)},
    {BAD("overlong 3-byte", "\xE0\x80\xAF", 0)},
    {BAD("overlong 4-byte", "x\xF0\x80\x80\xAF", 1)},
    {BAD("surrogate U+D800", "\xED\xA0\x80", 0)},
    {BAD("surrogate U+DFFF after text", "Danke\xED\xBF\xBF", 5)},
    {BAD("truncated euro", "\xE2\x82", 0)},
    {BAD("truncated at the end", "Danke \xE2\x82", 6)},
    {BAD("truncated by ASCII", "\342\202A", 0)},
    {BAD("truncated emoji", "\xF0\x9F\x98", 0)},
    {BAD("byte FF", "\xFF", 0)},
    {BAD("byte FE after text", "abc\xFE", 3)},
    {BAD("above U+10FFFF", "\xF4\x90\x80\x80", 0)},
    {BAD("lead F5", "\xF5\x80\x80\x80", 0)},
    {BAD("stray continuation", "a\x80", 1)},
    {BAD("lead without continuation", "\303a", 0)},
    {BAD("euro then a cut lead", "\xE2\x82\xAC\xC3", 3)},
};
enum { UTF8_CASES = sizeof utf8_cases / sizeof utf8_cases[0] };

START_TEST(utf8_check_table)
{
    const utf8_case_t *c = &utf8_cases[_i];
    size_t off = 12345;
    int rc = utf8_check(c->bytes, c->len, &off);
    ck_assert_msg(rc == c->rc, "%s: expected %d, got %d", c->name, c->rc, rc);
    if (c->rc < 0) {
        ck_assert_msg(off == c->offset, "%s: expected bad offset %zu, got %zu", c->name, c->offset,
                      off);
    } else {
        ck_assert_msg(off == 12345, "%s: expected bad_offset untouched, got %zu", c->name, off);
    }
    ck_assert_int_eq(utf8_check(c->bytes, c->len, NULL), c->rc);
}
END_TEST

/* A note with 1-, 2-, 3- and 4-byte characters cut at every byte: a prefix is valid exactly
 * when it ends between characters, and otherwise bad where its last character starts. */
static const char mixed[] = "D\xC3\xBC \xE2\x82\xAC \xF0\x9F\x98\x80 \xC4\xB3";

START_TEST(utf8_check_every_truncation)
{
    size_t cut = (size_t)_i, start = 0, off = 0;
    uint32_t cp;
    while (start < cut) {
        size_t n = utf8_decode(mixed + start, sizeof mixed - 1 - start, &cp);
        if (start + n > cut) {
            break;
        }
        start += n;
    }
    int rc = utf8_check(mixed, cut, &off);
    if (start == cut) {
        ck_assert_msg(rc == 0, "cut at %zu (between characters): expected 0, got %d", cut, rc);
    } else {
        ck_assert_msg(rc == -1 && off == start, "cut at %zu: expected -1 at %zu, got %d at %zu",
                      cut, start, rc, off);
    }
}
END_TEST

START_TEST(utf8_decode_walks)
{
    static const uint32_t expect[] = {'D', 0xFC, ' ', 0x20AC, ' ', 0x1F600, ' ', 0x133};
    static const size_t sizes[] = {1, 2, 1, 3, 1, 4, 1, 2};
    size_t off = 0, i = 0, n;
    uint32_t cp = 0;
    while ((n = utf8_decode(mixed + off, sizeof mixed - 1 - off, &cp)) > 0) {
        ck_assert_msg(i < 8, "expected 8 code points, got more");
        ck_assert_msg(cp == expect[i] && n == sizes[i],
                      "code point %zu: expected U+%04X in %zu bytes, got U+%04X in %zu", i,
                      expect[i], sizes[i], cp, n);
        off += n;
        i++;
    }
    ck_assert_msg(i == 8 && off == sizeof mixed - 1, "expected 8 code points, got %zu", i);
    cp = 7;
    ck_assert_uint_eq(utf8_decode("", 0, &cp), 0);
    ck_assert_uint_eq(cp, 7);
    /* Unchecked bytes never stall a loop or read past len. */
    ck_assert_uint_eq(utf8_decode("\xE2\x82", 2, &cp), 1);
    ck_assert_uint_eq(cp, UTF8_REPLACEMENT);
    ck_assert_uint_eq(utf8_decode("\xC3\xBC", 1, &cp), 1);
    ck_assert_uint_eq(cp, UTF8_REPLACEMENT);
}
END_TEST

/* ---- control characters ---- */

static const utf8_case_t control_cases[] = {
    {OK("paragraphs", "Dear Anna,\n\nthank you!\n")},
    {OK("tab", "Anna\tBerlin")},
    {OK("line separator U+2028", "one\xE2\x80\xA8two")},
    {OK("paragraph separator U+2029", "one\xE2\x80\xA9two")},
    {OK("NBSP and soft hyphen are not controls", "a\302\240b\302\255c")},
    {OK("U+00A0 right after C1", "\xC2\xA0")},
    {BAD("CR LF", "Dear Anna,\r\n", 10)},
    {BAD("SOH", "abc\x01", 3)},
    {BAD("NUL", "a\0b", 1)},
    {BAD("escape sequence", "\x1B[31mred", 0)},
    {BAD("DEL", "abc\x7F", 3)},
    {BAD("C1 NEL U+0085", "one\xC2\x85two", 3)},
    {BAD("C1 U+009F", "\xC2\x9F", 0)},
    {BAD("C1 U+0080", "x\xC2\x80", 1)},
    {BAD("invalid UTF-8 is refused too", "ok \xC0\xAF", 3)},
};
enum { CONTROL_CASES = sizeof control_cases / sizeof control_cases[0] };

START_TEST(control_check_table)
{
    const utf8_case_t *c = &control_cases[_i];
    size_t off = 12345;
    int rc = utf8_control_check(c->bytes, c->len, &off);
    ck_assert_msg(rc == c->rc, "%s: expected %d, got %d", c->name, c->rc, rc);
    if (c->rc < 0) {
        ck_assert_msg(off == c->offset, "%s: expected bad offset %zu, got %zu", c->name, c->offset,
                      off);
    }
}
END_TEST

START_TEST(line_breaks)
{
    ck_assert(utf8_is_line_break('\n'));
    ck_assert(utf8_is_line_break(0x2028));
    ck_assert(utf8_is_line_break(0x2029));
    ck_assert(!utf8_is_line_break('\t'));
    ck_assert(!utf8_is_line_break(' '));
    ck_assert(!utf8_is_line_break(0x85));
}
END_TEST

/* ---- shaping the notes ---- */

/* Clusters start at 0, never decrease and stay inside the text; advances move right. */
START_TEST(notes_shape_sanely)
{
    const test_font_t *tf = &fonts[_i / NOTES];
    const note_t *n = &notes[_i % NOTES];
    fixture_t f = open_font(_i / NOTES);
    shape_glyph_t out[MAX_GLYPHS];
    size_t len = strlen(n->text);
    size_t count = shape_ok(f, n->text, n->lang, NULL, out);
    ck_assert_msg(count > 0 && count <= len, "%s \"%s\": expected 1..%zu glyphs, got %zu", tf->name,
                  n->text, len, count);
    ck_assert_msg(out[0].cluster == 0, "%s: expected the first cluster 0, got %u", tf->name,
                  out[0].cluster);
    for (size_t i = 0; i < count; i++) {
        ck_assert_msg(out[i].glyph != 0, "%s \"%s\" glyph %zu: expected a real glyph, got 0",
                      tf->name, n->text, i);
        ck_assert_msg(out[i].cluster < len, "%s: cluster %u beyond %zu bytes", tf->name,
                      out[i].cluster, len);
        ck_assert_msg(i == 0 || out[i].cluster >= out[i - 1].cluster,
                      "%s \"%s\": expected clusters non-decreasing, got %u after %u", tf->name,
                      n->text, out[i].cluster, out[i - 1].cluster);
        ck_assert_msg(out[i].x_advance > 0 && out[i].y_advance == 0,
                      "%s \"%s\" glyph %zu: expected advance (>0, 0), got (%d, %d)", tf->name,
                      n->text, i, out[i].x_advance, out[i].y_advance);
    }
    close_font(f);
}
END_TEST

/* With substitutions and kerning off, each character is its cmap glyph at its hmtx advance in
 * font units: the shaper and FreeType read the same file the same way. */
START_TEST(plain_shaping_matches_freetype)
{
    const test_font_t *tf = &fonts[_i / NOTES];
    const note_t *n = &notes[_i % NOTES];
    fixture_t f = open_font(_i / NOTES);
    shape_glyph_t out[MAX_GLYPHS];
    size_t len = strlen(n->text), count = shape_ok(f, n->text, n->lang, NO_FEATURES, out);
    size_t off = 0, i = 0, step;
    uint32_t cp;
    for (; (step = utf8_decode(n->text + off, len - off, &cp)) > 0; off += step, i++) {
        ck_assert_msg(i < count, "%s \"%s\": expected a glyph per character, got %zu", tf->name,
                      n->text, count);
        uint32_t g = font_glyph_index(f.font, cp);
        int32_t adv = font_glyph_advance(f.font, g);
        ck_assert_msg(out[i].glyph == g && out[i].cluster == off,
                      "%s U+%04X at %zu: expected glyph %u cluster %zu, got %u cluster %u",
                      tf->name, cp, off, g, off, out[i].glyph, out[i].cluster);
        ck_assert_msg(out[i].x_advance == adv && out[i].x_offset == 0 && out[i].y_offset == 0,
                      "%s U+%04X: expected advance %d offset 0,0, got %d offset %d,%d", tf->name,
                      cp, adv, out[i].x_advance, out[i].x_offset, out[i].y_offset);
    }
    ck_assert_msg(i == count, "%s \"%s\": expected %zu glyphs, got %zu", tf->name, n->text, i,
                  count);
    close_font(f);
}
END_TEST

/* ---- kerning (Dancing Script's GPOS 'kern') ---- */

/* Found by shaping: in Dancing Script A-V kerns by -16 units, T-o by -86, W-a by -30. */
static const char *const kern_pairs[] = {"AV", "To", "Wa"};
enum { KERN_PAIRS = sizeof kern_pairs / sizeof kern_pairs[0] };

START_TEST(kerning_applies_and_can_be_disabled)
{
    const char *pair = kern_pairs[_i];
    fixture_t f = open_font(DANCING);
    shape_glyph_t out[MAX_GLYPHS];
    ck_assert(shaper_has_feature(f.shaper, "kern"));
    ck_assert_uint_eq(shape_ok(f, pair, "en", NULL, out), 2);
    int32_t nominal = font_glyph_advance(f.font, out[0].glyph);
    ck_assert_msg(out[0].x_advance < nominal,
                  "\"%s\": expected a kerned advance below the nominal %d, got %d", pair, nominal,
                  out[0].x_advance);
    ck_assert_uint_eq(shape_ok(f, pair, "en", "-kern", out), 2);
    ck_assert_msg(out[0].x_advance == nominal, "\"%s\" -kern: expected the nominal %d, got %d",
                  pair, nominal, out[0].x_advance);
    close_font(f);
}
END_TEST

START_TEST(kerning_in_a_phrase)
{
    fixture_t f = open_font(DANCING);
    shape_glyph_t kerned[MAX_GLYPHS], plain[MAX_GLYPHS];
    size_t n = shape_ok(f, "AV To Wa", "en", NULL, kerned);
    ck_assert_uint_eq(shape_ok(f, "AV To Wa", "en", "-kern", plain), n);
    int64_t sum_kerned = 0, sum_plain = 0, sum_nominal = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(kerned[i].glyph, plain[i].glyph);
        sum_kerned += kerned[i].x_advance;
        sum_plain += plain[i].x_advance;
        sum_nominal += font_glyph_advance(f.font, plain[i].glyph);
    }
    ck_assert_msg(sum_plain == sum_nominal, "-kern: expected the nominal width %lld, got %lld",
                  (long long)sum_nominal, (long long)sum_plain);
    ck_assert_msg(sum_kerned == sum_nominal - 16 - 86 - 30,
                  "kerned: expected %lld (nominal - 132), got %lld", (long long)sum_nominal - 132,
                  (long long)sum_kerned);
    close_font(f);
}
END_TEST

/* ---- Kristi's 'calt' ---- */

/* Found by shaping with and without -calt: Kristi's one calt lookup swaps o after g/l/b/t/o
 * (o.alt2), the first s of "ss" (s.alt1), T before a lowercase letter (T.alt1) and b. It leaves
 * "ll", "ee", "alles" and "Vielen" alone. */
static const char *const calt_words[] = {"good", "look", "book", "too", "boss", "Thank"};
enum { CALT_WORDS = sizeof calt_words / sizeof calt_words[0] };

START_TEST(kristi_calt_changes_words)
{
    const char *word = calt_words[_i];
    fixture_t f = open_font(KRISTI);
    shape_glyph_t with[MAX_GLYPHS], without[MAX_GLYPHS];
    ck_assert(shaper_has_feature(f.shaper, "calt"));
    size_t nw = shape_ok(f, word, "en", NULL, with);
    size_t nwo = shape_ok(f, word, "en", "-calt", without);
    ck_assert_msg(runs_differ(with, nw, without, nwo),
                  "\"%s\": expected calt to change a glyph, got the same run", word);
    for (size_t i = 0; i < nwo; i++) {
        ck_assert_msg(without[i].glyph == font_glyph_index(f.font, (unsigned char)word[i]),
                      "\"%s\" -calt: expected the cmap glyph for '%c'", word, word[i]);
    }
    close_font(f);
}
END_TEST

/* The property the card wants: in "good" the two o's come out as different glyphs. */
START_TEST(kristi_calt_varies_double_o)
{
    fixture_t f = open_font(KRISTI);
    shape_glyph_t out[MAX_GLYPHS];
    ck_assert_uint_eq(shape_ok(f, "good", "en", NULL, out), 4);
    ck_assert_msg(out[1].glyph != out[2].glyph,
                  "\"good\": expected the two o's as different glyphs, got %u twice", out[1].glyph);
    ck_assert_msg(out[1].glyph != glyph_of(f, 'o') && out[2].glyph == glyph_of(f, 'o'),
                  "\"good\": expected an alternate o then the plain o, got %u %u", out[1].glyph,
                  out[2].glyph);
    close_font(f);
}
END_TEST

/* ---- features and 'salt' alternates ---- */

START_TEST(feature_presence)
{
    fixture_t d = open_font(DANCING);
    ck_assert(shaper_has_feature(d.shaper, "salt"));
    ck_assert(shaper_has_feature(d.shaper, "kern")); /* GPOS */
    ck_assert(shaper_has_feature(d.shaper, "liga"));
    ck_assert(!shaper_has_feature(d.shaper, "zzzz"));
    ck_assert(!shaper_has_feature(d.shaper, "calt"));
    ck_assert(!shaper_has_feature(d.shaper, ""));
    ck_assert(!shaper_has_feature(d.shaper, NULL));
    ck_assert(!shaper_has_feature(d.shaper, "saltt"));
    fixture_t k = open_font(KRISTI);
    ck_assert(shaper_has_feature(k.shaper, "calt"));
    ck_assert(!shaper_has_feature(k.shaper, "salt"));
    ck_assert(!shaper_has_feature(k.shaper, "kern")); /* Kristi has no GPOS */
    close_font(k);
    close_font(d);
}
END_TEST

typedef struct alt_case {
    int font;
    uint32_t cp;
} alt_case_t;

/* Found by listing every glyph's salt closure: Dancing Script's salt has single alternates only
 * for the capitals F, M and U (its one lowercase salt rule is the ligature v+a); Kaushan Script's
 * is z and its accented forms; DejaVu Sans has I, J, a, l, Eng. */
static const alt_case_t alt_cases[] = {
    {DANCING, 'F'},   {DANCING, 'M'}, {DANCING, 'U'}, {KAUSHAN, 'z'},
    {KAUSHAN, 0x17E}, {DEJAVU, 'a'},  {DEJAVU, 'l'},  {DEJAVU, 'I'},
};
enum { ALT_CASES = sizeof alt_cases / sizeof alt_cases[0] };

/* shaper_alternates() lists the glyph that shaping with "salt" picks. */
START_TEST(salt_alternates_match_shaping)
{
    const alt_case_t *c = &alt_cases[_i];
    fixture_t f = open_font(c->font);
    uint32_t g = glyph_of(f, c->cp), alts[8];
    uint32_t n = shaper_alternates(f.shaper, g, alts, 8);
    ck_assert_msg(n >= 1 && n <= 8, "%s U+%04X: expected 1..8 salt alternates, got %u",
                  fonts[c->font].name, c->cp, n);
    char text[8];
    encode(c->cp, text);
    shape_glyph_t out[MAX_GLYPHS];
    ck_assert_uint_eq(shape_ok(f, text, NULL, "salt", out), 1);
    bool listed = false;
    for (uint32_t i = 0; i < n; i++) {
        ck_assert_msg(alts[i] != g && alts[i] != 0 && alts[i] < font_glyph_count(f.font),
                      "alternate %u: expected another real glyph, got %u", i, alts[i]);
        listed = listed || alts[i] == out[0].glyph;
    }
    ck_assert_msg(listed, "%s U+%04X: expected shaping with salt (glyph %u) among the alternates",
                  fonts[c->font].name, c->cp, out[0].glyph);
    close_font(f);
}
END_TEST

START_TEST(salt_alternates_edges)
{
    fixture_t f = open_font(DANCING);
    uint32_t alts[2] = {77, 77};
    uint32_t g = glyph_of(f, 'F');
    ck_assert_uint_eq(shaper_alternates(f.shaper, g, NULL, 0), 1); /* count only */
    ck_assert_uint_eq(shaper_alternates(f.shaper, glyph_of(f, 'A'), alts, 2), 0);
    ck_assert_uint_eq(alts[0], 77);
    ck_assert_uint_eq(shaper_alternates(f.shaper, font_glyph_count(f.font), alts, 2), 0);
    ck_assert_uint_eq(shaper_alternates(f.shaper, UINT32_MAX, alts, 2), 0);
    for (uint32_t cp = 'a'; cp <= 'z'; cp++) { /* a fact of this font, see alt_cases */
        ck_assert_msg(shaper_alternates(f.shaper, glyph_of(f, cp), NULL, 0) == 0,
                      "Dancing Script '%c': expected no single salt alternate", (char)cp);
    }
    fixture_t k = open_font(KRISTI); /* no salt at all: calt's forms only */
    ck_assert_uint_eq(shaper_alternates(k.shaper, glyph_of(k, 'a'), alts, 2), 0);
    close_font(k);
    close_font(f);
}
END_TEST

/* Kristi has no salt; its calt turns the o after another o into o.alt2, so that is o's
 * alternate: the form "good" shapes to. Its ligature-free letters list none. */
START_TEST(kristi_calt_alternates)
{
    fixture_t k = open_font(KRISTI);
    uint32_t alts[4] = {0};
    shape_glyph_t out[MAX_GLYPHS];
    ck_assert_uint_eq(shape_ok(k, "oo", "en", NULL, out), 2);
    uint32_t n = shaper_alternates(k.shaper, glyph_of(k, 'o'), alts, 4);
    ck_assert_msg(n == 1 && alts[0] != glyph_of(k, 'o') &&
                      (alts[0] == out[0].glyph || alts[0] == out[1].glyph),
                  "Kristi o: expected calt's o.alt2 (one of %u %u), got %u alternates, first %u",
                  out[0].glyph, out[1].glyph, n, alts[0]);
    ck_assert_uint_eq(shaper_alternates(k.shaper, glyph_of(k, 'e'), NULL, 0), 0);
    close_font(k);
}
END_TEST

/* Dancing Script's lowercase salt rule: "va" becomes one v_a glyph. Ligatures are not listed as
 * alternates, so the layout only sees it by shaping with "salt". */
START_TEST(dancing_salt_joins_va)
{
    fixture_t f = open_font(DANCING);
    shape_glyph_t out[MAX_GLYPHS];
    ck_assert_uint_eq(shape_ok(f, "va", "en", NULL, out), 2);
    ck_assert_uint_eq(shape_ok(f, "va", "en", "salt", out), 1);
    ck_assert_uint_eq(out[0].cluster, 0);
    ck_assert_uint_eq(shaper_alternates(f.shaper, glyph_of(f, 'v'), NULL, 0), 0);
    close_font(f);
}
END_TEST

/* ---- missing characters, errors and limits ---- */

START_TEST(missing_char_is_notdef)
{
    fixture_t f = open_font(KRISTI);
    shape_glyph_t out[MAX_GLYPHS];
    static const char text[] = "5 \xE2\x82\xAC \342\200\236a"; /* "5 € „a" */
    ck_assert_uint_eq(font_glyph_index(f.font, 0x20AC), 0);
    size_t n = shape_ok(f, text, "de", NULL, out);
    ck_assert_uint_eq(n, 6);
    ck_assert_msg(out[2].glyph == 0 && out[2].cluster == 2,
                  "euro: expected glyph 0 at byte 2, got %u at %u", out[2].glyph, out[2].cluster);
    ck_assert_msg(out[4].glyph == 0 && out[4].cluster == 6,
                  "low quote: expected glyph 0 at byte 6, got %u at %u", out[4].glyph,
                  out[4].cluster);
    ck_assert_uint_ne(out[5].glyph, 0);
    close_font(f);
}
END_TEST

START_TEST(cap_too_small)
{
    fixture_t f = open_font(DEJAVU);
    shape_glyph_t out[MAX_GLYPHS];
    memset(out, 0xA5, sizeof out);
    size_t count = 0;
    int rc = shaper_shape(f.shaper, "Thank you", 9, "en", NULL, out, 3, &count);
    ck_assert_msg(rc == -1 && count == 9, "cap 3: expected -1 needing 9, got %d needing %zu", rc,
                  count);
    const uint8_t *bytes = (const uint8_t *)out;
    for (size_t i = 0; i < sizeof out; i++) {
        ck_assert_msg(bytes[i] == 0xA5, "cap too small: expected out untouched, byte %zu changed",
                      i);
    }
    ck_assert_ptr_nonnull(strstr(shaper_error(f.shaper), "needs 9"));
    rc = shaper_shape(f.shaper, "Thank you", 9, "en", NULL, out, count, &count);
    ck_assert_msg(rc == 0 && count == 9, "cap 9: expected 0 and 9 glyphs, got %d and %zu", rc,
                  count);
    /* Shaped before now (and kept): a small array is still refused the same way. */
    shape_glyph_t small[3];
    memset(small, 0xA5, sizeof small);
    rc = shaper_shape(f.shaper, "Thank you", 9, "en", NULL, small, 3, &count);
    ck_assert_msg(rc == -1 && count == 9, "kept run, cap 3: expected -1 needing 9, got %d, %zu", rc,
                  count);
    ck_assert_msg(((const uint8_t *)small)[0] == 0xA5, "kept run, cap 3: expected out untouched");
    close_font(f);
}
END_TEST

/* Runs shaped again come from the shaper's memo of recent runs: each must equal what a fresh
 * shaper gives, whatever else was shaped in between (more runs than the memo keeps), and runs
 * differing only in language or features must not be taken for each other. */
START_TEST(repeated_runs_match_fresh_shaping)
{
    static const struct {
        const char *text, *lang, *features;
    } runs[] = {{"Thank you", "en", NULL},
                {"Thank you", "de", NULL},
                {"Thank you", "en", "salt"},
                {"Thank you", "en", "-kern"},
                {"Thank you", "en", ""},
                {"Thank you!", "en", NULL},
                {"Vielen Dank f\xC3\xBCr alles", "de", NULL},
                {"tt ll ss", "nl", "calt=0"},
                {"Thank", "en", NULL},
                {"Thank", "en", "calt=0"}}; /* Kristi's calt changes "Thank" */
    enum { RUNS = sizeof runs / sizeof runs[0] };
    fixture_t f = open_font(KRISTI);
    shape_glyph_t want[RUNS][MAX_GLYPHS], got[MAX_GLYPHS];
    size_t nwant[RUNS];
    for (int i = 0; i < RUNS; i++) {
        fixture_t fresh = open_font(KRISTI); /* one per run: it has nothing kept */
        nwant[i] = shape_ok(fresh, runs[i].text, runs[i].lang, runs[i].features, want[i]);
        close_font(fresh);
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < RUNS; i++) {
            size_t n = shape_ok(f, runs[i].text, runs[i].lang, runs[i].features, got);
            ck_assert_msg(n == nwant[i] && memcmp(got, want[i], n * sizeof *got) == 0,
                          "round %d, run %d (\"%s\", %s, %s): expected what a fresh shaper gives",
                          round, i, runs[i].text, runs[i].lang,
                          runs[i].features ? runs[i].features : "NULL");
            /* Other runs in between, enough to push every kept one out by the next round. */
            for (int k = 0; k < 3 * round; k++) {
                char other[32];
                snprintf(other, sizeof other, "other %d %d", i, k);
                shape_ok(f, other, "en", NULL, got);
            }
        }
    }
    close_font(f);
}
END_TEST

START_TEST(invalid_utf8_refused)
{
    fixture_t f = open_font(DANCING);
    shape_glyph_t out[MAX_GLYPHS];
    size_t count = 99;
    int rc = shaper_shape(f.shaper, "Danke \xE2\x82", 8, "de", NULL, out, MAX_GLYPHS, &count);
    ck_assert_msg(rc == -1 && count == 0, "expected -1 with count 0, got %d with %zu", rc, count);
    ck_assert_msg(strstr(shaper_error(f.shaper), "byte 6") != NULL,
                  "expected the error to name byte 6, got \"%s\"", shaper_error(f.shaper));
    rc = shaper_shape(f.shaper, "\xED\xA0\x80", 3, "de", NULL, out, MAX_GLYPHS, &count);
    ck_assert_int_eq(rc, -1);
    close_font(f);
}
END_TEST

#define TEN_A "aaaaaaaaaa"
static const char *const bad_features[] = {
    "salt=", "not a feature!", "salt=1,,kern[", "+", TEN_A TEN_A TEN_A TEN_A TEN_A TEN_A TEN_A,
};
enum { BAD_FEATURES = sizeof bad_features / sizeof bad_features[0] };

START_TEST(bad_feature_strings_refused)
{
    fixture_t f = open_font(DANCING);
    shape_glyph_t out[MAX_GLYPHS];
    size_t count = 99;
    int rc =
        shaper_shape(f.shaper, "Thank you", 9, "en", bad_features[_i], out, MAX_GLYPHS, &count);
    ck_assert_msg(rc == -1 && count == 0, "features \"%s\": expected -1, got %d (%zu glyphs)",
                  bad_features[_i], rc, count);
    ck_assert_ptr_nonnull(strstr(shaper_error(f.shaper), "feature"));
    close_font(f);
}
END_TEST

START_TEST(feature_strings_accepted)
{
    fixture_t f = open_font(DANCING);
    shape_glyph_t a[MAX_GLYPHS], b[MAX_GLYPHS];
    size_t n = shape_ok(f, "Fun", "en", " salt , -kern,", a);
    ck_assert_uint_eq(shape_ok(f, "Fun", "en", "salt=1,kern=0", b), n);
    ck_assert(!runs_differ(a, n, b, n));
    ck_assert_uint_ne(a[0].glyph, glyph_of(f, 'F')); /* F.salt */
    ck_assert_uint_eq(shape_ok(f, "Fun", "en", "", a), n);
    ck_assert_uint_eq(shape_ok(f, "Fun", "en", NULL, b), n);
    ck_assert(!runs_differ(a, n, b, n));
    /* 33 entries are one too many. */
    char many[33 * 6 + 1] = "";
    for (int i = 0; i < 33; i++) {
        strcat(many, "kern,");
    }
    size_t count;
    ck_assert_int_eq(shaper_shape(f.shaper, "Fun", 3, "en", many, a, MAX_GLYPHS, &count), -1);
    many[32 * 5] = '\0';
    ck_assert_int_eq(shaper_shape(f.shaper, "Fun", 3, "en", many, a, MAX_GLYPHS, &count), 0);
    close_font(f);
}
END_TEST

START_TEST(languages)
{
    fixture_t f = open_font(DEJAVU);
    shape_glyph_t a[MAX_GLYPHS], b[MAX_GLYPHS];
    size_t n = shape_ok(f, "Dank je wel", NULL, NULL, a);
    ck_assert_uint_eq(shape_ok(f, "Dank je wel", "", NULL, b), n);
    ck_assert(!runs_differ(a, n, b, n));
    ck_assert_uint_eq(shape_ok(f, "Dank je wel", "nl-BE", NULL, b), n);
    ck_assert_uint_eq(shape_ok(f, "Dank je wel", "en_GB", NULL, b), n);
    size_t count = 99;
    ck_assert_int_eq(shaper_shape(f.shaper, "x", 1, "de;rm", NULL, a, MAX_GLYPHS, &count), -1);
    ck_assert_ptr_nonnull(strstr(shaper_error(f.shaper), "language"));
    ck_assert_int_eq(shaper_shape(f.shaper, "x", 1, "a-very-long-language-tag-beyond-reason", NULL,
                                  a, MAX_GLYPHS, &count),
                     -1);
    close_font(f);
}
END_TEST

START_TEST(empty_run_and_reuse)
{
    fixture_t f = open_font(DANCING);
    shape_glyph_t a[MAX_GLYPHS], b[MAX_GLYPHS];
    size_t count = 99;
    ck_assert_int_eq(shaper_shape(f.shaper, "", 0, "en", NULL, a, 0, &count), 0);
    ck_assert_uint_eq(count, 0);
    /* A long run, then a short one: the reused buffer keeps nothing of the first. */
    size_t n = shape_ok(f, "Thank you", "en", NULL, a);
    shape_ok(f, "Vielen Dank f\xC3\xBCr alles, wirklich alles", "de", "salt", b);
    ck_assert_uint_eq(shape_ok(f, "Thank you", "en", NULL, b), n);
    ck_assert(!runs_differ(a, n, b, n));
    close_font(f);
}
END_TEST

START_TEST(create_errors)
{
    char err[256] = "";
    shaper_free(NULL);
    FILE *fp = fopen(LIKELETTER_TEST_FONT_KRISTI, "rb");
    ck_assert_ptr_nonnull(fp);
    static uint8_t data[1 << 20];
    size_t size = fread(data, 1, sizeof data, fp);
    fclose(fp);
    font_t *font = font_open_memory(data, size, err, sizeof err);
    ck_assert_msg(font != NULL, "font_open_memory: %s", err);
    shaper_t *s = shaper_create(font, err, sizeof err);
    ck_assert_msg(s == NULL && strstr(err, "file") != NULL,
                  "memory font: expected NULL and a message about files, got %p \"%s\"", (void *)s,
                  err);
    ck_assert_ptr_null(shaper_create(font, NULL, 0));
    font_close(font);
}
END_TEST

/* ---- a hostile 1 MB note ---- */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

START_TEST(one_megabyte_note)
{
    const test_font_t *tf = &fonts[_i];
    static const char phrase[] =
        "Vielen Dank f\xC3\xBCr alles! Dank je wel. Thank you, good book. ";
    size_t len = 1 << 20, plen = sizeof phrase - 1;
    char *text = malloc(len);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < len; i++) {
        text[i] = phrase[i % plen];
    }
    len -= len % plen; /* end on a whole phrase */
    size_t cap = len;
    shape_glyph_t *out = malloc(cap * sizeof *out);
    ck_assert_ptr_nonnull(out);
    fixture_t f = open_font(_i);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t off = 0, count = 0;
    ck_assert_int_eq(utf8_control_check(text, len, &off), 0);
    double t_check = seconds_since(&t0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = shaper_shape(f.shaper, text, len, "de", NULL, out, cap, &count);
    double t_shape = seconds_since(&t0);
    fprintf(stderr,
            "check_shape: %s: 1 MB note: control check %.1f ms, shaping %s in %.0f ms, %zu "
            "glyphs%s%s\n",
            tf->name, t_check * 1e3, rc == 0 ? "succeeded" : "failed", t_shape * 1e3, count,
            rc == 0 ? "" : ": ", shaper_error(f.shaper));
    if (rc == 0) {
        ck_assert_msg(count > 0 && count <= len, "expected 1..%zu glyphs, got %zu", len, count);
        /* One assertion, not one per glyph: each passing ck_assert costs Check a write(). */
        size_t bad = 0;
        while (++bad < count && out[bad].cluster >= out[bad - 1].cluster &&
               out[bad].cluster < len) {
        }
        ck_assert_msg(bad >= count, "glyph %zu: cluster %u after %u", bad, out[bad].cluster,
                      out[bad - 1].cluster);
    } else {
        ck_assert_msg(shaper_error(f.shaper)[0] != '\0', "expected a reason for the failure");
    }
    /* The same note with one bad byte at its very end is refused with that offset. */
    text[len - 1] = (char)0xC3;
    ck_assert_int_eq(shaper_shape(f.shaper, text, len, "de", NULL, out, cap, &count), -1);
    char expect[64];
    snprintf(expect, sizeof expect, "byte %zu", len - 1);
    ck_assert_msg(strstr(shaper_error(f.shaper), expect) != NULL, "expected \"%s\" in \"%s\"",
                  expect, shaper_error(f.shaper));
    close_font(f);
    free(out);
    free(text);
}
END_TEST

static Suite *shape_suite(void)
{
    Suite *s = suite_create("shape");
    TCase *tc = tcase_create("strict UTF-8");
    tcase_add_loop_test(tc, utf8_check_table, 0, UTF8_CASES);
    tcase_add_loop_test(tc, utf8_check_every_truncation, 0, (int)sizeof mixed);
    tcase_add_test(tc, utf8_decode_walks);
    suite_add_tcase(s, tc);

    tc = tcase_create("control characters refused");
    tcase_add_loop_test(tc, control_check_table, 0, CONTROL_CASES);
    tcase_add_test(tc, line_breaks);
    suite_add_tcase(s, tc);

    tc = tcase_create("English, German and Dutch notes");
    tcase_add_loop_test(tc, notes_shape_sanely, 0, FONTS * NOTES);
    tcase_add_loop_test(tc, plain_shaping_matches_freetype, 0, FONTS * NOTES);
    suite_add_tcase(s, tc);

    tc = tcase_create("kerning");
    tcase_add_loop_test(tc, kerning_applies_and_can_be_disabled, 0, KERN_PAIRS);
    tcase_add_test(tc, kerning_in_a_phrase);
    suite_add_tcase(s, tc);

    tc = tcase_create("contextual alternates");
    tcase_add_loop_test(tc, kristi_calt_changes_words, 0, CALT_WORDS);
    tcase_add_test(tc, kristi_calt_varies_double_o);
    suite_add_tcase(s, tc);

    tc = tcase_create("stylistic alternates");
    tcase_add_test(tc, feature_presence);
    tcase_add_loop_test(tc, salt_alternates_match_shaping, 0, ALT_CASES);
    tcase_add_test(tc, salt_alternates_edges);
    tcase_add_test(tc, kristi_calt_alternates);
    tcase_add_test(tc, dancing_salt_joins_va);
    suite_add_tcase(s, tc);

    tc = tcase_create("missing characters and bad input");
    tcase_add_test(tc, missing_char_is_notdef);
    tcase_add_test(tc, cap_too_small);
    tcase_add_test(tc, invalid_utf8_refused);
    tcase_add_loop_test(tc, bad_feature_strings_refused, 0, BAD_FEATURES);
    tcase_add_test(tc, feature_strings_accepted);
    tcase_add_test(tc, languages);
    tcase_add_test(tc, empty_run_and_reuse);
    tcase_add_test(tc, repeated_runs_match_fresh_shaping);
    tcase_add_test(tc, create_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("a 1 MB note");
    tcase_add_loop_test(tc, one_megabyte_note, 0, FONTS);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(shape_suite());
}
