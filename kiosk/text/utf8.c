/* utf8.c - see utf8.h. One decoder, the well-formed byte ranges of Unicode's table 3-7, shared by
 * the validators and utf8_decode(), so they cannot disagree about what is UTF-8. */
#include "likeletter/utf8.h"

/* The range the second byte must lie in, by lead byte; later bytes are always 0x80..0xBF. The
 * narrowed ranges are what exclude overlong forms (E0, F0), surrogates (ED) and values above
 * U+10FFFF (F4). */
static bool second_ok(uint8_t lead, uint8_t b)
{
    switch (lead) {
    case 0xE0:
        return b >= 0xA0 && b <= 0xBF;
    case 0xED:
        return b >= 0x80 && b <= 0x9F;
    case 0xF0:
        return b >= 0x90 && b <= 0xBF;
    case 0xF4:
        return b >= 0x80 && b <= 0x8F;
    default:
        return b >= 0x80 && b <= 0xBF;
    }
}

/* The length a lead byte announces, or 0 when the byte cannot start a sequence (continuation
 * bytes, C0/C1 which only start overlong forms, F5..FF which only start values above U+10FFFF). */
static size_t lead_length(uint8_t lead)
{
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        return 2;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        return 4;
    }
    return 0;
}

/* Decodes one well-formed sequence at p (avail >= 1 bytes): its length, or 0 when ill-formed. */
static size_t decode_one(const uint8_t *p, size_t avail, uint32_t *cp)
{
    size_t n = lead_length(p[0]);
    if (n == 0 || n > avail) {
        return 0;
    }
    if (n == 1) {
        *cp = p[0];
        return 1;
    }
    if (!second_ok(p[0], p[1])) {
        return 0;
    }
    uint32_t v = p[0] & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            return 0;
        }
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    *cp = v;
    return n;
}

int utf8_check(const char *s, size_t len, size_t *bad_offset)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t off = 0;
    while (off < len) {
        /* ASCII is most of every note: skip it without the decoder. */
        if (p[off] < 0x80) {
            off++;
            continue;
        }
        uint32_t cp;
        size_t n = decode_one(p + off, len - off, &cp);
        if (n == 0) {
            if (bad_offset) {
                *bad_offset = off;
            }
            return -1;
        }
        off += n;
    }
    return 0;
}

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    if (len == 0) {
        return 0;
    }
    size_t n = decode_one((const uint8_t *)s, len, cp);
    if (n == 0) {
        *cp = UTF8_REPLACEMENT;
        return 1;
    }
    return n;
}

static bool is_refused_control(uint32_t cp)
{
    if (cp == '\t' || cp == '\n') {
        return false;
    }
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

int utf8_control_check(const char *s, size_t len, size_t *bad_offset)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t off = 0;
    while (off < len) {
        uint32_t cp;
        size_t n = decode_one(p + off, len - off, &cp);
        if (n == 0 || is_refused_control(cp)) {
            if (bad_offset) {
                *bad_offset = off;
            }
            return -1;
        }
        off += n;
    }
    return 0;
}

bool utf8_is_line_break(uint32_t cp)
{
    return cp == '\n' || cp == 0x2028 || cp == 0x2029;
}
