/* check_printer.c - the printer module without a printer: IPP reason keywords and how they are
 * worded for visitors, which driver takes which destination, the "file" driver writing cards into
 * a folder (formats, job ids, lookups, unsafe names), argument checks, and the "ipp" driver
 * bounded by its timeout against a port where nothing listens and a server that never answers.
 * Each test runs in its own forked child with its own temporary directory. Real IPP printers are
 * covered by tests/integration.
 */
#include "likeletter/printer.h"
#include "testutil.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define expect_rc(what, want, got)                                                                 \
    do {                                                                                           \
        int want_ = (want), got_ = (got);                                                          \
        ck_assert_msg(want_ == got_, "%s: expected %d, got %d", (what), want_, got_);              \
    } while (0)

#define expect_str(what, want, got)                                                                \
    ck_assert_msg(strcmp((want), (got)) == 0, "%s: expected \"%s\", got \"%s\"", (what), (want),   \
                  (got))

static void setup(void)
{
    testutil_tmpdir_make("check_printer");
}

/* ---- reason keywords ---- */

static const struct {
    const char *keyword; /* without a suffix */
    uint32_t bit;
} families[] = {
    {"media-empty", PRINTER_REASON_MEDIA_EMPTY},
    {"media-needed", PRINTER_REASON_MEDIA_NEEDED},
    {"input-tray-missing", PRINTER_REASON_MEDIA_NEEDED},
    {"media-jam", PRINTER_REASON_MEDIA_JAM},
    {"cover-open", PRINTER_REASON_COVER_OPEN},
    {"door-open", PRINTER_REASON_COVER_OPEN},
    {"interlock-open", PRINTER_REASON_COVER_OPEN},
    {"marker-supply-empty", PRINTER_REASON_INK_EMPTY},
    {"toner-empty", PRINTER_REASON_INK_EMPTY},
    {"marker-supply-low", PRINTER_REASON_INK_LOW},
    {"toner-low", PRINTER_REASON_INK_LOW},
    {"offline", PRINTER_REASON_OFFLINE},
    {"paused", PRINTER_REASON_OFFLINE},
    {"shutdown", PRINTER_REASON_OFFLINE},
    {"moving-to-paused", PRINTER_REASON_OFFLINE},
    {"connecting-to-device", PRINTER_REASON_UNREACHABLE},
    {"service-unavailable", PRINTER_REASON_UNREACHABLE},
    {"aborted-by-system", PRINTER_REASON_JOB_ABORTED},
    {"job-aborted-by-system", PRINTER_REASON_JOB_ABORTED},
    {"job-canceled-at-device", PRINTER_REASON_JOB_CANCELED},
    {"job-canceled-by-operator", PRINTER_REASON_JOB_CANCELED},
    {"job-canceled-by-user", PRINTER_REASON_JOB_CANCELED},
};
#define FAMILIES ((int)(sizeof families / sizeof families[0]))

/* One family per iteration, bare and with each suffix. */
START_TEST(keyword_family_with_every_suffix)
{
    static const char *const suffixes[] = {"", "-error", "-warning", "-report"};
    for (size_t s = 0; s < 4; s++) {
        char k[96];
        snprintf(k, sizeof k, "%s%s", families[_i].keyword, suffixes[s]);
        uint32_t got = printer_reason_from_keyword(k);
        ck_assert_msg(got == families[_i].bit,
                      "printer_reason_from_keyword(\"%s\"): expected 0x%x, got 0x%x", k,
                      (unsigned)families[_i].bit, (unsigned)got);
    }
}
END_TEST

static void expect_keyword(const char *keyword, uint32_t want)
{
    uint32_t got = printer_reason_from_keyword(keyword);
    ck_assert_msg(got == want, "printer_reason_from_keyword(%s%s%s): expected 0x%x, got 0x%x",
                  keyword ? "\"" : "", keyword ? keyword : "NULL", keyword ? "\"" : "",
                  (unsigned)want, (unsigned)got);
}

START_TEST(keyword_nothing_to_tell)
{
    expect_keyword(NULL, 0);
    expect_keyword("", 0);
    expect_keyword("none", 0);
    expect_keyword("other-report", 0);
    expect_keyword("other-warning", 0);
    expect_keyword("fuser-over-temp-report", 0);
    expect_keyword("fuser-over-temp-warning", 0);
    expect_keyword("-report", 0);
    expect_keyword("-warning", 0);
}
END_TEST

START_TEST(keyword_unknown_error)
{
    expect_keyword("other-error", PRINTER_REASON_OTHER_ERROR);
    expect_keyword("fuser-over-temp-error", PRINTER_REASON_OTHER_ERROR);
    /* Not a keyword we know (media-jam is): an unknown error, not a jam. */
    expect_keyword("media-jammed-error", PRINTER_REASON_OTHER_ERROR);
    /* Only a suffix: no family at all. Either "nothing" or "some error" is defensible; it must
     * not match a family. */
    uint32_t got = printer_reason_from_keyword("-error");
    ck_assert_msg(got == 0 || got == PRINTER_REASON_OTHER_ERROR,
                  "printer_reason_from_keyword(\"-error\"): expected 0 or 0x%x, got 0x%x",
                  (unsigned)PRINTER_REASON_OTHER_ERROR, (unsigned)got);
}
END_TEST

/* The suffix is stripped before the table is searched, so these IPP job-state-reasons
 * (RFC 8011 5.3.8, PWG 5100.7) are found as "document-format" / "document-unprintable". */
START_TEST(keyword_document_errors_abort_the_job)
{
    expect_keyword("document-format-error", PRINTER_REASON_JOB_ABORTED);
    expect_keyword("document-unprintable-error", PRINTER_REASON_JOB_ABORTED);
}
END_TEST

/* ---- reason messages ---- */

static const char *const langs[] = {"en", "de", "nl"};

static const char *message_ok(uint32_t bits, const char *lang)
{
    const char *m = printer_reason_message(bits, lang);
    ck_assert_msg(m != NULL && m[0] != '\0',
                  "printer_reason_message(0x%x, %s): expected a sentence, got %s%s%s",
                  (unsigned)bits, lang ? lang : "NULL", m ? "\"" : "", m ? m : "NULL",
                  m ? "\"" : "");
    return m;
}

START_TEST(message_per_reason_in_three_languages)
{
    uint32_t bit = 1u << _i;
    const char *m[3];
    for (int l = 0; l < 3; l++) {
        m[l] = message_ok(bit, langs[l]);
    }
    for (int a = 0; a < 3; a++) {
        for (int b = a + 1; b < 3; b++) {
            ck_assert_msg(strcmp(m[a], m[b]) != 0,
                          "reason 0x%x: expected different %s and %s messages, both \"%s\"",
                          (unsigned)bit, langs[a], langs[b], m[a]);
        }
    }
    const char *k = printer_reason_keyword(bit);
    ck_assert_msg(k[0] != '\0', "printer_reason_keyword(0x%x): expected a keyword, got \"\"",
                  (unsigned)bit);
}
END_TEST

START_TEST(message_german_has_umlauts)
{
    /* UTF-8 ä ö ü ß Ä Ö Ü */
    static const char *const marks[] = {"\xc3\xa4", "\xc3\xb6", "\xc3\xbc", "\xc3\x9f",
                                        "\xc3\x84", "\xc3\x96", "\xc3\x9c"};
    bool found = false;
    for (int i = 0; i < PRINTER_REASON_COUNT && !found; i++) {
        const char *m = message_ok(1u << i, "de");
        for (size_t j = 0; j < sizeof marks / sizeof marks[0]; j++) {
            found = found || strstr(m, marks[j]) != NULL;
        }
    }
    ck_assert_msg(found, "German messages: expected an umlaut or sharp s in at least one, got "
                         "none (ASCII transliteration?)");
}
END_TEST

START_TEST(message_out_of_paper)
{
    static const char *const word[] = {"paper", "Papier", "papier"};
    for (int l = 0; l < 3; l++) {
        const char *m = message_ok(PRINTER_REASON_MEDIA_EMPTY, langs[l]);
        ck_assert_msg(strstr(m, word[l]) != NULL,
                      "out of paper in %s: expected a message with \"%s\", got \"%s\"", langs[l],
                      word[l], m);
    }
    expect_str("printer_reason_keyword(MEDIA_EMPTY)", "media-empty",
               printer_reason_keyword(PRINTER_REASON_MEDIA_EMPTY));
}
END_TEST

START_TEST(message_other_languages_english)
{
    static const char *const others[] = {"fr", "", "english", "d", "dee", "n"};
    for (int i = 0; i < PRINTER_REASON_COUNT; i++) {
        uint32_t bit = 1u << i;
        const char *en = message_ok(bit, "en");
        expect_str("message with lang NULL", en, message_ok(bit, NULL));
        for (size_t j = 0; j < sizeof others / sizeof others[0]; j++) {
            const char *m = message_ok(bit, others[j]);
            ck_assert_msg(strcmp(en, m) == 0,
                          "reason 0x%x in \"%s\": expected English \"%s\", got \"%s\"",
                          (unsigned)bit, others[j], en, m);
        }
    }
}
END_TEST

START_TEST(message_none_for_no_reason)
{
    for (int l = 0; l < 3; l++) {
        const char *m = printer_reason_message(0, langs[l]);
        ck_assert_msg(m == NULL, "printer_reason_message(0, %s): expected NULL, got \"%s\"",
                      langs[l], m);
    }
    ck_assert_msg(printer_reason_message(0, NULL) == NULL,
                  "printer_reason_message(0, NULL): expected NULL");
    expect_str("printer_reason_keyword(0)", "", printer_reason_keyword(0));
    ck_assert_msg(!printer_reason_needs_person(0),
                  "printer_reason_needs_person(0): expected false");
}
END_TEST

/* The most important of several reasons is the one worded; keyword and needs_person agree. */
START_TEST(message_most_important_wins)
{
    static const struct {
        uint32_t bits, top;
        const char *keyword;
        bool person;
    } cases[] = {
        {PRINTER_REASON_UNREACHABLE | PRINTER_REASON_MEDIA_EMPTY, PRINTER_REASON_UNREACHABLE,
         "unreachable", false},
        {PRINTER_REASON_MEDIA_JAM | PRINTER_REASON_INK_LOW, PRINTER_REASON_MEDIA_JAM, "media-jam",
         true},
        {PRINTER_REASON_INK_LOW, PRINTER_REASON_INK_LOW, "marker-supply-low", false},
        {PRINTER_REASON_INK_LOW | PRINTER_REASON_OFFLINE, PRINTER_REASON_OFFLINE, "offline", true},
        {PRINTER_REASON_INK_LOW | PRINTER_REASON_INK_EMPTY, PRINTER_REASON_INK_EMPTY,
         "marker-supply-empty", true},
        {PRINTER_REASON_INK_LOW | (1u << 20), PRINTER_REASON_INK_LOW, "marker-supply-low", false},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (int l = 0; l < 3; l++) {
            const char *want = message_ok(cases[c].top, langs[l]);
            const char *got = message_ok(cases[c].bits, langs[l]);
            ck_assert_msg(strcmp(want, got) == 0,
                          "message for 0x%x in %s: expected the one for 0x%x \"%s\", got \"%s\"",
                          (unsigned)cases[c].bits, langs[l], (unsigned)cases[c].top, want, got);
        }
        const char *k = printer_reason_keyword(cases[c].bits);
        ck_assert_msg(strcmp(cases[c].keyword, k) == 0,
                      "printer_reason_keyword(0x%x): expected \"%s\", got \"%s\"",
                      (unsigned)cases[c].bits, cases[c].keyword, k);
        bool person = printer_reason_needs_person(cases[c].bits);
        ck_assert_msg(
            person == cases[c].person, "printer_reason_needs_person(0x%x): expected %s, got %s",
            (unsigned)cases[c].bits, cases[c].person ? "true" : "false", person ? "true" : "false");
    }
}
END_TEST

START_TEST(needs_person_per_reason)
{
    static const struct {
        uint32_t bit;
        bool person;
    } cases[] = {
        {PRINTER_REASON_MEDIA_EMPTY, true},  {PRINTER_REASON_MEDIA_NEEDED, true},
        {PRINTER_REASON_MEDIA_JAM, true},    {PRINTER_REASON_COVER_OPEN, true},
        {PRINTER_REASON_INK_EMPTY, true},    {PRINTER_REASON_OFFLINE, true},
        {PRINTER_REASON_INK_LOW, false},     {PRINTER_REASON_UNREACHABLE, false},
        {PRINTER_REASON_JOB_ABORTED, false}, {PRINTER_REASON_JOB_CANCELED, false},
        {PRINTER_REASON_OTHER_ERROR, false},
    };
    ck_assert_int_eq((int)(sizeof cases / sizeof cases[0]), PRINTER_REASON_COUNT);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        bool got = printer_reason_needs_person(cases[c].bit);
        ck_assert_msg(got == cases[c].person,
                      "printer_reason_needs_person(%s): expected %s, got %s",
                      printer_reason_keyword(cases[c].bit), cases[c].person ? "true" : "false",
                      got ? "true" : "false");
        bool in_macro = (cases[c].bit & PRINTER_REASONS_NEED_PERSON) != 0;
        ck_assert_msg(in_macro == cases[c].person,
                      "PRINTER_REASONS_NEED_PERSON for %s: expected %s, got %s",
                      printer_reason_keyword(cases[c].bit), cases[c].person ? "in" : "out",
                      in_macro ? "in" : "out");
    }
}
END_TEST

/* ---- destinations ---- */

/* "%T" in dest stands for the temporary directory. */
static const struct {
    const char *dest;
    const char *driver; /* NULL: printer_open refuses it */
} dests[] = {
    {"file:%T/x", "file"},
    {"file://%T/x", "file"}, /* file:///tmp/... */
    {"file:relative", NULL},
    {"file:", NULL},
    {"file:%T/d?format=png", "file"},
    {"file:%T/d?format=pdf", "file"},
    {"file:%T/d?format=pwg", "file"},
    {"file:%T/d?format=jpg", NULL},
    {"file:%T/d?format=", NULL},
    {"file:%T/d?format=png&x=1", NULL},
    {"ipp://localhost:1/ipp/print", "ipp"},
    {"ipp://printer.example/ipp/print", "ipp"},
    {"ipps://printer.example:631/ipp/print", "ipp"},
    {"ipps://[::1]:8631/ipp/print", "ipp"},
    {"kiosk", "ipp"},
    {"Lobby_Printer-2", "ipp"},
    {"bad name", NULL},
    {"a/b", NULL},
    {"a#b", NULL},
    {"tab\there", NULL},
    {"", "ipp"},
};
#define DESTS ((int)(sizeof dests / sizeof dests[0]))

static void dest_expand(const char *pattern, char *out, size_t len)
{
    const char *t = strstr(pattern, "%T");
    if (t) {
        snprintf(out, len, "%.*s%s%s", (int)(t - pattern), pattern, testutil_tmpdir(), t + 2);
    } else {
        snprintf(out, len, "%s", pattern);
    }
}

/* ---- media sizes ---- */

START_TEST(media_names_give_sizes)
{
    static const struct {
        const char *name;
        double w, h;
    } ok[] = {{"iso_a6_105x148mm", 105, 148},       {"na_index-4x6_4x6in", 101.6, 152.4},
              {"na_5x7_5x7in", 127, 177.8},         {"om_small-photo_100x150mm", 100, 150},
              {"na_letter_8.5x11in", 215.9, 279.4}, {"custom_min_3.5x5in", 88.9, 127}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double w = 0, h = 0;
        ck_assert_msg(printer_media_size_mm(ok[i].name, &w, &h) == 0, "%s: expected a size",
                      ok[i].name);
        ck_assert_msg(fabs(w - ok[i].w) < 1e-9 && fabs(h - ok[i].h) < 1e-9,
                      "%s: expected %gx%g mm, got %gx%g", ok[i].name, ok[i].w, ok[i].h, w, h);
    }
    static const char *const bad[] = {"",
                                      "a6",
                                      "iso_a6",
                                      "iso_a6_105x148",
                                      "iso_a6_105x148cm",
                                      "iso_a6_x148mm",
                                      "iso_a6_105xmm",
                                      "iso_a6_-105x148mm",
                                      "iso_a6_105x148x2mm",
                                      "iso_a6_0x0mm",
                                      "x_1e3x2mm",
                                      "iso_a6_105x1480000000000000000000mm"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double w = -1, h = -1;
        ck_assert_msg(printer_media_size_mm(bad[i], &w, &h) == -1 && w == -1 && h == -1,
                      "\"%s\": expected no size", bad[i]);
    }
    double w, h;
    ck_assert_int_eq(printer_media_size_mm(NULL, &w, &h), -1);
}
END_TEST

static printer_status_t media_status(const char *const *names, int32_t n)
{
    printer_status_t st = {.media_count = n};
    for (int32_t i = 0; i < n; i++) {
        snprintf(st.media[i], sizeof st.media[i], "%s", names[i]);
    }
    return st;
}

START_TEST(media_sizes_taken)
{
    static const char *const office[] = {"na_letter_8.5x11in", "iso_a4_210x297mm",
                                         "iso_dl_110x220mm"};
    printer_status_t st = media_status(office, 3);
    ck_assert_msg(!printer_status_takes(&st, 105, 148), "an office printer: expected no A6");
    ck_assert_msg(printer_status_takes(&st, 297, 210), "an office printer: expected A4 across");

    static const char *const photo[] = {"na_index-4x6_4x6in", "oe_photo-l_3.5x5in",
                                        "iso_a6_105x148mm"};
    st = media_status(photo, 3);
    ck_assert_msg(printer_status_takes(&st, 101.6, 152.4), "expected 4x6");
    ck_assert_msg(printer_status_takes(&st, 152.4, 101.6), "expected 4x6 either way round");
    ck_assert_msg(printer_status_takes(&st, 105.5, 147.2), "expected A6 within 1 mm");
    ck_assert_msg(!printer_status_takes(&st, 127, 177.8), "expected no 5x7");

    static const char *const roll[] = {"custom_min_3x4in", "custom_max_8x12in",
                                       "na_letter_8.5x11in"};
    st = media_status(roll, 3);
    ck_assert_msg(printer_status_takes(&st, 127, 177.8), "a range: expected 5x7 within it");
    ck_assert_msg(printer_status_takes(&st, 177.8, 127), "a range: either way round");
    ck_assert_msg(!printer_status_takes(&st, 60, 90), "a range: expected nothing under its min");
    ck_assert_msg(!printer_status_takes(&st, 210, 297), "a range: expected nothing over its max");
    st = media_status(roll, 1);
    ck_assert_msg(!printer_status_takes(&st, 127, 177.8), "a min alone: expected no range");

    st = media_status(office, 0);
    ck_assert_msg(!printer_status_takes(&st, 105, 148), "an empty list: expected nothing");
    st.media_count = -1;
    ck_assert_msg(printer_status_takes(&st, 105, 148), "not known: expected any size");
}
END_TEST

START_TEST(destination_picks_driver)
{
    char dest[1024];
    dest_expand(dests[_i].dest, dest, sizeof dest);
    printer_t *p = printer_open(dest, 1.0);
    if (!dests[_i].driver) {
        ck_assert_msg(p == NULL, "printer_open(\"%s\"): expected NULL, got driver \"%s\"", dest,
                      p ? printer_driver_name(p) : "");
        return;
    }
    ck_assert_msg(p != NULL, "printer_open(\"%s\"): expected driver \"%s\", got NULL", dest,
                  dests[_i].driver);
    expect_str(dest, dests[_i].driver, printer_driver_name(p));
    expect_str("printer_destination", dest, printer_destination(p));
    printer_close(p);
}
END_TEST

START_TEST(destination_null_is_cups_default)
{
    printer_t *p = printer_open(NULL, 0);
    ck_assert_msg(p != NULL, "printer_open(NULL): expected the CUPS default (ipp), got NULL");
    expect_str("printer_open(NULL) driver", "ipp", printer_driver_name(p));
    expect_str("printer_destination after NULL", "", printer_destination(p));
    printer_close(p);
    printer_close(NULL); /* accepted */
}
END_TEST

START_TEST(destination_too_long)
{
    char dest[700];
    static const char *const prefixes[] = {"", "file:/tmp/", "ipp://localhost/"};
    for (size_t i = 0; i < 3; i++) {
        size_t pre = strlen(prefixes[i]);
        memcpy(dest, prefixes[i], pre);
        memset(dest + pre, 'a', 600 - pre);
        dest[600] = '\0';
        printer_t *p = printer_open(dest, 1.0);
        ck_assert_msg(p == NULL, "printer_open(\"%s...\" of 600 bytes): expected NULL, got \"%s\"",
                      prefixes[i], p ? printer_driver_name(p) : "");
    }
    /* The longest that fits: 511 bytes. */
    memset(dest, 'q', 511);
    dest[511] = '\0';
    printer_t *p = printer_open(dest, 1.0);
    ck_assert_msg(p != NULL, "printer_open(a queue name of 511 bytes): expected ipp, got NULL");
    expect_str("printer_destination of 511 bytes", dest, printer_destination(p));
    printer_close(p);
}
END_TEST

/* ---- the file driver ---- */

/* An RGB gradient, width x height at dpi; free(view.pixels). */
static image_view_t image_make(int32_t width, int32_t height, double dpi)
{
    size_t stride = (size_t)width * 3;
    uint8_t *px = malloc(stride * (size_t)height);
    ck_assert_msg(px != NULL, "malloc of %dx%d RGB: out of memory", (int)width, (int)height);
    for (int32_t y = 0; y < height; y++) {
        for (int32_t x = 0; x < width; x++) {
            uint8_t *d = px + (size_t)y * stride + (size_t)x * 3;
            d[0] = (uint8_t)(x * 255 / width);
            d[1] = (uint8_t)(y * 255 / height);
            d[2] = (uint8_t)((x + y) & 0xFF);
        }
    }
    return (image_view_t){px, width, height, (ptrdiff_t)stride, IMAGE_RGB8, dpi};
}

/* An A6 card at 100 dpi. */
static printer_document_t doc_make(const char *job_name)
{
    printer_document_t d = {.image = image_make(413, 583, 100),
                            .width_mm = 105,
                            .height_mm = 148,
                            .media = "iso_a6_105x148mm",
                            .job_name = job_name};
    return d;
}

static void doc_free(printer_document_t *d)
{
    free((void *)d->image.pixels);
    d->image.pixels = NULL;
}

static printer_t *open_ok(const char *dest)
{
    printer_t *p = printer_open(dest, 1.0);
    ck_assert_msg(p != NULL, "printer_open(\"%s\"): expected a printer, got NULL", dest);
    return p;
}

/* "file:<tmpdir>/<rel><query>" */
static printer_t *open_folder(const char *rel, const char *query)
{
    char dest[1100];
    snprintf(dest, sizeof dest, "file:%s%s", testutil_path(rel), query);
    printer_t *p = open_ok(dest);
    expect_str(dest, "file", printer_driver_name(p));
    return p;
}

static int32_t submit_ok(printer_t *p, const printer_document_t *d)
{
    int32_t id = -7;
    int rc = printer_job_submit(p, d, &id);
    ck_assert_msg(rc == 0, "printer_job_submit(%s, \"%s\"): expected 0, got %d",
                  printer_destination(p), d->job_name, rc);
    ck_assert_msg(id > 0, "job \"%s\": expected an id > 0, got %d", d->job_name, (int)id);
    return id;
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Asserts the file at rel (in the temporary directory) is a document of the kind ext. */
static void expect_document(const char *rel, const char *ext, int32_t width, int32_t height,
                            unsigned dpi)
{
    size_t len = 0;
    uint8_t *b = testutil_file_get(testutil_path(rel), &len);
    if (strcmp(ext, "png") == 0) {
        static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        ck_assert_msg(len > 24 && memcmp(b, sig, 8) == 0,
                      "%s: expected the PNG signature (%zu bytes)", rel, len);
        ck_assert_msg(be32(b + 16) == (uint32_t)width && be32(b + 20) == (uint32_t)height,
                      "%s: expected %dx%d, got %ux%u", rel, (int)width, (int)height,
                      (unsigned)be32(b + 16), (unsigned)be32(b + 20));
    } else if (strcmp(ext, "pdf") == 0) {
        ck_assert_msg(len > 5 && memcmp(b, "%PDF-", 5) == 0, "%s: expected \"%%PDF-\" (%zu bytes)",
                      rel, len);
    } else {
        /* Sync word, then a v2 page header: HWResolution at 4+276, cupsWidth/Height at 4+372. */
        ck_assert_msg(len > 4 + 1796 && memcmp(b, "RaS2", 4) == 0,
                      "%s: expected the PWG sync word \"RaS2\" and a header (%zu bytes)", rel, len);
        ck_assert_msg(be32(b + 280) == dpi && be32(b + 284) == dpi,
                      "%s: expected HWResolution %u, got %ux%u", rel, dpi, (unsigned)be32(b + 280),
                      (unsigned)be32(b + 284));
        ck_assert_msg(be32(b + 376) == (uint32_t)width && be32(b + 380) == (uint32_t)height,
                      "%s: expected cupsWidth x cupsHeight %dx%d, got %ux%u", rel, (int)width,
                      (int)height, (unsigned)be32(b + 376), (unsigned)be32(b + 380));
    }
    free(b);
}

/* 0: PWG (the default), 1: ?format=png, 2: ?format=pdf, 3: ?format=pwg. */
START_TEST(file_writes_each_format)
{
    static const char *const query[] = {"", "?format=png", "?format=pdf", "?format=pwg"};
    static const char *const ext[] = {"pwg", "png", "pdf", "pwg"};
    printer_t *p = open_folder("out", query[_i]);
    printer_document_t d = doc_make("likeletter-1-18f");
    submit_ok(p, &d);
    char rel[64];
    snprintf(rel, sizeof rel, "out/likeletter-1-18f.%s", ext[_i]);
    char names[256];
    int n = testutil_dir_list(testutil_path("out"), names, sizeof names);
    ck_assert_msg(n == 1 && strcmp(names, rel + 4) == 0, "out/: expected only \"%s\", got \"%s\"",
                  rel + 4, names);
    expect_document(rel, ext[_i], 413, 583, 100);
    doc_free(&d);
    printer_close(p);
}
END_TEST

/* A real A6 card at 300 dpi with its media name. */
START_TEST(file_writes_a6_at_300dpi)
{
    printer_t *p = open_folder("out", "");
    printer_document_t d = {.image = image_make(1240, 1748, 300),
                            .width_mm = 105,
                            .height_mm = 148,
                            .media = "iso_a6_105x148mm",
                            .job_name = "card-a6"};
    submit_ok(p, &d);
    expect_document("out/card-a6.pwg", "pwg", 1240, 1748, 300);
    doc_free(&d);
    printer_close(p);
}
END_TEST

static void expect_job(printer_t *p, int32_t id, const char *name)
{
    printer_job_t j;
    memset(&j, 0x5A, sizeof j);
    int rc = printer_job_get(p, id, name, &j);
    ck_assert_msg(rc == 0, "printer_job_get(%d, \"%s\"): expected 0, got %d", (int)id, name, rc);
    ck_assert_msg(j.state == PRINTER_JOB_COMPLETED, "job %d: expected state %d (completed), got %d",
                  (int)id, PRINTER_JOB_COMPLETED, (int)j.state);
    ck_assert_msg(j.id == id, "job %d: expected id %d, got %d", (int)id, (int)id, (int)j.id);
    expect_str("job name", name, j.name);
}

START_TEST(file_job_ids_increase)
{
    printer_t *p = open_folder("out", "?format=png");
    static const char *const names[] = {"card-a", "card-b", "card-c"};
    int32_t ids[3];
    printer_document_t d = doc_make(NULL);
    for (int i = 0; i < 3; i++) {
        d.job_name = names[i];
        ids[i] = submit_ok(p, &d);
        if (i > 0) {
            ck_assert_msg(ids[i] > ids[i - 1], "job ids: expected %d after %d to be larger",
                          (int)ids[i], (int)ids[i - 1]);
        }
    }
    for (int i = 0; i < 3; i++) {
        expect_job(p, ids[i], names[i]);
        printer_job_t j;
        int rc = printer_job_get(p, ids[i], NULL, &j);
        ck_assert_msg(rc == 0 && j.state == PRINTER_JOB_COMPLETED,
                      "printer_job_get(%d, NULL): expected 0 completed, got %d state %d",
                      (int)ids[i], rc, (int)j.state);
        expect_str("job name without expect_name", names[i], j.name);
    }
    doc_free(&d);
    printer_close(p);
}
END_TEST

START_TEST(file_job_get_other_name_or_id_not_found)
{
    printer_t *p = open_folder("out", "");
    printer_document_t d = doc_make("card-a");
    int32_t id = submit_ok(p, &d);
    printer_job_t j;
    expect_rc("printer_job_get(id, \"other-name\")", PRINTER_E_NOT_FOUND,
              printer_job_get(p, id, "other-name", &j));
    ck_assert_msg(j.id == 0 && j.name[0] == '\0',
                  "after NOT_FOUND: expected a zeroed job, got id %d name \"%s\"", (int)j.id,
                  j.name);
    expect_rc("printer_job_get(id + 1)", PRINTER_E_NOT_FOUND,
              printer_job_get(p, id + 1, "card-a", &j));
    expect_rc("printer_job_get(0)", PRINTER_E_NOT_FOUND, printer_job_get(p, 0, NULL, &j));
    expect_rc("printer_job_get(-1)", PRINTER_E_NOT_FOUND, printer_job_get(p, -1, NULL, &j));
    expect_rc("printer_job_get(999)", PRINTER_E_NOT_FOUND, printer_job_get(p, 999, NULL, &j));
    doc_free(&d);
    printer_close(p);
}
END_TEST

static void expect_found(printer_t *p, const char *name)
{
    printer_job_t j;
    memset(&j, 0x5A, sizeof j);
    int rc = printer_job_find(p, name, &j);
    ck_assert_msg(rc == 0, "printer_job_find(\"%s\"): expected 0, got %d", name, rc);
    ck_assert_msg(j.state == PRINTER_JOB_COMPLETED,
                  "printer_job_find(\"%s\"): expected state %d (completed), got %d", name,
                  PRINTER_JOB_COMPLETED, (int)j.state);
    expect_str("found job's name", name, j.name);
}

START_TEST(file_job_find_by_name)
{
    printer_t *p = open_folder("out", "?format=pdf");
    printer_document_t d = doc_make("likeletter-7-abc");
    submit_ok(p, &d);
    expect_found(p, "likeletter-7-abc");
    printer_job_t j;
    expect_rc("printer_job_find(\"likeletter-8-abc\")", PRINTER_E_NOT_FOUND,
              printer_job_find(p, "likeletter-8-abc", &j));
    expect_rc("printer_job_find(\"\")", PRINTER_E_NOT_FOUND, printer_job_find(p, "", &j));
    expect_rc("printer_job_find(NULL)", PRINTER_E_NOT_FOUND, printer_job_find(p, NULL, &j));
    printer_close(p);

    /* After a restart the document on disk still says the job is done. */
    p = open_folder("out", "?format=pdf");
    expect_found(p, "likeletter-7-abc");
    /* Another format's folder view does not see it (.pwg is looked for). */
    printer_close(p);
    p = open_folder("out", "");
    expect_rc("printer_job_find in the PWG view of a PDF folder", PRINTER_E_NOT_FOUND,
              printer_job_find(p, "likeletter-7-abc", &j));
    doc_free(&d);
    printer_close(p);
}
END_TEST

/* No document lands outside the folder, whatever the job is called. */
START_TEST(file_job_names_sanitized)
{
    static const char *const names[] = {
        "../escape",   "a/b",     "..",          "/abs/path",
        "sub/../../x", ".hidden", "..\\..\\win", "J\xc3\xbcrgen-card"};
    printer_t *p = open_folder("out", "");
    printer_document_t d = doc_make(NULL);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        d.job_name = names[i];
        int32_t id = submit_ok(p, &d);
        expect_job(p, id, names[i]);
        expect_found(p, names[i]);
    }
    char list[1024];
    int n = testutil_dir_list(testutil_tmpdir(), list, sizeof list);
    ck_assert_msg(n == 1 && strcmp(list, "out") == 0,
                  "temporary directory: expected only \"out\", got \"%s\"", list);
    n = testutil_dir_list(testutil_path("out"), list, sizeof list);
    ck_assert_msg(n == (int)(sizeof names / sizeof names[0]),
                  "out/: expected %d documents, got %d: \"%s\"",
                  (int)(sizeof names / sizeof names[0]), n, list);
    for (char *w = list; w && *w; w = strchr(w, ' ') ? strchr(w, ' ') + 1 : NULL) {
        ck_assert_msg(w[0] != '.', "out/: expected no hidden or dot names, got \"%s\"", list);
        struct stat st;
        char one[256];
        snprintf(one, sizeof one, "out/%.*s", (int)strcspn(w, " "), w);
        ck_assert_msg(stat(testutil_path(one), &st) == 0 && S_ISREG(st.st_mode),
                      "%s: expected a regular file", one);
    }
    ck_assert_msg(access("/abs/path.pwg", F_OK) != 0, "/abs/path.pwg: expected not to exist");
    doc_free(&d);
    printer_close(p);
}
END_TEST

/* The longest name that fits printer_job_t.name (63 bytes) round-trips. */
START_TEST(file_job_name_of_63_bytes)
{
    char name[64];
    memset(name, 'n', 63);
    name[63] = '\0';
    printer_t *p = open_folder("out", "");
    printer_document_t d = doc_make(name);
    int32_t id = submit_ok(p, &d);
    expect_job(p, id, name);
    expect_found(p, name);
    doc_free(&d);
    printer_close(p);
}
END_TEST

/* A long job name (up to 255 bytes, IPP's limit) is kept whole, so the job just submitted is
 * found under its own name, never taken for another job (which would send the card again). */
START_TEST(file_job_name_of_100_bytes)
{
    char name[101];
    memset(name, 'n', 100);
    name[100] = '\0';
    printer_t *p = open_folder("out", "");
    printer_document_t d = doc_make(name);
    int32_t id = -7;
    int submitted = printer_job_submit(p, &d, &id);
    printer_job_t j = {0};
    int got = submitted == 0 ? printer_job_get(p, id, name, &j) : 0;
    doc_free(&d);
    printer_close(p);
    testutil_tmpdir_remove(); /* a failed test skips the teardown */
    ck_assert_msg(submitted == 0 || submitted == PRINTER_E_INVALID,
                  "printer_job_submit(100-byte name): expected 0 or %d, got %d", PRINTER_E_INVALID,
                  submitted);
    ck_assert_msg(submitted != 0 || (got == 0 && j.state == PRINTER_JOB_COMPLETED),
                  "printer_job_get(%d, its 100-byte name): expected 0 completed, got %d state %d",
                  (int)id, got, (int)j.state);
}
END_TEST

START_TEST(file_folder_made_when_missing)
{
    char dest[1100];
    snprintf(dest, sizeof dest, "file://%s", testutil_path("new"));
    printer_t *p = open_ok(dest);
    struct stat st;
    ck_assert_msg(stat(testutil_path("new"), &st) == 0 && S_ISDIR(st.st_mode),
                  "%s: expected printer_open to make the folder", testutil_path("new"));
    printer_document_t d = doc_make("card");
    submit_ok(p, &d);
    expect_document("new/card.pwg", "pwg", 413, 583, 100);
    doc_free(&d);
    printer_close(p);
    /* An existing folder is fine. */
    printer_close(open_ok(dest));
}
END_TEST

START_TEST(file_folder_under_a_file_refused)
{
    testutil_file_put(testutil_path("plain"), "not a folder\n");
    char dest[1100];
    snprintf(dest, sizeof dest, "file:%s", testutil_path("plain/cards"));
    printer_t *p = printer_open(dest, 1.0);
    ck_assert_msg(p == NULL, "printer_open(\"%s\") under a regular file: expected NULL", dest);
}
END_TEST

/* A destination folder that is an existing regular file is refused at open, not at each job. */
START_TEST(file_folder_that_is_a_file_refused)
{
    testutil_file_put(testutil_path("plain"), "not a folder\n");
    char dest[1100];
    snprintf(dest, sizeof dest, "file:%s", testutil_path("plain"));
    printer_t *p = printer_open(dest, 1.0);
    bool refused = p == NULL;
    printer_close(p);
    testutil_tmpdir_remove(); /* a failed test skips the teardown */
    ck_assert_msg(refused, "printer_open(\"%s\"), a regular file: expected NULL, got a printer",
                  dest);
}
END_TEST

/* The file driver is always ready, and its jobs end at once. */
START_TEST(file_status_idle_cancel_not_found)
{
    printer_t *p = open_folder("out", "");
    printer_status_t st;
    memset(&st, 0x5A, sizeof st);
    expect_rc("printer_status_get(file)", 0, printer_status_get(p, &st));
    ck_assert_msg(st.state == PRINTER_STATE_IDLE && st.reasons == 0,
                  "file status: expected idle (%d) with no reasons, got %d with 0x%x",
                  PRINTER_STATE_IDLE, (int)st.state, (unsigned)st.reasons);
    ck_assert_msg(st.media_count == -1, "file status: expected any size (-1), got %d",
                  (int)st.media_count);
    printer_document_t d = doc_make("card");
    int32_t id = submit_ok(p, &d);
    expect_rc("printer_job_cancel(file job)", PRINTER_E_NOT_FOUND, printer_job_cancel(p, id));
    doc_free(&d);
    printer_close(p);
}
END_TEST

/* A document that cannot be written is an error and leaves nothing behind. */
START_TEST(file_failed_write_leaves_nothing)
{
    printer_t *p = open_folder("out", "");
    printer_document_t d = doc_make("card");
    d.media = "na_index-4x6_4x6in"; /* 4x6 in is not the A6 image: the PWG writer refuses */
    int32_t id = -7;
    int rc = printer_job_submit(p, &d, &id);
    ck_assert_msg(rc < 0, "submitting an A6 image as 4x6 in: expected a PRINTER_E_*, got %d", rc);
    char list[256];
    int n = testutil_dir_list(testutil_path("out"), list, sizeof list);
    ck_assert_msg(n == 0, "out/ after a failed write: expected empty, got \"%s\"", list);
    printer_job_t j;
    expect_rc("printer_job_find after a failed write", PRINTER_E_NOT_FOUND,
              printer_job_find(p, "card", &j));
    doc_free(&d);
    printer_close(p);
}
END_TEST

/* ---- argument checks ---- */

START_TEST(submit_arguments_checked)
{
    printer_t *p = open_folder("out", "");
    printer_document_t good = doc_make("card");
    int32_t id = -7;
    expect_rc("printer_job_submit(NULL doc)", PRINTER_E_INVALID, printer_job_submit(p, NULL, &id));
    ck_assert_msg(id == 0, "job id after a refused submit: expected 0, got %d", (int)id);

    printer_document_t d = good;
    d.job_name = "";
    expect_rc("printer_job_submit(empty job name)", PRINTER_E_INVALID,
              printer_job_submit(p, &d, &id));
    d.job_name = NULL;
    expect_rc("printer_job_submit(NULL job name)", PRINTER_E_INVALID,
              printer_job_submit(p, &d, &id));
    d = good;
    d.image.pixels = NULL;
    expect_rc("printer_job_submit(NULL pixels)", PRINTER_E_INVALID, printer_job_submit(p, &d, &id));
    char list[256];
    int n = testutil_dir_list(testutil_path("out"), list, sizeof list);
    ck_assert_msg(n == 0, "out/ after refused submits: expected empty, got \"%s\"", list);

    /* The same checks come before any network step. */
    printer_t *q = open_ok("ipp://localhost:1/ipp/print");
    expect_rc("printer_job_submit(ipp, NULL doc)", PRINTER_E_INVALID,
              printer_job_submit(q, NULL, &id));
    expect_rc("printer_job_submit(ipp, NULL pixels)", PRINTER_E_INVALID,
              printer_job_submit(q, &d, &id));
    printer_close(q);
    doc_free(&good);
    printer_close(p);
}
END_TEST

/* ---- the ipp driver without a printer ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A TCP socket on 127.0.0.1 with a port of the kernel's choosing; *port says which. */
static int socket_bound(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_msg(fd >= 0, "socket: %s", strerror(errno));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_msg(bind(fd, (struct sockaddr *)&a, sizeof a) == 0, "bind 127.0.0.1:0: %s",
                  strerror(errno));
    socklen_t len = sizeof a;
    ck_assert_msg(getsockname(fd, (struct sockaddr *)&a, &len) == 0, "getsockname: %s",
                  strerror(errno));
    *port = ntohs(a.sin_port);
    return fd;
}

/* A port where nothing listens (bound, read, closed). */
static int port_free(void)
{
    int port;
    close(socket_bound(&port));
    return port;
}

/* A server that takes connections (the kernel completes them) and never reads or answers. */
static int server_hung(int *port)
{
    int fd = socket_bound(port);
    ck_assert_msg(listen(fd, 16) == 0, "listen: %s", strerror(errno));
    return fd;
}

static printer_t *open_ipp(const char *scheme, int port)
{
    char dest[128];
    snprintf(dest, sizeof dest, "%s://localhost:%d/ipp/print", scheme, port);
    printer_t *p = open_ok(dest);
    expect_str(dest, "ipp", printer_driver_name(p));
    return p;
}

#define expect_quick(what, t0, limit)                                                              \
    do {                                                                                           \
        double took_ = now_s() - (t0);                                                             \
        ck_assert_msg(took_ < (limit), "%s: expected under %.1f s, took %.2f s", (what),           \
                      (double)(limit), took_);                                                     \
    } while (0)

static void expect_status_unreachable(printer_t *p, double limit)
{
    printer_status_t st;
    memset(&st, 0x5A, sizeof st);
    double t0 = now_s();
    int rc = printer_status_get(p, &st);
    expect_quick("printer_status_get", t0, limit);
    expect_rc("printer_status_get", PRINTER_E_UNREACHABLE, rc);
    ck_assert_msg(st.state == PRINTER_STATE_UNREACHABLE,
                  "status state: expected %d (unreachable), got %d", PRINTER_STATE_UNREACHABLE,
                  (int)st.state);
    ck_assert_msg(st.reasons == PRINTER_REASON_UNREACHABLE,
                  "status reasons: expected 0x%x (unreachable), got 0x%x",
                  (unsigned)PRINTER_REASON_UNREACHABLE, (unsigned)st.reasons);
}

START_TEST(ipp_nothing_listening_unreachable)
{
    printer_t *p = open_ipp("ipp", port_free());
    expect_status_unreachable(p, 2.5);

    printer_document_t d = doc_make("card");
    int32_t id = -7;
    double t0 = now_s();
    expect_rc("printer_job_submit", PRINTER_E_UNREACHABLE, printer_job_submit(p, &d, &id));
    expect_quick("printer_job_submit", t0, 2.5);
    ck_assert_msg(id == 0, "job id after an unreachable submit: expected 0, got %d", (int)id);

    printer_job_t j;
    t0 = now_s();
    expect_rc("printer_job_find", PRINTER_E_UNREACHABLE, printer_job_find(p, "card", &j));
    expect_quick("printer_job_find", t0, 2.5);
    t0 = now_s();
    expect_rc("printer_job_get", PRINTER_E_UNREACHABLE, printer_job_get(p, 1, "card", &j));
    expect_quick("printer_job_get", t0, 2.5);
    t0 = now_s();
    expect_rc("printer_job_cancel", PRINTER_E_UNREACHABLE, printer_job_cancel(p, 1));
    expect_quick("printer_job_cancel", t0, 2.5);
    doc_free(&d);
    printer_close(p);
}
END_TEST

START_TEST(ipp_hung_server_unreachable)
{
    int port;
    int fd = server_hung(&port);
    printer_t *p = open_ipp("ipp", port);
    expect_status_unreachable(p, 3.0);

    printer_document_t d = doc_make("card");
    int32_t id = -7;
    double t0 = now_s();
    expect_rc("printer_job_submit to a hung server", PRINTER_E_UNREACHABLE,
              printer_job_submit(p, &d, &id));
    expect_quick("printer_job_submit to a hung server", t0, 3.0);
    printer_job_t j;
    t0 = now_s();
    expect_rc("printer_job_get from a hung server", PRINTER_E_UNREACHABLE,
              printer_job_get(p, 1, "card", &j));
    expect_quick("printer_job_get from a hung server", t0, 3.0);
    doc_free(&d);
    printer_close(p);
    close(fd);
}
END_TEST

/* A hung ipps:// printer: the driver sets the timeout before connecting, but libcups 2.4's TLS
 * handshake (GnuTLS) keeps retrying for about 10 s whatever the connection's timeout (measured:
 * 10.0 s with a 1 s timeout). The call must still end, unreachable, well before the worker's
 * patience: under 12 s. */
START_TEST(ipps_hung_server_unreachable)
{
    int port;
    int fd = server_hung(&port);
    printer_t *p = open_ipp("ipps", port);
    expect_status_unreachable(p, 12.0);
    printer_close(p);
    close(fd);
}
END_TEST

static Suite *printer_suite(void)
{
    Suite *s = suite_create("printer");
    TCase *tc = tcase_create("reason keywords map to reasons");
    tcase_add_loop_test(tc, keyword_family_with_every_suffix, 0, FAMILIES);
    tcase_add_test(tc, keyword_nothing_to_tell);
    tcase_add_test(tc, keyword_unknown_error);
    tcase_add_test(tc, keyword_document_errors_abort_the_job);
    suite_add_tcase(s, tc);

    tc = tcase_create("reasons worded for visitors");
    tcase_add_loop_test(tc, message_per_reason_in_three_languages, 0, PRINTER_REASON_COUNT);
    tcase_add_test(tc, message_german_has_umlauts);
    tcase_add_test(tc, message_out_of_paper);
    tcase_add_test(tc, message_other_languages_english);
    tcase_add_test(tc, message_none_for_no_reason);
    tcase_add_test(tc, message_most_important_wins);
    tcase_add_test(tc, needs_person_per_reason);
    suite_add_tcase(s, tc);

    tc = tcase_create("media sizes");
    tcase_add_test(tc, media_names_give_sizes);
    tcase_add_test(tc, media_sizes_taken);
    suite_add_tcase(s, tc);

    tc = tcase_create("destination picks the driver");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_loop_test(tc, destination_picks_driver, 0, DESTS);
    tcase_add_test(tc, destination_null_is_cups_default);
    tcase_add_test(tc, destination_too_long);
    suite_add_tcase(s, tc);

    tc = tcase_create("file driver writes cards into a folder");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_loop_test(tc, file_writes_each_format, 0, 4);
    tcase_add_test(tc, file_writes_a6_at_300dpi);
    tcase_add_test(tc, file_job_ids_increase);
    tcase_add_test(tc, file_job_get_other_name_or_id_not_found);
    tcase_add_test(tc, file_job_find_by_name);
    tcase_add_test(tc, file_job_names_sanitized);
    tcase_add_test(tc, file_job_name_of_63_bytes);
    tcase_add_test(tc, file_job_name_of_100_bytes);
    tcase_add_test(tc, file_status_idle_cancel_not_found);
    tcase_add_test(tc, file_failed_write_leaves_nothing);
    suite_add_tcase(s, tc);

    tc = tcase_create("file driver folder");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, file_folder_made_when_missing);
    tcase_add_test(tc, file_folder_under_a_file_refused);
    tcase_add_test(tc, file_folder_that_is_a_file_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad job arguments refused");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, submit_arguments_checked);
    suite_add_tcase(s, tc);

    /* A hang must fail the test, not stall the run for CK_DEFAULT_TIMEOUT: 20 s each. */
    tc = tcase_create("unreachable printer bounded by the timeout");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, ipp_nothing_listening_unreachable);
    tcase_add_test(tc, ipp_hung_server_unreachable);
    tcase_add_test(tc, ipps_hung_server_unreachable);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(printer_suite());
}
