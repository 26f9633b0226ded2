/* log.h - one line per event to stderr (journald takes it from there).
 *
 * Owns: the process-wide log level. log_msg() checks the level before formatting, so debug
 * lines in hot paths cost a compare. Thread-safe: each call writes one line with one write().
 */
#ifndef LIKELETTER_LOG_H
#define LIKELETTER_LOG_H

typedef enum { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 } log_level_t;

/* Sets the level; messages above it are dropped. Default LOG_WARN, or $LIKELETTER_LOG
 * (error|warn|info|debug) read on the first call of log_msg(). */
void log_level_set(log_level_t level);

/* Writes "likeletter: <level>: <message>\n" to stderr when level is enabled. */
void log_msg(log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
