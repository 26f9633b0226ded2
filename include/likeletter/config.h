/* config.h - what the community manager and the admin set for the kiosk: one flat file of
 * "key = value" lines (paths.h says where it lives; assets/likeletter.conf.example lists every
 * key with its default and what it accepts).
 *
 * Format: UTF-8 text; a line whose first non-blank character is '#' is a comment; blank lines
 * are skipped; CRLF line ends are accepted. Around the key, the '=' and the value, spaces and
 * tabs are dropped; a value in double quotes ("...", up to the line's last '"') keeps its
 * leading and trailing spaces verbatim. A '#' after the '=' is part of the value ("#1B2A4A").
 * An unknown key is logged as a warning and skipped (an older kiosk reads a newer file); a key
 * given twice is logged, and the last one wins. Anything else fails the load with a message
 * naming FILE:LINE, the key, the value (cut to 80 bytes) and what is accepted: a bad value, a
 * line without '=', a line over CONFIG_LINE_MAX bytes, a NUL byte, invalid UTF-8, a file over
 * CONFIG_FILE_MAX bytes. Numbers are parsed by hand, never with the C locale functions, so a
 * German locale set for gettext does not change what "2.5" means.
 *
 * Ownership: config_t is a plain value struct (strings in fixed arrays, always NUL-terminated);
 * copy it freely. Errors: functions taking err write an English message there (NUL-terminated,
 * truncated to errlen; err may be NULL) and log nothing; config_save() logs its failures, once.
 * Warnings (unknown or repeated keys) go to log_msg(LOG_WARN). Threads: every function is
 * reentrant; a config_t may be read by many threads while none writes it.
 */
#ifndef LIKELETTER_CONFIG_H
#define LIKELETTER_CONFIG_H

#include "likeletter/card.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_PATH_MAX 1024        /* bytes of a path or printer, NUL included */
#define CONFIG_LINE_MAX 4096        /* longest line, bytes, line end excluded */
#define CONFIG_FILE_MAX (256 << 10) /* largest file, bytes */
#define CONFIG_TEXT_MAX 16384       /* config_text_format() never needs more, NUL included */
#define CONFIG_FONTS 3              /* handwriting choices */
#define CONFIG_INKS 3               /* ink choices */
#define CONFIG_LANGS 3              /* en, de, nl */
#define CONFIG_CARDS 4              /* a6, a5, 4x6, 5x7 */
#define CONFIG_PIN_MIN 4            /* PIN length in ASCII digits */
#define CONFIG_PIN_MAX 12
#define CONFIG_PIN_HASH_LEN 104 /* "sha256:" + 32 hex (salt) + ":" + 64 hex (hash) */

#ifndef LIKELETTER_SAMPLE_FEED
#define LIKELETTER_SAMPLE_FEED "/usr/share/likeletter/sample-feed.xml"
#endif

typedef enum { CONFIG_LANDSCAPE = 0, CONFIG_PORTRAIT = 1 } config_orientation_t;

/* Every setting, with its key, default and valid range. Strings that are paths are absolute. */
typedef struct config {
    char printer[CONFIG_PATH_MAX];       /* "" = CUPS default; ipp(s)://..., a queue, file:/DIR */
    int32_t print_timeout_ms;            /* print_timeout: seconds per network step, 0.5..60 (3) */
    int32_t max_pending_per_session;     /* 1..100 (1), at most max_pending */
    int32_t max_pending;                 /* 1..10000 (100) */
    char feed[CONFIG_PATH_MAX];          /* Atom/RSS file (LIKELETTER_SAMPLE_FEED) */
    card_lang_t language;                /* language: the attract screen's default (en) */
    card_lang_t languages[CONFIG_LANGS]; /* languages_offered: in order, no repeats ("en,de,nl") */
    int32_t language_count;              /* 1..CONFIG_LANGS; language is one of them */
    int32_t idle_timeout;                /* seconds without a touch, 15..3600 (90) */
    int32_t still_there_seconds;         /* the "Still there?" prompt, 5..120 (15) */
    config_orientation_t orientation;    /* landscape | portrait (landscape) */
    bool fullscreen;                     /* true | false (true) */
    card_format_t card;                  /* a6 | a5 | 4x6 | 5x7 (a6): the first choice */
    card_format_t cards[CONFIG_CARDS];   /* cards_offered: in order, no repeats ("a6,a5,4x6,5x7");
                                          * the kiosk shows those the printer takes */
    int32_t card_count;                  /* 1..CONFIG_CARDS; card is one of them */
    int32_t dpi;                         /* 300 | 600 (300) */
    char fonts[CONFIG_FONTS][CONFIG_PATH_MAX]; /* font_1..font_3: Dancing Script, Kaushan, Kristi */
    char fallback_font[CONFIG_PATH_MAX];       /* DejaVu Sans */
    char ui_font[CONFIG_PATH_MAX];             /* DejaVu Sans */
    uint32_t inks[CONFIG_INKS];                /* ink_1..ink_3, 0xRRGGBB: blue-black, black, blue */
    char admin_pin_hash[CONFIG_PIN_HASH_LEN + 1]; /* "" = no admin access; else lower-case hex */
} config_t;

/* Fills c with the defaults (every byte set, so two default configs compare equal by memcmp). */
void config_defaults(config_t *c);

/* Defaults, then the file at path on top. A missing file is fine (defaults stay) unless
 * must_exist (the --config FILE case); a directory or unreadable file always fails. Returns 0,
 * or -1 with err set ("FILE:LINE: idle_timeout = \"5\": ..."), and then c holds the defaults. */
int config_load(config_t *c, const char *path, bool must_exist, char *err, size_t errlen);

/* As config_load() for len bytes at data (need not be NUL-terminated); name stands for the
 * file in messages (NULL: "<memory>"). */
int config_load_memory(config_t *c, const char *data, size_t len, const char *name, char *err,
                       size_t errlen);

/* True when every setting of a equals b's (strings compared up to their NUL). */
bool config_equal(const config_t *a, const config_t *b);

/* Writes every key, in the example file's order, as text config_load_memory() reads back equal,
 * into out (outlen >= CONFIG_TEXT_MAX is always enough); *len gets the length without the NUL.
 * Returns 0, or -1 (err says why) when out is too small or a string is not NUL-terminated
 * within its array. Ranges are not checked here: config_save() does, by reading the text back. */
int config_text_format(const config_t *c, char *out, size_t outlen, size_t *len, char *err,
                       size_t errlen);

/* Replaces the file at path durably (temporary file, fsync, rename, directory fsync) with mode
 * 0600 from the first byte on, as it holds the PIN hash. Comments of an earlier file are not
 * kept. Refuses a config whose text would not load back equal (a number out of range, a path
 * not absolute, a line break in a string): the kiosk must be able to start with what it wrote.
 * Returns 0, or -1 (logged; an existing file is left untouched, no temporary left). */
int config_save(const config_t *c, const char *path);

/* Makes a new admin_pin_hash for pin (CONFIG_PIN_MIN..CONFIG_PIN_MAX ASCII digits) with a fresh
 * 16-byte salt from getrandom(2): "sha256:<salt hex>:<hex of SHA-256(salt bytes, pin bytes)>".
 * out needs CONFIG_PIN_HASH_LEN + 1 bytes. Returns 0, or -1 for a bad PIN, a small out or no
 * randomness (out then ""). */
int config_pin_hash(const char *pin, char *out, size_t outlen);

/* True when pin matches c->admin_pin_hash (compared in constant time); always false when no
 * hash is set or pin is not 4..12 digits. Rate limiting wrong tries is the caller's job. */
bool config_pin_check(const config_t *c, const char *pin);

#endif
