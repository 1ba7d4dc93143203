#ifndef CIRCLES_CSQLITE_SHIM_H
#define CIRCLES_CSQLITE_SHIM_H
#include <sqlite3.h>

/// sqlite3_bind_text/blob with SQLITE_TRANSIENT (a macro Swift cannot import): SQLite copies the bytes.
static inline int circles_sqlite3_bind_text(sqlite3_stmt *statement, int index, const char *text, int length) {
    return sqlite3_bind_text(statement, index, text, length, SQLITE_TRANSIENT);
}
static inline int circles_sqlite3_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int length) {
    return sqlite3_bind_blob(statement, index, bytes, length, SQLITE_TRANSIENT);
}
#endif
