/*
 * Entry point of the aliyun simulator.  A run records what it was given
 * (ALIYUN_SIM_LOG: the argv, ALIYUN_SIM_ENVLOG: the environment and the
 * kind of stdin), loads the scenario, then does what CLI 3.4.11 does on
 * every start: create $HOME/.aliyun (a Go panic when it cannot) and load
 * config.json (a corrupt one stops every command, with exit 0).  Only then
 * are the scenario rules tried, and when none answers, the command runs
 * like the real one.  See README.md in this directory.
 *
 * ALIYUN_SIM_TIMELOG is for the benchmarks: the run's own span (taken at
 * the top of main and in an atexit handler) and CPU time, so a benchmark
 * can tell the simulator's cost from that of the program driving it.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "sim.h"

/* How long a pipe on stdin may take to show its end of file. */
#define STDIN_GRACE_MS	200

/*
 * What stdin is.  A pipe is polled only when the environment log wants to
 * know whether it is at end of file; the short grace covers a parent that
 * closes its end just after the spawn.
 */
static const char *
stdin_kind(int probe_pipe)
{
	struct pollfd pfd;
	struct stat st;
	ssize_t n;
	char c;

	if (fstat(0, &st) == -1)
		return "closed";
	if (isatty(0))
		return "tty";
	if (S_ISCHR(st.st_mode))
		return "chr";
	if (S_ISREG(st.st_mode))
		return "file";
	if (!S_ISFIFO(st.st_mode))
		return "other";
	if (!probe_pipe)
		return "pipe";
	pfd.fd = 0;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, STDIN_GRACE_MS) <= 0)
		return "pipe-open";
	do
		n = read(0, &c, 1);
	while (n == -1 && errno == EINTR);
	return n == 0 ? "pipe-eof" : "pipe-open";
}

static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/*
 * The file descriptors above 2 that the run was started with, ascending
 * and comma-separated, or "-": what a parent leaked into aliyun.  Read
 * from /proc/self/fd (leaving out the directory's own descriptor), else by
 * probing every descriptor below 1024.  Caller frees.
 */
static char *
inherited_fds(void)
{
	struct sbuf sb = SBUF_INIT;
	struct dirent *e;
	DIR *dir;
	int *v = NULL, *nv, fd, self = -1;
	size_t n = 0, cap = 0, i;
	char *end;
	long l;

	if ((dir = opendir("/proc/self/fd")) != NULL) {
		self = dirfd(dir);
		while ((e = readdir(dir)) != NULL) {
			l = strtol(e->d_name, &end, 10);
			if (end == e->d_name || *end != '\0' || l <= 2 ||
			    l == self || l > 1 << 30)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				if ((nv = reallocarray(v, cap, sizeof(*v))) ==
				    NULL)
					die("out of memory");
				v = nv;
			}
			v[n++] = (int)l;
		}
		(void)closedir(dir);
	} else {
		for (fd = 3; fd < 1024; fd++) {
			if (fcntl(fd, F_GETFD) == -1)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				if ((nv = reallocarray(v, cap, sizeof(*v))) ==
				    NULL)
					die("out of memory");
				v = nv;
			}
			v[n++] = fd;
		}
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), int_cmp);
	for (i = 0; i < n; i++)
		sbuf_addf(&sb, "%s%d", i > 0 ? "," : "", v[i]);
	if (n == 0)
		sbuf_addc(&sb, '-');
	free(v);
	return sbuf_detach(&sb);
}

/*
 * Close stdout and stderr, as GNU cat does before it exits, then linger
 * ms: the reader of our pipes sees their end long before our exit.
 */
void
close_output(struct sim *s, long ms)
{
	(void)close(1);
	(void)close(2);
	s->closed = 1;
	sleep_ms(ms);
}

/* Give closed standard descriptors /dev/null, so no file lands on them. */
static void
fix_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) != -1)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) == -1)
			die("cannot open /dev/null: %s", strerror(errno));
	}
}

/* Append line to the file named by env var, in one write(2). */
void
log_append(const char *var, const struct sbuf *line)
{
	const char *path = getenv(var);
	ssize_t n;
	int fd;

	if (path == NULL || path[0] == '\0')
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1)
		die("cannot open %s '%s': %s", var, path, strerror(errno));
	do
		n = write(fd, line->buf, line->len);
	while (n == -1 && errno == EINTR);
	if (n == -1 || (size_t)n != line->len)
		die("cannot write %s '%s'", var, path);
	(void)close(fd);
}

/* The arguments as the argv log writes them, each shell-quoted. */
void
argv_quoted(const struct sim *s, struct sbuf *sb)
{
	int i;

	for (i = 0; i < s->argc; i++) {
		if (i > 0)
			sbuf_addc(sb, ' ');
		shell_quote(sb, s->argv[i]);
	}
}

static void
log_argv(const struct sim *s)
{
	struct sbuf line = SBUF_INIT;

	argv_quoted(s, &line);
	sbuf_addc(&line, '\n');
	log_append("ALIYUN_SIM_LOG", &line);
	sbuf_release(&line);
}

static void
log_env(const struct sim *s)
{
	static const char *const vars[] = {
		"NO_COLOR", "LANG", "LC_ALL", "DEBUG",
		"ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL", NULL
	};
	struct sbuf line = SBUF_INIT;
	const char *v;
	size_t i;

	for (i = 0; vars[i] != NULL; i++) {
		v = getenv(vars[i]);
		sbuf_addf(&line, "%s=%s ", vars[i], v != NULL ? v : "-");
	}
	sbuf_addf(&line, "stdin=%s pgrp=%s fds=%s\n", s->stdin_kind,
	    getpgrp() == getpid() ? "own" : "shared", s->fds);
	log_append("ALIYUN_SIM_ENVLOG", &line);
	sbuf_release(&line);
}

static struct timespec run_start;
static pid_t run_pid;

/*
 * ALIYUN_SIM_TIMELOG: one line "<start> <end> <user> <sys>", CLOCK_MONOTONIC
 * seconds (to the nanosecond) at the top of main and at exit, then this
 * process's own CPU seconds (getrusage RUSAGE_SELF, to the microsecond).
 * Runs as an atexit handler, so die()'s exit counts too; a run that ends by
 * a signal writes nothing.  A forked grandchild inherits the handler, so
 * only the process that started main writes.  Errors are ignored: the log
 * must not change what the run answers.
 */
static void
log_time(void)
{
	const char *path = getenv("ALIYUN_SIM_TIMELOG");
	struct timespec end;
	struct rusage ru;
	char line[160];
	int fd, n;

	if (path == NULL || path[0] == '\0' || getpid() != run_pid)
		return;
	(void)clock_gettime(CLOCK_MONOTONIC, &end);
	if (getrusage(RUSAGE_SELF, &ru) == -1)
		memset(&ru, 0, sizeof(ru));
	n = snprintf(line, sizeof(line), "%lld.%09ld %lld.%09ld %ld.%06ld "
	    "%ld.%06ld\n", (long long)run_start.tv_sec, run_start.tv_nsec,
	    (long long)end.tv_sec, end.tv_nsec, (long)ru.ru_utime.tv_sec,
	    (long)ru.ru_utime.tv_usec, (long)ru.ru_stime.tv_sec,
	    (long)ru.ru_stime.tv_usec);
	if (n <= 0 || (size_t)n >= sizeof(line))
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1)
		return;
	while (write(fd, line, (size_t)n) == -1 && errno == EINTR)
		;
	(void)close(fd);
}

/* What the Go runtime prints when the config directory cannot be made. */
static int
go_panic(const char *dir, int err)
{
	struct sbuf sb = SBUF_INIT;
	const char *msg = strerror(err);

	sbuf_addf(&sb, "panic: mkdir %s: %c%s\n\ngoroutine 1 [running]:\n"
	    "github.com/aliyun/aliyun-cli/v3/config.GetConfigPath()\n"
	    "\t/build/aliyun-cli/config/"
	    "configuration.go:231 +0x1b4\n"
	    "github.com/aliyun/aliyun-cli/v3/config.LoadConfiguration(...)\n"
	    "\t/build/aliyun-cli/config/"
	    "configuration.go:120\nmain.Main({0xc000036150?, 0x2, 0x2})\n"
	    "\t/build/aliyun-cli/main/main.go:67 "
	    "+0x2c\n", dir, tolower((unsigned char)msg[0]), msg + 1);
	(void)out_write(2, sb.buf, sb.len);
	sbuf_release(&sb);
	return 2;
}

static int
starts_with(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Chinese when LANG says so or the profile in use speaks zh. */
static int
wants_chinese(const struct sim *s)
{
	const char *name;

	if (starts_with(getenv("LANG"), "zh_CN"))
		return 1;
	name = args_get(&s->args, "--profile", NULL);
	if (name == NULL || name[0] == '\0')
		name = config_current(s);
	return strcmp(prof_str(config_profile(s, name), "language"), "zh") == 0;
}

static int
usage(void)
{
	out_puts(1, "Alibaba Cloud Command Line Interface (simulated)\n\n"
	    "Usage:\n  aliyun <product> <operation> [--parameter1 value1 "
	    "--parameter2 value2 ...]\n\nCommands:\n  configure       "
	    "configure credential and settings\n  plugin          manage "
	    "plugins\n  version         print current version\n");
	return 0;
}

static int
dispatch(struct sim *s)
{
	static const char *const cmds[] = {
		"configure", "eas", "pai-dlc", "plugin", "sysom", "version",
		NULL
	};
	const char *w;

	if (s->args.npos == 0)
		return usage();
	w = s->args.pos[0];
	if (strcmp(w, "version") == 0)
		return cmd_version(s);
	if (strcmp(w, "configure") == 0)
		return cmd_configure(s);
	if (strcmp(w, "plugin") == 0)
		return cmd_plugin(s);
	if (is_business(w))
		return cmd_business(s);
	return not_a_command(s, w, cmds);
}

/* Everything up to the command itself; returns -1 to go on, else the exit. */
static int
start(struct sim *s)
{
	const char *v;
	char *dir;
	int rc = -1;

	if (scenario_load(&s->sc, getenv("ALIYUN_SIM_SCENARIO")) == -1)
		return SIM_EXIT_BROKEN;
	args_parse(&s->args, s->argc, s->argv);
	v = getenv("NO_COLOR");
	s->color = v == NULL || v[0] == '\0' || s->sc.color;
	v = getenv("HOME");
	s->home = xstrdup(v != NULL && v[0] != '\0' ? v : "/");
	v = getenv("ALIYUN_SIM_STATE");
	s->state_dir = v != NULL && v[0] != '\0' ? xstrdup(v) :
	    path_join(s->home, ".aliyun-sim-state");
	dir = path_join(s->home, ".aliyun");
	s->config_path = path_join(dir, "config.json");
	if (mkdir_p(dir, 0755) == -1)
		rc = go_panic(dir, errno);
	else if (config_load(s) == -1) {
		host_error_nonl(s, "load current configuration failed invalid "
		    "character '}' looking for beginning of object key string");
		rc = version_cmp(s->sc.version, DEFAULT_VERSION) > 0 ? 1 : 0;
	}
	free(dir);
	if (rc == -1)
		s->chinese = wants_chinese(s);
	return rc;
}

int
main(int argc, char **argv)
{
	struct sim s;
	const char *v;
	int rc, answered;

	(void)clock_gettime(CLOCK_MONOTONIC, &run_start);
	run_pid = getpid();
	(void)atexit(log_time);
	memset(&s, 0, sizeof(s));
	s.fds = inherited_fds();
	(void)signal(SIGPIPE, SIG_IGN);
	s.argc = argc > 0 ? argc - 1 : 0;
	s.argv = argc > 0 ? argv + 1 : argv;
	v = getenv("ALIYUN_SIM_ENVLOG");
	s.stdin_kind = stdin_kind(v != NULL && v[0] != '\0');
	fix_std_fds();
	log_argv(&s);
	log_env(&s);
	rc = start(&s);
	if (rc == -1) {
		rc = rules_try(&s, &answered);
		if (!answered)
			rc = dispatch(&s);
	}
	if (!s.closed && s.sc.linger_ms > 0)
		close_output(&s, s.sc.linger_ms);
	args_release(&s.args);
	scenario_release(&s.sc);
	cJSON_Delete(s.config);
	free(s.home);
	free(s.config_path);
	free(s.state_dir);
	free(s.fds);
	return rc;
}
