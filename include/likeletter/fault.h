/* fault.h - crash points for the tests: the process kills itself with SIGKILL at a named point
 * when the environment asks for it, so a test can crash the print worker exactly between two
 * steps of a submission (and prove no card is lost or printed twice), not only at a time that
 * happens to fall there.
 *
 * LIKELETTER_CRASH_POINT=NAME kills the process at the (LIKELETTER_CRASH_SKIP + 1)-th time it
 * passes the point NAME (default: the first). Unset, a point costs one branch. Thread-safe
 * enough for its use: read once, counted with an atomic.
 */
#ifndef LIKELETTER_FAULT_H
#define LIKELETTER_FAULT_H

/* Kills the process with SIGKILL if the environment names this point and its turn has come. */
void fault_crash_point(const char *name);

#endif
