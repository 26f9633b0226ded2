/* paths.c - see paths.h. */
#include "likeletter/paths.h"

#include "likeletter/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const SYSTEM_CONFIG = "/etc/likeletter/likeletter.conf";

/* Copies src into dst (PATHS_MAX); -1 when it does not fit. */
static int path_copy(char *dst, const char *src)
{
    int n = snprintf(dst, PATHS_MAX, "%s", src);
    return (n < 0 || n >= PATHS_MAX) ? -1 : 0;
}

/* $var/sub when $var is absolute, else $HOME/home_sub/sub (XDG: relative values are invalid).
 * Returns 0, -1 when neither is usable, -2 when the result would be too long (both logged). */
static int xdg_dir(char *dst, const char *var, const char *home_sub, const char *sub)
{
    const char *base = getenv(var);
    int n;
    if (base && base[0] == '/') {
        n = snprintf(dst, PATHS_MAX, "%s/%s", base, sub);
    } else {
        const char *home = getenv("HOME");
        if (!home || home[0] != '/') {
            log_msg(LOG_ERROR,
                    "neither $%s nor $HOME is an absolute path; use --config and "
                    "--state-dir",
                    var);
            return -1;
        }
        n = snprintf(dst, PATHS_MAX, "%s/%s/%s", home, home_sub, sub);
    }
    if (n < 0 || n >= PATHS_MAX) {
        log_msg(LOG_ERROR, "$%s or $HOME is too long for a path", var);
        return -2;
    }
    return 0;
}

static bool regular_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int config_resolve(paths_t *out, const char *override)
{
    if (override) {
        if (path_copy(out->config_file, override) < 0) {
            log_msg(LOG_ERROR, "--config path is too long");
            return -1;
        }
        out->config_exists = regular_file_exists(out->config_file);
        return 0;
    }
    int rc = xdg_dir(out->config_file, "XDG_CONFIG_HOME", ".config", "likeletter/likeletter.conf");
    if (rc == -2) {
        return -1; /* a broken environment: say so rather than read another file */
    }
    if (rc == 0 && regular_file_exists(out->config_file)) {
        out->config_exists = true;
        return 0;
    }
    /* No user config (or no $HOME, as for a system service): the system-wide one, which may
     * be absent too. */
    (void)path_copy(out->config_file, SYSTEM_CONFIG);
    out->config_exists = regular_file_exists(out->config_file);
    return 0;
}

int paths_resolve(paths_t *out, const char *config_override, const char *state_override)
{
    memset(out, 0, sizeof *out);
    if (config_resolve(out, config_override) < 0) {
        return -1;
    }
    if (state_override) {
        if (path_copy(out->state_dir, state_override) < 0) {
            log_msg(LOG_ERROR, "--state-dir path is too long");
            return -1;
        }
        return 0;
    }
    return xdg_dir(out->state_dir, "XDG_STATE_HOME", ".local/state", "likeletter") == 0 ? 0 : -1;
}

int paths_state_dir_make(const paths_t *p)
{
    char buf[PATHS_MAX];
    if (path_copy(buf, p->state_dir) < 0) {
        return -1;
    }
    /* mkdir -p: create each missing component in turn. */
    for (char *s = buf + 1;; s++) {
        char c = *s;
        if (c != '/' && c != '\0') {
            continue;
        }
        *s = '\0';
        if (mkdir(buf, 0700) < 0 && errno != EEXIST) {
            log_msg(LOG_ERROR, "cannot create state directory %s: %s", buf, strerror(errno));
            return -1;
        }
        *s = c;
        if (c == '\0') {
            break;
        }
    }
    struct stat st;
    if (stat(p->state_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        log_msg(LOG_ERROR, "state directory %s is not a directory", p->state_dir);
        return -1;
    }
    return 0;
}
