/* testsqlite.c - see testsqlite.h. */
#include "testsqlite.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>

/* A VFS shim that counts xSync calls: with synchronous=FULL in WAL mode every commit syncs the
 * log; with NORMAL a commit syncs nothing. synchronous is per connection, so this is how the
 * queue's own connection is observed. */
static sqlite3_vfs shim_vfs, *real_vfs;
static int syncs;

/* The unix VFS uses one method table for database files and another for journals and logs:
 * each real table gets a shim copy whose xSync counts. */
enum { SHIM_TABLES = 4 };
static sqlite3_io_methods shim_methods[SHIM_TABLES];
static const sqlite3_io_methods *real_methods[SHIM_TABLES];

static int shim_sync(sqlite3_file *f, int flags)
{
    syncs++;
    int k = (int)(f->pMethods - shim_methods);
    return real_methods[k]->xSync(f, flags);
}

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    int rc = real_vfs->xOpen(real_vfs, name, f, flags, out);
    for (int k = 0; rc == SQLITE_OK && f->pMethods && k < SHIM_TABLES; k++) {
        if (!real_methods[k]) {
            real_methods[k] = f->pMethods;
            shim_methods[k] = *f->pMethods;
            shim_methods[k].xSync = shim_sync;
        }
        if (real_methods[k] == f->pMethods) {
            f->pMethods = &shim_methods[k];
            break;
        }
    }
    return rc;
}

void testsqlite_sync_count_install(void)
{
    if (real_vfs) {
        return;
    }
    real_vfs = sqlite3_vfs_find(NULL);
    ck_assert_msg(real_vfs != NULL, "sqlite3_vfs_find: expected the default VFS");
    shim_vfs = *real_vfs;
    shim_vfs.zName = "testsqlite-sync-count";
    shim_vfs.xOpen = shim_open;
    ck_assert_int_eq(sqlite3_vfs_register(&shim_vfs, 1), SQLITE_OK);
}

int testsqlite_syncs(void)
{
    return syncs;
}

void testsqlite_syncs_reset(void)
{
    syncs = 0;
}

void testsqlite_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    ck_assert_msg(rc == SQLITE_OK, "%s: expected SQLITE_OK, got %d (%s)", sql, rc, err ? err : "?");
    sqlite3_free(err);
    sqlite3_close(db);
}

const char *testsqlite_value(const char *path, const char *sql)
{
    static char buf[512];
    sqlite3 *db;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(db));
    ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s: expected a row", sql);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(buf, sizeof buf, "%s", t ? (const char *)t : "NULL");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return buf;
}
