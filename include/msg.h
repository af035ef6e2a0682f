/* msg.h - everything the tool says.  The only module that writes to
 * stderr; stdout gets the result lines (posts written) and --json.
 *
 * Levels: errors always; warnings unless quiet; notes only when verbose.
 * Messages are one line each: "medium2jekyll: <context>: <problem>".
 */
#ifndef M2J_MSG_H
#define M2J_MSG_H

#include <stdbool.h>

enum msg_level { MSG_QUIET = -1, MSG_NORMAL = 0, MSG_VERBOSE = 1 };

void msg_set_level(int level);
int msg_level(void);
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A result line on stdout (suppressed by quiet). */
void msg_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Turns the result lines of msg_out on or off (off under --json). */
void msg_set_results(bool on);
/* A progress line on stderr, only when stderr is a terminal and not
 * quiet, redrawn at most twice a second. */
void msg_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends the progress line, if one is shown, keeping its last state on
 * screen (it ends with a newline instead of being erased). */
void msg_progress_done(void);
/* The last word of a run (its summary), on stderr when stderr is a
 * terminal or verbose, never when quiet (so never in cron by default). */
void msg_progress_final(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Raw text on stdout, never suppressed (convert, --json). */
void msg_print(const char *s, unsigned long len);

#endif
