/* bench.h - `likeletter bench`: our core side by side with FreeType in one run. */
#ifndef LIKELETTER_BENCH_H
#define LIKELETTER_BENCH_H

/* Runs the benchmark with the subcommand's arguments (argv[0] is "bench"). Prints a table, or one
 * JSON object with --json, to stdout. Returns the process exit status (0, or 2 on bad usage,
 * 1 when a font cannot be opened). */
int bench_main(int argc, char **argv);

#endif
