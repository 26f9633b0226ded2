/* qr.c - see qr.h. Links are checked here, byte by byte, before libqrencode sees them; the
 * symbol is copied into one flat allocation so rendering and queries need no library calls. */
#include "likeletter/qr.h"
#include "likeletter/utf8.h"

#include <errno.h>
#include <math.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEME_SHOWN_MAX 32 /* longest scheme echoed in a message */
#define MM_PER_INCH 25.4

struct qr {
    int modules;    /* per side, without the quiet zone */
    char ec;        /* 'M' or 'Q' */
    uint8_t dark[]; /* modules * modules bytes, row-major: 1 dark, 0 light */
};

static void fail_msg(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail_msg(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ASCII-only case-insensitive compare of s[0..n) with the lowercase word: no locale involved. */
static bool same_word(const char *s, size_t n, const char *word)
{
    if (strlen(word) != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
        if (c != word[i]) {
            return false;
        }
    }
    return true;
}

/* Every byte must be printable ASCII; names the first one that is not. */
static int check_bytes(const char *url, size_t len, char *err, size_t errlen)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c == ' ') {
            fail_msg(err, errlen, "the link contains a space at byte %zu", i);
            return -1;
        }
        if (c < 0x20 || c == 0x7f) {
            fail_msg(err, errlen, "the link contains a control character (0x%02X) at byte %zu", c,
                     i);
            return -1;
        }
        if (c >= 0x80) {
            fail_msg(err, errlen,
                     "the link contains a non-ASCII byte (0x%02X) at byte %zu; international "
                     "links must be percent-encoded",
                     c, i);
            return -1;
        }
    }
    return 0;
}

/* RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". Returns its length, 0 when
 * the link has none (relative). */
static size_t scheme_len(const char *url)
{
    if (!is_alpha(url[0])) {
        return 0;
    }
    size_t n = 1;
    while (is_alpha(url[n]) || is_digit(url[n]) || url[n] == '+' || url[n] == '-' ||
           url[n] == '.') {
        n++;
    }
    return url[n] == ':' ? n : 0;
}

/* The authority a[0..n): [userinfo@]host[:port], host possibly an IP literal in brackets. */
static int check_authority(const char *a, size_t n, char *err, size_t errlen)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++) {
        at = a[i] == '@' ? a + i : at;
    }
    const char *host = at ? at + 1 : a, *end = a + n;
    const char *host_end = host;
    if (host < end && *host == '[') {
        const char *close = memchr(host, ']', (size_t)(end - host));
        if (!close || close == host + 1) {
            fail_msg(err, errlen, "the link's host is an unclosed or empty [IP literal]");
            return -1;
        }
        host_end = close + 1;
    } else {
        while (host_end < end && *host_end != ':') {
            host_end++;
        }
    }
    if (host_end == host) {
        fail_msg(err, errlen, "the link has no host (nothing between // and the path)");
        return -1;
    }
    if (host_end == end) {
        return 0;
    }
    /* What follows the host must be ":" and a port number (RFC 3986 allows it empty). */
    const char *port = host_end + 1;
    long value = 0;
    bool ok = *host_end == ':' && end - port <= 5;
    for (const char *p = port; ok && p < end; p++) {
        ok = is_digit(*p);
        value = value * 10 + (*p - '0');
    }
    if (!ok || value > 65535) {
        fail_msg(err, errlen, "the link's port \"%.*s\" is not a number from 0 to 65535",
                 (int)(end - host_end), host_end);
        return -1;
    }
    return 0;
}

int qr_url_check(const char *url, char *err, size_t errlen)
{
    if (!url) {
        fail_msg(err, errlen, "no link given");
        return -1;
    }
    size_t len = strlen(url);
    if (len == 0) {
        fail_msg(err, errlen, "the link is empty");
        return -1;
    }
    if (len > QR_URL_MAX) {
        fail_msg(err, errlen, "the link is %zu bytes; at most %d fit", len, QR_URL_MAX);
        return -1;
    }
    if (check_bytes(url, len, err, errlen) != 0) {
        return -1;
    }
    /* From here on the link is printable ASCII, so parts of it may be echoed in messages. */
    size_t n = scheme_len(url);
    if (n == 0) {
        fail_msg(err, errlen, "the link is relative; it must start with http:// or https://");
        return -1;
    }
    if (!same_word(url, n, "http") && !same_word(url, n, "https")) {
        fail_msg(err, errlen, "only http and https links can go on a card, not %.*s%s:",
                 (int)(n < SCHEME_SHOWN_MAX ? n : SCHEME_SHOWN_MAX), url,
                 n > SCHEME_SHOWN_MAX ? "..." : "");
        return -1;
    }
    const char *rest = url + n + 1;
    if (strncmp(rest, "//", 2) != 0) {
        fail_msg(err, errlen, "the %.*s: link has no //host after the scheme", (int)n, url);
        return -1;
    }
    rest += 2;
    return check_authority(rest, strcspn(rest, "/?#"), err, errlen);
}

/* Q costs nothing when it fits the version M needs: libqrencode grows a symbol past the version
 * asked for only when the data does not fit, so an unchanged version means the same size. */
static QRcode *encode(const char *url, char *ec)
{
    QRcode *m = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!m) {
        return NULL;
    }
    QRcode *q = QRcode_encodeString(url, m->version, QR_ECLEVEL_Q, QR_MODE_8, 1);
    if (q && q->version == m->version && q->width == m->width) {
        QRcode_free(m);
        *ec = 'Q';
        return q;
    }
    if (q) {
        QRcode_free(q);
    }
    *ec = 'M';
    return m;
}

/* The symbol libqrencode made, as ours (it is freed here). */
static qr_t *symbol_take(QRcode *code, char ec, const char *what, char *err, size_t errlen)
{
    if (!code) {
        int saved = errno;
        fail_msg(err, errlen, "cannot encode %s as a QR code: %s", what,
                 saved ? strerror(saved) : "unknown error");
        return NULL;
    }
    if (code->width < 21 || code->width > 177 || !code->data) {
        QRcode_free(code);
        fail_msg(err, errlen, "cannot encode %s as a QR code: bad symbol from libqrencode", what);
        return NULL;
    }
    size_t cells = (size_t)code->width * (size_t)code->width;
    qr_t *q = malloc(sizeof *q + cells);
    if (!q) {
        QRcode_free(code);
        fail_msg(err, errlen, "cannot encode %s as a QR code: %s", what, strerror(ENOMEM));
        return NULL;
    }
    q->modules = code->width;
    q->ec = ec;
    /* Bit 0 of each libqrencode byte is the module's colour; the other bits are its role. */
    for (size_t i = 0; i < cells; i++) {
        q->dark[i] = code->data[i] & 1u;
    }
    QRcode_free(code);
    return q;
}

qr_t *qr_create(const char *url, char *err, size_t errlen)
{
    if (qr_url_check(url, err, errlen) != 0) {
        return NULL;
    }
    char ec = 'M';
    errno = 0;
    QRcode *code = encode(url, &ec);
    return symbol_take(code, ec, "the link", err, errlen);
}

/* Text as 8-bit data: Q when it fits the same symbol as M, else M (as for links). */
static QRcode *encode_data(const char *text, size_t len, char *ec)
{
    const unsigned char *d = (const unsigned char *)text;
    QRcode *m = QRcode_encodeData((int)len, d, 0, QR_ECLEVEL_M);
    if (!m) {
        return NULL;
    }
    QRcode *q = QRcode_encodeData((int)len, d, m->version, QR_ECLEVEL_Q);
    if (q && q->version == m->version && q->width == m->width) {
        QRcode_free(m);
        *ec = 'Q';
        return q;
    }
    if (q) {
        QRcode_free(q);
    }
    *ec = 'M';
    return m;
}

qr_t *qr_text_create(const char *text, size_t len, char *err, size_t errlen)
{
    size_t bad = 0;
    if (!text || len == 0 || len > QR_TEXT_MAX) {
        fail_msg(err, errlen, "a QR text is 1 to %d bytes, not %zu", QR_TEXT_MAX, text ? len : 0);
        return NULL;
    }
    if (utf8_check(text, len, &bad) != 0) {
        fail_msg(err, errlen, "the QR text is not valid UTF-8 at byte %zu", bad);
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\r' && c != '\n') || c == 0x7F) {
            fail_msg(err, errlen, "the QR text has a control character at byte %zu", i);
            return NULL;
        }
    }
    char ec = 'M';
    errno = 0;
    return symbol_take(encode_data(text, len, &ec), ec, "the text", err, errlen);
}

void qr_free(qr_t *q)
{
    free(q);
}

int qr_modules(const qr_t *q)
{
    return q ? q->modules : 0;
}

bool qr_dark(const qr_t *q, int x, int y)
{
    if (!q || x < 0 || y < 0 || x >= q->modules || y >= q->modules) {
        return false;
    }
    return q->dark[(size_t)y * (size_t)q->modules + (size_t)x] != 0;
}

char qr_ec_level(const qr_t *q)
{
    return q ? q->ec : '\0';
}

int32_t qr_size_px(const qr_t *q, int32_t module_px)
{
    if (!q || module_px < 1 || module_px > QR_MODULE_PX_MAX) {
        return -1;
    }
    return (q->modules + 2 * QR_QUIET_MODULES) * module_px; /* at most 185 * 64 */
}

/* One pixel row through module row my: quiet, modules, quiet. */
static void render_row(const qr_t *q, int my, int32_t module_px, uint8_t *row)
{
    int32_t quiet = QR_QUIET_MODULES * module_px;
    memset(row, 0, (size_t)quiet);
    uint8_t *p = row + quiet;
    const uint8_t *dark = q->dark + (size_t)my * (size_t)q->modules;
    for (int mx = 0; mx < q->modules; mx++, p += module_px) {
        memset(p, dark[mx] ? 255 : 0, (size_t)module_px);
    }
    memset(p, 0, (size_t)quiet);
}

int qr_render(const qr_t *q, int32_t module_px, uint8_t *dst, ptrdiff_t stride)
{
    int32_t size = qr_size_px(q, module_px);
    if (size < 0 || !dst || stride < size) {
        return -1;
    }
    int32_t quiet = QR_QUIET_MODULES * module_px;
    for (int32_t y = 0; y < quiet; y++) {
        memset(dst + (ptrdiff_t)y * stride, 0, (size_t)size);
        memset(dst + (ptrdiff_t)(size - 1 - y) * stride, 0, (size_t)size);
    }
    /* Each module row is drawn once and copied to its other pixel rows. */
    for (int my = 0; my < q->modules; my++) {
        uint8_t *first = dst + (ptrdiff_t)(quiet + my * module_px) * stride;
        render_row(q, my, module_px, first);
        for (int32_t k = 1; k < module_px; k++) {
            memcpy(first + (ptrdiff_t)k * stride, first, (size_t)size);
        }
    }
    return 0;
}

int32_t qr_module_px_for(const qr_t *q, double dpi, double min_module_mm, int32_t min_px)
{
    if (!q || !isfinite(dpi) || dpi <= 0 || !isfinite(min_module_mm) || min_module_mm < 0 ||
        min_px < 1) {
        return -1;
    }
    double px = min_module_mm * dpi / MM_PER_INCH;
    if (px > QR_MODULE_PX_MAX) {
        return -1;
    }
    /* A hair of tolerance, so an exact fit (0.254 mm at 400 dpi: 4 px) is not rounded up to 5. */
    int32_t n = (int32_t)ceil(px - 1e-9);
    if (n < min_px) {
        n = min_px;
    }
    return n > QR_MODULE_PX_MAX ? -1 : n;
}
