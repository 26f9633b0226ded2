/* testutil.h - what the Check suites share: a temporary directory per test (a checked fixture),
 * small file and directory helpers, assertions on what a failed write left behind, and main().
 *
 * Every helper fails the running test with ck_assert_msg() (saying what was expected and what was
 * found) instead of returning an error, so it may only be called from inside a test or a checked
 * fixture. Checked fixtures run in the test's forked child, so the one temporary directory kept
 * here is per test; nothing here is thread-safe.
 */
#ifndef LIKELETTER_TEST_TESTUTIL_H
#define LIKELETTER_TEST_TESTUTIL_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "likeletter/image.h"

/* Makes a fresh /tmp/<prefix>.XXXXXX (mkdtemp) as the test's temporary directory. Call it from a
 * checked fixture's setup; prefix is usually the suite's name. */
void testutil_tmpdir_make(const char *prefix);

/* Removes the temporary directory and everything below it; a checked fixture's teardown. */
void testutil_tmpdir_remove(void);

/* The temporary directory's path, valid until testutil_tmpdir_remove(). */
const char *testutil_tmpdir(void);

/* "<tmpdir>/<rel>" in one of four rotating static buffers: valid until the fourth call after. */
const char *testutil_path(const char *rel);

/* The names in dir other than . and .., joined by single spaces into names (len bytes,
 * truncated if need be); returns how many there are. */
int testutil_dir_list(const char *dir, char *names, size_t len);

/* Asserts the temporary directory holds exactly one entry, name; after says what ran before, for
 * the message. */
void testutil_expect_dir_holds_only(const char *name, const char *after);

/* Writes len bytes at data (text: without its NUL) to path, replacing any file there. */
void testutil_file_write(const char *path, const void *data, size_t len);
void testutil_file_put(const char *path, const char *text);

/* The whole file at path, NUL-terminated (one byte past *len); the caller frees it. */
uint8_t *testutil_file_get(const char *path, size_t *len);

/* Asserts the file at path still exists and holds exactly the text want (up to a NUL). */
void testutil_expect_file_text(const char *path, const char *want);

/* n bytes of reproducible noise (xorshift32) that no image coder shrinks; the caller frees it. */
uint8_t *testutil_noise(size_t n);

/* Puts "precious" at path, then runs write(img, path) in a forked child whose files may not
 * grow past 32 KiB (RLIMIT_FSIZE, which binds root too; SIGXFSZ ignored so the write sees EFBIG).
 * Asserts the child exited cleanly with write() returning -1, and path still holds "precious".
 * img must need well over 32 KiB; what names the writer in the messages. */
void testutil_expect_write_past_fsize_fails(int (*write)(const image_view_t *, const char *),
                                            const image_view_t *img, const char *path,
                                            const char *what);

/* Runs the suite (and frees it) in Check's normal mode; main()'s exit status. */
int testutil_suite_run(Suite *s);

/* Runs zbarimg (the program at zbarimg) on path and puts what it decoded, without the trailing
 * newline, in out; fails the test unless zbarimg decoded something. */
void testutil_zbar_decode(const char *zbarimg, const char *path, char *out, size_t outlen);

#endif
