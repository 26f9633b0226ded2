/* session.c - see session.h. The session's timer is arithmetic on the caller's clock; its text
 * lives in fixed buffers that are overwritten, not just forgotten, when a visitor leaves. */
#define _DEFAULT_SOURCE /* explicit_bzero, getrandom */
#include "likeletter/session.h"

#include "likeletter/log.h"
#include "likeletter/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define ID_BYTES (SESSION_ID_LEN / 2)

struct session {
    char id[SESSION_ID_LEN + 1];
    int64_t started_ms;
    int64_t last_activity_ms;
    session_draft_t draft;
};

/* ---- wiping and randomness ---- */

/* Zeroes n bytes at p in a way the compiler may not drop as a dead store: the bytes held what a
 * visitor typed, and the buffer may never be read again. */
static void wipe(void *p, size_t n)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 25))
    explicit_bzero(p, n);
#else
    static void *(*const volatile set)(void *, int, size_t) = memset;
    set(p, 0, n);
#endif
}

/* n bytes from /dev/urandom: for kernels without getrandom(2) (ENOSYS) or a seccomp filter
 * that refuses it. Returns 0, or -1 with errno set. */
static int urandom_fill(uint8_t *b, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    size_t got = 0;
    while (fd >= 0 && got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r > 0) {
            got += (size_t)r;
        } else if (r == 0 || errno != EINTR) {
            errno = r == 0 ? EIO : errno;
            break;
        }
    }
    int saved = errno;
    if (fd >= 0) {
        close(fd);
    }
    errno = saved;
    return got == n ? 0 : -1;
}

/* n random bytes; flags 0 waits for the kernel's pool to be seeded once after boot, which is
 * what a unique id needs. Returns 0, or -1 (logged). */
static int random_fill(uint8_t *b, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(b + got, n - got, 0);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    if (got == n || urandom_fill(b, n) == 0) {
        return 0;
    }
    log_msg(LOG_ERROR, "session: no random bytes for a session id: %s", strerror(errno));
    return -1;
}

/* A fresh id into s->id, or "" when there is no randomness. */
static int id_make(session_t *s)
{
    static const char HEX[] = "0123456789abcdef";
    uint8_t b[ID_BYTES];
    s->id[0] = '\0';
    if (random_fill(b, sizeof b) < 0) {
        return -1;
    }
    for (size_t k = 0; k < sizeof b; k++) {
        s->id[2 * k] = HEX[b[k] >> 4];
        s->id[2 * k + 1] = HEX[b[k] & 0x0F];
    }
    s->id[SESSION_ID_LEN] = '\0';
    wipe(b, sizeof b);
    return 0;
}

bool session_id_valid(const char *id)
{
    if (!id) {
        return false;
    }
    for (size_t k = 0; k < SESSION_ID_LEN; k++) {
        bool hex = (id[k] >= '0' && id[k] <= '9') || (id[k] >= 'a' && id[k] <= 'f');
        if (!hex) {
            return false; /* also stops at a NUL before the end */
        }
    }
    return id[SESSION_ID_LEN] == '\0';
}

/* ---- the session ---- */

session_t *session_create(int64_t now_ms)
{
    session_t *s = calloc(1, sizeof *s);
    if (!s) {
        log_msg(LOG_ERROR, "session: out of memory");
        return NULL;
    }
    if (session_new(s, now_ms) < 0) {
        session_free(s);
        return NULL;
    }
    return s;
}

void session_free(session_t *s)
{
    if (!s) {
        return;
    }
    wipe(s, sizeof *s);
    free(s);
}

int session_new(session_t *s, int64_t now_ms)
{
    wipe(s, sizeof *s);
    s->started_ms = now_ms;
    s->last_activity_ms = now_ms;
    return id_make(s);
}

const char *session_id(const session_t *s)
{
    return s->id;
}

int64_t session_started_ms(const session_t *s)
{
    return s->started_ms;
}

int64_t session_last_activity_ms(const session_t *s)
{
    return s->last_activity_ms;
}

session_draft_t *session_draft(session_t *s)
{
    return &s->draft;
}

const session_draft_t *session_draft_const(const session_t *s)
{
    return &s->draft;
}

/* ---- the timer ---- */

void session_activity(session_t *s, int64_t now_ms)
{
    if (now_ms > s->last_activity_ms) {
        s->last_activity_ms = now_ms;
    }
}

/* idle_ms + still_there_ms with negatives as 0, saturating: a config value cannot wrap it. */
static int64_t timeout_total(int64_t idle_ms, int64_t still_there_ms)
{
    idle_ms = idle_ms < 0 ? 0 : idle_ms;
    still_there_ms = still_there_ms < 0 ? 0 : still_there_ms;
    return still_there_ms > INT64_MAX - idle_ms ? INT64_MAX : idle_ms + still_there_ms;
}

/* How long the session has been idle at now_ms: 0 when now_ms is not after the last activity;
 * computed unsigned so no pair of values overflows. */
static int64_t idle_for(const session_t *s, int64_t now_ms)
{
    if (now_ms <= s->last_activity_ms) {
        return 0;
    }
    uint64_t d = (uint64_t)now_ms - (uint64_t)s->last_activity_ms;
    return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
}

session_state_t session_state(const session_t *s, int64_t now_ms, int64_t idle_ms,
                              int64_t still_there_ms)
{
    int64_t idle = idle_for(s, now_ms);
    if (idle < (idle_ms < 0 ? 0 : idle_ms)) {
        return SESSION_ACTIVE;
    }
    return idle < timeout_total(idle_ms, still_there_ms) ? SESSION_STILL_THERE : SESSION_EXPIRED;
}

int64_t session_countdown_ms(const session_t *s, int64_t now_ms, int64_t idle_ms,
                             int64_t still_there_ms)
{
    int64_t idle = idle_for(s, now_ms), total = timeout_total(idle_ms, still_there_ms);
    return idle < total ? total - idle : 0;
}

session_status_t session_restore(session_t *s, int64_t now_ms, const char *id,
                                 const session_draft_t *d, int64_t remaining_ms, int64_t idle_ms,
                                 int64_t still_there_ms)
{
    if (!session_id_valid(id) || !d || session_draft_problem(d)) {
        return SESSION_INVALID;
    }
    int64_t total = timeout_total(idle_ms, still_there_ms);
    remaining_ms = remaining_ms < 0 ? 0 : remaining_ms > total ? total : remaining_ms;
    /* The timer stands as if the last touch was (total - remaining) ago, so the prompt and the
     * expiry come when they would have without the crash. */
    int64_t ago = total - remaining_ms;
    wipe(s, sizeof *s);
    memcpy(s->id, id, SESSION_ID_LEN + 1);
    s->draft = *d;
    s->started_ms = now_ms;
    s->last_activity_ms = now_ms < INT64_MIN + ago ? INT64_MIN : now_ms - ago;
    return SESSION_OK;
}

/* ---- the draft's texts ---- */

/* What is wrong with text s[0..len) for a field of max_chars code points and max_bytes bytes;
 * multiline fields take '\n', U+2028 and U+2029, no field takes a tab or another control. */
static session_status_t text_check(const char *s, size_t len, size_t max_chars, size_t max_bytes,
                                   bool multiline)
{
    if (len > max_bytes) {
        return SESSION_TOO_LONG;
    }
    if (len > 0 && (!s || utf8_control_check(s, len, NULL) < 0)) {
        return SESSION_INVALID;
    }
    size_t chars = 0;
    for (size_t off = 0; off < len; chars++) {
        uint32_t cp;
        off += utf8_decode(s + off, len - off, &cp);
        if (cp == '\t' || (!multiline && utf8_is_line_break(cp))) {
            return SESSION_INVALID;
        }
    }
    return chars > max_chars ? SESSION_TOO_LONG : SESSION_OK;
}

/* Checks and copies s[0..len) into buf (size bytes) and wipes the rest of buf, so a shorter
 * text leaves nothing of the longer one behind. memmove: s may point into buf. */
static session_status_t text_set(char *buf, size_t size, const char *s, size_t len,
                                 size_t max_chars, bool multiline)
{
    session_status_t rc = text_check(s, len, max_chars, size - 1, multiline);
    if (rc != SESSION_OK) {
        return rc;
    }
    if (len > 0) {
        memmove(buf, s, len);
    }
    wipe(buf + len, size - len);
    return SESSION_OK;
}

session_status_t session_draft_note_set(session_draft_t *d, const char *s, size_t len)
{
    return text_set(d->note, sizeof d->note, s, len, SESSION_NOTE_CHARS, true);
}

session_status_t session_draft_to_set(session_draft_t *d, const char *s, size_t len)
{
    return text_set(d->to, sizeof d->to, s, len, SESSION_NAME_CHARS, false);
}

session_status_t session_draft_from_set(session_draft_t *d, const char *s, size_t len)
{
    return text_set(d->from, sizeof d->from, s, len, SESSION_NAME_CHARS, false);
}

session_status_t session_draft_post_set(session_draft_t *d, const char *s, size_t len)
{
    return text_set(d->post_id, sizeof d->post_id, s, len, SESSION_POST_ID_MAX, false);
}

/* ---- the draft's choices ---- */

static bool in_range(long v, long lo, long hi)
{
    return v >= lo && v <= hi;
}

session_status_t session_draft_font_set(session_draft_t *d, int font)
{
    if (!in_range(font, 0, SESSION_FONTS - 1)) {
        return SESSION_INVALID;
    }
    d->font = font;
    return SESSION_OK;
}

session_status_t session_draft_ink_set(session_draft_t *d, int ink)
{
    if (!in_range(ink, 0, SESSION_INKS - 1)) {
        return SESSION_INVALID;
    }
    d->ink = ink;
    return SESSION_OK;
}

session_status_t session_draft_format_set(session_draft_t *d, card_format_t format)
{
    if (!in_range((long)format, CARD_A6, CARD_5X7)) {
        return SESSION_INVALID;
    }
    d->format = format;
    return SESSION_OK;
}

session_status_t session_draft_lang_set(session_draft_t *d, card_lang_t lang)
{
    if (!in_range((long)lang, CARD_LANG_EN, CARD_LANG_NL)) {
        return SESSION_INVALID;
    }
    d->lang = lang;
    return SESSION_OK;
}

void session_draft_clear(session_draft_t *d)
{
    wipe(d, sizeof *d);
}

/* A whole buffer: NUL-terminated within its size, then as its setter checks it. */
static bool buffer_ok(const char *buf, size_t size, size_t max_chars, bool multiline)
{
    size_t len = strnlen(buf, size);
    return len < size && text_check(buf, len, max_chars, size - 1, multiline) == SESSION_OK;
}

const char *session_draft_problem(const session_draft_t *d)
{
    if (!buffer_ok(d->post_id, sizeof d->post_id, SESSION_POST_ID_MAX, false)) {
        return "the post id is not terminated, too long, not UTF-8 or not one line";
    }
    if (!buffer_ok(d->note, sizeof d->note, SESSION_NOTE_CHARS, true)) {
        return "the note is not terminated, too long, not UTF-8 or holds a control character";
    }
    if (!buffer_ok(d->to, sizeof d->to, SESSION_NAME_CHARS, false)) {
        return "the \"to\" name is not terminated, too long, not UTF-8 or not one line";
    }
    if (!buffer_ok(d->from, sizeof d->from, SESSION_NAME_CHARS, false)) {
        return "the \"from\" name is not terminated, too long, not UTF-8 or not one line";
    }
    if (!in_range(d->font, 0, SESSION_FONTS - 1) || !in_range(d->ink, 0, SESSION_INKS - 1)) {
        return "the font or ink is out of range";
    }
    if (!in_range((long)d->format, CARD_A6, CARD_5X7) ||
        !in_range((long)d->lang, CARD_LANG_EN, CARD_LANG_NL)) {
        return "the card format or language is out of range";
    }
    return NULL;
}
