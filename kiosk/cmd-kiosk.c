/* cmd-kiosk.c - `likeletter kiosk`: the touchscreen program. */
#include "commands.h"

#include "likeletter/config.h"
#include "likeletter/log.h"
#include "ui/app.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LIKELETTER_LOCALEDIR
#define LIKELETTER_LOCALEDIR "/usr/share/locale"
#endif

static int usage(const char *what)
{
    fprintf(stderr,
            "likeletter kiosk: %s\nusage: likeletter kiosk [--windowed] [--size WxH] "
            "[--feed FILE]\n",
            what);
    return 2;
}

/* The bold face beside the UI font ("DejaVuSans.ttf" -> "DejaVuSans-Bold.ttf"), if there. */
static void bold_beside(const char *font, char *out, size_t len)
{
    out[0] = '\0';
    const char *dot = strrchr(font, '.');
    if (dot && (size_t)(dot - font) + 10 < len) {
        snprintf(out, len, "%.*s-Bold%s", (int)(dot - font), font, dot);
        if (access(out, R_OK) != 0) {
            out[0] = '\0';
        }
    }
}

void commands_memory_tune(void)
{
#ifdef __GLIBC__
    /* glibc raises its mmap threshold to the size of each large block freed, after which cards
     * (6.5 MB at 300 dpi), their PNGs and previews come from the heap and their pages stay
     * resident once freed: measured over kiosk visits, 71 MiB of anonymous memory instead of
     * 56. A fixed threshold keeps large blocks in their own mappings, returned when freed. */
    mallopt(M_MMAP_THRESHOLD, 256 << 10);
#endif
}

int cmd_kiosk(int argc, char **argv, const paths_t *paths)
{
    commands_memory_tune();
    app_options_t o = {.width = 1280, .height = 800, .localedir = LIKELETTER_LOCALEDIR};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--windowed") == 0) {
            o.windowed = true;
        } else if (strcmp(argv[i], "--feed") == 0 && i + 1 < argc) {
            o.feed = argv[++i];
        } else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
            if (sscanf(argv[++i], "%dx%d", &o.width, &o.height) != 2 || o.width < 320 ||
                o.height < 240 || o.width > 7680 || o.height > 4320) {
                return usage("--size: expected WIDTHxHEIGHT, e.g. 800x480");
            }
        } else {
            return usage("unknown option");
        }
    }
    config_t cfg;
    char err[600];
    if (config_load(&cfg, paths->config_file, false, err, sizeof err) != 0) {
        fprintf(stderr, "likeletter kiosk: %s\n", err);
        return 1;
    }
    char db[PATHS_MAX + 32], bold[1100];
    if (paths_state_dir_make(paths) != 0 ||
        snprintf(db, sizeof db, "%s/likeletter.db", paths->state_dir) >= (int)sizeof db) {
        return 1;
    }
    bold_beside(cfg.ui_font, bold, sizeof bold);
    o.cfg = &cfg;
    o.config_path = paths->config_file;
    o.db_path = db;
    o.ui_font_bold = bold[0] ? bold : NULL;
    /* A printer closing its connection must be an error, not the end of the kiosk. */
    signal(SIGPIPE, SIG_IGN);
    return app_run(&o);
}

/* `likeletter pin`: reads a new admin PIN (4 to 12 digits) from the first line of standard
 * input and stores its salted hash in the config file (written durably, mode 0600). */
int cmd_pin(int argc, char **argv, const paths_t *paths)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: echo 123456 | likeletter pin\n");
        return 2;
    }
    char line[64] = "", err[600];
    config_t cfg;
    if (!fgets(line, sizeof line, stdin)) {
        fprintf(stderr, "likeletter pin: no PIN on standard input\n");
        return 2;
    }
    line[strcspn(line, "\r\n")] = '\0';
    if (config_load(&cfg, paths->config_file, false, err, sizeof err) != 0) {
        fprintf(stderr, "likeletter pin: %s\n", err);
        return 1;
    }
    int rc = config_pin_hash(line, cfg.admin_pin_hash, sizeof cfg.admin_pin_hash);
    memset(line, 0, sizeof line);
    if (rc != 0) {
        fprintf(stderr, "likeletter pin: a PIN is 4 to 12 digits\n");
        return 2;
    }
    if (config_save(&cfg, paths->config_file) != 0) {
        fprintf(stderr, "likeletter pin: could not write %s\n", paths->config_file);
        return 1;
    }
    printf("admin PIN set in %s\n", paths->config_file);
    return 0;
}
