/* main.c - the likeletter program: global options, then one subcommand. */
#include "likeletter/log.h"
#include "likeletter/paths.h"

#include "bench.h"
#include "commands.h"

#include <stdio.h>
#include <string.h>

typedef struct command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv, const paths_t *paths);
} command_t;

static int cmd_help(int argc, char **argv, const paths_t *paths);

static int cmd_bench(int argc, char **argv, const paths_t *paths)
{
    (void)paths;
    return bench_main(argc, argv);
}

static int cmd_paths(int argc, char **argv, const paths_t *paths)
{
    (void)argc, (void)argv;
    printf("config: %s%s\nstate: %s\n", paths->config_file,
           paths->config_exists ? "" : " (not present: defaults apply)", paths->state_dir);
    return 0;
}

static const command_t commands[] = {
    {"help", "list the subcommands and global options", cmd_help},
    {"glyphs",
     "render a font's glyph sheet with the core: --font F --size PX [--rotate DEG] "
     "[--shear X] -o sheet.png",
     cmd_glyphs},
    {"render",
     "write a thank-you card: --post-url URL --post-title T --to NAME --from NAME "
     "(--text T | --text-file F) -o card.png|.pwg|.pdf (see: likeletter render --help)",
     cmd_render},
    {"kiosk", "the touchscreen: [--windowed] [--size WxH] [--feed FILE]", cmd_kiosk},
    {"pin", "set the kiosk's admin PIN (4 to 12 digits, read from standard input)", cmd_pin},
    {"print",
     "queue a card for printing: the options of render, without -o, plus "
     "[--printer URI|QUEUE|file:/DIR] [--wait [--timeout S]]",
     cmd_print},
    {"printd", "drain the print queue (the background worker; SIGTERM stops it)", cmd_printd},
    {"queue", "list the print queue: [--all] [--cancel ID | --retry ID | --reprint ID]", cmd_queue},
    {"printers", "list CUPS queues; --status DEST shows a printer's state and supplies",
     cmd_printers},
    {"bench",
     "our rasterizer side by side with FreeType: [--font F]... [--sizes 16,32,64,200] "
     "[--json]",
     cmd_bench},
    {"paths", "show the config file and state directory in use", cmd_paths},
};

static int cmd_help(int argc, char **argv, const paths_t *paths)
{
    (void)argc, (void)argv, (void)paths;
    printf("likeletter %s - hand-written thank-you cards from a lobby kiosk\n\n"
           "usage: likeletter [--config FILE] [--state-dir DIR] COMMAND [OPTIONS]\n\n"
           "commands:\n",
           LIKELETTER_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        printf("  %-9s %s\n", commands[i].name, commands[i].summary);
    }
    printf("\nglobal options:\n"
           "  --config FILE    config file (default $XDG_CONFIG_HOME/likeletter/likeletter.conf,\n"
           "                   then /etc/likeletter/likeletter.conf)\n"
           "  --state-dir DIR  database, spool and archive (default "
           "$XDG_STATE_HOME/likeletter)\n");
    return 0;
}

/* Consumes the global options before the subcommand; returns the subcommand's index or -1. */
static int global_options(int argc, char **argv, const char **config, const char **state)
{
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const char **slot = strcmp(argv[i], "--config") == 0      ? config
                            : strcmp(argv[i], "--state-dir") == 0 ? state
                                                                  : NULL;
        if (!slot || i + 1 >= argc) {
            fprintf(stderr, "likeletter: %s: %s\n", argv[i],
                    slot ? "needs a value" : "unknown global option (see: likeletter help)");
            return -1;
        }
        *slot = argv[i + 1];
        i += 2;
    }
    return i;
}

int main(int argc, char **argv)
{
    const char *config = NULL, *state = NULL;
    int i = global_options(argc, argv, &config, &state);
    if (i < 0) {
        return 2;
    }
    const char *name = i < argc ? argv[i] : "help";
    paths_t paths;
    if (paths_resolve(&paths, config, state) < 0) {
        return 2;
    }
    if (config && !paths.config_exists) {
        fprintf(stderr, "likeletter: --config %s: no such file\n", config);
        return 2;
    }
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
        if (strcmp(commands[c].name, name) == 0) {
            return commands[c].run(i < argc ? argc - i : 1, i < argc ? argv + i : argv, &paths);
        }
    }
    fprintf(stderr, "likeletter: unknown command '%s' (see: likeletter help)\n", name);
    return 2;
}
