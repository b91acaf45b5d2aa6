/*
 * The user's aliyun AI mode, learnt before pai-diag changes it and put
 * back when it is done, and shared safely by runs at the same time.
 *
 * AI mode is one file of the aliyun configuration, global to every
 * process.  Runs that change it coordinate through a register under the
 * state directory (state.h), one per aliyun configuration directory: the
 * AI mode the user had before the first of them, and the live runs that
 * rely on pai-diag's.  The first run saves and sets it up; later ones only
 * join; the last one to leave puts the user's back.  A run that died
 * (its pid gone, or reused by another process) is dropped from the
 * register, and what it saved still says what the user had.  Every change
 * of the register happens under an flock(2) on a lock file beside it.
 */
#ifndef PAI_DIAG_AIMODE_H
#define PAI_DIAG_AIMODE_H

#include <stdbool.h>
#include <stddef.h>

/* AI mode as `aliyun configure ai-mode show` tells it. */
struct aimode_state {
	bool enabled;
	char *user_agent;	/* owned; NULL: none of the user's own */
};

struct aimode {
	char *dir;		/* the state directory; NULL: no coordination */
	char *name;		/* the register's file name in dir */
	int lock_fd;		/* -1 unless the lock is held */
	bool saved_known;	/* saved came from the register */
	struct aimode_state saved;
	bool joined;		/* this run is in the register */
};

#define AIMODE_INIT { .lock_fd = -1 }

/*
 * Reads the answer of `configure ai-mode show` (JSON with "enabled" and
 * "user_agent").  Returns 0, or -1 when it is not such a document (the
 * caller then counts AI mode as off, with no user agent).
 */
int aimode_parse_show(const char *text, size_t len, struct aimode_state *st);

/*
 * Takes the lock of the register of the aliyun configuration in
 * config_dir, waiting at most timeout seconds (< 0: as long as it takes)
 * and never past a signal.  Returns 0, or -1 with errno (EINTR on a
 * signal, ETIMEDOUT); without a state directory it returns 0 and every
 * other call is a no-op that finds no other run.
 */
int aimode_lock(struct aimode *m, const char *config_dir, double timeout);

/*
 * Under the lock: the number of other live runs in the register (dead
 * ones are dropped), and m->saved from the register when it holds one.
 */
int aimode_others(struct aimode *m);

/* Under the lock: adds this run, with st as the user's AI mode when no
 * run saved one before.  Returns 0 or -1. */
int aimode_join(struct aimode *m, const struct aimode_state *st);

/*
 * Under the lock: takes this run out of the register.  When no other live
 * run remains and restored is set, the register is removed; otherwise it
 * keeps what the user had, for the next run to restore.  Returns the
 * number of other live runs.
 */
int aimode_leave(struct aimode *m, bool restored);

void aimode_unlock(struct aimode *m);
void aimode_state_release(struct aimode_state *st);
void aimode_release(struct aimode *m);

#endif
