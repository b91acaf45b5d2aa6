/*
 * Running one child process the way pai-diag runs every aliyun command:
 * posix_spawn (no shell), its own process group, stdin a pipe closed at
 * once, stdout and stderr drained by one poll loop into capped buffers, a
 * wall-clock deadline, and the whole group killed on timeout, on a signal
 * to pai-diag, or when output passes the cap.  No process of the group is
 * left behind when child_run() returns.
 *
 * Signals: child_signals_init() blocks SIGINT, SIGTERM and SIGCHLD and
 * records them only while pai-diag waits (in child_run() and child_sleep()),
 * so a signal is never lost between a check and a wait.
 */
#ifndef PAI_DIAG_CHILD_H
#define PAI_DIAG_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

struct child {
	/* Set by the caller; borrowed. */
	const char *path;	/* executable, used as is (no PATH search) */
	char *const *argv;
	char *const *envp;
	double timeout;		/* seconds; <= 0: none */
	size_t max_output;	/* per stream; 0: no cap */
	int abort_signals;	/* stop when this many signals were seen; 0: 1 */

	/* Results, valid after child_run(). */
	struct buf out, err;	/* owned; child_release() frees them */
	int status;		/* exit code, 128 + signal when killed, -1 */
	int term_signal;	/* the signal that killed it, else 0 */
	int spawn_errno;	/* when status is -1 */
	bool timed_out;		/* the deadline passed and the group was killed */
	bool too_big;		/* a stream passed max_output; group killed */
	bool interrupted;	/* a signal to pai-diag ended it */
	double elapsed;		/* seconds */
};

#define CHILD_INIT { .status = -1 }

/*
 * Runs the child to completion.  Returns 0 when it ran and exited by itself
 * (any exit code), -1 when it could not be started (spawn_errno) or was
 * ended early (timed_out, too_big or interrupted; status is then what the
 * kill produced).
 */
int child_run(struct child *c);

/* Frees the captured output. */
void child_release(struct child *c);

/* Installs the handlers and blocks the signals; call once at start-up. */
void child_signals_init(void);

/* The first SIGINT/SIGTERM received (0 if none) and how many arrived. */
int child_signal(void);
int child_signal_count(void);

/*
 * Sleeps for the given seconds on the monotonic clock.  Returns 0, or -1
 * as soon as a signal arrives.
 */
int child_sleep(double seconds);

/*
 * The longest a wait may sleep before re-checking its child and the
 * signals (0: as long as it likes).  With several threads running
 * children, a SIGCHLD or SIGINT wakes only one of them; the others notice
 * within this many seconds.
 */
extern double child_wait_cap;

/* Seconds on the monotonic clock, for measuring. */
double child_now(void);

#endif
