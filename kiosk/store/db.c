/* db.c - the store's shared SQLite opening and durability (see db.h). */
#include "db.h"

#include "likeletter/log.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int64_t db_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The database's missing parent directories, 0700: it holds visitors' notes. */
static int dir_make(const char *who, const char *path)
{
    char *dir = strdup(path);
    if (!dir) {
        log_msg(LOG_ERROR, "%s %s: out of memory", who, path);
        return -1;
    }
    char *slash = strrchr(dir, '/');
    int rc = 0;
    for (char *s = dir + 1; slash && s <= slash && rc == 0; s++) {
        if (*s != '/') {
            continue;
        }
        *s = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
            log_msg(LOG_ERROR, "%s %s: cannot create directory %s: %s", who, path, dir,
                    strerror(errno));
            rc = -1;
        }
        *s = '/';
    }
    free(dir);
    return rc;
}

int db_exec(sqlite3 *db, const char *who, const char *path, const char *sql, const char *what)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        log_msg(LOG_ERROR, "%s %s: %s: %s", who, path, what, sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* WAL with a sync of the log at every commit: what a call commits is on disk when it returns. */
static int durability_set(sqlite3 *db, const char *who, const char *path)
{
    sqlite3_stmt *st = NULL;
    char mode[16] = "";
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        log_msg(LOG_ERROR, "%s %s: set journal_mode = WAL: %s", who, path, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(mode, sizeof mode, "%s", t ? (const char *)t : "");
    sqlite3_finalize(st);
    if (strcmp(mode, "wal") != 0) {
        log_msg(LOG_ERROR, "%s %s: cannot use WAL (journal mode stays %s)", who, path, mode);
        return -1;
    }
    return db_exec(db, who, path, "PRAGMA synchronous = FULL", "set synchronous = FULL");
}

sqlite3 *db_open(const char *who, const char *path)
{
    sqlite3 *db = NULL;
    if (dir_make(who, path) < 0) {
        return NULL;
    }
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        log_msg(LOG_ERROR, "%s %s: cannot open: %s", who, path,
                db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    if (durability_set(db, who, path) < 0) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

int db_prepare_all(sqlite3 *db, const char *who, const char *path, const char *const *sql,
                   sqlite3_stmt **st, int n)
{
    for (int k = 0; k < n; k++) {
        if (sqlite3_prepare_v3(db, sql[k], -1, SQLITE_PREPARE_PERSISTENT, &st[k], NULL) !=
            SQLITE_OK) {
            log_msg(LOG_ERROR, "%s %s: prepare a statement (a table of another shape?): %s", who,
                    path, sqlite3_errmsg(db));
            return -1;
        }
    }
    return 0;
}

void db_close(sqlite3 *db, const char *who, const char *path, sqlite3_stmt **st, int n)
{
    for (int k = 0; k < n; k++) {
        sqlite3_finalize(st[k]);
    }
    if (db && sqlite3_close(db) != SQLITE_OK) {
        log_msg(LOG_ERROR, "%s %s: cannot close: %s", who, path, sqlite3_errmsg(db));
    }
}

/* The version row of meta into *version (0 when not written yet). */
static int version_read(sqlite3 *db, const char *who, const char *path, const char *meta,
                        int64_t *version)
{
    char sql[128];
    sqlite3_stmt *st = NULL;
    snprintf(sql, sizeof sql, "SELECT value FROM %s WHERE key = 'schema'", meta);
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    *version = 0;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
    }
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 0) != SQLITE_INTEGER || *version < 1) {
            log_msg(LOG_ERROR, "%s %s: the schema version in %s is damaged", who, path, meta);
            rc = -1;
        }
    } else if (rc != SQLITE_DONE) {
        log_msg(LOG_ERROR, "%s %s: read the schema version: %s", who, path, sqlite3_errmsg(db));
        rc = -1;
    }
    sqlite3_finalize(st);
    return rc < 0 ? -1 : 0;
}

int db_schema_ensure(sqlite3 *db, const char *who, const char *path, const char *meta,
                     const char *schema_sql, int version)
{
    char sql[256];
    int64_t have = 0;
    if (db_exec(db, who, path, "BEGIN IMMEDIATE", "begin the schema check") < 0) {
        return -1;
    }
    snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s (key TEXT PRIMARY KEY, value INTEGER)",
             meta);
    int rc = db_exec(db, who, path, sql, "create the meta table");
    rc = rc ? rc : version_read(db, who, path, meta, &have);
    if (rc == 0 && have > version) {
        log_msg(LOG_ERROR,
                "%s %s: the schema version is %" PRId64
                ", newer than this program's %d: refusing to use it",
                who, path, have, version);
        rc = -1;
    }
    rc = rc ? rc : db_exec(db, who, path, schema_sql, "create the tables");
    if (rc == 0 && have < version) {
        snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO %s (key, value) VALUES ('schema', %d)",
                 meta, version);
        rc = db_exec(db, who, path, sql, "set the schema version");
    }
    if (rc == 0) {
        return db_exec(db, who, path, "COMMIT", "commit the schema");
    }
    if (!sqlite3_get_autocommit(db)) {
        (void)db_exec(db, who, path, "ROLLBACK", "roll back the schema check");
    }
    return -1;
}
