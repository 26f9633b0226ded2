/* check_keyboard.c - the on-screen keyboard's model: each layout's rows and the UTF-8 its keys
 * type, the punctuation every layout must reach, geometry and hit-testing, shift and caps lock,
 * long-press accents, backspace repeat timing and sliding between keys. Times are made up: the
 * protocol takes them from the caller. */
#include "likeletter/keyboard.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const layout_names[] = {"en", "de", "nl"};

static keyboard_t *make(keyboard_layout_t layout)
{
    keyboard_t *kb = keyboard_create(layout);
    ck_assert_msg(kb != NULL, "keyboard_create(%d): expected a keyboard, got NULL", (int)layout);
    return kb;
}

/* The index of the key of kind (and, for CHAR, text) on the current page, or a failed test. */
static int find_key(const keyboard_t *kb, keyboard_key_kind_t kind, const char *text)
{
    const keyboard_key_t *keys;
    size_t count;
    keyboard_keys(kb, &keys, &count, NULL);
    for (size_t i = 0; i < count; i++) {
        if (keys[i].kind == kind && (text == NULL || strcmp(keys[i].text, text) == 0)) {
            return (int)i;
        }
    }
    ck_abort_msg("key kind %d \"%s\": expected on page %d, not found", (int)kind, text ? text : "",
                 (int)keyboard_page(kb));
    return -1;
}

static void center(const keyboard_t *kb, int k, double *x, double *y)
{
    const keyboard_key_t *keys;
    size_t count;
    keyboard_keys(kb, &keys, &count, NULL);
    *x = keys[k].rect.x + keys[k].rect.w / 2;
    *y = keys[k].rect.y + keys[k].rect.h / 2;
}

/* Taps key k: press at t, release 50 ms later at the same point. */
static keyboard_action_t tap(keyboard_t *kb, int k, int64_t t)
{
    double x, y;
    center(kb, k, &x, &y);
    keyboard_action_t a = keyboard_press(kb, x, y, t);
    ck_assert_msg(a.kind == KEYBOARD_ACTION_NONE, "press: expected no action, got %d", (int)a.kind);
    return keyboard_release(kb, x, y, t + 50);
}

static keyboard_action_t tap_char(keyboard_t *kb, const char *text, int64_t t)
{
    return tap(kb, find_key(kb, KEYBOARD_KEY_CHAR, text), t);
}

static void expect_insert(keyboard_action_t a, const char *want)
{
    ck_assert_msg(a.kind == KEYBOARD_ACTION_INSERT && strcmp(a.text, want) == 0,
                  "expected INSERT \"%s\", got kind %d \"%s\"", want, (int)a.kind, a.text);
}

static void expect_action(keyboard_action_t a, keyboard_action_kind_t kind, unsigned count,
                          const char *when)
{
    ck_assert_msg(a.kind == kind && a.count == count, "%s: expected action %d x%u, got %d x%u",
                  when, (int)kind, count, (int)a.kind, a.count);
}

/* The character keys of row r of the current page, concatenated. */
static void row_text(const keyboard_t *kb, size_t r, char *out, size_t outlen)
{
    const keyboard_key_t *keys;
    size_t count, rows;
    keyboard_keys(kb, &keys, &count, &rows);
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t kr = (size_t)(keys[i].rect.y * (double)rows);
        if (kr == r && keys[i].kind == KEYBOARD_KEY_CHAR) {
            strncat(out, keys[i].text, outlen - strlen(out) - 1);
        }
    }
}

static void expect_row(const keyboard_t *kb, size_t r, const char *want)
{
    char got[128];
    row_text(kb, r, got, sizeof got);
    ck_assert_msg(strcmp(got, want) == 0, "layout %s row %zu: expected \"%s\", got \"%s\"",
                  layout_names[keyboard_layout(kb)], r + 1, want, got);
}

/* ---- layouts ---- */

START_TEST(letter_rows)
{
    static const char *const want[3][3] = {
        {"qwertyuiop", "asdfghjkl", "zxcvbnm"},
        {"qwertzuiopü", "asdfghjklöä", "yxcvbnmß"},
        {"qwertyuiop", "asdfghjkl", "zxcvbnm"},
    };
    for (int l = 0; l < 3; l++) {
        keyboard_t *kb = make((keyboard_layout_t)l);
        for (size_t r = 0; r < 3; r++) {
            expect_row(kb, r, want[l][r]);
        }
        keyboard_free(kb);
    }
}
END_TEST

START_TEST(german_umlauts_on_letters)
{
    static const char *const umlauts[] = {"ä", "ö", "ü", "ß"};
    keyboard_t *kb = make(KEYBOARD_DE);
    for (size_t i = 0; i < 4; i++) {
        expect_insert(tap_char(kb, umlauts[i], (int64_t)i * 1000), umlauts[i]);
    }
    /* Shifted, they are capitals; ß stays ß. */
    tap(kb, find_key(kb, KEYBOARD_KEY_SHIFT, NULL), 10000);
    expect_insert(tap_char(kb, "Ü", 11000), "Ü");
    tap(kb, find_key(kb, KEYBOARD_KEY_SHIFT, NULL), 12000);
    expect_insert(tap_char(kb, "ß", 13000), "ß");
    keyboard_free(kb);
}
END_TEST

/* Every character key of every page types exactly its label (loop over layouts). */
START_TEST(every_key_types_its_text)
{
    keyboard_t *kb = make((keyboard_layout_t)_i);
    int64_t t = 0;
    for (int page = 0; page < 3; page++) {
        if (page == 1) {
            keyboard_shift_set(kb, KEYBOARD_SHIFT_LOCK);
        } else if (page == 2) {
            keyboard_shift_set(kb, KEYBOARD_SHIFT_OFF);
            tap(kb, find_key(kb, KEYBOARD_KEY_SYMBOLS, NULL), t);
        }
        const keyboard_key_t *keys;
        size_t count;
        keyboard_keys(kb, &keys, &count, NULL);
        for (size_t i = 0; i < count; i++) {
            if (keys[i].kind != KEYBOARD_KEY_CHAR) {
                continue;
            }
            char want[KEYBOARD_TEXT_MAX];
            snprintf(want, sizeof want, "%s", keys[i].text);
            t += 1000;
            expect_insert(tap(kb, (int)i, t), want);
        }
    }
    keyboard_free(kb);
}
END_TEST

/* „ “ ” ‘ ’ € – — and the common punctuation and digits are keys on some page of every layout. */
START_TEST(punctuation_reachable)
{
    static const char *const need[] = {"„", "“", "”",  "‘", "’", "€", "–", "—", ".", ",", "?",
                                       "!", "'", "\"", "-", ":", ";", "(", ")", "@", "&", "/",
                                       "0", "1", "2",  "3", "4", "5", "6", "7", "8", "9"};
    keyboard_t *kb = make((keyboard_layout_t)_i);
    char all[1024] = "";
    for (int page = 0; page < 2; page++) {
        const keyboard_key_t *keys;
        size_t count;
        keyboard_keys(kb, &keys, &count, NULL);
        for (size_t i = 0; i < count; i++) {
            if (keys[i].kind == KEYBOARD_KEY_CHAR) {
                strncat(all, keys[i].text, sizeof all - strlen(all) - 1);
                strncat(all, "|", sizeof all - strlen(all) - 1);
            }
        }
        if (page == 0) {
            tap(kb, find_key(kb, KEYBOARD_KEY_SYMBOLS, NULL), 0);
        }
    }
    ck_assert_msg(keyboard_page(kb) == KEYBOARD_PAGE_SYMBOLS, "page: expected symbols, got %d",
                  (int)keyboard_page(kb));
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        char key[16];
        snprintf(key, sizeof key, "|%s|", need[i]);
        char hay[1100];
        snprintf(hay, sizeof hay, "|%s", all);
        ck_assert_msg(strstr(hay, key) != NULL, "layout %s: expected a key \"%s\", keys: %s",
                      layout_names[_i], need[i], all);
    }
    keyboard_free(kb);
}
END_TEST

START_TEST(layout_set_keeps_page)
{
    keyboard_t *kb = make(KEYBOARD_EN);
    tap(kb, find_key(kb, KEYBOARD_KEY_SYMBOLS, NULL), 0);
    ck_assert_msg(keyboard_layout_set(kb, KEYBOARD_DE) == 0, "layout_set DE: expected 0");
    ck_assert_msg(keyboard_page(kb) == KEYBOARD_PAGE_SYMBOLS,
                  "page after layout_set: expected "
                  "symbols, got %d",
                  (int)keyboard_page(kb));
    tap(kb, find_key(kb, KEYBOARD_KEY_LETTERS, NULL), 1000);
    expect_row(kb, 0, "qwertzuiopü");
    ck_assert_msg(keyboard_layout_set(kb, (keyboard_layout_t)7) == -1, "layout 7: expected -1");
    ck_assert_msg(keyboard_create((keyboard_layout_t)7) == NULL, "create 7: expected NULL");
    keyboard_free(kb);
}
END_TEST

/* ---- geometry ---- */

static bool overlap(const keyboard_rect_t *a, const keyboard_rect_t *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void check_geometry(const keyboard_t *kb, const char *what)
{
    const keyboard_key_t *keys;
    size_t count, rows;
    keyboard_keys(kb, &keys, &count, &rows);
    ck_assert_msg(count > 0 && count <= KEYBOARD_KEYS_MAX && rows == 4,
                  "%s: expected 1..%d keys in 4 rows, got %zu in %zu", what, KEYBOARD_KEYS_MAX,
                  count, rows);
    for (size_t i = 0; i < count; i++) {
        const keyboard_rect_t *r = &keys[i].rect;
        ck_assert_msg(
            r->x >= 0 && r->y >= 0 && r->w > 0 && r->h > 0 && r->x + r->w <= 1 && r->y + r->h <= 1,
            "%s key %zu: expected inside 0..1, got %g,%g %gx%g", what, i, r->x, r->y, r->w, r->h);
        for (size_t j = i + 1; j < count; j++) {
            ck_assert_msg(!overlap(r, &keys[j].rect), "%s: keys %zu and %zu overlap", what, i, j);
        }
        double x, y;
        center(kb, (int)i, &x, &y);
        int hit = keyboard_hit(kb, x, y);
        ck_assert_msg(hit == (int)i, "%s: center of key %zu: expected hit %zu, got %d", what, i, i,
                      hit);
    }
}

/* Every point of a fine grid hits one key, and it is the nearest key of its row. */
static void check_grid(const keyboard_t *kb, const char *what)
{
    const keyboard_key_t *keys;
    size_t count, rows;
    keyboard_keys(kb, &keys, &count, &rows);
    for (int gy = 0; gy <= 100; gy++) {
        for (int gx = 0; gx <= 200; gx++) {
            double x = gx / 200.0, y = gy / 100.0;
            int hit = keyboard_hit(kb, x, y);
            ck_assert_msg(hit >= 0 && hit < (int)count, "%s (%g, %g): expected a key, got %d", what,
                          x, y, hit);
            const keyboard_rect_t *r = &keys[hit].rect;
            size_t row = y >= 1.0 ? rows - 1 : (size_t)(y * (double)rows);
            ck_assert_msg((size_t)(r->y * (double)rows) == row,
                          "%s (%g, %g): expected a key of row %zu", what, x, y, row);
            double d = fmax(fmax(r->x - x, x - r->x - r->w), 0);
            for (size_t j = 0; j < count; j++) {
                const keyboard_rect_t *o = &keys[j].rect;
                if ((size_t)(o->y * (double)rows) == row) {
                    ck_assert_msg(fmax(fmax(o->x - x, x - o->x - o->w), 0) >= d - 1e-12,
                                  "%s (%g, %g): key %zu is nearer than hit %d", what, x, y, j, hit);
                }
            }
        }
    }
}

START_TEST(geometry_every_page)
{
    keyboard_t *kb = make((keyboard_layout_t)_i);
    static const char *const pages[] = {"letters", "shifted", "symbols"};
    for (int page = 0; page < 3; page++) {
        if (page == 1) {
            keyboard_shift_set(kb, KEYBOARD_SHIFT_ONCE);
        } else if (page == 2) {
            keyboard_shift_set(kb, KEYBOARD_SHIFT_OFF);
            tap(kb, find_key(kb, KEYBOARD_KEY_SYMBOLS, NULL), 0);
        }
        char what[64];
        snprintf(what, sizeof what, "%s %s", layout_names[_i], pages[page]);
        check_geometry(kb, what);
        check_grid(kb, what);
    }
    double w, h;
    keyboard_min_key_size(kb, &w, &h);
    ck_assert_msg(w > 0.07 && w < 0.1 && h > 0.2 && h < 0.25,
                  "min key size: expected about 0.08 x 0.22, got %g x %g", w, h);
    keyboard_free(kb);
}
END_TEST

START_TEST(hit_between_and_outside)
{
    keyboard_t *kb = make(KEYBOARD_EN);
    int q = find_key(kb, KEYBOARD_KEY_CHAR, "q"), w = find_key(kb, KEYBOARD_KEY_CHAR, "w");
    const keyboard_key_t *keys;
    size_t count;
    keyboard_keys(kb, &keys, &count, NULL);
    double gap_mid = (keys[q].rect.x + keys[q].rect.w + keys[w].rect.x) / 2;
    double y = keys[q].rect.y + keys[q].rect.h / 2;
    int left = keyboard_hit(kb, gap_mid - 1e-6, y), right = keyboard_hit(kb, gap_mid + 1e-6, y);
    ck_assert_msg(left == q && right == w, "gap q|w: expected %d then %d, got %d then %d", q, w,
                  left, right);
    /* Left of 'a' (the row is indented) still hits 'a'. */
    int a = find_key(kb, KEYBOARD_KEY_CHAR, "a");
    int got = keyboard_hit(kb, 0.001, keys[a].rect.y + 0.01);
    ck_assert_msg(got == a, "left margin of row 2: expected a (%d), got %d", a, got);
    static const double outside[][2] = {{-0.01, 0.5}, {1.01, 0.5}, {0.5, -0.01}, {0.5, 1.01},
                                        {NAN, 0.5},   {0.5, NAN},  {INFINITY, 0}};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        got = keyboard_hit(kb, outside[i][0], outside[i][1]);
        ck_assert_msg(got == -1, "(%g, %g): expected -1, got %d", outside[i][0], outside[i][1],
                      got);
    }
    keyboard_free(kb);
}
END_TEST

/* ---- shift ---- */

START_TEST(shift_one_shot)
{
    keyboard_t *kb = make(KEYBOARD_EN);
    int shift = find_key(kb, KEYBOARD_KEY_SHIFT, NULL);
    tap(kb, shift, 0);
    ck_assert_msg(keyboard_shift(kb) == KEYBOARD_SHIFT_ONCE &&
                      keyboard_page(kb) == KEYBOARD_PAGE_SHIFTED,
                  "after shift: expected once/shifted, got %d/%d", (int)keyboard_shift(kb),
                  (int)keyboard_page(kb));
    expect_insert(tap_char(kb, "H", 1000), "H");
    ck_assert_msg(keyboard_page(kb) == KEYBOARD_PAGE_LETTERS,
                  "after one letter: expected "
                  "letters, got %d",
                  (int)keyboard_page(kb));
    expect_insert(tap_char(kb, "i", 2000), "i");
    /* A slow second tap turns shift off again instead of locking. */
    tap(kb, shift, 3000);
    tap(kb, shift, 4000);
    ck_assert_msg(keyboard_shift(kb) == KEYBOARD_SHIFT_OFF, "slow double tap: expected off, got %d",
                  (int)keyboard_shift(kb));
    keyboard_free(kb);
}
END_TEST

START_TEST(shift_caps_lock)
{
    keyboard_t *kb = make(KEYBOARD_EN);
    int shift = find_key(kb, KEYBOARD_KEY_SHIFT, NULL);
    tap(kb, shift, 0);
    tap(kb, shift, 200);
    ck_assert_msg(keyboard_shift(kb) == KEYBOARD_SHIFT_LOCK, "double tap: expected lock, got %d",
                  (int)keyboard_shift(kb));
    expect_insert(tap_char(kb, "O", 1000), "O");
    expect_insert(tap_char(kb, "K", 2000), "K");
    ck_assert_msg(keyboard_page(kb) == KEYBOARD_PAGE_SHIFTED,
                  "caps lock after two letters: "
                  "expected shifted, got %d",
                  (int)keyboard_page(kb));
    tap(kb, shift, 3000);
    ck_assert_msg(keyboard_shift(kb) == KEYBOARD_SHIFT_OFF, "tap in lock: expected off, got %d",
                  (int)keyboard_shift(kb));
    keyboard_free(kb);
}
END_TEST

/* ---- long press ---- */

static void expect_choices(const keyboard_popup_t *p, const char *const want[], size_t n)
{
    ck_assert_msg(p != NULL, "popup: expected open, got NULL");
    ck_assert_msg(p->count == n, "popup: expected %zu choices, got %zu", n, p->count);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(strcmp(p->choices[i], want[i]) == 0,
                      "choice %zu: expected \"%s\", got \"%s\"", i, want[i], p->choices[i]);
    }
}

/* Presses key text at t 0 and ticks past the long press; returns the open popup. */
static const keyboard_popup_t *long_press(keyboard_t *kb, const char *text)
{
    double x, y;
    center(kb, find_key(kb, KEYBOARD_KEY_CHAR, text), &x, &y);
    keyboard_press(kb, x, y, 0);
    expect_action(keyboard_tick(kb, 449), KEYBOARD_ACTION_NONE, 0, "tick 449");
    ck_assert_msg(keyboard_popup(kb) == NULL, "popup at 449 ms: expected closed");
    expect_action(keyboard_tick(kb, 450), KEYBOARD_ACTION_NONE, 0, "tick 450");
    return keyboard_popup(kb);
}

static void choice_center(const keyboard_popup_t *p, size_t i, double *x, double *y)
{
    *x = p->rects[i].x + p->rects[i].w / 2;
    *y = p->rects[i].y + p->rects[i].h / 2;
}

START_TEST(long_press_commits_accent)
{
    static const char *const e[] = {"é", "è", "ê", "ë", "ē"};
    keyboard_t *kb = make(KEYBOARD_EN);
    const keyboard_popup_t *p = long_press(kb, "e");
    expect_choices(p, e, 5);
    ck_assert_msg(p->selected == 0, "selected on open: expected 0, got %d", p->selected);
    double x, y;
    choice_center(p, 2, &x, &y);
    keyboard_move(kb, x, y, 500);
    ck_assert_msg(p->selected == 2, "finger on ê: expected selected 2, got %d", p->selected);
    choice_center(p, 0, &x, &y);
    keyboard_move(kb, x, y, 600);
    ck_assert_msg(p->selected == 0, "finger on é: expected selected 0, got %d", p->selected);
    expect_insert(keyboard_release(kb, x, y, 700), "é");
    ck_assert_msg(keyboard_popup(kb) == NULL, "popup after release: expected closed");
    for (size_t i = 0; i < 5; i++) {
        ck_assert_msg(p->rects[i].y < 0.25 && p->rects[i].w > 0,
                      "choice %zu: expected above "
                      "the top row, got y %g",
                      i, p->rects[i].y);
    }
    keyboard_free(kb);
}
END_TEST

START_TEST(long_press_release_outside_cancels)
{
    keyboard_t *kb = make(KEYBOARD_EN);
    long_press(kb, "e");
    keyboard_action_t a = keyboard_release(kb, 0.95, 0.9, 700);
    expect_action(a, KEYBOARD_ACTION_NONE, 0, "release outside the popup");
    ck_assert_msg(keyboard_popup(kb) == NULL, "popup after release: expected closed");
    keyboard_free(kb);
}
END_TEST

START_TEST(long_press_shifted_is_upper)
{
    static const char *const a[] = {"Á", "À", "Â", "Ä", "Å", "Æ", "Ã"};
    keyboard_t *kb = make(KEYBOARD_EN);
    keyboard_shift_set(kb, KEYBOARD_SHIFT_ONCE);
    expect_choices(long_press(kb, "A"), a, 7);
    const keyboard_popup_t *p = keyboard_popup(kb);
    double x, y;
    choice_center(p, 3, &x, &y);
    expect_insert(keyboard_release(kb, x, y, 600), "Ä");
    ck_assert_msg(keyboard_shift(kb) == KEYBOARD_SHIFT_OFF, "after the accent: expected shift off");
    keyboard_free(kb);
}
END_TEST

START_TEST(quick_tap_types_base)
{
    keyboard_t *kb = make(KEYBOARD_EN);
    double x, y;
    center(kb, find_key(kb, KEYBOARD_KEY_CHAR, "e"), &x, &y);
    keyboard_press(kb, x, y, 0);
    keyboard_tick(kb, 449);
    expect_insert(keyboard_release(kb, x, y, 449), "e");
    keyboard_free(kb);
}
END_TEST

START_TEST(dutch_ij)
{
    static const char *const i_nl[] = {"í", "ì", "î", "ï", "ĳ"};
    static const char *const i_en[] = {"í", "ì", "î", "ï"};
    static const char *const j_nl[] = {"ĳ"};
    keyboard_t *kb = make(KEYBOARD_NL);
    expect_choices(long_press(kb, "i"), i_nl, 5);
    keyboard_cancel(kb);
    expect_choices(long_press(kb, "j"), j_nl, 1);
    double x, y;
    choice_center(keyboard_popup(kb), 0, &x, &y);
    expect_insert(keyboard_release(kb, x, y, 600), "ĳ");
    keyboard_layout_set(kb, KEYBOARD_EN);
    expect_choices(long_press(kb, "i"), i_en, 4);
    keyboard_free(kb);
}
END_TEST

/* ---- repeat ---- */

START_TEST(backspace_repeat_timing)
{
    keyboard_t *kb = make(KEYBOARD_EN);
    double x, y;
    center(kb, find_key(kb, KEYBOARD_KEY_BACKSPACE, NULL), &x, &y);
    expect_action(keyboard_press(kb, x, y, 0), KEYBOARD_ACTION_NONE, 0, "press");
    expect_action(keyboard_tick(kb, 399), KEYBOARD_ACTION_NONE, 0, "tick 399");
    expect_action(keyboard_tick(kb, 400), KEYBOARD_ACTION_BACKSPACE, 1, "tick 400");
    expect_action(keyboard_tick(kb, 469), KEYBOARD_ACTION_NONE, 0, "tick 469");
    expect_action(keyboard_tick(kb, 470), KEYBOARD_ACTION_BACKSPACE, 1, "tick 470");
    expect_action(keyboard_tick(kb, 540), KEYBOARD_ACTION_BACKSPACE, 1, "tick 540");
    /* A stalled frame catches up, but at most three at once. */
    expect_action(keyboard_tick(kb, 2000), KEYBOARD_ACTION_BACKSPACE, 3, "tick 2000");
    expect_action(keyboard_release(kb, x, y, 2010), KEYBOARD_ACTION_NONE, 0, "release");
    expect_action(keyboard_tick(kb, 3000), KEYBOARD_ACTION_NONE, 0, "tick after release");
    /* A quick tap is one backspace, on release. */
    expect_action(keyboard_press(kb, x, y, 5000), KEYBOARD_ACTION_NONE, 0, "press");
    expect_action(keyboard_release(kb, x, y, 5100), KEYBOARD_ACTION_BACKSPACE, 1, "tap");
    keyboard_free(kb);
}
END_TEST

START_TEST(cursor_keys_repeat)
{
    keyboard_t *kb = make(KEYBOARD_DE);
    tap(kb, find_key(kb, KEYBOARD_KEY_SYMBOLS, NULL), 0);
    expect_action(tap(kb, find_key(kb, KEYBOARD_KEY_RIGHT, NULL), 1000), KEYBOARD_ACTION_RIGHT, 1,
                  "tap right");
    double x, y;
    center(kb, find_key(kb, KEYBOARD_KEY_LEFT, NULL), &x, &y);
    keyboard_press(kb, x, y, 2000);
    expect_action(keyboard_tick(kb, 2400), KEYBOARD_ACTION_LEFT, 1, "hold left 400 ms");
    expect_action(keyboard_release(kb, x, y, 2450), KEYBOARD_ACTION_NONE, 0, "release");
    keyboard_free(kb);
}
END_TEST

/* ---- sliding and other keys ---- */

START_TEST(slide_types_second_key)
{
    keyboard_t *kb = make(KEYBOARD_EN);
    double qx, qy, wx, wy;
    center(kb, find_key(kb, KEYBOARD_KEY_CHAR, "q"), &qx, &qy);
    center(kb, find_key(kb, KEYBOARD_KEY_CHAR, "w"), &wx, &wy);
    keyboard_press(kb, qx, qy, 0);
    keyboard_move(kb, wx, wy, 100);
    ck_assert_msg(keyboard_pressed_key(kb) == find_key(kb, KEYBOARD_KEY_CHAR, "w"),
                  "pressed key after the slide: expected w");
    expect_insert(keyboard_release(kb, wx, wy, 150), "w");
    /* Sliding off the keyboard types nothing. */
    keyboard_press(kb, qx, qy, 1000);
    keyboard_move(kb, qx, -0.2, 1100);
    expect_action(keyboard_release(kb, qx, -0.2, 1150), KEYBOARD_ACTION_NONE, 0, "slide off");
    /* A second finger landing ends the first touch: its key is typed. */
    keyboard_press(kb, qx, qy, 2000);
    expect_insert(keyboard_press(kb, wx, wy, 2030), "q");
    expect_insert(keyboard_release(kb, wx, wy, 2080), "w");
    keyboard_free(kb);
}
END_TEST

START_TEST(enter_space_done)
{
    keyboard_t *kb = make(KEYBOARD_NL);
    int enter = find_key(kb, KEYBOARD_KEY_ENTER, NULL);
    expect_action(tap(kb, enter, 0), KEYBOARD_ACTION_NONE, 0, "enter, single line");
    keyboard_multiline_set(kb, true);
    expect_action(tap(kb, enter, 1000), KEYBOARD_ACTION_NEWLINE, 1, "enter, multiline");
    expect_insert(tap(kb, find_key(kb, KEYBOARD_KEY_SPACE, NULL), 2000), " ");
    expect_action(tap(kb, find_key(kb, KEYBOARD_KEY_DONE, NULL), 3000), KEYBOARD_ACTION_DONE, 1,
                  "done");
    keyboard_free(kb);
}
END_TEST

/* Adds a tcase named for a behaviour to s and returns it. */
static TCase *behaviour(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    suite_add_tcase(s, tc);
    return tc;
}

static Suite *keyboard_suite(void)
{
    Suite *s = suite_create("keyboard");
    TCase *tc = behaviour(s, "layouts");
    tcase_add_test(tc, letter_rows);
    tcase_add_test(tc, german_umlauts_on_letters);
    tcase_add_test(tc, layout_set_keeps_page);
    tcase_add_loop_test(tc, every_key_types_its_text, 0, 3);
    tcase_add_loop_test(behaviour(s, "punctuation reachable"), punctuation_reachable, 0, 3);
    tc = behaviour(s, "hit testing");
    tcase_add_loop_test(tc, geometry_every_page, 0, 3);
    tcase_add_test(tc, hit_between_and_outside);
    tc = behaviour(s, "shift and caps lock");
    tcase_add_test(tc, shift_one_shot);
    tcase_add_test(tc, shift_caps_lock);
    tc = behaviour(s, "long press accents");
    tcase_add_test(tc, long_press_commits_accent);
    tcase_add_test(tc, long_press_release_outside_cancels);
    tcase_add_test(tc, long_press_shifted_is_upper);
    tcase_add_test(tc, quick_tap_types_base);
    tcase_add_test(tc, dutch_ij);
    tc = behaviour(s, "repeat");
    tcase_add_test(tc, backspace_repeat_timing);
    tcase_add_test(tc, cursor_keys_repeat);
    tc = behaviour(s, "sliding and special keys");
    tcase_add_test(tc, slide_types_second_key);
    tcase_add_test(tc, enter_space_done);
    return s;
}

int main(void)
{
    return testutil_suite_run(keyboard_suite());
}
