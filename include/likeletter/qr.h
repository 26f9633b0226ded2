/* qr.h - the QR code on a card that leads back to the thanked post (libqrencode).
 *
 * Only absolute http:// and https:// links are accepted (qr_url_check()); anything else is
 * refused with an English message the kiosk can show. A link is encoded case-sensitively with
 * libqrencode's 8-bit hint at error correction Q when that costs no larger symbol than M would,
 * else at M.
 *
 * Usage: qr_create() -> qr_module_px_for() -> qr_size_px() (metrics) -> caller sizes its buffer
 * -> qr_render(); qr_free() when done.
 *
 * Memory: a qr_t owns its module matrix, freed by qr_free(); rendering writes into caller-owned
 * buffers and allocates nothing. Threads: a qr_t does not change after qr_create(), so any number
 * of threads may query and render one at once; qr_create() itself is thread-safe (Debian's
 * libqrencode is built with pthread). Nothing here logs: callers know the context.
 * Messages: written into err (NUL-terminated, truncated to errlen; err may be NULL); byte
 * positions in them count from 0.
 */
#ifndef LIKELETTER_QR_H
#define LIKELETTER_QR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QR_URL_MAX 1024     /* longest link accepted, bytes */
#define QR_TEXT_MAX 1500    /* longest text qr_text_create() takes, bytes */
#define QR_QUIET_MODULES 4  /* light margin around the symbol, modules per side */
#define QR_MODULE_PX_MAX 64 /* largest module qr_render() draws, px */

typedef struct qr qr_t;

/* Checks that url is an absolute http:// or https:// link (scheme in any case) with a non-empty
 * host and a numeric port if any, at most QR_URL_MAX bytes of printable ASCII (no space, no
 * control character, no byte >= 0x80: international links must arrive percent-encoded).
 * Returns 0, or -1 with the problem named in err (e.g. "only http and https links can go on a
 * card, not javascript:"). url may be NULL (refused). */
int qr_url_check(const char *url, char *err, size_t errlen);

/* Checks url as qr_url_check() does and encodes it. Returns a new qr_t the caller frees with
 * qr_free(), or NULL with the reason in err (a refused link, or libqrencode's failure). */
qr_t *qr_create(const char *url, char *err, size_t errlen);

/* A QR code for a text handed to a phone (a mailto: URI, an iCalendar invitation): len bytes of
 * well-formed UTF-8 (CR and LF allowed, no other control characters), 1..QR_TEXT_MAX, encoded
 * as 8-bit data with error correction Q when it fits the same symbol as M, else M; no scheme
 * check (qr_create() is the one for links on cards). NULL with the reason in err. */
qr_t *qr_text_create(const char *text, size_t len, char *err, size_t errlen);

/* Frees q; accepts NULL. */
void qr_free(qr_t *q);

/* Modules per side of the symbol, without the quiet zone (21..177); 0 for NULL. */
int qr_modules(const qr_t *q);

/* Whether module (x, y) is dark, 0 <= x, y < qr_modules() from the top left; false outside the
 * symbol (the quiet zone included) and for NULL. */
bool qr_dark(const qr_t *q, int x, int y);

/* The error correction level used: 'M' or 'Q'; '\0' for NULL. */
char qr_ec_level(const qr_t *q);

/* Metrics: the rendered side in px, quiet zone included:
 * (qr_modules() + 2 * QR_QUIET_MODULES) * module_px. Returns -1 for a NULL q or module_px
 * outside 1..QR_MODULE_PX_MAX. */
int32_t qr_size_px(const qr_t *q, int32_t module_px);

/* Draws the symbol and its quiet zone as coverage, 255 for a dark (ink) module and 0 for paper,
 * into dst: qr_size_px() rows of qr_size_px() bytes, rows stride bytes apart (stride >= that
 * size); bytes beyond each row are left as they were. The caller blends the coverage in its ink
 * colour. Returns 0, or -1 (nothing written) for a NULL q or dst, module_px outside
 * 1..QR_MODULE_PX_MAX, or a short stride. */
int qr_render(const qr_t *q, int32_t module_px, uint8_t *dst, ptrdiff_t stride);

/* The smallest whole module size in px that is at least min_module_mm at dpi and at least
 * min_px (e.g. 0.5 mm and 4 px at 300 dpi give 6). Returns -1 for a NULL q, a dpi that is not
 * finite and positive, a min_module_mm that is not finite and >= 0, min_px < 1, or a result
 * above QR_MODULE_PX_MAX. */
int32_t qr_module_px_for(const qr_t *q, double dpi, double min_module_mm, int32_t min_px);

#endif
