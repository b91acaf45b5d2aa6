/*
 * The subprocess layer.  One poll loop drains both pipes, so a child that
 * fills one of them can never deadlock against us; SIGCHLD interrupts the
 * wait so a leader that exits while a grandchild still holds the pipes is
 * noticed at once, and its group is killed before the leader is reaped
 * (the zombie leader keeps the group id from being reused).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "child.h"
#include "msg.h"

/* How long a group gets between SIGTERM and SIGKILL. */
#define KILL_GRACE 1.0
/* How long we still read after SIGKILL before giving up on the pipes. */
#define DRAIN_AFTER_KILL 1.0

double child_wait_cap;
static volatile sig_atomic_t first_signal;
static volatile sig_atomic_t signal_count;
static sigset_t wait_mask;	/* the mask while waiting: our signals open */
static sigset_t spawn_mask;	/* the mask a child starts with */

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
child_signals_init(void)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	spawn_mask = wait_mask;
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGCHLD);
	sigdelset(&spawn_mask, SIGINT);
	sigdelset(&spawn_mask, SIGTERM);
	sigdelset(&spawn_mask, SIGCHLD);
}

int
child_signal(void)
{
	return first_signal;
}

int
child_signal_count(void)
{
	return signal_count;
}

double
child_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct timespec
to_timespec(double seconds)
{
	struct timespec ts;

	if (seconds < 0)
		seconds = 0;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	return ts;
}

int
child_sleep(double seconds)
{
	double end = child_now() + seconds;

	for (;;) {
		double left = end - child_now();
		struct timespec ts;

		if (signal_count > 0)
			return -1;
		if (left <= 0)
			return 0;
		if (child_wait_cap > 0 && left > child_wait_cap)
			left = child_wait_cap;
		ts = to_timespec(left);
		ppoll(NULL, 0, &ts, &wait_mask);
	}
}

static int
spawn(struct child *c, int in[2], int out[2], int err[2], pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def;
	int rc;

	sigemptyset(&def);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGCHLD);

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &spawn_mask);
	posix_spawnattr_setsigdefault(&attr, &def);
	rc = posix_spawn(pid, c->path, &fa, &attr, c->argv, c->envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* Reads what is there; returns 1 on EOF or error, 0 otherwise. */
static int
drain(int fd, struct child *c, struct buf *b)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : 1;
	if (n == 0)
		return 1;
	if (buf_add(b, chunk, (size_t)n) < 0)
		c->too_big = true;
	return 0;
}

/* Has the leader exited?  It stays a zombie, so its group id stays ours. */
static bool
leader_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno == ECHILD;
	return si.si_pid == pid;
}

/* The poll loop: returns when both pipes are closed or given up on. */
static void
capture(struct child *c, pid_t pid, int fds[2], double start)
{
	double deadline = c->timeout > 0 ? start + c->timeout : 0;
	double term_at = 0, kill_at = 0, give_up_at = 0;
	int stop_after = c->abort_signals > 0 ? c->abort_signals : 1;
	bool leader_gone = false;

	c->out.max = c->err.max = c->max_output;
	while (fds[0] >= 0 || fds[1] >= 0) {
		struct pollfd pfd[2];
		struct timespec ts, *tsp = NULL;
		double now = child_now(), wake = 0;
		nfds_t n = 0;

		if (!term_at) {
			if (deadline && now >= deadline)
				c->timed_out = true;
			if (signal_count >= stop_after)
				c->interrupted = true;
			if (c->timed_out || c->interrupted || c->too_big) {
				kill(-pid, SIGTERM);
				term_at = now;
				kill_at = now + (c->too_big ? 0 : KILL_GRACE);
			}
		}
		if (kill_at && !give_up_at && now >= kill_at) {
			kill(-pid, SIGKILL);
			give_up_at = now + DRAIN_AFTER_KILL;
		}
		if (give_up_at && now >= give_up_at)
			break;
		if (!leader_gone && leader_exited(pid)) {
			/* Whatever of its group still runs is a straggler. */
			leader_gone = true;
			kill(-pid, SIGKILL);
			if (!give_up_at)
				give_up_at = now + DRAIN_AFTER_KILL;
		}

		if (give_up_at)
			wake = give_up_at;
		else if (kill_at)
			wake = kill_at;
		else if (deadline)
			wake = deadline;
		if (child_wait_cap > 0 && (!wake || wake - now > child_wait_cap))
			wake = now + child_wait_cap;
		if (wake) {
			ts = to_timespec(wake - now);
			tsp = &ts;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i] < 0)
				continue;
			pfd[n].fd = fds[i];
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			n++;
		}
		if (ppoll(pfd, n, tsp, &wait_mask) < 0)
			continue;	/* EINTR: a signal or SIGCHLD; re-check */
		for (nfds_t i = 0; i < n; i++) {
			int k = pfd[i].fd == fds[0] ? 0 : 1;

			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (drain(fds[k], c, k == 0 ? &c->out : &c->err))
				close_fd(&fds[k]);
		}
	}
	close_fd(&fds[0]);
	close_fd(&fds[1]);
}

int
child_run(struct child *c)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int fds[2], wstatus = 0;
	double start = child_now();
	pid_t pid;
	int rc;

	c->status = -1;
	c->term_signal = 0;
	c->spawn_errno = 0;
	c->timed_out = c->too_big = c->interrupted = false;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
	    pipe2(err, O_CLOEXEC) < 0) {
		c->spawn_errno = errno;
		goto fail;
	}
	rc = spawn(c, in, out, err, &pid);
	if (rc != 0) {
		c->spawn_errno = rc;
		goto fail;
	}
	/* The child has its copies; stdin gets EOF at once. */
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[1]);
	close_fd(&err[1]);
	fds[0] = out[0];
	fds[1] = err[0];
	capture(c, pid, fds, start);

	kill(-pid, SIGKILL);	/* no straggler survives the leader */
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(wstatus))
		c->status = WEXITSTATUS(wstatus);
	else if (WIFSIGNALED(wstatus)) {
		c->term_signal = WTERMSIG(wstatus);
		c->status = 128 + c->term_signal;
	}
	c->elapsed = child_now() - start;
	return c->timed_out || c->too_big || c->interrupted ? -1 : 0;

fail:
	for (int i = 0; i < 2; i++) {
		close_fd(&in[i]);
		close_fd(&out[i]);
		close_fd(&err[i]);
	}
	c->elapsed = child_now() - start;
	return -1;
}

void
child_release(struct child *c)
{
	buf_release(&c->out);
	buf_release(&c->err);
}
