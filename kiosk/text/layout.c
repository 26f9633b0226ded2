/* layout.c - see layout.h. Three passes per paragraph: shape the whole paragraph with the
 * primary font, splice in fallback runs for the clusters it lacks (both into `items`, pen
 * positions along the paragraph in pixels), then walk the clusters once, filling lines greedily
 * and copying each finished line's glyphs into the result with x rebased to the line's start. */
#include "likeletter/layout.h"

#include "likeletter/utf8.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_CAP 64          /* first allocation of each array, elements */
#define MIN_EM_METRIC 0.05  /* an x- or cap height outside these ems is a broken font's, */
#define MAX_EM_METRIC 2.0   /* not a real one, and is ignored */
#define DEFAULT_LEADING 1.2 /* line height in ems when the font's metrics say nothing usable */
#define MIN_FB_SCALE 0.25   /* real fonts' x-heights differ by well under 2x; beyond these, */
#define MAX_FB_SCALE 4.0    /* a font's metrics lie, and the fallback stays within the sizes */

/* One glyph of the paragraph being laid out, positioned along the whole paragraph. */
typedef struct item {
    uint32_t glyph, cluster; /* cluster: byte offset in the note */
    uint8_t font;
    bool space; /* set while breaking: the glyph's cluster is blanks */
    double pen, advance, dx, dy, scale;
} item_t;

struct layout {
    layout_glyph_t *glyphs;
    size_t glyph_count, glyph_cap;
    layout_line_t *lines;
    size_t line_count, line_cap;
    item_t *items; /* scratch: the current paragraph */
    size_t item_count, item_cap;
    shape_glyph_t *shaped; /* scratch: the primary's glyphs for the paragraph */
    size_t shaped_cap;
    shape_glyph_t *fb; /* scratch: the fallback's glyphs for one missing run */
    size_t fb_cap;
    char *text; /* scratch: a paragraph with tabs turned into spaces */
    size_t text_cap;
    double line_height, fb_scale;
    bool overflow;
    size_t fit;
    size_t missing, missing_offset;
    uint32_t missing_cp;
    char error[160];
};

/* What one layout_run() call works with, so helpers take one argument instead of eight. */
typedef struct run {
    layout_t *l;
    const layout_params_t *p;
    const char *note;      /* the whole note: cluster offsets index it */
    size_t len;            /* the note's length */
    double px, fb_px;      /* pixels per font unit: primary, fallback (scale included) */
    double notdef_advance; /* the primary's .notdef, pixels */
} run_t;

/* A paragraph being broken: its text (tabs as spaces) and where it sits in the note. */
typedef struct para {
    const char *text; /* text[0] is note[start] */
    size_t start, end;
    bool paragraph_end; /* false when a U+2028 line separator ends it */
} para_t;

static int error_set(layout_t *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records why the run fails; returns -1 for the caller to return. */
static int error_set(layout_t *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->error, sizeof l->error, fmt, ap);
    va_end(ap);
    return -1;
}

/* Grows *arr to hold need elements, doubling so a note that grows by a character rarely moves
 * it; sizes stay far below overflow (LAYOUT_MAX_BYTES bounds them), but check anyway. */
static int reserve(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) {
        return 0;
    }
    size_t n = *cap ? *cap : MIN_CAP;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem) {
            return -1;
        }
        n *= 2;
    }
    void *p = realloc(*arr, n * elem);
    if (!p) {
        return -1;
    }
    *arr = p;
    *cap = n;
    return 0;
}

layout_t *layout_create(void)
{
    return calloc(1, sizeof(layout_t));
}

void layout_free(layout_t *l)
{
    if (!l) {
        return;
    }
    free(l->glyphs);
    free(l->lines);
    free(l->items);
    free(l->shaped);
    free(l->fb);
    free(l->text);
    free(l);
}

/* ---- the fallback's size ---- */

/* The top of a glyph's on-curve points in font units (the end point of each verb), 0 when the
 * font lacks the character. Well-made fonts put a point at every extremum, so this is the
 * glyph's height without flattening its curves. */
static double glyph_top(font_t *font, uint32_t ch)
{
    uint32_t gid = font_glyph_index(font, ch);
    const outline_t *o = gid ? font_glyph_outline(font, gid) : NULL;
    if (!o) {
        return 0;
    }
    double top = 0;
    uint32_t at = 0;
    for (uint32_t v = 0; v < o->verb_count && o->verbs[v] <= OUTLINE_CUBIC; v++) {
        at += outline_verb_points(o->verbs[v]);
        if (at > o->point_count) {
            break;
        }
        double y = o->points[2 * (at - 1) + 1];
        top = y > top ? y : top;
    }
    return top;
}

/* A font's x-height (cap height when cap) in ems: OS/2 (version 2 and later carries
 * sxHeight/sCapHeight), else measured from 'x' or 'H' (Kristi and DejaVu Sans have OS/2
 * version 1). 0 when neither gives a plausible value. */
static double em_metric(font_t *font, bool cap)
{
    double upem = font_units_per_em(font);
    FT_Face face = font_ft_face(font);
    const TT_OS2 *os2 = face ? FT_Get_Sfnt_Table(face, FT_SFNT_OS2) : NULL;
    double v = 0;
    if (os2 && os2->version >= 2 && os2->version != 0xFFFF) {
        v = cap ? os2->sCapHeight : os2->sxHeight;
    }
    if (!(v / upem >= MIN_EM_METRIC && v / upem <= MAX_EM_METRIC)) {
        v = glyph_top(font, cap ? 'H' : 'x');
    }
    v /= upem;
    return v >= MIN_EM_METRIC && v <= MAX_EM_METRIC ? v : 0;
}

/* The fallback's em relative to the primary's, so that their x-heights match; cap heights
 * when either font lacks an x-height (a ratio must compare like with like), else 1. */
static double fallback_scale(font_t *primary, font_t *fallback)
{
    for (int cap = 0; cap <= 1; cap++) {
        double a = em_metric(primary, cap), b = em_metric(fallback, cap);
        if (a > 0 && b > 0) {
            double s = a / b;
            return s < MIN_FB_SCALE ? MIN_FB_SCALE : s > MAX_FB_SCALE ? MAX_FB_SCALE : s;
        }
    }
    return 1.0;
}

/* ---- checks ---- */

static bool in_range(double v, double lo_excl, double hi)
{
    return v > lo_excl && v <= hi; /* false for NaN */
}

static int params_check(layout_t *l, const layout_params_t *p)
{
    if (!p || !p->font || !p->shaper) {
        return error_set(l, "no primary font and shaper");
    }
    if (!p->fallback_font != !p->fallback_shaper) {
        return error_set(l, "the fallback font and its shaper go together");
    }
    if (!in_range(p->size_px, 0, LAYOUT_MAX_SIZE_PX)) {
        return error_set(l, "size %g px is out of range (0, %g]", p->size_px, LAYOUT_MAX_SIZE_PX);
    }
    if (!in_range(p->width_px, 0, LAYOUT_MAX_WIDTH_PX)) {
        return error_set(l, "line width %g px is out of range (0, %g]", p->width_px,
                         LAYOUT_MAX_WIDTH_PX);
    }
    if (!(p->line_height_px >= 0 && p->line_height_px <= LAYOUT_MAX_SIZE_PX)) {
        return error_set(l, "line height %g px is out of range [0, %g]", p->line_height_px,
                         LAYOUT_MAX_SIZE_PX);
    }
    return 0;
}

/* Length first (a 1 MB paste costs nothing), then UTF-8, then control characters. */
static int text_check(layout_t *l, const char *utf8, size_t len)
{
    if (len > LAYOUT_MAX_BYTES) {
        return error_set(l, "the note is %zu bytes; at most %d", len, LAYOUT_MAX_BYTES);
    }
    if (!utf8 && len > 0) {
        return error_set(l, "no text");
    }
    size_t bad = 0;
    if (utf8_check(utf8, len, &bad) < 0) {
        return error_set(l, "invalid UTF-8 at byte %zu", bad);
    }
    if (utf8_control_check(utf8, len, &bad) < 0) {
        uint32_t cp = 0;
        utf8_decode(utf8 + bad, len - bad, &cp);
        return error_set(l, "control character U+%04X at byte %zu", (unsigned)cp, bad);
    }
    return 0;
}

/* ---- shaping a paragraph into items ---- */

/* Shapes into *arr, growing it and shaping again when the run needs more glyphs. */
static int shape_grow(layout_t *l, shaper_t *s, const char *text, size_t n, const char *lang,
                      const char *features, shape_glyph_t **arr, size_t *cap, size_t *count)
{
    if (reserve((void **)arr, cap, n + 1, sizeof **arr) < 0) {
        return error_set(l, "out of memory shaping %zu bytes", n);
    }
    if (shaper_shape(s, text, n, lang, features, *arr, *cap, count) == 0) {
        return 0;
    }
    if (*count <= *cap) {
        return error_set(l, "%s", shaper_error(s));
    }
    if (reserve((void **)arr, cap, *count, sizeof **arr) < 0) {
        return error_set(l, "out of memory shaping %zu bytes", n);
    }
    if (shaper_shape(s, text, n, lang, features, *arr, *cap, count) < 0) {
        return error_set(l, "%s", shaper_error(s));
    }
    return 0;
}

static item_t *item_push(run_t *r)
{
    layout_t *l = r->l;
    if (reserve((void **)&l->items, &l->item_cap, l->item_count + 1, sizeof *l->items) < 0) {
        return NULL;
    }
    item_t *it = &l->items[l->item_count++];
    *it = (item_t){0};
    if (l->item_count > 1) {
        const item_t *prev = it - 1;
        it->pen = prev->pen + prev->advance;
    }
    return it;
}

/* Appends a shaped glyph; cluster is already the note's byte offset. */
static int item_add(run_t *r, const shape_glyph_t *g, uint32_t cluster, uint8_t font)
{
    item_t *it = item_push(r);
    if (!it) {
        return error_set(r->l, "out of memory");
    }
    double px = font == LAYOUT_FONT_PRIMARY ? r->px : r->fb_px;
    it->glyph = g->glyph;
    it->cluster = cluster;
    it->font = font;
    it->advance = g->x_advance * px;
    it->dx = g->x_offset * px;
    it->dy = g->y_offset * px;
    it->scale = font == LAYOUT_FONT_PRIMARY ? 1.0 : r->l->fb_scale;
    return 0;
}

/* The first glyph after i with another cluster (clusters never decrease along a run). */
static size_t cluster_end(const shape_glyph_t *g, size_t count, size_t i)
{
    size_t j = i + 1;
    while (j < count && g[j].cluster == g[i].cluster) {
        j++;
    }
    return j;
}

/* A cluster is missing when any of its glyphs is .notdef (a base the font has with a mark it
 * lacks shares one cluster): the whole cluster then comes from the fallback. */
static bool cluster_missing(const shape_glyph_t *g, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (g[i].glyph == 0) {
            return true;
        }
    }
    return false;
}

/* Counts one missing character; the first is kept for the message. */
static void missing_add(layout_t *l, const char *note, size_t off, size_t to)
{
    if (l->missing++ == 0) {
        utf8_decode(note + off, to - off, &l->missing_cp);
        l->missing_offset = off;
    }
}

/* Counts the characters of note[from..to) (one undrawable cluster) that neither font has, for
 * layout_missing_count(); when each maps on its own but the cluster did not shape, the
 * cluster's first character counts. */
static void missing_note(run_t *r, size_t from, size_t to)
{
    size_t before = r->l->missing;
    for (size_t off = from; off < to;) {
        uint32_t cp = 0;
        size_t n = utf8_decode(r->note + off, to - off, &cp);
        if (font_glyph_index(r->p->font, cp) == 0 &&
            (!r->p->fallback_font || font_glyph_index(r->p->fallback_font, cp) == 0)) {
            missing_add(r->l, r->note, off, to);
        }
        off += n;
    }
    if (r->l->missing == before) {
        missing_add(r->l, r->note, from, to);
    }
}

/* The primary's .notdef for a cluster neither font can draw. */
static int notdef_add(run_t *r, uint32_t cluster)
{
    shape_glyph_t g = {.glyph = 0};
    if (item_add(r, &g, cluster, LAYOUT_FONT_PRIMARY) < 0) {
        return -1;
    }
    r->l->items[r->l->item_count - 1].advance = r->notdef_advance;
    return 0;
}

/* Shapes the paragraph's bytes [from, to) (missing from the primary) with the fallback, on its
 * own: context from the neighbouring primary glyphs would not apply across fonts anyway. */
static int fallback_run(run_t *r, const para_t *pa, size_t from, size_t to)
{
    layout_t *l = r->l;
    size_t count = 0;
    if (shape_grow(l, r->p->fallback_shaper, pa->text + from, to - from, r->p->lang, NULL, &l->fb,
                   &l->fb_cap, &count) < 0) {
        return -1;
    }
    for (size_t i = 0; i < count;) {
        size_t j = cluster_end(l->fb, count, i);
        size_t at = pa->start + from + l->fb[i].cluster;
        size_t end = pa->start + from + (j < count ? l->fb[j].cluster : to - from);
        if (cluster_missing(l->fb, i, j)) {
            missing_note(r, at, end);
            if (notdef_add(r, (uint32_t)at) < 0) {
                return -1;
            }
        } else {
            for (size_t k = i; k < j; k++) {
                if (item_add(r, &l->fb[k], (uint32_t)at, LAYOUT_FONT_FALLBACK) < 0) {
                    return -1;
                }
            }
        }
        i = j;
    }
    return 0;
}

/* Primary glyphs [from, to) as shaped (the missing ones stay .notdef when there is no
 * fallback). */
static int primary_add(run_t *r, const para_t *pa, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const shape_glyph_t *g = &r->l->shaped[i];
        if (item_add(r, g, (uint32_t)(pa->start + g->cluster), LAYOUT_FONT_PRIMARY) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Missing clusters from glyph i on: the end of the run of consecutive missing clusters. */
static size_t missing_run_end(const shape_glyph_t *g, size_t count, size_t i)
{
    while (i < count) {
        size_t j = cluster_end(g, count, i);
        if (!cluster_missing(g, i, j)) {
            break;
        }
        i = j;
    }
    return i;
}

/* The paragraph's items: the primary's glyphs, with each run of consecutive missing clusters
 * replaced by the fallback's (shaping runs, not characters, keeps the fallback's own joins). */
static int items_build(run_t *r, const para_t *pa, size_t count)
{
    const shape_glyph_t *g = r->l->shaped;
    size_t n = pa->end - pa->start;
    r->l->item_count = 0;
    for (size_t i = 0; i < count;) {
        size_t j = cluster_end(g, count, i);
        if (cluster_missing(g, i, j)) {
            j = missing_run_end(g, count, i);
            size_t from = g[i].cluster, to = j < count ? g[j].cluster : n;
            int rc = 0;
            if (r->p->fallback_shaper) {
                rc = fallback_run(r, pa, from, to);
            } else {
                missing_note(r, pa->start + from, pa->start + to);
                rc = primary_add(r, pa, i, j);
            }
            if (rc < 0) {
                return -1;
            }
        } else if (primary_add(r, pa, i, j) < 0) {
            return -1;
        }
        i = j;
    }
    return 0;
}

/* ---- breaking into lines ---- */

/* The items of one cluster: [a, b), and the note's bytes [at, end) it stands for. */
typedef struct cluster {
    size_t a, b;
    size_t at, end;
} cluster_t;

static cluster_t cluster_at(const layout_t *l, const para_t *pa, size_t a)
{
    cluster_t c = {.a = a, .b = a + 1, .at = l->items[a].cluster};
    while (c.b < l->item_count && l->items[c.b].cluster == c.at) {
        c.b++;
    }
    c.end = c.b < l->item_count ? l->items[c.b].cluster : pa->end;
    return c;
}

static bool cluster_is_space(const para_t *pa, cluster_t c)
{
    for (size_t i = c.at; i < c.end; i++) {
        if (pa->text[i - pa->start] != ' ') {
            return false;
        }
    }
    return true;
}

static uint32_t cluster_first_char(const para_t *pa, cluster_t c)
{
    uint32_t cp = 0;
    utf8_decode(pa->text + (c.at - pa->start), c.end - c.at, &cp);
    return cp;
}

/* Lines may break after these inside a word. */
static bool cluster_is_hyphen(const para_t *pa, cluster_t c)
{
    uint32_t cp = cluster_first_char(pa, c);
    return cp == '-' || cp == 0x2010 || cp == 0x2013;
}

/* An en or em dash set between words stays at the end of the line with the word before it,
 * never starts the next one (Unicode's line breaking: no break before class BA). */
static bool cluster_is_dash(const para_t *pa, cluster_t c)
{
    uint32_t cp = cluster_first_char(pa, c);
    return cp == 0x2013 || cp == 0x2014;
}

static layout_glyph_t *glyph_push(layout_t *l)
{
    if (reserve((void **)&l->glyphs, &l->glyph_cap, l->glyph_count + 1, sizeof *l->glyphs) < 0) {
        return NULL;
    }
    return &l->glyphs[l->glyph_count++];
}

/* Copies items [s, e) as a line, x from the line's start, numbering words. */
static int line_glyphs(layout_t *l, size_t s, size_t e)
{
    int64_t word = -1;
    bool in_word = false;
    for (size_t i = s; i < e; i++) {
        const item_t *it = &l->items[i];
        layout_glyph_t *g = glyph_push(l);
        if (!g) {
            return error_set(l, "out of memory");
        }
        bool starts = !it->space && !in_word;
        word += starts;
        in_word = !it->space;
        *g = (layout_glyph_t){.glyph = it->glyph,
                              .cluster = it->cluster,
                              .word = word < 0 ? 0 : (uint32_t)word,
                              .font = it->font,
                              .word_start = starts,
                              .space = it->space,
                              .x = it->pen - l->items[s].pen + it->dx,
                              .y = it->dy,
                              .advance = it->advance,
                              .scale = it->scale};
    }
    return 0;
}

/* Ends a line with items [s, e); returns 1 when added, 0 when max_lines stops the layout
 * (overflow), -1 on error. */
static int line_emit(run_t *r, const para_t *pa, size_t s, size_t e, bool paragraph_end)
{
    layout_t *l = r->l;
    if (r->p->max_lines && l->line_count == r->p->max_lines) {
        l->overflow = true;
        return 0;
    }
    if (reserve((void **)&l->lines, &l->line_cap, l->line_count + 1, sizeof *l->lines) < 0) {
        return error_set(l, "out of memory");
    }
    /* An empty line is an empty (or all-blank) paragraph: an empty byte range at its start. */
    size_t at = s < l->item_count ? l->items[s].cluster : pa->start;
    layout_line_t *line = &l->lines[l->line_count];
    *line = (layout_line_t){.first = l->glyph_count,
                            .count = e - s,
                            .byte_start = at,
                            .byte_end = e == s              ? at
                                        : e < l->item_count ? l->items[e].cluster
                                                            : pa->end,
                            .paragraph_end = paragraph_end};
    if (e > s) {
        line->width = l->items[e - 1].pen + l->items[e - 1].advance - l->items[s].pen;
    }
    if (line_glyphs(l, s, e) < 0) {
        return -1;
    }
    l->line_count++;
    l->fit = line->byte_end;
    return 1;
}

/* A break opportunity: the line would end before item end, the next begin at item next
 * (after the dropped blanks). */
typedef struct opportunity {
    bool ok;
    size_t end, next;
} opportunity_t;

/* Greedy filling state: the line's first item, its last break opportunity and the one before
 * (for when a dash takes the last one back). */
typedef struct breaker {
    size_t start;
    opportunity_t last, before;
    bool prev_space; /* the previous cluster was blanks */
} breaker_t;

static void opportunity_add(breaker_t *b, size_t end, size_t next)
{
    b->before = b->last;
    b->last = (opportunity_t){.ok = true, .end = end, .next = next};
}

/* A cluster of blanks: a break opportunity; consecutive ones merge, all dropped at the break.
 * Blanks at a line's start (a paragraph's indent) are one too, but never used: breaking there
 * would leave an empty line. */
static void space_note(layout_t *l, breaker_t *b, cluster_t c)
{
    for (size_t i = c.a; i < c.b; i++) {
        l->items[i].space = true;
    }
    if (b->prev_space && b->last.ok && b->last.next == c.a) {
        b->last.next = c.b;
    } else {
        opportunity_add(b, c.a, c.b);
    }
    b->prev_space = true;
}

/* A visible cluster: while the line with it is too wide, end the line at the last opportunity,
 * or just before this cluster when there is none (the word is longer than a line). Returns 1,
 * 0 on overflow, -1 on error. */
static int cluster_fit(run_t *r, const para_t *pa, breaker_t *b, cluster_t c)
{
    const item_t *items = r->l->items;
    while (c.a > b->start &&
           items[c.b - 1].pen + items[c.b - 1].advance - items[b->start].pen > r->p->width_px) {
        bool at_break = b->last.ok && b->last.end > b->start;
        size_t end = at_break ? b->last.end : c.a, next = at_break ? b->last.next : c.a;
        int rc = line_emit(r, pa, b->start, end, false);
        if (rc <= 0) {
            return rc;
        }
        b->start = next;
        b->last.ok = b->before.ok = false;
    }
    return 1;
}

/* Breaks the paragraph's items into lines. Returns 1, 0 on overflow, -1 on error. */
static int para_break(run_t *r, const para_t *pa)
{
    layout_t *l = r->l;
    breaker_t b = {0};
    for (size_t a = 0; a < l->item_count;) {
        cluster_t c = cluster_at(l, pa, a);
        if (cluster_is_space(pa, c)) {
            space_note(l, &b, c);
            a = c.b;
            continue;
        }
        if (b.prev_space && b.last.ok && b.last.next == c.a && cluster_is_dash(pa, c)) {
            b.last = b.before;
            b.before.ok = false;
        }
        int rc = cluster_fit(r, pa, &b, c);
        if (rc <= 0) {
            return rc;
        }
        /* After a hyphen inside a word ("well-known"), not one standing alone ("a - b"). */
        if (!b.prev_space && c.a > b.start && c.b < l->item_count && cluster_is_hyphen(pa, c) &&
            !cluster_is_space(pa, cluster_at(l, pa, c.b))) {
            opportunity_add(&b, c.b, c.b);
        }
        b.prev_space = false;
        a = c.b;
    }
    /* Trailing blanks would widen the last line for nothing: drop them like at a break. */
    size_t end =
        b.prev_space && b.last.ok && b.last.next == l->item_count ? b.last.end : l->item_count;
    return line_emit(r, pa, b.start, end, pa->paragraph_end);
}

/* The paragraph's text for the shaper: the note itself, or a copy with tabs as spaces (tab has
 * no glyph in most fonts and would show as missing). Same length, so clusters still index the
 * note. */
static const char *para_text(layout_t *l, const char *s, size_t n)
{
    if (!memchr(s, '\t', n)) {
        return s;
    }
    if (reserve((void **)&l->text, &l->text_cap, n, 1) < 0) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        l->text[i] = s[i] == '\t' ? ' ' : s[i];
    }
    return l->text;
}

/* Lays out note[start, end). Returns 1, 0 on overflow, -1 on error. */
static int para_layout(run_t *r, size_t start, size_t end, bool paragraph_end)
{
    layout_t *l = r->l;
    para_t pa = {.start = start, .end = end, .paragraph_end = paragraph_end};
    l->item_count = 0;
    if (end == start) {
        return line_emit(r, &pa, 0, 0, paragraph_end);
    }
    pa.text = para_text(l, r->note + start, end - start);
    if (!pa.text) {
        return error_set(l, "out of memory");
    }
    size_t count = 0;
    if (shape_grow(l, r->p->shaper, pa.text, end - start, r->p->lang, r->p->features, &l->shaped,
                   &l->shaped_cap, &count) < 0 ||
        items_build(r, &pa, count) < 0) {
        return -1;
    }
    return para_break(r, &pa);
}

/* The next line break at or after off: its offset (len when none) and byte length in *n. */
static size_t break_find(const char *s, size_t len, size_t off, size_t *n)
{
    for (size_t i = off; i < len; i++) {
        if (s[i] == '\n') {
            *n = 1;
            return i;
        }
        /* U+2028 and U+2029 are E2 80 A8 / A9; the text is valid UTF-8, so this is exact. */
        if ((uint8_t)s[i] == 0xE2 && len - i >= 3 && (uint8_t)s[i + 1] == 0x80 &&
            ((uint8_t)s[i + 2] == 0xA8 || (uint8_t)s[i + 2] == 0xA9)) {
            *n = 3;
            return i;
        }
    }
    *n = 0;
    return len;
}

/* ---- the run ---- */

/* Empties the result (not the error): before a run, and after a failed one. */
static void result_clear(layout_t *l)
{
    l->glyph_count = l->line_count = l->item_count = 0;
    l->overflow = false;
    l->fit = 0;
    l->missing = l->missing_offset = 0;
    l->missing_cp = 0;
}

/* A U+2028 line separator breaks the line but not the paragraph, unless the note ends there. */
static bool ends_paragraph(const char *s, size_t len, size_t at, size_t n)
{
    return n != 3 || (uint8_t)s[at + 2] != 0xA8 || at + n == len;
}

/* Scales and the resolved line height for this run. */
static void run_setup(run_t *r)
{
    const layout_params_t *p = r->p;
    layout_t *l = r->l;
    r->px = p->size_px / font_units_per_em(p->font);
    l->fb_scale = p->fallback_font ? fallback_scale(p->font, p->fallback_font) : 1.0;
    r->fb_px =
        p->fallback_font ? p->size_px * l->fb_scale / font_units_per_em(p->fallback_font) : 0;
    r->notdef_advance = font_glyph_advance(p->font, 0) * r->px;
    int32_t asc = 0, desc = 0, gap = 0;
    font_vmetrics(p->font, &asc, &desc, &gap);
    double lh = ((double)asc - desc + gap) * r->px;
    if (!(lh > 0 && lh <= LAYOUT_MAX_SIZE_PX)) {
        lh = DEFAULT_LEADING * p->size_px;
    }
    l->line_height = p->line_height_px > 0 ? p->line_height_px : lh;
}

int layout_run(layout_t *l, const layout_params_t *p, const char *utf8, size_t len)
{
    result_clear(l);
    l->error[0] = '\0';
    if (params_check(l, p) < 0 || text_check(l, utf8, len) < 0) {
        return -1;
    }
    run_t r = {.l = l, .p = p, .note = utf8, .len = len};
    run_setup(&r);
    for (size_t off = 0; off < len;) {
        size_t n = 0, end = break_find(utf8, len, off, &n);
        int rc = para_layout(&r, off, end, ends_paragraph(utf8, len, end, n));
        if (rc < 0) {
            result_clear(l);
            return -1;
        }
        if (rc == 0) {
            return 0; /* overflow: fit is where the last line ended */
        }
        off = end + n;
    }
    l->fit = len;
    return 0;
}

/* ---- results ---- */

const char *layout_error(const layout_t *l)
{
    return l->error;
}

size_t layout_line_count(const layout_t *l)
{
    return l->line_count;
}

const layout_line_t *layout_lines(const layout_t *l)
{
    return l->lines;
}

size_t layout_glyph_count(const layout_t *l)
{
    return l->glyph_count;
}

const layout_glyph_t *layout_glyphs(const layout_t *l)
{
    return l->glyphs;
}

double layout_line_height(const layout_t *l)
{
    return l->line_height;
}

bool layout_overflow(const layout_t *l)
{
    return l->overflow;
}

size_t layout_fit_bytes(const layout_t *l)
{
    return l->fit;
}

size_t layout_missing_count(const layout_t *l)
{
    return l->missing;
}

uint32_t layout_missing_first(const layout_t *l, size_t *offset)
{
    if (offset) {
        *offset = l->missing_offset;
    }
    return l->missing_cp;
}

double layout_fallback_scale(const layout_t *l)
{
    return l->fb_scale;
}

size_t layout_reserved_bytes(const layout_t *l)
{
    return l->glyph_cap * sizeof *l->glyphs + l->line_cap * sizeof *l->lines +
           l->item_cap * sizeof *l->items + l->shaped_cap * sizeof *l->shaped +
           l->fb_cap * sizeof *l->fb + l->text_cap;
}
