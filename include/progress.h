/*
 * Progress on stderr (--progress): what the run is doing, as one line
 * rewritten in place on a terminal, plain timestamped lines, one JSON
 * event per line (ndjson), or nothing.  This module owns the progress
 * mode, the run's start time and the updating terminal line; the other
 * messages (msg.h) end that line before they print.
 */
#ifndef PAI_DIAG_PROGRESS_H
#define PAI_DIAG_PROGRESS_H

enum progress_mode { PROGRESS_TTY, PROGRESS_PLAIN, PROGRESS_NDJSON,
	PROGRESS_NONE };
/* The mode; set once by main() (default PROGRESS_PLAIN). */
extern enum progress_mode msg_progress;

/*
 * Fleet mode: the target this thread works on (borrowed), named in its
 * progress and in its messages (msg.h); NULL for a single run.
 */
extern _Thread_local const char *msg_target;

/* A step or state change, as a human line (ndjson: a "step" event). */
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A poll's answer (ndjson: a "poll" event). */
void progress_poll(const char *task_id, const char *status, int attempt,
    int max_polls);
/* ndjson only: the "started" and "done" events. */
void progress_started(const char *region, const char *target);
void progress_done(const char *outcome, int exit_code, const char *task_id);
/* Finishes an updating terminal line. */
void progress_end(void);

#endif
