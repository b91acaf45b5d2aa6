/*
 * Progress on stderr (--progress): what the run is doing, as one line
 * rewritten in place on a terminal, plain timestamped lines, one JSON
 * event per line (ndjson), or nothing.  This module owns the progress
 * mode, the run's start time, the updating terminal line and a fleet's
 * view: on a terminal a block of lines redrawn in place (a line per
 * running target and the fleet's count), in plain mode a line per change
 * of a target's state, never one per poll (drawn by view.c, view.h,
 * which also holds the lock every line to stderr is written under); the
 * other messages (msg.h) take that lock, with the line or the block out
 * of the way, through progress_hold().
 */
#ifndef PAI_DIAG_PROGRESS_H
#define PAI_DIAG_PROGRESS_H

#include <stddef.h>

#include "outcome.h"

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

/*
 * Around a message line (msg.c): hold takes the lock and clears the
 * updating line or the fleet's block; resume redraws the block and lets
 * the lock go.
 */
void progress_hold(void);
void progress_resume(void);

/*
 * A fleet's view (terminal and plain modes; ndjson and none are left as
 * they are).  begin finishes the setup's line and puts up the block;
 * end takes it down, leaving the count as a finished line.
 */
void progress_fleet_begin(size_t targets, int jobs);
void progress_fleet_end(void);
/*
 * The thread's target starts (target and region borrowed until it ends)
 * and ends: its line leaves the block, a done line and the count.
 * Between the two, its progress() and progress_poll() are its state.
 */
void progress_target_begin(const char *target, const char *region);
void progress_target_end(enum outcome o, const char *task_id, int polls);
/* Fleet only: the target's invoke gave it a task. */
void progress_task(const char *task_id);

#endif
