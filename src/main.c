/*
 * pai-diag: one command for a SysOM diagnosis of a PAI EAS service or DLC
 * job.  main() reads and checks every option before any aliyun process
 * starts, runs the workflow, writes the report, and is the only place that
 * turns an outcome into an exit code.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "child.h"
#include "fleet.h"
#include "msg.h"
#include "signals.h"
#include "options.h"
#include "output.h"
#include "params.h"
#include "report.h"
#include "secrets.h"
#include "workflow.h"

#define PAI_DIAG_VERSION "0.1.0"

enum {
	OPT_REALTIME = 256, OPT_SINCE, OPT_START, OPT_END, OPT_DESCRIPTION,
	OPT_UID, OPT_TASK_ID, OPT_POLL_INTERVAL, OPT_MAX_POLLS,
	OPT_CALL_TIMEOUT, OPT_FAIL_ON, OPT_COLOR, OPT_NO_SETUP, OPT_PROFILE,
	OPT_ALIYUN, OPT_DRY_RUN, OPT_OUTPUT_FILE, OPT_PROGRESS,
	OPT_UPDATE_PLUGINS, OPT_INSTANCES_FILE,
};

static const struct option long_options[] = {
	{ "aliyun", required_argument, NULL, OPT_ALIYUN },
	{ "call-timeout", required_argument, NULL, OPT_CALL_TIMEOUT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "description", required_argument, NULL, OPT_DESCRIPTION },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "end", required_argument, NULL, OPT_END },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "help", no_argument, NULL, 'h' },
	{ "instance", required_argument, NULL, 'i' },
	{ "instances-file", required_argument, NULL, OPT_INSTANCES_FILE },
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-polls", required_argument, NULL, OPT_MAX_POLLS },
	{ "no-setup", no_argument, NULL, OPT_NO_SETUP },
	{ "output", required_argument, NULL, 'o' },
	{ "output-file", required_argument, NULL, OPT_OUTPUT_FILE },
	{ "poll-interval", required_argument, NULL, OPT_POLL_INTERVAL },
	{ "product", required_argument, NULL, 'p' },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "progress", required_argument, NULL, OPT_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "realtime", no_argument, NULL, OPT_REALTIME },
	{ "region", required_argument, NULL, 'r' },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "start", required_argument, NULL, OPT_START },
	{ "task-id", required_argument, NULL, OPT_TASK_ID },
	{ "uid", required_argument, NULL, OPT_UID },
	{ "update-plugins", no_argument, NULL, OPT_UPDATE_PLUGINS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
"usage: pai-diag --region REGION --instance ID [--product EAS|DLC]\n"
"                [--realtime] [--since DURATION | --start TIME [--end TIME]]\n"
"                [--description TEXT] [--uid UID] [options]\n"
"       pai-diag --region REGION --task-id TASK [options]\n"
"       pai-diag doctor [options]\n"
"       pai-diag --help | --version\n"
"\n"
"Runs a SysOM root-cause diagnosis of a PAI EAS service or DLC job through\n"
"the aliyun CLI: checks the environment, validates the target, starts the\n"
"diagnosis, waits for it and prints the root cause, suggestions and issues.\n"
"\n"
"Target:\n"
"  -r, --region REGION       region of the resource, e.g. cn-hangzhou\n"
"  -i, --instance ID         EAS service id (eas-m-...) or DLC job id (dlc...)\n"
"  -p, --product EAS|DLC     override the product inferred from the id\n"
"      --task-id TASK        attach to an existing task: poll it and report it\n"
"      --instances-file FILE one target a line ('ID [PRODUCT]'; - is stdin)\n"
"  -j, --jobs N              targets diagnosed at once in fleet mode (default 8)\n"
"  Several --instance, --task-id or --instances-file make a fleet: one setup,\n"
"  one report with a table and every target's report, the worst exit code.\n"
"\n"
"Diagnosis:\n"
"      --realtime            real-time diagnosis, even if a window was given\n"
"      --since DURATION      historical window ending now: 90s, 30m, 2h, 1d\n"
"      --start TIME          historical window start: Unix seconds,\n"
"                            'YYYY-MM-DD HH:MM[:SS]' (local time) or ISO 8601\n"
"                            'YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]'\n"
"      --end TIME            window end (default now; needs --start)\n"
"      --description TEXT    the problem, in English (sent as ocd_description)\n"
"      --uid UID             account id owning the resource\n"
"\n"
"Waiting:\n"
"      --poll-interval SEC   seconds between result polls (default 10)\n"
"      --max-polls N         most result polls, 1 to 10000 (default 60)\n"
"      --call-timeout SEC    cap for each aliyun process (default 300)\n"
"\n"
"Output:\n"
"  -o, --output text|json|markdown\n"
"                            report format on stdout (default text)\n"
"      --output-file PATH    write the report there (atomically), not stdout\n"
"      --dry-run             print the plan (every aliyun command, the params\n"
"                            JSON, the polling budget) and run nothing\n"
"      --fail-on never|warn|critical\n"
"                            lowest overall status that fails (default warn)\n"
"      --color auto|always|never\n"
"                            colour the text report (default auto)\n"
"      --progress auto|plain|ndjson|none\n"
"                            progress on stderr: an updating line on a\n"
"                            terminal, timestamped lines, JSON events, or none\n"
"  -q, --quiet               no progress (--progress none)\n"
"  -v, --verbose             also show every aliyun command and its duration\n"
"\n"
"Environment:\n"
"      --no-setup            do not change aliyun's configuration (ai-mode,\n"
"                            plugin update, auto-plugin-install)\n"
"      --update-plugins      run 'aliyun plugin update' even if one succeeded\n"
"                            in the last 24 hours\n"
"      --profile NAME        aliyun profile to use\n"
"      --aliyun PATH         the aliyun executable (or PAI_DIAG_ALIYUN)\n"
"  -h, --help                show this help\n"
"  -V, --version             show the version\n"
"\n"
"Commands:\n"
"  doctor                    check aliyun and the credentials, change nothing\n"
"\n"
"Exit status:\n"
"    0  healthy: Info (or any status with --fail-on never); --help, --version\n"
"    1  internal error: unparsable aliyun output, three failed polls in a\n"
"       row, an aliyun call past --call-timeout, an empty result\n"
"    2  usage error: bad option or value, product not inferable\n"
"    3  environment error: aliyun missing, older than 3.3.1, a setup step failed\n"
"    4  access denied: no valid credentials, Forbidden, SysOM not activated\n"
"    5  invalid or unsupported target: not found, DLC job not on Lingjun\n"
"    6  diagnosis failed: task Fail, invoke rejected, poll error\n"
"    7  timeout: still running after --max-polls; resume with --task-id\n"
"   10  warn: overall status Warn (with --fail-on warn)\n"
"   11  critical: overall status Critical\n"
"  130  interrupted by SIGINT (143: SIGTERM, 129: SIGHUP); the task goes on\n"
"\n"
"Examples:\n"
"  pai-diag --region cn-hangzhou --instance eas-m-xxx\n"
"  pai-diag -r cn-beijing -i dlcxxxxxxxx --since 2h --description 'job hangs'\n"
"  pai-diag -r cn-hangzhou --task-id Vq7mZ2xK --output json\n"
"  pai-diag -r cn-hangzhou -i eas-m-aaa -i eas-m-bbb -i dlcccc -j 3\n";

/* Opens /dev/null on any of fds 0-2 that is closed, so pipes never get them. */
static void
sanitize_stdfds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) < 0)
			exit(1);
	}
}

/*
 * Whether the arguments ask for --output json in any spelling, so that even
 * a usage error is answered with the envelope.
 */
static bool
wants_json(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : "";
		size_t n;

		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) == 0) {
			n = strcspn(a, "=");
			/* A unique prefix of --output, as getopt_long takes it. */
			if (n < 5 || strncmp(a, "--output", n) != 0)
				continue;
			if (a[n] == '=' ? strcmp(a + n + 1, "json") == 0 :
			    strcmp(next, "json") == 0)
				return true;
		} else if (a[0] == '-' && a[1] != '\0') {
			/* A cluster of flags without values, then -o. */
			n = 1 + strspn(a + 1, "qvhV");
			if (a[n] == 'o')
				return a[n + 1] ? strcmp(a + n + 1, "json") == 0 :
				    strcmp(next, "json") == 0;
		}
	}
	return false;
}

/* Resolves the executable like execvp would; owned, or NULL with errno. */
static char *
find_executable(const char *name)
{
	const char *path = getenv("PATH");
	struct stat st;

	if (strchr(name, '/')) {
		if (stat(name, &st) < 0)
			return NULL;
		if (!S_ISREG(st.st_mode) || access(name, X_OK) < 0) {
			errno = EACCES;
			return NULL;
		}
		return xstrdup(name);
	}
	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	errno = ENOENT;
	while (*path) {
		size_t n = strcspn(path, ":");
		char *cand = xasprintf("%.*s/%s", (int)n, n ? path : ".", name);

		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(cand, X_OK) == 0)
			return cand;
		free(cand);
		path += n + (path[n] == ':');
	}
	errno = ENOENT;
	return NULL;
}

/*
 * --help and --version: text to stdout, through the sink like everything
 * else.  Returns true (the run is done); a failed write is remembered.
 */
static int stdout_error;

static bool
put_stdout(const char *text)
{
	struct out out;

	if (out_open(&out, STDOUT_FILENO) < 0 || (fputs(text, out.f),
	    out_close(&out) < 0))
		stdout_error = errno ? errno : EIO;
	return true;
}

struct raw {
	const char *product, *since, *start, *end, *description;
	const char *poll_interval, *max_polls, *call_timeout;
	const char *output, *fail_on, *color, *progress;
	const char *instances_file, *jobs;
	struct strvec targets;	/* "i:ID" and "t:TASK", in the order given */
	size_t instances, task_ids;
	bool quiet, verbose;
	bool fleet;		/* several targets */
	int njobs;
};

static int
usage_error(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
usage_error(struct diag *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_fail(d, OUTCOME_USAGE_ERROR, "pai-diag", NULL, "%s", msg);
	return -1;
}

/*
 * The index of value among the n words (dflt when value is NULL), or -1
 * after a usage error that lists them.
 */
static int
choose(struct diag *d, const char *opt, const char *value,
    const char *const *words, int n, int dflt)
{
	char list[128] = "";

	if (value == NULL)
		return dflt;
	for (int i = 0; i < n; i++)
		if (strcmp(value, words[i]) == 0)
			return i;
	for (int i = 0; i < n; i++) {
		strlcat(list, i == 0 ? "" : i == n - 1 ? " or " : ", ",
		    sizeof(list));
		strlcat(list, words[i], sizeof(list));
	}
	return usage_error(d, "%s must be %s, not '%.64s'", opt, list, value);
}

/* Whether the environment variable is set and equal to value ("": any). */
static bool
env_is(const char *name, const char *value)
{
	const char *v = getenv(name);

	return v != NULL && (*value ? strcmp(v, value) == 0 : *v != '\0');
}

/*
 * --output-file, checked before any aliyun call: a report that could never
 * be written is a usage error, not a verdict lost after a long diagnosis.
 * A symbolic link is followed, so the file it names is what gets replaced.
 */
/*
 * Whether a file can be made in dir: by making (and removing) one, which
 * also answers for root and for read-only mounts, where access() cannot.
 */
static int
can_create_in(const char *dir)
{
	char *tmp = xasprintf("%s/.pai-diag.XXXXXX", dir);
	int fd = mkstemp(tmp), saved = errno;

	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	errno = saved;
	return fd >= 0 ? 0 : -1;
}

static int
check_output_file(struct diag *d, struct options *o)
{
	const char *path = o->output_file;
	char *dir = NULL, *real = NULL, *slash;
	struct stat st;
	int rc = 0;

	if (*path == '\0')
		return usage_error(d, "--output-file is empty");
	if (path[strlen(path) - 1] == '/')
		return usage_error(d, "--output-file '%s' names a directory",
		    path);
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return usage_error(d, "--output-file '%s' is a directory",
			    path);
		if (S_ISSOCK(st.st_mode))
			return usage_error(d, "--output-file '%s' is a socket",
			    path);
		if (access(path, W_OK) < 0)
			return usage_error(d, "cannot write to --output-file "
			    "'%s': %s", path, strerror(errno));
		/* A device or a FIFO is written in place, never renamed over. */
		o->output_in_place = !S_ISREG(st.st_mode);
		if (o->output_in_place || (real = realpath(path, NULL)) == NULL)
			return 0;
		o->output_path = real;
		path = real;
	} else if (errno != ENOENT) {
		return usage_error(d, "cannot use --output-file '%s': %s", path,
		    strerror(errno));
	}
	/* Replaced by rename(): its directory must take a new file. */
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strlcpy(dir, ".", strlen(dir) + 1);
	if (stat(dir, &st) < 0)
		rc = usage_error(d, "cannot use --output-file '%s': directory "
		    "'%s': %s", o->output_file, dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		rc = usage_error(d, "cannot use --output-file '%s': '%s' is not "
		    "a directory", o->output_file, dir);
	else if (can_create_in(dir) < 0)
		rc = usage_error(d, "cannot write to --output-file '%s': "
		    "directory '%s': %s", o->output_file, dir, strerror(errno));
	free(dir);
	return rc;
}

/* Checks the values and fills the options; -1 on a usage error. */
static int
check_options(struct diag *d, struct options *o, struct raw *raw)
{
	static const char *const formats[] = { "text", "json", "markdown" };
	static const char *const progresses[] = { "auto", "plain", "ndjson",
	    "none" };
	static const char *const fail_ons[] = { "never", "warn", "critical" };
	static const char *const colors[] = { "auto", "always", "never" };
	char err[256];
	double max_polls;
	time_t now = time(NULL);
	int c;

	if ((c = choose(d, "--output", raw->output, formats, 3, o->format)) < 0)
		return -1;
	o->format = (enum format)c;
	if ((c = choose(d, "--fail-on", raw->fail_on, fail_ons, 3,
	    o->fail_on)) < 0)
		return -1;
	o->fail_on = (enum fail_on)c;
	if ((c = choose(d, "--progress", raw->progress, progresses, 4, 0)) < 0)
		return -1;
	if (raw->quiet && raw->verbose)
		return usage_error(d, "--quiet and --verbose cannot be combined");
	if (raw->quiet && c != 0 && c != 3)
		return usage_error(d, "--quiet and --progress %s cannot be "
		    "combined", raw->progress);
	msg_progress = raw->quiet || c == 3 ? PROGRESS_NONE :
	    c == 1 ? PROGRESS_PLAIN : c == 2 ? PROGRESS_NDJSON :
	    isatty(2) ? PROGRESS_TTY : PROGRESS_PLAIN;
	msg_verbosity = raw->verbose ? 1 : 0;
	if ((c = choose(d, "--color", raw->color, colors, 3, 0)) < 0)
		return -1;
	o->color = c == 1 || (c == 0 && isatty(1) && !env_is("NO_COLOR", "") &&
	    !env_is("TERM", "dumb"));

	if (o->update_plugins && o->no_setup)
		return usage_error(d, "--update-plugins cannot be combined with "
		    "--no-setup");
	if (o->doctor) {
		if (o->region || o->instance || o->task_id || raw->product ||
		    raw->since || raw->start || raw->end || raw->description ||
		    o->uid || o->realtime || o->dry_run || raw->instances_file ||
		    raw->jobs)
			return usage_error(d, "doctor checks the environment only; "
			    "it takes no target, window or --dry-run");
		if (o->output_file && check_output_file(d, o) < 0) {
			o->output_file = NULL;
			return -1;
		}
		return 0;
	}
	if (o->region == NULL)
		return usage_error(d, "--region is required");
	if (check_region(o->region, err, sizeof(err)) < 0)
		return usage_error(d, "%s", err);
	raw->fleet = raw->instances + raw->task_ids > 1 ||
	    raw->instances_file;
	if (raw->jobs && !raw->fleet)
		return usage_error(d, "--jobs applies to several targets only");
	if (raw->fleet) {
		double jobs = 8;

		if (o->dry_run)
			return usage_error(d, "--dry-run takes one target");
		if (raw->jobs && (parse_seconds(raw->jobs, 1, FLEET_MAX_JOBS,
		    &jobs, err, sizeof(err)) < 0 || strchr(raw->jobs, '.')))
			return usage_error(d, "--jobs must be a whole number from "
			    "1 to %d, not '%.64s'", FLEET_MAX_JOBS, raw->jobs);
		raw->njobs = (int)jobs;
		if (raw->product && (o->product = parse_product(raw->product)) ==
		    PRODUCT_NONE)
			return usage_error(d, "--product must be EAS or DLC, not "
			    "'%.64s'", raw->product);
		/* Each target is checked as the fleet is built. */
		o->instance = o->task_id = NULL;
		goto window;
	}
	if (o->task_id && o->instance)
		return usage_error(d, "--task-id attaches to an existing task; "
		    "give it without --instance");
	if (o->task_id == NULL && o->instance == NULL)
		return usage_error(d, "--instance (or --task-id) is required");
	if (o->task_id && check_task_id(o->task_id, err, sizeof(err)) < 0)
		return usage_error(d, "%s", err);
	if (o->task_id && (raw->product || raw->description || o->uid ||
	    o->realtime || raw->since || raw->start || raw->end))
		return usage_error(d, "--task-id attaches to a task as it was "
		    "started; --product, --description, --uid and the time "
		    "options apply only with --instance");
	if (o->instance && check_instance_id(o->instance, err, sizeof(err)) < 0)
		return usage_error(d, "%s", err);

	if (raw->product && (o->product = parse_product(raw->product)) ==
	    PRODUCT_NONE)
		return usage_error(d, "--product must be EAS or DLC, not '%.64s'",
		    raw->product);
	if (o->instance && o->product == PRODUCT_NONE &&
	    (o->product = infer_product(o->instance)) == PRODUCT_NONE)
		return usage_error(d, "cannot tell the product of '%s' from its "
		    "prefix; give --product EAS or --product DLC", o->instance);

window:
	if (raw->since && (raw->start || raw->end))
		return usage_error(d, "--since cannot be combined with --start or "
		    "--end");
	if (raw->end && !raw->start)
		return usage_error(d, "--end needs --start");
	if (raw->since) {
		int64_t dur;

		if (parse_duration(raw->since, &dur, err, sizeof(err)) < 0)
			return usage_error(d, "--since: %s", err);
		o->start_time = (int64_t)now - dur;
		o->end_time = (int64_t)now;
	}
	if (raw->start) {
		if (parse_time(raw->start, &o->start_time, err, sizeof(err)) < 0)
			return usage_error(d, "--start: %s", err);
		o->end_time = (int64_t)now;
		if (raw->end && parse_time(raw->end, &o->end_time, err,
		    sizeof(err)) < 0)
			return usage_error(d, "--end: %s", err);
		if (o->start_time == 0)
			return usage_error(d, "--start 0 means real-time; use "
			    "--realtime");
		if (o->end_time > (int64_t)now + 60)
			return usage_error(d, "--end is in the future");
		if (o->start_time >= o->end_time)
			return usage_error(d, "--start must be before --end");
	}
	o->historical = (raw->since || raw->start) && !o->realtime;
	if (!o->historical)
		o->start_time = o->end_time = 0;

	if (raw->description) {
		o->ocd_description = normalize_description(raw->description, err,
		    sizeof(err));
		if (o->ocd_description == NULL)
			return usage_error(d, "--description: %s", err);
	}
	if (o->uid && check_uid(o->uid, err, sizeof(err)) < 0)
		return usage_error(d, "--uid: %s", err);

	if (raw->poll_interval && parse_seconds(raw->poll_interval, 0, 3600,
	    &o->poll_interval, err, sizeof(err)) < 0)
		return usage_error(d, "--poll-interval: %s", err);
	if (raw->call_timeout && parse_seconds(raw->call_timeout, 1, 3600,
	    &o->call_timeout, err, sizeof(err)) < 0)
		return usage_error(d, "--call-timeout: %s", err);
	if (raw->max_polls) {
		if (parse_seconds(raw->max_polls, 1, 10000, &max_polls, err,
		    sizeof(err)) < 0 || strchr(raw->max_polls, '.'))
			return usage_error(d, "--max-polls must be a whole number "
			    "from 1 to 10000, not '%.64s'", raw->max_polls);
		o->max_polls = (int)max_polls;
	}
	if (o->profile && check_profile(o->profile, err, sizeof(err)) < 0)
		return usage_error(d, "%s", err);
	if (o->output_file && check_output_file(d, o) < 0) {
		o->output_file = NULL;	/* the report goes to stdout */
		return -1;
	}

	/* Warnings only once everything is known to be valid. */
	if (o->realtime && (raw->since || raw->start))
		warning("--realtime wins: the time window is ignored and the "
		    "diagnosis is real-time");
	if (raw->description && !o->realtime && !o->historical &&
	    mentions_past_time(raw->description))
		warning("the description mentions a past time, but no window was "
		    "given: this runs a real-time diagnosis; for the past, add "
		    "--since or --start");
	return 0;
}

static int
parse_args(struct diag *d, struct options *o, struct raw *raw, int argc,
    char **argv, bool *done)
{
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":r:i:j:p:o:qvhV", long_options,
	    NULL)) != -1) {
		switch (c) {
		case 'r': o->region = optarg; break;
		case 'i':
			o->instance = optarg;
			strvec_pushf(&raw->targets, "i:%s", optarg);
			raw->instances++;
			break;
		case 'j': raw->jobs = optarg; break;
		case OPT_INSTANCES_FILE:
			if (raw->instances_file)
				return usage_error(d, "--instances-file may be "
				    "given once");
			raw->instances_file = optarg;
			break;
		case 'p': raw->product = optarg; break;
		case 'o': raw->output = optarg; break;
		case 'q': raw->quiet = true; break;
		case 'v': raw->verbose = true; break;
		case 'h':
			*done = put_stdout(usage_text);
			return 0;
		case 'V':
			*done = put_stdout("pai-diag " PAI_DIAG_VERSION "\n");
			return 0;
		case OPT_REALTIME: o->realtime = true; break;
		case OPT_SINCE: raw->since = optarg; break;
		case OPT_START: raw->start = optarg; break;
		case OPT_END: raw->end = optarg; break;
		case OPT_DESCRIPTION: raw->description = optarg; break;
		case OPT_UID: o->uid = optarg; break;
		case OPT_TASK_ID:
			o->task_id = optarg;
			strvec_pushf(&raw->targets, "t:%s", optarg);
			raw->task_ids++;
			break;
		case OPT_POLL_INTERVAL: raw->poll_interval = optarg; break;
		case OPT_MAX_POLLS: raw->max_polls = optarg; break;
		case OPT_CALL_TIMEOUT: raw->call_timeout = optarg; break;
		case OPT_FAIL_ON: raw->fail_on = optarg; break;
		case OPT_COLOR: raw->color = optarg; break;
		case OPT_NO_SETUP: o->no_setup = true; break;
		case OPT_UPDATE_PLUGINS: o->update_plugins = true; break;
		case OPT_DRY_RUN: o->dry_run = true; break;
		case OPT_OUTPUT_FILE: o->output_file = optarg; break;
		case OPT_PROGRESS: raw->progress = optarg; break;
		case OPT_PROFILE: o->profile = optarg; break;
		case OPT_ALIYUN:
			o->aliyun = optarg;
			o->aliyun_from_flag = true;
			break;
		case ':':
			return usage_error(d, "option '%s' needs a value",
			    argv[optind - 1]);
		default:
			if (optopt)
				return usage_error(d, "unknown option '-%c'", optopt);
			return usage_error(d, "unknown or ambiguous option "
			    "'%.64s'", argv[optind - 1]);
		}
	}
	if (optind < argc && strcmp(argv[optind], "doctor") == 0) {
		o->doctor = true;
		optind++;
	}
	if (optind < argc)
		return usage_error(d, "unexpected argument '%.64s'", argv[optind]);
	return check_options(d, o, raw);
}

/* A run's own report, from its view. */
static int
render_view(FILE *f, const struct report *r, const struct options *o)
{
	if (o->format == FORMAT_JSON)
		return report_json(f, r);
	/*
	 * A run that ended in an error has no text report; a report file
	 * still says what happened rather than being left empty.
	 */
	if (o->output_file && r->result == NULL && r->has_error &&
	    r->outcome != OUTCOME_TIMEOUT && !r->task_failed) {
		fprintf(f, "%s%s: %s\n", o->format == FORMAT_MARKDOWN ?
		    "**error** " : "error: ", outcome_name(r->outcome),
		    r->error.message);
		return ferror(f) ? -1 : 0;
	}
	if (o->format == FORMAT_MARKDOWN)
		return report_markdown(f, r);
	return report_text(f, r, o->color && !o->output_file);
}

/* Renders whichever report the run calls for. */
static int
render(FILE *f, const struct diag *d, const struct diag_plan *plan,
    const struct fleet *fleet, const struct options *o, int code)
{
	bool json = o->format == FORMAT_JSON;
	struct report_fleet v;
	struct report r;
	int rc;

	if (fleet) {
		report_fleet_view(&v, fleet);
		rc = json ? report_fleet_json(f, &v) : report_fleet_text(f, &v,
		    o->color && !o->output_file, o->format == FORMAT_MARKDOWN);
		report_fleet_release(&v);
		return rc;
	}
	if (o->dry_run && d->outcome == OUTCOME_HEALTHY)
		return json ? report_plan_json(f, d, plan, code) :
		    report_plan_text(f, d, plan);
	if (o->doctor)
		return json ? report_doctor_json(f, d, code) :
		    report_doctor_text(f, d);
	report_view(&r, d, code);
	rc = render_view(f, &r, o);
	report_release(&r);
	return rc;
}

/* Renders into a sink on fd; 0, or -1 with errno. */
static int
render_to(int fd, const struct diag *d, const struct diag_plan *plan,
    const struct fleet *fleet, const struct options *o, int code)
{
	struct out out;
	int rc;

	if (out_open(&out, fd) < 0)
		return -1;
	rc = render(out.f, d, plan, fleet, o, code);
	if (out_close(&out) < 0)
		return -1;
	if (rc < 0)
		errno = EIO;
	return rc;
}

/*
 * Opens a FIFO or a device named by --output-file for writing, without
 * blocking past a signal while a FIFO waits for its reader.
 */
static int
open_in_place(const char *path)
{
	for (;;) {
		int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

		if (fd >= 0 || errno != ENXIO)
			return fd;
		if (signals_sleep(0.1) < 0) {
			errno = EINTR;
			return -1;
		}
	}
}

/*
 * --output-file: a regular file is replaced atomically (a temporary file
 * in the same directory, synced, then rename()), so PATH never holds half
 * a report; it gets 0666 less the umask, like any new file.  A device or
 * a FIFO is written in place.  Returns 0, or -1 with errno.
 */
static int
write_file(const struct diag *d, const struct diag_plan *plan,
    const struct fleet *fleet, const struct options *o, int code)
{
	const char *path = o->output_path ? o->output_path : o->output_file;
	const char *slash = strrchr(path, '/');
	char *tmp = NULL;
	mode_t mask;
	int fd, saved;

	if (o->output_in_place) {
		if ((fd = open_in_place(path)) < 0)
			return -1;
		if (render_to(fd, d, plan, fleet, o, code) < 0) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		return close(fd);
	}
	tmp = xasprintf("%.*s.pai-diag.XXXXXX", slash ?
	    (int)(slash - path + 1) : 0, path);
	mask = umask(0);
	umask(mask);
	if ((fd = mkstemp(tmp)) < 0)
		goto fail;
	if (fchmod(fd, 0666 & ~mask) < 0 ||
	    render_to(fd, d, plan, fleet, o, code) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		goto fail_unlink;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0)
		goto fail_unlink;
	free(tmp);
	return 0;
fail_unlink:
	saved = errno;
	unlink(tmp);
	errno = saved;
fail:
	saved = errno;
	free(tmp);
	errno = saved;
	return -1;
}

/*
 * Writes the report.  A closed stdout ends quietly; a report file that
 * cannot be written after all goes to stdout instead, with exit 1: the
 * verdict is never lost.
 */
static int
write_report(const struct diag *d, const struct diag_plan *plan,
    const struct fleet *fleet, const struct options *o, int code)
{
	int rc = code;

	if (o->output_file) {
		if (write_file(d, plan, fleet, o, code) == 0)
			return code;
		/* The report keeps the diagnosis's exit code; the run's is 1. */
		error("cannot write the report to '%s': %s; it follows on "
		    "stdout", o->output_file, strerror(errno));
		rc = 1;
	}
	if (render_to(STDOUT_FILENO, d, plan, fleet, o, code) < 0) {
		if (errno == EPIPE)
			return rc;
		error("cannot write the report: %s", strerror(errno));
		return 1;
	}
	return rc;
}

/*
 * Finds the aliyun executable; when it is required, records an environment
 * error if it is absent.
 */
static int
resolve_aliyun(struct diag *d, struct options *o, bool required)
{
	if (o->aliyun == NULL)
		o->aliyun = getenv("PAI_DIAG_ALIYUN");
	if (o->aliyun == NULL || *o->aliyun == '\0')
		o->aliyun = "aliyun";
	d->aliyun.path = find_executable(o->aliyun);
	if (d->aliyun.path || !required)
		return 0;
	diag_fail(d, OUTCOME_ENVIRONMENT_ERROR, "pai-diag", NULL,
	    "cannot run '%s': %s; install the aliyun CLI (see "
	    "references/cli-installation-guide.md) or point --aliyun at it",
	    o->aliyun, strerror(errno));
	return -1;
}

/* Builds the fleet from the targets given; -1 after a usage error. */
static int
build_fleet(struct diag *d, struct fleet *f, const struct raw *raw)
{
	char err[512];

	for (size_t i = 0; i < raw->targets.n; i++) {
		const char *v = raw->targets.v[i] + 2;

		if (raw->targets.v[i][0] == 'i' ?
		    fleet_add_instance(f, v, NULL, err, sizeof(err)) < 0 :
		    fleet_add_task(f, v, err, sizeof(err)) < 0)
			return usage_error(d, "--%s: %s", raw->targets.v[i][0] ==
			    'i' ? "instance" : "task-id", err);
	}
	if (raw->instances_file && fleet_read_file(f, raw->instances_file, err,
	    sizeof(err)) < 0) {
		if (signals_first() == 0)
			return usage_error(d, "--instances-file: %s", err);
		/* A signal ended the read (a FIFO, a terminal). */
		diag_interrupt(d, signals_first());
		error("%s", d->err.message);
		return -1;
	}
	if (f->n == 0)
		return usage_error(d, "--instances-file: no target in '%s'",
		    raw->instances_file);
	return 0;
}

int
main(int argc, char **argv)
{
	struct options opt = {
		.poll_interval = 10, .max_polls = 60, .call_timeout = 300,
		.fail_on = FAIL_ON_WARN,
	};
	struct raw raw;
	struct diag_plan plan;
	struct fleet fleet, *fp = NULL;
	struct diag d;
	bool done = false;
	int code;

	sanitize_stdfds();
	signals_init();
	child_init();
	secrets_load();
	memset(&plan, 0, sizeof(plan));
	memset(&raw, 0, sizeof(raw));
	memset(&fleet, 0, sizeof(fleet));
	diag_init(&d, &opt);
	if (wants_json(argc, argv))
		opt.format = FORMAT_JSON;

	if (parse_args(&d, &opt, &raw, argc, argv, &done) < 0 ||
	    (raw.fleet && (fleet_init(&fleet, &opt, raw.njobs),
	    fp = &fleet, build_fleet(&d, &fleet, &raw) < 0))) {
		fp = NULL;
		if (opt.format != FORMAT_JSON && d.outcome == OUTCOME_USAGE_ERROR)
			plain("try 'pai-diag --help'");
	} else if (done) {
		code = 0;
		if (stdout_error) {
			if (stdout_error != EPIPE)
				error("cannot write: %s", strerror(stdout_error));
			code = 1;
		}
		goto out;
	} else if (opt.dry_run) {
		/* Nothing runs, so a missing aliyun is no error here. */
		resolve_aliyun(&d, &opt, false);
		diag_plan(&d, &plan);
	} else if (resolve_aliyun(&d, &opt, true) == 0) {
		if (fp)
			fleet_run(&fleet, d.aliyun.path, &d.warnings);
		else if (opt.doctor)
			diag_doctor(&d);
		else
			diag_run(&d);
	} else {
		fp = NULL;	/* no aliyun: one envelope says so */
	}
	code = fp ? fleet.exit_code : diag_exit_code(&d, opt.fail_on);
	progress_done(outcome_name(fp ? fleet.outcome : d.outcome), code,
	    fp ? NULL : d.task_id);
	code = write_report(&d, &plan, fp, &opt, code);
out:
	if (raw.fleet)
		fleet_release(&fleet);
	diag_plan_release(&plan);
	diag_release(&d);
	strvec_clear(&raw.targets);
	free(opt.ocd_description);
	free(opt.output_path);
	child_sweep();
	return code;
}
