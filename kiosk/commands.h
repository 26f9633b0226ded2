/* commands.h - the subcommands main() dispatches to. Each takes its own argv (argv[0] is the
 * subcommand's name) and returns the process exit status: 0, 1 on failure, 2 on bad usage. */
#ifndef LIKELETTER_COMMANDS_H
#define LIKELETTER_COMMANDS_H

#include "likeletter/card.h"
#include "likeletter/paths.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { OUT_PNG, OUT_PWG, OUT_PDF } out_kind_t;

/* The card options `render` and `print` share (strings point into argv). */
typedef struct render_opts {
    const char *url, *title, *to, *salutation, *from, *text, *text_file, *font, *fallback, *out,
        *date;
    const char *printer, *session; /* print only */
    bool wait;                     /* print only */
    double timeout;                /* print --wait, seconds */
    card_spec_t spec;
    card_content_t content;
    out_kind_t kind;
    char today[16];
} render_opts_t;

/* Parses the card options (printing: for `print`, without -o), reads --text-file into
 * *file_text (the caller frees it) and fills o->content. Returns 0, or the exit status after
 * a message on stderr. */
int render_opts_load(int argc, char **argv, render_opts_t *o, bool printing, char **file_text);

/* Renders o's card into a new RGB8 canvas (*rgb, w * 3 bytes a row; the caller frees it).
 * Returns 0, or 1 after a message on stderr. */
int render_card(const render_opts_t *o, uint8_t **rgb, int32_t *w, int32_t *h);

/* For the long-running commands (kiosk, printd): large blocks go back to the system when freed,
 * so resident memory stays flat. */
void commands_memory_tune(void);

int cmd_glyphs(int argc, char **argv, const paths_t *paths);
int cmd_render(int argc, char **argv, const paths_t *paths);
int cmd_print(int argc, char **argv, const paths_t *paths);
int cmd_printd(int argc, char **argv, const paths_t *paths);
int cmd_queue(int argc, char **argv, const paths_t *paths);
int cmd_printers(int argc, char **argv, const paths_t *paths);
int cmd_kiosk(int argc, char **argv, const paths_t *paths);
int cmd_pin(int argc, char **argv, const paths_t *paths);

#endif
