/*
 * Messages to the user and the outcomes a run can end in.
 *
 * Every line pai-diag writes to stderr goes through here, so the prefix,
 * the quiet/verbose switches and the redaction of relayed text live in one
 * place.  The outcome enum names the verdicts of the JSON envelope; only
 * main() turns one into an exit code.
 */
#ifndef PAI_DIAG_MSG_H
#define PAI_DIAG_MSG_H

#include <stdbool.h>
#include <stddef.h>

enum outcome {
	OUTCOME_HEALTHY,
	OUTCOME_WARN,
	OUTCOME_CRITICAL,
	OUTCOME_DIAGNOSIS_FAILED,
	OUTCOME_TIMEOUT,
	OUTCOME_INTERRUPTED,
	OUTCOME_INVALID_TARGET,
	OUTCOME_UNSUPPORTED_TARGET,
	OUTCOME_ACCESS_DENIED,
	OUTCOME_ENVIRONMENT_ERROR,
	OUTCOME_USAGE_ERROR,
	OUTCOME_INTERNAL_ERROR,
};

/* The envelope's name of an outcome ("healthy", "usage_error", ...). */
const char *outcome_name(enum outcome o);

/* Whether the outcome is a verdict of a finished task (healthy/warn/critical). */
bool outcome_is_verdict(enum outcome o);
/* The envelope's "ok": the exit code of a run that produced a verdict. */
bool exit_code_ok(int exit_code);

/*
 * The exit code of an outcome, before --fail-on is applied: warn 10,
 * critical 11, interrupted 130 (use 128 + signal for the real one).
 */
int outcome_exit_code(enum outcome o);

/* Verbosity: -1 quiet, 0 normal, 1 verbose.  Set once by main(). */
extern int msg_verbosity;

/* When set, every warning() is also kept here for the JSON "warnings". */
struct strvec;
extern _Thread_local struct strvec *msg_warnings;
/* Fleet mode: the target this thread works on, named in its progress. */
extern _Thread_local const char *msg_target;

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/*
 * Progress on stderr (--progress): on a terminal one line rewritten in
 * place, plain timestamped lines, one JSON event per line, or nothing.
 * Other messages end an updating line first.
 */
enum progress_mode { PROGRESS_TTY, PROGRESS_PLAIN, PROGRESS_NDJSON,
	PROGRESS_NONE };
extern enum progress_mode msg_progress;

/* A step or state change, as a human line (ndjson: a "step" event). */
void progress(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* A poll's answer (ndjson: a "poll" event). */
void progress_poll(const char *task_id, const char *status, int attempt,
    int max_polls);
/* ndjson only: the "started" and "done" events. */
void progress_started(const char *region, const char *target);
void progress_done(const char *outcome, int exit_code, const char *task_id);
/* Finishes an updating terminal line. */
void progress_end(void);

/* "pai-diag: error: <fmt>\n" on stderr. Always printed. */
void error(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* "pai-diag: warning: <fmt>\n" on stderr (even with --quiet) and kept. */
void warning(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* "<fmt>\n" on stderr, as it is (made safe, masked). */
void plain(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* "pai-diag: <fmt>\n" on stderr, even with --quiet. */
void inform(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* "pai-diag: <fmt>\n" on stderr, only with --verbose. */
void verbose(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* "pai-diag: fatal: <fmt>\n" and exit 1: out of memory, impossible states. */
void die(const char *fmt, ...) PRINTF_LIKE(1, 2) __attribute__((noreturn));

/* Allocation that dies on failure; for small, bounded sizes only. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

#endif
