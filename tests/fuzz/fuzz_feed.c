/* fuzz_feed.c - libFuzzer target: the input is a feed file, loaded from memory.
 *
 * A refused feed must come with a NUL-terminated message naming <memory>. A loaded one must keep
 * every promise of feed.h: at most FEED_POSTS_MAX posts, newest first, and every string
 * NUL-terminated, within its limit, valid UTF-8 without control characters, tabs or line breaks,
 * with no space at either end; titles and ids never empty; links good for a card (qr_url_check()).
 */
#include "likeletter/feed.h"
#include "likeletter/qr.h"
#include "likeletter/utf8.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, size_t post, const char *s)
{
    fprintf(stderr, "fuzz_feed: post %zu: %s: \"%.200s\"\n", post, what, s ? s : "(null)");
    abort();
}

static void check_string(const char *what, size_t post, const char *s, size_t max, bool nonempty)
{
    if (!s) {
        fail(what, post, "NULL");
    }
    size_t len = strnlen(s, max + 1);
    if (len > max) {
        fail(what, post, "longer than its limit");
    }
    if (utf8_control_check(s, len, NULL) != 0 || memchr(s, '\t', len) || memchr(s, '\n', len)) {
        fail(what, post, "invalid UTF-8 or a control character");
    }
    if (len > 0 && (s[0] == ' ' || s[len - 1] == ' ')) {
        fail(what, post, "white space at an end");
    }
    if (nonempty && len == 0) {
        fail(what, post, "empty");
    }
}

static void check_post(const feed_t *f, size_t i)
{
    const feed_post_t *p = feed_post(f, i);
    if (!p) {
        fail("feed_post returned NULL below feed_count", i, NULL);
    }
    check_string("id", i, p->id, FEED_ID_MAX, true);
    check_string("title", i, p->title, FEED_TITLE_MAX, true);
    check_string("link", i, p->link, QR_URL_MAX, true);
    check_string("author", i, p->author, FEED_NAME_MAX, false);
    check_string("email", i, p->email, FEED_EMAIL_MAX, false);
    check_string("summary", i, p->summary, FEED_SUMMARY_MAX, false);
    if (qr_url_check(p->link, NULL, 0) != 0) {
        fail("link refused by qr_url_check", i, p->link);
    }
    if (p->email[0] && (!strchr(p->email, '@') || strchr(p->email, ' '))) {
        fail("implausible email kept", i, p->email);
    }
    if (i > 0 && feed_post(f, i - 1)->date < p->date) {
        fail("not newest first", i, p->title);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    memset(err, 'X', sizeof err);
    feed_t *f = feed_load_memory((const char *)data, size, NULL, err, sizeof err);
    if (!f) {
        if (!memchr(err, '\0', sizeof err) || strncmp(err, "<memory>: ", 10) != 0) {
            fail("a refused feed without a message naming <memory>", 0, NULL);
        }
        return 0;
    }
    size_t n = feed_count(f);
    if (n > FEED_POSTS_MAX || feed_post(f, n) != NULL) {
        fail("post count beyond the limit or feed_post past the end", n, NULL);
    }
    check_string("feed title", 0, feed_title(f), FEED_TITLE_MAX, false);
    for (size_t i = 0; i < n; i++) {
        check_post(f, i);
    }
    feed_free(f);
    return 0;
}
