/*
 * pai-diag: one command for a SysOM diagnosis of a PAI EAS service or DLC
 * job.  main.c holds the option table and --help; main() has cli.c read
 * and check every option before any aliyun process starts, runs the
 * workflow, writes the report, and is the only place that turns an outcome
 * into an exit code.
 */
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "child.h"
#include "cli.h"
#include "defaults.h"
#include "fleet.h"
#include "history.h"
#include "mcp.h"
#include "msg.h"
#include "signals.h"
#include "options.h"
#include "output.h"
#include "params.h"
#include "rate.h"
#include "report.h"
#include "report_write.h"
#include "secrets.h"
#include "workflow.h"

#define PAI_DIAG_VERSION "0.1.0"

#define OPT(field) offsetof(struct options, field)

/* The words of the CLI_CHOICE options, in the order of their enums. */
static const char *const formats[] = { "text", "json", "markdown", "junit",
	NULL };
static const char *const fail_ons[] = { "never", "warn", "critical", "new",
	NULL };
static const char *const progresses[] = { "auto", "plain", "ndjson", "none",
	NULL };
static const char *const colors[] = { "auto", "always", "never", NULL };

/*
 * Every option, sorted: long name, letter, kind, the field of struct
 * options it sets, then its range or its words (see cli.h).
 */
static const struct cli_option long_options[] = {
	{ "aliyun", .kind = CLI_STRING, .field = OPT(aliyun) },
	{ "baseline", .kind = CLI_STRING, .field = OPT(baseline), .once = true },
	{ "call-timeout", .kind = CLI_SECONDS, .field = OPT(call_timeout),
	    .min = MIN_CALL_TIMEOUT, .max = MAX_CALL_TIMEOUT },
	{ "color", .kind = CLI_CHOICE, .field = OPT(color_when),
	    .words = colors },
	{ "description", .kind = CLI_STRING, .field = OPT(description) },
	{ "discover", .kind = CLI_STRING, .field = OPT(discover), .once = true },
	{ "discover-status", .kind = CLI_STRING, .field = OPT(discover_status),
	    .once = true },
	{ "dry-run", .kind = CLI_FLAG, .field = OPT(dry_run) },
	{ "end", .kind = CLI_TIME, .field = OPT(end_time) },
	{ "fail-on", .kind = CLI_CHOICE, .field = OPT(fail_on),
	    .words = fail_ons },
	{ "help", .letter = 'h', .kind = CLI_HELP },
	{ "instance", .letter = 'i', .kind = CLI_TARGET,
	    .field = OPT(instance) },
	{ "instances-file", .kind = CLI_STRING, .field = OPT(instances_file),
	    .once = true },
	{ "jobs", .letter = 'j', .kind = CLI_WHOLE, .field = OPT(jobs),
	    .min = 1, .max = FLEET_MAX_JOBS },
	{ "max-polls", .kind = CLI_WHOLE, .field = OPT(max_polls),
	    .min = MIN_MAX_POLLS, .max = MAX_MAX_POLLS },
	{ "max-rate", .kind = CLI_WHOLE, .field = OPT(max_rate),
	    .min = 0, .max = MAX_MAX_RATE },
	{ "max-wait", .kind = CLI_DURATION, .field = OPT(max_wait) },
	{ "metrics-file", .kind = CLI_STRING, .field = OPT(metrics_file) },
	{ "no-history", .kind = CLI_FLAG, .field = OPT(no_history) },
	{ "no-setup", .kind = CLI_FLAG, .field = OPT(no_setup) },
	{ "output", .letter = 'o', .kind = CLI_CHOICE, .field = OPT(format),
	    .words = formats },
	{ "output-file", .kind = CLI_STRING, .field = OPT(output_file) },
	{ "poll-interval", .kind = CLI_SECONDS, .field = OPT(poll_interval),
	    .min = MIN_POLL_INTERVAL, .max = MAX_POLL_INTERVAL },
	{ "product", .letter = 'p', .kind = CLI_PRODUCT,
	    .field = OPT(product) },
	{ "profile", .kind = CLI_STRING, .field = OPT(profile) },
	{ "progress", .kind = CLI_CHOICE, .field = OPT(progress),
	    .words = progresses },
	{ "quiet", .letter = 'q', .kind = CLI_FLAG, .field = OPT(quiet) },
	{ "realtime", .kind = CLI_FLAG, .field = OPT(realtime) },
	{ "region", .letter = 'r', .kind = CLI_MULTI, .field = OPT(region) },
	{ "since", .kind = CLI_DURATION, .field = OPT(since) },
	{ "start", .kind = CLI_TIME, .field = OPT(start_time) },
	{ "task-id", .kind = CLI_TARGET, .field = OPT(task_id) },
	{ "uid", .kind = CLI_STRING, .field = OPT(uid) },
	{ "update-plugins", .kind = CLI_FLAG, .field = OPT(update_plugins) },
	{ "verbose", .letter = 'v', .kind = CLI_FLAG, .field = OPT(verbose) },
	{ "version", .letter = 'V', .kind = CLI_VERSION },
};

static const char usage_text[] =
"usage: pai-diag --region REGION --instance ID [--product EAS|DLC]\n"
"                [--realtime] [--since DURATION | --start TIME [--end TIME]]\n"
"                [--description TEXT] [--uid UID] [options]\n"
"       pai-diag --region REGION --task-id TASK [options]\n"
"       pai-diag [-r REGION]... TARGETS... | --instances-file FILE |\n"
"                --discover eas [options]\n"
"       pai-diag doctor [options]\n"
"       pai-diag mcp [--aliyun PATH] [--profile NAME] [--poll-interval SEC]\n"
"                [--max-rate N] [--no-setup]\n"
"       pai-diag history [-i ID[@REGION]] [-o text|json]\n"
"       pai-diag diff RUN RUN [-i ID[@REGION]] [-o text|json]\n"
"       pai-diag --help | --version\n"
"\n"
"Runs a SysOM root-cause diagnosis of a PAI EAS service or DLC job through\n"
"the aliyun CLI: checks the environment, validates the target, starts the\n"
"diagnosis, waits for it and prints the root cause, suggestions and issues.\n"
"\n"
"Target:\n"
"  -r, --region REGION       region of the resource, e.g. cn-hangzhou; for\n"
"                            --discover, may be given several times\n"
"  -i, --instance ID[@REGION]\n"
"                            EAS service id (eas-m-...) or DLC job id (dlc...),\n"
"                            in its own region or --region's\n"
"  -p, --product EAS|DLC     override the product inferred from the id\n"
"      --task-id TASK[@REGION]\n"
"                            attach to an existing task: poll it and report it\n"
"      --instances-file FILE one target a line: 'ID [PRODUCT|-] [REGION]'\n"
"                            ('-' infers the product; FILE '-' is stdin)\n"
"      --discover eas        add every EAS service of each --region\n"
"      --discover-status S1,S2\n"
"                            only the services whose Status is one of these\n"
"  -j, --jobs N              targets diagnosed at once in fleet mode (default "
    DEFAULTS_STR(DEFAULT_JOBS) ")\n"
"  Several --instance, --task-id, --instances-file or --discover make a\n"
"  fleet: one setup, one report with a table and every target's report, the\n"
"  worst exit code.  The same target twice is diagnosed once.\n"
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
"      --poll-interval SEC   seconds between result polls (default "
    DEFAULTS_STR(DEFAULT_POLL_INTERVAL) ")\n"
"      --max-polls N         most result polls, " DEFAULTS_STR(MIN_MAX_POLLS)
    " to " DEFAULTS_STR(MAX_MAX_POLLS) " (default " DEFAULTS_STR(DEFAULT_MAX_POLLS)
    ")\n"
"      --call-timeout SEC    cap for each aliyun process (default "
    DEFAULTS_STR(DEFAULT_CALL_TIMEOUT) ")\n"
"      --max-rate N          API calls a second, all targets together; 0: no\n"
"                            cap (default " DEFAULTS_STR(DEFAULT_MAX_RATE) ")\n"
"      --max-wait DURATION   wall-clock limit per target: 90s, 30m, 2h, 1d\n"
"                            (default none); then it ends as a timeout\n"
"\n"
"Output:\n"
"  -o, --output text|json|markdown|junit\n"
"                            report format on stdout (default text)\n"
"      --output-file PATH    write the report there (atomically), not stdout\n"
"      --metrics-file PATH   also write Prometheus metrics there (atomically)\n"
"      --dry-run             print the plan (every aliyun command, the params\n"
"                            JSON, the polling budget) and run nothing\n"
"      --fail-on never|warn|critical|new\n"
"                            lowest overall status that fails (default warn);\n"
"                            new: exit 12 only when an issue at Warn or above\n"
"                            is new since --baseline (default last)\n"
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
"History:\n"
"      --baseline last|TASK  compare with the target's last kept run, or a\n"
"                            task's: new, resolved and persisting issues\n"
"      --no-history          keep no record of this run in the history\n"
"                            ($XDG_STATE_HOME/pai-diag/history)\n"
"\n"
"Commands:\n"
"  doctor                    check aliyun and the credentials, change nothing\n"
"  mcp                       serve diagnoses to an AI agent: an MCP server\n"
"                            (JSON-RPC on stdin and stdout), tools diagnose,\n"
"                            wait, result, doctor, plan, history, diff\n"
"  history                   list the diagnoses kept, of one target with -i\n"
"  diff RUN RUN              what changed between two kept runs: task ids, or\n"
"                            last and previous of the target given with -i\n"
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
"    7  timeout: still running after --max-polls or --max-wait; resume with\n"
"       --task-id\n"
"   10  warn: overall status Warn (with --fail-on warn)\n"
"   11  critical: overall status Critical\n"
"   12  regressed: with --fail-on new, an issue at Warn or above is new\n"
"  130  interrupted by SIGINT (143: SIGTERM, 129: SIGHUP); the task goes on\n"
"\n"
"Examples:\n"
"  pai-diag --region cn-hangzhou --instance eas-m-xxx\n"
"  pai-diag -r cn-beijing -i dlcxxxxxxxx --since 2h --description 'job hangs'\n"
"  pai-diag -r cn-hangzhou --task-id Vq7mZ2xK --output json\n"
"  pai-diag -r cn-hangzhou -i eas-m-aaa -i eas-m-bbb@cn-beijing -i dlcccc -j 3\n"
"  pai-diag -r cn-hangzhou -r cn-beijing --discover eas --discover-status Failed\n";

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
 * else.  Returns the exit code: 0, or 1 when it could not be written.
 */
static int
show(const char *text)
{
	struct out out;
	int err;

	if (out_open(&out, STDOUT_FILENO) == 0 && (fputs(text, out.f),
	    out_close(&out) == 0))
		return 0;
	err = errno ? errno : EIO;
	if (err != EPIPE)
		error("cannot write: %s", strerror(err));
	return 1;
}

/*
 * A run that has ended, before its report: compared with its baseline,
 * then kept in the history (in that order: "last" is the run before).
 */
static void
keep_run(struct diag *d, const void *arg)
{
	const struct options *o = arg;

	history_compare(d);
	if (!o->no_history)
		history_save(d, diag_exit_code(d, o->fail_on), HISTORY_KEEP);
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
/*
 * `pai-diag history` and `pai-diag diff`: the document to report, or NULL
 * after the error was recorded in d (a run not in the history names no
 * run: a usage error).
 */
static cJSON *
history_command(struct diag *d, const struct options *o)
{
	char err[512];
	cJSON *doc = o->diff ? history_diff_doc(o->diff_a, o->diff_b,
	    o->instance, o->region, err, sizeof(err)) :
	    history_list_doc(o->instance, o->region, err, sizeof(err));

	if (doc == NULL)
		diag_fail(d, OUTCOME_USAGE_ERROR, "pai-diag", NULL, "%s%s",
		    o->diff ? "diff: " : "history: ", err);
	return doc;
}

/*
 * `pai-diag mcp`: the server reads its tools' arguments over the option
 * table, and d is its setup (steps 1-7 at the first diagnosis, restored
 * when it ends).
 */
static int
serve_mcp(struct diag *d, const struct options *o)
{
	struct mcp m = {
		.base = d, .opt = o, .table = long_options,
		.ntable = sizeof(long_options) / sizeof(long_options[0]),
		.version = PAI_DIAG_VERSION,
	};

	rate_init(&rate_run, o->max_rate);	/* one budget for its life */
	return mcp_serve(&m);
}

/* Builds the fleet from the targets given; -1 after a usage error. */
static int
build_fleet(struct diag *d, struct fleet *f, const struct cli *c,
    const struct options *o)
{
	char err[512];

	for (size_t i = 0; i < c->targets.n; i++) {
		/* "instance=ID" or "task-id=TASK" */
		const char *t = c->targets.v[i], *v = strchr(t, '=') + 1;

		if (strncmp(t, "instance=", 9) == 0 ?
		    fleet_add_instance(f, v, NULL, NULL, false, err,
		    sizeof(err)) < 0 :
		    fleet_add_task(f, v, err, sizeof(err)) < 0)
			return cli_usage_error(d, "--%.*s: %s", (int)(v - 1 - t),
			    t, err);
	}
	if (o->instances_file && fleet_read_file(f, o->instances_file, err,
	    sizeof(err)) < 0) {
		if (signals_first() == 0)
			return cli_usage_error(d, "--instances-file: %s", err);
		/* A signal ended the read (a FIFO, a terminal). */
		diag_interrupt(d, signals_first());
		error("%s", d->err.message);
		return -1;
	}
	if (f->n == 0 && o->discover == NULL)
		return cli_usage_error(d, "--instances-file: no target in '%s'",
		    o->instances_file);
	return 0;
}

/*
 * Does what the command line asks for, once it is read and checked: the
 * history, a plan, doctor, one diagnosis or a fleet (fp, when it is one).
 * Returns the fleet to report, or NULL when the report is one envelope.
 */
static struct fleet *
dispatch(struct diag *d, struct options *o, struct fleet *fp,
    struct diag_plan *plan, cJSON **doc)
{
	if (o->history || o->diff) {
		*doc = history_command(d, o);
	} else if (o->dry_run && fp) {
		/* Discovery reads (it needs aliyun); nothing else runs. */
		if (resolve_aliyun(d, o, o->discover != NULL) < 0)
			return NULL;
		fleet_plan(fp, d->aliyun.path, &d->warnings);
	} else if (o->dry_run) {
		/* Nothing runs, so a missing aliyun is no error here. */
		resolve_aliyun(d, o, false);
		diag_plan(d, plan);
	} else if (resolve_aliyun(d, o, true) < 0) {
		return NULL;	/* no aliyun: one envelope says so */
	} else {
		rate_init(&rate_run, o->max_rate);
		if (fp) {
			fp->ended = keep_run;
			fp->part = report_fleet_part_of;
			fp->part_arg = o;
			fleet_run(fp, d->aliyun.path, &d->warnings);
		} else if (o->doctor) {
			diag_doctor(d);
		} else {
			diag_run(d);
		}
	}
	return fp;
}

int
main(int argc, char **argv)
{
	struct options opt = {
		.poll_interval = DEFAULT_POLL_INTERVAL,
		.max_polls = DEFAULT_MAX_POLLS,
		.call_timeout = DEFAULT_CALL_TIMEOUT,
		.max_rate = DEFAULT_MAX_RATE,
		.fail_on = FAIL_ON_WARN,
		.jobs = DEFAULT_JOBS,
	};
	struct cli cli = CLI_INIT(long_options);
	struct diag_plan plan;
	struct fleet fleet, *fp = NULL;
	struct shown shown = { .plan = &plan };
	cJSON *doc = NULL;
	struct diag d;
	int code;

	/*
	 * Large buffers (a 20 MB answer) are mapped and given back when
	 * freed.  Left to itself glibc raises this threshold to the size of
	 * the first such buffer freed, and later ones then stay in the
	 * heap of the thread that freed them: a fleet would keep one per
	 * worker.
	 */
	mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
	sanitize_stdfds();
	signals_init();
	child_init();
	secrets_load();
	memset(&plan, 0, sizeof(plan));
	memset(&fleet, 0, sizeof(fleet));
	diag_init(&d, &opt);
	if (cli_wants_json(&cli, argc, argv))
		opt.format = FORMAT_JSON;

	if (cli_parse(&cli, &d, &opt, argc, argv) < 0 ||
	    (cli.fleet && (fleet_init(&fleet, &opt, opt.jobs),
	    fp = &fleet, build_fleet(&d, &fleet, &cli, &opt) < 0))) {
		fp = NULL;
		if (opt.format != FORMAT_JSON && d.outcome == OUTCOME_USAGE_ERROR)
			plain("try 'pai-diag --help'");
	} else if (cli.action != CLI_RUN) {
		code = show(cli.action == CLI_SHOW_HELP ? usage_text :
		    "pai-diag " PAI_DIAG_VERSION "\n");
		goto out;
	} else if (opt.mcp) {
		/* The server answers on stdout itself: no report at the end. */
		code = resolve_aliyun(&d, &opt, true) == 0 ? serve_mcp(&d, &opt) :
		    diag_exit_code(&d, opt.fail_on);
		goto out;
	} else {
		fp = dispatch(&d, &opt, fp, &plan, &doc);
	}
	if (!fp && !opt.dry_run)
		keep_run(&d, &opt);
	code = fp ? fleet.exit_code : diag_exit_code(&d, opt.fail_on);
	progress_done(outcome_name(fp ? fleet.outcome : d.outcome), code,
	    fp ? NULL : d.task_id);
	shown.fleet = fp;
	shown.doc = doc;
	code = report_write(&d, &shown, &opt, code);
out:
	if (cli.fleet)
		fleet_release(&fleet);
	diag_plan_release(&plan);
	cJSON_Delete(doc);
	diag_release(&d);
	cli_release(&cli);
	free(opt.ocd_description);
	free(opt.output_path);
	free(opt.metrics_path);
	child_sweep();
	return code;
}
