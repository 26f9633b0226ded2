/* paths.h - where likeletter's files live, as Linux users expect.
 *
 * Config: --config FILE, else $XDG_CONFIG_HOME/likeletter/likeletter.conf (default
 * ~/.config/likeletter/likeletter.conf) when it exists, else /etc/likeletter/likeletter.conf.
 * State (database, spool, archive): --state-dir DIR, else $XDG_STATE_HOME/likeletter
 * (default ~/.local/state/likeletter).
 * Relative XDG variables are ignored, as the XDG Base Directory spec says.
 */
#ifndef LIKELETTER_PATHS_H
#define LIKELETTER_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#define PATHS_MAX 4096

typedef struct paths {
    char config_file[PATHS_MAX]; /* the file to read; may not exist (then defaults apply) */
    bool config_exists;          /* true when config_file names an existing regular file */
    char state_dir[PATHS_MAX];   /* not created here; see paths_state_dir_make() */
} paths_t;

/* Resolves both paths. config_override and state_override may be NULL (not given).
 * Returns 0, or -1 when a path would not fit or $HOME is unset and needed (message logged). */
int paths_resolve(paths_t *out, const char *config_override, const char *state_override);

/* Creates state_dir and its parents with mode 0700 when missing. Returns 0 or -1 (logged). */
int paths_state_dir_make(const paths_t *p);

#endif
