/* testsqlite.h - for the suites of modules that keep SQLite files (queue, ledger): a VFS shim
 * that counts syncs, since synchronous is per connection and the module's own connection is
 * the one to observe. Call from inside a test (it fails the test on error). */
#ifndef LIKELETTER_TEST_TESTSQLITE_H
#define LIKELETTER_TEST_TESTSQLITE_H

/* Makes a sync-counting shim around the default VFS the new default (once per process). */
void testsqlite_sync_count_install(void);

/* xSync calls since the last reset, through the shim. */
int testsqlite_syncs(void);
void testsqlite_syncs_reset(void);

/* Runs sql on the database at path through a connection of its own (fails the test on error). */
void testsqlite_exec(const char *path, const char *sql);

/* The first column of the first row of sql on the database at path, as text ("NULL" for
 * NULL), in a static buffer valid until the next call. */
const char *testsqlite_value(const char *path, const char *sql);

#endif
