/* bench-card.h - `likeletter bench --card`: the whole card renderer against the same card drawn
 * glyph by glyph with FreeType, and the kiosk preview's cost per keystroke. */
#ifndef LIKELETTER_BENCH_CARD_H
#define LIKELETTER_BENCH_CARD_H

/* Runs the card benchmark with the subcommand's arguments (argv[0] is "bench"; "--card" is among
 * them). Prints a table, or one JSON object with --json, to stdout. Returns the process exit
 * status (0, 2 on bad usage, 1 on any failure). */
int bench_card_main(int argc, char **argv);

#endif
