/*
 * The lines of stderr under progress.h: the lock every line is written
 * under, the updating terminal line, plain timestamped lines, and a
 * fleet's view: on a terminal one block at the bottom, a line per
 * running target (its region, state and time) and the fleet's count,
 * redrawn in place; in plain mode a line per change of a target's state,
 * never one per poll.  progress.c calls in here; nothing else does.
 */
#ifndef PAI_DIAG_VIEW_H
#define PAI_DIAG_VIEW_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "outcome.h"

/*
 * The lock of stderr's lines and of the view's state.  The functions
 * below marked "locked" want it held; the others take it.
 */
extern pthread_mutex_t view_lock;

/* "2026-11-29T05:50:00Z", UTC wall clock. */
void view_utc_now(char *out, size_t len);
/* Locked: "<UTC time> pai-diag: [target] safe\n" (target may be NULL). */
void view_plain(const char *target, const char *safe);
/* Locked: the updating terminal line says safe; ended by view_end_line. */
void view_line(const char *safe);
void view_end_line(void);

/* Locked: takes the block off the terminal; whether a block is up. */
bool view_erase(void);
/* Locked: draws the block again, when one is up. */
void view_draw(void);
/* Locked: a step of this thread's target is its state (terminal); handled? */
bool view_step(const char *safe);

/*
 * A fleet's targets start: the updating line is finished and, on a
 * terminal (tty), the block put up.  view_end takes it down and leaves
 * the count as a finished line.
 */
void view_begin(size_t targets, int jobs, bool tty);
void view_end(void);
/* This thread's target starts (both strings borrowed until it ends). */
void view_target_begin(const char *target, const char *region);
/* Its invoke gave it a task. */
void view_task(const char *task_id);
/* A poll of this thread's target; false when it is not in a fleet. */
bool view_poll(const char *task_id, const char *status, int attempt,
    int max_polls);
/* It ended: its line leaves the block; a done line and the count. */
void view_target_end(const char *target, enum outcome o,
    const char *task_id, int polls);

#endif
