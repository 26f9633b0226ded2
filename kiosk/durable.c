/* durable.c - see durable.h. The Redis/CUPS way of replacing a file. */
#include "likeletter/durable.h"

#include "likeletter/log.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int durable_begin(durable_file_t *f, const char *path)
{
    f->fd = -1;
    f->path = path;
    if (snprintf(f->tmp, sizeof f->tmp, "%s.XXXXXX", path) >= (int)sizeof f->tmp) {
        log_msg(LOG_ERROR, "%s: path too long", path);
        errno = ENAMETOOLONG;
        return -1;
    }
    f->fd = mkstemp(f->tmp);
    if (f->fd < 0) {
        log_msg(LOG_ERROR, "%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

void durable_abort(durable_file_t *f)
{
    int saved = errno;
    if (f->fd >= 0) {
        close(f->fd);
        f->fd = -1;
    }
    unlink(f->tmp);
    errno = saved;
}

/* The rename is durable only once the directory entry is on disk too. */
static void dir_fsync(const char *path)
{
    char *copy = strdup(path);
    int fd = copy ? open(dirname(copy), O_RDONLY | O_DIRECTORY) : -1;
    free(copy);
    if (fd < 0 || fsync(fd) != 0) {
        log_msg(LOG_WARN, "%s: cannot sync its directory: %s", path, strerror(errno));
    }
    if (fd >= 0) {
        close(fd);
    }
}

int durable_commit(durable_file_t *f)
{
    /* mkstemp makes 0600; an image or document is for people to open: 0644, as fopen would. */
    return durable_commit_mode(f, 0644);
}

int durable_commit_mode(durable_file_t *f, mode_t mode)
{
    const char *step = NULL;
    if (fsync(f->fd) != 0) {
        step = "sync";
    }
    int fd = f->fd;
    f->fd = -1;
    if (close(fd) != 0 && !step) {
        step = "close";
    }
    if (!step && (chmod(f->tmp, mode) != 0 || rename(f->tmp, f->path) != 0)) {
        step = "replace";
    }
    if (step) {
        log_msg(LOG_ERROR, "%s: cannot %s: %s", f->path, step, strerror(errno));
        durable_abort(f);
        return -1;
    }
    dir_fsync(f->path);
    return 0;
}
