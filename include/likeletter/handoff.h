/* handoff.h - what the Message and Call rungs hand to the visitor's phone through a QR code: a
 * prefilled e-mail to the post's author (an RFC 6068 mailto: URI), a coffee-chat invitation (an
 * RFC 5545 iCalendar object), and the chat slots to choose from.
 *
 * Everything here is text building: no SDL, no QR, no allocation, no logging (the caller knows the
 * context and logs once). Every function writes into a caller-owned buffer and, on any error,
 * leaves out as "" (when outlen > 0). Strings are UTF-8, checked strictly (utf8.h) before use.
 * Languages are "en", "de" or "nl"; anything else (NULL too) gets English. All functions are
 * thread-safe except handoff_call_slots(), which reads the process's time zone (TZ, tzset()).
 *
 * Errors: 0 on success, HANDOFF_ERR_INVALID for a refused argument, HANDOFF_ERR_TOO_LONG when the
 * result does not fit (the caps below, or out): the visitor's text is what the caller shortens.
 */
#ifndef LIKELETTER_HANDOFF_H
#define LIKELETTER_HANDOFF_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define HANDOFF_ERR_INVALID (-1)  /* NULL, ill-formed UTF-8, a refused address or character */
#define HANDOFF_ERR_TOO_LONG (-2) /* over the payload cap or larger than out */

#define HANDOFF_EMAIL_MAX 254 /* longest address accepted, bytes (RFC 5321's path limit) */
#define HANDOFF_MAILTO_MAX                                                                         \
    1200 /* longest mailto: URI, bytes: a version 21-ish QR at M a phone reads */
#define HANDOFF_EVENT_MAX 1500 /* longest iCalendar object, bytes, CRLFs included */
#define HANDOFF_SLOTS_MAX 10   /* handoff_call_slots() never returns more: 5 today + 5 next day */
#define HANDOFF_LABEL_MAX 32   /* label bytes, NUL included */

/* Checks a recipient address: exactly one '@' with something on both sides, printable ASCII
 * without spaces, at most HANDOFF_EMAIL_MAX bytes, and none of ? & , % ; < > " (nor CR or LF,
 * which the printable rule already refuses): each of them could add headers or recipients to a
 * mailto: URI or break an ORGANIZER line. Returns 0 or HANDOFF_ERR_INVALID (also for NULL). */
int handoff_email_check(const char *email);

/* Writes "mailto:EMAIL?subject=...&body=..." into out (outlen bytes, NUL included). email must
 * pass handoff_email_check(); its characters outside RFC 6068's qchar (such as # or /) are
 * percent-encoded. subject and body may be NULL or "" (then left out). Both are percent-encoded
 * as UTF-8 bytes, keeping only RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~): a space is
 * %20, never '+'. subject must be one line without control characters. In body, line breaks
 * (\n, \r\n, \r, U+2028, U+2029) become %0D%0A, a tab %09; other control characters are refused.
 * Returns 0, HANDOFF_ERR_INVALID, or HANDOFF_ERR_TOO_LONG when the URI would be longer than
 * HANDOFF_MAILTO_MAX bytes or not fit out (pass HANDOFF_MAILTO_MAX + 1 bytes so only the cap
 * decides); then the caller may shorten the message and try again. */
int handoff_mailto(const char *email, const char *subject, const char *body, char *out,
                   size_t outlen);

/* Composes an e-mail body: message, a blank line, and a line linking the post in lang, e.g.
 * "— about your post “TITLE”: URL", "— zu Ihrem Beitrag „TITLE“: URL",
 * "— over uw bericht “TITLE”: URL" (without the quoted title when post_title is NULL or "").
 * message may be NULL or "" (then only the link line); it is copied as is and may hold tabs
 * and line breaks as in handoff_mailto(), no other control characters. post_title must be one
 * line; post_url must pass qr_url_check(). Returns 0, HANDOFF_ERR_INVALID, or
 * HANDOFF_ERR_TOO_LONG when out is too small. */
int handoff_message_body(const char *message, const char *post_title, const char *post_url,
                         const char *lang, char *out, size_t outlen);

/* A coffee-chat invitation. Times are absolute (time_t); they are written in UTC ("Z" form), so
 * no VTIMEZONE is needed and every phone shows them in its own local time. */
typedef struct {
    const char *uid;         /* required: printable ASCII, e.g. "<random hex>@likeletter" */
    time_t stamp;            /* DTSTAMP: when the invitation was made (usually now) */
    time_t start;            /* DTSTART: from handoff_call_slots() */
    int32_t duration_min;    /* DURATION:PT<n>M, 1..1440 (a coffee chat: 30) */
    const char *summary;     /* required, one line: "Coffee chat with NAME", worded by the caller */
    const char *description; /* optional (NULL or ""), may have line breaks */
    const char *url;         /* required: the post's link, must pass qr_url_check() */
    const char *author_name; /* optional: CN of the ORGANIZER line, one line */
    const char *author_email; /* optional: NULL or "" leaves out the ORGANIZER line */
} handoff_event_t;

/* Writes the invitation as one iCalendar object into out (outlen bytes, NUL included):
 * VCALENDAR (VERSION:2.0, PRODID:-//likeletter//kiosk//EN, METHOD:PUBLISH) holding one VEVENT
 * with UID, DTSTAMP, DTSTART, DURATION, SUMMARY, DESCRIPTION (if any), ORGANIZER;CN="NAME":
 * mailto:EMAIL (if the e-mail is known: METHOD:PUBLISH allows an ORGANIZER and no ATTENDEE,
 * RFC 5546 3.2.1) and URL. Lines end in CRLF; TEXT values escape \ ; , and line breaks (as \n);
 * the CN is quoted with RFC 6868's ^' and ^^; lines longer than 75 octets are folded (CRLF and
 * a space) between UTF-8 characters, never inside one. Returns 0, HANDOFF_ERR_INVALID (a missing
 * or refused field, a time gmtime_r() cannot convert), or HANDOFF_ERR_TOO_LONG when the object
 * would be longer than HANDOFF_EVENT_MAX bytes or not fit out. */
int handoff_event(const handoff_event_t *ev, char *out, size_t outlen);

typedef struct {
    time_t start;                  /* when the chat begins */
    char label[HANDOFF_LABEL_MAX]; /* "Today 14:00", "Morgen 10:00", "Maandag 11:30", ... */
} handoff_slot_t;

/* Fills slots[0..max) with the coffee-chat slots at 10:00, 11:30, 14:00, 15:30 and 17:00 local
 * time (the process's TZ): today's that begin at least 30 minutes after now (none on a Saturday
 * or Sunday), then all five of the next working day, labelled "Tomorrow"/"Morgen"/"Morgen" when
 * that is tomorrow and "Monday"/"Montag"/"Maandag" when a weekend lies between. Local times
 * become time_t through localtime_r() and mktime() (tm_isdst = -1), so daylight saving is right
 * on either side of a change. Returns how many slots were written (0..min(max, HANDOFF_SLOTS_MAX);
 * 0 for NULL slots or a now localtime_r() cannot convert). Not thread-safe with setenv("TZ"). */
size_t handoff_call_slots(time_t now, const char *lang, handoff_slot_t *slots, size_t max);

#endif
