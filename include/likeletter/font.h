/* font.h - a font file opened with FreeType, and its glyph outlines cached in font units.
 *
 * Each glyph's outline is read from the file once (on first use), cleaned (degenerate contours
 * dropped), checked with outline_check() and kept until font_close(). Pointers returned by
 * font_glyph_outline() stay valid until then. A font_t is not thread-safe: use one per thread
 * or lock around it.
 */
#ifndef LIKELETTER_FONT_H
#define LIKELETTER_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "likeletter/outline.h"

typedef struct font font_t;

typedef enum { FONT_FORMAT_GLYF = 0, FONT_FORMAT_CFF = 1, FONT_FORMAT_OTHER = 2 } font_format_t;

/* Opens a scalable font file (face index 0). Returns NULL on failure and, when err is not NULL,
 * writes a message naming the file and the cause into err (NUL-terminated, at most errlen). */
font_t *font_open(const char *path, char *err, size_t errlen);

/* Opens a font from memory the caller keeps alive until font_close() (fuzzing, embedded
 * assets). Same errors as font_open(). */
font_t *font_open_memory(const uint8_t *data, size_t size, char *err, size_t errlen);

/* Frees the font and every cached outline. Accepts NULL. */
void font_close(font_t *font);

/* The path given to font_open(), or "<memory>". */
const char *font_path(const font_t *font);
font_format_t font_format(const font_t *font);
const char *font_format_name(font_format_t format); /* "glyf", "cff" or "other" */
uint32_t font_units_per_em(const font_t *font);
uint32_t font_glyph_count(const font_t *font);
/* Typographic ascender and descender (descender negative) and line gap, font units. */
void font_vmetrics(const font_t *font, int32_t *ascender, int32_t *descender, int32_t *line_gap);

/* The glyph for a Unicode code point, or 0 (the missing glyph, .notdef) when the font lacks it. */
uint32_t font_glyph_index(font_t *font, uint32_t codepoint);

/* The horizontal advance of a glyph in font units (0 for an unknown glyph). */
int32_t font_glyph_advance(font_t *font, uint32_t glyph);

/* The glyph's outline, loaded and cached on first use. A glyph id beyond the font, or one whose
 * outline FreeType cannot load or that fails outline_check(), yields the font's .notdef outline
 * (logged once per glyph); NULL only when even .notdef cannot be loaded. A glyph without
 * contours (space) yields an empty outline, never NULL. */
const outline_t *font_glyph_outline(font_t *font, uint32_t glyph);

/* The FreeType face (FT_Face) behind the font, for the benchmark's side-by-side runs only. */
void *font_ft_face(font_t *font);

#endif
