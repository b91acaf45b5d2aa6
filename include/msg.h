/*
 * Messages to the user: errors, warnings, verbose and plain lines.
 *
 * Every line pai-diag writes to stderr goes through here or progress.h,
 * so the prefix, the quiet/verbose switches and the redaction of relayed
 * text live in one place.  Also includes what a caller of messages
 * usually needs with them: the outcomes (outcome.h), progress
 * (progress.h) and allocation with die() (xalloc.h).
 */
#ifndef PAI_DIAG_MSG_H
#define PAI_DIAG_MSG_H

#include "outcome.h"
#include "progress.h"
#include "xalloc.h"

/* Verbosity: -1 quiet, 0 normal, 1 verbose.  Set once by main(). */
extern int msg_verbosity;

/* When set, every warning() is also kept here for the JSON "warnings". */
struct strvec;
extern _Thread_local struct strvec *msg_warnings;

/*
 * Each message function ends an updating progress line first (a fleet's
 * block on a terminal is taken down and drawn again below it), then
 * prints one line, made safe for a terminal and masked (redact()); in a
 * fleet the thread's target (msg_target) follows the prefix.
 */
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

#endif
