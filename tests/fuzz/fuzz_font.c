/* fuzz_font.c - libFuzzer target: the input is a font file, opened from memory.
 *
 * For the first 64 glyphs: font_glyph_outline() must give an outline that outline_check()
 * accepts (or NULL only when .notdef itself is NULL), and it must rasterize, at a size, rotation
 * and shear taken from the input's last bytes, into a buffer of exactly the glyph box's size
 * (ASan catches any write past it). A refused font must come with a message naming <memory>.
 */
#include "likeletter/font.h"
#include "likeletter/geom.h"
#include "likeletter/outline.h"
#include "likeletter/raster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, uint32_t glyph, int code)
{
    fprintf(stderr, "fuzz_font: glyph %u: %s (%d)\n", glyph, what, code);
    abort();
}

static void render(raster_t *r, const outline_t *o, const geom_affine_t *m, uint32_t g)
{
    geom_box_t box;
    int e = raster_glyph_box(o, m, &box);
    if (e != 0) {
        if (e != RASTER_E_TOO_LARGE) {
            fail("raster_glyph_box refused a checked outline", g, e);
        }
        return;
    }
    size_t n = (size_t)box.width * (size_t)box.height;
    uint8_t *dst = malloc(n ? n : 1);
    if (!dst) {
        fail("out of memory", g, 0);
    }
    e = raster_glyph_fill(r, o, m, box, dst, box.width);
    if (e != 0 && e != RASTER_E_NOMEM) {
        fail("raster_glyph_fill refused a checked outline in its own box", g, e);
    }
    free(dst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static raster_t *r;
    if (!r && !(r = raster_create())) {
        fail("raster_create failed", 0, 0);
    }
    char err[256];
    memset(err, 'X', sizeof err);
    font_t *font = font_open_memory(data, size, err, sizeof err);
    if (!font) {
        if (!memchr(err, '\0', sizeof err) || !strstr(err, "<memory>")) {
            fail("a refused font without a message naming <memory>", 0, 0);
        }
        return 0;
    }
    uint8_t a = size > 0 ? data[size - 1] : 0, b = size > 1 ? data[size - 2] : 0;
    double px = 4 + a % 80, rot = (int8_t)b / 4.0, shear = (a >> 4) / 32.0;
    geom_affine_t m = geom_affine_glyph(font_units_per_em(font), px, rot, shear, 3.5, px * 1.5);

    const outline_t *notdef = font_glyph_outline(font, 0);
    uint32_t count = font_glyph_count(font);
    for (uint32_t g = 0; g < count && g < 64; g++) {
        const outline_t *o = font_glyph_outline(font, g);
        if (!o) {
            if (notdef) {
                fail("NULL outline although .notdef exists", g, 0);
            }
            continue;
        }
        int e = outline_check(o);
        if (e != OUTLINE_OK) {
            fail("font_glyph_outline gave an outline outline_check refuses", g, e);
        }
        if (o != font_glyph_outline(font, g)) {
            fail("the cached outline moved", g, 0);
        }
        (void)font_glyph_advance(font, g);
        render(r, o, &m, g);
    }
    /* Glyph ids past the end and a few code points. */
    const outline_t *past = font_glyph_outline(font, count);
    if ((past == NULL) != (notdef == NULL) ||
        (past &&
         (past->verb_count != notdef->verb_count || past->point_count != notdef->point_count))) {
        fail("a glyph past the end is not .notdef", count, 0);
    }
    for (uint32_t cp = 0x20; cp < 0x80; cp += 13) {
        uint32_t g = font_glyph_index(font, cp);
        if (g >= count) {
            fail("font_glyph_index beyond the glyph count", g, (int)cp);
        }
    }
    int32_t asc, desc, gap;
    font_vmetrics(font, &asc, &desc, &gap);
    font_close(font);
    return 0;
}
