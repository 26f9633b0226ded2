/* check_textedit.c - the text being composed: inserts, UTF-8 checks, limits in code points,
 * newlines and control characters, backspace/delete/cursor moves over multi-byte and combining
 * sequences, tap-to-cursor, and loading an autosaved draft. */
#include "likeletter/textedit.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define E_ACUTE_COMBINING "e\xCC\x81" /* e + U+0301 */

static textedit_t *make(size_t chars, size_t bytes, bool multiline)
{
    textedit_t *te = textedit_create(chars, bytes, multiline);
    ck_assert_msg(te != NULL, "textedit_create(%zu, %zu): expected a field, got NULL", chars,
                  bytes);
    return te;
}

static void expect_text(const textedit_t *te, const char *want)
{
    size_t len = 0;
    const char *got = textedit_text(te, &len);
    ck_assert_msg(len == strlen(want) && memcmp(got, want, len) == 0 && got[len] == '\0',
                  "text: expected \"%s\" (%zu bytes), got \"%s\" (%zu bytes)", want, strlen(want),
                  got, len);
}

static void expect_cursor(const textedit_t *te, size_t want)
{
    ck_assert_msg(textedit_cursor(te) == want, "cursor: expected %zu, got %zu", want,
                  textedit_cursor(te));
}

static void insert_ok(textedit_t *te, const char *s)
{
    textedit_status_t st = textedit_insert(te, s, strlen(s));
    ck_assert_msg(st == TEXTEDIT_OK, "insert \"%s\": expected TEXTEDIT_OK, got %d", s, (int)st);
}

static void insert_refused(textedit_t *te, const char *s, size_t len, textedit_status_t want)
{
    size_t before_len = 0;
    char before[64];
    snprintf(before, sizeof before, "%s", textedit_text(te, &before_len));
    size_t cursor = textedit_cursor(te);
    textedit_status_t st = textedit_insert(te, s, len);
    ck_assert_msg(st == want, "insert of %zu bytes: expected %d, got %d", len, (int)want, (int)st);
    if (before_len < sizeof before) {
        expect_text(te, before);
    }
    expect_cursor(te, cursor);
}

/* ---- inserts ---- */

START_TEST(insert_at_start_middle_end)
{
    textedit_t *te = make(100, 400, false);
    insert_ok(te, "Dank");
    textedit_cursor_set(te, 0);
    insert_ok(te, "\xC2\xBB"); /* » */
    expect_text(te, "»Dank");
    expect_cursor(te, 2);
    textedit_cursor_set(te, 3);
    insert_ok(te, "ü");
    expect_text(te, "»Düank");
    expect_cursor(te, 5);
    textedit_cursor_end(te);
    insert_ok(te, "e!");
    expect_text(te, "»Düanke!");
    ck_assert_msg(textedit_chars(te) == 8, "chars: expected 8, got %zu", textedit_chars(te));
    ck_assert_msg(textedit_insert(te, "", 0) == TEXTEDIT_OK, "empty insert: expected OK");
    textedit_free(te);
}
END_TEST

START_TEST(insert_invalid_utf8_refused)
{
    static const char *const bad[] = {
        "\xC0\xAF",         /* overlong '/' */
        "\xED\xA0\x80",     /* surrogate */
        "\xE2\x82",         /* cut short */
        "\x80",             /* lone continuation */
        "\xF4\x90\x80\x80", /* above U+10FFFF */
        "ok\xFF",           /* valid start, bad end: refused whole */
    };
    textedit_t *te = make(100, 400, true);
    insert_ok(te, "abc");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        insert_refused(te, bad[i], strlen(bad[i]), TEXTEDIT_INVALID);
    }
    ck_assert_msg(textedit_insert(te, NULL, 3) == TEXTEDIT_INVALID, "NULL text: expected INVALID");
    textedit_free(te);
}
END_TEST

/* ---- limits ---- */

START_TEST(limit_in_code_points)
{
    textedit_t *te = make(TEXTEDIT_MESSAGE_CHARS, TEXTEDIT_MESSAGE_BYTES, true);
    for (int i = 0; i < TEXTEDIT_MESSAGE_CHARS; i++) {
        ck_assert_msg(textedit_insert(te, "ä", 2) == TEXTEDIT_OK, "'ä' number %d: expected OK",
                      i + 1);
    }
    ck_assert_msg(textedit_chars(te) == 500, "chars: expected 500, got %zu", textedit_chars(te));
    size_t len;
    textedit_text(te, &len);
    ck_assert_msg(len == 1000, "bytes: expected 1000, got %zu", len);
    insert_refused(te, "ä", 2, TEXTEDIT_FULL);
    insert_refused(te, "a", 1, TEXTEDIT_FULL);
    textedit_free(te);
}
END_TEST

START_TEST(limit_emoji_and_whole_refusal)
{
    textedit_t *te = make(TEXTEDIT_MESSAGE_CHARS, TEXTEDIT_MESSAGE_BYTES, false);
    for (int i = 0; i < 499; i++) {
        ck_assert_msg(textedit_insert(te, "😀", 4) == TEXTEDIT_OK, "emoji %d: expected OK", i + 1);
    }
    /* Two code points with room for one: nothing goes in. */
    insert_refused(te, "ab", 2, TEXTEDIT_FULL);
    ck_assert_msg(textedit_chars(te) == 499, "chars: expected 499, got %zu", textedit_chars(te));
    insert_ok(te, "😀");
    ck_assert_msg(textedit_chars(te) == 500, "chars: expected 500, got %zu", textedit_chars(te));
    textedit_free(te);
}
END_TEST

START_TEST(limit_byte_cap)
{
    /* A name: 60 code points but 200 bytes, the card's cap. */
    textedit_t *te = make(TEXTEDIT_NAME_CHARS, TEXTEDIT_NAME_BYTES, false);
    for (int i = 0; i < 50; i++) {
        insert_ok(te, "😀");
    }
    insert_refused(te, "a", 1, TEXTEDIT_FULL);
    ck_assert_msg(textedit_chars(te) == 50, "chars: expected 50, got %zu", textedit_chars(te));
    textedit_free(te);
}
END_TEST

START_TEST(create_limits_checked)
{
    ck_assert_msg(textedit_create(0, 10, false) == NULL, "0 chars: expected NULL");
    ck_assert_msg(textedit_create(10, 0, false) == NULL, "0 bytes: expected NULL");
    ck_assert_msg(textedit_create(10, TEXTEDIT_BYTES_MAX + 1, false) == NULL,
                  "too many bytes: expected NULL");
    textedit_free(NULL);
}
END_TEST

/* ---- newlines and control characters ---- */

START_TEST(newline_only_multiline)
{
    textedit_t *one = make(60, 200, false);
    textedit_t *many = make(2000, 8000, true);
    insert_refused(one, "a\nb", 3, TEXTEDIT_INVALID);
    insert_refused(one, "\xE2\x80\xA8", 3, TEXTEDIT_INVALID); /* U+2028 */
    insert_ok(many, "Liebe Anna,\nDanke!");
    expect_text(many, "Liebe Anna,\nDanke!");
    textedit_free(one);
    textedit_free(many);
}
END_TEST

START_TEST(controls_refused)
{
    static const char *const controls[] = {"\t",   "\r",       "\x01",    "\x1B",
                                           "\x7F", "\xC2\x85", "\xC2\x9F"};
    textedit_t *te = make(2000, 8000, true);
    insert_ok(te, "x");
    for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++) {
        insert_refused(te, controls[i], strlen(controls[i]), TEXTEDIT_INVALID);
    }
    insert_refused(te, "a\0b", 3, TEXTEDIT_INVALID); /* an embedded NUL */
    textedit_free(te);
}
END_TEST

/* ---- backspace and delete ---- */

START_TEST(backspace_multibyte)
{
    textedit_t *te = make(100, 400, false);
    insert_ok(te, "aß€😀");
    static const char *const after[] = {"aß€", "aß", "a", ""};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_msg(textedit_backspace(te), "backspace %zu: expected true", i + 1);
        expect_text(te, after[i]);
        ck_assert_msg(textedit_chars(te) == 3 - i, "chars: expected %zu, got %zu", 3 - i,
                      textedit_chars(te));
    }
    ck_assert_msg(!textedit_backspace(te), "backspace at start: expected false");
    textedit_free(te);
}
END_TEST

START_TEST(backspace_combining)
{
    textedit_t *te = make(100, 400, false);
    insert_ok(te, "caf" E_ACUTE_COMBINING);
    ck_assert_msg(textedit_chars(te) == 5, "chars: expected 5, got %zu", textedit_chars(te));
    textedit_backspace(te);
    expect_text(te, "caf");
    /* Two marks on one base, then an emoji with a skin tone, then a ZWJ family. */
    insert_ok(te, "e\xCC\x81\xCC\x82");
    textedit_backspace(te);
    expect_text(te, "caf");
    insert_ok(te, "\U0001F44D\U0001F3FD"); /* thumbs up, medium skin */
    textedit_backspace(te);
    expect_text(te, "caf");
    insert_ok(te, "\U0001F469\u200D\U0001F469\u200D\U0001F467"); /* a ZWJ family */
    textedit_backspace(te);
    expect_text(te, "caf");
    textedit_free(te);
}
END_TEST

START_TEST(delete_forward_combining)
{
    textedit_t *te = make(100, 400, false);
    insert_ok(te, "x" E_ACUTE_COMBINING "y");
    textedit_cursor_set(te, 1);
    ck_assert_msg(textedit_delete(te), "delete: expected true");
    expect_text(te, "xy");
    expect_cursor(te, 1);
    textedit_cursor_end(te);
    ck_assert_msg(!textedit_delete(te), "delete at end: expected false");
    textedit_free(te);
}
END_TEST

/* ---- cursor ---- */

START_TEST(cursor_moves_by_character)
{
    /* a | e+U+0301 | € | 😀 : boundaries 0 1 4 7 11 */
    static const size_t bounds[] = {0, 1, 4, 7, 11};
    textedit_t *te = make(100, 400, false);
    insert_ok(te, "a" E_ACUTE_COMBINING "€😀");
    textedit_cursor_set(te, 0);
    for (size_t i = 1; i < 5; i++) {
        ck_assert_msg(textedit_cursor_right(te), "right %zu: expected true", i);
        expect_cursor(te, bounds[i]);
    }
    ck_assert_msg(!textedit_cursor_right(te), "right at end: expected false");
    for (size_t i = 4; i-- > 0;) {
        ck_assert_msg(textedit_cursor_left(te), "left: expected true");
        expect_cursor(te, bounds[i]);
    }
    ck_assert_msg(!textedit_cursor_left(te), "left at start: expected false");
    textedit_free(te);
}
END_TEST

START_TEST(cursor_set_snaps)
{
    textedit_t *te = make(100, 400, false);
    insert_ok(te, "a" E_ACUTE_COMBINING "€");
    static const size_t in[] = {0, 1, 2, 3, 4, 5, 6, 7, 99};
    static const size_t want[] = {0, 1, 1, 1, 4, 4, 4, 7, 7};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        size_t got = textedit_cursor_set(te, in[i]);
        ck_assert_msg(got == want[i], "set %zu: expected %zu, got %zu", in[i], want[i], got);
    }
    textedit_free(te);
}
END_TEST

START_TEST(cursor_home_end)
{
    textedit_t *te = make(100, 400, true);
    insert_ok(te, "ab\ncdé\nf");
    textedit_cursor_set(te, 4);
    textedit_cursor_home(te);
    expect_cursor(te, 3);
    textedit_cursor_end(te);
    expect_cursor(te, 7);
    textedit_cursor_set(te, 0);
    textedit_cursor_end(te);
    expect_cursor(te, 2);
    textedit_free(te);
}
END_TEST

/* ---- tap to cursor ---- */

/* "ab\ncd": line 1 at y 0..10 (a 0..10, b 10..20, the break at 20), line 2 at y 10..20. */
static const textedit_box_t two_lines[] = {
    {0, 0, 0, 10, 10},  {1, 10, 0, 10, 10},  {2, 20, 0, 0, 10},
    {3, 0, 10, 10, 10}, {4, 10, 10, 10, 10},
};

START_TEST(tap_nearest_boundary)
{
    static const struct {
        double x, y;
        size_t want;
    } taps[] = {
        {3, 5, 0},  {7, 5, 1},    {14, 5, 1},  {17, 5, 2},  {40, 5, 2},
        {3, 15, 3}, {100, 15, 5}, {5, -50, 0}, {12, 99, 4}, {16, 99, 5},
    };
    textedit_t *te = make(100, 400, true);
    insert_ok(te, "ab\ncd");
    for (size_t i = 0; i < sizeof taps / sizeof taps[0]; i++) {
        size_t got = textedit_cursor_tap(te, two_lines, 5, taps[i].x, taps[i].y);
        ck_assert_msg(got == taps[i].want, "tap (%g, %g): expected %zu, got %zu", taps[i].x,
                      taps[i].y, taps[i].want, got);
        expect_cursor(te, taps[i].want);
    }
    textedit_free(te);
}
END_TEST

START_TEST(tap_combining_and_bad_boxes)
{
    textedit_t *te = make(100, 400, false);
    insert_ok(te, E_ACUTE_COMBINING "x");
    /* One box per visible character; a box inside the cluster and hostile boxes are handled. */
    const textedit_box_t boxes[] = {
        {0, 0, 0, 10, 10}, {3, 10, 0, 10, 10}, {2, 0, 0, 1, 10},
        {99, 9, 0, 1, 10}, {1, NAN, 0, 1, 10},
    };
    size_t got = textedit_cursor_tap(te, boxes, 5, 9, 5);
    ck_assert_msg(got == 3, "tap right of é: expected 3, got %zu", got);
    got = textedit_cursor_tap(te, boxes, 5, 0.2, 5);
    ck_assert_msg(got == 0, "tap left of é: expected 0, got %zu", got);
    got = textedit_cursor_tap(te, boxes, 0, 9, 5);
    ck_assert_msg(got == 0, "no boxes: expected the cursor unchanged (0), got %zu", got);
    textedit_free(te);
}
END_TEST

/* ---- layout ---- */

/* A monospace measure: every character (code point that is not a combining mark) 1 wide. */
static double mono(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    double w = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        bool mark = c == 0xCC && i + 1 < len; /* U+0300..U+033F: no width */
        w += (c & 0xC0) != 0x80 && !mark;
    }
    return w;
}

/* The lines of text wrapped at width, as "line|line|line". */
static void expect_wrap(const char *text, double width, const char *want)
{
    textedit_t *te = make(1000, 4000, true);
    if (text[0]) {
        insert_ok(te, text);
    }
    textedit_line_t lines[64];
    size_t n = textedit_wrap(te, width, mono, NULL, lines, 64);
    char got[512] = "";
    for (size_t i = 0; i < n && i < 64; i++) {
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s%.*s", i ? "|" : "", (int)lines[i].len,
                 text + lines[i].start);
    }
    ck_assert_msg(strcmp(got, want) == 0, "\"%s\" at %g: expected \"%s\", got \"%s\"", text, width,
                  want, got);
    textedit_free(te);
}

START_TEST(wrap_at_spaces_and_breaks)
{
    expect_wrap("", 10, "");
    expect_wrap("short", 10, "short");
    expect_wrap("one two three four", 9, "one two |three |four");
    expect_wrap("one   two", 4, "one   |two"); /* spaces hang past the width */
    expect_wrap("a\nb\n", 10, "a|b|");
    expect_wrap("\n\n", 10, "||");
    expect_wrap("abcdefghij", 4, "abcd|efgh|ij"); /* a word wider than a line */
    expect_wrap("ab abcdefgh", 4, "ab |abcd|efgh");
    expect_wrap("abc", 0, "a|b|c"); /* one character per line at least */
    expect_wrap("gr\xc3\xbc\xc3\x9f" E_ACUTE_COMBINING "x", 3,
                "gr\xc3\xbc|\xc3\x9f" E_ACUTE_COMBINING "x"); /* never inside a character */
}
END_TEST

START_TEST(wrap_cap_counts_all)
{
    textedit_t *te = make(1000, 4000, true);
    insert_ok(te, "a b c d e f");
    textedit_line_t lines[2];
    size_t n = textedit_wrap(te, 1, mono, NULL, lines, 2);
    ck_assert_msg(n == 6, "six one-letter lines: expected 6, got %zu", n);
    ck_assert_msg(lines[1].start == 2 && lines[1].len == 2, "line 2: expected \"b \", got %zu+%zu",
                  lines[1].start, lines[1].len);
    textedit_free(te);
}
END_TEST

START_TEST(caret_line_and_tap_through_boxes)
{
    textedit_t *te = make(1000, 4000, true);
    insert_ok(te, "one two\nthree");
    textedit_line_t lines[8];
    size_t n = textedit_wrap(te, 5, mono, NULL, lines, 8); /* "one |two|three" */
    ck_assert_msg(n == 3, "lines: expected 3, got %zu", n);
    textedit_cursor_set(te, 4); /* after the space that wrapped: the next line's start */
    ck_assert_int_eq(textedit_cursor_line(te, lines, n), 1);
    textedit_cursor_set(te, 3);
    ck_assert_int_eq(textedit_cursor_line(te, lines, n), 0);
    textedit_cursor_set(te, 13);
    ck_assert_int_eq(textedit_cursor_line(te, lines, n), 2);

    /* Boxes 1 wide (mono), lines 20 high from (100, 50); a tap finds the nearest boundary. */
    textedit_box_t boxes[32];
    size_t nb = textedit_boxes(te, lines, 0, n, 100, 50, 20, mono, NULL, boxes, 32);
    ck_assert_msg(nb == 13, "boxes: expected 12 characters and 1 line break, got %zu", nb);
    static const struct {
        double x, y;
        size_t want;
    } taps[] = {{100.2, 55, 0}, {100.9, 55, 1}, {103.9, 55, 4},  {100.8, 75, 5},
                {150, 75, 7},   {100, 95, 8},   {104.9, 95, 13}, {500, 500, 13}};
    for (size_t i = 0; i < sizeof taps / sizeof taps[0]; i++) {
        size_t got = textedit_cursor_tap(te, boxes, nb, taps[i].x, taps[i].y);
        ck_assert_msg(got == taps[i].want, "tap (%g, %g): expected %zu, got %zu", taps[i].x,
                      taps[i].y, taps[i].want, got);
    }
    /* Only the lines shown (the second and third, scrolled) get boxes. */
    nb = textedit_boxes(te, lines, 1, 2, 100, 50, 20, mono, NULL, boxes, 32);
    ck_assert_msg(nb == 9 && boxes[0].offset == 4 && boxes[0].y == 50, "scrolled boxes: got %zu",
                  nb);
    nb = textedit_boxes(te, lines, 0, n, 100, 50, 20, mono, NULL, boxes, 5);
    ck_assert_msg(nb == 5, "a full box array: expected 5, got %zu", nb);
    textedit_free(te);
}
END_TEST

/* ---- drafts ---- */

START_TEST(load_draft)
{
    textedit_t *te = make(2000, 8000, true);
    ck_assert_msg(textedit_load(te, "Liebe Grüße\n", 14) == TEXTEDIT_OK, "load: expected OK");
    expect_text(te, "Liebe Grüße\n");
    expect_cursor(te, 14);
    ck_assert_msg(textedit_load(te, "bad \xC3", 5) == TEXTEDIT_INVALID,
                  "cut UTF-8: expected INVALID");
    ck_assert_msg(textedit_load(te, "bell\x07", 5) == TEXTEDIT_INVALID, "BEL: expected INVALID");
    expect_text(te, "Liebe Grüße\n");
    textedit_clear(te);
    expect_text(te, "");
    expect_cursor(te, 0);
    textedit_free(te);
}
END_TEST

START_TEST(load_too_long)
{
    textedit_t *te = make(5, 100, false);
    ck_assert_msg(textedit_load(te, "abcdef", 6) == TEXTEDIT_FULL, "6 of 5: expected FULL");
    ck_assert_msg(textedit_load(te, "äöüßé", 10) == TEXTEDIT_OK, "5 of 5: expected OK");
    textedit_free(te);
}
END_TEST

/* A draft cut at every byte: accepted exactly when the cut falls on a code point boundary. */
static const char draft[] = "Grüße 😀 ĳs";

START_TEST(load_truncated_draft)
{
    size_t cut = (size_t)_i;
    bool boundary = cut == sizeof draft - 1 || ((unsigned char)draft[cut] & 0xC0) != 0x80;
    textedit_t *te = make(100, 400, false);
    textedit_status_t st = textedit_load(te, draft, cut);
    ck_assert_msg((st == TEXTEDIT_OK) == boundary, "cut at %zu: expected %s, got %d", cut,
                  boundary ? "OK" : "INVALID", (int)st);
    textedit_free(te);
}
END_TEST

/* Adds a tcase named for a behaviour to s and returns it. */
static TCase *behaviour(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    suite_add_tcase(s, tc);
    return tc;
}

static Suite *textedit_suite(void)
{
    Suite *s = suite_create("textedit");
    tcase_add_test(behaviour(s, "inserts"), insert_at_start_middle_end);
    tcase_add_test(behaviour(s, "UTF-8 validity"), insert_invalid_utf8_refused);
    TCase *tc = behaviour(s, "limits in code points");
    tcase_add_test(tc, limit_in_code_points);
    tcase_add_test(tc, limit_emoji_and_whole_refusal);
    tcase_add_test(tc, limit_byte_cap);
    tcase_add_test(tc, create_limits_checked);
    tc = behaviour(s, "newlines and controls");
    tcase_add_test(tc, newline_only_multiline);
    tcase_add_test(tc, controls_refused);
    tc = behaviour(s, "backspace and delete");
    tcase_add_test(tc, backspace_multibyte);
    tcase_add_test(tc, backspace_combining);
    tcase_add_test(tc, delete_forward_combining);
    tc = behaviour(s, "cursor moves");
    tcase_add_test(tc, cursor_moves_by_character);
    tcase_add_test(tc, cursor_set_snaps);
    tcase_add_test(tc, cursor_home_end);
    tc = behaviour(s, "tap to cursor");
    tcase_add_test(tc, tap_nearest_boundary);
    tcase_add_test(tc, tap_combining_and_bad_boxes);
    tc = behaviour(s, "layout");
    tcase_add_test(tc, wrap_at_spaces_and_breaks);
    tcase_add_test(tc, wrap_cap_counts_all);
    tcase_add_test(tc, caret_line_and_tap_through_boxes);
    tc = behaviour(s, "drafts");
    tcase_add_test(tc, load_draft);
    tcase_add_test(tc, load_too_long);
    tcase_add_loop_test(behaviour(s, "truncated drafts"), load_truncated_draft, 0,
                        (int)sizeof draft);
    return s;
}

int main(void)
{
    return testutil_suite_run(textedit_suite());
}
