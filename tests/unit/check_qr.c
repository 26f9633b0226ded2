/* check_qr.c - the card's QR code: which links are accepted, what the rendered symbol decodes to
 * (zbarimg, as a phone would read it, also after a 50% downscale and a slight blur), its quiet
 * zone, error correction level and module sizes. */
#include "likeletter/image.h"
#include "likeletter/qr.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef LIKELETTER_TEST_ZBARIMG
#define LIKELETTER_TEST_ZBARIMG "zbarimg"
#endif

static void setup(void)
{
    testutil_tmpdir_make("check_qr");
}

/* ---- links ---- */

/* A link: text, or prefix padded with 'a' to pad_to bytes when pad_to > 0. */
typedef struct url_case {
    const char *text;
    size_t pad_to;
    const char *why; /* refused cases: a part of the expected message */
} url_case_t;

static const char *url_case_text(const url_case_t *c)
{
    static char buf[2048];
    if (c->pad_to == 0) {
        return c->text;
    }
    ck_assert_uint_lt(c->pad_to, sizeof buf);
    size_t n = strlen(c->text);
    memcpy(buf, c->text, n);
    memset(buf + n, 'a', c->pad_to - n);
    buf[c->pad_to] = '\0';
    return buf;
}

static const url_case_t accepted[] = {
    {"http://example.com", 0, NULL},
    {"https://example.com/", 0, NULL},
    {"HTTPS://EXAMPLE.COM/POST/1", 0, NULL},
    {"HtTp://example.com/x", 0, NULL},
    {"https://social.example/@anna/112233?utm_source=card&lang=de#reply-7", 0, NULL},
    {"https://example.com:8443/path", 0, NULL},
    {"https://example.com:/path", 0, NULL},
    {"http://user:pw@example.com/", 0, NULL},
    {"http://[2001:db8::1]:8080/x", 0, NULL},
    {"https://example.com?q=1", 0, NULL},
    {"https://example.com#top", 0, NULL},
    {"https://de.wikipedia.org/wiki/Stra%C3%9Fe", 0, NULL},
    {"https://example.com/", QR_URL_MAX, NULL},
};

static const url_case_t refused[] = {
    {NULL, 0, "no link"},
    {"", 0, "empty"},
    {"https://example.com/", QR_URL_MAX + 1, "1025 bytes; at most 1024 fit"},
    {"https://example.com/", 1500, "1500 bytes; at most 1024 fit"},
    {"https://example.com/thank you", 0, "space at byte 25"},
    {" https://example.com/", 0, "space at byte 0"},
    {"https://example.com/\tx", 0, "control character (0x09) at byte 20"},
    {"https://example.com/\n", 0, "control character (0x0A) at byte 20"},
    {"https://example.com/\r\nSet-Cookie:x", 0, "control character (0x0D) at byte 20"},
    {"https://example.com/\x7f", 0, "control character (0x7F) at byte 20"},
    {"https://example.com/caf\xc3\xa9", 0, "non-ASCII byte (0xC3) at byte 23"},
    {"https://b\xc3\xbc\x63her.example/", 0, "non-ASCII byte (0xC3) at byte 9"},
    {"javascript:alert(1)", 0, "only http and https links can go on a card, not javascript:"},
    {"JavaScript://%0aalert(1)", 0, "not JavaScript:"},
    {"data:text/html,<script>alert(1)</script>", 0, "not data:"},
    {"file:///etc/passwd", 0, "not file:"},
    {"ftp://example.com/file", 0, "not ftp:"},
    {"mailto:anna@example.com", 0, "not mailto:"},
    {"httpx://example.com", 0, "not httpx:"},
    {"/posts/1", 0, "relative"},
    {"example.com/posts/1", 0, "relative"},
    {"//example.com/posts/1", 0, "relative"},
    {"http://", 0, "no host"},
    {"https://", 0, "no host"},
    {"https:///path", 0, "no host"},
    {"http://:8080/", 0, "no host"},
    {"http://user@/", 0, "no host"},
    {"http://?q=1", 0, "no host"},
    {"http:example.com", 0, "no //host"},
    {"https:/example.com", 0, "no //host"},
    {"http://example.com:80a/", 0, "port \":80a\""},
    {"http://example.com:65536/", 0, "port"},
    {"http://[]/", 0, "IP literal"},
    {"http://[::1/", 0, "IP literal"},
};

START_TEST(url_accepted)
{
    const char *url = url_case_text(&accepted[_i]);
    char err[256] = "";
    int e = qr_url_check(url, err, sizeof err);
    ck_assert_msg(e == 0, "qr_url_check(\"%.60s\", %zu bytes): expected 0, got %d (%s)", url,
                  strlen(url), e, err);
    qr_t *q = qr_create(url, err, sizeof err);
    ck_assert_msg(q != NULL, "qr_create(\"%.60s\"): expected a symbol, got NULL (%s)", url, err);
    qr_free(q);
}
END_TEST

START_TEST(url_refused)
{
    const url_case_t *c = &refused[_i];
    const char *url = c->text ? url_case_text(c) : NULL;
    char err[256] = "";
    int e = qr_url_check(url, err, sizeof err);
    ck_assert_msg(e == -1, "qr_url_check(case %d \"%.60s\"): expected -1, got %d", _i,
                  url ? url : "(null)", e);
    ck_assert_msg(strstr(err, c->why) != NULL,
                  "qr_url_check(case %d \"%.60s\"): expected a message with \"%s\", got \"%s\"", _i,
                  url ? url : "(null)", c->why, err);
    char err2[256] = "";
    qr_t *q = qr_create(url, err2, sizeof err2);
    ck_assert_msg(q == NULL, "qr_create(case %d): expected NULL, got a symbol", _i);
    ck_assert_msg(strcmp(err, err2) == 0,
                  "qr_create(case %d): expected qr_url_check's message \"%s\", got \"%s\"", _i, err,
                  err2);
}
END_TEST

START_TEST(message_buffers)
{
    char small[8];
    memset(small, 'x', sizeof small);
    ck_assert_int_eq(qr_url_check("javascript:alert(1)", small, sizeof small), -1);
    ck_assert_msg(memchr(small, '\0', sizeof small) != NULL,
                  "an 8-byte message buffer: expected a NUL-terminated, truncated message");
    ck_assert_msg(strncmp(small, "only ht", 7) == 0, "expected \"only ht\", got \"%s\"", small);
    ck_assert_int_eq(qr_url_check("javascript:alert(1)", NULL, 0), -1);
    ck_assert_int_eq(qr_url_check("https://example.com/", NULL, 0), 0);
    ck_assert_ptr_null(qr_create("file:///etc/passwd", NULL, 0));
    qr_free(NULL);
}
END_TEST

/* ---- decoding with zbarimg ---- */

static const char long_url[] =
    "https://social.example.org/@anna.vandenberg/statuses/112233445566778899/"
    "thank-you-for-the-lovely-afternoon-at-the-library-reading-group"
    "?utm_source=likeletter&utm_medium=card&utm_campaign=thank-you-notes-2024"
    "&lang=nl&ref=lobby-kiosk-entrance-hall-east&session=8f14e45fceea167a5a36dedd4bea2543"
    "&reply_to=112233445566778899&view=thread#comment-998877-from-the-kiosk";

static const char *decode_urls[] = {
    "https://example.com/",
    "https://social.example/@anna/112233?utm_source=card&lang=de#reply-7",
    "HTTP://EXAMPLE.COM/MixedCase/Path?Q=Yes",
    "https://de.wikipedia.org/wiki/Stra%C3%9Fe",
    long_url,
};

static void zbar_decode(const char *path, char *out, size_t outlen)
{
    testutil_zbar_decode(LIKELETTER_TEST_ZBARIMG, path, out, outlen);
}

/* Writes coverage (255 = ink) as a gray PNG (ink black: 255 - coverage). */
static void write_coverage_png(const uint8_t *cov, int32_t w, int32_t h, ptrdiff_t stride,
                               const char *path)
{
    uint8_t *gray = malloc((size_t)w * (size_t)h);
    ck_assert_ptr_nonnull(gray);
    for (int32_t y = 0; y < h; y++) {
        for (int32_t x = 0; x < w; x++) {
            gray[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)(255 - cov[y * stride + x]);
        }
    }
    image_view_t img = {
        .pixels = gray, .width = w, .height = h, .stride = w, .format = IMAGE_GRAY8, .dpi = 300};
    int e = image_png_write(&img, path);
    ck_assert_msg(e == 0, "image_png_write(%s): expected 0, got %d", path, e);
    free(gray);
}

/* The symbol for url rendered at module_px; its side in *size. The caller frees the result. */
static uint8_t *render_url(const char *url, int32_t module_px, int32_t *size)
{
    char err[256] = "";
    qr_t *q = qr_create(url, err, sizeof err);
    ck_assert_msg(q != NULL, "qr_create(\"%.60s\"): expected a symbol, got NULL (%s)", url, err);
    *size = qr_size_px(q, module_px);
    ck_assert_msg(*size == (qr_modules(q) + 8) * module_px,
                  "qr_size_px(%d): expected (%d + 8) * %d, got %d", module_px, qr_modules(q),
                  module_px, *size);
    uint8_t *cov = malloc((size_t)*size * (size_t)*size);
    ck_assert_ptr_nonnull(cov);
    int e = qr_render(q, module_px, cov, *size);
    ck_assert_msg(e == 0, "qr_render(module_px %d): expected 0, got %d", module_px, e);
    qr_free(q);
    return cov;
}

static void expect_decodes(const char *path, const char *url)
{
    char got[QR_URL_MAX + 256];
    zbar_decode(path, got, sizeof got);
    ck_assert_msg(strcmp(got, url) == 0, "%s: expected to decode to\n  \"%s\"\ngot\n  \"%s\"", path,
                  url, got);
}

START_TEST(decodes_to_url)
{
    const char *url = decode_urls[_i];
    for (int32_t module_px = 4; module_px <= 7; module_px += 3) {
        int32_t size = 0;
        uint8_t *cov = render_url(url, module_px, &size);
        char path[128];
        snprintf(path, sizeof path, "%s/qr-%d-%d.png", testutil_tmpdir(), _i, module_px);
        write_coverage_png(cov, size, size, size, path);
        expect_decodes(path, url);
        free(cov);
    }
}
END_TEST

/* Texts handed to phones: a mailto: and an invitation with CRLFs and UTF-8. */
static const char *const texts[] = {
    "mailto:anna@northwind.example?subject=Danke%20f%C3%BCr%20den%20Beitrag&body=Hallo",
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Koffie met Anouk de "
    "Vries \xe2\x98\x95\r\nDTSTART:20261126T140000Z\r\nEND:VEVENT\r\nEND:VCALENDAR",
};

START_TEST(text_decodes)
{
    char err[256], path[128], got[QR_TEXT_MAX + 64];
    qr_t *q = qr_text_create(texts[_i], strlen(texts[_i]), err, sizeof err);
    ck_assert_msg(q != NULL, "qr_text_create(text %d): expected a symbol, got NULL (%s)", _i, err);
    ck_assert_msg(qr_ec_level(q) == 'M' || qr_ec_level(q) == 'Q',
                  "error correction: expected M or Q, got %c", qr_ec_level(q));
    int32_t size = qr_size_px(q, 5);
    uint8_t *cov = malloc((size_t)size * (size_t)size);
    ck_assert_ptr_nonnull(cov);
    ck_assert_int_eq(qr_render(q, 5, cov, size), 0);
    qr_free(q);
    snprintf(path, sizeof path, "%s/text-%d.png", testutil_tmpdir(), _i);
    write_coverage_png(cov, size, size, size, path);
    free(cov);
    zbar_decode(path, got, sizeof got);
    ck_assert_msg(strcmp(got, texts[_i]) == 0,
                  "text %d: expected to decode to\n  \"%s\"\ngot\n  \"%s\"", _i, texts[_i], got);
}
END_TEST

START_TEST(text_refused)
{
    char err[256], big[QR_TEXT_MAX + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const struct {
        const char *text;
        size_t len;
        const char *why;
    } bad[] = {{NULL, 3, "1 to"},
               {"", 0, "1 to"},
               {big, QR_TEXT_MAX + 1, "1 to"},
               {"ab\xff", 3, "UTF-8 at byte 2"},
               {"a\tb", 3, "control character at byte 1"},
               {"a\0b", 3, "control character"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        qr_t *q = qr_text_create(bad[i].text, bad[i].len, err, sizeof err);
        ck_assert_msg(q == NULL && strstr(err, bad[i].why),
                      "bad text %zu: expected NULL and a message with \"%s\", got %p \"%s\"", i,
                      bad[i].why, (void *)q, err);
    }
    qr_t *q = qr_text_create(big, QR_TEXT_MAX, err, sizeof err);
    ck_assert_msg(q != NULL, "a text of QR_TEXT_MAX bytes: expected a symbol (%s)", err);
    qr_free(q);
}
END_TEST

START_TEST(longest_link_decodes)
{
    url_case_t c = {"https://example.com/thanks?note=", QR_URL_MAX, NULL};
    const char *url = url_case_text(&c);
    int32_t size = 0;
    uint8_t *cov = render_url(url, 4, &size);
    char path[128];
    snprintf(path, sizeof path, "%s/qr-max.png", testutil_tmpdir());
    write_coverage_png(cov, size, size, size, path);
    expect_decodes(path, url);
    free(cov);
}
END_TEST

/* Halves cov (size x size, size even) by 2x2 averaging, then blurs it with the 3x3 kernel
 * [1 c 1] x [1 c 1] / (c + 2)^2, edges clamped. c = 6 is a slight blur (a Gaussian of sigma
 * ~0.5 px, like ImageMagick's -blur 0x0.5); c = 2 (sigma ~0.7 px) a stronger one. Returns the
 * (size / 2)^2 result. */
static uint8_t *downscale_blur(const uint8_t *cov, int32_t size, int c)
{
    int32_t h = size / 2;
    uint8_t *half = malloc((size_t)h * (size_t)h), *out = malloc((size_t)h * (size_t)h);
    ck_assert_ptr_nonnull(half);
    ck_assert_ptr_nonnull(out);
    for (int32_t y = 0; y < h; y++) {
        for (int32_t x = 0; x < h; x++) {
            const uint8_t *p = cov + (ptrdiff_t)(2 * y) * size + 2 * x;
            half[y * h + x] = (uint8_t)((p[0] + p[1] + p[size] + p[size + 1] + 2) / 4);
        }
    }
    const int k[3] = {1, c, 1}, total = (c + 2) * (c + 2);
    for (int32_t y = 0; y < h; y++) {
        for (int32_t x = 0; x < h; x++) {
            int sum = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int32_t sy = y + dy < 0 ? 0 : (y + dy >= h ? h - 1 : y + dy);
                    int32_t sx = x + dx < 0 ? 0 : (x + dx >= h ? h - 1 : x + dx);
                    sum += k[dy + 1] * k[dx + 1] * half[sy * h + sx];
                }
            }
            out[y * h + x] = (uint8_t)((sum + total / 2) / total);
        }
    }
    free(half);
    return out;
}

static void expect_decodes_soft(const char *url, int index, int32_t module_px, int c)
{
    int32_t size = 0;
    uint8_t *cov = render_url(url, module_px, &size);
    uint8_t *soft = downscale_blur(cov, size, c);
    char path[128];
    snprintf(path, sizeof path, "%s/qr-soft-%d-%dpx-c%d.png", testutil_tmpdir(), index, module_px,
             c);
    write_coverage_png(soft, size / 2, size / 2, size / 2, path);
    expect_decodes(path, url);
    free(soft);
    free(cov);
}

/* RECIPES.md's floor: 4 px modules, halved to 2 px, then slightly blurred. */
START_TEST(decodes_after_downscale_and_blur)
{
    expect_decodes_soft(decode_urls[_i], _i, 4, 6);
}
END_TEST

/* The card's own modules (6 px: 0.5 mm at 300 dpi), halved, survive the stronger blur too. Halved
 * 4 px modules do not: zbar then misses most links (26 of 40 tried), at M, Q or H alike. */
START_TEST(card_modules_survive_stronger_blur)
{
    expect_decodes_soft(decode_urls[_i], _i, 6, 2);
}
END_TEST

/* ---- the rendered pixels ---- */

/* Every pixel is the module it lies in (quiet zone paper), and the padding past each row is
 * untouched. */
START_TEST(quiet_zone_and_modules)
{
    char err[256] = "";
    qr_t *q = qr_create(decode_urls[1], err, sizeof err);
    ck_assert_msg(q != NULL, "qr_create: expected a symbol, got NULL (%s)", err);
    const int32_t mp = 5, pad = 13;
    int32_t size = qr_size_px(q, mp);
    ptrdiff_t stride = size + pad;
    uint8_t *buf = malloc((size_t)stride * (size_t)size);
    ck_assert_ptr_nonnull(buf);
    memset(buf, 0xEE, (size_t)stride * (size_t)size);
    ck_assert_int_eq(qr_render(q, mp, buf, stride), 0);
    int32_t quiet = 4 * mp;
    for (int32_t y = 0; y < size; y++) {
        for (int32_t x = 0; x < size + pad; x++) {
            uint8_t got = buf[y * stride + x];
            if (x >= size) {
                ck_assert_msg(got == 0xEE, "padding (%d,%d): expected untouched 0xEE, got 0x%02X",
                              x, y, got);
                continue;
            }
            bool in_quiet = x < quiet || y < quiet || x >= size - quiet || y >= size - quiet;
            int mx = (x - quiet) / mp, my = (y - quiet) / mp;
            uint8_t want = !in_quiet && qr_dark(q, mx, my) ? 255 : 0;
            ck_assert_msg(got == want, "pixel (%d,%d)%s: expected %u, got %u", x, y,
                          in_quiet ? " in the quiet zone" : "", want, got);
        }
    }
    /* The finder pattern's corners are dark; outside the symbol nothing is. */
    int n = qr_modules(q);
    ck_assert_msg(qr_dark(q, 0, 0) && qr_dark(q, n - 1, 0) && qr_dark(q, 0, n - 1),
                  "expected dark finder corners at (0,0), (%d,0), (0,%d)", n - 1, n - 1);
    ck_assert_msg(!qr_dark(q, -1, 0) && !qr_dark(q, 0, -1) && !qr_dark(q, n, 0) &&
                      !qr_dark(q, 0, n) && !qr_dark(NULL, 0, 0),
                  "expected qr_dark() false outside the symbol and for NULL");
    free(buf);
    qr_free(q);
}
END_TEST

START_TEST(render_refuses_bad_arguments)
{
    qr_t *q = qr_create("https://example.com/", NULL, 0);
    ck_assert_ptr_nonnull(q);
    static uint8_t buf[185 * 64 * 4];
    const int32_t bad_px[] = {0, -1, 65, 1000};
    for (size_t i = 0; i < sizeof bad_px / sizeof bad_px[0]; i++) {
        int e = qr_render(q, bad_px[i], buf, 4096);
        ck_assert_msg(e == -1, "qr_render(module_px %d): expected -1, got %d", bad_px[i], e);
        int32_t s = qr_size_px(q, bad_px[i]);
        ck_assert_msg(s == -1, "qr_size_px(module_px %d): expected -1, got %d", bad_px[i], s);
    }
    int32_t size = qr_size_px(q, 1);
    ck_assert_int_eq(qr_render(q, 1, buf, size - 1), -1);
    ck_assert_int_eq(qr_render(q, 1, NULL, size), -1);
    ck_assert_int_eq(qr_render(NULL, 1, buf, size), -1);
    ck_assert_int_eq(qr_size_px(NULL, 4), -1);
    ck_assert_int_eq(qr_render(q, 1, buf, size), 0);
    ck_assert_int_eq(qr_render(q, 64, buf, 0), -1);
    qr_free(q);
}
END_TEST

/* ---- error correction and sizes ---- */

/* libqrencode's own versions for url at M, and at Q when asked for M's version. */
static void reference_versions(const char *url, int *m_version, int *m_width, int *q_version)
{
    QRcode *m = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    ck_assert_ptr_nonnull(m);
    QRcode *q = QRcode_encodeString(url, m->version, QR_ECLEVEL_Q, QR_MODE_8, 1);
    *m_version = m->version;
    *m_width = m->width;
    *q_version = q ? q->version : 0;
    QRcode_free(m);
    QRcode_free(q);
}

/* Links from 20 to 1024 bytes: the level is M or Q, Q exactly when it fits M's version, and the
 * symbol is never larger than M's. */
START_TEST(ec_level_at_least_m)
{
    url_case_t c = {"https://example.com/", 0, NULL};
    int q_count = 0, m_count = 0;
    for (size_t len = 20; len <= QR_URL_MAX; len += 13) {
        c.pad_to = len;
        const char *url = url_case_text(&c);
        qr_t *q = qr_create(url, NULL, 0);
        ck_assert_msg(q != NULL, "qr_create(%zu bytes): expected a symbol", len);
        char ec = qr_ec_level(q);
        int mv = 0, mw = 0, qv = 0;
        reference_versions(url, &mv, &mw, &qv);
        char want = qv == mv ? 'Q' : 'M';
        ck_assert_msg(ec == want,
                      "%zu bytes (M version %d, Q at that version %d): expected level %c, got %c",
                      len, mv, qv, want, ec ? ec : '0');
        ck_assert_msg(qr_modules(q) == mw, "%zu bytes: expected M's %d modules, got %d", len, mw,
                      qr_modules(q));
        q_count += ec == 'Q';
        m_count += ec == 'M';
        qr_free(q);
    }
    ck_assert_msg(q_count > 0 && m_count > 0,
                  "expected both levels over 20..1024 bytes, got %d Q and %d M", q_count, m_count);
    ck_assert_int_eq(qr_ec_level(NULL), '\0');
    ck_assert_int_eq(qr_modules(NULL), 0);
}
END_TEST

/* RECIPES.md: a 48-byte link is version 4 (33 modules) at M. */
START_TEST(known_symbol_size)
{
    const char *url = "https://social.example/@anna/statuses/1122334455";
    ck_assert_uint_eq(strlen(url), 48);
    qr_t *q = qr_create(url, NULL, 0);
    ck_assert_ptr_nonnull(q);
    ck_assert_msg(qr_modules(q) == 33, "48 bytes: expected 33 modules (version 4), got %d",
                  qr_modules(q));
    ck_assert_msg(qr_size_px(q, 6) == (33 + 8) * 6, "expected %d px at 6 px/module, got %d",
                  (33 + 8) * 6, qr_size_px(q, 6));
    qr_free(q);
}
END_TEST

START_TEST(module_px_for_print)
{
    qr_t *q = qr_create("https://example.com/", NULL, 0);
    ck_assert_ptr_nonnull(q);
    const struct {
        double dpi, mm;
        int32_t min_px, want;
    } cases[] = {
        {300, 0.5, 4, 6},      /* 5.91 px */
        {600, 0.5, 4, 12},     /* 11.81 px */
        {300, 0.2, 4, 4},      /* 2.36 px: the pixel floor wins */
        {150, 0.5, 4, 4},      /* 2.95 px */
        {400, 0.254, 1, 4},    /* exactly 4 px: not rounded up */
        {300, 0.0, 7, 7},      /* no physical minimum */
        {300, 6.0, 4, -1},     /* 70.9 px: beyond QR_MODULE_PX_MAX */
        {0, 0.5, 4, -1},       /* no resolution */
        {-300, 0.5, 4, -1},    /* negative resolution */
        {300, -0.5, 4, -1},    /* negative size */
        {300, 0.5, 0, -1},     /* pixel floor below 1 */
        {300, 0.5, 65, -1},    /* pixel floor beyond QR_MODULE_PX_MAX */
        {1e308, 1e308, 4, -1}, /* overflows to infinity */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t got = qr_module_px_for(q, cases[i].dpi, cases[i].mm, cases[i].min_px);
        ck_assert_msg(got == cases[i].want,
                      "qr_module_px_for(%g dpi, %g mm, %d px): expected %d, got %d", cases[i].dpi,
                      cases[i].mm, cases[i].min_px, cases[i].want, got);
    }
    ck_assert_int_eq(qr_module_px_for(NULL, 300, 0.5, 4), -1);
    qr_free(q);
}
END_TEST

static Suite *qr_suite(void)
{
    Suite *s = suite_create("qr");
    TCase *tc = tcase_create("http and https links accepted");
    tcase_add_loop_test(tc, url_accepted, 0, (int)(sizeof accepted / sizeof accepted[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("other links refused with a message");
    tcase_add_loop_test(tc, url_refused, 0, (int)(sizeof refused / sizeof refused[0]));
    tcase_add_test(tc, message_buffers);
    suite_add_tcase(s, tc);

    tc = tcase_create("rendered symbol decodes to the link");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_loop_test(tc, decodes_to_url, 0, (int)(sizeof decode_urls / sizeof decode_urls[0]));
    tcase_add_test(tc, longest_link_decodes);
    suite_add_tcase(s, tc);

    tc = tcase_create("texts for phones decode exactly");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_loop_test(tc, text_decodes, 0, (int)(sizeof texts / sizeof texts[0]));
    tcase_add_test(tc, text_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("decodes after a 50% downscale and blur");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_loop_test(tc, decodes_after_downscale_and_blur, 0,
                        (int)(sizeof decode_urls / sizeof decode_urls[0]));
    tcase_add_loop_test(tc, card_modules_survive_stronger_blur, 0,
                        (int)(sizeof decode_urls / sizeof decode_urls[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("quiet zone and modules as pixels");
    tcase_add_test(tc, quiet_zone_and_modules);
    tcase_add_test(tc, render_refuses_bad_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("error correction and print sizes");
    tcase_add_test(tc, ec_level_at_least_m);
    tcase_add_test(tc, known_symbol_size);
    tcase_add_test(tc, module_px_for_print);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(qr_suite());
}
