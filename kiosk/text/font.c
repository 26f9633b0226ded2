/* font.c - see font.h. FreeType parses the file; we keep each glyph's outline once. */
#include "likeletter/font.h"

#include "likeletter/log.h"

#include <errno.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_FONT_FORMATS_H
#include FT_OUTLINE_H
#include FT_ADVANCES_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { SLOT_EMPTY = 0, SLOT_OWN = 1, SLOT_NOTDEF = 2 };

struct font {
    FT_Library lib;
    FT_Face face;
    char *path;
    font_format_t format;
    uint32_t glyph_count;
    outline_t **outlines; /* glyph_count slots, loaded on first use */
    uint8_t *slot_state;  /* SLOT_* per glyph */
};

/* Growing arrays for one glyph while FreeType decomposes it; freed after the copy. */
typedef struct builder {
    uint8_t verbs[OUTLINE_MAX_VERBS];
    float points[2 * OUTLINE_MAX_POINTS];
    uint32_t verb_count, point_count;
    uint32_t contour_verb, contour_point; /* where the open contour starts */
    bool overflow;
} builder_t;

static void err_set(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err_set(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static const char *ft_error_text(FT_Error e)
{
    switch (e) {
    case FT_Err_Unknown_File_Format:
        return "not a font file (unknown format)";
    case FT_Err_Invalid_File_Format:
    case FT_Err_Invalid_Table:
    case FT_Err_Table_Missing:
        return "malformed font file";
    case FT_Err_Cannot_Open_Resource:
        return "cannot open the file";
    case FT_Err_Out_Of_Memory:
        return "out of memory";
    default: {
        const char *s = FT_Error_String(e);
        return s ? s : "FreeType could not load it";
    }
    }
}

void font_close(font_t *font)
{
    if (!font) {
        return;
    }
    for (uint32_t g = 0; font->outlines && g < font->glyph_count; g++) {
        if (font->slot_state[g] == SLOT_OWN) {
            free(font->outlines[g]);
        }
    }
    free(font->outlines);
    free(font->slot_state);
    if (font->face) {
        FT_Done_Face(font->face);
    }
    if (font->lib) {
        FT_Done_FreeType(font->lib);
    }
    free(font->path);
    free(font);
}

static font_format_t format_of(FT_Face face)
{
    const char *f = FT_Get_Font_Format(face);
    if (f && strcmp(f, "TrueType") == 0) {
        return FONT_FORMAT_GLYF;
    }
    if (f && (strcmp(f, "CFF") == 0 || strcmp(f, "Type 1") == 0)) {
        return FONT_FORMAT_CFF;
    }
    return FONT_FORMAT_OTHER;
}

/* Everything after FreeType accepted the face: checks it is usable, sets up the cache. */
static font_t *font_finish(font_t *font, char *err, size_t errlen)
{
    FT_Face face = font->face;
    if (!FT_IS_SCALABLE(face) || face->num_glyphs <= 0 || face->units_per_EM < 1 ||
        face->units_per_EM > 16384) {
        err_set(err, errlen, "%s: not a scalable outline font", font->path);
        font_close(font);
        return NULL;
    }
    (void)FT_Select_Charmap(face, FT_ENCODING_UNICODE); /* symbol fonts keep their own */
    font->format = format_of(face);
    font->glyph_count = (uint32_t)face->num_glyphs;
    font->outlines = calloc(font->glyph_count, sizeof *font->outlines);
    font->slot_state = calloc(font->glyph_count, 1);
    if (!font->outlines || !font->slot_state) {
        err_set(err, errlen, "%s: out of memory", font->path);
        font_close(font);
        return NULL;
    }
    return font;
}

static font_t *font_new(const char *path, char *err, size_t errlen)
{
    font_t *font = calloc(1, sizeof *font);
    if (font) {
        font->path = strdup(path);
    }
    if (!font || !font->path || FT_Init_FreeType(&font->lib) != 0) {
        err_set(err, errlen, "%s: out of memory", path);
        font_close(font);
        return NULL;
    }
    return font;
}

font_t *font_open(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        err_set(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        err_set(err, errlen, "%s: not a regular file", path);
        return NULL;
    }
    font_t *font = font_new(path, err, errlen);
    if (!font) {
        return NULL;
    }
    FT_Error e = FT_New_Face(font->lib, path, 0, &font->face);
    if (e != 0) {
        err_set(err, errlen, "%s: %s", path, ft_error_text(e));
        font->face = NULL;
        font_close(font);
        return NULL;
    }
    return font_finish(font, err, errlen);
}

font_t *font_open_memory(const uint8_t *data, size_t size, char *err, size_t errlen)
{
    font_t *font = font_new("<memory>", err, errlen);
    if (!font) {
        return NULL;
    }
    if (size > (size_t)INT32_MAX) {
        err_set(err, errlen, "<memory>: font too large");
        font_close(font);
        return NULL;
    }
    FT_Error e = FT_New_Memory_Face(font->lib, data, (FT_Long)size, 0, &font->face);
    if (e != 0) {
        err_set(err, errlen, "<memory>: %s", ft_error_text(e));
        font->face = NULL;
        font_close(font);
        return NULL;
    }
    return font_finish(font, err, errlen);
}

const char *font_path(const font_t *font)
{
    return font->path;
}

font_format_t font_format(const font_t *font)
{
    return font->format;
}

const char *font_format_name(font_format_t format)
{
    return format == FONT_FORMAT_GLYF ? "glyf" : format == FONT_FORMAT_CFF ? "cff" : "other";
}

uint32_t font_units_per_em(const font_t *font)
{
    return font->face->units_per_EM;
}

uint32_t font_glyph_count(const font_t *font)
{
    return font->glyph_count;
}

void font_vmetrics(const font_t *font, int32_t *ascender, int32_t *descender, int32_t *line_gap)
{
    FT_Face f = font->face;
    *ascender = f->ascender;
    *descender = f->descender;
    *line_gap = f->height - (f->ascender - f->descender);
}

uint32_t font_glyph_index(font_t *font, uint32_t codepoint)
{
    return FT_Get_Char_Index(font->face, codepoint);
}

int32_t font_glyph_advance(font_t *font, uint32_t glyph)
{
    FT_Fixed adv = 0;
    if (glyph >= font->glyph_count ||
        FT_Get_Advance(font->face, glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING, &adv) != 0) {
        return 0;
    }
    return (int32_t)adv;
}

void *font_ft_face(font_t *font)
{
    return font->face;
}

/* ---- decomposition into the builder ---- */

/* Drops the open contour when it encloses no area (stray points, hairlines). */
static void builder_close_contour(builder_t *b)
{
    uint32_t n = b->point_count - b->contour_point;
    if (b->verb_count > b->contour_verb &&
        !outline_contour_has_area(b->points + 2 * b->contour_point, n)) {
        b->verb_count = b->contour_verb;
        b->point_count = b->contour_point;
    }
}

static int builder_push(builder_t *b, uint8_t verb, const FT_Vector *const *pts, uint32_t n)
{
    if (b->verb_count >= OUTLINE_MAX_VERBS || OUTLINE_MAX_POINTS - b->point_count < n) {
        b->overflow = true;
        return 1; /* stops FT_Outline_Decompose */
    }
    b->verbs[b->verb_count++] = verb;
    for (uint32_t i = 0; i < n; i++) {
        b->points[2 * b->point_count] = (float)pts[i]->x;
        b->points[2 * b->point_count + 1] = (float)pts[i]->y;
        b->point_count++;
    }
    return 0;
}

static int cb_move(const FT_Vector *to, void *user)
{
    builder_t *b = user;
    builder_close_contour(b);
    b->contour_verb = b->verb_count;
    b->contour_point = b->point_count;
    const FT_Vector *p[1] = {to};
    return builder_push(b, OUTLINE_MOVE, p, 1);
}

static int cb_line(const FT_Vector *to, void *user)
{
    const FT_Vector *p[1] = {to};
    return builder_push(user, OUTLINE_LINE, p, 1);
}

static int cb_conic(const FT_Vector *c, const FT_Vector *to, void *user)
{
    const FT_Vector *p[2] = {c, to};
    return builder_push(user, OUTLINE_QUAD, p, 2);
}

static int cb_cubic(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to, void *user)
{
    const FT_Vector *p[3] = {c1, c2, to};
    return builder_push(user, OUTLINE_CUBIC, p, 3);
}

static const FT_Outline_Funcs decompose_funcs = {
    .move_to = cb_move,
    .line_to = cb_line,
    .conic_to = cb_conic,
    .cubic_to = cb_cubic,
    .shift = 0,
    .delta = 0,
};

/* Copies the builder into one allocation: the outline_t, then points, then verbs. */
static outline_t *builder_finish(const builder_t *b, uint32_t units_per_em)
{
    size_t pts = 2 * (size_t)b->point_count * sizeof(float);
    outline_t *o = malloc(sizeof *o + pts + b->verb_count);
    if (!o) {
        return NULL;
    }
    float *p = (float *)(o + 1);
    uint8_t *v = (uint8_t *)p + pts;
    memcpy(p, b->points, pts);
    memcpy(v, b->verbs, b->verb_count);
    *o = (outline_t){.verbs = v,
                     .points = p,
                     .verb_count = b->verb_count,
                     .point_count = b->point_count,
                     .units_per_em = units_per_em};
    outline_bounds_update(o);
    return o;
}

/* Loads one glyph's outline from the file; NULL when FreeType or outline_check refuses it. */
static outline_t *glyph_load(font_t *font, uint32_t glyph)
{
    FT_Int32 flags =
        FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP | FT_LOAD_IGNORE_TRANSFORM;
    FT_Error e = FT_Load_Glyph(font->face, glyph, flags);
    if (e != 0 || font->face->glyph->format != FT_GLYPH_FORMAT_OUTLINE) {
        log_msg(LOG_WARN, "%s: glyph %u: %s", font->path, glyph,
                e ? ft_error_text(e) : "not an outline");
        return NULL;
    }
    builder_t *b = calloc(1, sizeof *b);
    if (!b) {
        return NULL;
    }
    e = FT_Outline_Decompose(&font->face->glyph->outline, &decompose_funcs, b);
    builder_close_contour(b);
    outline_t *o = NULL;
    if (e != 0 || b->overflow) {
        log_msg(LOG_WARN, "%s: glyph %u: %s", font->path, glyph,
                b->overflow ? "too many points" : "malformed outline");
    } else {
        o = builder_finish(b, font->face->units_per_EM);
    }
    free(b);
    int check = o ? outline_check(o) : OUTLINE_OK;
    if (check != OUTLINE_OK) {
        log_msg(LOG_WARN, "%s: glyph %u: %s", font->path, glyph, outline_error_string(check));
        free(o);
        o = NULL;
    }
    return o;
}

const outline_t *font_glyph_outline(font_t *font, uint32_t glyph)
{
    if (glyph >= font->glyph_count) {
        glyph = 0;
    }
    if (font->slot_state[glyph] == SLOT_EMPTY) {
        outline_t *o = glyph_load(font, glyph);
        font->outlines[glyph] = o;
        font->slot_state[glyph] = o ? SLOT_OWN : SLOT_NOTDEF;
    }
    if (font->slot_state[glyph] == SLOT_OWN) {
        return font->outlines[glyph];
    }
    return glyph == 0 ? NULL : font_glyph_outline(font, 0);
}
