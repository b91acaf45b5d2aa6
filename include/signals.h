/*
 * The signals that end a run (SIGINT, SIGTERM, SIGHUP) and the only places
 * pai-diag waits for anything.  signals_init() blocks them; they are
 * delivered only inside signals_poll() (ppoll with them open), so a signal
 * is never lost between a check and a wait, and every blocking operation
 * of the program (a child's output, a sleep, a write nobody reads, a FIFO,
 * a lock) is a signals_poll() that returns as soon as one arrives.
 */
#ifndef PAI_DIAG_SIGNALS_H
#define PAI_DIAG_SIGNALS_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>

/* Installs the handlers and blocks the signals; call once at start-up. */
void signals_init(void);

/* The first SIGINT/SIGTERM/SIGHUP received (0 if none), and how many. */
int signals_first(void);
int signals_count(void);

/* "SIGINT", "SIGTERM", "SIGHUP" (or "a signal"). */
const char *signals_name(int sig);

/*
 * ppoll() with the run's signals open, for at most timeout seconds (< 0:
 * no limit; capped by signals_wait_cap).  Returns what ppoll returns: -1
 * with EINTR when a signal (or SIGCHLD) arrived.
 */
int signals_poll(struct pollfd *fds, nfds_t n, double timeout);

/*
 * Sleeps for the given seconds on the monotonic clock.  Returns 0, or -1
 * as soon as one of the run's signals has arrived (also before it starts).
 */
int signals_sleep(double seconds);

/*
 * The longest a wait may sleep before re-checking (0: as long as it
 * likes).  With several threads waiting, a signal wakes only one of them;
 * the others notice within this many seconds.
 */
extern double signals_wait_cap;

/* The mask a spawned child starts with: the caller's, our signals open. */
const sigset_t *signals_child_mask(void);

/* Seconds on the monotonic clock. */
double mono_now(void);

#endif
