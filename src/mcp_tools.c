/*
 * The MCP tools that run a diagnosis in parts: `diagnose` runs the setup
 * once for the server's life, then for each target only the steps that
 * start its task (8 and 9); `wait` polls the tasks (step 10, one poll a
 * round) until they are done or its time is up, and answers with the same
 * envelope `pai-diag -o json` prints; `result` reads one again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defaults.h"
#include "history.h"
#include "json.h"
#include "mcp_run.h"
#include "msg.h"
#include "outcome.h"
#include "params.h"
#include "report.h"
#include "signals.h"
#include "workflow.h"

/* The run's envelope, as `pai-diag -o json` prints it. */
static int
render_envelope(FILE *f, const void *arg)
{
	const struct diag *d = arg;
	struct report rep;
	int rc;

	report_view(&rep, d, diag_exit_code(d, FAIL_ON_WARN));
	rc = report_json(f, &rep);
	report_release(&rep);
	return rc;
}

/* "TASK@REGION": what `wait` and `result` take. */
static void
add_task(cJSON *item, const char *task, const char *region)
{
	char *s = xasprintf("%s@%s", task, region);

	cJSON_AddStringToObject(item, "task", s);
	free(s);
}

/* --- diagnose ------------------------------------------------------------- */

/*
 * Steps 1-7, once for the server's life: a failed setup stays failed (its
 * cause is the environment, which a restart of the server picks up anew).
 */
static int
ensure_setup(struct mcp *m, char **text)
{
	if (!m->setup_ran) {
		m->setup_ran = true;
		m->setup_ok = diag_setup(m->base, true) == 0;
	}
	if (m->setup_ok)
		return 0;
	*text = xasprintf("the setup failed: %s", mcp_error_text(m->base));
	return MCP_TOOL_ERROR;
}

/* Starts the task of one target: its item of the answer. */
static cJSON *
start_one(struct mcp *m, const struct strvec *common, const char *spec)
{
	cJSON *item = cJSON_CreateObject();
	struct run r;

	mcp_run_target(&r, common, spec);
	if (mcp_run_parse(m, &r) == 0) {
		r.d.start_only = true;
		diag_target(&r.d, m->base);
	}
	cJSON_AddStringToObject(item, "instance", r.opt.instance ?
	    r.opt.instance : spec);
	if (r.opt.region)
		cJSON_AddStringToObject(item, "region", r.opt.region);
	if (r.opt.product != PRODUCT_NONE)
		cJSON_AddStringToObject(item, "product",
		    product_name(r.opt.product));
	if (r.d.task_id) {
		cJSON_AddStringToObject(item, "task_id", r.d.task_id);
		add_task(item, r.d.task_id, r.opt.region);
		cJSON_AddBoolToObject(item, "attached", r.d.attached);
	} else {
		mcp_add_error(item, &r.d);
	}
	mcp_run_release(&r);
	return item;
}

/*
 * Whether any target's arguments hold: the setup is for those only, so a
 * call whose every target is wrong changes nothing.  Else why in text.
 */
static int
any_target(struct mcp *m, const struct strvec *common,
    const struct strvec *targets, char **text)
{
	struct buf why = BUF_INIT;
	int rc = MCP_TOOL_ERROR;

	for (size_t i = 0; i < targets->n && rc < 0; i++) {
		struct run r;
		char *e;

		mcp_run_target(&r, common, targets->v[i]);
		if (mcp_run_parse(m, &r) == 0) {
			rc = 0;
		} else {
			e = mcp_error_text(&r.d);
			buf_addf(&why, "; %s: %s", targets->v[i], e);
			free(e);
		}
		mcp_run_release(&r);
	}
	if (rc < 0)
		*text = xasprintf("no target can start%s", buf_str(&why));
	buf_release(&why);
	return rc;
}

/* Why an item's target did not start. */
static const char *
item_error(const cJSON *item)
{
	const cJSON *e = cJSON_GetObjectItem(cJSON_GetObjectItem(item,
	    "error"), "message");
	const cJSON *o = cJSON_GetObjectItem(item, "outcome");

	return cJSON_IsString(e) ? e->valuestring : cJSON_IsString(o) ?
	    o->valuestring : "not started";
}

int
mcp_tool_diagnose(struct mcp *m, const cJSON *args, cJSON **out,
    char **text)
{
	struct strvec common = STRVEC_INIT, targets = STRVEC_INIT;
	struct buf said = BUF_INIT;
	cJSON *tasks;
	int started = 0, rc;

	strvec_push(&common, "pai-diag");
	if ((rc = mcp_arg_list(args, "instances", "instance", &targets, text)) < 0 ||
	    (rc = mcp_diagnosis_args(args, &common, text)) < 0 ||
	    (rc = any_target(m, &common, &targets, text)) < 0 ||
	    (rc = ensure_setup(m, text)) < 0)
		goto out;
	*out = cJSON_CreateObject();
	tasks = cJSON_AddArrayToObject(*out, "tasks");
	for (size_t i = 0; i < targets.n && !signals_first(); i++) {
		cJSON *item = start_one(m, &common, targets.v[i]);
		const cJSON *task = cJSON_GetObjectItem(item, "task");

		cJSON_AddItemToArray(tasks, item);
		started += task != NULL;
		buf_addf(&said, "%s%s: %s", said.len ? "; " : "",
		    cJSON_GetObjectItem(item, "instance")->valuestring, task ?
		    task->valuestring : item_error(item));
	}
	cJSON_AddNumberToObject(*out, "started", started);
	*text = xasprintf("started %d of %zu: %s%s", started, targets.n,
	    buf_str(&said), started ? "; call wait with the tasks" : "");
	rc = started ? 0 : MCP_TOOL_ERROR;
out:
	buf_release(&said);
	strvec_clear(&common);
	strvec_clear(&targets);
	return rc;
}

/* --- wait and result ---------------------------------------------------- */

/* A task being waited for. */
struct pending {
	const char *spec;	/* TASK or TASK@REGION, borrowed */
	int polls;
	int failed;		/* polls in a row that got no status */
	bool done;
	cJSON *item;		/* its item of the answer, owned */
};

/* The command line of a task: its id, and the region when apart. */
static void
task_run(struct run *r, const char *spec, const char *region)
{
	mcp_run_start(r);
	strvec_pushl(&r->argv, "--task-id", spec, NULL);
	if (region)
		strvec_pushl(&r->argv, "--region", region, NULL);
}

/* Whether every task's id and region are good; else why not in text. */
static int
check_tasks(struct mcp *m, const struct strvec *specs, const char *region,
    char **text)
{
	for (size_t i = 0; i < specs->n; i++) {
		struct run r;
		int rc;

		task_run(&r, specs->v[i], region);
		if ((rc = mcp_run_parse(m, &r)) < 0)
			*text = mcp_error_text(&r.d);
		mcp_run_release(&r);
		if (rc < 0)
			return MCP_TOOL_ERROR;
	}
	return 0;
}

/* The item of a task: done with its envelope, or running. */
static cJSON *
task_item(const struct run *r, const struct pending *p)
{
	cJSON *item = cJSON_CreateObject();

	cJSON_AddStringToObject(item, "task_id", r->d.task_id ?
	    r->d.task_id : p->spec);
	cJSON_AddStringToObject(item, "region", r->opt.region);
	cJSON_AddStringToObject(item, "status", p->done ? "done" : "running");
	cJSON_AddNumberToObject(item, "polls", p->polls);
	if (r->d.status)
		cJSON_AddStringToObject(item, "task_status", r->d.status);
	if (!p->done && r->d.warnings.n)
		cJSON_AddStringToObject(item, "warning",
		    r->d.warnings.v[r->d.warnings.n - 1]);
	if (p->done) {
		cJSON_AddStringToObject(item, "outcome",
		    outcome_name(r->d.outcome));
		cJSON_AddNumberToObject(item, "exit_code",
		    diag_exit_code(&r->d, FAIL_ON_WARN));
		cJSON_AddItemToObject(item, "envelope",
		    json_rendered(render_envelope, &r->d));
	}
	return item;
}

/*
 * A poll that got no status (the call failed: the network, throttling)
 * leaves the task running, with a warning; the third in a row ends it as
 * the CLI's step 10 does.  Returns whether it ended.
 */
static bool
poll_failed(struct pending *p, struct diag *d)
{
	const char *why = d->warnings.n ? d->warnings.v[d->warnings.n - 1] :
	    "no status";

	if (d->status || d->outcome == OUTCOME_INTERRUPTED) {
		p->failed = 0;
		return false;
	}
	if (++p->failed < MAX_FAILED_POLLS)
		return false;
	diag_fail(d, OUTCOME_INTERNAL_ERROR, "sysom", NULL, "%d polls of task "
	    "%s failed in a row: %s", p->failed, d->task_id, why);
	return true;
}

/*
 * One poll of a task (step 10, one poll past the polls made).  A task still running
 * stays pending; one that ended is kept in the history, as a run of the
 * CLI would be, so that `result` finds it again.
 */
static void
poll_once(struct mcp *m, struct pending *p, const char *region,
    double interval)
{
	struct run r;

	task_run(&r, p->spec, region);
	if (mcp_run_parse(m, &r) == 0) {
		/* One more poll, numbered on from this wait's last. */
		r.d.polls = p->polls;
		r.opt.max_polls = p->polls + 1;
		r.opt.poll_interval = interval;
		diag_target(&r.d, m->base);
		p->polls = r.d.polls;
		p->done = (r.d.outcome != OUTCOME_TIMEOUT &&
		    r.d.outcome != OUTCOME_INTERRUPTED) || poll_failed(p, &r.d);
		if (p->done)
			history_save(&r.d, diag_exit_code(&r.d, FAIL_ON_WARN),
			    HISTORY_KEEP);
	} else {
		p->done = true;
	}
	cJSON_Delete(p->item);
	p->item = task_item(&r, p);
	mcp_run_release(&r);
}

/* Polls every pending task once; the number done. */
static size_t
poll_round(struct mcp *m, struct pending *ps, size_t n, const char *region,
    double interval)
{
	size_t done = 0;

	for (size_t i = 0; i < n; i++) {
		if (!ps[i].done && !signals_first())
			poll_once(m, &ps[i], region, interval);
		done += ps[i].done;
	}
	return done;
}

static void
wait_progress(struct mcp *m, int round, const struct pending *ps, size_t n,
    size_t done)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "poll %d: %zu of %zu done", round, done, n);
	for (size_t i = 0; i < n; i++) {
		const cJSON *st = cJSON_GetObjectItem(ps[i].item, "task_status");

		if (!ps[i].done)
			buf_addf(&b, "; %s %s", ps[i].spec, cJSON_IsString(st) ?
			    st->valuestring : "not answered");
	}
	mcp_progress(m, round, buf_str(&b));
	buf_release(&b);
}

/* The answer of `wait`: every task's item, taken, and a line for each. */
static cJSON *
wait_answer(struct pending *ps, size_t n, size_t done, char **text)
{
	cJSON *out = cJSON_CreateObject();
	cJSON *tasks = cJSON_AddArrayToObject(out, "tasks");
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		const cJSON *st = cJSON_GetObjectItem(ps[i].item, "task_status");
		const cJSON *oc = cJSON_GetObjectItem(ps[i].item, "outcome");

		buf_addf(&b, "%s%s: %s", i ? "; " : "", ps[i].spec, ps[i].done ?
		    oc->valuestring : cJSON_IsString(st) ? st->valuestring :
		    "running");
		cJSON_AddItemToArray(tasks, ps[i].item);
		ps[i].item = NULL;
	}
	cJSON_AddBoolToObject(out, "done", done == n);
	*text = xasprintf("%s%s", buf_str(&b), done == n ? "" :
	    "; call wait again for the tasks still running");
	buf_release(&b);
	return out;
}

/*
 * Polls the tasks a round at a time, poll_interval apart, until every one
 * is done or the next round would end past timeout_seconds; a progress
 * notification after each round.
 */
int
mcp_tool_wait(struct mcp *m, const cJSON *args, cJSON **out,
    char **text)
{
	struct strvec specs = STRVEC_INIT;
	struct pending *ps = NULL;
	double timeout = MCP_MAX_WAIT, interval = m->opt->poll_interval;
	double start = mono_now();
	const char *region;
	size_t done = 0;
	int rc;

	if ((rc = mcp_arg_list(args, "task_ids", "task_id", &specs, text)) < 0 ||
	    (rc = mcp_arg_str(args, "region", &region, text)) < 0 ||
	    (rc = mcp_arg_num(args, "timeout_seconds", 0, MCP_MAX_WAIT, &timeout,
	    text)) < 0 ||
	    (rc = mcp_arg_num(args, "poll_interval", MIN_POLL_INTERVAL,
	    MAX_POLL_INTERVAL, &interval, text)) < 0 ||
	    (rc = check_tasks(m, &specs, region, text)) < 0)
		goto out;
	ps = xcalloc(specs.n, sizeof(*ps));
	for (size_t i = 0; i < specs.n; i++)
		ps[i].spec = specs.v[i];
	for (int round = 1;; round++) {
		done = poll_round(m, ps, specs.n, region, interval);
		wait_progress(m, round, ps, specs.n, done);
		if (done == specs.n || signals_first() ||
		    mono_now() - start + interval > timeout ||
		    mcp_pause(m, interval) < 0)
			break;
	}
	*out = wait_answer(ps, specs.n, done, text);
out:
	for (size_t i = 0; ps && i < specs.n; i++)
		cJSON_Delete(ps[i].item);
	free(ps);
	strvec_clear(&specs);
	return rc;
}

/* A finished run kept in the history: its item, or NULL. */
static cJSON *
kept_item(const char *spec)
{
	struct history_entry e;
	char *id = NULL, *region = NULL, err[512];
	cJSON *env = NULL, *kept = NULL;

	memset(&e, 0, sizeof(e));
	if (split_target(spec, &id, &region, err, sizeof(err)) < 0 ||
	    check_task_id(id, err, sizeof(err)) < 0 ||
	    (env = history_load(id, NULL, region, &e, err, sizeof(err))) == NULL)
		goto out;
	kept = cJSON_CreateObject();
	cJSON_AddStringToObject(kept, "task_id", id);
	cJSON_AddStringToObject(kept, "region", e.region);
	cJSON_AddStringToObject(kept, "status", "done");
	cJSON_AddStringToObject(kept, "source", "history");
	cJSON_AddItemToObject(kept, "outcome", cJSON_Duplicate(
	    cJSON_GetObjectItem(env, "outcome"), false));
	cJSON_AddItemToObject(kept, "exit_code", cJSON_Duplicate(
	    cJSON_GetObjectItem(env, "exit_code"), false));
	cJSON_AddItemToObject(kept, "envelope", env);
	history_entry_release(&e);
out:
	free(id);
	free(region);
	return kept;
}

/* A finished task from the history, else one poll of it. */
int
mcp_tool_result(struct mcp *m, const cJSON *args, cJSON **out,
    char **text)
{
	struct strvec one = STRVEC_INIT;
	struct pending p = { NULL, 0, 0, false, NULL };
	const char *region;
	cJSON *item;
	int rc;

	if ((rc = mcp_arg_list(args, "task_ids", "task_id", &one, text)) < 0 ||
	    (rc = mcp_arg_str(args, "region", &region, text)) < 0)
		goto out;
	if (one.n != 1) {
		*text = xstrdup("result takes one task_id");
		rc = MCP_BAD_ARGS;
		goto out;
	}
	p.spec = one.v[0];
	if ((item = kept_item(p.spec)) == NULL) {
		if ((rc = check_tasks(m, &one, region, text)) < 0)
			goto out;
		poll_once(m, &p, region, m->opt->poll_interval);
		item = p.item;
		cJSON_AddStringToObject(item, "source", "poll");
	}
	*out = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(*out, "tasks"), item);
	*text = xasprintf("%s: %s", p.spec, cJSON_GetObjectItem(item,
	    "status")->valuestring);
out:
	strvec_clear(&one);
	return rc;
}

