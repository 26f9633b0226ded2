/* keyboard.h - the on-screen keyboard's model: layouts, pages, key geometry, and the touch
 * protocol that turns presses, slides and releases into editing actions.
 *
 * No drawing here: the screen code draws keyboard_keys() and the open keyboard_popup(), feeds
 * the finger to keyboard_press() / _move() / _release() and calls keyboard_tick() every frame,
 * then applies each returned action to a textedit (textedit.h). Times are milliseconds on any
 * clock the caller likes (monotonic), so tests control time; a clock that goes backwards counts
 * as no time passing.
 *
 * Layouts: English (QWERTY), German (QWERTZ, ü ö ä ß on the letter page) and Dutch (QWERTY;
 * ĳ on a long press of i and j, Dutch quotes „ ” first on a long press of "). Pages: letters,
 * the same shifted (one-shot shift; a double tap locks caps), and numbers and punctuation
 * (digits, . , ? ! ' " - : ; ( ) @ & / € and „ “ ” ‘ ’ – —, plus the cursor keys). Keys carry a
 * kind and, for characters, their text; the UI translates the special keys' labels.
 *
 * Geometry: normalized over the keyboard area, x and y in 0..1, rows of equal height; the UI
 * scales to pixels, choosing a height that keeps keys >= 9 mm (keyboard_min_key_size()). A key's
 * rect is what to draw (it leaves a small gap to its neighbours); the touch target is the whole
 * row band, each point going to the nearest key of its row.
 *
 * Touch: a key acts on release (so a finger that slides types the key it ends on, as phones do,
 * and a finger that slides off the keyboard types nothing). Holding a key with accents for
 * KEYBOARD_LONG_PRESS_MS opens a popup above it; the finger's x then selects among the
 * choices and release commits the selected one (released away from the popup: nothing).
 * Holding backspace or a cursor key repeats it after KEYBOARD_REPEAT_DELAY_MS, then every
 * KEYBOARD_REPEAT_MS, until release (the release then adds nothing).
 *
 * Memory: a keyboard owns one fixed-size struct; nothing allocates after keyboard_create().
 * Nothing logs. Threads: a keyboard belongs to one thread at a time.
 */
#ifndef LIKELETTER_KEYBOARD_H
#define LIKELETTER_KEYBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYBOARD_LONG_PRESS_MS 450   /* hold before the accent popup opens */
#define KEYBOARD_REPEAT_DELAY_MS 400 /* hold before backspace / cursor keys repeat */
#define KEYBOARD_REPEAT_MS 70        /* between repeats */
#define KEYBOARD_DOUBLE_TAP_MS 350   /* shift released twice within this: caps lock */
#define KEYBOARD_TEXT_MAX 8          /* a key's or choice's text with its NUL */
#define KEYBOARD_POPUP_MAX 8         /* most choices in a popup */
#define KEYBOARD_KEYS_MAX 48         /* most keys on one page */

typedef enum { KEYBOARD_EN = 0, KEYBOARD_DE = 1, KEYBOARD_NL = 2 } keyboard_layout_t;

typedef enum {
    KEYBOARD_PAGE_LETTERS = 0,
    KEYBOARD_PAGE_SHIFTED = 1, /* the letters, shift on (once or locked) */
    KEYBOARD_PAGE_SYMBOLS = 2
} keyboard_page_t;

typedef enum {
    KEYBOARD_SHIFT_OFF = 0,
    KEYBOARD_SHIFT_ONCE = 1, /* back to off after the next letter */
    KEYBOARD_SHIFT_LOCK = 2
} keyboard_shift_t;

typedef enum {
    KEYBOARD_KEY_CHAR = 0,  /* types its text */
    KEYBOARD_KEY_SPACE,     /* types " " */
    KEYBOARD_KEY_SHIFT,     /* drawn by keyboard_shift() state */
    KEYBOARD_KEY_BACKSPACE, /* repeats when held */
    KEYBOARD_KEY_ENTER,     /* a newline; disabled on single-line fields */
    KEYBOARD_KEY_SYMBOLS,   /* to the numbers page ("?123") */
    KEYBOARD_KEY_LETTERS,   /* back to the letters ("ABC") */
    KEYBOARD_KEY_LEFT,      /* cursor left; repeats */
    KEYBOARD_KEY_RIGHT,     /* cursor right; repeats */
    KEYBOARD_KEY_DONE       /* close the keyboard */
} keyboard_key_kind_t;

/* A rectangle in normalized keyboard coordinates (popups may reach above 0 in y). */
typedef struct keyboard_rect {
    double x, y, w, h;
} keyboard_rect_t;

typedef struct keyboard_key {
    keyboard_key_kind_t kind;
    char text[KEYBOARD_TEXT_MAX]; /* CHAR: the UTF-8 it types; SPACE: " "; others: "" */
    keyboard_rect_t rect;
    bool accents; /* a long press opens a popup (the UI may draw a hint) */
    bool enabled; /* false: the UI greys it out; it is still hit, and does nothing */
} keyboard_key_t;

/* The accent popup while it is open: its choices left to right, each one's rect (a row above
 * its key, so y < 0 above the top row), which is selected (-1: the finger is away, release
 * cancels) and which key opened it. */
typedef struct keyboard_popup {
    size_t count;
    char choices[KEYBOARD_POPUP_MAX][KEYBOARD_TEXT_MAX];
    keyboard_rect_t rects[KEYBOARD_POPUP_MAX];
    int selected;
    int key;
} keyboard_popup_t;

typedef enum {
    KEYBOARD_ACTION_NONE = 0,
    KEYBOARD_ACTION_INSERT,    /* text: insert it */
    KEYBOARD_ACTION_BACKSPACE, /* count times */
    KEYBOARD_ACTION_NEWLINE,
    KEYBOARD_ACTION_LEFT, /* count times */
    KEYBOARD_ACTION_RIGHT,
    KEYBOARD_ACTION_DONE
} keyboard_action_kind_t;

/* What the UI should do. count is how many times (repeats that fell due together, at most 3:
 * a stalled frame does not eat a whole word); 1 for a tap; 0 for NONE. */
typedef struct keyboard_action {
    keyboard_action_kind_t kind;
    unsigned count;
    char text[KEYBOARD_TEXT_MAX]; /* INSERT: NUL-terminated UTF-8 */
} keyboard_action_t;

typedef struct keyboard keyboard_t;

/* Makes a keyboard on layout's letter page, shift off, for a single-line field (the enter key
 * disabled). Returns NULL for an unknown layout or when out of memory. */
keyboard_t *keyboard_create(keyboard_layout_t layout);

/* Frees it; accepts NULL. */
void keyboard_free(keyboard_t *kb);

/* Switches layout, keeping the page and shift state; a touch in progress is cancelled (nothing
 * typed). Returns 0, or -1 for an unknown layout (nothing changed). */
int keyboard_layout_set(keyboard_t *kb, keyboard_layout_t layout);
keyboard_layout_t keyboard_layout(const keyboard_t *kb);

/* Multiline fields enable the enter key. Default false. */
void keyboard_multiline_set(keyboard_t *kb, bool multiline);

/* The current page, and the shift state (for drawing the shift key). keyboard_shift_set() lets
 * the UI start a field capitalized (KEYBOARD_SHIFT_ONCE); it also cancels a touch in progress. */
keyboard_page_t keyboard_page(const keyboard_t *kb);
keyboard_shift_t keyboard_shift(const keyboard_t *kb);
void keyboard_shift_set(keyboard_t *kb, keyboard_shift_t shift);

/* The current page's keys: *keys points into kb (valid until the next call that changes page,
 * shift or layout), *count of them (<= KEYBOARD_KEYS_MAX), in rows top to bottom, left to right.
 * *rows is the number of rows (may be NULL). */
void keyboard_keys(const keyboard_t *kb, const keyboard_key_t **keys, size_t *count, size_t *rows);

/* The key at normalized (x, y): the nearest key of the row band y falls in (ties: the left
 * one); -1 outside 0..1 or for NaN. */
int keyboard_hit(const keyboard_t *kb, double x, double y);

/* The narrowest key width and lowest key height (normalized, as drawn) on any page of the
 * current layout: the UI sizes the keyboard so both scale to >= 9 mm. */
void keyboard_min_key_size(const keyboard_t *kb, double *w, double *h);

/* The touch protocol; see the top of this file. press while a touch is in progress first ends
 * that one where it was last seen (fast typists overlap touches) and returns its action. move
 * and release first run what the timers made due (as keyboard_tick()), so a release without
 * ticks still honours a long press. Coordinates are normalized; outside 0..1 is off the
 * keyboard (a press there is ignored). */
keyboard_action_t keyboard_press(keyboard_t *kb, double x, double y, int64_t now);
keyboard_action_t keyboard_move(keyboard_t *kb, double x, double y, int64_t now);
keyboard_action_t keyboard_release(keyboard_t *kb, double x, double y, int64_t now);

/* Runs the timers: opens the popup, or returns a repeat that fell due. Call every frame. */
keyboard_action_t keyboard_tick(keyboard_t *kb, int64_t now);

/* Ends a touch in progress without acting (the screen changed, the session timed out). */
void keyboard_cancel(keyboard_t *kb);

/* The open popup, or NULL. Valid until the next call on kb. */
const keyboard_popup_t *keyboard_popup(const keyboard_t *kb);

/* The key under the finger while a touch is in progress (to highlight it), or -1. */
int keyboard_pressed_key(const keyboard_t *kb);

#endif
