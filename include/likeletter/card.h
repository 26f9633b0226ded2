/* card.h - the thank-you card: a note in a handwriting font, its salutation and signature, and
 * a QR code back to the thanked post with a small caption, drawn into an RGB8 canvas.
 *
 * The card is drawn at its physical size and a resolution (card_size_px()): A6 105x148 mm,
 * 4x6 in and 5x7 in portrait; A5 is the whole sheet of a card folded once, drawn landscape
 * (210x148 mm, as it lies open) with everything on the inside right half (105x148 mm) and the
 * left half left blank. Inside the safe margin (CARD_MARGIN_MM) of the written panel, from the top:
 * the salutation ("Dear NAME," / "Liebe NAME," / "Beste NAME," by language, or the
 * content's own greeting: German has "Lieber" for a man, and "Hallo" for either), the note, the
 * signature ("— FROM", right-aligned), and at the bottom the QR code in the lower right (black, >=
 * 0.5 mm and >= 4 px modules, its quiet zone in paper colour) with a caption to its left: the
 * post's title (cut with "…" when too long), "by NAME" and the date, in the fallback font (DejaVu
 * Sans) at a small size.
 *
 * The text is written in the handwriting font (characters it lacks come from the fallback font)
 * with the seeded variation of handwriting.h: each line's margin, slope, bend and spacing, each
 * glyph's rotation, scale, shear, baseline offset and ink weight; a letter that recurs in a line
 * is drawn in the font's alternate forms where it has them (salt, ss01-ss20, calt: see
 * shaper_alternates()), the seed picking the form per occurrence so that consecutive ones
 * differ; every word is rasterized as one accumulation, so joins have no seams. With plain set
 * the text is drawn exactly as shaped. The same spec, content and fonts give the same
 * pixels, byte for byte. The text size is spec->em_mm; when the note does not fit, it shrinks
 * in 0.1 mm steps down to spec->min_em_mm, and below that the render fails saying how much of
 * the note fits.
 *
 * Usage: card_renderer_create() once (opens the fonts, makes the shapers, layouts and
 * rasterizer) -> card_size_px() -> caller allocates w * 3 bytes per row -> card_render() per
 * change (each keystroke in the preview) -> card_renderer_free().
 *
 * Memory: a renderer owns its fonts, shapers, layouts, rasterizer and scratch buffers, which
 * grow to the largest card seen and are reused: re-rendering a card of a size seen before
 * allocates nothing but the QR symbol when the link changed and the ornament when its path or
 * the dpi changed. Each glyph's alternates are looked up once per renderer. The canvas is the
 * caller's. Errors: functions returning int return 0 or -1 with an English message in err
 * (NUL-terminated, truncated to errlen; err may be NULL) that names the problem and, for text,
 * the byte offset. Nothing here logs but image_png_read_memory()'s one line about an ornament
 * that is not a readable PNG. Threads: a renderer belongs to one thread at a time;
 * different renderers may be used at once.
 */
#ifndef LIKELETTER_CARD_H
#define LIKELETTER_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "likeletter/geom.h"

#define CARD_MARGIN_MM 8.0  /* safe margin around the written panel */
#define CARD_EM_MM 7.0      /* default text size (em), mm */
#define CARD_MIN_EM_MM 4.5  /* default smallest size auto-fit may shrink to, mm */
#define CARD_NAME_MAX 200   /* longest name (to, from), bytes */
#define CARD_TITLE_MAX 1024 /* longest post title, bytes */
#define CARD_DPI_MIN 72     /* resolutions card_render() accepts */
#define CARD_DPI_MAX 1200
#define CARD_PAPER 0xFBF8F1u       /* warm white, 0xRRGGBB */
#define CARD_INK_DEFAULT 0x1B2A4Au /* blue-black */

typedef enum { CARD_A6 = 0, CARD_A5 = 1, CARD_4X6 = 2, CARD_5X7 = 3 } card_format_t;

typedef enum { CARD_LANG_EN = 0, CARD_LANG_DE = 1, CARD_LANG_NL = 2 } card_lang_t;

/* The fonts, by path: font is the handwriting font (required), fallback fills the characters
 * it lacks and sets the caption (NULL: none; the caption then uses font). */
typedef struct card_fonts {
    const char *font;
    const char *fallback;
} card_fonts_t;

/* How to draw. em_mm in [1, 30]; min_em_mm in [1, em_mm] (equal, or 0: no auto-fit). Start from
 * a zeroed struct (designated initializers), so fields added later keep their "off" value. */
typedef struct card_spec {
    card_format_t format;
    int32_t dpi;      /* CARD_DPI_MIN..CARD_DPI_MAX (the CLI offers 300 and 600) */
    uint64_t seed;    /* the handwriting variation's seed */
    bool plain;       /* no variation: the text exactly as shaped */
    bool border;      /* a thin line around the written panel */
    uint32_t ink;     /* 0xRRGGBB */
    double em_mm;     /* 0 = CARD_EM_MM */
    double min_em_mm; /* 0 = no auto-fit */
    /* A PNG (e.g. assets/ornament-sprig.png) drawn in the top-right corner of the written panel,
     * its darkness as coverage tinted with the ink, at the resolution its pHYs chunk gives (300
     * dpi without one) scaled to the card's; NULL = none. At most 4 MiB and 2048 pixels a side.
     * The renderer reads it once per path (a changed file under the same path is not re-read)
     * and keeps the scaled copy for the last dpi; the string stays the caller's. */
    const char *ornament;
} card_spec_t;

/* What to write, all UTF-8. to, from and title: one line each (no line breaks or control
 * characters), to and from 1..CARD_NAME_MAX bytes, title 0..CARD_TITLE_MAX; note: note_len
 * bytes (need not be NUL-terminated), at most LAYOUT_MAX_BYTES, checked as layout_run() does;
 * date: "YYYY-MM-DD", or NULL / "" for none (the renderer never reads the clock). */
#define CARD_SALUTATION_MAX 40 /* bytes of a greeting before the name ("Lieber") */

typedef struct card_content {
    const char *post_url;
    const char *post_title;
    const char *to;
    const char *from;
    const char *note;
    size_t note_len;
    const char *date;
    card_lang_t lang;
    /* The greeting before the name, one line of 1..CARD_SALUTATION_MAX bytes; NULL or "" for the
     * language's (card_salutation_default()). */
    const char *salutation;
} card_content_t;

/* The language's greeting: "Dear", "Liebe", "Beste" (NULL for an unknown language). */
const char *card_salutation_default(card_lang_t lang);

/* One glyph as the last render drew it: which font (LAYOUT_FONT_PRIMARY or _FALLBACK), glyph
 * id, the font-units-to-pixels map it was rasterized with, its ink weight (0..1), its byte
 * offset in its text and which text: CARD_TEXT_*. For the preview's caret and for tests. */
enum {
    CARD_TEXT_SALUTATION = 0,
    CARD_TEXT_NOTE = 1,
    CARD_TEXT_SIGNATURE = 2,
    CARD_TEXT_CAPTION = 3
};

typedef struct card_glyph {
    uint32_t glyph;
    uint32_t cluster;
    uint8_t font;
    uint8_t text;
    double ink;
    geom_affine_t m;
} card_glyph_t;

/* What the last successful render did. */
typedef struct card_info {
    double em_mm;           /* the text size used (after auto-fit) */
    size_t note_lines;      /* lines of the note */
    size_t missing;         /* characters neither font has (drawn as .notdef), all texts */
    size_t fallback_glyphs; /* glyphs drawn from the fallback font in the handwritten texts */
    int32_t qr_module_px;   /* the QR code's module size */
    geom_box_t qr_box;      /* where the QR code went, quiet zone included */
} card_info_t;

typedef struct card_renderer card_renderer_t;

/* Opens the fonts and makes everything a render needs. Returns NULL with the reason in err
 * (a font that cannot be opened: the message names the file). Free with card_renderer_free(). */
card_renderer_t *card_renderer_create(const card_fonts_t *fonts, char *err, size_t errlen);

/* Frees the renderer and everything it owns; accepts NULL. */
void card_renderer_free(card_renderer_t *r);

/* Metrics: the canvas size in pixels for spec's format and dpi (mm / 25.4 * dpi, rounded):
 * A6 at 300 dpi is 1240x1748; A5 is landscape (2480x1748). Returns 0, or -1 for a NULL
 * argument, an unknown format or a dpi out of range. Thread-safe. */
int card_size_px(const card_spec_t *spec, int32_t *width, int32_t *height);

/* The format's size in mm as drawn (A5: 210x148), its name ("A6", "A5", "4x6", "5x7"), and the
 * PWG media name of the sheet as a printer feeds it, portrait ("iso_a6_105x148mm",
 * "iso_a5_148x210mm", "na_index-4x6_4x6in", "na_5x7_5x7in"). An unknown format gives 0 / NULL.
 * Thread-safe. */
void card_format_mm(card_format_t format, double *width_mm, double *height_mm);
const char *card_format_name(card_format_t format);
const char *card_format_media(card_format_t format);

/* Parsers for the command line; each returns 0, or -1 leaving *out alone. Formats "a6", "a5",
 * "4x6", "5x7"; languages "en", "de", "nl"; inks "#RRGGBB" or the names "blue-black", "black",
 * "blue"; dates "YYYY-MM-DD" (a real calendar date, years 1900..9999). Thread-safe. */
int card_format_parse(const char *s, card_format_t *out);
int card_lang_parse(const char *s, card_lang_t *out);
int card_ink_parse(const char *s, uint32_t *out);
int card_date_check(const char *s);

/* Draws the card into rgb: height rows of width * 3 bytes (card_size_px()), rows stride bytes
 * apart (stride >= width * 3). Checks every input first (the message names the problem: a
 * refused link as qr_url_check() words it, "the note: invalid UTF-8 at byte 17", "the note is
 * too long for an A6 card: the first 412 of 980 bytes fit", ...). Returns 0, or -1 with err set;
 * after a failure the canvas holds an unfinished card. */
int card_render(card_renderer_t *r, const card_spec_t *spec, const card_content_t *content,
                uint8_t *rgb, ptrdiff_t stride, char *err, size_t errlen);

/* The last successful render's numbers, and its handwritten and caption glyphs (count in
 * *count); the array stays valid until the next render or free. Both are empty before the first
 * success. */
void card_renderer_info(const card_renderer_t *r, card_info_t *info);
const card_glyph_t *card_renderer_glyphs(const card_renderer_t *r, size_t *count);

#endif
