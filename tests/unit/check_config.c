/* check_config.c - the kiosk's config file: defaults, every key, every bad value, the syntax,
 * hostile bytes, files, saving durably and the admin PIN. Each test runs in its own forked
 * child (Check's default), so redirecting stderr or changing the umask does not leak. */
#include "likeletter/config.h"
#include "likeletter/log.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH_1234                                                                                  \
    "sha256:000102030405060708090a0b0c0d0e0f:"                                                     \
    "bad0b4f7cae08eb7c1b5acc763a8ed25242e2c9173e81f3f624b1fa5303cf6ce"

/* Every key, none at its default. */
static const char FULL[] = "# every key\n"
                           "printer = ipp://printer.local:631/ipp/print\n"
                           "print_timeout = 2.5\n"
                           "max_pending_per_session = 2\n"
                           "max_pending = 50\n"
                           "feed = /srv/likeletter/feed.xml\n"
                           "language = de\n"
                           "languages_offered = de, nl\n"
                           "idle_timeout = 120\n"
                           "still_there_seconds = 20\n"
                           "orientation = portrait\n"
                           "fullscreen = false\n"
                           "card = 5x7\n"
                           "dpi = 600\n"
                           "font_1 = /f/one.otf\n"
                           "font_2 = /f/two.otf\n"
                           "font_3 = /f/three.ttf\n"
                           "fallback_font = /f/fallback.ttf\n"
                           "ui_font = /f/ui.ttf\n"
                           "ink_1 = #112233\n"
                           "ink_2 = blue\n"
                           "ink_3 = black\n"
                           "admin_pin_hash = " HASH_1234 "\n";

static void setup(void)
{
    testutil_tmpdir_make("check_config");
}

#define expect_str(what, want, got)                                                                \
    ck_assert_msg(strcmp((want), (got)) == 0, "%s: expected \"%s\", got \"%s\"", (what), (want),   \
                  (got))
#define expect_int(what, want, got)                                                                \
    ck_assert_msg((long long)(want) == (long long)(got), "%s: expected %lld, got %lld", (what),    \
                  (long long)(want), (long long)(got))

static void load_ok(config_t *c, const char *text)
{
    char err[512] = "";
    int e = config_load_memory(c, text, strlen(text), "t.conf", err, sizeof err);
    ck_assert_msg(e == 0, "loading \"%.200s\": expected 0, got %d: %s", text, e, err);
}

/* Loads text expecting a failure whose message holds want; returns the message. */
static const char *load_fails(const char *text, size_t len, const char *want)
{
    static char err[1024];
    config_t c, def;
    config_defaults(&def);
    memset(err, 'X', sizeof err);
    int e = config_load_memory(&c, text, len, NULL, err, sizeof err);
    ck_assert_msg(e == -1, "loading \"%.200s\": expected -1, got %d", text, e);
    ck_assert_msg(memchr(err, '\0', sizeof err) != NULL, "the message is not NUL-terminated");
    ck_assert_msg(strstr(err, want) != NULL, "message: expected to contain \"%s\", got \"%s\"",
                  want, err);
    ck_assert_msg(config_equal(&c, &def), "after a failed load: expected the defaults");
    return err;
}

/* A string literal, NUL bytes and all. */
#define LOAD_FAILS_LIT(lit, want) load_fails((lit), sizeof(lit) - 1, (want))

/* Sends stderr (where log_msg writes) to a file, for the warnings. */
static void stderr_capture(void)
{
    log_level_set(LOG_WARN);
    int fd = open(testutil_path("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_msg(fd >= 0 && dup2(fd, 2) == 2, "redirecting stderr: %s", strerror(errno));
    close(fd);
}

static char *stderr_text(void)
{
    size_t len;
    return (char *)testutil_file_get(testutil_path("stderr"), &len);
}

/* ---- defaults ---- */

START_TEST(defaults_documented)
{
    config_t c;
    config_defaults(&c);
    expect_str("printer", "", c.printer);
    expect_int("print_timeout_ms", 3000, c.print_timeout_ms);
    expect_int("max_pending_per_session", 1, c.max_pending_per_session);
    expect_int("max_pending", 100, c.max_pending);
    expect_str("feed", LIKELETTER_SAMPLE_FEED, c.feed);
    expect_int("language", CARD_LANG_EN, c.language);
    expect_int("language_count", 3, c.language_count);
    expect_int("languages[0]", CARD_LANG_EN, c.languages[0]);
    expect_int("languages[1]", CARD_LANG_DE, c.languages[1]);
    expect_int("languages[2]", CARD_LANG_NL, c.languages[2]);
    expect_int("idle_timeout", 90, c.idle_timeout);
    expect_int("still_there_seconds", 15, c.still_there_seconds);
    expect_int("orientation", CONFIG_LANDSCAPE, c.orientation);
    expect_int("fullscreen", true, c.fullscreen);
    expect_int("card", CARD_A6, c.card);
    expect_int("dpi", 300, c.dpi);
    expect_str("font_1", "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf",
               c.fonts[0]);
    expect_str("font_2", "/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf",
               c.fonts[1]);
    expect_str("font_3", "/usr/share/fonts/truetype/kristi/Kristi.ttf", c.fonts[2]);
    expect_str("fallback_font", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", c.fallback_font);
    expect_str("ui_font", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", c.ui_font);
    uint32_t black, blue;
    ck_assert_int_eq(card_ink_parse("black", &black), 0);
    ck_assert_int_eq(card_ink_parse("blue", &blue), 0);
    expect_int("ink_1", CARD_INK_DEFAULT, c.inks[0]);
    expect_int("ink_2", black, c.inks[1]);
    expect_int("ink_3", blue, c.inks[2]);
    expect_str("admin_pin_hash", "", c.admin_pin_hash);
    config_t d;
    memset(&d, 0x5A, sizeof d);
    config_defaults(&d);
    ck_assert_msg(memcmp(&c, &d, sizeof c) == 0, "two default configs: expected equal bytes");
}
END_TEST

START_TEST(empty_and_comment_only_files_give_defaults)
{
    static const char *const texts[] = {"", "\n\n", "# nothing\n   # indented\n\t\n", "\r\n"};
    config_t def, c;
    config_defaults(&def);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        load_ok(&c, texts[i]);
        ck_assert_msg(config_equal(&c, &def), "text %zu: expected the defaults", i);
    }
}
END_TEST

/* The example file names every key at its default: uncommenting its "#key = value" lines
 * changes nothing. */
START_TEST(example_file_holds_every_default)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", __FILE__);
    char *tail = strstr(path, "tests/unit/check_config.c");
    ck_assert_msg(tail != NULL, "cannot find the source tree from %s", __FILE__);
    strcpy(tail, "assets/likeletter.conf.example");
    size_t len;
    char *text = (char *)testutil_file_get(path, &len);
    config_t c, def;
    config_defaults(&def);
    char err[512];
    ck_assert_msg(config_load(&c, path, true, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(config_equal(&c, &def), "the example as shipped: expected the defaults");

    /* "#key = value" (no space after '#') are the settings; "# text" is prose. */
    size_t keys = 0;
    for (char *line = text; line; line = strchr(line, '\n')) {
        line += line[0] == '\n';
        if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z') {
            line[0] = ' ';
            keys++;
        }
    }
    expect_int("settings in the example", 23, keys);
    ck_assert_msg(config_load_memory(&c, text, len, path, err, sizeof err) == 0, "%s", err);
    /* The example names the packaged sample feed; a build may point elsewhere. */
    expect_str("feed in the example", "/usr/share/likeletter/sample-feed.xml", c.feed);
    memcpy(c.feed, def.feed, sizeof c.feed);
    ck_assert_msg(config_equal(&c, &def), "the example uncommented: expected the defaults");
    free(text);
}
END_TEST

/* ---- every key ---- */

START_TEST(every_key_parsed)
{
    config_t c;
    load_ok(&c, FULL);
    expect_str("printer", "ipp://printer.local:631/ipp/print", c.printer);
    expect_int("print_timeout_ms", 2500, c.print_timeout_ms);
    expect_int("max_pending_per_session", 2, c.max_pending_per_session);
    expect_int("max_pending", 50, c.max_pending);
    expect_str("feed", "/srv/likeletter/feed.xml", c.feed);
    expect_int("language", CARD_LANG_DE, c.language);
    expect_int("language_count", 2, c.language_count);
    expect_int("languages[0]", CARD_LANG_DE, c.languages[0]);
    expect_int("languages[1]", CARD_LANG_NL, c.languages[1]);
    expect_int("idle_timeout", 120, c.idle_timeout);
    expect_int("still_there_seconds", 20, c.still_there_seconds);
    expect_int("orientation", CONFIG_PORTRAIT, c.orientation);
    expect_int("fullscreen", false, c.fullscreen);
    expect_int("card", CARD_5X7, c.card);
    expect_int("dpi", 600, c.dpi);
    expect_str("font_1", "/f/one.otf", c.fonts[0]);
    expect_str("font_2", "/f/two.otf", c.fonts[1]);
    expect_str("font_3", "/f/three.ttf", c.fonts[2]);
    expect_str("fallback_font", "/f/fallback.ttf", c.fallback_font);
    expect_str("ui_font", "/f/ui.ttf", c.ui_font);
    uint32_t black, blue;
    ck_assert_int_eq(card_ink_parse("black", &black), 0);
    ck_assert_int_eq(card_ink_parse("blue", &blue), 0);
    expect_int("ink_1", 0x112233, c.inks[0]);
    expect_int("ink_2", blue, c.inks[1]);
    expect_int("ink_3", black, c.inks[2]);
    expect_str("admin_pin_hash", HASH_1234, c.admin_pin_hash);
}
END_TEST

/* Values at the edges of their ranges, and the other spellings each key takes. */
START_TEST(edge_values_accepted)
{
    static const struct {
        const char *text;
        size_t offset; /* of the int32_t field checked */
        int32_t want;
    } cases[] = {
        {"print_timeout = 0.5", offsetof(config_t, print_timeout_ms), 500},
        {"print_timeout = 60", offsetof(config_t, print_timeout_ms), 60000},
        {"print_timeout = 1.234", offsetof(config_t, print_timeout_ms), 1234},
        {"print_timeout = 007.50", offsetof(config_t, print_timeout_ms), 7500},
        {"idle_timeout = 15", offsetof(config_t, idle_timeout), 15},
        {"idle_timeout = 3600", offsetof(config_t, idle_timeout), 3600},
        {"still_there_seconds = 5", offsetof(config_t, still_there_seconds), 5},
        {"still_there_seconds = 120", offsetof(config_t, still_there_seconds), 120},
        {"max_pending = 10000", offsetof(config_t, max_pending), 10000},
        {"max_pending = 1", offsetof(config_t, max_pending), 1},
        {"dpi = 300", offsetof(config_t, dpi), 300},
    };
    config_t c;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        load_ok(&c, cases[i].text);
        int32_t got;
        memcpy(&got, (char *)&c + cases[i].offset, sizeof got);
        ck_assert_msg(got == cases[i].want, "\"%s\": expected %d, got %d", cases[i].text,
                      cases[i].want, got);
    }
    load_ok(&c, "fullscreen = no\norientation = landscape");
    ck_assert_msg(!c.fullscreen, "fullscreen = no: expected false");
    load_ok(&c, "fullscreen = on");
    ck_assert_msg(c.fullscreen, "fullscreen = on: expected true");
    load_ok(&c, "languages_offered = nl\nlanguage = nl\ncard = a5");
    expect_int("language_count", 1, c.language_count);
    expect_int("card", CARD_A5, c.card);
    load_ok(&c, "cards_offered = 5x7 , a6\ncard = a6");
    expect_int("card_count", 2, c.card_count);
    expect_int("first card offered", CARD_5X7, c.cards[0]);
    expect_int("second card offered", CARD_A6, c.cards[1]);
    load_ok(&c, "printer = Photo_Printer-2\nink_1 = #abcdef");
    expect_str("printer as a queue", "Photo_Printer-2", c.printer);
    expect_int("ink_1 lower-case hex", 0xABCDEF, c.inks[0]);
    load_ok(&c, "printer = file:/var/spool/cards");
    expect_str("printer as file:", "file:/var/spool/cards", c.printer);
    load_ok(&c, "printer = \"\"");
    expect_str("printer = \"\"", "", c.printer);
}
END_TEST

/* ---- every bad value ---- */

static const struct {
    const char *key;
    const char *value;
} BAD[] = {
    {"printer", "my printer"},
    {"printer", "http://host/ipp"},
    {"printer", "socket://10.0.0.9"},
    {"printer", "file:relative/dir"},
    {"printer", "ipp://"},
    {"printer", "queue/with/slash"},
    {"printer", "a-queue-name-longer-than-cups-allows-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
    {"print_timeout", "0.4"},
    {"print_timeout", "60.001"},
    {"print_timeout", "three"},
    {"print_timeout", ""},
    {"print_timeout", "2.5555"},
    {"print_timeout", "-1"},
    {"print_timeout", "3."},
    {"print_timeout", ".5"},
    {"print_timeout", "1e1"},
    {"print_timeout", "2,5"},
    {"max_pending_per_session", "0"},
    {"max_pending_per_session", "101"},
    {"max_pending_per_session", "one"},
    {"max_pending_per_session", ""},
    {"max_pending", "0"},
    {"max_pending", "10001"},
    {"max_pending", "1.5"},
    {"max_pending", "99999999999999999999"},
    {"feed", ""},
    {"feed", "relative/feed.xml"},
    {"language", "fr"},
    {"language", ""},
    {"language", "EN"},
    {"languages_offered", ""},
    {"languages_offered", "en,en"},
    {"languages_offered", "en,,de"},
    {"languages_offered", "en,"},
    {"languages_offered", "en de"},
    {"languages_offered", "fr"},
    {"languages_offered", "en,de,nl,en"},
    {"idle_timeout", "14"},
    {"idle_timeout", "3601"},
    {"idle_timeout", "ninety"},
    {"idle_timeout", ""},
    {"idle_timeout", "+90"},
    {"still_there_seconds", "4"},
    {"still_there_seconds", "121"},
    {"still_there_seconds", ""},
    {"orientation", "sideways"},
    {"orientation", ""},
    {"fullscreen", "maybe"},
    {"fullscreen", "1"},
    {"fullscreen", ""},
    {"cards_offered", ""},
    {"cards_offered", "a6,a6"},
    {"cards_offered", "a6,,a5"},
    {"cards_offered", "a6,"},
    {"cards_offered", "a6 a5"},
    {"cards_offered", "a4"},
    {"cards_offered", "a6,a5,4x6,5x7,a6"},
    {"card", "a4"},
    {"card", ""},
    {"dpi", "72"},
    {"dpi", "301"},
    {"dpi", "600dpi"},
    {"dpi", ""},
    {"font_1", ""},
    {"font_2", "fonts/x.ttf"},
    {"font_3", "~/x.ttf"},
    {"fallback_font", ""},
    {"ui_font", "DejaVuSans.ttf"},
    {"ink_1", "red"},
    {"ink_2", "#12345"},
    {"ink_3", "#GGGGGG"},
    {"ink_1", ""},
    {"admin_pin_hash", "1234"},
    {"admin_pin_hash", "sha512:000102030405060708090a0b0c0d0e0f:"
                       "bad0b4f7cae08eb7c1b5acc763a8ed25242e2c9173e81f3f624b1fa5303cf6ce"},
    {"admin_pin_hash", "sha256:000102030405060708090a0b0c0d0e:"
                       "bad0b4f7cae08eb7c1b5acc763a8ed25242e2c9173e81f3f624b1fa5303cf6ce"},
    {"admin_pin_hash", "sha256:000102030405060708090a0b0c0d0e0f:"
                       "bad0b4f7cae08eb7c1b5acc763a8ed25242e2c9173e81f3f624b1fa5303cf6"},
    {"admin_pin_hash", "sha256:000102030405060708090a0b0c0d0e0g:"
                       "bad0b4f7cae08eb7c1b5acc763a8ed25242e2c9173e81f3f624b1fa5303cf6ce"},
    {"admin_pin_hash", "sha256:000102030405060708090a0b0c0d0e0f;"
                       "bad0b4f7cae08eb7c1b5acc763a8ed25242e2c9173e81f3f624b1fa5303cf6ce"},
    {"admin_pin_hash", "sha256:000102030405060708090a0b0c0d0e0f:"
                       "bad0b4f7cae08eb7c1b5acc763a8ed25242e2c9173e81f3f624b1fa5303cf6ce0"},
    {"admin_pin_hash", "sha256:000102030405060708090a0b0c0d0e0f:"
                       "bad0b4f7cae08eb7c1b5acc763a8ed25242e2c9173e81f3f624b1fa5303cf6c "},
};

/* Each bad value, on line 2, is refused naming the line, the key, the value and what is
 * accepted ("expected ..."), and leaves the defaults. */
START_TEST(bad_value_refused)
{
    char text[512], want[400];
    snprintf(text, sizeof text, "# line 1\n%s = %s\nidle_timeout = 60\n", BAD[_i].key,
             BAD[_i].value);
    snprintf(want, sizeof want, "<memory>:2: %s = \"%.80s", BAD[_i].key, BAD[_i].value);
    const char *err = load_fails(text, strlen(text), want);
    ck_assert_msg(strstr(err, "expected ") != NULL,
                  "message: expected to say what is accepted, "
                  "got \"%s\"",
                  err);
}
END_TEST

/* A long bad value is shown cut to 80 bytes, on a character boundary. */
START_TEST(long_bad_value_cut)
{
    char text[2048] = "feed = relative";
    for (int i = 0; i < 200; i++) {
        strcat(text, "/ä");
    }
    const char *err = load_fails(text, strlen(text), "<memory>:1: feed = \"relative/ä/ä");
    const char *quote = strchr(err, '"');
    const char *dots = strstr(err, "...\"");
    ck_assert_msg(dots != NULL, "message: expected the value cut with ..., got \"%s\"", err);
    ck_assert_msg(dots - quote - 1 <= 80 && dots - quote - 1 >= 78,
                  "shown value: expected 78..80 bytes, got %td", dots - quote - 1);
    ck_assert_msg(((unsigned char)dots[-1] & 0xC0) != 0xC0,
                  "shown value: expected to end on a character boundary");
}
END_TEST

START_TEST(cross_checks)
{
    const char *t = "languages_offered = en, nl\nlanguage = de\n";
    load_fails(t, strlen(t), "<memory>:2: language = \"de\" is not among languages_offered");
    t = "cards_offered = 4x6\ncard = a6\n";
    load_fails(t, strlen(t), "<memory>:2: card = \"a6\" is not among cards_offered");
    t = "language = de\nlanguages_offered = nl\n";
    load_fails(t, strlen(t), "<memory>:2: language = \"de\" is not among");
    t = "max_pending = 2\nmax_pending_per_session = 5\n";
    load_fails(t, strlen(t), "<memory>:2: max_pending_per_session = 5 is more than max_pending");
    t = "max_pending_per_session = 3\nmax_pending = 2\n# end\n";
    load_fails(t, strlen(t), "<memory>:2: max_pending_per_session = 3 is more than");
}
END_TEST

/* ---- unknown and repeated keys ---- */

START_TEST(unknown_key_warned_and_ignored)
{
    stderr_capture();
    config_t c, def;
    config_defaults(&def);
    load_ok(&c, "# newer kiosk\nscreen_saver = stars\n");
    ck_assert_msg(config_equal(&c, &def), "after an unknown key: expected the defaults");
    char *log = stderr_text();
    ck_assert_msg(strstr(log, "t.conf:2: unknown key \"screen_saver\"") != NULL,
                  "log: expected \"t.conf:2: unknown key \\\"screen_saver\\\"\", got \"%s\"", log);
    free(log);
}
END_TEST

START_TEST(duplicate_key_last_wins)
{
    stderr_capture();
    config_t c;
    load_ok(&c, "idle_timeout = 60\n\nidle_timeout = 300\n");
    expect_int("idle_timeout", 300, c.idle_timeout);
    char *log = stderr_text();
    ck_assert_msg(strstr(log, "t.conf:3: idle_timeout was already set on line 1") != NULL,
                  "log: expected the repeat named, got \"%s\"", log);
    free(log);
}
END_TEST

/* ---- syntax ---- */

START_TEST(comments_blanks_crlf_quotes)
{
    config_t c;
    load_ok(&c, "# comment = not a setting\r\n"
                "\r\n"
                "   \t# indented comment\r\n"
                "\tidle_timeout\t=\t45   \r\n"
                "feed=/srv/feed.xml\r\n"
                "font_1 = \"/f/trailing space.ttf \"\r\n"
                "font_2 = \"/f/quote\"inside.ttf\"\r\n"
                "font_3 = /f/hash#and=equals.ttf\r\n"
                "ink_1 = #102030 \r\n"
                "printer = \"\"");
    expect_int("idle_timeout with tabs and CRLF", 45, c.idle_timeout);
    expect_str("feed without spaces around =", "/srv/feed.xml", c.feed);
    expect_str("quoted value keeps its trailing space", "/f/trailing space.ttf ", c.fonts[0]);
    expect_str("quotes inside a quoted value", "/f/quote\"inside.ttf", c.fonts[1]);
    expect_str("# and = inside a value", "/f/hash#and=equals.ttf", c.fonts[2]);
    expect_int("ink_1 with a trailing space", 0x102030, c.inks[0]);
    expect_str("printer = \"\"", "", c.printer);
}
END_TEST

START_TEST(syntax_errors_named)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"# ok\njust some words\n", "<memory>:2: \"just some words\": expected key = value"},
        {"= 5\n", "<memory>:1: \"\" is not a key"},
        {"idle timeout = 5\n", "<memory>:1: \"idle timeout\" is not a key"},
        {"feed = \"/srv/feed.xml\n", "<memory>:1: feed: the value's opening quote is never"},
        {"feed = \"\n", "<memory>:1: feed: the value's opening quote"},
        {"\n\nfeed = /srv/a\x1b[2Jb\n", "<memory>:3: feed: a control character"},
        {"feed = /srv/a\rb\n", "<memory>:1: feed: a control character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        load_fails(cases[i].text, strlen(cases[i].text), cases[i].want);
    }
}
END_TEST

/* ---- hostile bytes ---- */

START_TEST(over_long_line)
{
    size_t n = CONFIG_LINE_MAX + 20;
    char *text = malloc(n + 1);
    ck_assert_ptr_nonnull(text);
    memset(text, '#', n);
    text[0] = '\n';
    text[1] = '\n';
    text[n] = '\0';
    /* Exactly CONFIG_LINE_MAX bytes (plus CRLF) is fine; one more is not. */
    text[2 + CONFIG_LINE_MAX] = '\r';
    text[3 + CONFIG_LINE_MAX] = '\n';
    config_t c;
    load_ok(&c, text);
    text[2 + CONFIG_LINE_MAX] = '#';
    text[3 + CONFIG_LINE_MAX] = '\n';
    load_fails(text, strlen(text), "<memory>:3: the line is 4097 bytes long; at most 4096");
    free(text);
}
END_TEST

START_TEST(nul_byte)
{
    static const char text[] = "# one\nfeed = /srv/a\0b\n";
    load_fails(text, sizeof text - 1, "<memory>:2: a NUL byte at column 14");
}
END_TEST

START_TEST(invalid_utf8)
{
    LOAD_FAILS_LIT("feed = /srv/\xc3\x28\n", "<memory>:1: invalid UTF-8 at column 13");
    LOAD_FAILS_LIT("\n# caf\xe9 in a comment\n", "<memory>:2: invalid UTF-8 at column 6");
    LOAD_FAILS_LIT("feed = /srv/\xed\xa0\x80\n", "<memory>:1: invalid UTF-8"); /* surrogate */
    config_t c;
    load_ok(&c, "feed = /srv/Grüße/“feed”.xml\n");
    expect_str("feed in UTF-8", "/srv/Grüße/“feed”.xml", c.feed);
}
END_TEST

START_TEST(file_too_large)
{
    size_t n = CONFIG_FILE_MAX + 1;
    char *text = malloc(n);
    ck_assert_ptr_nonnull(text);
    memset(text, '\n', n);
    load_fails(text, n, "<memory>: 262145 bytes; a config file may have at most 262144");
    testutil_file_write(testutil_path("big.conf"), text, n);
    char err[512];
    config_t c;
    ck_assert_msg(config_load(&c, testutil_path("big.conf"), false, err, sizeof err) == -1,
                  "a file over 256 KiB: expected -1");
    ck_assert_msg(strstr(err, "big.conf: 262145 bytes") != NULL,
                  "message: expected the size named, got \"%s\"", err);
    /* Exactly the limit is fine. */
    testutil_file_write(testutil_path("big.conf"), text, n - 1);
    ck_assert_msg(config_load(&c, testutil_path("big.conf"), true, err, sizeof err) == 0,
                  "a file of exactly 256 KiB: expected 0, got \"%s\"", err);
    free(text);
}
END_TEST

/* FULL cut at every offset loads or fails with a message naming the file; never crashes. */
START_TEST(truncated_at_every_offset)
{
    size_t len = (size_t)_i;
    char *copy = malloc(len ? len : 1); /* exactly len bytes: ASan sees any read past them */
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, FULL, len);
    char err[512] = "";
    config_t c;
    int e = config_load_memory(&c, copy, len, "cut.conf", err, sizeof err);
    ck_assert_msg(e == 0 || (e == -1 && strncmp(err, "cut.conf:", 9) == 0),
                  "cut at %zu: expected 0, or -1 with a message naming cut.conf; got %d \"%s\"",
                  len, e, err);
    free(copy);
}
END_TEST

/* ---- files ---- */

START_TEST(missing_file)
{
    config_t c, def;
    config_defaults(&def);
    char err[512];
    const char *path = testutil_path("nope.conf");
    ck_assert_msg(config_load(&c, path, false, err, sizeof err) == 0,
                  "a missing file, !must_exist: expected 0, got \"%s\"", err);
    ck_assert_msg(config_equal(&c, &def), "a missing file: expected the defaults");
    ck_assert_msg(config_load(&c, path, true, err, sizeof err) == -1,
                  "a missing file, must_exist: expected -1");
    ck_assert_msg(strstr(err, "nope.conf: cannot open: No such file") != NULL,
                  "message: expected the file and the cause, got \"%s\"", err);
}
END_TEST

START_TEST(directory_refused)
{
    config_t c;
    char err[512];
    for (int must = 0; must < 2; must++) {
        ck_assert_msg(config_load(&c, testutil_tmpdir(), must, err, sizeof err) == -1,
                      "a directory (must_exist %d): expected -1", must);
        ck_assert_msg(strstr(err, "a directory") != NULL,
                      "message: expected \"a directory\", got \"%s\"", err);
    }
}
END_TEST

START_TEST(file_errors_named)
{
    testutil_file_put(testutil_path("x.conf"), "# ok\n\ndpi = 301\n");
    config_t c;
    char err[512];
    ck_assert_int_eq(config_load(&c, testutil_path("x.conf"), true, err, sizeof err), -1);
    char want[600];
    snprintf(want, sizeof want, "%s:3: dpi = \"301\": expected 300 or 600",
             testutil_path("x.conf"));
    expect_str("message", want, err);
    /* A small buffer gets a cut, terminated message. */
    char small[8];
    ck_assert_int_eq(config_load(&c, testutil_path("x.conf"), true, small, sizeof small), -1);
    ck_assert_msg(strlen(small) == sizeof small - 1, "small buffer: expected 7 bytes, got \"%s\"",
                  small);
    ck_assert_int_eq(config_load(&c, testutil_path("x.conf"), true, NULL, 0), -1);
}
END_TEST

/* ---- saving ---- */

static void expect_round_trip(const config_t *c, const char *name)
{
    const char *path = testutil_path(name);
    ck_assert_msg(config_save(c, path) == 0, "config_save(%s): expected 0", name);
    config_t back;
    char err[512];
    ck_assert_msg(config_load(&back, path, true, err, sizeof err) == 0, "reading back: %s", err);
    if (!config_equal(c, &back)) {
        size_t len;
        char *text = (char *)testutil_file_get(path, &len);
        ck_abort_msg("%s: expected to read back equal; the file:\n%s", name, text);
    }
}

START_TEST(save_round_trip)
{
    config_t c;
    config_defaults(&c);
    expect_round_trip(&c, "defaults.conf");
    load_ok(&c, FULL);
    expect_round_trip(&c, "full.conf");
    /* Strings that need quotes, odd characters, every numeric edge. */
    snprintf(c.fonts[0], sizeof c.fonts[0], "/f/trailing space ");
    snprintf(c.fonts[1], sizeof c.fonts[1], "/f/tab\tend\t");
    snprintf(c.fonts[2], sizeof c.fonts[2], "/f/\"quoted\"");
    snprintf(c.feed, sizeof c.feed, "/srv/#feed=1.xml");
    c.printer[0] = '\0';
    memset(c.ui_font, 'u', sizeof c.ui_font - 1);
    c.ui_font[0] = '/';
    c.ui_font[sizeof c.ui_font - 1] = '\0';
    c.print_timeout_ms = 1230;
    c.inks[2] = 0x000001;
    c.languages[0] = CARD_LANG_NL;
    c.languages[1] = CARD_LANG_EN;
    c.languages[2] = CARD_LANG_DE;
    c.language_count = 3;
    c.language = CARD_LANG_EN;
    expect_round_trip(&c, "odd.conf");
    c.print_timeout_ms = 500;
    c.admin_pin_hash[0] = '\0';
    expect_round_trip(&c, "edge.conf");
}
END_TEST

static void expect_mode_0600(const char *path)
{
    struct stat st;
    ck_assert_msg(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
    ck_assert_msg((st.st_mode & 07777) == 0600, "%s: expected mode 0600, got %04o", path,
                  (unsigned)(st.st_mode & 07777));
}

START_TEST(save_durable_0600)
{
    umask(0); /* 0600 by itself, not thanks to the umask */
    config_t c;
    config_defaults(&c);
    const char *path = testutil_path("likeletter.conf");
    ck_assert_int_eq(config_save(&c, path), 0);
    expect_mode_0600(path);
    testutil_expect_dir_holds_only("likeletter.conf", "config_save");
    /* Replacing an existing, world-readable file makes it private too. */
    chmod(path, 0644);
    c.idle_timeout = 300;
    ck_assert_int_eq(config_save(&c, path), 0);
    expect_mode_0600(path);
    testutil_expect_dir_holds_only("likeletter.conf", "config_save over a file");
    config_t back;
    char err[512];
    ck_assert_msg(config_load(&back, path, true, err, sizeof err) == 0, "%s", err);
    expect_int("idle_timeout read back", 300, back.idle_timeout);
}
END_TEST

START_TEST(save_refuses_bad_settings)
{
    stderr_capture(); /* its file lives in the temporary directory: save into cfg/ */
    ck_assert_int_eq(mkdir(testutil_path("cfg"), 0700), 0);
    const char *path = testutil_path("cfg/likeletter.conf");
    testutil_file_put(path, "precious");
    config_t c;
    config_defaults(&c);
    c.idle_timeout = 5;
    ck_assert_msg(config_save(&c, path) == -1, "idle_timeout 5: expected -1");
    config_defaults(&c);
    memset(c.feed, 'x', sizeof c.feed); /* not NUL-terminated */
    ck_assert_msg(config_save(&c, path) == -1, "an unterminated feed: expected -1");
    config_defaults(&c);
    c.orientation = (config_orientation_t)7;
    ck_assert_msg(config_save(&c, path) == -1, "orientation 7: expected -1");
    config_defaults(&c);
    snprintf(c.feed, sizeof c.feed, "/srv/two\nlines");
    ck_assert_msg(config_save(&c, path) == -1, "a line break in feed: expected -1");
    testutil_expect_file_text(path, "precious");
    char names[256];
    int n = testutil_dir_list(testutil_path("cfg"), names, sizeof names);
    ck_assert_msg(n == 1 && strcmp(names, "likeletter.conf") == 0,
                  "after refused saves: expected only likeletter.conf in cfg/, found \"%s\"",
                  names);
    char *log = stderr_text();
    ck_assert_msg(strstr(log, "idle_timeout = \"5\"") != NULL,
                  "log: expected the refused setting named, got \"%s\"", log);
    free(log);
}
END_TEST

START_TEST(save_failure_leaves_nothing)
{
    config_t c;
    config_defaults(&c);
    ck_assert_msg(config_save(&c, testutil_path("no/such/dir.conf")) == -1,
                  "saving into a missing directory: expected -1");
    ck_assert_int_eq(mkdir(testutil_path("adir"), 0755), 0);
    ck_assert_msg(config_save(&c, testutil_path("adir")) == -1,
                  "saving over a directory: expected -1");
    testutil_expect_dir_holds_only("adir", "failed saves");
}
END_TEST

START_TEST(text_format_small_buffer)
{
    config_t c;
    config_defaults(&c);
    char buf[CONFIG_TEXT_MAX], err[256];
    size_t len;
    ck_assert_int_eq(config_text_format(&c, buf, sizeof buf, &len, err, sizeof err), 0);
    expect_int("length", strlen(buf), len);
    for (size_t n = 0; n < len + 1; n += 7) {
        ck_assert_msg(config_text_format(&c, buf, n, &len, err, sizeof err) == -1,
                      "a buffer of %zu bytes: expected -1", n);
    }
}
END_TEST

/* ---- the admin PIN ---- */

static bool lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return false;
        }
    }
    return true;
}

START_TEST(pin_hash_format)
{
    char h[CONFIG_PIN_HASH_LEN + 1];
    ck_assert_int_eq(config_pin_hash("1234", h, sizeof h), 0);
    expect_int("length", CONFIG_PIN_HASH_LEN, strlen(h));
    ck_assert_msg(strncmp(h, "sha256:", 7) == 0 && h[39] == ':' && lower_hex(h + 7, 32) &&
                      lower_hex(h + 40, 64),
                  "expected sha256:<32 hex>:<64 hex>, got \"%s\"", h);
    /* The file accepts what config_pin_hash() makes. */
    char text[256];
    snprintf(text, sizeof text, "admin_pin_hash = %s\n", h);
    config_t c;
    load_ok(&c, text);
    expect_str("admin_pin_hash", h, c.admin_pin_hash);
    char small[CONFIG_PIN_HASH_LEN];
    ck_assert_msg(config_pin_hash("1234", small, sizeof small) == -1,
                  "a %zu-byte buffer: expected -1", sizeof small);
}
END_TEST

START_TEST(pin_check_right_and_wrong)
{
    config_t c;
    config_defaults(&c);
    ck_assert_msg(!config_pin_check(&c, "1234"), "no hash set: expected no access");
    ck_assert_int_eq(config_pin_hash("246810", c.admin_pin_hash, sizeof c.admin_pin_hash), 0);
    ck_assert_msg(config_pin_check(&c, "246810"), "the right PIN: expected true");
    static const char *const wrong[] = {"246811", "24681", "2468100", "", "0246810", "abcdef"};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        ck_assert_msg(!config_pin_check(&c, wrong[i]), "PIN \"%s\": expected false", wrong[i]);
    }
    ck_assert_msg(!config_pin_check(&c, NULL), "PIN NULL: expected false");
}
END_TEST

/* SHA-256 over the salt bytes 00..0f then "1234", as computed independently (Python hashlib). */
START_TEST(pin_known_vector)
{
    config_t c;
    load_ok(&c, "admin_pin_hash = " HASH_1234);
    ck_assert_msg(config_pin_check(&c, "1234"), "the documented vector: expected \"1234\"");
    ck_assert_msg(!config_pin_check(&c, "4321"), "the documented vector: \"4321\" must fail");
    /* Upper-case hex is read, and kept lower-case. */
    char upper[256] = "admin_pin_hash = sha256:000102030405060708090A0B0C0D0E0F:"
                      "BAD0B4F7CAE08EB7C1B5ACC763A8ED25242E2C9173E81F3F624B1FA5303CF6CE";
    load_ok(&c, upper);
    expect_str("admin_pin_hash lower-cased", HASH_1234, c.admin_pin_hash);
    ck_assert_msg(config_pin_check(&c, "1234"), "upper-case hash: expected \"1234\"");
}
END_TEST

START_TEST(pin_salts_differ)
{
    char a[CONFIG_PIN_HASH_LEN + 1], b[CONFIG_PIN_HASH_LEN + 1];
    ck_assert_int_eq(config_pin_hash("0000", a, sizeof a), 0);
    ck_assert_int_eq(config_pin_hash("0000", b, sizeof b), 0);
    ck_assert_msg(strncmp(a, b, 39) != 0,
                  "two hashes of one PIN: expected different salts, got "
                  "\"%s\" twice",
                  a);
    ck_assert_msg(strcmp(a + 40, b + 40) != 0, "two hashes of one PIN: expected different digests");
}
END_TEST

START_TEST(bad_pins_refused)
{
    static const char *const bad[] = {"12",    "123",
                                      "abcd",  "1234567890123",
                                      "",      "12 34",
                                      "1234 ", "\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4",
                                      "+1234", "12345678901234567890"};
    char h[CONFIG_PIN_HASH_LEN + 1];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(h, 'X', sizeof h);
        ck_assert_msg(config_pin_hash(bad[i], h, sizeof h) == -1, "PIN \"%s\": expected -1",
                      bad[i]);
        expect_str("hash of a refused PIN", "", h);
    }
    ck_assert_msg(config_pin_hash(NULL, h, sizeof h) == -1, "PIN NULL: expected -1");
    ck_assert_int_eq(config_pin_hash("123456789012", h, sizeof h), 0); /* 12 digits: fine */
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("defaults");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, defaults_documented);
    tcase_add_test(tc, empty_and_comment_only_files_give_defaults);
    tcase_add_test(tc, example_file_holds_every_default);
    suite_add_tcase(s, tc);

    tc = tcase_create("every key parsed");
    tcase_add_test(tc, every_key_parsed);
    tcase_add_test(tc, edge_values_accepted);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad values refused");
    tcase_add_loop_test(tc, bad_value_refused, 0, (int)(sizeof BAD / sizeof BAD[0]));
    tcase_add_test(tc, long_bad_value_cut);
    tcase_add_test(tc, cross_checks);
    suite_add_tcase(s, tc);

    tc = tcase_create("unknown and repeated keys");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, unknown_key_warned_and_ignored);
    tcase_add_test(tc, duplicate_key_last_wins);
    suite_add_tcase(s, tc);

    tc = tcase_create("syntax");
    tcase_add_test(tc, comments_blanks_crlf_quotes);
    tcase_add_test(tc, syntax_errors_named);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile bytes");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, over_long_line);
    tcase_add_test(tc, nul_byte);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, file_too_large);
    tcase_add_loop_test(tc, truncated_at_every_offset, 0, (int)sizeof FULL);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, directory_refused);
    tcase_add_test(tc, file_errors_named);
    suite_add_tcase(s, tc);

    tc = tcase_create("durable save");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, save_round_trip);
    tcase_add_test(tc, save_durable_0600);
    tcase_add_test(tc, save_refuses_bad_settings);
    tcase_add_test(tc, save_failure_leaves_nothing);
    tcase_add_test(tc, text_format_small_buffer);
    suite_add_tcase(s, tc);

    tc = tcase_create("admin PIN");
    tcase_add_test(tc, pin_hash_format);
    tcase_add_test(tc, pin_check_right_and_wrong);
    tcase_add_test(tc, pin_known_vector);
    tcase_add_test(tc, pin_salts_differ);
    tcase_add_test(tc, bad_pins_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(config_suite());
}
