/* commands.h - the subcommands main() dispatches to. Each takes its own argv (argv[0] is the
 * subcommand's name) and returns the process exit status: 0, 1 on failure, 2 on bad usage. */
#ifndef LIKELETTER_COMMANDS_H
#define LIKELETTER_COMMANDS_H

#include "likeletter/paths.h"

int cmd_glyphs(int argc, char **argv, const paths_t *paths);
int cmd_render(int argc, char **argv, const paths_t *paths);

#endif
