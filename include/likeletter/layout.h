/* layout.h - a note's text broken into lines of positioned glyphs for one text area.
 *
 * layout_run() checks the note (UTF-8, control characters, length), splits it into paragraphs
 * (\n and U+2029 end one; U+2028 breaks a line inside one), shapes each paragraph as one run with
 * the primary font (so kerning, ligatures and calt work across words), reshapes the characters
 * the primary lacks with the fallback font, scaled to match the primary's x-height, and fills
 * lines greedily by advance widths. Lines break at spaces (U+0020 and tab, dropped at the
 * break and at a paragraph's end) and after a hyphen (U+002D, U+2010, U+2013) with non-space
 * characters on both sides; a word longer than the line is cut at a cluster boundary as a last
 * resort (a single cluster wider than the line gets a line of its own). A paragraph is shaped once
 * and cut at cluster boundaries: kerning or a contextual form across a break is kept as shaped (not
 * reshaped per line), so the last glyph of a broken line may carry a kern meant for the next line's
 * first glyph. A final \n ends the last paragraph and starts no empty line ("a\n" is one line, ""
 * none).
 *
 * Usage: layout_create() -> layout_run() per change of the note (each keystroke) -> read
 * layout_lines() / layout_glyphs() -> layout_free(). Positions are pixels, y up, at the em size
 * of the params; line i's baseline lies i * layout_line_height() below the first line's.
 *
 * Memory: a layout_t owns its result and scratch arrays; they grow to the largest note seen and
 * are reused, so re-laying-out a note of a size seen before allocates nothing here (the shapers
 * keep their own HarfBuzz buffers, likewise reused). The fonts and shapers stay the caller's.
 * Errors: layout_run() returns 0 or -1 and then layout_error() says why; nothing here logs.
 * Thread-safety: none. A layout_t, and the fonts and shapers a run uses, belong to one thread
 * at a time.
 */
#ifndef LIKELETTER_LAYOUT_H
#define LIKELETTER_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "likeletter/font.h"
#include "likeletter/shape.h"

#define LAYOUT_MAX_BYTES 65536    /* longest note accepted: far above any card, bounds the work */
#define LAYOUT_MAX_SIZE_PX 4096.0 /* largest em size and line height, pixels */
#define LAYOUT_MAX_WIDTH_PX 1e6   /* widest line, pixels */

enum { LAYOUT_FONT_PRIMARY = 0, LAYOUT_FONT_FALLBACK = 1 };

/* What to lay out with. font/shaper are required and must be a pair (shaper_create(font)), as
 * must fallback_font/fallback_shaper (both NULL for none). */
typedef struct layout_params {
    font_t *font;
    shaper_t *shaper;
    font_t *fallback_font;
    shaper_t *fallback_shaper;
    double size_px;        /* the primary's em size in pixels, (0, LAYOUT_MAX_SIZE_PX] */
    double width_px;       /* line width in pixels, (0, LAYOUT_MAX_WIDTH_PX] */
    double line_height_px; /* baseline to baseline; 0 = the primary's ascender - descender +
                              line gap at size_px */
    uint32_t max_lines;    /* 0 = unlimited */
    const char *lang;      /* BCP 47 tag for shaping ("en", "de", "nl"); NULL = font default */
    const char *features;  /* HarfBuzz feature string for the primary font, or NULL (see
                              shaper_shape(); [a:b] ranges count bytes from a paragraph's
                              start). The fallback font shapes with its defaults. */
} layout_params_t;

/* One glyph to draw. x is from the start of its line to where the glyph's origin goes (pen
 * position plus the shaper's x offset); y is the shaper's y offset (up). A glyph of font f is
 * drawn at an em size of size_px * scale pixels in that font (scale 1 for the primary, the
 * x-height ratio for the fallback). cluster is the byte offset in the note of the first
 * character the glyph stands for. Glyphs of one word share word (counted from 0 per line) and
 * the first has word_start; space glyphs between words have space set, keep the preceding
 * word's index and belong to no word. */
typedef struct layout_glyph {
    uint32_t glyph;
    uint32_t cluster;
    uint32_t word;
    uint8_t font; /* LAYOUT_FONT_PRIMARY or LAYOUT_FONT_FALLBACK */
    bool word_start;
    bool space;
    double x, y, advance, scale;
} layout_glyph_t;

/* One line: glyphs [first, first + count) of layout_glyphs(), width px (the pen advance from
 * its start to its end, dropped spaces excluded), the note's bytes [byte_start, byte_end) it
 * shows (without the spaces dropped at its break and without the line break character), and
 * whether a paragraph ends with it. An empty paragraph is a line with count 0. */
typedef struct layout_line {
    size_t first, count;
    double width;
    size_t byte_start, byte_end;
    bool paragraph_end;
} layout_line_t;

typedef struct layout layout_t;

/* Creates an empty layout. Returns NULL when out of memory. */
layout_t *layout_create(void);

/* Frees the layout and its arrays (not the fonts or shapers); accepts NULL. */
void layout_free(layout_t *l);

/* Lays out utf8[0..len) (need not be NUL-terminated) with p, replacing the previous result.
 * Checks, before any other work: the parameters, len <= LAYOUT_MAX_BYTES ("the note is 1048576
 * bytes; at most 65536"), then utf8_check() and utf8_control_check() ("invalid UTF-8 at byte
 * 17", "control character U+0007 at byte 3"). Characters neither font has are drawn as the
 * primary's .notdef and counted (layout_missing_count()); that is not an error. With
 * p->max_lines > 0, stops after that many lines and reports overflow. Returns 0, or -1 (bad
 * input, a shaping error, out of memory) with an empty result and layout_error() set. */
int layout_run(layout_t *l, const layout_params_t *p, const char *utf8, size_t len);

/* Why the last layout_run() failed ("" after a success). Valid until the next run or free. */
const char *layout_error(const layout_t *l);

/* The result of the last successful run; the arrays stay valid until the next run or free. */
size_t layout_line_count(const layout_t *l);
const layout_line_t *layout_lines(const layout_t *l);
size_t layout_glyph_count(const layout_t *l);
const layout_glyph_t *layout_glyphs(const layout_t *l);

/* Baseline to baseline in pixels: the params' line height, or the default from the metrics. */
double layout_line_height(const layout_t *l);

/* True when max_lines stopped the run before the end of the note. */
bool layout_overflow(const layout_t *l);

/* How much of the note fits: the byte offset where the last laid-out line ends (its
 * byte_end), so utf8[0..fit) is what is drawn; the note's length when nothing overflowed. */
size_t layout_fit_bytes(const layout_t *l);

/* How many characters neither font has (drawn as .notdef), and the first of them: its code
 * point, and its byte offset in *offset when offset is not NULL. 0 (and *offset 0) when none. */
size_t layout_missing_count(const layout_t *l);
uint32_t layout_missing_first(const layout_t *l, size_t *offset);

/* The fallback's scale of the last run (1 without a fallback font): the ratio of the fonts'
 * x-heights in ems (OS/2 sxHeight, else the top of the glyph 'x'), or of their cap heights
 * (OS/2 sCapHeight, else 'H') when either lacks an x-height, else 1; kept within [0.25, 4]. */
double layout_fallback_scale(const layout_t *l);

/* Bytes the layout's own arrays have reserved: constant while notes fit what was reserved, so
 * tests and the benchmark can see that re-laying-out allocated nothing. */
size_t layout_reserved_bytes(const layout_t *l);

#endif
