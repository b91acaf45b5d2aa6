/*
 * Signals and waiting; see signals.h.  The handlers only count: what a
 * signal means (cleanup, the resume command, the exit code) is decided by
 * the code that notices the count, outside any handler.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "signals.h"

double signals_wait_cap;
static volatile sig_atomic_t first_signal;
static volatile sig_atomic_t signal_count;
static sigset_t wait_mask;	/* the mask while waiting: our signals open */
static sigset_t child_mask;	/* the mask a child starts with */

static void
on_signal(int sig)
{
	if (first_signal == 0)
		first_signal = sig;
	if (signal_count < 100)
		signal_count++;
}

static void
on_sigchld(int sig)
{
	(void)sig;
}

void
signals_init(void)
{
	static const int ours[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(ours) / sizeof(*ours); i++) {
		sigaction(ours[i], &sa, NULL);
		sigaddset(&block, ours[i]);
	}
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sigaddset(&block, SIGCHLD);
	signal(SIGPIPE, SIG_IGN);

	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	child_mask = wait_mask;
	for (size_t i = 0; i < sizeof(ours) / sizeof(*ours); i++) {
		sigdelset(&wait_mask, ours[i]);
		sigdelset(&child_mask, ours[i]);
	}
	sigdelset(&wait_mask, SIGCHLD);
	sigdelset(&child_mask, SIGCHLD);
}

int
signals_first(void)
{
	return first_signal;
}

int
signals_count(void)
{
	return signal_count;
}

const char *
signals_name(int sig)
{
	switch (sig) {
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	default:
		return "a signal";
	}
}

const sigset_t *
signals_child_mask(void)
{
	return &child_mask;
}

double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
signals_poll(struct pollfd *fds, nfds_t n, double timeout)
{
	struct timespec ts, *tsp = NULL;

	if (signals_wait_cap > 0 && (timeout < 0 || timeout > signals_wait_cap))
		timeout = signals_wait_cap;
	if (timeout >= 0) {
		ts.tv_sec = (time_t)timeout;
		ts.tv_nsec = (long)((timeout - (double)ts.tv_sec) * 1e9);
		if (ts.tv_nsec >= 1000000000L)
			ts.tv_nsec = 999999999L;
		tsp = &ts;
	}
	return ppoll(fds, n, tsp, &wait_mask);
}

int
signals_sleep(double seconds)
{
	double end = mono_now() + seconds;

	for (;;) {
		double left = end - mono_now();

		if (signal_count > 0)
			return -1;
		if (left <= 0)
			return 0;
		signals_poll(NULL, 0, left);
	}
}
