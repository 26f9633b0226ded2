/* testutil.c - the temporary directory, file helpers and shared assertions of the Check suites. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* The running test's temporary directory; each test is its own forked child. */
static char tmp[64];

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            char sub[1024];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
    }
    closedir(d);
    rmdir(path);
}

void testutil_tmpdir_make(const char *prefix)
{
    /* "/tmp/" + prefix + ".XXXXXX" + NUL must fit. */
    size_t len = strlen(prefix);
    ck_assert_msg(len <= sizeof tmp - 13,
                  "temporary directory prefix \"%s\": expected at most %zu bytes, got %zu", prefix,
                  sizeof tmp - 13, len);
    snprintf(tmp, sizeof tmp, "/tmp/%s.XXXXXX", prefix);
    ck_assert_msg(mkdtemp(tmp) != NULL, "mkdtemp: %s", strerror(errno));
}

void testutil_tmpdir_remove(void)
{
    remove_tree(tmp);
}

const char *testutil_tmpdir(void)
{
    return tmp;
}

const char *testutil_path(const char *rel)
{
    static char buf[4][1024];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", tmp, rel);
    return b;
}

int testutil_dir_list(const char *dir, char *names, size_t len)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "opendir %s: %s", dir, strerror(errno));
    int n = 0;
    names[0] = '\0';
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            size_t used = strlen(names);
            snprintf(names + used, len - used, "%s%s", n ? " " : "", e->d_name);
            n++;
        }
    }
    closedir(d);
    return n;
}

void testutil_expect_dir_holds_only(const char *name, const char *after)
{
    char names[512];
    int n = testutil_dir_list(tmp, names, sizeof names);
    ck_assert_msg(n == 1 && strcmp(names, name) == 0,
                  "after %s: expected only %s in the directory, found: %s", after, name, names);
}

void testutil_file_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    ck_assert(len == 0 || fwrite(data, 1, len, f) == len);
    ck_assert_int_eq(fclose(f), 0);
}

void testutil_file_put(const char *path, const char *text)
{
    testutil_file_write(path, text, strlen(text));
}

/* The rest of f, NUL-terminated; closes f. */
static uint8_t *stream_get(FILE *f, const char *path, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap + 1);
    ck_assert_ptr_nonnull(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            uint8_t *grown = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(grown);
            buf = grown;
        }
    }
    ck_assert_msg(!ferror(f), "%s: expected to read to the end, got a read error", path);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

uint8_t *testutil_file_get(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    return stream_get(f, path, len);
}

void testutil_expect_file_text(const char *path, const char *want)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s: expected the existing file to remain: %s", path, strerror(errno));
    size_t n;
    uint8_t *got = stream_get(f, path, &n);
    ck_assert_msg(strcmp((char *)got, want) == 0, "%s: expected its old content \"%s\", got \"%s\"",
                  path, want, (char *)got);
    free(got);
}

uint8_t *testutil_noise(size_t n)
{
    uint8_t *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    uint32_t x = 88172645u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        p[i] = (uint8_t)x;
    }
    return p;
}

void testutil_expect_write_past_fsize_fails(int (*write)(const image_view_t *, const char *),
                                            const image_view_t *img, const char *path,
                                            const char *what)
{
    testutil_file_put(path, "precious");
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        struct rlimit lim = {.rlim_cur = 32768, .rlim_max = 32768};
        signal(SIGXFSZ, SIG_IGN);
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0) {
            _exit(3);
        }
        _exit(write(img, path) == -1 ? 0 : 1);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status), "%s: the writing child died (signal %d): expected a clean -1",
                  what, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    ck_assert_msg(WEXITSTATUS(status) != 3, "setrlimit failed in the child");
    ck_assert_msg(WEXITSTATUS(status) == 0, "%s past RLIMIT_FSIZE: expected -1, got success", what);
    testutil_expect_file_text(path, "precious");
}

int testutil_suite_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void testutil_zbar_decode(const char *zbarimg, const char *path, char *out, size_t outlen)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' -q --raw --nodbus '%s' 2>&1", zbarimg, path);
    FILE *p = popen(cmd, "r");
    ck_assert_msg(p != NULL, "popen(%s): %s", cmd, strerror(errno));
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "%s: expected exit status 0 (decoded), got status %d, output \"%s\"", cmd,
                  WIFEXITED(status) ? WEXITSTATUS(status) : -1, out);
    if (n > 0 && out[n - 1] == '\n') {
        out[n - 1] = '\0';
    }
}
