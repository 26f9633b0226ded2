/* db.h - what the store's modules (queue, ledger) share about their SQLite connections: one
 * database file (<state>/likeletter.db), each module on its own connection with its own tables,
 * all with the same durability: WAL, synchronous=FULL, a 5 s busy timeout.
 *
 * Private to kiosk/store/. Errors are logged here once as "WHO PATH: what: SQLite's message".
 */
#ifndef LIKELETTER_STORE_DB_H
#define LIKELETTER_STORE_DB_H

#include <sqlite3.h>
#include <stdint.h>

/* Opens (creating it and its missing directories, mode 0700) the database at path with the
 * durability above. who names the module in log lines. Returns NULL on failure (logged). */
sqlite3 *db_open(const char *who, const char *path);

/* Runs sql (no results); returns 0, or -1 logged with what. */
int db_exec(sqlite3 *db, const char *who, const char *path, const char *sql, const char *what);

/* Prepares n persistent statements; returns 0, or -1 logged (the table has another shape). */
int db_prepare_all(sqlite3 *db, const char *who, const char *path, const char *const *sql,
                   sqlite3_stmt **st, int n);

/* A module's own tables with their own schema version (a row key 'schema' in the module's meta
 * table, e.g. "ledger_meta"; PRAGMA user_version is the print queue's): in one IMMEDIATE
 * transaction, so two processes opening a new file at once do not race, creates the meta table,
 * refuses a version newer than version, runs schema_sql (CREATE ... IF NOT EXISTS) and records
 * version. Returns 0, or -1 (logged; a damaged version row is an error too). */
int db_schema_ensure(sqlite3 *db, const char *who, const char *path, const char *meta,
                     const char *schema_sql, int version);

/* Finalizes n statements and closes db; accepts NULL db and NULL statements. */
void db_close(sqlite3 *db, const char *who, const char *path, sqlite3_stmt **st, int n);

/* The wall clock in ms since the epoch, as records keep it. */
int64_t db_clock_ms(void);

#endif
