/* draft.h - the autosave of the letter being composed: the session's draft (session.h) kept in
 * the SQLite database the print queue and the ledger use (<state>/likeletter.db; WAL,
 * synchronous=FULL), in tables of its own (draft_note, draft_meta; the draft's schema version is
 * in draft_meta, never in PRAGMA user_version, which is the queue's).
 *
 * A note survives a crash or power cut of the kiosk only until its session would have timed out
 * (issue 5): every save carries the wall-clock moment the session expires (CLOCK_REALTIME ms,
 * draft_wall_ms() + session_countdown_ms(); wall clock because it must survive a reboot, where
 * the monotonic clock starts again), and draft_load() wipes a draft past that moment instead of
 * returning it. A draft saved "in the future" (the wall clock went back, as on a Pi without a
 * real-time clock before NTP) is wiped too: how long it waited cannot be known.
 *
 * The kiosk has one visitor at a time, so there is one draft: a single row (key 1) replaced by
 * each save. Saves are rate-limited by the caller (at most every 2 s while typing, and at every
 * screen change); each is one committed, synced transaction.
 *
 * Forgetting (DESIGN: a session forgets its visitor): the connection runs with
 * PRAGMA secure_delete=ON, so deleted and replaced rows are overwritten with zeros in the
 * database pages, and draft_wipe() (also used for expired and damaged drafts) then checkpoints
 * the write-ahead log with TRUNCATE, so the older page images in the -wal file are gone too. The
 * checkpoint waits for readers on other connections (busy timeout 5 s); when it cannot finish,
 * that is logged and the old images go at the next checkpoint.
 *
 * Ownership: a draft_store_t is one connection, used by one thread at a time. Drafts are copied
 * in and out of caller-owned structs; nothing read needs freeing.
 * Errors: functions return 0 on success, -1 on an error (logged once, here, with SQLite's
 * message and the database path, or the reason input was refused), or DRAFT_NONE. Every value
 * read back is checked (types, lengths, UTF-8, ranges): a damaged draft is wiped, logged as a
 * warning and reported as DRAFT_NONE, never a crash.
 */
#ifndef LIKELETTER_DRAFT_H
#define LIKELETTER_DRAFT_H

#include "likeletter/session.h"

#include <stdint.h>

#define DRAFT_NONE 1 /* draft_load(): no draft, or it expired or was damaged (and is wiped) */

/* The furthest ahead a draft's expiry may lie from its save: above the longest session the
 * config allows (idle_timeout 3600 s + the prompt's 120 s). A draft that claims more is damaged. */
#define DRAFT_TTL_MAX_MS (2 * 3600 * 1000)

typedef struct draft_store draft_store_t;

/* Opens (creating when missing, with its directory, mode 0700) the database at path and the
 * draft's tables; WAL, synchronous=FULL, secure_delete=ON, busy timeout 5 s. A draft schema
 * newer than this program's is refused. Returns NULL on failure, logged with the path. */
draft_store_t *draft_open(const char *path);

/* Closes the connection; accepts NULL. The draft stays (that is the point of it). */
void draft_close(draft_store_t *st);

/* Replaces the saved draft with *d for the session session_id (SESSION_ID_LEN lowercase hex
 * digits), to be forgotten at expires_wall_ms (ms since the epoch, after now and at most
 * DRAFT_TTL_MAX_MS ahead). Durable when it returns 0. Returns -1, saving nothing, when the input
 * is refused (session_draft_problem(), a bad id or expiry; logged) or on errors. */
int draft_save(draft_store_t *st, const char *session_id, const session_draft_t *d,
               int64_t expires_wall_ms);

/* The saved draft at wall-clock time now_wall_ms: returns 0 with it in *out, its session id in
 * session_id and its expiry in *expires_wall_ms (may be NULL; for session_restore()'s remaining
 * time), when there is one that has not expired. Returns DRAFT_NONE when there is none, or it
 * expired (now_wall_ms >= its expiry), was saved after now_wall_ms, or is damaged: such a draft
 * is deleted and the deletion committed before returning (damage logged as a warning). Returns
 * -1 on errors, also when an expired or damaged draft cannot be deleted. On anything but 0, *out
 * is the empty draft, session_id "" and *expires_wall_ms 0. */
int draft_load(draft_store_t *st, int64_t now_wall_ms, session_draft_t *out,
               char session_id[SESSION_ID_LEN + 1], int64_t *expires_wall_ms);

/* Deletes the saved draft now (committed; secure_delete) and checkpoints the log (see
 * Forgetting). Call it when a session is wiped and after a card is queued. Returns 0 (also when
 * there was none) or -1. */
int draft_wipe(draft_store_t *st);

/* The wall clock (CLOCK_REALTIME) in ms since the epoch, as drafts keep it. */
int64_t draft_wall_ms(void);

#endif
