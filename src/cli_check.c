/*
 * The checks across options (see cli.h): what cli_parse() does once argv
 * is read, one small function per concern, run in the order their errors
 * are reported.  Each converts the values it needs with cli_convert().
 * Nothing here starts a process: every usage error is found before the
 * first aliyun call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "defaults.h"
#include "history.h"
#include "msg.h"
#include "params.h"
#include "workflow.h"
#include "wrap.h"

/* Whether any of the n named options was given. */
static bool
any_given(const struct cli *c, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cli_given(c, names[i]))
			return true;
	return false;
}


/* Whether the environment variable is set and equal to value ("": any). */
static bool
env_is(const char *name, const char *value)
{
	const char *v = getenv(name);

	return v != NULL && (*value ? strcmp(v, value) == 0 : *v != '\0');
}

/* The report's format and the status that fails. */
static int
check_report(struct cli *c)
{
	return cli_convert(c, "output") < 0 || cli_convert(c, "fail-on") < 0 ? -1 : 0;
}

/* --progress, --quiet and --verbose: what goes to stderr. */
static int
check_progress(struct cli *c)
{
	const struct options *o = c->o;
	enum progress_choice p;

	if (cli_convert(c, "progress") < 0)
		return -1;
	p = o->progress;
	if (o->quiet && o->verbose)
		return cli_usage_error(c->d, "--quiet and --verbose cannot be "
		    "combined");
	if (o->quiet && p != PROGRESS_CHOICE_AUTO && p != PROGRESS_CHOICE_NONE)
		return cli_usage_error(c->d, "--quiet and --progress %s cannot "
		    "be combined", c->arg[cli_row(c, "progress")]);
	msg_progress = o->quiet || p == PROGRESS_CHOICE_NONE ? PROGRESS_NONE :
	    p == PROGRESS_CHOICE_PLAIN ? PROGRESS_PLAIN :
	    p == PROGRESS_CHOICE_NDJSON ? PROGRESS_NDJSON :
	    isatty(2) ? PROGRESS_TTY : PROGRESS_PLAIN;
	msg_verbosity = o->verbose ? 1 : 0;
	return 0;
}

/* --color: auto is colour on a terminal unless NO_COLOR or TERM=dumb. */
static int
check_color(struct cli *c)
{
	struct options *o = c->o;

	if (cli_convert(c, "color") < 0)
		return -1;
	o->color = o->color_when == COLOR_ALWAYS ||
	    (o->color_when == COLOR_AUTO && isatty(1) &&
	    !env_is("NO_COLOR", "") && !env_is("TERM", "dumb"));
	/* Paragraphs are wrapped for a terminal only: a pipe gets whole lines. */
	o->width = isatty(1) ? wrap_terminal_width(1) : 0;
	return 0;
}

static int
check_setup(struct cli *c)
{
	if (c->o->update_plugins && c->o->no_setup)
		return cli_usage_error(c->d, "--update-plugins cannot be "
		    "combined with --no-setup");
	return 0;
}

/*
 * The formats only a diagnosis has, JUnit and the metrics, are refused
 * where there is none: doctor, history, diff and --dry-run.
 */
static int
check_diagnosis_outputs(struct cli *c)
{
	struct options *o = c->o;
	const char *what = o->doctor ? "doctor" : o->diff ? "diff" :
	    o->history ? "history" : o->dry_run ? "--dry-run" : NULL;

	if (what && o->format == FORMAT_JUNIT) {
		/* Nor is the usage error reported as JUnit: stderr says it. */
		o->format = FORMAT_TEXT;
		return cli_usage_error(c->d, "%s has no JUnit report: -o junit "
		    "reports a diagnosis", what);
	}
	if (what && o->metrics_file)
		return cli_usage_error(c->d, "%s has no metrics: --metrics-file "
		    "reports a diagnosis", what);
	return 0;
}

/*
 * The report file and the metrics file, checked before any aliyun call:
 * after an error the report goes to stdout and no metrics are written.
 */
static int
check_report_file(struct cli *c)
{
	struct options *o = c->o;

	if (check_diagnosis_outputs(c) < 0) {
		o->output_file = o->metrics_file = NULL;
		return -1;
	}
	if (o->output_file && cli_check_file(c->d, "output-file",
	    o->output_file, &o->output_in_place, &o->output_path) < 0) {
		o->output_file = o->metrics_file = NULL;
		return -1;
	}
	if (o->metrics_file && cli_check_file(c->d, "metrics-file",
	    o->metrics_file, NULL, &o->metrics_path) < 0) {
		o->metrics_file = NULL;
		return -1;
	}
	return 0;
}

/* `pai-diag doctor` checks the environment: no target, no window. */
static int
check_doctor(struct cli *c)
{
	static const char *const targeting[] = { "instance", "task-id",
	    "product", "since", "start", "end", "description", "uid",
	    "realtime", "dry-run", "instances-file", "jobs", "discover",
	    "discover-status", "baseline" };
	if (any_given(c, targeting, sizeof(targeting) / sizeof(targeting[0])))
		return cli_usage_error(c->d, "doctor checks the environment "
		    "only; it takes no target, window or --dry-run");
	if (c->o->format == FORMAT_MARKDOWN)
		return cli_usage_error(c->d, "doctor reports as text or JSON "
		    "(-o text, -o json), not as Markdown");
	if (c->o->nregions > 1)
		return cli_usage_error(c->d, "doctor takes one --region");
	return check_report_file(c);
}

/*
 * `pai-diag mcp` serves diagnoses on stdio: the tools' arguments name the
 * targets and windows, so the command line only says how to run aliyun.
 */
static int
check_mcp(struct cli *c)
{
	static const char *const taken[] = { "aliyun", "profile",
	    "poll-interval", "no-setup", "max-rate" };
	char err[256];

	for (size_t i = 0; i < c->n; i++) {
		bool ok = false;

		for (size_t k = 0; k < sizeof(taken) / sizeof(taken[0]); k++)
			ok |= strcmp(c->table[i].name, taken[k]) == 0;
		if (c->given[i] && !ok)
			return cli_usage_error(c->d, "mcp takes only --aliyun, "
			    "--profile, --poll-interval, --max-rate and "
			    "--no-setup, not --%s", c->table[i].name);
	}
	if (c->o->profile && check_profile(c->o->profile, err,
	    sizeof(err)) < 0)
		return cli_usage_error(c->d, "%s", err);
	return cli_convert(c, "poll-interval") < 0 ||
	    cli_convert(c, "max-rate") < 0 ? -1 : 0;
}

/*
 * Every --region, checked, in order and without repeats; o->region is the
 * one region when exactly one was given.
 */
static int
check_regions(struct cli *c)
{
	struct options *o = c->o;
	char err[256];

	o->regions = xcalloc(c->multi.n ? c->multi.n : 1, sizeof(*o->regions));
	for (size_t i = 0; i < c->multi.n; i++) {
		const char *v = c->multi.v[i];
		bool seen = false;

		if (strncmp(v, "region=", 7) != 0)
			continue;
		v += 7;
		if (check_region(v, err, sizeof(err)) < 0)
			return cli_usage_error(c->d, "%s", err);
		for (size_t k = 0; k < o->nregions; k++)
			seen |= strcmp(o->regions[k], v) == 0;
		if (!seen)
			o->regions[o->nregions++] = v;
	}
	o->region = o->nregions == 1 ? o->regions[0] : NULL;
	return 0;
}

/*
 * --baseline: "last", or a task id kept in the history (checked now, so a
 * typo costs no diagnosis); --fail-on new compares with the last run when
 * it names none.
 */
static int
check_baseline(struct cli *c)
{
	struct options *o = c->o;
	struct history h;
	char err[512];
	bool kept = false;

	if (o->fail_on == FAIL_ON_NEW && o->baseline == NULL)
		o->baseline = "last";
	if (o->baseline == NULL || strcmp(o->baseline, "last") == 0)
		return 0;
	if (check_task_id(o->baseline, err, sizeof(err)) < 0)
		return cli_usage_error(c->d, "--baseline: %s (or last)", err);
	if (history_list(&h, NULL, NULL, err, sizeof(err)) < 0)
		return cli_usage_error(c->d, "--baseline: %s", err);
	for (size_t i = 0; i < h.n && !kept; i++)
		kept = strcmp(h.e[i].task_id, o->baseline) == 0;
	history_release(&h);
	if (!kept)
		return cli_usage_error(c->d, "--baseline: task %s is not in the "
		    "history (see pai-diag history)", o->baseline);
	return 0;
}

/*
 * The one target given as "ID" or "ID@REGION" (option name): *field, the
 * option's own, becomes the id, and o->region the region it names.
 */
static int
take_target(struct cli *c, const char **field, const char *name)
{
	char err[256];

	if (split_target(*field, &c->target_id, &c->target_region, err,
	    sizeof(err)) < 0)
		return cli_usage_error(c->d, "--%s: %s", name, err);
	*field = c->target_id;
	if (c->target_region)
		c->o->region = c->target_region;
	return 0;
}

/* A run of `pai-diag diff`: a task id, "last" or "previous". */
static int
check_run(struct cli *c, const char *run)
{
	char err[256];

	if (strcmp(run, "last") == 0 || strcmp(run, "previous") == 0) {
		if (c->o->instance == NULL)
			return cli_usage_error(c->d, "diff %s needs the target: "
			    "give --instance", run);
		return 0;
	}
	if (check_task_id(run, err, sizeof(err)) < 0)
		return cli_usage_error(c->d, "diff: %s (or last, previous)",
		    err);
	return 0;
}

/*
 * `pai-diag history` and `pai-diag diff`: they read the history and run
 * nothing, so they take only the target to look at and how to report.
 */
static int
check_history(struct cli *c)
{
	static const char *const refused[] = { "task-id", "product", "since",
	    "start", "end", "description", "uid", "realtime", "dry-run",
	    "instances-file", "jobs", "discover", "discover-status",
	    "no-setup", "update-plugins", "poll-interval", "max-polls",
	    "call-timeout", "fail-on", "no-history", "aliyun", "profile",
	    "baseline" };
	struct options *o = c->o;
	const char *what = o->diff ? "diff" : "history";
	char err[256];

	if (any_given(c, refused, sizeof(refused) / sizeof(refused[0])))
		return cli_usage_error(c->d, "%s reads the history: it takes "
		    "only --instance, --region and the output options", what);
	if (c->targets.n > 1 || o->nregions > 1)
		return cli_usage_error(c->d, "%s takes one --instance and one "
		    "--region", what);
	if (o->format == FORMAT_MARKDOWN)
		return cli_usage_error(c->d, "%s reports as text or JSON (-o "
		    "text, -o json), not as Markdown", what);
	if (o->instance && take_target(c, &o->instance, "instance") < 0)
		return -1;
	if (o->instance && check_instance_id(o->instance, err,
	    sizeof(err)) < 0)
		return cli_usage_error(c->d, "--instance: %s", err);
	if (o->diff && (check_run(c, o->diff_a) < 0 ||
	    check_run(c, o->diff_b) < 0))
		return -1;
	return check_report_file(c);
}

/* Several regions are for discovery; any other target names its own. */
static int
check_region_count(struct cli *c)
{
	if (c->o->nregions > 1 && c->o->discover == NULL)
		return cli_usage_error(c->d, "--region is given %zu times; "
		    "several regions are for --discover: give each target its "
		    "own as ID@REGION", c->o->nregions);
	return 0;
}

/*
 * --discover eas: every EAS service of every --region joins the fleet;
 * --discover-status narrows it to a list of Status values.
 */
static int
check_discover(struct cli *c)
{
	const struct options *o = c->o;
	const char *s = o->discover_status;

	if (s && o->discover == NULL)
		return cli_usage_error(c->d, "--discover-status needs --discover");
	if (o->discover == NULL)
		return 0;
	if (strcmp(o->discover, "eas") != 0)
		return cli_usage_error(c->d, "--discover takes 'eas' (EAS "
		    "services), not '%.64s'", o->discover);
	if (o->nregions == 0)
		return cli_usage_error(c->d, "--discover needs --region (one or "
		    "more)");
	if (s && (*s == '\0' || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz,") != strlen(s) || *s == ',' ||
	    s[strlen(s) - 1] == ',' || strstr(s, ",,")))
		return cli_usage_error(c->d, "--discover-status takes Status "
		    "words separated by commas (e.g. Failed,Abnormal), not "
		    "'%.64s'", s);
	return 0;
}

/* Several targets: each is checked as the fleet is built. */
static int
check_fleet(struct cli *c)
{
	if (cli_convert(c, "jobs") < 0 || cli_convert(c, "product") < 0)
		return -1;
	c->o->instance = c->o->task_id = NULL;
	return 0;
}

/* One target: an instance, or a task to attach to as it was started. */
static int
check_single(struct cli *c)
{
	static const char *const new_diagnosis[] = { "product",
	    "description", "uid", "realtime", "since", "start", "end" };
	struct options *o = c->o;
	char err[256];

	if (o->task_id && o->instance)
		return cli_usage_error(c->d, "--task-id attaches to an existing "
		    "task; give it without --instance");
	if (o->task_id == NULL && o->instance == NULL)
		return cli_usage_error(c->d, "--instance (or --task-id) is "
		    "required");
	if (take_target(c, o->task_id ? &o->task_id : &o->instance,
	    o->task_id ? "task-id" : "instance") < 0)
		return -1;
	if (c->target_region == NULL && o->region == NULL)
		return cli_usage_error(c->d, "--region is required (or give the "
		    "target as %s@REGION)", c->target_id);
	if (o->task_id && check_task_id(o->task_id, err, sizeof(err)) < 0)
		return cli_usage_error(c->d, "%s", err);
	if (o->task_id && any_given(c, new_diagnosis,
	    sizeof(new_diagnosis) / sizeof(new_diagnosis[0])))
		return cli_usage_error(c->d, "--task-id attaches to a task as it "
		    "was started; --product, --description, --uid and the time "
		    "options apply only with --instance");
	if (o->instance && check_instance_id(o->instance, err, sizeof(err)) < 0)
		return cli_usage_error(c->d, "%s", err);
	if (cli_convert(c, "product") < 0)
		return -1;
	if (o->instance && o->product == PRODUCT_NONE &&
	    (o->product = infer_product(o->instance)) == PRODUCT_NONE)
		return cli_usage_error(c->d, "cannot tell the product of '%s' "
		    "from its prefix; give --product EAS or --product DLC",
		    o->instance);
	return 0;
}

static int
check_targets(struct cli *c)
{
	c->fleet = c->targets.n > 1 || cli_given(c, "instances-file") ||
	    c->o->discover;
	if (cli_given(c, "jobs") && !c->fleet)
		return cli_usage_error(c->d, "--jobs applies to several targets "
		    "only");
	return c->fleet ? check_fleet(c) : check_single(c);
}

/* --start and --end: a window that has begun and is not in the future. */
static int
check_start_end(struct cli *c)
{
	struct options *o = c->o;

	if (cli_convert(c, "start") < 0)
		return -1;
	o->end_time = (int64_t)c->now;
	if (cli_convert(c, "end") < 0)
		return -1;
	if (o->start_time == 0)
		return cli_usage_error(c->d, "--start 0 means real-time; use "
		    "--realtime");
	if (o->end_time > (int64_t)c->now + END_TIME_SLACK)
		return cli_usage_error(c->d, "--end is in the future");
	if (o->start_time >= o->end_time)
		return cli_usage_error(c->d, "--start must be before --end");
	return 0;
}

/* The time window: --since, or --start with an optional --end. */
static int
check_window(struct cli *c)
{
	struct options *o = c->o;
	bool since = cli_given(c, "since"), start = cli_given(c, "start");

	if (since && (start || cli_given(c, "end")))
		return cli_usage_error(c->d, "--since cannot be combined with "
		    "--start or --end");
	if (cli_given(c, "end") && !start)
		return cli_usage_error(c->d, "--end needs --start");
	if (cli_convert(c, "since") < 0)
		return -1;
	if (since) {
		o->start_time = (int64_t)c->now - o->since;
		o->end_time = (int64_t)c->now;
	}
	if (start && check_start_end(c) < 0)
		return -1;
	o->historical = (since || start) && !o->realtime;
	if (!o->historical)
		o->start_time = o->end_time = 0;
	return 0;
}

/* What is sent with the diagnosis: the description and the uid. */
static int
check_details(struct cli *c)
{
	struct options *o = c->o;
	char err[256];

	if (o->description) {
		o->ocd_description = normalize_description(o->description, err,
		    sizeof(err));
		if (o->ocd_description == NULL)
			return cli_usage_error(c->d, "--description: %s", err);
	}
	if (o->uid && check_uid(o->uid, err, sizeof(err)) < 0)
		return cli_usage_error(c->d, "--uid: %s", err);
	return 0;
}

/*
 * --max-wait: a duration, but not a zero one, which the duration parser
 * words for --since.
 */
static int
check_max_wait(struct cli *c)
{
	const char *v = c->arg[cli_row(c, "max-wait")];
	size_t zeros = v ? strspn(v, "0") : 0;

	if (zeros > 0 && v[zeros] != '\0' && strchr("smhd", v[zeros]) &&
	    v[zeros + 1] == '\0')
		return cli_usage_error(c->d, "--max-wait must be longer than "
		    "0s, not '%s'", v);
	return cli_convert(c, "max-wait") < 0 ? -1 : 0;
}

/* The polling budget, the rate budget and the cap on each aliyun process. */
static int
check_waiting(struct cli *c)
{
	return cli_convert(c, "poll-interval") < 0 ||
	    cli_convert(c, "call-timeout") < 0 ||
	    cli_convert(c, "max-polls") < 0 ||
	    cli_convert(c, "max-rate") < 0 || check_max_wait(c) < 0 ? -1 : 0;
}

/* The aliyun profile and the report file. */
static int
check_environment(struct cli *c)
{
	char err[256];

	if (c->o->profile && check_profile(c->o->profile, err,
	    sizeof(err)) < 0)
		return cli_usage_error(c->d, "%s", err);
	return check_report_file(c);
}

/* Warnings only once everything is known to be valid. */
static void
warn_window(const struct cli *c)
{
	const struct options *o = c->o;

	if (o->realtime && (cli_given(c, "since") || cli_given(c, "start")))
		warning("--realtime wins: the time window is ignored and the "
		    "diagnosis is real-time");
	if (o->description && !o->realtime && !o->historical &&
	    mentions_past_time(o->description))
		warning("the description mentions a past time, but no window "
		    "was given: this runs a real-time diagnosis; for the past, "
		    "add --since or --start");
}

int
cli_check(struct cli *c)
{
	if (check_report(c) < 0 || check_progress(c) < 0 ||
	    check_color(c) < 0 || check_setup(c) < 0 || check_regions(c) < 0)
		return -1;
	if (c->o->doctor)
		return check_doctor(c);
	if (c->o->mcp)
		return check_mcp(c);
	if (c->o->history || c->o->diff)
		return check_history(c);
	if (check_baseline(c) < 0 || check_discover(c) < 0 ||
	    check_region_count(c) < 0 ||
	    check_targets(c) < 0 ||
	    check_window(c) < 0 || check_details(c) < 0 ||
	    check_waiting(c) < 0 || check_environment(c) < 0)
		return -1;
	warn_window(c);
	return 0;
}
