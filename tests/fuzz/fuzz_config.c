/* fuzz_config.c - libFuzzer target: the input is a config file, loaded from memory.
 *
 * A refused file must come with a NUL-terminated message naming <fuzz>. An accepted one must
 * hold only what config.h promises: every string NUL-terminated within its array, every number
 * in its documented range, language among languages_offered; and config_text_format() must
 * write it as text that loads back equal (in memory: config_save() adds only fsync'ed file
 * I/O, which would slow the fuzzer to a crawl and is covered by check_config).
 */
#include "likeletter/config.h"
#include "likeletter/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_config: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

static void expect_terminated(const char *s, size_t size, const char *what)
{
    if (!memchr(s, '\0', size)) {
        fail("a string not NUL-terminated within its array", what);
    }
}

static void expect_range(int64_t v, int64_t lo, int64_t hi, const char *what)
{
    if (v < lo || v > hi) {
        fail("a number out of its documented range", what);
    }
}

static void expect_strings(const config_t *c)
{
    expect_terminated(c->printer, sizeof c->printer, "printer");
    expect_terminated(c->feed, sizeof c->feed, "feed");
    for (int i = 0; i < CONFIG_FONTS; i++) {
        expect_terminated(c->fonts[i], sizeof c->fonts[i], "font_N");
    }
    expect_terminated(c->fallback_font, sizeof c->fallback_font, "fallback_font");
    expect_terminated(c->ui_font, sizeof c->ui_font, "ui_font");
    expect_terminated(c->admin_pin_hash, sizeof c->admin_pin_hash, "admin_pin_hash");
    size_t h = strlen(c->admin_pin_hash);
    if (h != 0 && h != CONFIG_PIN_HASH_LEN) {
        fail("admin_pin_hash of a length config.h does not allow", c->admin_pin_hash);
    }
    if (c->feed[0] != '/' || c->fonts[0][0] != '/' || c->ui_font[0] != '/') {
        fail("a relative path accepted", c->feed);
    }
}

static void expect_ranges(const config_t *c)
{
    expect_range(c->print_timeout_ms, 500, 60000, "print_timeout");
    expect_range(c->max_pending_per_session, 1, c->max_pending, "max_pending_per_session");
    expect_range(c->max_pending, 1, 10000, "max_pending");
    expect_range(c->idle_timeout, 15, 3600, "idle_timeout");
    expect_range(c->still_there_seconds, 5, 120, "still_there_seconds");
    expect_range(c->orientation, CONFIG_LANDSCAPE, CONFIG_PORTRAIT, "orientation");
    expect_range(c->card, CARD_A6, CARD_5X7, "card");
    if (c->dpi != 300 && c->dpi != 600) {
        fail("dpi neither 300 nor 600", NULL);
    }
    for (int i = 0; i < CONFIG_INKS; i++) {
        expect_range(c->inks[i], 0, 0xFFFFFF, "ink_N");
    }
    expect_range(c->language_count, 1, CONFIG_LANGS, "language_count");
    bool offered = false;
    for (int32_t i = 0; i < c->language_count; i++) {
        expect_range(c->languages[i], CARD_LANG_EN, CARD_LANG_NL, "languages_offered");
        for (int32_t j = 0; j < i; j++) {
            if (c->languages[j] == c->languages[i]) {
                fail("a language offered twice", NULL);
            }
        }
        offered = offered || c->languages[i] == c->language;
    }
    if (!offered) {
        fail("language not among languages_offered", NULL);
    }
}

static void expect_round_trip(const config_t *c)
{
    static char text[CONFIG_TEXT_MAX];
    static config_t back;
    char err[512];
    size_t len;
    if (config_text_format(c, text, sizeof text, &len, err, sizeof err) < 0) {
        fail("an accepted config cannot be written", err);
    }
    if (config_load_memory(&back, text, len, "<written>", err, sizeof err) < 0) {
        fail("written text does not load", err);
    }
    if (!config_equal(c, &back)) {
        fail("written text loads back different", text);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static config_t c;
    static bool quiet;
    if (!quiet) {
        log_level_set(LOG_ERROR); /* unknown and repeated keys are everyday warnings here */
        quiet = true;
    }
    char err[256];
    memset(err, 'X', sizeof err);
    if (config_load_memory(&c, (const char *)data, size, "<fuzz>", err, sizeof err) < 0) {
        if (!memchr(err, '\0', sizeof err) || strncmp(err, "<fuzz>", 6) != 0) {
            fail("a refused file without a message naming <fuzz>", NULL);
        }
        return 0;
    }
    expect_strings(&c);
    expect_ranges(&c);
    expect_round_trip(&c);
    return 0;
}
