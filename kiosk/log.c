/* log.c - see log.h. */
#include "likeletter/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int current_level = -1; /* -1: not yet read from the environment */

static int level_from_env(void)
{
    const char *v = getenv("LIKELETTER_LOG");
    static const char *const names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; v && i < 4; i++) {
        if (strcmp(v, names[i]) == 0) {
            return i;
        }
    }
    return LOG_WARN;
}

void log_level_set(log_level_t level)
{
    atomic_store(&current_level, (int)level);
}

void log_msg(log_level_t level, const char *fmt, ...)
{
    static const char *const tags[] = {"error", "warning", "info", "debug"};
    int cur = atomic_load(&current_level);
    if (cur < 0) {
        cur = level_from_env();
        atomic_store(&current_level, cur);
    }
    if ((int)level > cur) {
        return;
    }
    char line[1024];
    int n = snprintf(line, sizeof line, "likeletter: %s: ", tags[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2) {
        len = sizeof line - 2; /* truncated: still one line */
    }
    line[len++] = '\n';
    /* One write() so lines from threads never interleave. */
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
