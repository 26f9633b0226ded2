/* session.h - one visitor's session at the kiosk: a random id, the idle timer with its "Still
 * there?" prompt, and what the visitor chose for their letter (the draft).
 *
 * Pure logic: no SDL, no clock reads. The caller passes the time as now_ms, a monotonic clock in
 * milliseconds (SDL_GetTicks64(), CLOCK_MONOTONIC); only differences between values matter. The
 * idle timeout and the prompt's length are passed on every call, so a changed config applies at
 * once. Timeline, measured from the last activity (a touch or a key):
 *   [0, idle_ms)                         SESSION_ACTIVE
 *   [idle_ms, idle_ms + still_there_ms)  SESSION_STILL_THERE: show the prompt with a countdown
 *   [idle_ms + still_there_ms, ...)      SESSION_EXPIRED: the caller wipes the session
 *                                        (session_new(), draft_wipe(), ledger_session_forget())
 *                                        and shows the attract screen
 *
 * Privacy (DESIGN: a session forgets its visitor when they walk away): session_new() and
 * session_free() overwrite everything the session holds with explicit_bzero(), and a setter
 * that shortens a text wipes the bytes it no longer uses, so nothing typed lingers in memory.
 * The id is 128 random bits (getrandom(2), else /dev/urandom), never derived from a person.
 *
 * The draft (session_draft_t) is a plain value struct with fixed buffers, owned by the session
 * (session_draft()) and filled by the UI through the session_draft_*_set() setters, which check
 * every byte (UTF-8, control characters, lengths) and change nothing when they refuse. The
 * autosave (draft.h) stores and restores it; session_draft_problem() checks a whole struct.
 *
 * Ownership: a session_t is the caller's (session_create() / session_free()) and belongs to one
 * thread at a time. Nothing here allocates after session_create(). Only a failure to get random
 * bytes is logged.
 */
#ifndef LIKELETTER_SESSION_H
#define LIKELETTER_SESSION_H

#include "likeletter/card.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SESSION_ID_LEN 32        /* an id: lowercase hex digits, without the NUL */
#define SESSION_NOTE_CHARS 2000  /* longest note, code points (TEXTEDIT_NOTE_CHARS) */
#define SESSION_NOTE_BYTES 8000  /* and bytes: any 2000 code points fit (TEXTEDIT_NOTE_BYTES) */
#define SESSION_NAME_CHARS 60    /* longest "to" or "from" name, code points */
#define SESSION_NAME_BYTES 200   /* and bytes (CARD_NAME_MAX, TEXTEDIT_NAME_BYTES) */
#define SESSION_POST_ID_MAX 1024 /* longest post id, bytes (FEED_ID_MAX, LEDGER_ID_MAX) */
#define SESSION_FONTS 3          /* handwriting choices: font index 0..SESSION_FONTS - 1 */
#define SESSION_INKS 3           /* ink choices: ink index 0..SESSION_INKS - 1 */

typedef enum {
    SESSION_OK = 0,
    SESSION_INVALID = -1, /* ill-formed UTF-8, a refused character, or a value out of range */
    SESSION_TOO_LONG = -2 /* past the code point limit or the byte cap */
} session_status_t;

typedef enum { SESSION_ACTIVE = 0, SESSION_STILL_THERE = 1, SESSION_EXPIRED = 2 } session_state_t;

/* The visitor's choices for their letter. Strings are NUL-terminated UTF-8; "" means not chosen
 * or typed yet. A zeroed struct (or session_draft_clear()) is the empty draft: no post, no
 * text, font 0, ink 0, A6, English. Fill it through the setters below; code that writes the
 * fields directly must check the result with session_draft_problem(). */
typedef struct session_draft {
    char post_id[SESSION_POST_ID_MAX + 1]; /* the feed's id of the post being thanked */
    char note[SESSION_NOTE_BYTES + 1];     /* lines separated by '\n' */
    char to[SESSION_NAME_BYTES + 1];       /* one line */
    char from[SESSION_NAME_BYTES + 1];     /* one line */
    int font;                              /* 0..SESSION_FONTS - 1 */
    int ink;                               /* 0..SESSION_INKS - 1 */
    card_format_t format;
    card_lang_t lang;
} session_draft_t;

typedef struct session session_t;

/* ---- the session ---- */

/* Makes a session started at now_ms with a fresh id and an empty draft. Returns NULL when out
 * of memory or when no random bytes can be had (logged). Free with session_free(). */
session_t *session_create(int64_t now_ms);

/* Wipes and frees the session; accepts NULL. */
void session_free(session_t *s);

/* The visitor walked away (or a new one begins): wipes the draft and the old id, takes a new
 * random id, and starts the timer at now_ms. Returns 0, or -1 when no random bytes can be had
 * (logged): the session is wiped all the same and its id is "", which the store and the ledger
 * refuse; call again before recording anything. */
int session_new(session_t *s, int64_t now_ms);

/* Resumes a session an autosave kept (draft_load()) after a crash: id (SESSION_ID_LEN lowercase
 * hex digits) and a copy of *d replace what the session holds, and the timer is set so the
 * session expires remaining_ms after now_ms, as it would have without the crash (clamped to
 * 0..idle_ms + still_there_ms). Returns SESSION_OK, or SESSION_INVALID (nothing changed) for a
 * bad id or a draft session_draft_problem() refuses. */
session_status_t session_restore(session_t *s, int64_t now_ms, const char *id,
                                 const session_draft_t *d, int64_t remaining_ms, int64_t idle_ms,
                                 int64_t still_there_ms);

/* The id: SESSION_ID_LEN lowercase hex digits (or "" after a failed session_new()), valid until
 * the next session_new() / session_restore() / session_free(). */
const char *session_id(const session_t *s);

/* True when id is SESSION_ID_LEN lowercase hex digits and nothing more (NULL: false). */
bool session_id_valid(const char *id);

/* When the session started and when the visitor last touched something (now_ms values). */
int64_t session_started_ms(const session_t *s);
int64_t session_last_activity_ms(const session_t *s);

/* A touch or a key at now_ms: the idle timer starts again (also from the prompt). A now_ms older
 * than the last activity changes nothing (the timer never runs backwards). */
void session_activity(session_t *s, int64_t now_ms);

/* The session's state at now_ms (see the timeline above). Negative idle_ms or still_there_ms
 * count as 0; still_there_ms 0 means no prompt. A now_ms before the last activity is ACTIVE. */
session_state_t session_state(const session_t *s, int64_t now_ms, int64_t idle_ms,
                              int64_t still_there_ms);

/* Milliseconds from now_ms until the session expires: idle_ms + still_there_ms after the last
 * activity, 0 once expired. The prompt shows it rounded up to seconds; the autosave keeps
 * draft_wall_ms() + this as the draft's expiry. */
int64_t session_countdown_ms(const session_t *s, int64_t now_ms, int64_t idle_ms,
                             int64_t still_there_ms);

/* The session's draft, for the UI to read and to fill through the setters; valid until
 * session_free() and wiped by session_new(). */
session_draft_t *session_draft(session_t *s);
const session_draft_t *session_draft_const(const session_t *s);

/* ---- the draft ---- */

/* Wipes every byte of *d (explicit_bzero) back to the empty draft. */
void session_draft_clear(session_draft_t *d);

/* Set one text from s[0..len) (need not be NUL-terminated; s may be NULL when len is 0).
 * note:    0..SESSION_NOTE_CHARS code points, SESSION_NOTE_BYTES bytes; well-formed UTF-8 with
 *          no control characters but '\n' (no C0, DEL or C1; U+2028/2029 are allowed, as in
 *          textedit.h's multiline fields).
 * to/from: 0..SESSION_NAME_CHARS code points, SESSION_NAME_BYTES bytes; one line: no control
 *          characters at all, no U+2028/2029.
 * post id: 0..SESSION_POST_ID_MAX bytes, one line as a name.
 * Return SESSION_OK, SESSION_TOO_LONG or SESSION_INVALID (then *d is unchanged). */
session_status_t session_draft_note_set(session_draft_t *d, const char *s, size_t len);
session_status_t session_draft_to_set(session_draft_t *d, const char *s, size_t len);
session_status_t session_draft_from_set(session_draft_t *d, const char *s, size_t len);
session_status_t session_draft_post_set(session_draft_t *d, const char *s, size_t len);

/* Set one choice: font 0..SESSION_FONTS - 1, ink 0..SESSION_INKS - 1, a card_format_t, a
 * card_lang_t. Return SESSION_OK, or SESSION_INVALID for a value out of range (unchanged). */
session_status_t session_draft_font_set(session_draft_t *d, int font);
session_status_t session_draft_ink_set(session_draft_t *d, int ink);
session_status_t session_draft_format_set(session_draft_t *d, card_format_t format);
session_status_t session_draft_lang_set(session_draft_t *d, card_lang_t lang);

/* What is wrong with a whole draft, as an English phrase naming the field ("the note is not
 * valid UTF-8"), or NULL when every field is one the setters would accept. Reads each buffer
 * only up to its size, so an unterminated buffer is reported, not overrun. */
const char *session_draft_problem(const session_draft_t *d);

#endif
