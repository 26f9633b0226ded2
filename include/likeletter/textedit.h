/* textedit.h - the text a visitor is composing (a note, a message, a name) and its cursor.
 *
 * The model behind every text field of the kiosk, with no drawing in it: the on-screen keyboard
 * (keyboard.h) and the screen code turn touches into calls here, and draw what textedit_text()
 * holds. The text is always well-formed UTF-8 without control characters (a '\n' only in a
 * multiline field), within its limit in Unicode code points and its byte cap; the cursor is a
 * byte offset that never splits a character and never stands between a character and the
 * combining marks that follow it (e + U+0301 is one "character" to the cursor, backspace,
 * delete and taps). Variation selectors, emoji skin-tone modifiers and zero-width joiners
 * (U+200D, joining the characters either side) count as combining here for the same reason: a
 * visitor sees one symbol and expects one backspace to remove it.
 *
 * Usage: textedit_create() per field -> textedit_insert() for each keyboard action (or
 * textedit_load() for an autosaved draft) -> textedit_text() to draw and save ->
 * textedit_free(). Nothing changes when a call is refused.
 *
 * Memory: a textedit owns one buffer of max_bytes + 1 bytes, allocated at creation; nothing
 * else allocates. Nothing here logs. Threads: a textedit belongs to one thread at a time.
 */
#ifndef LIKELETTER_TEXTEDIT_H
#define LIKELETTER_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>

/* The kiosk's fields: limits in code points, and byte caps that hold them in any script (a
 * name's cap is the card's, so every name that fits here prints). */
#define TEXTEDIT_NOTE_CHARS 2000
#define TEXTEDIT_NOTE_BYTES (TEXTEDIT_NOTE_CHARS * 4)
#define TEXTEDIT_MESSAGE_CHARS 500
#define TEXTEDIT_MESSAGE_BYTES (TEXTEDIT_MESSAGE_CHARS * 4)
#define TEXTEDIT_NAME_CHARS 60
#define TEXTEDIT_NAME_BYTES 200  /* CARD_NAME_MAX */
#define TEXTEDIT_BYTES_MAX 65536 /* largest byte cap textedit_create() takes (LAYOUT_MAX_BYTES) */

typedef enum {
    TEXTEDIT_OK = 0,
    TEXTEDIT_INVALID = -1, /* ill-formed UTF-8 or a refused character: nothing changed */
    TEXTEDIT_FULL = -2     /* would pass the code point limit or the byte cap: nothing changed
                              (the UI shakes the field or beeps) */
} textedit_status_t;

/* Where the UI drew one character: the byte offset of its first byte in textedit_text(), and
 * its box in any coordinates with y growing downwards (usually screen pixels): its advance
 * across the whole height of its line, so all boxes of a line share y and h. Give a line
 * break a box too (zero width, where its line ends), so a tap on an empty line finds it. */
typedef struct textedit_box {
    size_t offset;
    double x, y, w, h;
} textedit_box_t;

typedef struct textedit textedit_t;

/* Makes an empty field holding at most max_chars code points (1..TEXTEDIT_BYTES_MAX) and
 * max_bytes bytes (1..TEXTEDIT_BYTES_MAX); multiline fields also take '\n'. Returns NULL for a
 * limit out of range or when out of memory. Free with textedit_free(). */
textedit_t *textedit_create(size_t max_chars, size_t max_bytes, bool multiline);

/* Frees the field; accepts NULL. */
void textedit_free(textedit_t *te);

/* Inserts s[0..len) (need not be NUL-terminated) at the cursor and puts the cursor after it.
 * Refuses the whole text, changing nothing: TEXTEDIT_INVALID when it is not well-formed UTF-8 or
 * holds a control character (C0, DEL, C1; '\n' is allowed only in a multiline field, and
 * U+2028/U+2029 only there too), TEXTEDIT_FULL when the field would pass its limit or byte cap.
 * len 0 is TEXTEDIT_OK. */
textedit_status_t textedit_insert(textedit_t *te, const char *s, size_t len);

/* Replaces the whole text with s[0..len), checked as textedit_insert() checks (an autosaved
 * draft is external bytes), and puts the cursor at the end. On refusal the text is unchanged. */
textedit_status_t textedit_load(textedit_t *te, const char *s, size_t len);

/* Removes the character before the cursor with its combining marks (e + U+0301 goes at once).
 * Returns false, changing nothing, at the start of the text. */
bool textedit_backspace(textedit_t *te);

/* Removes the character after the cursor with its combining marks. Returns false at the end. */
bool textedit_delete(textedit_t *te);

/* Moves the cursor over one character and its combining marks; false when already at the
 * start (left) or end (right). */
bool textedit_cursor_left(textedit_t *te);
bool textedit_cursor_right(textedit_t *te);

/* Moves the cursor to the start / end of its line (lines end at '\n', U+2028, U+2029). */
void textedit_cursor_home(textedit_t *te);
void textedit_cursor_end(textedit_t *te);

/* Puts the cursor at offset, snapped back to the start of the character it falls in (past the
 * end: the end). Returns the cursor's new offset. */
size_t textedit_cursor_set(textedit_t *te, size_t offset);

/* The cursor tapped at (x, y): among the count boxes (count 0 leaves the cursor alone), the
 * line nearest vertically, then on it the nearest edge of a character: its left edge puts the
 * cursor before it, its right edge after it (a line break's box only before it). Boxes with an
 * offset that is not a character start are snapped as textedit_cursor_set() does; boxes past
 * the end, or with NaN coordinates, are skipped. Returns the cursor's new offset. */
size_t textedit_cursor_tap(textedit_t *te, const textedit_box_t *boxes, size_t count, double x,
                           double y);

/* ---- laying a field out: lines, the caret, and boxes for taps ---- */

/* The width of text[0..len) drawn on one line, in the caller's units (the UI font's pixels). */
typedef double (*textedit_measure_fn)(void *ctx, const char *text, size_t len);

/* One line of a laid-out field: bytes [start, start + len) of textedit_text(); a line break
 * that ends the line is not in len. */
typedef struct textedit_line {
    size_t start, len;
} textedit_line_t;

/* Breaks the text into lines at most max_w wide: at each line break; else after the last space
 * that fits (spaces may hang past max_w); else, in a word wider than a line, before the
 * character that would not fit (every line takes at least one character). Writes the first cap
 * lines and returns how many there are, at least 1 (an empty text is one empty line). */
size_t textedit_wrap(const textedit_t *te, double max_w, textedit_measure_fn measure, void *ctx,
                     textedit_line_t *lines, size_t cap);

/* Which of the count lines the cursor is drawn on: the last one starting at or before it (so a
 * cursor after a wrapped line's last space sits at the start of the next line). */
size_t textedit_cursor_line(const textedit_t *te, const textedit_line_t *lines, size_t count);

/* The boxes of every character of lines[first .. first + n) and of the line breaks ending
 * them, for textedit_cursor_tap(): line first's top at y0, each line line_h below the one
 * before, x measured from x0. Writes at most cap boxes; returns how many it wrote. */
size_t textedit_boxes(const textedit_t *te, const textedit_line_t *lines, size_t first, size_t n,
                      double x0, double y0, double line_h, textedit_measure_fn measure, void *ctx,
                      textedit_box_t *boxes, size_t cap);

/* The cursor's byte offset in textedit_text(). */
size_t textedit_cursor(const textedit_t *te);

/* Empties the field. */
void textedit_clear(textedit_t *te);

/* The text, NUL-terminated, and its length in bytes in *len (len may be NULL). Valid until the
 * next change or textedit_free(). */
const char *textedit_text(const textedit_t *te, size_t *len);

/* Code points in the field, and the field's limit in code points. */
size_t textedit_chars(const textedit_t *te);
size_t textedit_max_chars(const textedit_t *te);

/* Code points in s[0..len); each ill-formed byte counts as one. Thread-safe. */
size_t textedit_count(const char *s, size_t len);

#endif
