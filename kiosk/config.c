/* config.c - see config.h. One table describes every key: its field, how to parse it, how to
 * write it back and what it accepts, so loading, saving and messages cannot drift apart. */
#include "likeletter/config.h"

#include "likeletter/durable.h"
#include "likeletter/log.h"
#include "likeletter/utf8.h"

#include <cups/cups.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define VALUE_SHOWN 80 /* bytes of a bad value quoted in a message */
#define SALT_BYTES 16
#define DIGEST_BYTES 32
#define HASH_PREFIX "sha256:"
#define QUEUE_NAME_MAX 127 /* CUPS' limit on a queue's name */

typedef struct setting setting_t;

/* One key. parse gets the value NUL-terminated, unquoted and free of control characters
 * (tabs aside) and returns 0 or -1; format writes what parse reads back equal. */
struct setting {
    const char *key;
    int (*parse)(config_t *c, const setting_t *s, const char *v);
    int (*format)(const config_t *c, const setting_t *s, char *out, size_t outlen);
    size_t offset;
    int32_t min, max;     /* numbers' range; for strings, max is the array's size */
    const char *accepted; /* for messages; NULL: "a whole number from min to max" */
};

/* The state of one load, for messages and repeated keys. */
typedef struct parser {
    const char *name;
    size_t line;
    size_t *lines; /* per setting: the line that set it, 0 = not set */
    char *err;
    size_t errlen;
} parser_t;

static const char *const LANG_TAGS[CONFIG_LANGS] = {"en", "de", "nl"};

/* ---- field access ---- */

static void *field(config_t *c, const setting_t *s)
{
    return (char *)c + s->offset;
}

static const void *cfield(const config_t *c, const setting_t *s)
{
    return (const char *)c + s->offset;
}

/* s into out whole, or -1. */
static int put(char *out, size_t outlen, const char *s)
{
    int n = snprintf(out, outlen, "%s", s);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* ---- numbers, parsed by hand (strtol/strtod follow the locale and accept signs, spaces) ---- */

/* 1..9 ASCII digits starting at *p; advances *p. -1 when there are none or too many. */
static int digits_read(const char **p, int64_t *out)
{
    int64_t v = 0;
    int n = 0;
    for (; **p >= '0' && **p <= '9'; (*p)++, n++) {
        if (n == 9) {
            return -1;
        }
        v = v * 10 + (**p - '0');
    }
    *out = v;
    return n > 0 ? 0 : -1;
}

static int parse_int(config_t *c, const setting_t *s, const char *v)
{
    int64_t n;
    if (digits_read(&v, &n) < 0 || *v != '\0' || n < s->min || n > s->max) {
        return -1;
    }
    *(int32_t *)field(c, s) = (int32_t)n;
    return 0;
}

static int format_int(const config_t *c, const setting_t *s, char *out, size_t outlen)
{
    int n = snprintf(out, outlen, "%d", *(const int32_t *)cfield(c, s));
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* Seconds with up to 3 decimals, kept as milliseconds so writing them back is exact. */
static int parse_ms(config_t *c, const setting_t *s, const char *v)
{
    int64_t whole, frac = 0;
    if (digits_read(&v, &whole) < 0 || whole > 1000000) {
        return -1;
    }
    if (*v == '.') {
        const char *start = ++v;
        if (digits_read(&v, &frac) < 0 || v - start > 3) {
            return -1;
        }
        for (ptrdiff_t i = v - start; i < 3; i++) {
            frac *= 10;
        }
    }
    int64_t ms = whole * 1000 + frac;
    if (*v != '\0' || ms < s->min || ms > s->max) {
        return -1;
    }
    *(int32_t *)field(c, s) = (int32_t)ms;
    return 0;
}

static int format_ms(const config_t *c, const setting_t *s, char *out, size_t outlen)
{
    int32_t ms = *(const int32_t *)cfield(c, s);
    int n;
    if (ms < 0) {
        n = snprintf(out, outlen, "%d", ms); /* refused on reading back */
    } else if (ms % 1000 == 0) {
        n = snprintf(out, outlen, "%d", ms / 1000);
    } else {
        n = snprintf(out, outlen, "%d.%03d", ms / 1000, ms % 1000);
        while (n > 0 && (size_t)n < outlen && out[n - 1] == '0') {
            out[--n] = '\0';
        }
    }
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

static int parse_dpi(config_t *c, const setting_t *s, const char *v)
{
    if (strcmp(v, "300") != 0 && strcmp(v, "600") != 0) {
        return -1;
    }
    return parse_int(c, s, v);
}

/* ---- words ---- */

static int parse_bool(config_t *c, const setting_t *s, const char *v)
{
    static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(v, yes[i]) == 0 || strcmp(v, no[i]) == 0) {
            *(bool *)field(c, s) = strcmp(v, yes[i]) == 0;
            return 0;
        }
    }
    return -1;
}

static int format_bool(const config_t *c, const setting_t *s, char *out, size_t outlen)
{
    return put(out, outlen, *(const bool *)cfield(c, s) ? "true" : "false");
}

static int parse_orientation(config_t *c, const setting_t *s, const char *v)
{
    (void)s;
    if (strcmp(v, "landscape") == 0) {
        c->orientation = CONFIG_LANDSCAPE;
    } else if (strcmp(v, "portrait") == 0) {
        c->orientation = CONFIG_PORTRAIT;
    } else {
        return -1;
    }
    return 0;
}

/* Words for out-of-range values are ones the parser refuses, so config_text_format() notices. */
static int format_orientation(const config_t *c, const setting_t *s, char *out, size_t outlen)
{
    (void)s;
    const char *w = c->orientation == CONFIG_LANDSCAPE  ? "landscape"
                    : c->orientation == CONFIG_PORTRAIT ? "portrait"
                                                        : "?";
    return put(out, outlen, w);
}

static int parse_card(config_t *c, const setting_t *s, const char *v)
{
    (void)s;
    return card_format_parse(v, &c->card);
}

/* card.h names formats "A6"; the file spells them as card_format_parse() reads them: "a6". */
static const char *card_tag(card_format_t f, char out[8])
{
    const char *name = card_format_name(f);
    snprintf(out, 8, "%s", name ? name : "?");
    for (char *p = out; *p; p++) {
        *p = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    }
    return out;
}

static int format_card(const config_t *c, const setting_t *s, char *out, size_t outlen)
{
    (void)s;
    char tag[8];
    return put(out, outlen, card_tag(c->card, tag));
}

static const char *lang_tag(card_lang_t l)
{
    return (unsigned)l < CONFIG_LANGS ? LANG_TAGS[l] : "?";
}

static int parse_lang(config_t *c, const setting_t *s, const char *v)
{
    (void)s;
    return card_lang_parse(v, &c->language);
}

static int format_lang(const config_t *c, const setting_t *s, char *out, size_t outlen)
{
    (void)s;
    return put(out, outlen, lang_tag(c->language));
}

/* The next item of a comma-separated list into tok (blanks around the commas dropped);
 * returns 1 with an item and *v past its comma, 0 at the end, -1 when malformed or too long. */
static int list_next(const char **v, char *tok, size_t toklen)
{
    const char *q = *v + strspn(*v, " \t");
    size_t n = 0;
    for (; *q && *q != ',' && *q != ' ' && *q != '\t'; q++, n++) {
        if (n + 1 >= toklen) {
            return -1;
        }
        tok[n] = *q;
    }
    tok[n] = '\0';
    q += strspn(q, " \t");
    if (n == 0 || (*q != '\0' && *q != ',') || (*q == ',' && q[1] == '\0')) {
        return -1;
    }
    *v = *q == ',' ? q + 1 : q;
    return 1;
}

/* A list of up to max distinct items, each read by item(), into out (ints): "en, de". */
static int list_parse(const char *v, int (*item)(const char *, int *), int *out, int32_t max,
                      int32_t *count)
{
    int32_t n = 0;
    char tok[8];
    int more;
    while ((more = list_next(&v, tok, sizeof tok)) == 1) {
        if (n == max || item(tok, &out[n]) < 0) {
            return -1;
        }
        for (int32_t i = 0; i < n; i++) {
            if (out[i] == out[n]) {
                return -1;
            }
        }
        n++;
        if (*v == '\0') {
            break;
        }
    }
    if (more < 0 || n == 0) {
        return -1;
    }
    *count = n;
    return 0;
}

static int lang_item(const char *tok, int *out)
{
    card_lang_t l;
    int rc = card_lang_parse(tok, &l);
    *out = (int)l;
    return rc;
}

static int card_item(const char *tok, int *out)
{
    card_format_t f;
    int rc = card_format_parse(tok, &f);
    *out = (int)f;
    return rc;
}

/* "en, de": each language once. */
static int parse_langs(config_t *c, const setting_t *s, const char *v)
{
    (void)s;
    int items[CONFIG_LANGS];
    int32_t count;
    if (list_parse(v, lang_item, items, CONFIG_LANGS, &count) < 0) {
        return -1;
    }
    for (int32_t i = 0; i < count; i++) {
        c->languages[i] = (card_lang_t)items[i];
    }
    c->language_count = count;
    return 0;
}

/* "a6, 4x6": each card size once. */
static int parse_cards(config_t *c, const setting_t *s, const char *v)
{
    (void)s;
    int items[CONFIG_CARDS];
    int32_t count;
    if (list_parse(v, card_item, items, CONFIG_CARDS, &count) < 0) {
        return -1;
    }
    for (int32_t i = 0; i < count; i++) {
        c->cards[i] = (card_format_t)items[i];
    }
    c->card_count = count;
    return 0;
}

/* Joins count items, each named by name(i), with commas. */
static int list_format(char *out, size_t outlen, int32_t count, int32_t max,
                       const char *(*name)(const config_t *, int32_t, char[8]), const config_t *c)
{
    if (count < 1 || count > max) {
        return put(out, outlen, "?");
    }
    size_t used = 0;
    for (int32_t i = 0; i < count; i++) {
        char tag[8];
        int n = snprintf(out + used, outlen - used, "%s%s", i ? "," : "", name(c, i, tag));
        if (n < 0 || (size_t)n >= outlen - used) {
            return -1;
        }
        used += (size_t)n;
    }
    return 0;
}

static const char *lang_at(const config_t *c, int32_t i, char tag[8])
{
    (void)tag;
    return lang_tag(c->languages[i]);
}

static const char *card_at(const config_t *c, int32_t i, char tag[8])
{
    return card_tag(c->cards[i], tag);
}

static int format_langs(const config_t *c, const setting_t *s, char *out, size_t outlen)
{
    (void)s;
    return list_format(out, outlen, c->language_count, CONFIG_LANGS, lang_at, c);
}

static int format_cards(const config_t *c, const setting_t *s, char *out, size_t outlen)
{
    (void)s;
    return list_format(out, outlen, c->card_count, CONFIG_CARDS, card_at, c);
}

static int parse_ink(config_t *c, const setting_t *s, const char *v)
{
    return card_ink_parse(v, (uint32_t *)field(c, s));
}

/* The names card_ink_parse() knows where one fits, so the file stays readable. */
static int format_ink(const config_t *c, const setting_t *s, char *out, size_t outlen)
{
    static const char *const names[] = {"blue-black", "black", "blue"};
    uint32_t ink = *(const uint32_t *)cfield(c, s), named;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (card_ink_parse(names[i], &named) == 0 && named == ink) {
            return put(out, outlen, names[i]);
        }
    }
    int n = snprintf(out, outlen, "#%06X", (unsigned)ink);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* ---- strings ---- */

static int string_store(config_t *c, const setting_t *s, const char *v, size_t size)
{
    size_t n = strlen(v);
    if (n >= size) {
        return -1;
    }
    char *dst = field(c, s);
    memset(dst, 0, size); /* zero the tail too: equal configs are equal byte for byte */
    memcpy(dst, v, n);
    return 0;
}

static int parse_path(config_t *c, const setting_t *s, const char *v)
{
    return v[0] == '/' ? string_store(c, s, v, CONFIG_PATH_MAX) : -1;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* What printer.h can open: "", ipp(s)://..., file:/DIR, or a CUPS queue's name. */
static bool printer_valid(const char *v)
{
    if (v[0] == '\0') {
        return true;
    }
    if (strchr(v, ' ') || strchr(v, '\t')) {
        return false;
    }
    if (has_prefix(v, "ipp://") || has_prefix(v, "ipps://")) {
        return strlen(strchr(v, ':') + 3) > 0;
    }
    if (has_prefix(v, "file:")) {
        return v[5] == '/';
    }
    /* CUPS refuses these in queue names; ':' would be some other, unsupported, URI. */
    return strlen(v) <= QUEUE_NAME_MAX && !strpbrk(v, "/\\?'\"#:");
}

static int parse_printer(config_t *c, const setting_t *s, const char *v)
{
    return printer_valid(v) ? string_store(c, s, v, CONFIG_PATH_MAX) : -1;
}

static int hex_nibble(char h)
{
    if (h >= '0' && h <= '9') {
        return h - '0';
    }
    if (h >= 'a' && h <= 'f') {
        return h - 'a' + 10;
    }
    if (h >= 'A' && h <= 'F') {
        return h - 'A' + 10;
    }
    return -1;
}

/* n hex digits at s into n / 2 bytes; -1 at the first non-hex digit. */
static int hex_decode(const char *s, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i += 2) {
        int hi = hex_nibble(s[i]), lo = hex_nibble(s[i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* "sha256:<32 hex>:<64 hex>" into its salt and digest; -1 for anything else. */
static int pin_hash_split(const char *v, uint8_t salt[SALT_BYTES], uint8_t digest[DIGEST_BYTES])
{
    const size_t pre = sizeof HASH_PREFIX - 1, salt_hex = 2 * SALT_BYTES;
    if (strnlen(v, CONFIG_PIN_HASH_LEN + 1) != CONFIG_PIN_HASH_LEN || !has_prefix(v, HASH_PREFIX) ||
        v[pre + salt_hex] != ':') {
        return -1;
    }
    if (hex_decode(v + pre, salt_hex, salt) < 0 ||
        hex_decode(v + pre + salt_hex + 1, 2 * DIGEST_BYTES, digest) < 0) {
        return -1;
    }
    return 0;
}

static int parse_pin_hash(config_t *c, const setting_t *s, const char *v)
{
    uint8_t salt[SALT_BYTES], digest[DIGEST_BYTES];
    if (v[0] != '\0' && pin_hash_split(v, salt, digest) < 0) {
        return -1;
    }
    if (string_store(c, s, v, sizeof c->admin_pin_hash) < 0) {
        return -1;
    }
    /* Lower-case, so a hash read back compares equal to one written. */
    for (char *p = field(c, s); *p; p++) {
        *p = (*p >= 'A' && *p <= 'F') ? (char)(*p - 'A' + 'a') : *p;
    }
    return 0;
}

/* Quoted when reading it unquoted would lose something: blanks at either end, a leading
 * quote, or nothing at all (written "" to show it is meant). */
static int format_string(const config_t *c, const setting_t *s, char *out, size_t outlen)
{
    const char *v = cfield(c, s);
    size_t size = s->max > 0 ? (size_t)s->max : 0, n = strnlen(v, size);
    if (n == size) {
        return -1; /* not NUL-terminated within its array */
    }
    bool quote =
        n == 0 || v[0] == '"' || v[0] == ' ' || v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t';
    int w = snprintf(out, outlen, quote ? "\"%s\"" : "%s", v);
    return w < 0 || (size_t)w >= outlen ? -1 : 0;
}

/* ---- the keys, in the order of the example file and of config_save() ---- */

#define INT_KEY(name, member, lo, hi)                                                              \
    {                                                                                              \
        .key = name, .parse = parse_int, .format = format_int,                                     \
        .offset = offsetof(config_t, member), .min = lo, .max = hi                                 \
    }
#define PATH_KEY(name, off)                                                                        \
    {                                                                                              \
        .key = name, .parse = parse_path, .format = format_string, .offset = off,                  \
        .max = CONFIG_PATH_MAX, .accepted = "an absolute path of at most 1023 bytes"               \
    }
#define INK_KEY(name, i)                                                                           \
    {                                                                                              \
        .key = name, .parse = parse_ink, .format = format_ink,                                     \
        .offset = offsetof(config_t, inks) + (i) * sizeof(uint32_t),                               \
        .accepted = "blue-black, black, blue or #RRGGBB"                                           \
    }

static const setting_t SETTINGS[] = {
    {.key = "printer",
     .parse = parse_printer,
     .format = format_string,
     .offset = offsetof(config_t, printer),
     .max = CONFIG_PATH_MAX,
     .accepted = "\"\" (the CUPS default), ipp://HOST/PATH, ipps://HOST/PATH, file:/DIR or a "
                 "CUPS queue name (no spaces, '/', '#', ':' or quotes; at most 127 bytes)"},
    {.key = "print_timeout",
     .parse = parse_ms,
     .format = format_ms,
     .offset = offsetof(config_t, print_timeout_ms),
     .min = 500,
     .max = 60000,
     .accepted = "seconds from 0.5 to 60, at most 3 decimals (e.g. 3 or 2.5)"},
    INT_KEY("max_pending_per_session", max_pending_per_session, 1, 100),
    INT_KEY("max_pending", max_pending, 1, 10000),
    PATH_KEY("feed", offsetof(config_t, feed)),
    {.key = "language",
     .parse = parse_lang,
     .format = format_lang,
     .offset = offsetof(config_t, language),
     .accepted = "en, de or nl"},
    {.key = "languages_offered",
     .parse = parse_langs,
     .format = format_langs,
     .offset = offsetof(config_t, languages),
     .accepted = "a comma-separated list of en, de, nl, each at most once"},
    INT_KEY("idle_timeout", idle_timeout, 15, 3600),
    INT_KEY("still_there_seconds", still_there_seconds, 5, 120),
    {.key = "orientation",
     .parse = parse_orientation,
     .format = format_orientation,
     .offset = offsetof(config_t, orientation),
     .accepted = "landscape or portrait"},
    {.key = "fullscreen",
     .parse = parse_bool,
     .format = format_bool,
     .offset = offsetof(config_t, fullscreen),
     .accepted = "true or false (or yes/no, on/off)"},
    {.key = "card",
     .parse = parse_card,
     .format = format_card,
     .offset = offsetof(config_t, card),
     .accepted = "a6, a5, 4x6 or 5x7"},
    {.key = "cards_offered",
     .parse = parse_cards,
     .format = format_cards,
     .offset = offsetof(config_t, cards),
     .accepted = "a comma-separated list of a6, a5, 4x6, 5x7, each at most once"},
    {.key = "dpi",
     .parse = parse_dpi,
     .format = format_int,
     .offset = offsetof(config_t, dpi),
     .min = 300,
     .max = 600,
     .accepted = "300 or 600"},
    PATH_KEY("font_1", offsetof(config_t, fonts)),
    PATH_KEY("font_2", offsetof(config_t, fonts) + CONFIG_PATH_MAX),
    PATH_KEY("font_3", offsetof(config_t, fonts) + 2 * CONFIG_PATH_MAX),
    PATH_KEY("fallback_font", offsetof(config_t, fallback_font)),
    PATH_KEY("ui_font", offsetof(config_t, ui_font)),
    INK_KEY("ink_1", 0),
    INK_KEY("ink_2", 1),
    INK_KEY("ink_3", 2),
    {.key = "admin_pin_hash",
     .parse = parse_pin_hash,
     .format = format_string,
     .offset = offsetof(config_t, admin_pin_hash),
     .max = CONFIG_PIN_HASH_LEN + 1,
     .accepted = "\"\" (no admin access) or sha256:<32 hex digits of salt>:<64 hex digits of "
                 "SHA-256 over the salt bytes and the PIN>"},
};

#define SETTING_COUNT (sizeof SETTINGS / sizeof SETTINGS[0])

static const setting_t *setting_find(const char *key, size_t *index)
{
    for (size_t i = 0; i < SETTING_COUNT; i++) {
        if (strcmp(SETTINGS[i].key, key) == 0) {
            *index = i;
            return &SETTINGS[i];
        }
    }
    return NULL;
}

/* ---- defaults ---- */

static void copy_default(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

void config_defaults(config_t *c)
{
    memset(c, 0, sizeof *c);
    c->print_timeout_ms = 3000;
    c->max_pending_per_session = 1;
    c->max_pending = 100;
    copy_default(c->feed, sizeof c->feed, LIKELETTER_SAMPLE_FEED);
    c->language = CARD_LANG_EN;
    c->languages[0] = CARD_LANG_EN;
    c->languages[1] = CARD_LANG_DE;
    c->languages[2] = CARD_LANG_NL;
    c->language_count = 3;
    c->idle_timeout = 90;
    c->still_there_seconds = 15;
    c->orientation = CONFIG_LANDSCAPE;
    c->fullscreen = true;
    c->card = CARD_A6;
    c->cards[0] = CARD_A6;
    c->cards[1] = CARD_A5;
    c->cards[2] = CARD_4X6;
    c->cards[3] = CARD_5X7;
    c->card_count = 4;
    c->dpi = 300;
    copy_default(c->fonts[0], CONFIG_PATH_MAX,
                 "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf");
    copy_default(c->fonts[1], CONFIG_PATH_MAX,
                 "/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf");
    copy_default(c->fonts[2], CONFIG_PATH_MAX, "/usr/share/fonts/truetype/kristi/Kristi.ttf");
    copy_default(c->fallback_font, CONFIG_PATH_MAX,
                 "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    copy_default(c->ui_font, CONFIG_PATH_MAX, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    c->inks[0] = CARD_INK_DEFAULT;
    (void)card_ink_parse("black", &c->inks[1]);
    (void)card_ink_parse("blue", &c->inks[2]);
}

/* ---- messages ---- */

static void errf(parser_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "NAME:LINE: message" into the caller's buffer. */
static void errf(parser_t *p, const char *fmt, ...)
{
    if (!p->err || p->errlen == 0) {
        return;
    }
    int n = p->line ? snprintf(p->err, p->errlen, "%s:%zu: ", p->name, p->line)
                    : snprintf(p->err, p->errlen, "%s: ", p->name);
    if (n < 0 || (size_t)n >= p->errlen) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

/* v cut to VALUE_SHOWN bytes at a character boundary ("..." marks the cut), with control
 * characters shown as '?' so a message never moves a terminal's cursor. */
static void value_shown(const char *v, char out[VALUE_SHOWN + 4])
{
    size_t n = strlen(v);
    bool cut = n > VALUE_SHOWN;
    if (cut) {
        n = VALUE_SHOWN;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)v[i];
        out[i] = (b < 0x20 || b == 0x7F) ? '?' : (char)b;
    }
    memcpy(out + n, cut ? "..." : "", cut ? 4 : 1);
}

static void value_error(parser_t *p, const setting_t *s, const char *v)
{
    char shown[VALUE_SHOWN + 4];
    value_shown(v, shown);
    if (s->accepted) {
        errf(p, "%s = \"%s\": expected %s", s->key, shown, s->accepted);
    } else {
        errf(p, "%s = \"%s\": expected a whole number from %d to %d", s->key, shown, s->min,
             s->max);
    }
}

/* ---- lines ---- */

static bool key_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || ch == '.';
}

static bool key_valid(const char *key, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!key_char(key[i])) {
            return false;
        }
    }
    return n > 0;
}

/* Drops blanks at both ends of s[0..*n), NUL-terminating; returns the new start. */
static char *trim(char *s, size_t *n)
{
    while (*n > 0 && (s[0] == ' ' || s[0] == '\t')) {
        s++, (*n)--;
    }
    while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t')) {
        (*n)--;
    }
    s[*n] = '\0';
    return s;
}

/* Removes one pair of quotes around the value; -1 for an opening quote never closed. */
static int unquote(char **v, size_t *n)
{
    if (*n == 0 || (*v)[0] != '"') {
        return 0;
    }
    if (*n < 2 || (*v)[*n - 1] != '"') {
        return -1;
    }
    (*v)[*n - 1] = '\0';
    (*v)++;
    *n -= 2;
    return 0;
}

static int assign(config_t *c, parser_t *p, const char *key, const char *v)
{
    size_t i;
    const setting_t *s = setting_find(key, &i);
    if (!s) {
        log_msg(LOG_WARN, "%s:%zu: unknown key \"%.80s\" ignored (a newer kiosk's setting?)",
                p->name, p->line, key);
        return 0;
    }
    if (s->parse(c, s, v) < 0) {
        value_error(p, s, v);
        return -1;
    }
    if (p->lines[i]) {
        log_msg(LOG_WARN, "%s:%zu: %s was already set on line %zu; this one wins", p->name, p->line,
                key, p->lines[i]);
    }
    p->lines[i] = p->line;
    return 0;
}

/* One line, n bytes (line end removed), into buf (CONFIG_LINE_MAX + 1 bytes). */
static int line_parse(config_t *c, parser_t *p, const char *line, size_t n, char *buf)
{
    const char *nul = memchr(line, '\0', n);
    size_t bad;
    if (nul) {
        errf(p, "a NUL byte at column %zu", (size_t)(nul - line) + 1);
        return -1;
    }
    if (utf8_check(line, n, &bad) < 0) {
        errf(p, "invalid UTF-8 at column %zu", bad + 1);
        return -1;
    }
    memcpy(buf, line, n);
    char *s = trim(buf, &n);
    if (n == 0 || s[0] == '#') {
        return 0;
    }
    char *eq = memchr(s, '=', n);
    if (!eq) {
        char shown[VALUE_SHOWN + 4];
        value_shown(s, shown);
        errf(p, "\"%s\": expected key = value, or a comment starting with #", shown);
        return -1;
    }
    size_t kn = (size_t)(eq - s), vn = n - kn - 1;
    char *key = trim(s, &kn), *v = trim(eq + 1, &vn);
    if (!key_valid(key, kn)) {
        char shown[VALUE_SHOWN + 4];
        value_shown(key, shown);
        errf(p, "\"%s\" is not a key (letters, digits and _)", shown);
        return -1;
    }
    if (unquote(&v, &vn) < 0) {
        errf(p, "%.80s: the value's opening quote is never closed", key);
        return -1;
    }
    if (utf8_control_check(v, vn, &bad) < 0) {
        errf(p, "%.80s: a control character in the value at byte %zu", key, bad + 1);
        return -1;
    }
    return assign(c, p, key, v);
}

/* The later of the lines that set key a and key b (0 when neither was in the file). */
static size_t later_line(const parser_t *p, const char *a, const char *b)
{
    size_t i = 0, j = 0;
    size_t la = setting_find(a, &i) ? p->lines[i] : 0, lb = setting_find(b, &j) ? p->lines[j] : 0;
    return la > lb ? la : lb;
}

/* Settings that must agree with each other, checked once the whole file is read. */
static int cross_check(const config_t *c, parser_t *p)
{
    bool offered = false;
    for (int32_t i = 0; i < c->language_count && i < CONFIG_LANGS; i++) {
        offered = offered || c->languages[i] == c->language;
    }
    if (!offered) {
        p->line = later_line(p, "language", "languages_offered");
        errf(p, "language = \"%s\" is not among languages_offered", lang_tag(c->language));
        return -1;
    }
    bool card_offered = false;
    for (int32_t i = 0; i < c->card_count && i < CONFIG_CARDS; i++) {
        card_offered = card_offered || c->cards[i] == c->card;
    }
    if (!card_offered) {
        char tag[8];
        p->line = later_line(p, "card", "cards_offered");
        errf(p, "card = \"%s\" is not among cards_offered", card_tag(c->card, tag));
        return -1;
    }
    if (c->max_pending_per_session > c->max_pending) {
        p->line = later_line(p, "max_pending_per_session", "max_pending");
        errf(p, "max_pending_per_session = %d is more than max_pending = %d",
             c->max_pending_per_session, c->max_pending);
        return -1;
    }
    return 0;
}

static int text_parse(config_t *c, parser_t *p, const char *data, size_t len)
{
    if (len > CONFIG_FILE_MAX) {
        errf(p, "%zu bytes; a config file may have at most %d", len, CONFIG_FILE_MAX);
        return -1;
    }
    char *buf = malloc(CONFIG_LINE_MAX + 1);
    if (!buf) {
        errf(p, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t off = 0; off < len && rc == 0;) {
        p->line++;
        const char *nl = memchr(data + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - data) : len, n = end - off;
        if (n > 0 && data[off + n - 1] == '\r') {
            n--; /* CRLF */
        }
        if (n > CONFIG_LINE_MAX) {
            errf(p, "the line is %zu bytes long; at most %d are allowed", n, CONFIG_LINE_MAX);
            rc = -1;
        } else {
            rc = line_parse(c, p, data + off, n, buf);
        }
        off = nl ? end + 1 : len;
    }
    free(buf);
    return rc == 0 ? cross_check(c, p) : -1;
}

int config_load_memory(config_t *c, const char *data, size_t len, const char *name, char *err,
                       size_t errlen)
{
    size_t lines[SETTING_COUNT] = {0};
    parser_t p = {.name = name ? name : "<memory>", .lines = lines, .err = err, .errlen = errlen};
    if (err && errlen) {
        err[0] = '\0';
    }
    config_defaults(c);
    if (!data && len) {
        errf(&p, "no data");
        return -1;
    }
    if (text_parse(c, &p, data ? data : "", len) < 0) {
        config_defaults(c); /* never half a file: the caller may go on with the defaults */
        return -1;
    }
    return 0;
}

/* ---- files ---- */

/* The whole regular file open at fd, refusing more than CONFIG_FILE_MAX bytes. */
static char *file_slurp(int fd, const char *path, size_t *len, parser_t *p)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        errf(p, "cannot read: %s", strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        errf(p, "%s",
             S_ISDIR(st.st_mode) ? "a directory, not a config file" : "not a regular file");
        return NULL;
    }
    if (st.st_size > CONFIG_FILE_MAX) {
        errf(p, "%lld bytes; a config file may have at most %d", (long long)st.st_size,
             CONFIG_FILE_MAX);
        return NULL;
    }
    char *buf = malloc(CONFIG_FILE_MAX + 1);
    size_t got = 0;
    while (buf && got <= CONFIG_FILE_MAX) {
        ssize_t r = read(fd, buf + got, CONFIG_FILE_MAX + 1 - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            errf(p, "cannot read: %s", strerror(errno));
            free(buf);
            return NULL;
        }
        if (r == 0) {
            break;
        }
        got += (size_t)r;
    }
    if (!buf) {
        errf(p, "out of memory reading %s", path);
    }
    *len = got; /* a file that grew past the limit while read is refused by text_parse() */
    return buf;
}

int config_load(config_t *c, const char *path, bool must_exist, char *err, size_t errlen)
{
    size_t lines[SETTING_COUNT] = {0};
    parser_t p = {.name = path, .lines = lines, .err = err, .errlen = errlen};
    config_defaults(c);
    if (err && errlen) {
        err[0] = '\0';
    }
    /* O_NONBLOCK: a FIFO named as the config must not hang the kiosk at start. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT && !must_exist) {
            return 0;
        }
        errf(&p, "cannot open: %s", strerror(errno));
        return -1;
    }
    size_t len = 0;
    char *data = file_slurp(fd, path, &len, &p);
    close(fd);
    if (!data) {
        return -1;
    }
    int rc = config_load_memory(c, data, len, path, err, errlen);
    free(data);
    return rc;
}

bool config_equal(const config_t *a, const config_t *b)
{
    bool same = a->print_timeout_ms == b->print_timeout_ms &&
                a->max_pending_per_session == b->max_pending_per_session &&
                a->max_pending == b->max_pending && a->language == b->language &&
                a->language_count == b->language_count && a->idle_timeout == b->idle_timeout &&
                a->still_there_seconds == b->still_there_seconds &&
                a->orientation == b->orientation && a->fullscreen == b->fullscreen &&
                a->card == b->card && a->card_count == b->card_count && a->dpi == b->dpi &&
                memcmp(a->inks, b->inks, sizeof a->inks) == 0;
    for (int32_t i = 0; same && i < a->language_count && i < CONFIG_LANGS; i++) {
        same = a->languages[i] == b->languages[i];
    }
    for (int32_t i = 0; same && i < a->card_count && i < CONFIG_CARDS; i++) {
        same = a->cards[i] == b->cards[i];
    }
    for (size_t i = 0; same && i < SETTING_COUNT; i++) {
        if (SETTINGS[i].format == format_string) {
            same = strncmp(cfield(a, &SETTINGS[i]), cfield(b, &SETTINGS[i]),
                           (size_t)SETTINGS[i].max) == 0;
        }
    }
    return same;
}

/* ---- writing ---- */

static const char HEADER[] = "# likeletter configuration, written by likeletter.\n"
                             "# Every key is explained in likeletter.conf.example.\n";

int config_text_format(const config_t *c, char *out, size_t outlen, size_t *len, char *err,
                       size_t errlen)
{
    parser_t p = {.name = "config", .err = err, .errlen = errlen};
    if (put(out, outlen, HEADER) < 0) {
        errf(&p, "%zu bytes are not enough for the settings", outlen);
        return -1;
    }
    size_t used = sizeof HEADER - 1;
    for (size_t i = 0; i < SETTING_COUNT && used < outlen; i++) {
        const setting_t *s = &SETTINGS[i];
        int n = snprintf(out + used, outlen - used, "%s = ", s->key);
        if (n < 0 || (size_t)n >= outlen - used) {
            used = outlen;
            break;
        }
        used += (size_t)n;
        if (s->format(c, s, out + used, outlen - used) < 0) {
            errf(&p, "%s cannot be written (not NUL-terminated, or no room)", s->key);
            return -1;
        }
        used += strlen(out + used);
        if (used + 1 >= outlen) {
            used = outlen;
            break;
        }
        out[used++] = '\n';
        out[used] = '\0';
    }
    if (used >= outlen) {
        errf(&p, "%zu bytes are not enough for the settings", outlen);
        return -1;
    }
    *len = used;
    return 0;
}

/* config_text_format() and a check that the text reads back equal, which refuses any field out
 * of its range: a bad admin screen must not write a file the kiosk cannot start with. */
static char *text_checked(const config_t *c, size_t *len, char *err, size_t errlen)
{
    char *text = malloc(CONFIG_TEXT_MAX);
    config_t *back = malloc(sizeof *back);
    if (!text || !back) {
        snprintf(err, errlen, "out of memory");
    } else if (config_text_format(c, text, CONFIG_TEXT_MAX, len, err, errlen) == 0) {
        if (config_load_memory(back, text, *len, "config", err, errlen) == 0) {
            if (config_equal(c, back)) {
                free(back);
                return text;
            }
            snprintf(err, errlen, "a setting does not read back as written");
        }
    }
    free(back);
    free(text);
    return NULL;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

int config_save(const config_t *c, const char *path)
{
    char err[512];
    size_t len;
    char *text = text_checked(c, &len, err, sizeof err);
    if (!text) {
        log_msg(LOG_ERROR, "%s: not saved: %s", path, err);
        return -1;
    }
    durable_file_t f;
    int rc = -1;
    if (durable_begin(&f, path) < 0) {
        goto out;
    }
    if (write_all(f.fd, text, len) != 0) {
        log_msg(LOG_ERROR, "%s: cannot write: %s", path, strerror(errno));
        durable_abort(&f);
        goto out;
    }
    /* 0600: the salted hash of a 4-digit PIN is quickly brute-forced by whoever can read it. */
    rc = durable_commit_mode(&f, 0600);
out:
    free(text);
    return rc;
}

/* ---- the admin PIN ---- */

static bool pin_valid(const char *pin)
{
    size_t n = 0;
    for (; pin && pin[n]; n++) {
        if (pin[n] < '0' || pin[n] > '9' || n == CONFIG_PIN_MAX) {
            return false;
        }
    }
    return pin && n >= CONFIG_PIN_MIN;
}

/* SHA-256 over the salt bytes then the PIN's bytes, with libcups. */
static int pin_digest(const uint8_t salt[SALT_BYTES], const char *pin, uint8_t digest[DIGEST_BYTES])
{
    uint8_t buf[SALT_BYTES + CONFIG_PIN_MAX];
    size_t n = strlen(pin);
    memcpy(buf, salt, SALT_BYTES);
    memcpy(buf + SALT_BYTES, pin, n);
    ssize_t got = cupsHashData("sha2-256", buf, SALT_BYTES + n, digest, DIGEST_BYTES);
    memset(buf, 0, sizeof buf);
    return got == DIGEST_BYTES ? 0 : -1;
}

static int random_fill(uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}

static void hex_encode(const uint8_t *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

int config_pin_hash(const char *pin, char *out, size_t outlen)
{
    uint8_t salt[SALT_BYTES], digest[DIGEST_BYTES];
    if (!out || outlen < CONFIG_PIN_HASH_LEN + 1) {
        return -1;
    }
    out[0] = '\0';
    if (!pin_valid(pin) || random_fill(salt, sizeof salt) < 0 ||
        pin_digest(salt, pin, digest) < 0) {
        return -1;
    }
    char salt_hex[2 * SALT_BYTES + 1], digest_hex[2 * DIGEST_BYTES + 1];
    hex_encode(salt, sizeof salt, salt_hex);
    hex_encode(digest, sizeof digest, digest_hex);
    snprintf(out, outlen, "%s%s:%s", HASH_PREFIX, salt_hex, digest_hex);
    return 0;
}

bool config_pin_check(const config_t *c, const char *pin)
{
    uint8_t salt[SALT_BYTES], want[DIGEST_BYTES], got[DIGEST_BYTES];
    if (!pin_valid(pin) || pin_hash_split(c->admin_pin_hash, salt, want) < 0 ||
        pin_digest(salt, pin, got) < 0) {
        return false;
    }
    /* Every byte compared whatever the first difference, so timing tells nothing. */
    volatile uint8_t diff = 0;
    for (size_t i = 0; i < DIGEST_BYTES; i++) {
        diff = (uint8_t)(diff | (want[i] ^ got[i]));
    }
    return diff == 0;
}
