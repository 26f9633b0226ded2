/* handoff.c - see handoff.h. Text is validated whole before a byte is written, then encoded into
 * a bounded sink that only records "too long" instead of failing midway, so every function has
 * one place that decides between success and HANDOFF_ERR_TOO_LONG. */
#include "likeletter/handoff.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "likeletter/qr.h"
#include "likeletter/utf8.h"

#define ICAL_FOLD_OCTETS 75   /* RFC 5545 3.1: content lines longer than this are folded */
#define DURATION_MIN_MAX 1440 /* a chat longer than a day is a mistake, not a chat */
#define SLOT_LEAD_S (30 * 60) /* a visitor needs half an hour to get to a chat today */
#define ICAL_TIME_LEN 16      /* "YYYYMMDDTHHMMSSZ" */

/* A bounded writer: cap text bytes at buf, always room for the NUL after them. */
typedef struct {
    char *buf;
    size_t cap;
    size_t len;
    bool over; /* something did not fit: the result is HANDOFF_ERR_TOO_LONG */
} sink_t;

/* What one unit of validated text is; CRLF counts as one line break. */
typedef enum { UNIT_TEXT, UNIT_TAB, UNIT_BREAK, UNIT_CONTROL } unit_kind_t;

enum { LANG_EN, LANG_DE, LANG_NL, LANG_COUNT };

static const struct {
    int hour;
    int min;
} SLOT_TIMES[] = {{10, 0}, {11, 30}, {14, 0}, {15, 30}, {17, 0}};
#define SLOT_TIME_COUNT (sizeof SLOT_TIMES / sizeof SLOT_TIMES[0])

static void out_clear(char *out, size_t outlen)
{
    if (out && outlen > 0) {
        out[0] = '\0';
    }
}

static sink_t sink_make(char *out, size_t outlen, size_t max)
{
    size_t cap = outlen - 1 < max ? outlen - 1 : max;
    return (sink_t){.buf = out, .cap = cap, .len = 0, .over = false};
}

static void put(sink_t *s, const char *p, size_t n)
{
    if (s->over || s->cap - s->len < n) {
        s->over = true;
        return;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
}

static void put_str(sink_t *s, const char *str)
{
    put(s, str, strlen(str));
}

/* NUL-terminates the text, or empties the buffer when something did not fit. */
static int sink_finish(sink_t *s)
{
    if (s->over) {
        s->buf[0] = '\0';
        return HANDOFF_ERR_TOO_LONG;
    }
    s->buf[s->len] = '\0';
    return 0;
}

static int lang_index(const char *lang)
{
    if (lang && strcmp(lang, "de") == 0) {
        return LANG_DE;
    }
    return lang && strcmp(lang, "nl") == 0 ? LANG_NL : LANG_EN;
}

/* Classifies the unit at s[i] (text utf8_check() accepted) and returns its length in bytes. */
static size_t next_unit(const char *s, size_t len, size_t i, unit_kind_t *kind)
{
    uint32_t cp = 0;
    size_t n = utf8_decode(s + i, len - i, &cp);
    if (cp == '\r') {
        *kind = UNIT_BREAK;
        return i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
    }
    if (cp == '\t') {
        *kind = UNIT_TAB;
    } else if (utf8_is_line_break(cp)) {
        *kind = UNIT_BREAK;
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
        *kind = UNIT_CONTROL;
    } else {
        *kind = UNIT_TEXT;
    }
    return n;
}

/* Well-formed UTF-8 without control characters; multiline text may also hold tabs and line
 * breaks. One-line fields (subjects, summaries, names) refuse both: a break there could start a
 * new header or property in the phone's parser. */
static int text_check(const char *s, bool multiline)
{
    size_t len = strlen(s);
    if (utf8_check(s, len, NULL) != 0) {
        return -1;
    }
    for (size_t i = 0; i < len;) {
        unit_kind_t kind;
        i += next_unit(s, len, i, &kind);
        if (kind == UNIT_CONTROL || (!multiline && kind != UNIT_TEXT)) {
            return -1;
        }
    }
    return 0;
}

static bool has_text(const char *s)
{
    return s && s[0] != '\0';
}

/* Optional text: NULL and "" are fine, anything else must pass text_check(). */
static int optional_text_check(const char *s, bool multiline)
{
    return has_text(s) ? text_check(s, multiline) : 0;
}

/* ---- mailto: ---- */

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static void put_pct_byte(sink_t *s, unsigned char c)
{
    static const char HEX[] = "0123456789ABCDEF";
    char enc[3] = {'%', HEX[c >> 4], HEX[c & 0x0F]};
    put(s, enc, sizeof enc);
}

/* Percent-encodes validated text as UTF-8 bytes; line breaks become CRLF, as RFC 6068 6.3 asks
 * of a body, whatever the keyboard or a paste produced. */
static void put_pct_text(sink_t *s, const char *text)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        unit_kind_t kind;
        size_t n = next_unit(text, len, i, &kind);
        if (kind == UNIT_BREAK) {
            put_str(s, "%0D%0A");
        } else {
            for (size_t k = i; k < i + n; k++) {
                unsigned char c = (unsigned char)text[k];
                if (is_unreserved(c)) {
                    put(s, text + k, 1);
                } else {
                    put_pct_byte(s, c);
                }
            }
        }
        i += n;
    }
}

/* An address that passed handoff_email_check(): RFC 6068's qchar stays (the refused delimiters
 * are already gone), anything else a mail address may hold, such as # or /, is encoded so it
 * cannot end the address part of the URI. */
static void put_address(sink_t *s, const char *email)
{
    for (const char *p = email; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (is_unreserved(c) || strchr("!$'()*+:@", c)) {
            put(s, p, 1);
        } else {
            put_pct_byte(s, c);
        }
    }
}

int handoff_email_check(const char *email)
{
    if (!email) {
        return HANDOFF_ERR_INVALID;
    }
    size_t len = strlen(email);
    if (len == 0 || len > HANDOFF_EMAIL_MAX) {
        return HANDOFF_ERR_INVALID;
    }
    size_t ats = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)email[i];
        /* Printable ASCII excludes space, CR and LF; the rest could split or add recipients
         * (, ;), start or join query fields (? & %), or end a quoted or angle address. */
        if (c <= 0x20 || c >= 0x7F || strchr("?&,%;<>\"", c)) {
            return HANDOFF_ERR_INVALID;
        }
        if (c == '@') {
            ats++;
        }
    }
    if (ats != 1 || email[0] == '@' || email[len - 1] == '@') {
        return HANDOFF_ERR_INVALID;
    }
    return 0;
}

int handoff_mailto(const char *email, const char *subject, const char *body, char *out,
                   size_t outlen)
{
    out_clear(out, outlen);
    if (!out || outlen == 0 || handoff_email_check(email) != 0 ||
        optional_text_check(subject, false) != 0 || optional_text_check(body, true) != 0) {
        return HANDOFF_ERR_INVALID;
    }
    sink_t s = sink_make(out, outlen, HANDOFF_MAILTO_MAX);
    put_str(&s, "mailto:");
    put_address(&s, email);
    const char *sep = "?";
    if (has_text(subject)) {
        put_str(&s, "?subject=");
        put_pct_text(&s, subject);
        sep = "&";
    }
    if (has_text(body)) {
        put_str(&s, sep);
        put_str(&s, "body=");
        put_pct_text(&s, body);
    }
    return sink_finish(&s);
}

/* ---- the message body ---- */

/* The link line in each language: lead-in, quotes around the title, and the lead-in without a
 * title. Formal address (Ihrem, uw) as in the printer messages: the author may be a stranger. */
static const struct {
    const char *about;
    const char *open;
    const char *close;
} LINK_WORDS[LANG_COUNT] = {
    [LANG_EN] = {"— about your post", "“", "”"},
    [LANG_DE] = {"— zu Ihrem Beitrag", "„", "“"},
    [LANG_NL] = {"— over uw bericht", "“", "”"},
};

int handoff_message_body(const char *message, const char *post_title, const char *post_url,
                         const char *lang, char *out, size_t outlen)
{
    out_clear(out, outlen);
    if (!out || outlen == 0 || optional_text_check(message, true) != 0 ||
        optional_text_check(post_title, false) != 0 || qr_url_check(post_url, NULL, 0) != 0) {
        return HANDOFF_ERR_INVALID;
    }
    int li = lang_index(lang);
    sink_t s = sink_make(out, outlen, outlen - 1);
    if (has_text(message)) {
        put_str(&s, message);
        put_str(&s, "\n\n");
    }
    put_str(&s, LINK_WORDS[li].about);
    if (has_text(post_title)) {
        put_str(&s, " ");
        put_str(&s, LINK_WORDS[li].open);
        put_str(&s, post_title);
        put_str(&s, LINK_WORDS[li].close);
    }
    put_str(&s, ": ");
    put_str(&s, post_url);
    return sink_finish(&s);
}

/* ---- iCalendar ---- */

/* One content line is built unfolded in line, then folded into out. */
typedef struct {
    sink_t *out;
    sink_t line;
    char buf[HANDOFF_EVENT_MAX + 1];
} ical_t;

static bool is_utf8_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* RFC 5545 3.1: at most 75 octets a line before CRLF, continuation lines starting with a space
 * (which counts); cuts move back to a character's first byte so no phone sees half of one. */
static void put_folded(sink_t *out, const char *line, size_t n)
{
    size_t room = ICAL_FOLD_OCTETS;
    while (n > room) {
        size_t cut = room;
        while (cut > 0 && is_utf8_continuation((unsigned char)line[cut])) {
            cut--;
        }
        put(out, line, cut);
        put_str(out, "\r\n ");
        line += cut;
        n -= cut;
        room = ICAL_FOLD_OCTETS - 1;
    }
    put(out, line, n);
    put_str(out, "\r\n");
}

static sink_t *line_begin(ical_t *ic, const char *name)
{
    ic->line = sink_make(ic->buf, sizeof ic->buf, HANDOFF_EVENT_MAX);
    put_str(&ic->line, name);
    return &ic->line;
}

static void line_end(ical_t *ic)
{
    if (ic->line.over) {
        ic->out->over = true; /* a line longer than the whole cap */
        return;
    }
    put_folded(ic->out, ic->buf, ic->line.len);
}

static void ical_plain(ical_t *ic, const char *line)
{
    line_begin(ic, line);
    line_end(ic);
}

/* RFC 5545 3.3.11 TEXT: backslash, semicolon and comma escaped, every line break as \n. */
static void put_ical_text(sink_t *s, const char *text)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        unit_kind_t kind;
        size_t n = next_unit(text, len, i, &kind);
        if (kind == UNIT_BREAK) {
            put_str(s, "\\n");
        } else if (text[i] == '\\' || text[i] == ';' || text[i] == ',') {
            put_str(s, "\\");
            put(s, text + i, 1);
        } else {
            put(s, text + i, n);
        }
        i += n;
    }
}

static void ical_text(ical_t *ic, const char *name, const char *value)
{
    put_ical_text(line_begin(ic, name), value);
    line_end(ic);
}

/* A quoted parameter value cannot hold a DQUOTE at all: RFC 6868 writes it ^' (and ^ as ^^). */
static void put_param_quoted(sink_t *s, const char *value)
{
    put_str(s, "\"");
    for (const char *p = value; *p; p++) {
        if (*p == '"') {
            put_str(s, "^'");
        } else if (*p == '^') {
            put_str(s, "^^");
        } else {
            put(s, p, 1);
        }
    }
    put_str(s, "\"");
}

static int ical_time(time_t t, char out[ICAL_TIME_LEN + 1])
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || tm.tm_year < 1 - 1900 || tm.tm_year > 9999 - 1900) {
        return -1;
    }
    return strftime(out, ICAL_TIME_LEN + 1, "%Y%m%dT%H%M%SZ", &tm) == ICAL_TIME_LEN ? 0 : -1;
}

static int uid_check(const char *uid)
{
    if (!has_text(uid)) {
        return -1;
    }
    for (const char *p = uid; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7F) {
            return -1;
        }
    }
    return 0;
}

static int event_check(const handoff_event_t *ev)
{
    if (uid_check(ev->uid) != 0 || !has_text(ev->summary) || text_check(ev->summary, false) != 0 ||
        optional_text_check(ev->description, true) != 0 ||
        optional_text_check(ev->author_name, false) != 0 || qr_url_check(ev->url, NULL, 0) != 0) {
        return -1;
    }
    if (has_text(ev->author_email) && handoff_email_check(ev->author_email) != 0) {
        return -1;
    }
    return ev->duration_min >= 1 && ev->duration_min <= DURATION_MIN_MAX ? 0 : -1;
}

static void ical_organizer(ical_t *ic, const handoff_event_t *ev)
{
    sink_t *s = line_begin(ic, "ORGANIZER");
    if (has_text(ev->author_name)) {
        put_str(s, ";CN=");
        put_param_quoted(s, ev->author_name);
    }
    put_str(s, ":mailto:");
    put_address(s, ev->author_email);
    line_end(ic);
}

static void ical_vevent(ical_t *ic, const handoff_event_t *ev, const char *stamp, const char *start)
{
    char line[64];
    ical_plain(ic, "BEGIN:VEVENT");
    ical_text(ic, "UID:", ev->uid);
    snprintf(line, sizeof line, "DTSTAMP:%s", stamp);
    ical_plain(ic, line);
    snprintf(line, sizeof line, "DTSTART:%s", start);
    ical_plain(ic, line);
    snprintf(line, sizeof line, "DURATION:PT%dM", (int)ev->duration_min);
    ical_plain(ic, line);
    ical_text(ic, "SUMMARY:", ev->summary);
    if (has_text(ev->description)) {
        ical_text(ic, "DESCRIPTION:", ev->description);
    }
    if (has_text(ev->author_email)) {
        ical_organizer(ic, ev);
    }
    put_str(line_begin(ic, "URL:"), ev->url);
    line_end(ic);
    ical_plain(ic, "END:VEVENT");
}

int handoff_event(const handoff_event_t *ev, char *out, size_t outlen)
{
    out_clear(out, outlen);
    char stamp[ICAL_TIME_LEN + 1], start[ICAL_TIME_LEN + 1];
    if (!ev || !out || outlen == 0 || event_check(ev) != 0 || ical_time(ev->stamp, stamp) != 0 ||
        ical_time(ev->start, start) != 0) {
        return HANDOFF_ERR_INVALID;
    }
    sink_t s = sink_make(out, outlen, HANDOFF_EVENT_MAX);
    ical_t ic = {.out = &s};
    ical_plain(&ic, "BEGIN:VCALENDAR");
    ical_plain(&ic, "VERSION:2.0");
    ical_plain(&ic, "PRODID:-//likeletter//kiosk//EN");
    ical_plain(&ic, "METHOD:PUBLISH");
    ical_vevent(&ic, ev, stamp, start);
    ical_plain(&ic, "END:VCALENDAR");
    return sink_finish(&s);
}

/* ---- call slots ---- */

static const char *const DAY_WORDS[LANG_COUNT][3] = {
    [LANG_EN] = {"Today", "Tomorrow", "Monday"},
    [LANG_DE] = {"Heute", "Morgen", "Montag"},
    [LANG_NL] = {"Vandaag", "Morgen", "Maandag"},
};
enum { DAY_TODAY, DAY_TOMORROW, DAY_MONDAY };

/* The local calendar day add_days after now's, normalised by mktime() at noon: noon exists on
 * every day, whatever daylight saving does at night. */
static bool local_day(time_t now, int add_days, struct tm *day)
{
    if (!localtime_r(&now, day)) {
        return false;
    }
    day->tm_mday += add_days;
    day->tm_hour = 12;
    day->tm_min = 0;
    day->tm_sec = 0;
    day->tm_isdst = -1;
    return mktime(day) != (time_t)-1;
}

static bool is_weekend(const struct tm *day)
{
    return day->tm_wday == 0 || day->tm_wday == 6;
}

/* Adds day's slots that begin at or after earliest; returns the new count. */
static size_t add_day_slots(const struct tm *day, time_t earliest, const char *word,
                            handoff_slot_t *slots, size_t count, size_t max)
{
    for (size_t k = 0; k < SLOT_TIME_COUNT && count < max; k++) {
        struct tm tm = *day;
        tm.tm_hour = SLOT_TIMES[k].hour;
        tm.tm_min = SLOT_TIMES[k].min;
        tm.tm_isdst = -1;
        time_t start = mktime(&tm);
        if (start == (time_t)-1 || start < earliest) {
            continue;
        }
        slots[count].start = start;
        snprintf(slots[count].label, sizeof slots[count].label, "%s %02d:%02d", word,
                 SLOT_TIMES[k].hour, SLOT_TIMES[k].min);
        count++;
    }
    return count;
}

size_t handoff_call_slots(time_t now, const char *lang, handoff_slot_t *slots, size_t max)
{
    struct tm today, next;
    if (!slots || max == 0 || !local_day(now, 0, &today)) {
        return 0;
    }
    if (max > HANDOFF_SLOTS_MAX) {
        max = HANDOFF_SLOTS_MAX;
    }
    const char *const *words = DAY_WORDS[lang_index(lang)];
    size_t count = 0;
    if (!is_weekend(&today)) {
        count = add_day_slots(&today, now + SLOT_LEAD_S, words[DAY_TODAY], slots, count, max);
    }
    /* The next working day: tomorrow, or the Monday after a weekend (three days at most). */
    int ahead = 1;
    do {
        if (!local_day(now, ahead, &next)) {
            return count;
        }
    } while (is_weekend(&next) && ++ahead <= 3);
    const char *word = ahead == 1 ? words[DAY_TOMORROW] : words[DAY_MONDAY];
    return add_day_slots(&next, now, word, slots, count, max);
}
