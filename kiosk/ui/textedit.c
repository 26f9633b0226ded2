/* textedit.c - see textedit.h. The buffer always holds checked UTF-8, so the cursor helpers
 * below decode it without re-validating; every byte that comes in (insert, load) is checked
 * first, and nothing is changed until the whole input has been accepted. */
#include "likeletter/textedit.h"

#include "likeletter/utf8.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ZWJ 0x200Du

struct textedit {
    char *buf; /* max_bytes + 1: the text and its NUL */
    size_t len;
    size_t chars;
    size_t cursor;
    size_t max_chars;
    size_t max_bytes;
    bool multiline;
};

/* Code points that belong to the character before them, as a visitor sees it: combining
 * diacritics (Latin, Greek, Cyrillic, the supplements and the symbol marks), variation
 * selectors, emoji skin tones, tag characters and the zero-width joiner itself. Not the full
 * Unicode grapheme rules: what the kiosk's keyboard and pasted greetings can produce. */
static bool is_extender(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) ||
           (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
           (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
           (cp >= 0xE0020 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF) || cp == ZWJ;
}

static bool is_continuation(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* The start of the code point that ends at off (off > 0). */
static size_t cp_before(const textedit_t *te, size_t off)
{
    off--;
    while (off > 0 && is_continuation(te->buf[off])) {
        off--;
    }
    return off;
}

static uint32_t cp_at(const textedit_t *te, size_t off, size_t *n)
{
    uint32_t cp = 0;
    size_t k = utf8_decode(te->buf + off, te->len - off, &cp);
    if (n) {
        *n = k;
    }
    return cp;
}

/* True when the code point at off (0 < off < len, a code point start) joins the one before it
 * into one character. A line break never takes marks: a mark after it starts a new character,
 * so lines stay separate for home/end. */
static bool attaches(const textedit_t *te, size_t off)
{
    uint32_t prev = cp_at(te, cp_before(te, off), NULL);
    if (utf8_is_line_break(prev)) {
        return false;
    }
    return prev == ZWJ || is_extender(cp_at(te, off, NULL));
}

/* The start of the character that ends at off (off > 0, a boundary). */
static size_t char_before(const textedit_t *te, size_t off)
{
    size_t p = cp_before(te, off);
    while (p > 0 && attaches(te, p)) {
        p = cp_before(te, p);
    }
    return p;
}

/* The end of the character that starts at off (off < len, a boundary). */
static size_t char_after(const textedit_t *te, size_t off)
{
    size_t n;
    cp_at(te, off, &n);
    size_t p = off + n;
    while (p < te->len && attaches(te, p)) {
        cp_at(te, p, &n);
        p += n;
    }
    return p;
}

/* off (any value) moved back to the start of the character it falls in. */
static size_t snap(const textedit_t *te, size_t off)
{
    if (off >= te->len) {
        return te->len;
    }
    while (off > 0 && is_continuation(te->buf[off])) {
        off--;
    }
    if (off > 0 && attaches(te, off)) {
        off = char_before(te, off);
    }
    return off;
}

/* After an edit the text around the cursor may join differently (an inserted ZWJ or base
 * letter before marks that follow): move the cursor forward past what now belongs to the
 * character before it. */
static void settle(textedit_t *te)
{
    size_t n;
    while (te->cursor > 0 && te->cursor < te->len && attaches(te, te->cursor)) {
        cp_at(te, te->cursor, &n);
        te->cursor += n;
    }
}

/* Checks s[0..len) for this field: well-formed, no refused characters. Counts code points. */
static textedit_status_t check(const textedit_t *te, const char *s, size_t len, size_t *chars)
{
    if (len > 0 && s == NULL) {
        return TEXTEDIT_INVALID;
    }
    if (utf8_check(s, len, NULL) != 0) {
        return TEXTEDIT_INVALID;
    }
    size_t count = 0;
    for (size_t off = 0; off < len; count++) {
        uint32_t cp = 0;
        off += utf8_decode(s + off, len - off, &cp);
        bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
        if (utf8_is_line_break(cp) ? !te->multiline : control) {
            return TEXTEDIT_INVALID;
        }
    }
    *chars = count;
    return TEXTEDIT_OK;
}

textedit_t *textedit_create(size_t max_chars, size_t max_bytes, bool multiline)
{
    if (max_chars < 1 || max_chars > TEXTEDIT_BYTES_MAX || max_bytes < 1 ||
        max_bytes > TEXTEDIT_BYTES_MAX) {
        return NULL;
    }
    textedit_t *te = calloc(1, sizeof *te);
    if (te == NULL) {
        return NULL;
    }
    te->buf = calloc(max_bytes + 1, 1);
    if (te->buf == NULL) {
        free(te);
        return NULL;
    }
    te->max_chars = max_chars;
    te->max_bytes = max_bytes;
    te->multiline = multiline;
    return te;
}

void textedit_free(textedit_t *te)
{
    if (te) {
        free(te->buf);
        free(te);
    }
}

textedit_status_t textedit_insert(textedit_t *te, const char *s, size_t len)
{
    size_t chars = 0;
    textedit_status_t st = check(te, s, len, &chars);
    if (st != TEXTEDIT_OK || len == 0) {
        return st;
    }
    /* Both limits are checked without overflow: len and chars are at most max_* here. */
    if (len > te->max_bytes - te->len || chars > te->max_chars - te->chars) {
        return TEXTEDIT_FULL;
    }
    memmove(te->buf + te->cursor + len, te->buf + te->cursor, te->len - te->cursor);
    memcpy(te->buf + te->cursor, s, len);
    te->len += len;
    te->buf[te->len] = '\0';
    te->chars += chars;
    te->cursor += len;
    settle(te);
    return TEXTEDIT_OK;
}

textedit_status_t textedit_load(textedit_t *te, const char *s, size_t len)
{
    size_t chars = 0;
    textedit_status_t st = check(te, s, len, &chars);
    if (st != TEXTEDIT_OK) {
        return st;
    }
    if (len > te->max_bytes || chars > te->max_chars) {
        return TEXTEDIT_FULL;
    }
    if (len > 0) {
        memcpy(te->buf, s, len);
    }
    te->len = len;
    te->buf[len] = '\0';
    te->chars = chars;
    te->cursor = len;
    return TEXTEDIT_OK;
}

/* Removes buf[from..to), a run of whole characters. */
static void cut(textedit_t *te, size_t from, size_t to)
{
    te->chars -= textedit_count(te->buf + from, to - from);
    memmove(te->buf + from, te->buf + to, te->len - to);
    te->len -= to - from;
    te->buf[te->len] = '\0';
    te->cursor = from;
    settle(te);
}

bool textedit_backspace(textedit_t *te)
{
    if (te->cursor == 0) {
        return false;
    }
    cut(te, char_before(te, te->cursor), te->cursor);
    return true;
}

bool textedit_delete(textedit_t *te)
{
    if (te->cursor >= te->len) {
        return false;
    }
    cut(te, te->cursor, char_after(te, te->cursor));
    return true;
}

bool textedit_cursor_left(textedit_t *te)
{
    if (te->cursor == 0) {
        return false;
    }
    te->cursor = char_before(te, te->cursor);
    return true;
}

bool textedit_cursor_right(textedit_t *te)
{
    if (te->cursor >= te->len) {
        return false;
    }
    te->cursor = char_after(te, te->cursor);
    return true;
}

void textedit_cursor_home(textedit_t *te)
{
    size_t p = te->cursor;
    while (p > 0) {
        size_t q = cp_before(te, p);
        if (utf8_is_line_break(cp_at(te, q, NULL))) {
            break;
        }
        p = q;
    }
    te->cursor = p;
}

void textedit_cursor_end(textedit_t *te)
{
    size_t p = te->cursor;
    size_t n;
    while (p < te->len && !utf8_is_line_break(cp_at(te, p, &n))) {
        p += n;
    }
    te->cursor = p;
}

size_t textedit_cursor_set(textedit_t *te, size_t offset)
{
    te->cursor = snap(te, offset);
    return te->cursor;
}

/* How far (x, y) is from box b: vertically (0 inside its line), and to its nearer edge. */
static double vertical_distance(const textedit_box_t *b, double y)
{
    if (y < b->y) {
        return b->y - y;
    }
    return y > b->y + b->h ? y - (b->y + b->h) : 0.0;
}

static bool box_usable(const textedit_t *te, const textedit_box_t *b)
{
    return b->offset <= te->len && isfinite(b->x) && isfinite(b->y) && isfinite(b->w) &&
           isfinite(b->h) && b->w >= 0.0 && b->h >= 0.0;
}

size_t textedit_cursor_tap(textedit_t *te, const textedit_box_t *boxes, size_t count, double x,
                           double y)
{
    double best_dy = INFINITY, best_dx = INFINITY;
    size_t best = te->cursor;
    for (size_t i = 0; boxes && i < count; i++) {
        const textedit_box_t *b = &boxes[i];
        if (!box_usable(te, b)) {
            continue;
        }
        size_t start = snap(te, b->offset);
        double dy = vertical_distance(b, y);
        /* The left edge is the boundary before the character; the right edge the one after
         * it, except for a line break, whose "after" is the next line's start. */
        double dx = fabs(x - b->x);
        size_t off = start;
        if (start < te->len && !utf8_is_line_break(cp_at(te, start, NULL)) &&
            fabs(x - (b->x + b->w)) < dx) {
            dx = fabs(x - (b->x + b->w));
            off = char_after(te, start);
        }
        if (dy < best_dy || (dy == best_dy && dx < best_dx)) {
            best_dy = dy;
            best_dx = dx;
            best = off;
        }
    }
    te->cursor = best;
    return best;
}

size_t textedit_cursor(const textedit_t *te)
{
    return te->cursor;
}

void textedit_clear(textedit_t *te)
{
    te->len = 0;
    te->chars = 0;
    te->cursor = 0;
    te->buf[0] = '\0';
}

const char *textedit_text(const textedit_t *te, size_t *len)
{
    if (len) {
        *len = te->len;
    }
    return te->buf;
}

size_t textedit_chars(const textedit_t *te)
{
    return te->chars;
}

size_t textedit_max_chars(const textedit_t *te)
{
    return te->max_chars;
}

size_t textedit_count(const char *s, size_t len)
{
    size_t count = 0;
    for (size_t off = 0; off < len; count++) {
        uint32_t cp;
        off += utf8_decode(s + off, len - off, &cp);
    }
    return count;
}

/* ---- layout ---- */

/* Where the line from start, ending at most at end (a line break or the text's end), breaks
 * when it is wider than max_w: after its last space that fits, else before the first character
 * that does not fit (but after one character at least). */
static size_t line_break_find(const textedit_t *te, size_t start, size_t end, double max_w,
                              textedit_measure_fn measure, void *ctx)
{
    size_t fit = start;
    for (size_t p = start; p < end;) {
        const char *sp = memchr(te->buf + p, ' ', end - p);
        size_t word_end = sp ? (size_t)(sp - te->buf) : end;
        if (measure(ctx, te->buf + start, word_end - start) > max_w) {
            break;
        }
        if (!sp) {
            return end; /* the rest fits */
        }
        p = word_end + 1;
        while (p < end && te->buf[p] == ' ') {
            p++; /* spaces hang at the line's end */
        }
        fit = p;
    }
    if (fit > start) {
        return fit;
    }
    /* One word wider than the line: as many characters as fit, one at least. */
    size_t p = char_after(te, start);
    while (p < end) {
        size_t next = char_after(te, p);
        if (measure(ctx, te->buf + start, next - start) > max_w) {
            break;
        }
        p = next;
    }
    return p;
}

size_t textedit_wrap(const textedit_t *te, double max_w, textedit_measure_fn measure, void *ctx,
                     textedit_line_t *lines, size_t cap)
{
    size_t n = 0, start = 0;
    for (;;) {
        const char *nl = memchr(te->buf + start, '\n', te->len - start);
        size_t hard = nl ? (size_t)(nl - te->buf) : te->len;
        size_t end = hard;
        if (start < hard && measure(ctx, te->buf + start, hard - start) > max_w) {
            end = line_break_find(te, start, hard, max_w, measure, ctx);
        }
        if (n < cap) {
            lines[n] = (textedit_line_t){start, end - start};
        }
        n++;
        if (end < hard) {
            start = end; /* a soft break: the next line goes on from here */
        } else if (nl) {
            start = hard + 1;
        } else {
            return n;
        }
    }
}

size_t textedit_cursor_line(const textedit_t *te, const textedit_line_t *lines, size_t count)
{
    size_t line = 0;
    for (size_t i = 0; i < count && lines[i].start <= te->cursor; i++) {
        line = i;
    }
    return line;
}

size_t textedit_boxes(const textedit_t *te, const textedit_line_t *lines, size_t first, size_t n,
                      double x0, double y0, double line_h, textedit_measure_fn measure, void *ctx,
                      textedit_box_t *boxes, size_t cap)
{
    size_t count = 0;
    for (size_t i = first; i < first + n; i++) {
        const textedit_line_t *l = &lines[i];
        double y = y0 + (double)(i - first) * line_h, left = 0;
        size_t end = l->start + l->len;
        for (size_t p = l->start; p < end && count < cap;) {
            size_t next = char_after(te, p);
            double right = measure(ctx, te->buf + l->start, next - l->start);
            boxes[count++] = (textedit_box_t){p, x0 + left, y, right - left, line_h};
            left = right, p = next;
        }
        /* The line break that ends it (or, on an empty last line, the end of the text). */
        if (count < cap && (end < te->len ? te->buf[end] == '\n' : l->len == 0)) {
            boxes[count++] = (textedit_box_t){end, x0 + left, y, 0, line_h};
        }
    }
    return count;
}
