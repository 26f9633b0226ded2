/* card-private.h - the card renderer's insides, shared by card.c (inputs, fitting, placement)
 * and card-draw.c (pixels: paper, border, words, QR). */
#ifndef LIKELETTER_CARD_PRIVATE_H
#define LIKELETTER_CARD_PRIVATE_H

#include "likeletter/card.h"
#include "likeletter/font.h"
#include "likeletter/handwriting.h"
#include "likeletter/layout.h"
#include "likeletter/qr.h"
#include "likeletter/raster.h"
#include "likeletter/shape.h"

#define WORD_MAX_GLYPHS 256 /* longer words are drawn in pieces of this many glyphs */
#define ALT_MAX 4           /* alternates kept per glyph (the fonts we ship have 1) */
#define ALT_UNKNOWN 0xFF    /* alt_n: not looked up yet */

/* The ornament as read from its file (coverage, dark = ink), and scaled to the last dpi. */
typedef struct ornament {
    char *path; /* the file cov was read from; NULL: none read */
    uint8_t *cov, *scaled;
    int32_t width, height, scaled_width, scaled_height;
    double dpi, scaled_dpi; /* the file's (pHYs, else 300); the scaled copy's */
} ornament_t;

/* The glyphs of one word being drawn: their outlines, maps, boxes and ink weights. */
typedef struct word {
    const outline_t *outline[WORD_MAX_GLYPHS];
    geom_affine_t m[WORD_MAX_GLYPHS];
    geom_box_t box[WORD_MAX_GLYPHS];
    double ink[WORD_MAX_GLYPHS];
    size_t n;
    geom_box_t all;
} word_t;

enum { TEXT_SAL = 0, TEXT_NOTE = 1, TEXT_SIG = 2, TEXT_CAPTION = 3, TEXT_COUNT = 4 };

struct card_renderer {
    font_t *font, *fallback;
    shaper_t *shaper, *fallback_shaper;
    layout_t *layout[TEXT_COUNT];
    raster_t *raster;
    handwriting_t *hand, *plain; /* hand: for hand_seed/hand_plain; plain: the caption's */
    uint64_t hand_seed;
    bool hand_plain;
    qr_t *qr;
    char qr_url[QR_URL_MAX + 1]; /* the link qr was made from */
    uint8_t *cov, *qr_cov;       /* scratch coverage: a word's box, the QR symbol */
    size_t cov_cap, qr_cap;
    uint8_t *ink_cols; /* scratch: ink weight per column of a word's box */
    size_t ink_cap;
    uint8_t *span; /* scratch: a row's blend weights, then the ink colour, per byte (RGB) */
    size_t span_cap;
    word_t *word;             /* scratch: the word being drawn */
    uint8_t *alt_n;           /* per primary glyph: how many alternates, or ALT_UNKNOWN */
    uint32_t (*alt)[ALT_MAX]; /* per primary glyph: the alternates (shaper_alternates()) */
    uint32_t alt_glyphs;      /* the primary font's glyph count: entries in alt_n and alt */
    ornament_t orn;
    card_glyph_t *glyphs; /* what the last render drew */
    size_t glyph_count, glyph_cap;
    card_info_t info;
    char sal[CARD_SALUTATION_MAX + CARD_NAME_MAX + 8], sig[CARD_NAME_MAX + 32];
    char caption[CARD_TITLE_MAX + CARD_NAME_MAX + 64];
};

/* The canvas a render draws into, and its colours. */
typedef struct canvas {
    uint8_t *rgb;
    int32_t width, height;
    ptrdiff_t stride;
    uint8_t paper[3], ink[3];
} canvas_t;

/* One laid-out text to draw: its layout, the fonts its layout indices stand for (and their
 * CARD fonts, 0 handwriting / 1 fallback), the variation, and where its lines go. */
typedef struct block {
    const layout_t *layout;
    font_t *fonts[2];
    uint8_t font_ids[2];
    const handwriting_t *hand;
    uint8_t text;       /* CARD_TEXT_* */
    double px;          /* the primary font's em, pixels */
    double line_height; /* nominal baseline to baseline, pixels */
    double left, width; /* the text column, pixels */
    bool right_align;
    double ink_scale; /* multiplies every glyph's ink weight */
    size_t line0;     /* the handwriting line index of the block's first line */
} block_t;

/* Fills the canvas with paper colour; draws a border line around the panel when asked. */
void card_draw_paper(const canvas_t *c);
void card_draw_border(const canvas_t *c, geom_box_t panel, double dpi);

/* Draws the ornament's scaled coverage with its top-right corner at (right, top), tinted with
 * the ink. */
void card_draw_ornament(const canvas_t *c, const ornament_t *o, int32_t right, int32_t top);

/* Makes o->scaled: o->cov resampled from o->dpi to dpi (area average when shrinking, linear
 * when enlarging). Returns 0, or -1 when out of memory or the result would exceed the card. */
int card_ornament_scale(ornament_t *o, double dpi);

/* Draws b's lines, the first with its baseline at y (pixels), each next one a line height
 * times its handwriting spacing lower; returns the last line's baseline in *last_y. Records the
 * glyphs in r->glyphs. Returns 0, or -1 with err set. */
int card_draw_block(card_renderer_t *r, const canvas_t *c, const block_t *b, double y,
                    double *last_y, char *err, size_t errlen);

/* Draws r->qr with its quiet zone at box (module_px modules) in black. Returns 0 or -1. */
int card_draw_qr(card_renderer_t *r, const canvas_t *c, geom_box_t box, int32_t module_px,
                 char *err, size_t errlen);

/* Grows *buf to hold at least need bytes (elements of size elem); 0 or -1. */
int card_grow(void **buf, size_t *cap, size_t need, size_t elem);

#endif
