/* feed.h - the posts the kiosk shows, read from an Atom (RFC 4287) or RSS 2.0 file with libxml2.
 *
 * A feed file is untrusted: it may come from any network the community manager points us at.
 * It is parsed without entity expansion, DTD loading or network access (no XXE, no billion
 * laughs: references to declared entities are left unexpanded and their text is dropped; the
 * predefined entities and character references are decoded as usual), at most FEED_FILE_MAX
 * bytes and libxml2's default depth limit. Atom elements are matched by namespace
 * (http://www.w3.org/2005/Atom); RSS 2.0 items by their plain names, plus dc:creator, dc:date,
 * content:encoded and atom:link.
 *
 * Every post keeps what the ladder needs, each string valid UTF-8 on one line (control
 * characters and runs of white space become one space, none leading or trailing) and within its
 * limit (longer text is cut at a character boundary):
 *   id       Atom id / RSS guid; the link when that is missing or longer than FEED_ID_MAX
 *   title    plain text (<= FEED_TITLE_MAX, never empty)
 *   link     an http:// or https:// link that qr_url_check() accepts, so it can go on a card
 *            (non-ASCII bytes percent-encoded; <= QR_URL_MAX)
 *   author   the author's name, or "" (<= FEED_NAME_MAX); an Atom entry without an author takes
 *            the feed's; RSS author as "mail (Name)", "Name <mail>", a bare mail or a bare name,
 *            and dc:creator for the name
 *   email    the author's e-mail, or "" when missing or not plausible: exactly one @ with text on
 *            both sides, no white space, control characters or <>()[]\,;:" (<= FEED_EMAIL_MAX)
 *   date     UTC seconds since the epoch, from Atom published (else updated) or RSS pubDate (else
 *            dc:date); 0 when there is none or it does not parse (the post is still shown)
 *   summary  plain text, or "" (<= FEED_SUMMARY_MAX): Atom summary (else content) of type text,
 *            html or xhtml, RSS description (else content:encoded) as HTML; HTML is parsed by
 *            libxml2's HTML parser, which decodes its entities, and only its text is kept
 *            (script and style dropped, block elements separated by a space)
 * An entry without a title or without a usable link is skipped: logged with LOG_WARN naming the
 * feed, the entry's number (1-based, in document order) and the reason - the first
 * FEED_SKIP_LOG_MAX of them one line each, the rest in one summary line - and counted in
 * feed_skipped(). At most FEED_POSTS_MAX posts are kept: the first ones in document order (feeds
 * list newest first); entries after that are not read (one LOG_WARN line says how many). Posts
 * are sorted newest first; posts with equal dates keep their document order, so undated posts
 * come last.
 *
 * Memory: a feed_t owns its posts and all their strings; they stay valid until feed_free().
 * A load builds libxml2's tree of the whole file first, so it briefly needs up to about 15 times
 * the file's size (120 MiB for 8 MiB of tiny entries; a few MiB for a real feed).
 * Errors: the loaders return NULL with an English message in err (NUL-terminated, truncated to
 * errlen; err may be NULL) that starts with the file's name (or the name given) and says the
 * problem: "cannot open: ...", "empty file", "too big: ...", "not XML: line 3: ...", "not an
 * Atom or RSS 2.0 feed: ...". Failing loads do not log: the caller knows what to do about it.
 * Threads: the loaders and feed_date_parse() are thread-safe (libxml2 is initialised once, each
 * load uses its own parser contexts; during a load, libxml2's per-thread generic error handler
 * is silenced, so its context-free messages do not reach stderr). A feed_t does not change after
 * loading, so any number of threads may read one at once; feed_free() must not race with them.
 */
#ifndef LIKELETTER_FEED_H
#define LIKELETTER_FEED_H

#include <stddef.h>
#include <stdint.h>

#define FEED_FILE_MAX (8u << 20) /* largest feed file accepted, bytes */
#define FEED_POSTS_MAX 500       /* most posts kept from one feed */
#define FEED_ID_MAX 1024         /* longest id, bytes */
#define FEED_TITLE_MAX 1024      /* longest title, bytes (CARD_TITLE_MAX) */
#define FEED_NAME_MAX 200        /* longest author name, bytes (CARD_NAME_MAX) */
#define FEED_EMAIL_MAX 254       /* longest e-mail address, bytes (RFC 5321's path limit) */
#define FEED_SUMMARY_MAX 2000    /* longest summary, bytes */
#define FEED_SKIP_LOG_MAX 20     /* skipped entries logged one line each */

/* One post. Strings are never NULL (missing ones are ""), owned by the feed. */
typedef struct feed_post {
    const char *id;
    const char *title;
    const char *link;
    const char *author;
    const char *email;
    int64_t date; /* UTC seconds since 1970-01-01, 0 = unknown */
    const char *summary;
} feed_post_t;

typedef struct feed feed_t;

/* Reads and parses the feed file at path (at most FEED_FILE_MAX bytes; a regular file). Returns
 * a new feed with 0..FEED_POSTS_MAX posts, freed with feed_free(), or NULL with the reason in
 * err, the message starting with path. */
feed_t *feed_load_file(const char *path, char *err, size_t errlen);

/* Parses len bytes at data (need not be NUL-terminated; the encoding from the XML declaration or
 * byte order mark, UTF-8 by default) as feed_load_file() does. name is what messages and log
 * lines call the feed (NULL: "<memory>"). */
feed_t *feed_load_memory(const char *data, size_t len, const char *name, char *err, size_t errlen);

/* Frees the feed, its posts and their strings; accepts NULL. */
void feed_free(feed_t *feed);

/* The feed's own title (Atom feed/title, RSS channel/title) as the posts' titles are cleaned, or
 * "" when it has none. Valid until feed_free(). */
const char *feed_title(const feed_t *feed);

/* The number of posts kept, and the number of entries skipped as malformed. */
size_t feed_count(const feed_t *feed);
size_t feed_skipped(const feed_t *feed);

/* The i-th post, newest first, for i < feed_count(); NULL otherwise. */
const feed_post_t *feed_post(const feed_t *feed, size_t i);

/* Parses a date as feeds write it: RFC 3339 ("2024-05-17T09:30:00+02:00", fraction of seconds
 * ignored, 't'/' ' and 'z' accepted, or a bare date "2024-05-17" as dc:date may give) or RFC 822
 * / 1123 ("Fri, 17 May 2024 07:30:00 GMT"; day name optional, 2-digit years 00..49 as 20xx;
 * zones +hhmm, -hhmm, GMT, UT, UTC, Z and the US zones EST..PDT). Years 1900..9999 and real
 * calendar dates only. Stores UTC seconds since the epoch in *out and returns 0, or returns -1
 * leaving *out alone. */
int feed_date_parse(const char *s, int64_t *out);

#endif
