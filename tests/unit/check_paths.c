/* check_paths.c - where config and state live: XDG variables, HOME, overrides, /etc fallback,
 * and creating the state directory. Each test runs in its own forked child (Check's default),
 * so setenv(), chdir() and umask() here do not leak between tests. */
#include "likeletter/paths.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ETC_CONFIG "/etc/likeletter/likeletter.conf"

/* Makes path (relative to the temporary directory) and its parents. */
static void make_dirs(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", testutil_path(rel));
    for (char *p = path + strlen(testutil_tmpdir()) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", path, strerror(errno));
}

/* Writes a small file at rel in the temporary directory, creating its directory. */
static void make_file(const char *rel)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", rel);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        make_dirs(dir);
    }
    testutil_file_put(testutil_path(rel), "# test\n");
}

static bool etc_config_exists(void)
{
    struct stat st;
    return stat(ETC_CONFIG, &st) == 0 && S_ISREG(st.st_mode);
}

static void setup(void)
{
    testutil_tmpdir_make("check_paths");
    make_dirs("home");
    setenv("HOME", testutil_path("home"), 1);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_STATE_HOME");
}

static paths_t *resolve_ok(const char *config, const char *state)
{
    static paths_t p;
    memset(&p, 0x5A, sizeof p);
    int e = paths_resolve(&p, config, state);
    ck_assert_msg(e == 0, "paths_resolve(%s, %s): expected 0, got %d", config ? config : "NULL",
                  state ? state : "NULL", e);
    return &p;
}

#define expect_str(what, want, got)                                                                \
    ck_assert_msg(strcmp((want), (got)) == 0, "%s: expected \"%s\", got \"%s\"", (what), (want),   \
                  (got))

/* ---- XDG variables ---- */

START_TEST(xdg_variables_honoured)
{
    make_file("cfg/likeletter/likeletter.conf");
    setenv("XDG_CONFIG_HOME", testutil_path("cfg"), 1);
    setenv("XDG_STATE_HOME", testutil_path("st"), 1);
    paths_t *p = resolve_ok(NULL, NULL);
    expect_str("config_file", testutil_path("cfg/likeletter/likeletter.conf"), p->config_file);
    ck_assert_msg(p->config_exists, "config_exists: expected true for an existing file");
    expect_str("state_dir", testutil_path("st/likeletter"), p->state_dir);
}
END_TEST

START_TEST(home_defaults)
{
    make_file("home/.config/likeletter/likeletter.conf");
    paths_t *p = resolve_ok(NULL, NULL);
    expect_str("config_file", testutil_path("home/.config/likeletter/likeletter.conf"),
               p->config_file);
    ck_assert_msg(p->config_exists, "config_exists: expected true");
    expect_str("state_dir", testutil_path("home/.local/state/likeletter"), p->state_dir);
}
END_TEST

/* Variant 0: relative values; 1: empty values. Both mean "use the default". */
START_TEST(relative_xdg_ignored)
{
    make_file("home/.config/likeletter/likeletter.conf");
    ck_assert_int_eq(chdir(testutil_tmpdir()), 0);
    if (_i == 0) {
        make_file("rel/likeletter/likeletter.conf"); /* exists, but only relative to the cwd */
        setenv("XDG_CONFIG_HOME", "rel", 1);
        setenv("XDG_STATE_HOME", "relstate", 1);
    } else {
        setenv("XDG_CONFIG_HOME", "", 1);
        setenv("XDG_STATE_HOME", "", 1);
    }
    paths_t *p = resolve_ok(NULL, NULL);
    expect_str(_i == 0 ? "config_file with relative XDG_CONFIG_HOME"
                       : "config_file with empty XDG_CONFIG_HOME",
               testutil_path("home/.config/likeletter/likeletter.conf"), p->config_file);
    expect_str(_i == 0 ? "state_dir with relative XDG_STATE_HOME"
                       : "state_dir with empty XDG_STATE_HOME",
               testutil_path("home/.local/state/likeletter"), p->state_dir);
}
END_TEST

/* ---- overrides ---- */

START_TEST(overrides_win)
{
    make_file("cfg/likeletter/likeletter.conf");
    make_file("mine.conf");
    setenv("XDG_CONFIG_HOME", testutil_path("cfg"), 1);
    setenv("XDG_STATE_HOME", testutil_path("st"), 1);

    paths_t *p = resolve_ok(testutil_path("mine.conf"), testutil_path("elsewhere/state"));
    expect_str("config_file with --config", testutil_path("mine.conf"), p->config_file);
    ck_assert_msg(p->config_exists, "config_exists for an existing --config: expected true");
    expect_str("state_dir with --state-dir", testutil_path("elsewhere/state"), p->state_dir);

    /* A missing --config is still the one to use (then defaults apply), not a fallback. */
    p = resolve_ok(testutil_path("missing.conf"), NULL);
    expect_str("config_file with a missing --config", testutil_path("missing.conf"),
               p->config_file);
    ck_assert_msg(!p->config_exists, "config_exists for a missing --config: expected false");
    expect_str("state_dir without --state-dir", testutil_path("st/likeletter"), p->state_dir);

    /* A directory is not a config file. */
    make_dirs("adir");
    p = resolve_ok(testutil_path("adir"), NULL);
    ck_assert_msg(!p->config_exists, "config_exists for a directory: expected false");
}
END_TEST

/* ---- /etc fallback ---- */

START_TEST(etc_fallback_without_user_config)
{
    if (_i == 0) {
        setenv("XDG_CONFIG_HOME", testutil_path("cfg"), 1); /* no likeletter.conf there */
        make_dirs("cfg/likeletter");
    }
    paths_t *p = resolve_ok(NULL, NULL);
    expect_str("config_file without a user config", ETC_CONFIG, p->config_file);
    ck_assert_msg(p->config_exists == etc_config_exists(),
                  "config_exists for %s: expected %s, got %s", ETC_CONFIG,
                  etc_config_exists() ? "true" : "false", p->config_exists ? "true" : "false");
}
END_TEST

/* ---- HOME unset, paths too long ---- */

START_TEST(home_unset)
{
    unsetenv("HOME");
    paths_t p;
    int e = paths_resolve(&p, NULL, NULL);
    ck_assert_msg(e == -1, "HOME and XDG unset: expected -1, got %d", e);

    /* Not needed when both are given some other way. */
    setenv("XDG_CONFIG_HOME", testutil_path("cfg"), 1);
    setenv("XDG_STATE_HOME", testutil_path("st"), 1);
    paths_t *q = resolve_ok(NULL, NULL);
    expect_str("state_dir with HOME unset", testutil_path("st/likeletter"), q->state_dir);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_STATE_HOME");
    q = resolve_ok(testutil_path("a.conf"), testutil_path("s"));
    expect_str("state_dir override with HOME unset", testutil_path("s"), q->state_dir);
}
END_TEST

START_TEST(too_long_refused)
{
    static char longpath[PATHS_MAX + 100];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = '\0';
    paths_t p;
    setenv("XDG_CONFIG_HOME", longpath, 1);
    ck_assert_msg(paths_resolve(&p, NULL, NULL) == -1, "a too long XDG_CONFIG_HOME: expected -1");
    unsetenv("XDG_CONFIG_HOME");
    setenv("XDG_STATE_HOME", longpath, 1);
    ck_assert_msg(paths_resolve(&p, NULL, NULL) == -1, "a too long XDG_STATE_HOME: expected -1");
    unsetenv("XDG_STATE_HOME");
    ck_assert_msg(paths_resolve(&p, longpath, NULL) == -1, "a too long --config: expected -1");
    ck_assert_msg(paths_resolve(&p, NULL, longpath) == -1, "a too long --state-dir: expected -1");
    /* XDG value short enough, but not with "/likeletter/likeletter.conf" appended. */
    longpath[PATHS_MAX - 10] = '\0';
    setenv("XDG_CONFIG_HOME", longpath, 1);
    ck_assert_msg(paths_resolve(&p, NULL, NULL) == -1,
                  "XDG_CONFIG_HOME of %d bytes plus the file name: expected -1", PATHS_MAX - 10);
}
END_TEST

/* ---- creating the state directory ---- */

static void expect_mode(const char *path, unsigned want)
{
    struct stat st;
    ck_assert_msg(stat(path, &st) == 0, "%s: expected to exist: %s", path, strerror(errno));
    ck_assert_msg(S_ISDIR(st.st_mode), "%s: expected a directory", path);
    ck_assert_msg((st.st_mode & 07777) == want, "%s: expected mode %04o, got %04o", path, want,
                  (unsigned)(st.st_mode & 07777));
}

START_TEST(state_dir_made_0700)
{
    umask(0); /* the directories must be 0700 by themselves, not thanks to the umask */
    make_dirs("existing");
    chmod(testutil_path("existing"), 0755);
    paths_t *p = resolve_ok(NULL, testutil_path("existing/a/b/c"));
    int e = paths_state_dir_make(p);
    ck_assert_msg(e == 0, "paths_state_dir_make(%s): expected 0, got %d", p->state_dir, e);
    expect_mode(testutil_path("existing/a"), 0700);
    expect_mode(testutil_path("existing/a/b"), 0700);
    expect_mode(testutil_path("existing/a/b/c"), 0700);
    expect_mode(testutil_path("existing"), 0755); /* an existing parent is left as it was */
    e = paths_state_dir_make(p);
    ck_assert_msg(e == 0, "paths_state_dir_make again: expected 0, got %d", e);

    /* The default location under $XDG_STATE_HOME works the same way. */
    setenv("XDG_STATE_HOME", testutil_path("xdg/state"), 1);
    p = resolve_ok(NULL, NULL);
    ck_assert_int_eq(paths_state_dir_make(p), 0);
    expect_mode(testutil_path("xdg/state/likeletter"), 0700);
}
END_TEST

START_TEST(state_dir_under_a_file_fails)
{
    make_file("plain");
    paths_t *p = resolve_ok(NULL, testutil_path("plain/state"));
    ck_assert_msg(paths_state_dir_make(p) == -1, "state dir under a regular file: expected -1");
    p = resolve_ok(NULL, testutil_path("plain"));
    ck_assert_msg(paths_state_dir_make(p) == -1, "state dir that is a regular file: expected -1");
}
END_TEST

static Suite *paths_suite(void)
{
    Suite *s = suite_create("paths");
    TCase *tc = tcase_create("XDG variables");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, xdg_variables_honoured);
    tcase_add_test(tc, home_defaults);
    tcase_add_loop_test(tc, relative_xdg_ignored, 0, 2);
    suite_add_tcase(s, tc);

    tc = tcase_create("overrides win");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, overrides_win);
    suite_add_tcase(s, tc);

    tc = tcase_create("/etc fallback");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_loop_test(tc, etc_fallback_without_user_config, 0, 2);
    suite_add_tcase(s, tc);

    tc = tcase_create("unresolvable paths");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, home_unset);
    tcase_add_test(tc, too_long_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("state directory creation");
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    tcase_add_test(tc, state_dir_made_0700);
    tcase_add_test(tc, state_dir_under_a_file_fails);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(paths_suite());
}
