/* cmd-glyphs.c - `likeletter glyphs`: a font's glyph sheet rendered by our core, as a PNG. */
#include "commands.h"

#include "likeletter/font.h"
#include "likeletter/image.h"
#include "likeletter/raster.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct glyphs_opts {
    const char *font, *out;
    double size, rotate, shear;
    int columns;
    bool all; /* every glyph id, not just the letters of our languages */
} glyphs_opts_t;

/* The letters a card in English, German or Dutch may need, beyond ASCII. */
static const uint32_t extra_codepoints[] = {
    0xe4,   0xf6,   0xfc,   0xdf,   0xc4,   0xd6,   0xdc,   0xeb,   0xe9,  0xe8,  0xea,  0xef,
    0x20ac, 0x2013, 0x2014, 0x201e, 0x201c, 0x201d, 0x2018, 0x2019, 0x133, 0x132, 0x1e9e};

static int usage(const char *msg)
{
    fprintf(stderr,
            "likeletter glyphs: %s\nusage: likeletter glyphs --font FILE [--size PX] "
            "[--rotate DEG] [--shear X] [--columns N] [--all] -o SHEET.png\n",
            msg);
    return 2;
}

static bool parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) {
        return false;
    }
    *out = v;
    return true;
}

static int parse_args(int argc, char **argv, glyphs_opts_t *o)
{
    *o = (glyphs_opts_t){.size = 64, .columns = 16};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        double d;
        if (strcmp(a, "--all") == 0) {
            o->all = true;
            continue;
        }
        if (!v) {
            fprintf(stderr, "likeletter glyphs: %s needs a value\n", a);
            return -1;
        }
        i++;
        if (strcmp(a, "--font") == 0) {
            o->font = v;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            o->out = v;
        } else if (strcmp(a, "--size") == 0 && parse_double(v, 4, 1000, &d)) {
            o->size = d;
        } else if (strcmp(a, "--rotate") == 0 && parse_double(v, -360, 360, &d)) {
            o->rotate = d;
        } else if (strcmp(a, "--shear") == 0 && parse_double(v, -2, 2, &d)) {
            o->shear = d;
        } else if (strcmp(a, "--columns") == 0 && parse_double(v, 1, 256, &d)) {
            o->columns = (int)d;
        } else {
            fprintf(stderr, "likeletter glyphs: bad option or value: %s %s\n", a, v);
            return -1;
        }
    }
    return 0;
}

/* The glyph ids to show: each distinct present glyph of ASCII and the extras, or all of them. */
static uint32_t *sheet_glyphs(font_t *font, bool all, uint32_t *count)
{
    uint32_t n = all ? font_glyph_count(font) : 94 + (uint32_t)(sizeof extra_codepoints / 4);
    uint32_t *ids = malloc(n * sizeof *ids);
    uint32_t k = 0;
    for (uint32_t i = 0; ids && i < n; i++) {
        uint32_t g = all ? i : font_glyph_index(font, i < 94 ? 0x21 + i : extra_codepoints[i - 94]);
        if (all || g != 0) {
            ids[k++] = g;
        }
    }
    *count = k;
    return ids;
}

/* Darkens the sheet (ink on white) by the coverage in cov, placed at box. */
static void sheet_blend(uint8_t *sheet, int32_t sw, int32_t sh, const uint8_t *cov, geom_box_t b)
{
    for (int32_t y = 0; y < b.height; y++) {
        int32_t sy = b.y + y;
        for (int32_t x = 0; sy >= 0 && sy < sh && x < b.width; x++) {
            int32_t sx = b.x + x;
            uint8_t c = cov[(size_t)y * (size_t)b.width + (size_t)x];
            uint8_t *p = sheet + (size_t)sy * (size_t)sw + (size_t)sx;
            if (sx >= 0 && sx < sw && 255 - c < *p) {
                *p = (uint8_t)(255 - c);
            }
        }
    }
}

typedef struct sheet {
    uint8_t *pixels;
    int32_t width, height, cell_w, cell_h, baseline;
} sheet_t;

static int sheet_draw(font_t *font, const glyphs_opts_t *o, const uint32_t *ids, uint32_t n,
                      sheet_t *s)
{
    raster_t *r = raster_create();
    uint8_t *cov = NULL;
    size_t cov_cap = 0;
    int rc = r ? 0 : RASTER_E_NOMEM;
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        const outline_t *ol = font_glyph_outline(font, ids[i]);
        double ox = (double)(i % (uint32_t)o->columns) * s->cell_w + s->cell_w * 0.25;
        double oy = (double)(i / (uint32_t)o->columns) * s->cell_h + s->baseline;
        geom_affine_t m =
            geom_affine_glyph(font_units_per_em(font), o->size, o->rotate, o->shear, ox, oy);
        geom_box_t b;
        if (!ol || (rc = raster_glyph_box(ol, &m, &b)) != 0 || b.width == 0) {
            continue;
        }
        size_t need = (size_t)b.width * (size_t)b.height;
        if (need > cov_cap) {
            free(cov);
            cov_cap = need;
            if (!(cov = malloc(cov_cap))) {
                rc = RASTER_E_NOMEM;
                break;
            }
        }
        rc = raster_glyph_fill(r, ol, &m, b, cov, b.width);
        if (rc == 0) {
            sheet_blend(s->pixels, s->width, s->height, cov, b);
        }
    }
    if (rc != 0) {
        fprintf(stderr, "likeletter glyphs: %s: %s\n", font_path(font), raster_error_string(rc));
    }
    free(cov);
    raster_free(r);
    return rc;
}

int cmd_glyphs(int argc, char **argv, const paths_t *paths)
{
    (void)paths;
    glyphs_opts_t o;
    if (parse_args(argc, argv, &o) < 0) {
        return usage("bad arguments");
    }
    if (!o.font || !o.out) {
        return usage(!o.font ? "--font is required" : "-o SHEET.png is required");
    }
    char err[512];
    font_t *font = font_open(o.font, err, sizeof err);
    if (!font) {
        fprintf(stderr, "likeletter glyphs: cannot open font %s\n", err);
        return 1;
    }
    uint32_t n = 0;
    uint32_t *ids = sheet_glyphs(font, o.all, &n);
    int32_t asc, desc, gap;
    font_vmetrics(font, &asc, &desc, &gap);
    double upem = font_units_per_em(font);
    sheet_t s = {.cell_w = (int32_t)ceil(o.size * 1.5)};
    s.cell_h = (int32_t)ceil((asc - desc) * o.size / upem + o.size * 0.5);
    s.baseline = (int32_t)ceil(asc * o.size / upem + o.size * 0.25);
    uint32_t rows = n ? (n + (uint32_t)o.columns - 1) / (uint32_t)o.columns : 1;
    s.width = s.cell_w * o.columns;
    s.height = s.cell_h * (int32_t)rows;
    int rc = 1;
    if ((double)s.width * s.height > 400e6) {
        fprintf(stderr, "likeletter glyphs: a %dx%d sheet is too large; lower --size\n", s.width,
                s.height);
    } else if (ids && (s.pixels = malloc((size_t)s.width * (size_t)s.height))) {
        memset(s.pixels, 255, (size_t)s.width * (size_t)s.height);
        image_view_t img = {s.pixels, s.width, s.height, s.width, IMAGE_GRAY8, 0};
        if (sheet_draw(font, &o, ids, n, &s) == 0 && image_png_write(&img, o.out) == 0) {
            printf("wrote %s: %u glyphs of %s at %.1f px, %dx%d pixels\n", o.out, n, o.font, o.size,
                   s.width, s.height);
            rc = 0;
        }
    }
    free(s.pixels);
    free(ids);
    font_close(font);
    return rc;
}
