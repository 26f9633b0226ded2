/* shape.c - see shape.h. HarfBuzz opens the font file a second time (FreeType keeps the outlines,
 * HarfBuzz reads GSUB/GPOS); both must agree on glyph count and units per em, or glyph ids from
 * one would index the wrong outlines in the other. */
#include "likeletter/shape.h"

#include "likeletter/utf8.h"

#include <hb-ot.h>
#include <hb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LANG_LEN 35    /* the longest BCP 47 tag we accept (HarfBuzz interns each for good) */
#define MAX_FEATURE_LEN 64 /* one entry of a feature string, e.g. "kern[12345:67890]=0" */

/* A run shaped before, kept with its inputs: the card's auto-fit lays the same note out at
 * several sizes, and the preview lays it out again after each key, where every paragraph but
 * the one being typed is unchanged. Shaping is in font units, so the size does not enter. */
#define MEMO_SLOTS 16
#define MEMO_MAX_BYTES 8192 /* longer runs are shaped each time */
typedef struct memo {
    char *text; /* NULL: an empty slot */
    size_t len;
    char lang[16], features[128];
    shape_glyph_t *glyphs;
    size_t count;
    uint64_t used; /* the shaper's clock at the last hit: the least recent slot goes first */
} memo_t;

struct shaper {
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    hb_buffer_t *buf;       /* reused by every run */
    hb_set_t *alt_lookups;  /* GSUB lookups under 'salt' and 'ss01'..'ss20', any script */
    hb_set_t *calt_lookups; /* GSUB lookups under 'calt' (contextual: no zero-context test) */
    hb_set_t *seen;         /* shaper_alternates(): alternates already listed */
    hb_set_t *closure;      /* shaper_alternates(): one lookup's substitutes */
    hb_language_t no_lang;  /* "und" (OT 'UND ', in no font): the default language system */
    uint32_t glyph_count;
    memo_t memo[MEMO_SLOTS];
    uint64_t clock;
    char error[160];
};

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

void shaper_free(shaper_t *s)
{
    if (!s) {
        return;
    }
    hb_set_destroy(s->closure);
    hb_set_destroy(s->seen);
    hb_set_destroy(s->alt_lookups);
    hb_set_destroy(s->calt_lookups);
    hb_buffer_destroy(s->buf);
    hb_font_destroy(s->font);
    hb_face_destroy(s->face);
    hb_blob_destroy(s->blob);
    for (int i = 0; i < MEMO_SLOTS; i++) {
        free(s->memo[i].text);
        free(s->memo[i].glyphs);
    }
    free(s);
}

/* Opens the file with HarfBuzz and checks it is the font FreeType opened. */
static int face_open(shaper_t *s, const font_t *font, char *err, size_t errlen)
{
    const char *path = font_path(font);
    s->blob = hb_blob_create_from_file_or_fail(path);
    if (!s->blob) {
        err_set(err, errlen, "%s: HarfBuzz cannot read the file", path);
        return -1;
    }
    s->face = hb_face_create(s->blob, 0);
    s->glyph_count = hb_face_get_glyph_count(s->face);
    if (s->glyph_count == 0) {
        err_set(err, errlen, "%s: not a font HarfBuzz can read", path);
        return -1;
    }
    if (s->glyph_count != font_glyph_count(font) ||
        hb_face_get_upem(s->face) != font_units_per_em(font)) {
        err_set(err, errlen,
                "%s: HarfBuzz and FreeType disagree (%u vs %u glyphs, %u vs %u units per em); "
                "was the file replaced?",
                path, s->glyph_count, font_glyph_count(font), hb_face_get_upem(s->face),
                font_units_per_em(font));
        return -1;
    }
    return 0;
}

/* HarfBuzz's constructors return inert singletons instead of NULL when memory runs out. */
static bool objects_ok(const shaper_t *s)
{
    return s->font != hb_font_get_empty() && hb_buffer_allocation_successful(s->buf) &&
           hb_set_allocation_successful(s->alt_lookups) &&
           hb_set_allocation_successful(s->calt_lookups) && hb_set_allocation_successful(s->seen) &&
           hb_set_allocation_successful(s->closure);
}

/* The lookups whose substitutes count as a glyph's alternates: 'salt' and the stylistic sets
 * 'ss01'..'ss20' (alternate forms by definition), and 'calt' apart (its forms depend on
 * neighbours). */
static void alternate_lookups_collect(shaper_t *s)
{
    hb_tag_t tags[22] = {HB_TAG('s', 'a', 'l', 't')};
    for (int i = 1; i <= 20; i++) {
        tags[i] = HB_TAG('s', 's', (char)('0' + i / 10), (char)('0' + i % 10));
    }
    tags[21] = HB_TAG_NONE;
    hb_ot_layout_collect_lookups(s->face, HB_OT_TAG_GSUB, NULL, NULL, tags, s->alt_lookups);
    const hb_tag_t calt[] = {HB_TAG('c', 'a', 'l', 't'), HB_TAG_NONE};
    hb_ot_layout_collect_lookups(s->face, HB_OT_TAG_GSUB, NULL, NULL, calt, s->calt_lookups);
    hb_set_subtract(s->calt_lookups, s->alt_lookups);
}

shaper_t *shaper_create(const font_t *font, char *err, size_t errlen)
{
    const char *path = font_path(font);
    if (strcmp(path, "<memory>") == 0) {
        err_set(err, errlen, "<memory>: shaping needs a font opened from a file");
        return NULL;
    }
    shaper_t *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    if (face_open(s, font, err, errlen) < 0) {
        goto fail;
    }
    /* Positions in font units: one unit of scale per unit of the em. */
    s->font = hb_font_create(s->face);
    hb_ot_font_set_funcs(s->font);
    int upem = (int)font_units_per_em(font);
    hb_font_set_scale(s->font, upem, upem);
    s->buf = hb_buffer_create();
    s->seen = hb_set_create();
    s->closure = hb_set_create();
    s->alt_lookups = hb_set_create();
    s->calt_lookups = hb_set_create();
    alternate_lookups_collect(s);
    if (!objects_ok(s)) {
        err_set(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    s->no_lang = hb_language_from_string("und", -1);
    return s;

fail:
    shaper_free(s);
    return NULL;
}

const char *shaper_error(const shaper_t *s)
{
    return s->error;
}

/* ---- shaping ---- */

static int error_set(shaper_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records why the current call fails; returns -1 for the caller to return. */
static int error_set(shaper_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
    return -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Parses "salt=1, -kern,ss01" into HarfBuzz features; empty entries are skipped. */
static int features_parse(shaper_t *s, const char *str, hb_feature_t *out, unsigned *n)
{
    *n = 0;
    for (const char *p = str; p && *p;) {
        const char *end = strchr(p, ',');
        const char *next = end ? end + 1 : p + strlen(p);
        if (!end) {
            end = next;
        }
        while (p < end && is_space(*p)) {
            p++;
        }
        while (end > p && is_space(end[-1])) {
            end--;
        }
        size_t len = (size_t)(end - p);
        if (len > 0) {
            if (*n == SHAPER_MAX_FEATURES) {
                return error_set(s, "more than %d features", SHAPER_MAX_FEATURES);
            }
            if (len > MAX_FEATURE_LEN || !hb_feature_from_string(p, (int)len, &out[*n])) {
                return error_set(s, "bad feature \"%.*s\"", (int)(len > 40 ? 40 : len), p);
            }
            (*n)++;
        }
        p = next;
    }
    return 0;
}

/* A BCP 47-looking tag ("de", "nl-BE", "en_GB") or NULL/"" for none. */
static int language_parse(shaper_t *s, const char *lang, hb_language_t *out)
{
    if (!lang || !*lang) {
        *out = s->no_lang; /* never the locale's: the same note must shape the same everywhere */
        return 0;
    }
    size_t len = strnlen(lang, MAX_LANG_LEN + 1);
    for (size_t i = 0; i < len; i++) {
        char c = lang[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok || len > MAX_LANG_LEN) {
            return error_set(s, "bad language tag \"%.*s\"", MAX_LANG_LEN, lang);
        }
    }
    *out = hb_language_from_string(lang, (int)len);
    return 0;
}

static void glyphs_copy(hb_buffer_t *buf, unsigned n, shape_glyph_t *out)
{
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, NULL);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, NULL);
    for (unsigned i = 0; i < n; i++) {
        out[i] = (shape_glyph_t){.glyph = info[i].codepoint,
                                 .cluster = info[i].cluster,
                                 .x_advance = pos[i].x_advance,
                                 .y_advance = pos[i].y_advance,
                                 .x_offset = pos[i].x_offset,
                                 .y_offset = pos[i].y_offset};
    }
}

static int shape_run(shaper_t *s, const char *utf8, size_t len, const char *lang,
                     const char *features, shape_glyph_t *out, size_t cap, size_t *count);

/* Whether a run's inputs fit a slot (short enough to keep). */
static bool memo_keepable(size_t len, const char *lang, const char *features)
{
    return len > 0 && len <= MEMO_MAX_BYTES && strlen(lang ? lang : "") < sizeof(memo_t){0}.lang &&
           strlen(features ? features : "") < sizeof(memo_t){0}.features;
}

static memo_t *memo_find(shaper_t *s, const char *utf8, size_t len, const char *lang,
                         const char *features)
{
    for (int i = 0; i < MEMO_SLOTS; i++) {
        memo_t *m = &s->memo[i];
        if (m->text && m->len == len && strcmp(m->lang, lang ? lang : "") == 0 &&
            strcmp(m->features, features ? features : "") == 0 && memcmp(m->text, utf8, len) == 0) {
            m->used = ++s->clock;
            return m;
        }
    }
    return NULL;
}

/* Keeps a shaped run in the least recently used slot; out of memory just keeps nothing. */
static void memo_keep(shaper_t *s, const char *utf8, size_t len, const char *lang,
                      const char *features, const shape_glyph_t *glyphs, size_t count)
{
    memo_t *m = &s->memo[0];
    for (int i = 1; i < MEMO_SLOTS; i++) {
        m = s->memo[i].used < m->used ? &s->memo[i] : m;
    }
    char *text = malloc(len);
    shape_glyph_t *g = malloc((count ? count : 1) * sizeof *g);
    free(m->text);
    free(m->glyphs);
    *m = (memo_t){0};
    if (!text || !g) {
        free(text);
        free(g);
        return;
    }
    memcpy(text, utf8, len);
    memcpy(g, glyphs, count * sizeof *g);
    snprintf(m->lang, sizeof m->lang, "%s", lang ? lang : "");
    snprintf(m->features, sizeof m->features, "%s", features ? features : "");
    m->text = text, m->len = len, m->glyphs = g, m->count = count, m->used = ++s->clock;
}

int shaper_shape(shaper_t *s, const char *utf8, size_t len, const char *lang, const char *features,
                 shape_glyph_t *out, size_t cap, size_t *count)
{
    const memo_t *m =
        memo_keepable(len, lang, features) ? memo_find(s, utf8, len, lang, features) : NULL;
    if (m) {
        /* Only a run that shaped without error was kept: the same answer as shaping again. */
        *count = m->count;
        s->error[0] = '\0';
        if (m->count > cap) {
            return error_set(s, "the run needs %zu glyphs, the array holds %zu", m->count, cap);
        }
        memcpy(out, m->glyphs, m->count * sizeof *out);
        return 0;
    }
    int rc = shape_run(s, utf8, len, lang, features, out, cap, count);
    if (rc == 0 && memo_keepable(len, lang, features)) {
        memo_keep(s, utf8, len, lang, features, out, *count);
    }
    return rc;
}

static int shape_run(shaper_t *s, const char *utf8, size_t len, const char *lang,
                     const char *features, shape_glyph_t *out, size_t cap, size_t *count)
{
    *count = 0;
    s->error[0] = '\0';
    size_t bad = 0;
    if (len > INT32_MAX) {
        return error_set(s, "text too long (%zu bytes)", len);
    }
    if (utf8_check(utf8, len, &bad) < 0) {
        return error_set(s, "invalid UTF-8 at byte %zu", bad);
    }
    hb_feature_t feats[SHAPER_MAX_FEATURES];
    unsigned nfeats = 0;
    hb_language_t language = HB_LANGUAGE_INVALID;
    if (features_parse(s, features, feats, &nfeats) < 0 || language_parse(s, lang, &language) < 0) {
        return -1;
    }
    if (len == 0) {
        return 0;
    }
    /* Direction and language first: guessing fills in only what is unset (the script). */
    hb_buffer_clear_contents(s->buf);
    hb_buffer_set_direction(s->buf, HB_DIRECTION_LTR);
    hb_buffer_set_language(s->buf, language);
    hb_buffer_add_utf8(s->buf, utf8, (int)len, 0, (int)len);
    hb_buffer_guess_segment_properties(s->buf);
    if (hb_buffer_allocation_successful(s->buf)) {
        hb_shape(s->font, s->buf, feats, nfeats);
    }
    if (!hb_buffer_allocation_successful(s->buf)) {
        hb_buffer_clear_contents(s->buf);
        return error_set(s, "out of memory shaping %zu bytes", len);
    }
    unsigned n = hb_buffer_get_length(s->buf);
    if (n > cap) {
        *count = n;
        return error_set(s, "the run needs %u glyphs, the array holds %zu", n, cap);
    }
    glyphs_copy(s->buf, n, out);
    *count = n;
    return 0;
}

/* ---- what the font offers ---- */

static bool table_has_feature(hb_face_t *face, hb_tag_t table, hb_tag_t tag)
{
    unsigned start = 0, total;
    do {
        hb_tag_t tags[32];
        unsigned n = 32;
        total = hb_ot_layout_table_get_feature_tags(face, table, start, &n, tags);
        for (unsigned i = 0; i < n; i++) {
            if (tags[i] == tag) {
                return true;
            }
        }
        if (n == 0) {
            break;
        }
        start += n;
    } while (start < total);
    return false;
}

bool shaper_has_feature(shaper_t *s, const char *tag)
{
    size_t len = tag ? strnlen(tag, 5) : 0;
    if (len == 0 || len > 4) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (tag[i] < 0x20 || tag[i] > 0x7E) {
            return false;
        }
    }
    hb_tag_t t = hb_tag_from_string(tag, (int)len);
    return table_has_feature(s->face, HB_OT_TAG_GSUB, t) ||
           table_has_feature(s->face, HB_OT_TAG_GPOS, t);
}

/* Lists g once (not glyph itself, not .notdef); returns the new total. */
static uint32_t alternate_note(shaper_t *s, uint32_t glyph, hb_codepoint_t g, uint32_t *alts,
                               uint32_t cap, uint32_t total)
{
    if (g == glyph || g == 0 || g >= s->glyph_count || hb_set_has(s->seen, g) ||
        hb_ot_layout_get_glyph_class(s->face, g) == HB_OT_LAYOUT_GLYPH_CLASS_LIGATURE) {
        return total;
    }
    hb_set_add(s->seen, g);
    if (total < cap) {
        alts[total] = g;
    }
    return total + 1;
}

/* One lookup's alternates for glyph. AlternateSubst sets come in the font's order; HarfBuzz
 * 6 reports nothing for single substitutions (how Dancing and Kaushan Script store 'salt'), so
 * those come from the lookup's closure over {glyph}, once we know it applies to glyph alone
 * (which rules out ligatures and contextual rules). A contextual lookup (calt) skips that test:
 * its closure over {glyph} is what its rules make of glyph beside copies of itself (Kristi's
 * o.alt2 in "oo"); ligatures among them are dropped by their GDEF class. */
static uint32_t lookup_alternates(shaper_t *s, unsigned lookup, bool contextual, uint32_t glyph,
                                  uint32_t *alts, uint32_t cap, uint32_t total)
{
    unsigned start = 0, all;
    do {
        hb_codepoint_t found[16];
        unsigned n = 16;
        all = hb_ot_layout_lookup_get_glyph_alternates(s->face, lookup, glyph, start, &n, found);
        for (unsigned i = 0; i < n; i++) {
            total = alternate_note(s, glyph, found[i], alts, cap, total);
        }
        if (n == 0) {
            break;
        }
        start += n;
    } while (start < all);

    hb_codepoint_t g = glyph;
    if (!contextual && !hb_ot_layout_lookup_would_substitute(s->face, lookup, &g, 1, true)) {
        return total;
    }
    hb_set_clear(s->closure);
    hb_set_add(s->closure, glyph);
    hb_ot_layout_lookup_substitute_closure(s->face, lookup, s->closure);
    for (g = HB_SET_VALUE_INVALID; hb_set_next(s->closure, &g);) {
        total = alternate_note(s, glyph, g, alts, cap, total);
    }
    return total;
}

uint32_t shaper_alternates(shaper_t *s, uint32_t glyph, uint32_t *alts, uint32_t cap)
{
    if (glyph >= s->glyph_count || (!alts && cap > 0)) {
        return 0;
    }
    hb_set_clear(s->seen);
    uint32_t total = 0;
    for (hb_codepoint_t lookup = HB_SET_VALUE_INVALID; hb_set_next(s->alt_lookups, &lookup);) {
        total = lookup_alternates(s, lookup, false, glyph, alts, cap, total);
    }
    for (hb_codepoint_t lookup = HB_SET_VALUE_INVALID; hb_set_next(s->calt_lookups, &lookup);) {
        total = lookup_alternates(s, lookup, true, glyph, alts, cap, total);
    }
    return total;
}
