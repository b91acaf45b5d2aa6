/*
 * runstat: runs a command and prints what it cost, one line per run:
 *
 *	wall total_cpu self_cpu maxrss self_hwm status
 *
 *   wall       seconds from just before the process is created to just
 *              after it is reaped (CLOCK_MONOTONIC);
 *   total_cpu  user + system seconds of the process and of every child it
 *              waited for (wait4's rusage, what /usr/bin/time reports);
 *   self_cpu   seconds the process itself ran, without its children: the
 *              first field of /proc/PID/schedstat (nanoseconds of
 *              sum_exec_runtime), read while the process is a zombie that
 *              has not been reaped yet (waitid WNOWAIT), or at its exit
 *              stop with -m; -1 when the kernel does not have it.  The
 *              main thread only: right for single-threaded programs;
 *   maxrss     KiB, wait4's ru_maxrss: the largest peak RSS of the process
 *              and of the children it waited for (what /usr/bin/time -f %M
 *              reports);
 *   self_hwm   KiB, the process's own peak RSS (VmHWM), with -m only, else
 *              -1: read at the PTRACE_EVENT_EXIT stop, the one moment the
 *              exiting process still has its memory map (also -1 when the
 *              kernel refuses ptrace);
 *   status     the exit status, or 128 + the signal.
 *
 * usage: runstat [-m] [-n N] [-o OUT] [-e ERR] -- COMMAND [ARG...]
 *   -m  trace the process (exit event only) to read self_hwm; its children
 *       are not traced, but each signal it receives (SIGCHLD) costs a stop,
 *       so timings are for runs without -m;
 *   -n  run it N times (default 1), one line each;
 *   -o, -e  stdout and stderr of the command (default /dev/null); OUT is
 *       truncated before each run.
 * stdin is /dev/null.  Without -m the process is started with posix_spawn
 * (vfork-like, as pai-diag starts aliyun), with -m by fork.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

struct cost {
	double wall, total_cpu, self_cpu;
	long maxrss, self_hwm;
	int status;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
fail(const char *what)
{
	fprintf(stderr, "runstat: %s: %s\n", what, strerror(errno));
	exit(125);
}

/* The first field of /proc/PID/schedstat, in seconds; -1 if unreadable. */
static double
self_cpu(pid_t pid)
{
	char path[64];
	unsigned long long ns;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fscanf(f, "%llu", &ns);
	fclose(f);
	return n == 1 ? (double)ns / 1e9 : -1;
}

/* VmHWM of /proc/PID/status in KiB; -1 if absent. */
static long
self_hwm(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void
redirect(const char *path, int fd, int flags)
{
	int f = open(path, flags, 0644);

	if (f < 0 || dup2(f, fd) < 0)
		_exit(126);
	if (f != fd)
		close(f);
}

static void
account(struct cost *c, double start, int ws, const struct rusage *ru)
{
	c->wall = now() - start;
	c->total_cpu = (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
	    (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
	c->maxrss = ru->ru_maxrss;
	c->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

static void
run_plain(char **argv, const char *out, const char *err, struct cost *c)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	siginfo_t si;
	double start;
	pid_t pid;
	int rc, ws;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out,
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err,
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	start = now();
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		errno = rc;
		fail(argv[0]);
	}
	/* A zombie still has its schedstat; wait4 would free it. */
	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			fail("waitid");
	c->self_cpu = self_cpu(pid);
	c->self_hwm = -1;
	while (wait4(pid, &ws, 0, &ru) < 0)
		if (errno != EINTR)
			fail("wait4");
	account(c, start, ws, &ru);
}

static void
run_traced(char **argv, const char *out, const char *err, struct cost *c)
{
	double start = now();
	pid_t pid = fork();
	int ws;

	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		redirect("/dev/null", 0, O_RDONLY);
		redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
		redirect(err, 2, O_WRONLY | O_CREAT | O_TRUNC);
		/* Untraceable (ptrace refused): run untraced, self_hwm -1. */
		(void)ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		kill(getpid(), SIGSTOP);	/* the parent sets the options */
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &ws, WUNTRACED) < 0 || !WIFSTOPPED(ws))
		fail("waitpid");
	c->self_cpu = -1;
	c->self_hwm = -1;
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)
	    (PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)) < 0)
		kill(pid, SIGCONT);	/* not traced: no exit stop */
	else
		ptrace(PTRACE_CONT, pid, NULL, NULL);
	for (;;) {
		struct rusage ru;
		int sig = 0;

		if (wait4(pid, &ws, __WALL, &ru) < 0) {
			if (errno == EINTR)
				continue;
			fail("wait4");
		}
		if (!WIFSTOPPED(ws)) {
			account(c, start, ws, &ru);
			return;
		}
		if (ws >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			c->self_hwm = self_hwm(pid);
			c->self_cpu = self_cpu(pid);
		} else if (ws >> 8 != (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
			sig = WSTOPSIG(ws);	/* a signal for it: deliver */
		}
		ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
	}
}

int
main(int argc, char **argv)
{
	const char *out = "/dev/null", *err = "/dev/null";
	int traced = 0, n = 1, opt;

	while ((opt = getopt(argc, argv, "+mn:o:e:")) != -1) {
		switch (opt) {
		case 'm':
			traced = 1;
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'e':
			err = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc || n < 1)
		goto usage;
	argv += optind;
	for (int i = 0; i < n; i++) {
		struct cost c;

		if (traced)
			run_traced(argv, out, err, &c);
		else
			run_plain(argv, out, err, &c);
		printf("%.6f %.6f %.6f %ld %ld %d\n", c.wall, c.total_cpu,
		    c.self_cpu, c.maxrss, c.self_hwm, c.status);
	}
	return 0;
usage:
	fprintf(stderr, "usage: runstat [-m] [-n N] [-o OUT] [-e ERR] -- "
	    "COMMAND [ARG...]\n");
	return 2;
}
