/* feed.c - see feed.h. The document is parsed once into libxml2's tree; every string a post keeps
 * is built by one normaliser (text_t) that decodes, drops control characters, collapses white
 * space and cuts at a character boundary, so no field can escape the rules by another path.
 *
 * Entity references are never expanded: the parser runs without XML_PARSE_NOENT, and the tree is
 * read only through text and CDATA nodes (never xmlNodeGetContent(), xmlGetProp() or
 * xmlNodeListGetString(), which would expand the references they meet). */
#include "likeletter/feed.h"

#include "likeletter/log.h"
#include "likeletter/qr.h"
#include "likeletter/utf8.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"

/* No NOENT (entities stay references), no DTDLOAD/DTDATTR/DTDVALID (no external DTD), NONET,
 * no HUGE (libxml2's length and depth limits hold); errors land in the context, not on stderr. */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
#define HTML_OPTIONS                                                                               \
    (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |           \
     HTML_PARSE_NODEFDTD)

/* The most HTML of one summary handed to the HTML parser: 2000 bytes of text never need more,
 * and it bounds the parser's work per entry whatever the markup. */
#define HTML_RAW_MAX (64u << 10)
#define DATE_TEXT_MAX 64 /* longer is no date */
#define ATTR_TEXT_MAX 64 /* rel, type, isPermaLink */

#define TEXT_CAP (FEED_SUMMARY_MAX + 1)
_Static_assert(TEXT_CAP > FEED_TITLE_MAX && TEXT_CAP > QR_URL_MAX && TEXT_CAP > FEED_ID_MAX,
               "text_t must hold every field");

/* One field being built: UTF-8 without control characters, white space collapsed, at most max
 * bytes. cut says something did not fit (all later input is ignored). */
typedef struct text {
    size_t len, max;
    bool space; /* white space seen since the last character: one ' ' before the next */
    bool cut;
    char buf[TEXT_CAP];
} text_t;

typedef struct draft {
    text_t id, title, link, author, email, summary;
    int64_t date;
} draft_t;

typedef struct post {
    feed_post_t pub;
    size_t order; /* document order, for a stable sort */
    char *mem;    /* all of pub's strings, one allocation */
} post_t;

struct feed {
    char *title;
    post_t *posts;
    size_t count, cap, skipped;
};

typedef struct loader {
    const char *name;
    feed_t *feed;
    xmlParserCtxtPtr html;      /* one HTML parser context, reset for every summary */
    const xmlNode *feed_author; /* Atom: the feed's author, for entries without one */
    size_t entry;               /* the current entry's number, 1-based */
    size_t ignored;             /* entries past FEED_POSTS_MAX */
    char why[256];              /* a skip reason that needed formatting */
    char raw[HTML_RAW_MAX + 1]; /* a summary's HTML source */
    draft_t draft;
    text_t title;   /* the feed's */
    text_t scratch; /* links, attributes, RSS author: used and done within one function */
} loader_t;

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 reports a few errors (failed encoding conversions) outside any parser context, through
 * its generic handler, which prints to stderr. While a feed loads, that handler is this no-op:
 * the feed is untrusted input and the caller gets one message. */
static void xml_silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* ---- messages ---- */

static void fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- the normaliser ---- */

static void text_init(text_t *t, size_t max)
{
    t->len = 0;
    t->max = max < TEXT_CAP - 1 ? max : TEXT_CAP - 1;
    t->space = false;
    t->cut = false;
    t->buf[0] = '\0';
}

/* White space, C0, DEL, C1 and the Unicode line and paragraph separators: all become a gap. */
static bool is_gap(uint32_t cp)
{
    return cp <= 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

/* Appends n bytes at s. Bytes that are not UTF-8 (libxml2 gives UTF-8, but the check is cheap)
 * become U+FFFD; a gap is written only between two characters, so nothing leads or trails. */
static void text_add(text_t *t, const char *s, size_t n)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    size_t off = 0;
    while (off < n && !t->cut) {
        uint32_t cp;
        const char *src = s + off;
        size_t k = utf8_decode(src, n - off, &cp);
        off += k;
        if (is_gap(cp)) {
            t->space = true;
            continue;
        }
        if (cp == UTF8_REPLACEMENT) {
            src = replacement;
            k = 3;
        }
        size_t gap = (t->space && t->len > 0) ? 1 : 0;
        if (k + gap > t->max - t->len) {
            t->cut = true;
            break;
        }
        if (gap) {
            t->buf[t->len++] = ' ';
        }
        memcpy(t->buf + t->len, src, k);
        t->len += k;
        t->buf[t->len] = '\0';
        t->space = false;
    }
}

static void text_add_str(text_t *t, const xmlChar *s)
{
    if (s) {
        text_add(t, (const char *)s, strlen((const char *)s));
    }
}

/* ---- reading the tree ---- */

static bool is_el(const xmlNode *n, const char *ns, const char *name)
{
    if (!n || n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST name)) {
        return false;
    }
    if (!ns) {
        return n->ns == NULL;
    }
    return n->ns && n->ns->href && xmlStrEqual(n->ns->href, BAD_CAST ns);
}

static const xmlNode *child(const xmlNode *parent, const char *ns, const char *name)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (is_el(c, ns, name)) {
            return c;
        }
    }
    return NULL;
}

static bool is_text_node(const xmlNode *n)
{
    return n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE;
}

/* The element's own text (its text and CDATA children), appended to t. */
static void text_of(text_t *t, const xmlNode *el)
{
    for (const xmlNode *c = el->children; c && !t->cut; c = c->next) {
        if (is_text_node(c)) {
            text_add_str(t, c->content);
        }
    }
}

/* An attribute without namespace, its text nodes only, into t (max bytes). */
static void attr_of(text_t *t, size_t max, const xmlNode *el, const char *name)
{
    text_init(t, max);
    for (const xmlAttr *a = el->properties; a; a = a->next) {
        if (a->ns == NULL && xmlStrEqual(a->name, BAD_CAST name)) {
            for (const xmlNode *c = a->children; c && !t->cut; c = c->next) {
                if (c->type == XML_TEXT_NODE) {
                    text_add_str(t, c->content);
                }
            }
            return;
        }
    }
}

static bool has_attr(const xmlNode *el, const char *name)
{
    for (const xmlAttr *a = el->properties; a; a = a->next) {
        if (a->ns == NULL && xmlStrEqual(a->name, BAD_CAST name)) {
            return true;
        }
    }
    return false;
}

/* ---- HTML and XHTML to text ---- */

/* Elements whose text is never shown. */
static bool is_dropped(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE && (xmlStrcasecmp(n->name, BAD_CAST "script") == 0 ||
                                           xmlStrcasecmp(n->name, BAD_CAST "style") == 0);
}

/* Block and empty elements (p, li, br, img...) separate words; libxml2's HTML table knows which. */
static bool is_block(const xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE) {
        return false;
    }
    const htmlElemDesc *d = htmlTagLookup(n->name);
    return d && (!d->isinline || d->empty);
}

/* The node after n in document order below top, closing the elements left on the way up. */
static const xmlNode *walk_next(text_t *t, const xmlNode *n, const xmlNode *top, bool descend)
{
    if (descend) {
        return n->children;
    }
    for (; n && n != top; n = n->parent) {
        if (is_block(n)) {
            t->space = true;
        }
        if (n->next) {
            return n->next;
        }
    }
    return NULL;
}

/* Appends the text below top in document order, without recursion (the tree is as deep as the
 * input makes it) and without entering entity references. */
static void tree_text(text_t *t, const xmlNode *top)
{
    const xmlNode *n = top->children;
    while (n && !t->cut) {
        bool descend = false;
        if (is_text_node(n)) {
            text_add_str(t, n->content);
        } else if (n->type == XML_ELEMENT_NODE && !is_dropped(n)) {
            if (is_block(n)) {
                t->space = true;
            }
            descend = n->children != NULL;
        }
        n = walk_next(t, n, top, descend);
    }
}

/* Largest m <= n that does not split a UTF-8 sequence of s (which is longer than n). */
static size_t utf8_floor(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
        n--;
    }
    return n;
}

/* The element's own text as HTML source into ld->raw, at most HTML_RAW_MAX bytes. */
static size_t raw_of(loader_t *ld, const xmlNode *el)
{
    size_t len = 0;
    for (const xmlNode *c = el->children; c; c = c->next) {
        if (!is_text_node(c) || !c->content) {
            continue;
        }
        const char *s = (const char *)c->content;
        size_t n = strlen(s);
        if (n > HTML_RAW_MAX - len) {
            n = utf8_floor(s, HTML_RAW_MAX - len);
            memcpy(ld->raw + len, s, n);
            len += n;
            break;
        }
        memcpy(ld->raw + len, s, n);
        len += n;
    }
    ld->raw[len] = '\0';
    return len;
}

/* Parses the element's text as HTML and appends what a reader would see. */
static void html_add(loader_t *ld, text_t *t, const xmlNode *el)
{
    size_t len = raw_of(ld, el);
    if (len == 0) {
        return;
    }
    htmlDocPtr doc = htmlCtxtReadMemory(ld->html, ld->raw, (int)len, NULL, "UTF-8", HTML_OPTIONS);
    if (doc) {
        tree_text(t, (const xmlNode *)doc);
        xmlFreeDoc(doc);
    }
}

/* ---- fields ---- */

/* Loose, for a mailto: link later: one @ with text on both sides, nothing that needs quoting. */
static bool email_plausible(const char *s, size_t len)
{
    const char *at = memchr(s, '@', len);
    if (len == 0 || len > FEED_EMAIL_MAX || !at || at == s || at == s + len - 1 ||
        memchr(at + 1, '@', (size_t)(s + len - at - 1))) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7F || strchr("<>()[]\\,;:\"", c)) {
            return false;
        }
    }
    return true;
}

/* A link the card can carry: non-ASCII bytes percent-encoded (IRI to URI), then qr_url_check().
 * Returns NULL with the link in out, or the reason to skip the entry. */
static const char *link_take(loader_t *ld, const text_t *raw, text_t *out)
{
    static const char hex[] = "0123456789ABCDEF";
    if (raw->len == 0) {
        return "no link";
    }
    char url[QR_URL_MAX + 1];
    size_t n = 0;
    for (size_t i = 0; i < raw->len && !raw->cut; i++) {
        unsigned char c = (unsigned char)raw->buf[i];
        size_t need = c < 0x80 ? 1 : 3;
        if (need > QR_URL_MAX - n) {
            break;
        }
        if (c < 0x80) {
            url[n++] = (char)c;
        } else {
            url[n++] = '%';
            url[n++] = hex[c >> 4];
            url[n++] = hex[c & 15];
        }
    }
    url[n] = '\0';
    if (raw->cut || n < raw->len) {
        snprintf(ld->why, sizeof ld->why, "link longer than %d bytes", QR_URL_MAX);
        return ld->why;
    }
    char msg[160];
    if (qr_url_check(url, msg, sizeof msg) < 0) {
        snprintf(ld->why, sizeof ld->why, "link refused: %s", msg);
        return ld->why;
    }
    text_add(out, url, n);
    return NULL;
}

/* The element's date, or 0 when it is missing or does not parse. */
static int64_t date_of(const xmlNode *el)
{
    if (!el) {
        return 0;
    }
    text_t t;
    text_init(&t, DATE_TEXT_MAX);
    text_of(&t, el);
    int64_t v = 0;
    if (t.cut || feed_date_parse(t.buf, &v) < 0) {
        return 0;
    }
    return v;
}

/* ---- Atom ---- */

typedef enum { KIND_TEXT, KIND_HTML, KIND_XHTML, KIND_OTHER } text_kind_t;

/* An Atom text construct's type; content may also name a media type. */
static text_kind_t atom_kind(const xmlNode *el)
{
    text_t type;
    attr_of(&type, ATTR_TEXT_MAX, el, "type");
    const char *s = type.buf;
    if (type.len == 0 || strcasecmp(s, "text") == 0 || strcasecmp(s, "text/plain") == 0) {
        return KIND_TEXT;
    }
    if (strcasecmp(s, "html") == 0 || strcasecmp(s, "text/html") == 0) {
        return KIND_HTML;
    }
    if (strcasecmp(s, "xhtml") == 0 || strcasecmp(s, "application/xhtml+xml") == 0) {
        return KIND_XHTML;
    }
    return KIND_OTHER;
}

static void atom_text(loader_t *ld, text_t *t, const xmlNode *el)
{
    switch (atom_kind(el)) {
    case KIND_TEXT:
        text_of(t, el);
        break;
    case KIND_HTML:
        html_add(ld, t, el);
        break;
    case KIND_XHTML:
        tree_text(t, el);
        break;
    case KIND_OTHER:
        break;
    }
}

/* The first alternate link (rel absent or "alternate"), as Atom entries and RSS atom:link have. */
static const char *atom_link_read(loader_t *ld, const xmlNode *e, text_t *link)
{
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (!is_el(c, NS_ATOM, "link")) {
            continue;
        }
        attr_of(&ld->scratch, ATTR_TEXT_MAX, c, "rel");
        if (ld->scratch.len == 0 || strcmp(ld->scratch.buf, "alternate") == 0) {
            attr_of(&ld->scratch, QR_URL_MAX, c, "href");
            return link_take(ld, &ld->scratch, link);
        }
    }
    return "no link";
}

static const char *atom_entry_read(loader_t *ld, const xmlNode *e, draft_t *d)
{
    const xmlNode *n = child(e, NS_ATOM, "title");
    if (n) {
        atom_text(ld, &d->title, n);
    }
    if (d->title.len == 0) {
        return "no title";
    }
    const char *why = atom_link_read(ld, e, &d->link);
    if (why) {
        return why;
    }
    if ((n = child(e, NS_ATOM, "id"))) {
        text_of(&d->id, n);
    }
    const xmlNode *person = child(e, NS_ATOM, "author");
    if (!person) {
        person = ld->feed_author;
    }
    if (person && (n = child(person, NS_ATOM, "name"))) {
        text_of(&d->author, n);
    }
    if (person && (n = child(person, NS_ATOM, "email"))) {
        text_of(&d->email, n);
    }
    d->date = date_of(child(e, NS_ATOM, "published"));
    if (d->date == 0) {
        d->date = date_of(child(e, NS_ATOM, "updated"));
    }
    if ((n = child(e, NS_ATOM, "summary"))) {
        atom_text(ld, &d->summary, n);
    }
    if (d->summary.len == 0 && (n = child(e, NS_ATOM, "content")) && !has_attr(n, "src")) {
        atom_text(ld, &d->summary, n);
    }
    return NULL;
}

/* ---- RSS 2.0 ---- */

/* RSS <author>: "mail (Name)", "Name <mail>", a bare mail or a bare name. */
static void author_split(const char *s, size_t len, draft_t *d)
{
    const char *lt = memchr(s, '<', len);
    const char *gt = lt ? memchr(lt, '>', (size_t)(s + len - lt)) : NULL;
    if (lt && gt) {
        text_add(&d->author, s, (size_t)(lt - s));
        text_add(&d->email, lt + 1, (size_t)(gt - lt - 1));
        return;
    }
    const char *lp = memchr(s, '(', len), *end = lp;
    while (end && end > s && end[-1] == ' ') {
        end--;
    }
    if (lp && s[len - 1] == ')' && email_plausible(s, (size_t)(end - s))) {
        text_add(&d->email, s, (size_t)(end - s));
        text_add(&d->author, lp + 1, (size_t)(s + len - 1 - (lp + 1)));
        return;
    }
    if (email_plausible(s, len)) {
        text_add(&d->email, s, len);
    } else {
        text_add(&d->author, s, len);
    }
}

static const char *rss_link_read(loader_t *ld, const xmlNode *it, text_t *link)
{
    text_t *raw = &ld->scratch;
    text_init(raw, QR_URL_MAX);
    const xmlNode *n = child(it, NULL, "link");
    if (n) {
        text_of(raw, n);
    }
    if (raw->len == 0 && !raw->cut && (n = child(it, NULL, "guid"))) {
        text_t perma;
        attr_of(&perma, ATTR_TEXT_MAX, n, "isPermaLink");
        if (strcmp(perma.buf, "false") != 0) {
            text_of(raw, n);
        }
    }
    if (raw->len > 0 || raw->cut) {
        return link_take(ld, raw, link);
    }
    return atom_link_read(ld, it, link);
}

static const char *rss_item_read(loader_t *ld, const xmlNode *it, draft_t *d)
{
    const xmlNode *n = child(it, NULL, "title");
    if (n) {
        text_of(&d->title, n);
    }
    if (d->title.len == 0) {
        return "no title";
    }
    const char *why = rss_link_read(ld, it, &d->link);
    if (why) {
        return why;
    }
    if ((n = child(it, NULL, "guid"))) {
        text_of(&d->id, n);
    }
    if ((n = child(it, NULL, "author"))) {
        text_init(&ld->scratch, FEED_TITLE_MAX);
        text_of(&ld->scratch, n);
        if (ld->scratch.len > 0) {
            author_split(ld->scratch.buf, ld->scratch.len, d);
        }
    }
    if (d->author.len == 0 && (n = child(it, NS_DC, "creator"))) {
        text_of(&d->author, n);
    }
    d->date = date_of(child(it, NULL, "pubDate"));
    if (d->date == 0) {
        d->date = date_of(child(it, NS_DC, "date"));
    }
    if ((n = child(it, NULL, "description"))) {
        html_add(ld, &d->summary, n);
    }
    if (d->summary.len == 0 && (n = child(it, NS_CONTENT, "encoded"))) {
        html_add(ld, &d->summary, n);
    }
    return NULL;
}

/* ---- entries into posts ---- */

static void draft_init(draft_t *d)
{
    text_init(&d->id, FEED_ID_MAX);
    text_init(&d->title, FEED_TITLE_MAX);
    text_init(&d->link, QR_URL_MAX);
    text_init(&d->author, FEED_NAME_MAX);
    text_init(&d->email, FEED_EMAIL_MAX);
    text_init(&d->summary, FEED_SUMMARY_MAX);
    d->date = 0;
}

/* Copies the draft's strings into one allocation. Returns 0, or -1 when out of memory. */
static int post_add(feed_t *f, const draft_t *d)
{
    if (f->count == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        cap = cap < FEED_POSTS_MAX ? cap : FEED_POSTS_MAX;
        post_t *p = realloc(f->posts, cap * sizeof *p);
        if (!p) {
            return -1;
        }
        f->posts = p;
        f->cap = cap;
    }
    const text_t *src[] = {&d->id, &d->title, &d->link, &d->author, &d->email, &d->summary};
    post_t *p = &f->posts[f->count];
    const char **dst[] = {&p->pub.id,     &p->pub.title, &p->pub.link,
                          &p->pub.author, &p->pub.email, &p->pub.summary};
    size_t total = 0;
    for (size_t i = 0; i < 6; i++) {
        total += src[i]->len + 1;
    }
    char *w = p->mem = malloc(total);
    if (!w) {
        return -1;
    }
    for (size_t i = 0; i < 6; i++) {
        memcpy(w, src[i]->buf, src[i]->len + 1);
        *dst[i] = w;
        w += src[i]->len + 1;
    }
    p->pub.date = d->date;
    p->order = f->count++;
    return 0;
}

static void skip(loader_t *ld, const char *why)
{
    if (++ld->feed->skipped <= FEED_SKIP_LOG_MAX) {
        log_msg(LOG_WARN, "feed %s: entry %zu skipped: %s", ld->name, ld->entry, why);
    }
}

/* Reads one entry; a malformed one is skipped. Returns 0, or -1 when out of memory. */
static int entry_take(loader_t *ld, const xmlNode *e, bool atom)
{
    draft_t *d = &ld->draft;
    draft_init(d);
    const char *why = atom ? atom_entry_read(ld, e, d) : rss_item_read(ld, e, d);
    if (why) {
        skip(ld, why);
        return 0;
    }
    if (d->id.len == 0 || d->id.cut) {
        text_init(&d->id, FEED_ID_MAX);
        text_add(&d->id, d->link.buf, d->link.len);
    }
    if (d->email.cut || !email_plausible(d->email.buf, d->email.len)) {
        text_init(&d->email, FEED_EMAIL_MAX);
    }
    return post_add(ld->feed, d);
}

static int entries_read(loader_t *ld, const xmlNode *parent, const char *ns, const char *name,
                        bool atom)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (!is_el(c, ns, name)) {
            continue;
        }
        if (ld->feed->count == FEED_POSTS_MAX) {
            ld->ignored++;
            continue;
        }
        ld->entry++;
        if (entry_take(ld, c, atom) < 0) {
            return -1;
        }
    }
    size_t skipped = ld->feed->skipped;
    if (skipped > FEED_SKIP_LOG_MAX) {
        log_msg(LOG_WARN, "feed %s: %zu more entries skipped (%zu in all)", ld->name,
                skipped - FEED_SKIP_LOG_MAX, skipped);
    }
    if (ld->ignored > 0) {
        log_msg(LOG_WARN, "feed %s: only the first %d posts kept; %zu later entries not read",
                ld->name, FEED_POSTS_MAX, ld->ignored);
    }
    return 0;
}

/* ---- the document ---- */

static int title_set(feed_t *f, const text_t *t)
{
    f->title = malloc(t->len + 1);
    if (!f->title) {
        return -1;
    }
    memcpy(f->title, t->buf, t->len + 1);
    return 0;
}

/* "<name>" of an element the input chose, cut short for a message. */
static const char *name_for_message(text_t *t, const xmlNode *n)
{
    text_init(t, 40);
    text_add_str(t, n->name);
    return t->buf;
}

/* Recognises the feed and reads its title and entries. Returns 0, or -1 with err set. */
static int document_read(loader_t *ld, const xmlNode *root, char *err, size_t errlen)
{
    const xmlNode *items = NULL, *n;
    bool atom = is_el(root, NS_ATOM, "feed");
    text_t *title = &ld->title;
    text_init(title, FEED_TITLE_MAX);
    if (atom) {
        items = root;
        ld->feed_author = child(root, NS_ATOM, "author");
        if ((n = child(root, NS_ATOM, "title"))) {
            atom_text(ld, title, n);
        }
    } else if (is_el(root, NULL, "rss")) {
        if (!(items = child(root, NULL, "channel"))) {
            fail(err, errlen, "%s: not an Atom or RSS 2.0 feed: <rss> has no <channel>", ld->name);
            return -1;
        }
        if ((n = child(items, NULL, "title"))) {
            text_of(title, n);
        }
    } else {
        text_t what;
        fail(err, errlen, "%s: not an Atom or RSS 2.0 feed: the root element is <%s>%s", ld->name,
             name_for_message(&what, root),
             xmlStrEqual(root->name, BAD_CAST "feed") ? ", not in the Atom namespace" : "");
        return -1;
    }
    if (title_set(ld->feed, title) < 0 ||
        entries_read(ld, items, atom ? NS_ATOM : NULL, atom ? "entry" : "item", atom) < 0) {
        fail(err, errlen, "%s: out of memory", ld->name);
        return -1;
    }
    return 0;
}

static int post_cmp(const void *a, const void *b)
{
    const post_t *x = a, *y = b;
    if (x->pub.date != y->pub.date) {
        return x->pub.date > y->pub.date ? -1 : 1;
    }
    return x->order < y->order ? -1 : (x->order > y->order);
}

static void xml_fail(const xmlParserCtxt *ctxt, const char *name, char *err, size_t errlen)
{
    const xmlError *e = &ctxt->lastError;
    char msg[200];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "not well-formed");
    msg[strcspn(msg, "\r\n")] = '\0';
    fail(err, errlen, "%s: not XML: line %d: %s", name, e->line, msg);
}

static loader_t *loader_new(const char *name)
{
    loader_t *ld = calloc(1, sizeof *ld);
    if (!ld) {
        return NULL;
    }
    ld->name = name;
    ld->feed = calloc(1, sizeof *ld->feed);
    ld->html = htmlNewParserCtxt();
    if (!ld->feed || !ld->html) {
        htmlFreeParserCtxt(ld->html);
        free(ld->feed);
        free(ld);
        return NULL;
    }
    return ld;
}

static void loader_free(loader_t *ld)
{
    if (ld) {
        htmlFreeParserCtxt(ld->html);
        feed_free(ld->feed);
        free(ld);
    }
}

feed_t *feed_load_memory(const char *data, size_t len, const char *name, char *err, size_t errlen)
{
    name = name ? name : "<memory>";
    if (len == 0 || !data) {
        fail(err, errlen, "%s: empty file", name);
        return NULL;
    }
    if (len > FEED_FILE_MAX) {
        fail(err, errlen, "%s: too big: %zu bytes, at most %u", name, len, FEED_FILE_MAX);
        return NULL;
    }
    pthread_once(&xml_once, xmlInitParser);
    /* The handler is per thread (libxml2's global state is), so other threads are not affected. */
    xmlGenericErrorFunc saved_handler = xmlGenericError;
    void *saved_context = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, xml_silent);

    feed_t *feed = NULL;
    xmlDocPtr doc = NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    loader_t *ld = loader_new(name);
    if (!ctxt || !ld) {
        fail(err, errlen, "%s: out of memory", name);
        goto done;
    }
    doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL, XML_OPTIONS);
    if (!doc) {
        xml_fail(ctxt, name, err, errlen);
        goto done;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) {
        fail(err, errlen, "%s: not XML: no root element", name);
        goto done;
    }
    if (document_read(ld, root, err, errlen) == 0) {
        feed = ld->feed;
        ld->feed = NULL;
        if (feed->count > 1) {
            qsort(feed->posts, feed->count, sizeof *feed->posts, post_cmp);
        }
    }
done:
    loader_free(ld);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    xmlSetGenericErrorFunc(saved_context, saved_handler);
    return feed;
}

/* ---- files ---- */

static void errno_fail(char *err, size_t errlen, const char *path, const char *what, int e)
{
    char msg[128];
    if (strerror_r(e, msg, sizeof msg) != 0) {
        snprintf(msg, sizeof msg, "error %d", e);
    }
    fail(err, errlen, "%s: %s: %s", path, what, msg);
}

/* The whole regular file at most FEED_FILE_MAX bytes; the caller frees it. */
static char *file_read(const char *path, size_t *len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        errno_fail(err, errlen, path, "cannot open", errno);
        return NULL;
    }
    char *buf = NULL;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        errno_fail(err, errlen, path, "cannot stat", errno);
    } else if (!S_ISREG(st.st_mode)) {
        fail(err, errlen, "%s: not a regular file", path);
    } else if (st.st_size > (off_t)FEED_FILE_MAX) {
        fail(err, errlen, "%s: too big: %lld bytes, at most %u", path, (long long)st.st_size,
             FEED_FILE_MAX);
    } else if (!(buf = malloc((size_t)st.st_size + 1))) {
        fail(err, errlen, "%s: out of memory", path);
    } else {
        /* Up to the size fstat() saw: a file that grows meanwhile is read as it was. */
        size_t want = (size_t)st.st_size, got = 0;
        while (got < want) {
            ssize_t n = read(fd, buf + got, want - got);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                errno_fail(err, errlen, path, "cannot read", errno);
                free(buf);
                buf = NULL;
                break;
            }
            if (n == 0) {
                break;
            }
            got += (size_t)n;
        }
        *len = got;
    }
    close(fd);
    return buf;
}

feed_t *feed_load_file(const char *path, char *err, size_t errlen)
{
    if (!path) {
        fail(err, errlen, "(no path): cannot open");
        return NULL;
    }
    size_t len = 0;
    char *data = file_read(path, &len, err, errlen);
    if (!data) {
        return NULL;
    }
    feed_t *feed = feed_load_memory(data, len, path, err, errlen);
    free(data);
    return feed;
}

/* ---- the feed ---- */

void feed_free(feed_t *feed)
{
    if (!feed) {
        return;
    }
    for (size_t i = 0; i < feed->count; i++) {
        free(feed->posts[i].mem);
    }
    free(feed->posts);
    free(feed->title);
    free(feed);
}

const char *feed_title(const feed_t *feed)
{
    return feed && feed->title ? feed->title : "";
}

size_t feed_count(const feed_t *feed)
{
    return feed ? feed->count : 0;
}

size_t feed_skipped(const feed_t *feed)
{
    return feed ? feed->skipped : 0;
}

const feed_post_t *feed_post(const feed_t *feed, size_t i)
{
    return feed && i < feed->count ? &feed->posts[i].pub : NULL;
}

/* ---- dates ---- */

typedef struct when {
    int y, mo, d, h, mi, s;
    int offset_min; /* local time minus UTC */
} when_t;

/* min..max decimal digits at *p into *out; advances *p. Returns the digit count, 0 on failure. */
static int digits(const char **p, int min, int max, int *out)
{
    int v = 0, n = 0;
    while (n < max && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (n < min) {
        return 0;
    }
    *out = v;
    return n;
}

static bool lit(const char **p, char c)
{
    if (**p != c) {
        return false;
    }
    (*p)++;
    return true;
}

static int spaces(const char **p)
{
    int n = 0;
    while (**p == ' ' || **p == '\t') {
        (*p)++;
        n++;
    }
    return n;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool when_valid(const when_t *w)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (w->y < 1900 || w->y > 9999 || w->mo < 1 || w->mo > 12 || w->d < 1) {
        return false;
    }
    int dim = mdays[w->mo - 1] + (w->mo == 2 && is_leap(w->y));
    return w->d <= dim && w->h <= 23 && w->mi <= 59 && w->s <= 60 && w->offset_min > -24 * 60 &&
           w->offset_min < 24 * 60;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t when_epoch(const when_t *w)
{
    return days_from_civil(w->y, w->mo, w->d) * 86400 + (int64_t)w->h * 3600 + (int64_t)w->mi * 60 +
           w->s - (int64_t)w->offset_min * 60;
}

/* "+02:00" or "-0500" (colon as asked) into *offset_min. */
static bool numeric_zone(const char **p, bool colon, int *offset_min)
{
    int sign = **p == '-' ? -1 : 1, h, m;
    if (**p != '+' && **p != '-') {
        return false;
    }
    (*p)++;
    if (!digits(p, 2, 2, &h) || (colon && !lit(p, ':')) || !digits(p, 2, 2, &m) || h > 23 ||
        m > 59) {
        return false;
    }
    *offset_min = sign * (h * 60 + m);
    return true;
}

/* RFC 3339 (and W3CDTF's bare date and minutes without seconds, which dc:date uses). */
static bool rfc3339(const char *p, when_t *w)
{
    if (!digits(&p, 4, 4, &w->y) || !lit(&p, '-') || !digits(&p, 2, 2, &w->mo) || !lit(&p, '-') ||
        !digits(&p, 2, 2, &w->d)) {
        return false;
    }
    if (*p == '\0') {
        return true;
    }
    if (*p != 'T' && *p != 't' && *p != ' ') {
        return false;
    }
    p++;
    if (!digits(&p, 2, 2, &w->h) || !lit(&p, ':') || !digits(&p, 2, 2, &w->mi)) {
        return false;
    }
    if (lit(&p, ':') && !digits(&p, 2, 2, &w->s)) {
        return false;
    }
    if (lit(&p, '.')) {
        int ignored;
        if (!digits(&p, 1, 1, &ignored)) {
            return false;
        }
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    if (!lit(&p, 'Z') && !lit(&p, 'z') && !numeric_zone(&p, true, &w->offset_min)) {
        return false;
    }
    return *p == '\0';
}

/* A run of ASCII letters at *p matching one of names (case-insensitively): its index, or -1.
 * prefix: the run may be longer than 3 letters when its first three match ("Friday"). */
static int word(const char **p, const char *const *names, int count, bool prefix)
{
    size_t n = 0;
    while (n < 16 && (((*p)[n] | 0x20) >= 'a' && ((*p)[n] | 0x20) <= 'z')) {
        n++;
    }
    for (int i = 0; i < count && n > 0; i++) {
        size_t len = strlen(names[i]);
        if ((n == len || (prefix && n > len)) && strncasecmp(*p, names[i], len) == 0) {
            *p += n;
            return i;
        }
    }
    return -1;
}

static bool named_zone(const char **p, int *offset_min)
{
    static const char *const names[] = {"GMT", "UT",  "UTC", "Z",   "EST", "EDT",
                                        "CST", "CDT", "MST", "MDT", "PST", "PDT"};
    static const int hours[] = {0, 0, 0, 0, -5, -4, -6, -5, -7, -6, -8, -7};
    int i = word(p, names, 12, false);
    if (i < 0) {
        return false;
    }
    *offset_min = hours[i] * 60;
    return true;
}

/* RFC 822 / 1123 as RSS pubDate has it: "[Day,] DD Mon YYYY HH:MM[:SS] zone". */
static bool rfc822(const char *p, when_t *w)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    spaces(&p);
    if (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')) {
        if (word(&p, days, 7, true) < 0 || !lit(&p, ',')) {
            return false;
        }
        spaces(&p);
    }
    int n;
    if (!digits(&p, 1, 2, &w->d) || !spaces(&p) || (w->mo = word(&p, months, 12, false) + 1) == 0 ||
        !spaces(&p) || !(n = digits(&p, 2, 4, &w->y)) || n == 3 || !spaces(&p)) {
        return false;
    }
    if (n == 2) {
        w->y += w->y < 50 ? 2000 : 1900;
    }
    if (!digits(&p, 2, 2, &w->h) || !lit(&p, ':') || !digits(&p, 2, 2, &w->mi)) {
        return false;
    }
    if (lit(&p, ':') && !digits(&p, 2, 2, &w->s)) {
        return false;
    }
    if (!spaces(&p) ||
        !(numeric_zone(&p, false, &w->offset_min) || named_zone(&p, &w->offset_min))) {
        return false;
    }
    spaces(&p);
    return *p == '\0';
}

int feed_date_parse(const char *s, int64_t *out)
{
    if (!s) {
        return -1;
    }
    when_t w = {0};
    bool ok = rfc3339(s, &w);
    if (!ok) {
        memset(&w, 0, sizeof w);
        ok = rfc822(s, &w);
    }
    if (!ok || !when_valid(&w)) {
        return -1;
    }
    *out = when_epoch(&w);
    return 0;
}
