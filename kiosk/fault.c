/* fault.c - see fault.h. */
#include "likeletter/fault.h"

#include "likeletter/log.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const char *point(long *skip)
{
    static atomic_int state; /* 0 unread, 1 none, 2 armed */
    static const char *name;
    static long skips;
    if (atomic_load(&state) == 0) {
        name = getenv("LIKELETTER_CRASH_POINT");
        const char *s = getenv("LIKELETTER_CRASH_SKIP");
        skips = s ? strtol(s, NULL, 10) : 0;
        atomic_store(&state, name && name[0] ? 2 : 1);
    }
    *skip = skips;
    return atomic_load(&state) == 2 ? name : NULL;
}

void fault_crash_point(const char *name)
{
    static atomic_long passes;
    long skip;
    const char *armed = point(&skip);
    if (!armed || strcmp(armed, name) != 0) {
        return;
    }
    if (atomic_fetch_add(&passes, 1) >= skip) {
        log_msg(LOG_INFO, "crash point %s: killing the process", name);
        raise(SIGKILL);
    }
}
