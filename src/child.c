/*
 * The subprocess layer.  One poll loop drains both pipes, so a child that
 * fills one of them can never deadlock against us.  SIGCHLD interrupts the
 * wait, so a leader that exits is noticed at once: what is left of its
 * group is killed before the leader is reaped (the zombie leader keeps the
 * group id from being reused), and what left the group (setsid) comes back
 * to pai-diag, a child subreaper, and is ended by child_sweep().  A leader
 * that closed its output but still works is waited for, within the call's
 * deadline.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "child.h"
#include "msg.h"
#include "signals.h"

/* How long a group gets between SIGTERM and SIGKILL. */
#define KILL_GRACE 1.0
/* How long we still read after SIGKILL before giving up on the pipes. */
#define DRAIN_AFTER_KILL 1.0
/* How often a child waiting for the memory gate tries it again. */
#define GATE_RETRY 0.02
/* The most rounds of child_sweep() (each may uncover grandchildren). */
#define SWEEP_ROUNDS 8

/*
 * The leaders of the calls running now, so that child_sweep() (which may
 * run in another thread) never takes one of them for a stray.  Spawning
 * and sweeping both hold the lock, so a leader is registered before any
 * sweep can see it.
 */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t *live;
static size_t nlive, alive_alloc;

void
child_init(void)
{
	/* Orphans of our calls are reparented to us, not to init. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

static void
live_add(pid_t pid)
{
	if (nlive == alive_alloc) {
		alive_alloc = alive_alloc ? alive_alloc * 2 : 8;
		live = xreallocarray(live, alive_alloc, sizeof(*live));
	}
	live[nlive++] = pid;
}

static void
live_remove(pid_t pid)
{
	pthread_mutex_lock(&live_lock);
	for (size_t i = 0; i < nlive; i++) {
		if (live[i] == pid) {
			live[i] = live[--nlive];
			break;
		}
	}
	pthread_mutex_unlock(&live_lock);
}

static bool
is_live(pid_t pid)
{
	for (size_t i = 0; i < nlive; i++)
		if (live[i] == pid)
			return true;
	return false;
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
	sigaddset(&def, SIGHUP);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGCHLD);

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	/* Nothing else of ours (or of our caller's) reaches aliyun. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, signals_child_mask());
	posix_spawnattr_setsigdefault(&attr, &def);
	pthread_mutex_lock(&live_lock);
	rc = posix_spawn(pid, c->path, &fa, &attr, c->argv, c->envp);
	if (rc == 0)
		live_add(*pid);
	pthread_mutex_unlock(&live_lock);
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

/* The next moment the loop must wake: the earliest of the set times. */
static double
earliest(double a, double b)
{
	return a == 0 ? b : b == 0 ? a : a < b ? a : b;
}

/*
 * Whether stdout must wait for the memory gate (child.h); takes it when it
 * is free.
 */
static bool
gate_closed(struct child *c)
{
	if (c->gate == NULL || *c->gate_held || c->out.len < CHILD_GATE_AT)
		return false;
	if (pthread_mutex_trylock(c->gate) != 0)
		return true;
	*c->gate_held = true;
	return false;
}

/*
 * The poll loop: returns when both pipes are closed and the leader has
 * exited, or when they were given up on after a kill.  The leader is
 * looked at before the deadline, so a call that answered while pai-diag
 * was stopped (SIGSTOP, a suspended laptop) is read, not timed out.
 */
static void
capture(struct child *c, pid_t pid, int fds[2], double start)
{
	double deadline = c->timeout > 0 ? start + c->timeout : 0;
	double term_at = 0, kill_at = 0, give_up_at = 0, gated_at = 0;
	int stop_after = c->abort_signals > 0 ? c->abort_signals : 1;
	bool leader_gone = false, killed = false;

	c->out.max = c->err.max = c->max_output;
	while (fds[0] >= 0 || fds[1] >= 0 || !leader_gone) {
		struct pollfd pfd[2];
		double now = mono_now(), wake;
		nfds_t n = 0;
		bool gated = gate_closed(c);

		/* Time spent waiting for the gate is not the child's. */
		if (gated && gated_at && deadline)
			deadline += now - gated_at;
		gated_at = gated ? now : 0;

		if (!leader_gone && leader_exited(pid)) {
			/* Whatever of its group still runs is a straggler. */
			leader_gone = true;
			kill(-pid, SIGKILL);
			child_sweep();
			if (fds[0] < 0 && fds[1] < 0)
				break;
			give_up_at = earliest(give_up_at, now + DRAIN_AFTER_KILL);
		}
		if (!term_at && !leader_gone) {
			if (deadline && now >= deadline)
				c->timed_out = true;
			if (signals_count() >= stop_after)
				c->interrupted = true;
		}
		if (!term_at && (c->timed_out || c->interrupted || c->too_big)) {
			kill(-pid, SIGTERM);
			term_at = now;
			kill_at = now + (c->too_big ? 0 : KILL_GRACE);
		}
		if (kill_at && !killed && now >= kill_at) {
			kill(-pid, SIGKILL);
			killed = true;
			give_up_at = earliest(give_up_at, now + DRAIN_AFTER_KILL);
		}
		if (give_up_at && now >= give_up_at)
			break;

		wake = earliest(give_up_at, killed ? 0 : kill_at);
		if (!term_at && !leader_gone)
			wake = earliest(wake, deadline);
		if (gated)
			wake = earliest(wake, now + GATE_RETRY);
		for (int i = 0; i < 2; i++) {
			if (fds[i] < 0 || (i == 0 && gated && !term_at))
				continue;
			pfd[n].fd = fds[i];
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			n++;
		}
		if (signals_poll(pfd, n, wake ? wake - now : -1) < 0)
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
	double start = mono_now();
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
	live_remove(pid);
	child_sweep();
	if (WIFEXITED(wstatus))
		c->status = WEXITSTATUS(wstatus);
	else if (WIFSIGNALED(wstatus)) {
		c->term_signal = WTERMSIG(wstatus);
		c->status = 128 + c->term_signal;
	}
	c->elapsed = mono_now() - start;
	return c->timed_out || c->too_big || c->interrupted ? -1 : 0;

fail:
	for (int i = 0; i < 2; i++) {
		close_fd(&in[i]);
		close_fd(&out[i]);
		close_fd(&err[i]);
	}
	c->elapsed = mono_now() - start;
	return -1;
}

/*
 * Our children, from /proc/self/task/<main thread>/children: the orphans
 * reparented to us go to the main thread.  Without that file (a kernel
 * without CONFIG_PROC_CHILDREN), every process whose parent we are.
 * Returns how many pids were stored.
 */
static size_t
children(pid_t *pids, size_t max)
{
	char path[300], buf[4096];
	size_t n = 0;
	ssize_t len;
	int fd;
	DIR *dir;
	struct dirent *e;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children",
	    (int)getpid());
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len < 0)
			return 0;
		buf[len] = '\0';
		for (char *p = buf, *end; n < max; p = end) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			pids[n++] = (pid_t)v;
		}
		return n;
	}
	if ((dir = opendir("/proc")) == NULL)
		return 0;
	while (n < max && (e = readdir(dir)) != NULL) {
		long ppid;
		char *rparen;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* "pid (comm) state ppid ...": comm may hold spaces. */
		if ((rparen = strrchr(buf, ')')) == NULL || rparen[1] != ' ' ||
		    rparen[2] == '\0')
			continue;
		ppid = strtol(rparen + 3, NULL, 10);
		if (ppid == getpid())
			pids[n++] = (pid_t)strtol(e->d_name, NULL, 10);
	}
	closedir(dir);
	return n;
}

void
child_sweep(void)
{
	for (int round = 0; round < SWEEP_ROUNDS; round++) {
		pid_t pids[256], strays[256];
		size_t n, nstrays = 0;

		pthread_mutex_lock(&live_lock);
		n = children(pids, sizeof(pids) / sizeof(*pids));
		for (size_t i = 0; i < n; i++) {
			if (is_live(pids[i]))
				continue;
			/* It may lead a group of its own (setsid). */
			if (getpgid(pids[i]) == pids[i])
				kill(-pids[i], SIGKILL);
			kill(pids[i], SIGKILL);
			strays[nstrays++] = pids[i];
		}
		pthread_mutex_unlock(&live_lock);
		if (nstrays == 0)
			return;
		for (size_t i = 0; i < nstrays; i++)
			while (waitpid(strays[i], NULL, 0) < 0 && errno == EINTR)
				;
	}
}

void
child_release(struct child *c)
{
	buf_release(&c->out);
	buf_release(&c->err);
}
