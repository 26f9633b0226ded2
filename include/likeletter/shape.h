/* shape.h - text shaping with HarfBuzz: UTF-8 in, positioned glyphs of one font out.
 *
 * A shaper_t reads the same font file as a font_t (HarfBuzz's own OpenType code, scaled to the
 * font's units per em), so glyph ids index font_glyph_outline() and every position is in font
 * units, like the outlines. Shaping applies the font's features as it intends (kern, liga, calt,
 * init/fina ...) unless the caller's feature string says otherwise.
 *
 * Usage: shaper_create(font) -> shaper_shape() per run (one line of one font, one language) into
 * a caller-owned array -> shaper_free(). A glyph 0 in the output is a character the font lacks:
 * the layout shapes that cluster again with the fallback font.
 *
 * Memory: a shaper owns a HarfBuzz face, font and buffer; the buffer is reused between runs and
 * grows to the longest run seen. Nothing is allocated per glyph; glyphs are written into the
 * caller's array. Errors: functions returning int return 0 or -1 and then shaper_error() says why;
 * nothing here logs. A shaper_t is not thread-safe: use one per thread (they may share a font
 * file).
 */
#ifndef LIKELETTER_SHAPE_H
#define LIKELETTER_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "likeletter/font.h"

#define SHAPER_MAX_FEATURES 32 /* entries in one feature string */

typedef struct shaper shaper_t;

/* One shaped glyph. Font units, y up; the pen moves by the advances after drawing the glyph at
 * pen + offset. cluster is the byte offset in the run's text of the first character the glyph
 * stands for; clusters never decrease along a run, and a ligature or a letter with its marks
 * shares one cluster. */
typedef struct shape_glyph {
    uint32_t glyph; /* font glyph id; 0 = the font lacks the character */
    uint32_t cluster;
    int32_t x_advance, y_advance, x_offset, y_offset;
} shape_glyph_t;

/* Creates a shaper for the file font was opened from (font_path()); fonts opened from memory
 * are refused. The shaper does not keep font: either may be freed first. Returns NULL on
 * failure and, when err is not NULL, writes a message naming the file and the cause into err
 * (NUL-terminated, at most errlen bytes). */
shaper_t *shaper_create(const font_t *font, char *err, size_t errlen);

/* Frees the shaper; accepts NULL. */
void shaper_free(shaper_t *s);

/* Shapes utf8[0..len) as one left-to-right run (script guessed from the text, Latin for the
 * notes we print). lang is a BCP 47 tag ("en", "de", "nl"); NULL or "" selects the font's
 * default language system, whatever the process locale. features is a comma-separated list in
 * HarfBuzz's syntax ("salt", "salt=1,ss01", "-kern", "liga=0", "kern[3:5]=0" with byte
 * offsets); NULL or "" leaves the font's defaults (kern, liga, calt, ...) alone; at most
 * SHAPER_MAX_FEATURES entries, empty entries skipped. The run must hold no line breaks:
 * \n, \t, U+2028 and U+2029 get no special meaning here (most fonts give them glyph 0).
 * On success returns 0 and sets *count to the number of glyphs written to out (at most cap).
 * Returns -1 when the text is not valid UTF-8 (shaper_error() names the byte offset), when len
 * exceeds INT32_MAX, when the feature string is malformed, when memory runs out, or when cap is
 * too small: then *count is the number of glyphs the run needs (> cap), so the caller can grow
 * out and shape again; for every other error *count is 0. out is untouched by a failure. */
int shaper_shape(shaper_t *s, const char *utf8, size_t len, const char *lang, const char *features,
                 shape_glyph_t *out, size_t cap, size_t *count);

/* True when the font's GSUB or GPOS table lists the OpenType feature tag ("salt", "calt",
 * "kern", "ss01"), in any script or language. False for NULL, "" or tags longer than 4. */
bool shaper_has_feature(shaper_t *s, const char *tag);

/* The alternate forms the font offers for glyph on its own: first what 'salt' and the stylistic
 * sets 'ss01'..'ss20' substitute for it alone (alternate-substitution sets in the font's order,
 * then single substitutions by glyph id), then what 'calt' makes of it next to copies of itself
 * (Kristi: o.alt2 for o, from "oo"); never glyph itself, 0 or a ligature (GDEF class). Ligatures
 * and other contextual rules under 'salt' are not alternates (shape with "salt" to get those).
 * Writes up to cap of them to alts (alts may be NULL when cap is 0) and returns how many there
 * are, which may exceed cap. 0 for a glyph without alternates, a glyph id beyond the font, or a
 * font without these features. The same font file always gives the same list. */
uint32_t shaper_alternates(shaper_t *s, uint32_t glyph, uint32_t *alts, uint32_t cap);

/* Why the last shaper_shape() call failed, in English ("invalid UTF-8 at byte 17"); "" when it
 * succeeded or none was made. Valid until the next call on s. */
const char *shaper_error(const shaper_t *s);

#endif
