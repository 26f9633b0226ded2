/* check_feed.c - loading posts from Atom and RSS 2.0: the shipped sample, RSS author forms,
 * dates, HTML summaries, skipped entries, order, limits, refused files, entity attacks (XXE,
 * billion laughs) and a valid feed cut at every offset. Each test runs in its own forked child,
 * so redirecting stderr to capture log lines does not leak. */
#include "likeletter/feed.h"
#include "likeletter/log.h"
#include "likeletter/qr.h"
#include "likeletter/utf8.h"
#include "testutil.h"

#include <check.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define expect_str(what, want, got)                                                                \
    ck_assert_msg(strcmp((want), (got)) == 0, "%s: expected \"%s\", got \"%s\"", (what), (want),   \
                  (got))

#define expect_size(what, want, got)                                                               \
    ck_assert_msg((size_t)(want) == (size_t)(got), "%s: expected %zu, got %zu", (what),            \
                  (size_t)(want), (size_t)(got))

#define expect_date(what, want, got)                                                               \
    ck_assert_msg((int64_t)(want) == (int64_t)(got), "%s: expected %" PRId64 ", got %" PRId64,     \
                  (what), (int64_t)(want), (int64_t)(got))

#define RSS_HEAD                                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"                         \
    "     xmlns:atom=\"http://www.w3.org/2005/Atom\"\n"                                            \
    "     xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\n"                  \
    "<title>Northwind &amp; friends</title><link>https://social.northwind.example/</link>\n"
#define RSS_TAIL "</channel></rss>\n"
#define ATOM_HEAD "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\n"
#define ATOM_TAIL "</feed>\n"
#define LINK(n) "<link href=\"https://social.northwind.example/@t/" #n "\"/>"

/* The sample the kiosk ships, found from this file's own path (no compile definition for it). */
/* Not thread-safe (a static buffer): threads get the path from their creator. */
static const char *sample_path(void)
{
    static char path[1024];
    const char *slash = strrchr(__FILE__, '/');
    int dir = slash ? (int)(slash - __FILE__) : 1;
    snprintf(path, sizeof path, "%.*s/../../assets/sample-feed.xml", dir, slash ? __FILE__ : ".");
    return path;
}

static feed_t *load_ok(const char *xml, const char *name)
{
    char err[256] = "";
    feed_t *f = feed_load_memory(xml, strlen(xml), name, err, sizeof err);
    ck_assert_msg(f != NULL, "%s: expected a feed, got NULL: %s", name, err);
    return f;
}

/* Loads xml expecting NULL; returns the message (static). */
static const char *load_fails(const char *xml, size_t len, const char *name)
{
    static char err[512];
    memset(err, 'X', sizeof err);
    feed_t *f = feed_load_memory(xml, len, name, err, sizeof err);
    name = name ? name : "<memory>";
    ck_assert_msg(f == NULL, "%s: expected NULL, got a feed of %zu posts", name, feed_count(f));
    ck_assert_msg(memchr(err, '\0', sizeof err) != NULL, "%s: message not NUL-terminated", name);
    ck_assert_msg(strncmp(err, name, strlen(name)) == 0,
                  "%s: expected the message to start with the name, got \"%s\"", name, err);
    return err;
}

static void expect_contains(const char *what, const char *haystack, const char *needle)
{
    ck_assert_msg(strstr(haystack, needle) != NULL, "%s: expected \"%s\" in \"%s\"", what, needle,
                  haystack);
}

/* Every string as feed.h promises: one line of UTF-8 without control characters, no white space
 * at either end, within its limit; title non-empty; the link good for a card. */
static void expect_string_sane(const char *what, size_t i, const char *s, size_t max)
{
    ck_assert_msg(s != NULL, "post %zu: %s is NULL", i, what);
    size_t len = strnlen(s, max + 1);
    ck_assert_msg(len <= max, "post %zu: %s: expected at most %zu bytes, got more", i, what, max);
    size_t bad = 0;
    ck_assert_msg(utf8_control_check(s, len, &bad) == 0,
                  "post %zu: %s: invalid UTF-8 or a control character at byte %zu", i, what, bad);
    ck_assert_msg(!strpbrk(s, "\t\n"), "post %zu: %s: a tab or line break", i, what);
    ck_assert_msg(len == 0 || (s[0] != ' ' && s[len - 1] != ' '),
                  "post %zu: %s: white space at an end: \"%s\"", i, what, s);
}

static void expect_feed_sane(const feed_t *f)
{
    ck_assert_msg(feed_count(f) <= FEED_POSTS_MAX, "expected at most %d posts, got %zu",
                  FEED_POSTS_MAX, feed_count(f));
    expect_string_sane("feed title", 0, feed_title(f), FEED_TITLE_MAX);
    for (size_t i = 0; i < feed_count(f); i++) {
        const feed_post_t *p = feed_post(f, i);
        expect_string_sane("id", i, p->id, FEED_ID_MAX);
        expect_string_sane("title", i, p->title, FEED_TITLE_MAX);
        expect_string_sane("link", i, p->link, QR_URL_MAX);
        expect_string_sane("author", i, p->author, FEED_NAME_MAX);
        expect_string_sane("email", i, p->email, FEED_EMAIL_MAX);
        expect_string_sane("summary", i, p->summary, FEED_SUMMARY_MAX);
        ck_assert_msg(p->title[0] && p->id[0], "post %zu: empty title or id", i);
        char why[160];
        ck_assert_msg(qr_url_check(p->link, why, sizeof why) == 0, "post %zu: link %s: %s", i,
                      p->link, why);
        ck_assert_msg(i == 0 || feed_post(f, i - 1)->date >= p->date, "post %zu: not newest first",
                      i);
    }
    ck_assert_msg(feed_post(f, feed_count(f)) == NULL, "feed_post past the end: expected NULL");
}

/* ---- stderr capture, for the log lines of skipped entries ---- */

static int saved_stderr = -1;

static void log_capture_start(void)
{
    fflush(stderr);
    saved_stderr = dup(2);
    int fd = open(testutil_path("log.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_msg(fd >= 0 && saved_stderr >= 0, "cannot redirect stderr");
    dup2(fd, 2);
    close(fd);
    log_level_set(LOG_WARN);
}

/* What was logged since log_capture_start(); the caller frees it. */
static char *log_capture_end(void)
{
    dup2(saved_stderr, 2);
    close(saved_stderr);
    size_t len;
    return (char *)testutil_file_get(testutil_path("log.txt"), &len);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += *s == '\n';
    }
    return n;
}

static void setup(void)
{
    testutil_tmpdir_make("check_feed");
}

/* ---- the Atom sample ---- */

typedef struct expect_post {
    const char *id, *title, *link, *author, *email;
    int64_t date;
    const char *summary;
} expect_post_t;

static const expect_post_t sample_posts[] = {
    {"tag:social.northwind.example,2024:post/1042",
     "Danke an Priya und das Nachtteam im Renderraum",
     "https://social.northwind.example/@juergen/1042", "Jürgen Weiß",
     "juergen.weiss@northwind.example", 1715931000,
     "Als um zwei Uhr nachts der Speicher ausfiel, ist Priya geblieben, bis jedes Bild gesichert "
     "war. Der Trailer für Harbour Lights geht pünktlich raus – danke, Priya!"},
    {"tag:social.northwind.example,2024:post/1038", "Sketchbook Friday: 40 people, 40 lighthouses",
     "https://social.northwind.example/@priya/1038", "Priya Raman", "priya.raman@northwind.example",
     1715875500,
     "Forty of us drew the same lighthouse, ten minutes each. No two look alike, and every single "
     "one made me smile. The wall by the kitchen is yours until Monday."},
    {"tag:social.northwind.example,2024:post/1031", "Onze eerste stagiair is geslaagd!",
     "https://social.northwind.example/@anouk/1031", "Anouk de Vries",
     "anouk.devries@northwind.example", 1715764800,
     "Sem heeft zijn animatieportfolio vandaag met een negen verdedigd. Trots op hem en op "
     "iedereen "
     "die hem dit jaar heeft begeleid. Er staat taart in de keuken!"},
    {"tag:social.northwind.example,2024:post/1027",
     "The booking app now works with a screen reader",
     "https://social.northwind.example/@marcus/1027", "Marcus O'Neill", "", 1715690700,
     "Every screen of the booking app can now be used with a screen reader & a keyboard alone. "
     "Huge thanks to Zoë, who tested it with us for three weeks."},
    {"tag:social.northwind.example,2024:post/1019", "Welcome to the studio, Søren!",
     "https://social.northwind.example/@lucja/1019", "Łucja Nowak", "lucja.nowak@northwind.example",
     1715349600,
     "Søren joins the sound team from Aarhus, and he brought the best cinnamon buns we have ever "
     "had. Say hi on the third floor: he is the one with the big headphones."},
    {"tag:social.northwind.example,2024:post/1001", "Ten years of Northwind Studio",
     "https://social.northwind.example/@elena/1001", "Elena Castillo",
     "elena.castillo@northwind.example", 1714986900,
     "Ten years ago four of us shared one desk and a borrowed scanner. Today we are forty-two. "
     "Thank you for every idea, every late night and every laugh along the way."},
};

static void expect_post(size_t i, const feed_post_t *got, const expect_post_t *want)
{
    char what[64];
    ck_assert_msg(got != NULL, "post %zu: expected a post, got NULL", i);
    snprintf(what, sizeof what, "post %zu id", i);
    expect_str(what, want->id, got->id);
    snprintf(what, sizeof what, "post %zu title", i);
    expect_str(what, want->title, got->title);
    snprintf(what, sizeof what, "post %zu link", i);
    expect_str(what, want->link, got->link);
    snprintf(what, sizeof what, "post %zu author", i);
    expect_str(what, want->author, got->author);
    snprintf(what, sizeof what, "post %zu email", i);
    expect_str(what, want->email, got->email);
    snprintf(what, sizeof what, "post %zu date", i);
    expect_date(what, want->date, got->date);
    snprintf(what, sizeof what, "post %zu summary", i);
    expect_str(what, want->summary, got->summary);
}

START_TEST(atom_sample_all_fields)
{
    char err[256] = "";
    feed_t *f = feed_load_file(sample_path(), err, sizeof err);
    ck_assert_msg(f != NULL, "%s: expected a feed, got NULL: %s", sample_path(), err);
    expect_size("posts in the sample", 6, feed_count(f));
    expect_size("skipped entries in the sample", 0, feed_skipped(f));
    expect_str("feed title", "Northwind Studio", feed_title(f));
    for (size_t i = 0; i < 6; i++) {
        expect_post(i, feed_post(f, i), &sample_posts[i]);
    }
    expect_feed_sane(f);
    feed_free(f);
}
END_TEST

/* Loading the same bytes from memory gives the same posts; the file is read as a whole. */
START_TEST(atom_sample_from_memory)
{
    size_t len;
    char *data = (char *)testutil_file_get(sample_path(), &len);
    char err[256] = "";
    feed_t *f = feed_load_memory(data, len, "sample", err, sizeof err);
    ck_assert_msg(f != NULL, "sample from memory: expected a feed, got NULL: %s", err);
    expect_size("posts", 6, feed_count(f));
    for (size_t i = 0; i < 6; i++) {
        expect_post(i, feed_post(f, i), &sample_posts[i]);
    }
    feed_free(f);
    free(data);
}
END_TEST

/* Entries without an author take the feed's; xhtml and CDATA summaries; out-of-line content. */
START_TEST(atom_inherited_author_and_text_kinds)
{
    const char *xml = ATOM_HEAD
        "<author><name>Northwind Studio</name><email>hello@northwind.example</email>"
        "</author>\n"
        "<entry><title type=\"html\">Caf&amp;eacute; &amp;amp; &lt;i&gt;more&lt;/i&gt;"
        "</title>" LINK(
            1) "<summary type=\"xhtml\"><div "
               "xmlns=\"http://www.w3.org/1999/xhtml\"><p>Hello <b>world</b></p><p>again</p>"
               "</div></summary><updated>2024-05-01T00:00:00Z</updated></entry>\n"
               "<entry><title>CDATA</title>" LINK(
                   2) "<summary type=\"html\"><![CDATA[<p>In "
                      "<em>CDATA</em> &amp; fine</p>]]></summary><updated>2024-04-01T00:00:00Z"
                      "</updated></entry>\n"
                      "<entry><title>Elsewhere</title>" LINK(
                          3) "<content type=\"text/html\" "
                             "src=\"https://elsewhere.example/x\"/><updated>2024-03-01T00:00:00Z</"
                             "updated>"
                             "</entry>\n" ATOM_TAIL;
    feed_t *f = load_ok(xml, "kinds.atom");
    expect_size("posts", 3, feed_count(f));
    const feed_post_t *p = feed_post(f, 0);
    expect_str("html title", "Café & more", p->title);
    expect_str("xhtml summary", "Hello world again", p->summary);
    expect_str("inherited author", "Northwind Studio", p->author);
    expect_str("inherited email", "hello@northwind.example", p->email);
    expect_str("id without <id>: the link", "https://social.northwind.example/@t/1", p->id);
    expect_str("CDATA html summary", "In CDATA & fine", feed_post(f, 1)->summary);
    expect_str("out-of-line content", "", feed_post(f, 2)->summary);
    feed_free(f);
}
END_TEST

/* ---- RSS 2.0 ---- */

static const char rss_authors[] = RSS_HEAD
    "<atom:link rel=\"self\" href=\"https://social.northwind.example/rss\"/>\n"
    "<item><title>Mail then name</title><link>https://social.northwind.example/@jonas/1</link>\n"
    "  <author>jonas.berg@northwind.example (Jonas Berg)</author>\n"
    "  <guid isPermaLink=\"false\">post-1</guid>\n"
    "  <pubDate>Fri, 17 May 2024 07:30:00 GMT</pubDate></item>\n"
    "<item><title>Name then mail</title><link> https://social.northwind.example/@maren/2 </link>\n"
    "  <author>Maren Øster &lt;maren@northwind.example&gt;</author>\n"
    "  <pubDate>Thu, 16 May 2024 09:00:00 +0200</pubDate></item>\n"
    "<item><title>Creator only</title><link>https://social.northwind.example/@kees/3</link>\n"
    "  <dc:creator>Kees van Dijk</dc:creator>\n"
    "  <pubDate>Wed, 15 May 2024 08:00:00 -0500</pubDate></item>\n"
    "<item><title>Bare mail and creator</title>\n"
    "  <guid>https://social.northwind.example/@ana/4</guid>\n"
    "  <author>ana@northwind.example</author><dc:creator>Ana Lima</dc:creator>\n"
    "  <dc:date>2024-05-14T10:00:00Z</dc:date>\n"
    "  <description>Short &amp;amp; sweet</description></item>\n"
    "<item><title>Atom link only</title>\n"
    "  <atom:link rel=\"self\" href=\"https://social.northwind.example/self\"/>\n"
    "  <atom:link href=\"https://social.northwind.example/@li/5\"/><author>Li Wei</author>\n"
    "  <pubDate>Mon, 13 May 2024 12:00:00 EST</pubDate>\n"
    "  <content:encoded>&lt;p&gt;From "
    "content:encoded&lt;/p&gt;</content:encoded></item>\n" RSS_TAIL;

START_TEST(rss_author_forms)
{
    static const expect_post_t want[] = {
        {"post-1", "Mail then name", "https://social.northwind.example/@jonas/1", "Jonas Berg",
         "jonas.berg@northwind.example", 1715931000, ""},
        {"https://social.northwind.example/@maren/2", "Name then mail",
         "https://social.northwind.example/@maren/2", "Maren Øster", "maren@northwind.example",
         1715842800, ""},
        {"https://social.northwind.example/@kees/3", "Creator only",
         "https://social.northwind.example/@kees/3", "Kees van Dijk", "", 1715778000, ""},
        {"https://social.northwind.example/@ana/4", "Bare mail and creator",
         "https://social.northwind.example/@ana/4", "Ana Lima", "ana@northwind.example", 1715680800,
         "Short & sweet"},
        {"https://social.northwind.example/@li/5", "Atom link only",
         "https://social.northwind.example/@li/5", "Li Wei", "", 1715619600,
         "From content:encoded"},
    };
    feed_t *f = load_ok(rss_authors, "authors.rss");
    expect_str("channel title", "Northwind & friends", feed_title(f));
    expect_size("posts", 5, feed_count(f));
    expect_size("skipped", 0, feed_skipped(f));
    for (size_t i = 0; i < 5; i++) {
        expect_post(i, feed_post(f, i), &want[i]);
    }
    expect_feed_sane(f);
    feed_free(f);
}
END_TEST

/* Implausible mails are dropped, the name kept where there is one. */
START_TEST(rss_implausible_email_dropped)
{
    static const char *const authors[][3] = {
        /* author element, expected name, expected email */
        {"Jonas (Design team)", "Jonas (Design team)", ""},
        {"two@@northwind.example (Two At)", "two@@northwind.example (Two At)", ""},
        {"Name &lt;not a mail&gt;", "Name", ""},
        {"@northwind.example", "@northwind.example", ""},
        {"x@y,z@w (Many)", "x@y,z@w (Many)", ""},
        {"  ana@northwind.example   ", "", "ana@northwind.example"},
    };
    for (size_t i = 0; i < sizeof authors / sizeof authors[0]; i++) {
        char xml[1024];
        snprintf(xml, sizeof xml,
                 RSS_HEAD "<item><title>t</title><link>https://a.example/</link><author>%s"
                          "</author></item>" RSS_TAIL,
                 authors[i][0]);
        feed_t *f = load_ok(xml, "mail.rss");
        expect_size("posts", 1, feed_count(f));
        char what[128];
        snprintf(what, sizeof what, "name from <author>%s", authors[i][0]);
        expect_str(what, authors[i][1], feed_post(f, 0)->author);
        snprintf(what, sizeof what, "email from <author>%s", authors[i][0]);
        expect_str(what, authors[i][2], feed_post(f, 0)->email);
        feed_free(f);
    }
}
END_TEST

/* ---- dates ---- */

typedef struct date_case {
    const char *text;
    int ok;
    int64_t want;
} date_case_t;

static const date_case_t date_cases[] = {
    {"2024-05-17T09:30:00+02:00", 1, 1715931000},
    {"2024-05-17T07:30:00Z", 1, 1715931000},
    {"2024-05-17t07:30:00.123456z", 1, 1715931000},
    {"2024-05-17 07:30:00Z", 1, 1715931000},
    {"2024-05-17T02:30:00-05:00", 1, 1715931000},
    {"2024-05-17T07:30Z", 1, 1715931000},
    {"2024-05-17", 1, 1715904000},
    {"Fri, 17 May 2024 07:30:00 GMT", 1, 1715931000},
    {"17 May 2024 09:30:00 +0200", 1, 1715931000},
    {"Fri, 17 May 2024 02:30:00 -0500", 1, 1715931000},
    {"Fri, 17 May 24 07:30 UT", 1, 1715931000},
    {"Friday, 17 May 2024 03:30:00 EDT", 1, 1715931000},
    {"fri, 17 may 2024 07:30:00 utc", 1, 1715931000},
    {"Fri,  7 Jun 2024 07:30:00 Z", 1, 1717745400},
    {"2024-02-29T00:00:00Z", 1, 1709164800},
    {"1969-12-31T23:59:59Z", 1, -1},
    {"9999-12-31T23:59:59Z", 1, 253402300799},
    {"1900-01-01T00:00:00Z", 1, -2208988800},
    {"", 0, 0},
    {"yesterday", 0, 0},
    {"2023-02-29T00:00:00Z", 0, 0},
    {"2024-13-01T00:00:00Z", 0, 0},
    {"2024-05-17T24:00:00Z", 0, 0},
    {"2024-05-17T07:30:00", 0, 0},
    {"2024-05-17T07:30:00+0200", 0, 0},
    {"2024-05-17T07:30:00Z trailing", 0, 0},
    {"1899-12-31T23:59:59Z", 0, 0},
    {"2024-5-17T07:30:00Z", 0, 0},
    {"Fri, 17 May 2024 07:30:00", 0, 0},
    {"Fri, 17 Mai 2024 07:30:00 GMT", 0, 0},
    {"Fri, 17 May 2024 07:30:00 XYZ", 0, 0},
    {"Fri 17 May 2024 07:30:00 GMT", 0, 0},
    {"Fri, 32 May 2024 07:30:00 GMT", 0, 0},
    {"Fri, 17 May 202 07:30:00 GMT", 0, 0},
    {"Fri, 17 May 2024 07:30:00 +2400", 0, 0},
};

START_TEST(date_formats)
{
    const date_case_t *c = &date_cases[_i];
    int64_t got = 12345;
    int e = feed_date_parse(c->text, &got);
    if (c->ok) {
        ck_assert_msg(e == 0, "feed_date_parse(\"%s\"): expected 0, got %d", c->text, e);
        expect_date(c->text, c->want, got);
    } else {
        ck_assert_msg(e == -1, "feed_date_parse(\"%s\"): expected -1, got %d", c->text, e);
        expect_date("*out after a refused date", 12345, got);
    }
}
END_TEST

/* A post with a bad or missing date is kept with date 0. */
START_TEST(bad_date_kept_as_zero)
{
    const char *xml = RSS_HEAD
        "<item><title>Bad</title><link>https://a.example/1</link><pubDate>next Tuesday</pubDate>"
        "</item><item><title>Good</title><link>https://a.example/2</link>"
        "<pubDate>Tue, 14 May 2024 10:00:00 GMT</pubDate></item>" RSS_TAIL;
    feed_t *f = load_ok(xml, "dates.rss");
    expect_size("posts", 2, feed_count(f));
    expect_str("first post", "Good", feed_post(f, 0)->title);
    expect_date("good date", 1715680800, feed_post(f, 0)->date);
    expect_str("second post", "Bad", feed_post(f, 1)->title);
    expect_date("bad date", 0, feed_post(f, 1)->date);
    expect_size("skipped", 0, feed_skipped(f));
    feed_free(f);
}
END_TEST

/* ---- HTML summaries ---- */

START_TEST(html_stripped_entities_decoded)
{
    const char *xml =
        RSS_HEAD "<item><title>HTML</title><link>https://a.example/</link><description>"
                 "Fish &amp;amp; chips &amp;lt;b&amp;gt; &lt;b&gt;bold&lt;/b&gt; M&amp;#228;rz "
                 "&lt;script&gt;alert(1)&lt;/script&gt;&lt;style&gt;p{}&lt;/style&gt;"
                 "&lt;p&gt;one&lt;/p&gt;&lt;p&gt;two&lt;br&gt;three&lt;/p&gt;\n\t  spaced    out "
                 "&lt;!-- hidden --&gt;&amp;nbsp;end"
                 "</description></item>" RSS_TAIL;
    feed_t *f = load_ok(xml, "html.rss");
    expect_size("posts", 1, feed_count(f));
    expect_str("summary",
               "Fish & chips <b> bold März one two three spaced out \xC2\xA0"
               "end",
               feed_post(f, 0)->summary);
    feed_free(f);
}
END_TEST

/* Control characters (C1 is legal in XML 1.0 text) and line separators become spaces. */
START_TEST(control_characters_replaced)
{
    const char *xml = ATOM_HEAD "<entry><title>  a\n\tb&#x85;c&#x7F;d&#x2028;e  </title>" LINK(
        1) "<author><name>&#x9F;Zoë&#x9;</name></author>"
           "<summary type=\"html\">x&amp;#1;y&amp;#x9F;z</summary></entry>" ATOM_TAIL;
    feed_t *f = load_ok(xml, "controls.atom");
    expect_size("posts", 1, feed_count(f));
    expect_str("title", "a b c d e", feed_post(f, 0)->title);
    expect_str("author", "Zoë", feed_post(f, 0)->author);
    expect_feed_sane(f);
    feed_free(f);
}
END_TEST

/* ---- skipped entries ---- */

START_TEST(malformed_entries_skipped_and_logged)
{
    const char *xml = ATOM_HEAD "<entry><title>ok 1</title>" LINK(
        1) "</entry>\n"
           "<entry><title>no link</title></entry>\n"
           "<entry><title>script</title><link href=\"javascript:alert(1)\"/></entry>\n"
           "<entry><title>   </title>" LINK(
               4) "</entry>\n"
                  "<entry>" LINK(
                      5) "</entry>\n"
                         "<entry><title>self only</title><link rel=\"self\" "
                         "href=\"https://a.example/\"/></entry>\n"
                         "<entry><title>relative</title><link href=\"/@t/7\"/></entry>\n"
                         "<entry><title>ftp</title><link href=\"ftp://a.example/x\"/></entry>\n"
                         "<entry><title>upper case</title><link "
                         "href=\"HTTPS://a.example/9\"/></entry>\n"
                         "<entry><title>iri</title><link "
                         "href=\"https://a.example/@jürgen/10\"/></entry>\n"
                         "<entry><title>space</title><link href=\"https://a.example/a "
                         "b\"/></entry>\n" ATOM_TAIL;
    log_capture_start();
    feed_t *f = load_ok(xml, "skips.atom");
    char *log = log_capture_end();
    expect_size("posts", 3, feed_count(f));
    expect_size("skipped", 8, feed_skipped(f));
    expect_str("IRI link percent-encoded", "https://a.example/@j%C3%BCrgen/10",
               feed_post(f, 2)->link);
    expect_str("upper-case scheme kept", "HTTPS://a.example/9", feed_post(f, 1)->link);
    expect_size("log lines", 8, count_lines(log));
    expect_contains("log", log, "feed skips.atom: entry 2 skipped: no link\n");
    expect_contains("log", log, "feed skips.atom: entry 3 skipped: link refused: ");
    expect_contains("log", log, "javascript:");
    expect_contains("log", log, "feed skips.atom: entry 4 skipped: no title\n");
    expect_contains("log", log, "feed skips.atom: entry 5 skipped: no title\n");
    expect_contains("log", log, "feed skips.atom: entry 6 skipped: no link\n");
    expect_contains("log", log, "feed skips.atom: entry 7 skipped: link refused: ");
    expect_contains("log", log, "feed skips.atom: entry 11 skipped: link refused: ");
    free(log);
    feed_free(f);
}
END_TEST

/* Past FEED_SKIP_LOG_MAX, one summary line instead of one line each. */
START_TEST(many_skips_logged_once)
{
    char *xml;
    size_t len;
    FILE *m = open_memstream(&xml, &len);
    fputs(RSS_HEAD, m);
    for (int i = 0; i < 50; i++) {
        fputs("<item><title>no link</title></item>\n", m);
    }
    fputs(RSS_TAIL, m);
    fclose(m);
    log_capture_start();
    feed_t *f = load_ok(xml, "skips.rss");
    char *log = log_capture_end();
    expect_size("posts", 0, feed_count(f));
    expect_size("skipped", 50, feed_skipped(f));
    expect_size("log lines", FEED_SKIP_LOG_MAX + 1, count_lines(log));
    expect_contains("log", log, "feed skips.rss: 30 more entries skipped (50 in all)");
    free(log);
    feed_free(f);
    free(xml);
}
END_TEST

/* ---- order ---- */

START_TEST(newest_first_stable)
{
    const char *xml = RSS_HEAD
        "<item><title>A</title><link>https://a.example/A</link>"
        "<pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate></item>"
        "<item><title>B</title><link>https://a.example/B</link></item>"
        "<item><title>C</title><link>https://a.example/C</link>"
        "<pubDate>Fri, 01 Mar 2024 10:00:00 GMT</pubDate></item>"
        "<item><title>D</title><link>https://a.example/D</link>"
        "<dc:date>2024-01-02T11:00:00+01:00</dc:date></item>"
        "<item><title>E</title><link>https://a.example/E</link><pubDate>soon</pubDate></item>"
        "<item><title>F</title><link>https://a.example/F</link>"
        "<pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item>" RSS_TAIL;
    feed_t *f = load_ok(xml, "order.rss");
    char got[16] = "";
    for (size_t i = 0; i < feed_count(f) && i < sizeof got - 1; i++) {
        got[i] = feed_post(f, i)->title[0];
    }
    expect_str("order (newest first, equal dates and undated in document order)", "CADFBE", got);
    feed_free(f);
}
END_TEST

/* ---- limits ---- */

START_TEST(huge_title_cut_at_character)
{
    /* "x" then 2-byte characters: 1024 bytes would split one, so 1023 remain. */
    char *xml;
    size_t len;
    FILE *m = open_memstream(&xml, &len);
    fputs(ATOM_HEAD "<entry><title>x", m);
    for (int i = 0; i < 500000; i++) {
        fputs("ä", m);
    }
    fputs("</title>" LINK(1) "</entry>" ATOM_TAIL, m);
    fclose(m);
    ck_assert_msg(len > 1000000, "test feed: expected over 1 MB, got %zu", len);
    feed_t *f = load_ok(xml, "huge-title.atom");
    expect_size("posts", 1, feed_count(f));
    const char *t = feed_post(f, 0)->title;
    expect_size("title bytes", 1023, strlen(t));
    ck_assert_msg(utf8_check(t, strlen(t), NULL) == 0, "title: expected valid UTF-8");
    expect_feed_sane(f);
    feed_free(f);
    free(xml);
}
END_TEST

START_TEST(field_limits)
{
    char name[400] = "A", mail[300], link[1200], id[1100], summary[12000] = "";
    for (int i = 0; i < 150; i++) {
        strcat(name, "ö");
    }
    memset(mail, 'm', sizeof mail);
    memcpy(mail + 250, "@northwind.example", 19);
    snprintf(link, sizeof link, "https://a.example/%01100d", 7);
    memset(id, 'i', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    for (int i = 0; i < 1000; i++) {
        strcat(summary, "é  \n ");
    }
    char *xml;
    size_t len;
    FILE *m = open_memstream(&xml, &len);
    fprintf(m,
            ATOM_HEAD "<entry><title>long fields</title>" LINK(
                1) "<id>%s</id>"
                   "<author><name>%s</name><email>%s</email></author><summary>%s</summary>"
                   "</entry><entry><title>long link</title><link href=\"%s\"/></entry>" ATOM_TAIL,
            id, name, mail, summary, link);
    fclose(m);
    log_capture_start();
    feed_t *f = load_ok(xml, "limits.atom");
    char *log = log_capture_end();
    expect_size("posts", 1, feed_count(f));
    expect_size("skipped (link too long)", 1, feed_skipped(f));
    expect_contains("log", log, "entry 2 skipped: link longer than 1024 bytes");
    const feed_post_t *p = feed_post(f, 0);
    expect_size("author bytes (A + 99 ö)", 199, strlen(p->author));
    expect_str("email over 254 bytes", "", p->email);
    expect_str("id over FEED_ID_MAX: the link", "https://social.northwind.example/@t/1", p->id);
    expect_size("summary bytes (667 \"é\" and 666 gaps)", 2000, strlen(p->summary));
    expect_feed_sane(f);
    free(log);
    feed_free(f);
    free(xml);
}
END_TEST

START_TEST(posts_capped)
{
    char *xml;
    size_t len;
    FILE *m = open_memstream(&xml, &len);
    fputs(RSS_HEAD, m);
    for (int i = 0; i < 600; i++) {
        fprintf(m, "<item><title>post %d</title><guid>https://a.example/%d</guid></item>\n", i, i);
    }
    fputs(RSS_TAIL, m);
    fclose(m);
    feed_t *f = load_ok(xml, "many.rss");
    expect_size("posts", FEED_POSTS_MAX, feed_count(f));
    expect_size("skipped", 0, feed_skipped(f));
    expect_str("first post (undated: document order)", "post 0", feed_post(f, 0)->title);
    expect_str("last post kept", "post 499", feed_post(f, FEED_POSTS_MAX - 1)->title);
    feed_free(f);
    free(xml);
}
END_TEST

/* ---- refused files ---- */

START_TEST(refused_inputs)
{
    expect_contains("unclosed", load_fails("<rss><channel>", 14, "a.rss"), "a.rss: not XML: line");
    expect_contains("text", load_fails("hello", 5, "b.xml"), "b.xml: not XML");
    expect_contains("empty", load_fails("", 0, "c.xml"), "c.xml: empty file");
    expect_contains("blank", load_fails("  \n", 3, "d.xml"), "d.xml: not XML");
    expect_contains("html", load_fails("<html><body/></html>", 20, "e.xml"),
                    "e.xml: not an Atom or RSS 2.0 feed: the root element is <html>");
    expect_contains("feed without namespace", load_fails("<feed/>", 7, "f.xml"),
                    "<feed>, not in the Atom namespace");
    expect_contains("rss without channel", load_fails("<rss version=\"2.0\"/>", 20, "g.xml"),
                    "g.xml: not an Atom or RSS 2.0 feed: <rss> has no <channel>");
    const char *rdf = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>";
    expect_contains("RSS 1.0", load_fails(rdf, strlen(rdf), "h.xml"), "not an Atom or RSS 2.0");
    const char *wrong_ns = "<feed xmlns=\"http://purl.org/atom/ns#\"/>";
    expect_contains("Atom 0.3", load_fails(wrong_ns, strlen(wrong_ns), "i.xml"),
                    "not in the Atom namespace");
    expect_contains("no name", load_fails("<x/>", 4, NULL), "<memory>: not an Atom");

    /* Too big, before any parsing. */
    size_t big = FEED_FILE_MAX + 1;
    char *data = malloc(big);
    memset(data, ' ', big);
    expect_contains("too big", load_fails(data, big, "big.xml"), "big.xml: too big: 8388609 bytes");
    free(data);

    /* A short err buffer gets a truncated, terminated message; NULL err is allowed. */
    char err[8];
    ck_assert_msg(feed_load_memory("<x/>", 4, "name.xml", err, sizeof err) == NULL,
                  "expected NULL");
    expect_str("truncated message", "name.xm", err);
    ck_assert_msg(feed_load_memory("<x/>", 4, "n", NULL, 0) == NULL, "NULL err: expected NULL");
}
END_TEST

START_TEST(refused_files)
{
    char err[512];
    const char *missing = testutil_path("missing.xml");
    ck_assert_msg(feed_load_file(missing, err, sizeof err) == NULL, "missing file: expected NULL");
    expect_contains("missing file", err, missing);
    expect_contains("missing file", err, "cannot open: No such file or directory");

    ck_assert_msg(feed_load_file(testutil_tmpdir(), err, sizeof err) == NULL,
                  "directory: expected NULL");
    expect_contains("directory", err, "not a regular file");

    const char *empty = testutil_path("empty.xml");
    testutil_file_put(empty, "");
    ck_assert_msg(feed_load_file(empty, err, sizeof err) == NULL, "empty file: expected NULL");
    expect_contains("empty file", err, empty);
    expect_contains("empty file", err, "empty file");

    const char *bad = testutil_path("bad.xml");
    testutil_file_put(bad, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>");
    ck_assert_msg(feed_load_file(bad, err, sizeof err) == NULL, "truncated file: expected NULL");
    expect_contains("truncated file", err, bad);
    expect_contains("truncated file", err, "not XML");

    /* A sparse 9 MiB file is refused by its size, without reading it. */
    const char *big = testutil_path("big.xml");
    int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_msg(fd >= 0 && ftruncate(fd, 9 << 20) == 0, "cannot make %s", big);
    close(fd);
    ck_assert_msg(feed_load_file(big, err, sizeof err) == NULL, "9 MiB file: expected NULL");
    expect_contains("9 MiB file", err, big);
    expect_contains("9 MiB file", err, "too big: 9437184 bytes");
}
END_TEST

/* ---- entities ---- */

static bool feed_contains(const feed_t *f, const char *needle)
{
    if (strstr(feed_title(f), needle)) {
        return true;
    }
    for (size_t i = 0; i < feed_count(f); i++) {
        const feed_post_t *p = feed_post(f, i);
        const char *fields[] = {p->id, p->title, p->link, p->author, p->email, p->summary};
        for (size_t k = 0; k < 6; k++) {
            if (strstr(fields[k], needle)) {
                return true;
            }
        }
    }
    return false;
}

/* Variants: 0 an external general entity (/etc/passwd), 1 one to a file of ours, 2 an external
 * DTD declaring the entity, 3 an external parameter entity. None may be read. */
START_TEST(xxe_not_expanded)
{
    const char *secret = testutil_path("secret.txt");
    testutil_file_put(secret, "LEAKED-SECRET-42 root:x:0:0");
    const char *dtd = testutil_path("evil.dtd");
    testutil_file_put(dtd, "<!ENTITY x \"LEAKED-SECRET-42\">");
    char doctype[1200];
    switch (_i) {
    case 0:
        snprintf(doctype, sizeof doctype,
                 "<!DOCTYPE feed [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>");
        break;
    case 1:
        snprintf(doctype, sizeof doctype, "<!DOCTYPE feed [<!ENTITY x SYSTEM \"file://%s\">]>",
                 secret);
        break;
    case 2:
        snprintf(doctype, sizeof doctype, "<!DOCTYPE feed SYSTEM \"file://%s\">", dtd);
        break;
    default:
        snprintf(doctype, sizeof doctype,
                 "<!DOCTYPE feed [<!ENTITY %% ext SYSTEM \"file://%s\"> %%ext;]>", dtd);
        break;
    }
    char xml[4096];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\"?>\n%s\n" ATOM_HEAD "<entry><title>Title &x;</title>" LINK(
                 1) "<id>id &x;</id>"
                    "<author><name>Name &x;</name><email>&x;@a.example</email></author>"
                    "<summary>Summary &x;</summary></entry>"
                    "<entry><title>&x;</title>" LINK(2) "</entry>" ATOM_TAIL,
             doctype);
    char err[512] = "";
    feed_t *f = feed_load_memory(xml, strlen(xml), "xxe.atom", err, sizeof err);
    if (f) {
        ck_assert_msg(!feed_contains(f, "LEAKED") && !feed_contains(f, "root:"),
                      "variant %d: an external entity was read into the feed", _i);
        expect_feed_sane(f);
        expect_str("title with an unexpanded entity", "Title", feed_post(f, 0)->title);
    } else {
        ck_assert_msg(!strstr(err, "LEAKED") && !strstr(err, "root:"),
                      "variant %d: the message shows the file: %s", _i, err);
    }
    feed_free(f);
}
END_TEST

/* Internal entities are not expanded either: their text is dropped. */
START_TEST(internal_entities_not_expanded)
{
    const char *xml = "<!DOCTYPE feed [<!ENTITY co \"Northwind\">]>\n" ATOM_HEAD
                      "<entry><title>Hello &co;</title>" LINK(1) "</entry>" ATOM_TAIL;
    feed_t *f = load_ok(xml, "entities.atom");
    expect_size("posts", 1, feed_count(f));
    expect_str("title", "Hello", feed_post(f, 0)->title);
    feed_free(f);
}
END_TEST

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static long max_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Variant 0: billion laughs (10^9 "lol") in text; 1: quadratic blow-up (a 20 kB entity 20000
 * times); 2: billion laughs in attributes. */
START_TEST(entity_bombs_defused)
{
    char *xml;
    size_t len;
    FILE *m = open_memstream(&xml, &len);
    if (_i != 1) {
        fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE feed [\n<!ENTITY lol \"lol\">\n", m);
        for (int i = 1; i <= 9; i++) {
            char prev[8] = "lol";
            if (i > 1) {
                snprintf(prev, sizeof prev, "lol%d", i - 1);
            }
            fprintf(m, "<!ENTITY lol%d \"", i);
            for (int k = 0; k < 10; k++) {
                fprintf(m, "&%s;", prev);
            }
            fputs("\">\n", m);
        }
        static const char *const bodies[] = {
            "<entry><title>Laughs &lol9;</title>" LINK(1) "<summary>&lol9;</summary></entry>",
            "",
            "<entry><title>Laughs</title><link rel=\"&lol9;\" href=\"&lol9;\"/></entry>",
        };
        fprintf(m, "]>\n" ATOM_HEAD "%s" ATOM_TAIL, bodies[_i]);
    } else {
        fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE feed [\n<!ENTITY a \"", m);
        for (int i = 0; i < 20000; i++) {
            fputc('a', m);
        }
        fputs("\">]>\n" ATOM_HEAD "<entry><title>Blow-up</title>" LINK(1) "<summary>", m);
        for (int i = 0; i < 20000; i++) {
            fputs("&a;", m);
        }
        fputs("</summary></entry>" ATOM_TAIL, m);
    }
    fclose(m);
    long rss0 = max_rss_kib();
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char err[512] = "";
    feed_t *f = feed_load_memory(xml, len, "bomb.atom", err, sizeof err);
    double took = seconds_since(&t0);
    long grew = max_rss_kib() - rss0;
    ck_assert_msg(took < 5.0, "variant %d: expected under 5 s, took %.2f s", _i, took);
    ck_assert_msg(grew < 64 * 1024, "variant %d: expected under 64 MiB more memory, grew %ld KiB",
                  _i, grew);
    if (f) {
        ck_assert_msg(!feed_contains(f, "lollol") && !feed_contains(f, "aaaa"),
                      "variant %d: an entity was expanded", _i);
        expect_feed_sane(f);
    }
    feed_free(f);
    free(xml);
}
END_TEST

/* ---- truncation ---- */

/* Variant 0: the Atom sample, 1: the RSS author feed; cut at every offset, each load either fails
 * with a message naming the feed or gives sane posts. */
START_TEST(truncated_at_every_offset)
{
    size_t len;
    char *data;
    if (_i == 0) {
        data = (char *)testutil_file_get(sample_path(), &len);
    } else {
        len = strlen(rss_authors);
        data = malloc(len);
        memcpy(data, rss_authors, len);
    }
    size_t loaded = 0;
    for (size_t cut = 0; cut <= len; cut++) {
        char *copy = malloc(cut ? cut : 1); /* exact size, so ASan sees any read past the end */
        memcpy(copy, data, cut);
        char err[512] = "";
        feed_t *f = feed_load_memory(copy, cut, "cut.xml", err, sizeof err);
        if (f) {
            expect_feed_sane(f);
            loaded++;
        } else {
            ck_assert_msg(strncmp(err, "cut.xml: ", 9) == 0, "cut at %zu: message \"%s\"", cut,
                          err);
        }
        feed_free(f);
        free(copy);
    }
    ck_assert_msg(loaded >= 1, "variant %d: expected at least the whole feed to load", _i);
    free(data);
}
END_TEST

/* ---- threads ---- */

/* Each thread's first failure, in words, so a failure says what went wrong. */
static char thread_errors[4][600];

struct loader_job {
    const char *path;
    char *why;
};

static void *load_sample_repeatedly(void *arg)
{
    const struct loader_job *job = arg;
    char *why = job->why;
    for (int i = 0; i < 20; i++) {
        char err[512] = "";
        feed_t *f = feed_load_file(job->path, err, sizeof err);
        if (!f) {
            snprintf(why, sizeof thread_errors[0], "load %d: %s", i, err);
        } else if (feed_count(f) != 6) {
            snprintf(why, sizeof thread_errors[0], "load %d: %zu posts", i, feed_count(f));
        } else if (strcmp(feed_post(f, 3)->author, "Marcus O'Neill") != 0) {
            snprintf(why, sizeof thread_errors[0], "load %d: post 3 by \"%s\"", i,
                     feed_post(f, 3)->author);
        }
        feed_free(f);
        if (why[0]) {
            return why;
        }
    }
    return NULL;
}

START_TEST(loads_in_parallel)
{
    pthread_t t[4];
    struct loader_job jobs[4];
    const char *path = sample_path(); /* once: the threads share it, read-only */
    for (int i = 0; i < 4; i++) {
        thread_errors[i][0] = '\0';
        jobs[i] = (struct loader_job){path, thread_errors[i]};
        ck_assert_int_eq(pthread_create(&t[i], NULL, load_sample_repeatedly, &jobs[i]), 0);
    }
    int failed = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        if (r) {
            fprintf(stderr, "thread %d: %s\n", i, thread_errors[i]);
            failed++;
        }
    }
    ck_assert_msg(failed == 0, "expected every thread's loads to match, %d threads failed (%s)",
                  failed, thread_errors[0][0] ? thread_errors[0] : "see above");
}
END_TEST

static Suite *feed_suite(void)
{
    Suite *s = suite_create("feed");
    TCase *tc = tcase_create("Atom sample");
    tcase_add_test(tc, atom_sample_all_fields);
    tcase_add_test(tc, atom_sample_from_memory);
    tcase_add_test(tc, atom_inherited_author_and_text_kinds);
    suite_add_tcase(s, tc);

    tc = tcase_create("RSS 2.0 authors");
    tcase_add_test(tc, rss_author_forms);
    tcase_add_test(tc, rss_implausible_email_dropped);
    suite_add_tcase(s, tc);

    tc = tcase_create("dates");
    tcase_add_loop_test(tc, date_formats, 0, (int)(sizeof date_cases / sizeof date_cases[0]));
    tcase_add_test(tc, bad_date_kept_as_zero);
    suite_add_tcase(s, tc);

    tc = tcase_create("HTML summaries");
    tcase_add_test(tc, html_stripped_entities_decoded);
    tcase_add_test(tc, control_characters_replaced);
    suite_add_tcase(s, tc);

    tc = tcase_create("malformed entries skipped");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, malformed_entries_skipped_and_logged);
    tcase_add_test(tc, many_skips_logged_once);
    suite_add_tcase(s, tc);

    tc = tcase_create("newest first");
    tcase_add_test(tc, newest_first_stable);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, huge_title_cut_at_character);
    tcase_add_test(tc, field_limits);
    tcase_add_test(tc, posts_capped);
    suite_add_tcase(s, tc);

    tc = tcase_create("refused files");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, refused_inputs);
    tcase_add_test(tc, refused_files);
    suite_add_tcase(s, tc);

    tc = tcase_create("entity attacks");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_loop_test(tc, xxe_not_expanded, 0, 4);
    tcase_add_test(tc, internal_entities_not_expanded);
    tcase_add_loop_test(tc, entity_bombs_defused, 0, 3);
    suite_add_tcase(s, tc);

    tc = tcase_create("truncated at every offset");
    tcase_add_loop_test(tc, truncated_at_every_offset, 0, 2);
    suite_add_tcase(s, tc);

    tc = tcase_create("parallel loads");
    tcase_add_test(tc, loads_in_parallel);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(feed_suite());
}
