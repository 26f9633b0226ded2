/* durable.h - files replaced whole, never rewritten in place: a temporary file beside the
 * target, fsync'ed, renamed over it, and the directory fsync'ed. A failure at any step leaves
 * an existing target untouched and no temporary file behind.
 *
 * Usage: durable_begin() -> write to f.fd -> durable_commit() (or durable_abort()). Errors are
 * logged here, once, naming the target path. Not shared between threads.
 */
#ifndef LIKELETTER_DURABLE_H
#define LIKELETTER_DURABLE_H

#include "likeletter/paths.h"

#include <sys/types.h>

typedef struct durable_file {
    int fd;              /* the temporary file, open for writing */
    const char *path;    /* the target; the caller keeps it alive until commit or abort */
    char tmp[PATHS_MAX]; /* the temporary file's name */
} durable_file_t;

/* Creates the temporary file beside path. Returns 0, or -1 (nothing created). */
int durable_begin(durable_file_t *f, const char *path);

/* fsyncs and closes the temporary file, gives it mode 0644 (it is for people to open), renames
 * it over the target and fsyncs the directory. Returns 0, or -1 with the temporary file gone.
 * errno tells the cause on failure. */
int durable_commit(durable_file_t *f);

/* The same with the file's mode given (0600 for a file holding a secret, such as the config's
 * PIN hash). */
int durable_commit_mode(durable_file_t *f, mode_t mode);

/* Closes and removes the temporary file (after a failed write). Keeps errno. */
void durable_abort(durable_file_t *f);

#endif
