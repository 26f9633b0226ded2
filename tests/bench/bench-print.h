/* bench-print.h - `likeletter bench --print`: an A6 card from the durable queue to a job the
 * printer accepted, through the real worker and the real printer. */
#ifndef LIKELETTER_BENCH_PRINT_H
#define LIKELETTER_BENCH_PRINT_H

/* Runs the print benchmark with the subcommand's arguments (argv[0] is "bench"; "--print" is
 * among them; --printer DEST is required). Prints a table to stdout. Returns the exit status
 * (0, 2 on bad usage, 1 on any failure). */
int bench_print_main(int argc, char **argv);

#endif
