/*
 * Running one child process the way pai-diag runs every aliyun command:
 * posix_spawn (no shell), its own process group, stdin a pipe closed at
 * once, stdout and stderr drained by one poll loop into capped buffers, a
 * wall-clock deadline, and the whole group killed on timeout, on a signal
 * to pai-diag (signals.h), or when output passes the cap.  Only fds 0-2
 * reach the child.  No process of the group, nor any descendant that left
 * it, is left behind when child_run() returns.
 */
#ifndef PAI_DIAG_CHILD_H
#define PAI_DIAG_CHILD_H

#include <pthread.h>
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
	/*
	 * A memory gate shared by threads, or NULL: stdout is read past
	 * CHILD_GATE_AT bytes only by the holder of gate (*gate_held, which
	 * the caller unlocks when done with the output).  Meanwhile the
	 * child waits on its pipe and the deadline is moved by the wait, so
	 * concurrent large answers are held one at a time.
	 */
	pthread_mutex_t *gate;
	bool *gate_held;

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
#define CHILD_GATE_AT (256u << 10)

/*
 * Runs the child to completion: until its output is closed and the leader
 * has exited.  Returns 0 when it ran and exited by itself (any exit code),
 * -1 when it could not be started (spawn_errno) or was ended early
 * (timed_out, too_big or interrupted; status is then what the kill
 * produced).  A leader still running at the deadline is timed out, even
 * when its output is already closed.
 */
int child_run(struct child *c);

/* Frees the captured output. */
void child_release(struct child *c);

/*
 * Makes pai-diag a child subreaper, so that descendants of a call that
 * leave its process group come back to it; call once at start-up.
 */
void child_init(void);

/*
 * Ends (SIGKILL, to their own group too) and reaps every child of
 * pai-diag that is not the leader of a running call: the orphans of
 * calls.  child_run() calls it; main() once more before it exits.
 */
void child_sweep(void);

#endif
