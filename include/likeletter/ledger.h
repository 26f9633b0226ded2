/* ledger.h - the record of appreciation: every rung a visitor takes (like, share, message, call,
 * letter) for a post, in the SQLite database the print queue uses (<state>/likeletter.db; WAL,
 * synchronous=FULL), in tables of its own (ledger_posts, ledger_records, ledger_meta; the
 * ledger's schema version is in ledger_meta, never in PRAGMA user_version, which is the queue's).
 *
 * Posts: the kiosk stores each post it shows (ledger_post_upsert()), so counts survive a restart
 * and the community manager sees which post got what. A record names its post by the post's id
 * (the feed's id string); the post must have been stored first.
 *
 * Privacy (DESIGN: no ranking of people; a session forgets its visitor): the ledger holds no
 * names of visitors, only what was given to a post and when. A session id is kept only on a like,
 * only to count one like per session and post, and only while the session lives: the kiosk calls
 * ledger_session_forget() when it wipes a session, and ledger_sessions_expire() at start and now
 * and then for sessions a crash left behind. Other rungs never store the session id. Session ids
 * must be unique per visit (random), never derived from a person.
 *
 * Ownership: the ledger_t is one connection, used by one thread at a time (the kiosk UI and the
 * admin screen may each open their own; SQLite serialises them, waiting up to 5 s for a lock).
 * Strings passed in are the caller's and are copied; entries read back are filled into caller
 * arrays with fixed buffers, so nothing read needs freeing.
 * Errors: functions return 0 on success, -1 on an error (logged once, here, with SQLite's message
 * and the database path, or the reason input was refused), or the positive codes below. Every
 * value read back is checked: a damaged row is an error naming the record, never a crash.
 */
#ifndef LIKELETTER_LEDGER_H
#define LIKELETTER_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#define LEDGER_DUPLICATE 1 /* ledger_record(): this session already liked this post */
#define LEDGER_NOT_FOUND 2 /* ledger_record(): no post with that id was stored */

#define LEDGER_ID_MAX 1024       /* longest post id, bytes (FEED_ID_MAX) */
#define LEDGER_TITLE_MAX 1024    /* longest title, bytes (FEED_TITLE_MAX) */
#define LEDGER_LINK_MAX 1024     /* longest link, bytes (QR_URL_MAX) */
#define LEDGER_NAME_MAX 200      /* longest author name, bytes (FEED_NAME_MAX) */
#define LEDGER_EMAIL_MAX 254     /* longest e-mail address, bytes (FEED_EMAIL_MAX) */
#define LEDGER_SESSION_MAX 63    /* longest session id, bytes (QUEUE_SESSION_MAX - 1) */
#define LEDGER_MESSAGE_CHARS 500 /* longest message, Unicode code points */
#define LEDGER_TEXT_MAX (4 * LEDGER_MESSAGE_CHARS) /* longest record text, bytes */
#define LEDGER_SLOT_LEN 16                         /* a call slot "YYYY-MM-DDTHH:MM", bytes */

/* The rungs, lowest first; the values are stored and index counts[]. */
typedef enum {
    LEDGER_LIKE = 0,
    LEDGER_SHARE = 1,
    LEDGER_MESSAGE = 2,
    LEDGER_CALL = 3,
    LEDGER_LETTER = 4,
} ledger_rung_t;

#define LEDGER_RUNGS 5

/* A post as the kiosk shows it (see feed_post_t). The strings are the caller's: valid UTF-8
 * without control characters, within the limits above; id 1..LEDGER_ID_MAX bytes; the others may
 * be NULL (stored as ""). date: UTC seconds since the epoch, 0 = unknown. */
typedef struct ledger_post {
    const char *id;
    const char *title;
    const char *link;
    const char *author;
    const char *email;
    int64_t date;
} ledger_post_t;

/* A record as read back for people (the admin screen): strings NUL-terminated in the entry. */
typedef struct ledger_entry {
    int64_t id;      /* the record's id, increasing in the order recorded */
    int64_t time_ms; /* wall clock when recorded, ms since the epoch */
    ledger_rung_t rung;
    char post_id[LEDGER_ID_MAX + 1];
    char post_title[LEDGER_TITLE_MAX + 1];
    char text[LEDGER_TEXT_MAX + 1]; /* message, call slot, queue id of a letter, or "" */
} ledger_entry_t;

typedef struct ledger ledger_t;

/* Opens (creating when missing, with its directory, mode 0700) the database at path and the
 * ledger's tables; WAL, synchronous=FULL, busy timeout 5 s. A ledger schema newer than this
 * program's is refused. Returns NULL on failure, logged with the path. */
ledger_t *ledger_open(const char *path);

/* Closes the connection; accepts NULL. */
void ledger_close(ledger_t *l);

/* Stores post p, or updates its title, link, author, e-mail and date when its id is stored
 * already (its records stay). Durable when it returns 0; -1 on refused input or errors. */
int ledger_post_upsert(ledger_t *l, const ledger_post_t *p);

/* Records that rung was taken for the post with id post_id, durably: returns 0 only after the
 * commit is on disk, with the new record's id in *record_id (record_id may be NULL).
 * session_id: the kiosk session (1..LEDGER_SESSION_MAX bytes of printable ASCII), or NULL / ""
 * for none; kept on likes only (see Privacy above). text, by rung:
 *   like, share: NULL (or "");
 *   message:     1..LEDGER_MESSAGE_CHARS code points of valid UTF-8, no control characters but
 *                the newline;
 *   call:        the slot as "YYYY-MM-DDTHH:MM" (local time, as the kiosk offered it);
 *   letter:      the print queue's job id in decimal, or NULL when it has none.
 * Returns 0; LEDGER_DUPLICATE when the same session already liked this post (nothing changes,
 * *record_id is 0); LEDGER_NOT_FOUND when the post was never stored; -1 when the input is refused
 * (logged with the reason) or on errors. */
int ledger_record(ledger_t *l, const char *post_id, ledger_rung_t rung, const char *session_id,
                  const char *text, int64_t *record_id);

/* Forgets session_id: the session ids on its likes are erased (the likes stay counted). Call it
 * when a session is wiped. Returns 0 (also when there was nothing to forget) or -1. */
int ledger_session_forget(ledger_t *l, const char *session_id);

/* Forgets every session id on likes recorded before before_ms (ms since the epoch): for
 * sessions a crash or power cut left behind. Returns 0 or -1. */
int ledger_sessions_expire(ledger_t *l, int64_t before_ms);

/* The number of records per rung for the post with id post_id into counts[rung] (all 0 for a
 * post never stored or never appreciated). Indexed: cost grows with that post's records only.
 * Returns 0, or -1 (counts then all 0) on errors, an invalid post id, or a damaged record, which
 * is named in the log. */
int ledger_counts(ledger_t *l, const char *post_id, int64_t counts[LEDGER_RUNGS]);

/* The same over all posts. Returns 0 or -1 as ledger_counts(). */
int ledger_totals(ledger_t *l, int64_t counts[LEDGER_RUNGS]);

/* The newest max records, newest first, into entries[0..*count). Returns 0, or -1 (with *count
 * 0) on errors or when a record read is damaged (named in the log). */
int ledger_recent(ledger_t *l, ledger_entry_t *entries, size_t max, size_t *count);

/* "like", "share", "message", "call", "letter"; NULL for a value out of range. */
const char *ledger_rung_name(ledger_rung_t rung);

#endif
