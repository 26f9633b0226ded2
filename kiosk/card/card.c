/* card.c - see card.h. Inputs are checked, the texts laid out and fitted (the largest size on a
 * 0.1 mm grid at which the note fits, found by bisection), and only then is anything drawn
 * (card-draw.c). Sizes are chosen in millimetres, so a preview and a print of one card break
 * their lines alike. */
#include "card-private.h"

#include "likeletter/image.h"
#include "likeletter/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MM_PER_IN 25.4
#define QR_MODULE_MM 0.5             /* smallest module printed */
#define QR_MODULE_MIN_PX 4           /* and at least this many pixels */
#define CAPTION_EM_MM 2.3            /* the caption's size, about 6.5 pt */
#define CAPTION_GAP_MM 1.0           /* between the caption and the QR code's quiet zone */
#define FIRST_BASELINE_EM 0.95       /* from the top of the text area to the first baseline */
#define DESCENT_EM 0.45              /* room below the last baseline */
#define GAP_AFTER_SAL 0.6            /* extra line heights after the salutation */
#define GAP_BEFORE_SIG 0.5           /* and before the signature */
#define SPACING_RESERVE 1.05         /* lines may breathe up to 4 % apart: plan with 5 % */
#define ORNAMENT_MAX_BYTES (4 << 20) /* largest ornament file read */
#define ORNAMENT_MAX_SIDE 2048       /* and its largest side, pixels */
#define ORNAMENT_DPI 300.0           /* an ornament's resolution when its PNG names none */
#define ORNAMENT_TOP 0.75            /* its top edge, as a fraction of the margin */

typedef struct format_info {
    const char *name, *parse, *media;
    double w_mm, h_mm; /* as drawn */
} format_info_t;

static const format_info_t formats[] = {
    [CARD_A6] = {"A6", "a6", "iso_a6_105x148mm", 105.0, 148.0},
    [CARD_A5] = {"A5", "a5", "iso_a5_148x210mm", 210.0, 148.0},
    [CARD_4X6] = {"4x6", "4x6", "na_index-4x6_4x6in", 4 * MM_PER_IN, 6 * MM_PER_IN},
    [CARD_5X7] = {"5x7", "5x7", "na_5x7_5x7in", 5 * MM_PER_IN, 7 * MM_PER_IN},
};

static const struct {
    const char *tag, *dear, *by;
} langs[] = {
    [CARD_LANG_EN] = {"en", "Dear", "by"},
    [CARD_LANG_DE] = {"de", "Liebe", "von"},
    [CARD_LANG_NL] = {"nl", "Beste", "door"},
};

const char *card_salutation_default(card_lang_t lang)
{
    return (unsigned)lang < sizeof langs / sizeof langs[0] ? langs[lang].dear : NULL;
}

static bool format_valid(card_format_t f)
{
    return (unsigned)f < sizeof formats / sizeof formats[0];
}

void card_format_mm(card_format_t format, double *width_mm, double *height_mm)
{
    *width_mm = format_valid(format) ? formats[format].w_mm : 0;
    *height_mm = format_valid(format) ? formats[format].h_mm : 0;
}

const char *card_format_name(card_format_t format)
{
    return format_valid(format) ? formats[format].name : NULL;
}

const char *card_format_media(card_format_t format)
{
    return format_valid(format) ? formats[format].media : NULL;
}

int card_format_parse(const char *s, card_format_t *out)
{
    for (size_t i = 0; s && i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(s, formats[i].parse) == 0) {
            *out = (card_format_t)i;
            return 0;
        }
    }
    return -1;
}

int card_lang_parse(const char *s, card_lang_t *out)
{
    for (size_t i = 0; s && i < sizeof langs / sizeof langs[0]; i++) {
        if (strcmp(s, langs[i].tag) == 0) {
            *out = (card_lang_t)i;
            return 0;
        }
    }
    return -1;
}

int card_ink_parse(const char *s, uint32_t *out)
{
    static const struct {
        const char *name;
        uint32_t rgb;
    } names[] = {{"blue-black", CARD_INK_DEFAULT}, {"black", 0x161616}, {"blue", 0x1F3A93}};
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].rgb;
            return 0;
        }
    }
    if (!s || s[0] != '#' || strlen(s) != 7) {
        return -1;
    }
    uint32_t v = 0;
    for (int i = 1; i < 7; i++) {
        char ch = s[i];
        int d = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;
        if (d < 0) {
            return -1;
        }
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

int card_date_check(const char *s)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
        return -1;
    }
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return -1;
        }
    }
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1] || (m == 2 && d == 29 && !leap)) {
        return -1;
    }
    return 0;
}

int card_size_px(const card_spec_t *spec, int32_t *width, int32_t *height)
{
    if (!spec || !width || !height || !format_valid(spec->format) || spec->dpi < CARD_DPI_MIN ||
        spec->dpi > CARD_DPI_MAX) {
        return -1;
    }
    *width = (int32_t)lround(formats[spec->format].w_mm / MM_PER_IN * spec->dpi);
    *height = (int32_t)lround(formats[spec->format].h_mm / MM_PER_IN * spec->dpi);
    return 0;
}

void card_renderer_free(card_renderer_t *r)
{
    if (!r) {
        return;
    }
    for (int i = 0; i < TEXT_COUNT; i++) {
        layout_free(r->layout[i]);
    }
    shaper_free(r->shaper);
    shaper_free(r->fallback_shaper);
    font_close(r->font);
    font_close(r->fallback);
    raster_free(r->raster);
    handwriting_free(r->hand);
    handwriting_free(r->plain);
    qr_free(r->qr);
    free(r->cov);
    free(r->qr_cov);
    free(r->ink_cols);
    free(r->span);
    free(r->alt_n);
    free(r->alt);
    free(r->orn.path);
    free(r->orn.cov);
    free(r->orn.scaled);
    free(r->word);
    free(r->glyphs);
    free(r);
}

/* Opens path as a font and its shaper. */
static int font_pair_open(const char *path, font_t **font, shaper_t **shaper, char *err,
                          size_t errlen)
{
    char why[512];
    *font = font_open(path, why, sizeof why);
    *shaper = *font ? shaper_create(*font, why, sizeof why) : NULL;
    if (!*shaper) {
        snprintf(err, errlen, "cannot open font %s", why);
        return -1;
    }
    return 0;
}

card_renderer_t *card_renderer_create(const card_fonts_t *fonts, char *err, size_t errlen)
{
    char scratch[8];
    err = err ? err : scratch, errlen = err == scratch ? sizeof scratch : errlen;
    if (!fonts || !fonts->font) {
        snprintf(err, errlen, "no handwriting font given");
        return NULL;
    }
    card_renderer_t *r = calloc(1, sizeof *r);
    handwriting_params_t plain = handwriting_params_default(0);
    plain.plain = true;
    if (!r || font_pair_open(fonts->font, &r->font, &r->shaper, err, errlen) < 0 ||
        (fonts->fallback &&
         font_pair_open(fonts->fallback, &r->fallback, &r->fallback_shaper, err, errlen) < 0)) {
        card_renderer_free(r);
        return NULL;
    }
    r->alt_glyphs = font_glyph_count(r->font);
    bool ok = (r->raster = raster_create()) && (r->plain = handwriting_create(&plain)) &&
              (r->word = calloc(1, sizeof *r->word)) &&
              (r->alt_n = malloc(r->alt_glyphs ? r->alt_glyphs : 1)) &&
              (r->alt = calloc(r->alt_glyphs ? r->alt_glyphs : 1, sizeof *r->alt));
    if (ok) {
        memset(r->alt_n, ALT_UNKNOWN, r->alt_glyphs);
    }
    for (int i = 0; ok && i < TEXT_COUNT; i++) {
        ok = (r->layout[i] = layout_create()) != NULL;
    }
    if (!ok) {
        snprintf(err, errlen, "out of memory");
        card_renderer_free(r);
        return NULL;
    }
    return r;
}

/* Checks a one-line text (a name, a title): length, UTF-8, no control or line breaks. */
static int line_check(const char *what, const char *s, size_t min, size_t max, char *err,
                      size_t errlen)
{
    size_t len = s ? strlen(s) : 0, bad;
    if (!s || len < min) {
        snprintf(err, errlen, "%s is missing", what);
        return -1;
    }
    if (len > max) {
        snprintf(err, errlen, "%s is %zu bytes; at most %zu", what, len, max);
        return -1;
    }
    if (utf8_control_check(s, len, &bad) < 0) {
        snprintf(err, errlen, "%s: %s at byte %zu", what,
                 utf8_check(s, len, NULL) < 0 ? "invalid UTF-8" : "control character", bad);
        return -1;
    }
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp == '\t' || utf8_is_line_break(cp)) {
            snprintf(err, errlen, "%s: a line break or tab at byte %zu (one line only)", what, i);
            return -1;
        }
        i += n;
    }
    return 0;
}

static int content_check(const card_content_t *c, char *err, size_t errlen)
{
    if (line_check("the recipient's name (to)", c->to, 1, CARD_NAME_MAX, err, errlen) < 0 ||
        line_check("the sender's name (from)", c->from, 1, CARD_NAME_MAX, err, errlen) < 0 ||
        line_check("the post's title", c->post_title ? c->post_title : "", 0, CARD_TITLE_MAX, err,
                   errlen) < 0) {
        return -1;
    }
    if ((unsigned)c->lang >= sizeof langs / sizeof langs[0]) {
        snprintf(err, errlen, "unknown language %d", (int)c->lang);
        return -1;
    }
    if (c->salutation && c->salutation[0] &&
        line_check("the salutation", c->salutation, 1, CARD_SALUTATION_MAX, err, errlen) < 0) {
        return -1;
    }
    if (c->date && c->date[0] && card_date_check(c->date) < 0) {
        snprintf(err, errlen, "the date must be YYYY-MM-DD, not \"%.20s\"", c->date);
        return -1;
    }
    if (!c->note || c->note_len == 0) {
        snprintf(err, errlen, "the note is empty");
        return -1;
    }
    return 0;
}

/* The spec's sizes checked, defaults applied. */
static int spec_check(const card_spec_t *s, double *em, double *min_em, char *err, size_t errlen)
{
    int32_t w, h;
    if (card_size_px(s, &w, &h) < 0) {
        snprintf(err, errlen, "unknown card format or a resolution outside %d..%d dpi",
                 CARD_DPI_MIN, CARD_DPI_MAX);
        return -1;
    }
    *em = s->em_mm == 0 ? CARD_EM_MM : s->em_mm;
    *min_em = s->min_em_mm == 0 ? *em : s->min_em_mm;
    if (!(*em >= 1 && *em <= 30) || !(*min_em >= 1 && *min_em <= *em) || s->ink > 0xFFFFFF) {
        snprintf(err, errlen, "text size must be 1..30 mm with the minimum at most the size");
        return -1;
    }
    return 0;
}

/* The variation for the spec's seed, made when the seed or plain changed. */
static int hand_ensure(card_renderer_t *r, const card_spec_t *s, char *err, size_t errlen)
{
    if (r->hand && r->hand_seed == s->seed && r->hand_plain == s->plain) {
        return 0;
    }
    handwriting_free(r->hand);
    handwriting_params_t p = handwriting_params_default(s->seed);
    p.plain = s->plain;
    r->hand = handwriting_create(&p);
    if (!r->hand) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    r->hand_seed = s->seed, r->hand_plain = s->plain;
    return 0;
}

/* The QR code for the link, made when the link changed. */
static int qr_ensure(card_renderer_t *r, const char *url, char *err, size_t errlen)
{
    if (r->qr && url && strcmp(url, r->qr_url) == 0) {
        return 0;
    }
    qr_free(r->qr);
    r->qr = qr_create(url, err, errlen);
    if (!r->qr) {
        return -1;
    }
    snprintf(r->qr_url, sizeof r->qr_url, "%s", url);
    return 0;
}

/* The whole file at path, at most ORNAMENT_MAX_BYTES; NULL with err set. The caller frees. */
static uint8_t *file_read(const char *path, size_t *len, char *err, size_t errlen)
{
    uint8_t *data = NULL;
    const char *why = NULL;
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        why = strerror(errno);
    } else if (!S_ISREG(st.st_mode)) {
        why = "not a regular file";
    } else if (st.st_size > ORNAMENT_MAX_BYTES) {
        why = "larger than 4 MiB";
    } else if (!(data = malloc((size_t)st.st_size + 1))) {
        why = "out of memory";
    }
    size_t got = 0;
    while (!why && got < (size_t)st.st_size) {
        ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        why = n < 0 ? strerror(errno) : n == 0 ? "it shrank while being read" : NULL;
        got += n > 0 ? (size_t)n : 0;
    }
    if (fd >= 0) {
        close(fd);
    }
    if (why) {
        snprintf(err, errlen, "the ornament %s: %s", path, why);
        free(data);
        return NULL;
    }
    *len = got;
    return data;
}

/* Reads the ornament PNG at path into r->orn as coverage: dark is ink (255 - grey; colour is
 * averaged, transparency counts as white). */
static int ornament_read(card_renderer_t *r, const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    uint8_t *data = file_read(path, &len, err, errlen);
    if (!data) {
        return -1;
    }
    image_buffer_t img;
    int rc = image_png_read_memory(data, len, ORNAMENT_MAX_SIDE, path, &img);
    free(data);
    char *copy = rc == 0 ? strdup(path) : NULL;
    uint8_t *cov = copy ? malloc((size_t)img.width * (size_t)img.height) : NULL;
    if (!cov) {
        snprintf(err, errlen, "the ornament %s: %s", path,
                 rc < 0 ? "not a PNG of at most 2048 pixels a side" : "out of memory");
        free(copy), free(img.pixels);
        return -1;
    }
    for (int32_t y = 0; y < img.height; y++) {
        const uint8_t *p = img.pixels + (size_t)y * (size_t)img.stride;
        for (int32_t x = 0; x < img.width; x++, p += 3) {
            cov[(size_t)y * (size_t)img.width + (size_t)x] =
                (uint8_t)(255 - (p[0] + p[1] + p[2] + 1) / 3);
        }
    }
    free(r->orn.path), free(r->orn.cov), free(r->orn.scaled);
    r->orn = (ornament_t){.path = copy,
                          .cov = cov,
                          .width = img.width,
                          .height = img.height,
                          .dpi = img.dpi >= 30 && img.dpi <= 4800 ? img.dpi : ORNAMENT_DPI};
    free(img.pixels);
    return 0;
}

/* The spec's ornament read (when its path changed) and scaled (when the dpi changed). */
static int ornament_ensure(card_renderer_t *r, const card_spec_t *s, char *err, size_t errlen)
{
    if (!s->ornament) {
        return 0;
    }
    if (!s->ornament[0]) {
        snprintf(err, errlen, "the ornament's file name is empty");
        return -1;
    }
    if ((!r->orn.path || strcmp(r->orn.path, s->ornament) != 0) &&
        ornament_read(r, s->ornament, err, errlen) < 0) {
        return -1;
    }
    if ((!r->orn.scaled || r->orn.scaled_dpi != s->dpi) &&
        card_ornament_scale(&r->orn, s->dpi) < 0) {
        snprintf(err, errlen, "the ornament %s: out of memory scaling it", s->ornament);
        return -1;
    }
    return 0;
}

/* Where things go on this render, pixels. */
typedef struct plan {
    double dpi, em_px, lh, cap_px;
    geom_box_t panel;
    double left, right, top, bottom; /* the text area */
    geom_box_t qr_box;
    int32_t module_px;
} plan_t;

/* The primary font's line height in ems, kept to what looks like handwriting on a card. */
static double line_height_em(font_t *f)
{
    int32_t asc, desc, gap;
    font_vmetrics(f, &asc, &desc, &gap);
    double lh = (double)((int64_t)asc - desc + gap) / font_units_per_em(f);
    return !(lh >= 1.15) ? 1.15 : lh > 1.45 ? 1.45 : lh;
}

static void plan_make(card_renderer_t *r, const card_spec_t *s, plan_t *p)
{
    int32_t w = 0, h = 0; /* card_size_px() fills both for a checked spec */
    card_size_px(s, &w, &h);
    p->dpi = s->dpi;
    p->panel =
        s->format == CARD_A5 ? (geom_box_t){w / 2, 0, w - w / 2, h} : (geom_box_t){0, 0, w, h};
    double m = CARD_MARGIN_MM / MM_PER_IN * p->dpi;
    p->left = p->panel.x + m, p->right = p->panel.x + p->panel.width - m;
    p->top = m;
    p->module_px = qr_module_px_for(r->qr, p->dpi, QR_MODULE_MM, QR_MODULE_MIN_PX);
    int32_t side = qr_size_px(r->qr, p->module_px), quiet = QR_QUIET_MODULES * p->module_px;
    /* The dark modules line up with the margin; the quiet zone lies in it. */
    p->qr_box = (geom_box_t){(int32_t)lround(p->right) + quiet - side,
                             (int32_t)lround(h - m) + quiet - side, side, side};
    p->bottom = p->qr_box.y;
    p->cap_px = CAPTION_EM_MM / MM_PER_IN * p->dpi;
}

/* Lays out text with the handwriting font (and fallback) at px, width wide. */
static int text_layout(card_renderer_t *r, int which, const char *text, size_t len, double px,
                       double lh, double width, uint32_t max_lines, card_lang_t lang)
{
    layout_params_t lp = {.font = r->font,
                          .shaper = r->shaper,
                          .fallback_font = r->fallback,
                          .fallback_shaper = r->fallback_shaper,
                          .size_px = px,
                          .width_px = width,
                          .line_height_px = lh,
                          .max_lines = max_lines,
                          .lang = langs[lang].tag};
    return layout_run(r->layout[which], &lp, text, len);
}

/* Lays out salutation, note and signature at em_mm; *fits tells whether the note fits. */
static int texts_layout(card_renderer_t *r, const card_content_t *c, plan_t *p, double em_mm,
                        bool *fits, char *err, size_t errlen)
{
    p->em_px = em_mm / MM_PER_IN * p->dpi;
    p->lh = line_height_em(r->font) * p->em_px;
    double width = p->right - p->left - 0.2 * p->em_px; /* room for the margin's wander */
    if (text_layout(r, TEXT_SAL, r->sal, strlen(r->sal), p->em_px, p->lh, width, 0, c->lang) < 0) {
        snprintf(err, errlen, "the salutation: %s", layout_error(r->layout[TEXT_SAL]));
        return -1;
    }
    if (text_layout(r, TEXT_SIG, r->sig, strlen(r->sig), p->em_px, p->lh, width, 0, c->lang) < 0) {
        snprintf(err, errlen, "the signature: %s", layout_error(r->layout[TEXT_SIG]));
        return -1;
    }
    size_t n1 = layout_line_count(r->layout[TEXT_SAL]), n3 = layout_line_count(r->layout[TEXT_SIG]);
    double avail = p->bottom - DESCENT_EM * p->em_px - (p->top + FIRST_BASELINE_EM * p->em_px);
    double rows = (avail / p->lh - GAP_AFTER_SAL - GAP_BEFORE_SIG - 2.0) / SPACING_RESERVE + 3.0;
    double note_rows = floor(rows) - (double)n1 - (double)n3;
    uint32_t max_lines = note_rows >= 1 ? (uint32_t)note_rows : 1;
    if (text_layout(r, TEXT_NOTE, c->note, c->note_len, p->em_px, p->lh, width, max_lines,
                    c->lang) < 0) {
        snprintf(err, errlen, "the note: %s", layout_error(r->layout[TEXT_NOTE]));
        return -1;
    }
    *fits = note_rows >= 1 && !layout_overflow(r->layout[TEXT_NOTE]);
    return 0;
}

/* The largest size on the 0.1 mm grid in [min_em, em] at which the note fits. */
static int texts_fit(card_renderer_t *r, const card_spec_t *s, const card_content_t *c, plan_t *p,
                     double em, double min_em, char *err, size_t errlen)
{
    long hi = lround(em * 10), lo = lround(min_em * 10);
    bool fits;
    if (texts_layout(r, c, p, (double)hi / 10, &fits, err, errlen) < 0) {
        return -1;
    }
    if (fits) {
        r->info.em_mm = (double)hi / 10;
        return 0;
    }
    if (lo < hi && texts_layout(r, c, p, (double)lo / 10, &fits, err, errlen) < 0) {
        return -1;
    }
    if (!fits) {
        snprintf(err, errlen, "the note is too long for %s %s card: the first %zu of %zu bytes fit",
                 s->format == CARD_A6 || s->format == CARD_A5 ? "an" : "a", formats[s->format].name,
                 layout_fit_bytes(r->layout[TEXT_NOTE]), c->note_len);
        return -1;
    }
    long good = lo; /* fits; hi does not */
    while (hi - good > 1) {
        long mid = good + (hi - good) / 2;
        if (texts_layout(r, c, p, (double)mid / 10, &fits, err, errlen) < 0) {
            return -1;
        }
        *(fits ? &good : &hi) = mid;
    }
    r->info.em_mm = (double)good / 10;
    return texts_layout(r, c, p, r->info.em_mm, &fits, err, errlen);
}

/* The caption's text: the title cut with "…" to fit width, then "by NAME · DATE". */
static int caption_compose(card_renderer_t *r, const card_content_t *c, double px, double width,
                           char *err, size_t errlen)
{
    font_t *f = r->fallback ? r->fallback : r->font;
    shaper_t *sh = r->fallback ? r->fallback_shaper : r->shaper;
    const char *title = c->post_title ? c->post_title : "";
    size_t tlen = strlen(title), cut = tlen;
    layout_params_t lp = {.font = f,
                          .shaper = sh,
                          .size_px = px,
                          .width_px = LAYOUT_MAX_WIDTH_PX,
                          .lang = langs[c->lang].tag};
    if (tlen > 0 && layout_run(r->layout[TEXT_CAPTION], &lp, title, tlen) < 0) {
        snprintf(err, errlen, "the post's title: %s", layout_error(r->layout[TEXT_CAPTION]));
        return -1;
    }
    if (tlen > 0 && layout_lines(r->layout[TEXT_CAPTION])[0].width > width) {
        double ell = font_glyph_advance(f, font_glyph_index(f, 0x2026)) * px / font_units_per_em(f);
        const layout_glyph_t *g = layout_glyphs(r->layout[TEXT_CAPTION]);
        size_t n = layout_glyph_count(r->layout[TEXT_CAPTION]), i = 0;
        while (i < n && g[i].x + g[i].advance <= width - ell) {
            i++;
        }
        cut = i < n ? g[i].cluster : tlen;
        while (cut > 0 && title[cut - 1] == ' ') {
            cut--;
        }
    }
    bool date = c->date && c->date[0];
    snprintf(r->caption, sizeof r->caption, "%.*s%s%s%s %s%s%s", (int)cut, title,
             cut < tlen ? "\xE2\x80\xA6" : "", tlen ? "\n" : "", langs[c->lang].by, c->to,
             date ? " \xC2\xB7 " : "", date ? c->date : "");
    lp.fallback_font = r->fallback ? r->font : NULL;
    lp.fallback_shaper = r->fallback ? r->shaper : NULL;
    lp.width_px = width;
    if (layout_run(r->layout[TEXT_CAPTION], &lp, r->caption, strlen(r->caption)) < 0) {
        snprintf(err, errlen, "the caption: %s", layout_error(r->layout[TEXT_CAPTION]));
        return -1;
    }
    return 0;
}

/* A handwritten block of the plan. */
static block_t block_hand(card_renderer_t *r, const plan_t *p, int which, size_t line0)
{
    return (block_t){.layout = r->layout[which],
                     .fonts = {r->font, r->fallback},
                     .font_ids = {0, 1},
                     .hand = r->hand,
                     .text = (uint8_t)which,
                     .px = p->em_px,
                     .line_height = p->lh,
                     .left = p->left,
                     .width = p->right - p->left,
                     .right_align = which == TEXT_SIG,
                     .ink_scale = 1.0,
                     .line0 = line0};
}

static int card_draw(card_renderer_t *r, const card_spec_t *s, const canvas_t *cv, const plan_t *p,
                     char *err, size_t errlen)
{
    card_draw_paper(cv);
    if (s->border) {
        card_draw_border(cv, p->panel, p->dpi);
    }
    if (s->ornament) {
        double m = CARD_MARGIN_MM / MM_PER_IN * p->dpi;
        card_draw_ornament(cv, &r->orn, (int32_t)lround(p->right),
                           p->panel.y + (int32_t)lround(ORNAMENT_TOP * m));
    }
    size_t n1 = layout_line_count(r->layout[TEXT_SAL]);
    size_t n2 = layout_line_count(r->layout[TEXT_NOTE]);
    block_t sal = block_hand(r, p, TEXT_SAL, 0), note = block_hand(r, p, TEXT_NOTE, n1),
            sig = block_hand(r, p, TEXT_SIG, n1 + n2);
    double y = p->top + FIRST_BASELINE_EM * p->em_px;
    if (card_draw_block(r, cv, &sal, y, &y, err, errlen) < 0 ||
        card_draw_block(r, cv, &note, y + p->lh * (1 + GAP_AFTER_SAL), &y, err, errlen) < 0 ||
        card_draw_block(r, cv, &sig, y + p->lh * (1 + GAP_BEFORE_SIG), &y, err, errlen) < 0) {
        return -1;
    }
    /* The caption: right-aligned beside the QR code, its last baseline level with the code's
     * lowest modules; in the fallback font, upright, a little lighter than the writing. */
    font_t *cf = r->fallback ? r->fallback : r->font;
    double gap = CAPTION_GAP_MM / MM_PER_IN * p->dpi, cap_lh = p->cap_px * 1.35;
    block_t cap = {.layout = r->layout[TEXT_CAPTION],
                   .fonts = {cf, r->fallback ? r->font : NULL},
                   .font_ids = {r->fallback ? 1 : 0, 0},
                   .hand = r->plain,
                   .text = CARD_TEXT_CAPTION,
                   .px = p->cap_px,
                   .line_height = cap_lh,
                   .left = p->left,
                   .width = p->qr_box.x - gap - p->left,
                   .right_align = true,
                   .ink_scale = 0.8};
    size_t nc = layout_line_count(cap.layout);
    double cap_y = p->qr_box.y + p->qr_box.height - QR_QUIET_MODULES * p->module_px -
                   (double)(nc ? nc - 1 : 0) * cap_lh;
    if (card_draw_block(r, cv, &cap, cap_y, &y, err, errlen) < 0) {
        return -1;
    }
    return card_draw_qr(r, cv, p->qr_box, p->module_px, err, errlen);
}

static void info_finish(card_renderer_t *r, const plan_t *p)
{
    r->info.note_lines = layout_line_count(r->layout[TEXT_NOTE]);
    r->info.missing = 0;
    for (int i = 0; i < TEXT_COUNT; i++) {
        r->info.missing += layout_missing_count(r->layout[i]);
    }
    r->info.qr_module_px = p->module_px;
    r->info.qr_box = p->qr_box;
}

static int render(card_renderer_t *r, const card_spec_t *spec, const card_content_t *content,
                  uint8_t *rgb, ptrdiff_t stride, char *err, size_t errlen)
{
    double em, min_em;
    int32_t w, h;
    if (spec_check(spec, &em, &min_em, err, errlen) < 0 || card_size_px(spec, &w, &h) < 0 ||
        content_check(content, err, errlen) < 0) {
        return -1;
    }
    if (stride < (ptrdiff_t)w * 3) {
        snprintf(err, errlen, "card_render: a stride of %td bytes is short of %d", stride, w * 3);
        return -1;
    }
    if (qr_ensure(r, content->post_url, err, errlen) < 0 || hand_ensure(r, spec, err, errlen) < 0 ||
        ornament_ensure(r, spec, err, errlen) < 0) {
        return -1;
    }
    r->glyph_count = 0;
    memset(&r->info, 0, sizeof r->info);
    snprintf(r->sal, sizeof r->sal, "%s %s,",
             content->salutation && content->salutation[0] ? content->salutation
                                                           : langs[content->lang].dear,
             content->to);
    snprintf(r->sig, sizeof r->sig, "\xE2\x80\x94 %s", content->from);
    plan_t p;
    plan_make(r, spec, &p);
    if (p.module_px < 0 || texts_fit(r, spec, content, &p, em, min_em, err, errlen) < 0) {
        if (p.module_px < 0) {
            snprintf(err, errlen, "the link needs too large a QR code for this card");
        }
        return -1;
    }
    double cap_width = p.qr_box.x - CAPTION_GAP_MM / MM_PER_IN * p.dpi - p.left;
    if (caption_compose(r, content, p.cap_px, cap_width, err, errlen) < 0) {
        return -1;
    }
    canvas_t cv = {.rgb = rgb,
                   .width = w,
                   .height = h,
                   .stride = stride,
                   .paper = {CARD_PAPER >> 16, CARD_PAPER >> 8 & 0xFF, CARD_PAPER & 0xFF},
                   .ink = {(uint8_t)(spec->ink >> 16), (uint8_t)(spec->ink >> 8 & 0xFF),
                           (uint8_t)(spec->ink & 0xFF)}};
    if (card_draw(r, spec, &cv, &p, err, errlen) < 0) {
        return -1;
    }
    info_finish(r, &p);
    return 0;
}

int card_render(card_renderer_t *r, const card_spec_t *spec, const card_content_t *content,
                uint8_t *rgb, ptrdiff_t stride, char *err, size_t errlen)
{
    char scratch[8];
    err = err ? err : scratch, errlen = err == scratch ? sizeof scratch : errlen;
    if (!r || !spec || !content || !rgb) {
        snprintf(err, errlen, "card_render: a required argument is NULL");
        return -1;
    }
    int rc = render(r, spec, content, rgb, stride, err, errlen);
    if (rc < 0) {
        r->glyph_count = 0;
        memset(&r->info, 0, sizeof r->info);
    }
    return rc;
}

void card_renderer_info(const card_renderer_t *r, card_info_t *info)
{
    *info = r->info;
}

const card_glyph_t *card_renderer_glyphs(const card_renderer_t *r, size_t *count)
{
    *count = r->glyph_count;
    return r->glyphs;
}
