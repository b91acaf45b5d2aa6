/*
 * The SysOM side: step 7 initialises SysOM for the account, step 9
 * starts the diagnosis (or attaches to the one already running), step 10
 * polls it until Success, Fail or --max-polls; result.c reads the reply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "msg.h"
#include "params.h"
#include "rate.h"
#include "redact.h"
#include "signals.h"
#include "steps.h"
#include "workflow.h"

int
step_initial_sysom(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	int rc = 0;

	if (run_retrying(d, &r, CMD_INITIAL_SYSOM, NULL) < 0)
		rc = step_failed(d, &r);
	aliyun_reply_release(&r);
	return rc;
}

/* The id in "...: ocd(<id>)", when it is one we can pass on; owned. */
static char *
in_progress_id(const struct aliyun_reply *r)
{
	const char *texts[3] = { buf_str(&r->c.err), buf_str(&r->c.out),
	    r->message ? r->message : "" };
	char err[128];

	for (int i = 0; i < 3; i++) {
		const char *p = strstr(texts[i], "ocd(");
		const char *end = p ? strchr(p + 4, ')') : NULL;
		char *id;

		if (end == NULL)
			continue;
		id = xstrndup(p + 4, (size_t)(end - p - 4));
		if (check_task_id(id, err, sizeof(err)) == 0)
			return id;
		free(id);
	}
	return NULL;
}

/* The params JSON of invoke-diagnosis, printed once; owned by d. */
void
build_params(struct diag *d)
{
	const struct options *o = d->opt;
	struct diag_params p = {
		.instance = o->instance, .region = o->region,
		.product = o->product, .start_time = o->start_time,
		.end_time = o->end_time, .uid = o->uid,
		.ocd_description = o->ocd_description,
	};
	cJSON *j_params;

	if (o->instance == NULL || d->params)
		return;
	j_params = params_json(&p);
	d->params = cJSON_PrintUnformatted(j_params);
	cJSON_Delete(j_params);
	if (d->params == NULL)
		die("out of memory");
}

int
step_invoke(struct diag *d)
{
	const struct options *o = d->opt;
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	char err[128];
	int rc = -1;

	for (int invoke = 1; invoke <= MAX_INVOKES; invoke++) {
		const char *id;

		progress("invoking the SysOM diagnosis of %s", o->instance);
		aliyun_reply_release(&r);
		d->last_call = mono_now();
		if (run_retrying(d, &r, CMD_INVOKE, NULL) == 0) {
			id = json_str(json_obj(r.json, "data"), "task_id");
			if (id == NULL || check_task_id(id, err, sizeof(err)) < 0) {
				fail(d, OUTCOME_INTERNAL_ERROR, "sysom", NULL,
				    json_str(r.json, "request_id"),
				    "invoke-diagnosis answered Success without a "
				    "usable task id");
				goto out;
			}
			d->task_id = xstrdup(id);
			progress_task(d->task_id);
			rc = 0;
			goto out;
		}
		if (interrupted(d, &r))
			goto out;
		if (r.kind != API_TASK_IN_PROGRESS)
			break;
		if ((d->task_id = in_progress_id(&r)) != NULL) {
			d->attached = true;
			progress("a diagnosis of %s is already running: task %s",
			    o->instance, d->task_id);
			rc = 0;
			goto out;
		}
		if (invoke < MAX_INVOKES && signals_sleep(o->poll_interval) < 0) {
			d->outcome = OUTCOME_INTERRUPTED;
			goto out;
		}
	}
	if (r.kind == API_TASK_IN_PROGRESS)
		fail(d, OUTCOME_DIAGNOSIS_FAILED, "sysom", r.code, r.request_id,
		    "another diagnosis of %s is running and SysOM did not say "
		    "which task it is; still in progress after %d invokes, try "
		    "again later", o->instance, MAX_INVOKES);
	else
		step_failed(d, &r);
out:
	aliyun_reply_release(&r);
	return rc;
}

/* A Success reply: the verdict, or exit 1 when there is nothing to show. */
static int
finish_success(struct diag *d, const char *request_id)
{
	const char *overall;

	if (!diag_take_result(d))
		return fail(d, OUTCOME_INTERNAL_ERROR, "sysom", "EmptyResult",
		    request_id, "task %s succeeded but its result is empty or "
		    "not JSON; see it in the SysOM console", d->task_id);
	overall = diag_overall_status(d);
	d->outcome = diag_verdict(overall);
	if (overall == NULL)
		warning("the result has no summary.overall_status; counted as "
		    "Warn");
	else if (strcasecmp(overall, "Info") != 0 &&
	    strcasecmp(overall, "Warn") != 0 &&
	    strcasecmp(overall, "Critical") != 0)
		warning("unknown overall_status '%.64s'; counted as Warn", overall);
	return 0;
}

/* The failures in a row of step 10, and the last one's cause. */
struct poll_failures {
	int count;
	char *cause;
};

/*
 * A poll that failed (cause: owned, taken): a warning, or the end of the
 * run when it is the third in a row.  Returns -1 then, else 0.
 */
static int
poll_failed(struct diag *d, struct poll_failures *f, const char *source,
    const struct aliyun_reply *r, char *cause)
{
	free(f->cause);
	f->cause = cause;
	if (++f->count >= MAX_FAILED_POLLS)
		return fail(d, OUTCOME_INTERNAL_ERROR, source, r ? r->code : NULL,
		    r ? r->request_id : NULL, "%d polls of task %s failed in a "
		    "row: %s", f->count, d->task_id, cause);
	warning("poll %d of task %s failed: %s; retrying", d->polls,
	    d->task_id, cause);
	return 0;
}

/*
 * A --task-id that SysOM does not know (Sysom.InvalidParameter, "task not
 * found"): exit 6, saying what to check.  Returns whether it was that.
 */
static bool
unknown_task(struct diag *d, const struct aliyun_reply *r)
{
	char *why;

	if (d->opt->task_id == NULL || !r->from_server || r->message == NULL ||
	    strcasestr(r->message, "task not found") == NULL)
		return false;
	why = aliyun_describe(r);
	fail(d, OUTCOME_DIAGNOSIS_FAILED, "sysom", r->code, r->request_id,
	    "task %s is unknown to SysOM in region %s for this account (%s): "
	    "check the region, the profile and the id in the earlier run's "
	    "resume command; SysOM said: %s", d->task_id, d->opt->region,
	    credentials_in_use(d), why);
	free(why);
	return true;
}

/* A Fail status: exit 6 with the engine's reason. */
static void
task_failed(struct diag *d)
{
	const char *msg = json_str(d->data, "err_msg");
	char *shown = redact_str(msg && *msg ? msg : "the engine gave no reason");

	d->outcome = OUTCOME_DIAGNOSIS_FAILED;
	error("diagnosis task %s failed: %s", d->task_id, shown);
	set_error(d, "sysom", "diagnosis_failed", shown,
	    json_str(d->reply, "request_id"));
	free(shown);
}

/*
 * What a status means: Success and Fail end the polling (true, *rc set);
 * Ready, Running and, after one warning, anything else go on.
 */
static bool
poll_done(struct diag *d, const char *status, bool *warned, int *rc)
{
	if (strcasecmp(status, "Success") == 0) {
		*rc = finish_success(d, json_str(d->reply, "request_id"));
		return true;
	}
	if (strcasecmp(status, "Fail") == 0) {
		task_failed(d);
		return true;
	}
	if (strcasecmp(status, "Ready") != 0 &&
	    strcasecmp(status, "Running") != 0 && !*warned) {
		*warned = true;
		warning("unknown task status '%.64s'; polling on as if Running",
		    d->status);
	}
	return false;
}

/*
 * Sleeps until the next poll is due: the cadence counts from the start of
 * the previous call, and a throttled poll pushes it back (retry_at).
 * Returns -1 when a signal came, or when --max-wait would pass first (no
 * poll could go before it: a timeout, as after --max-polls).
 */
static int
poll_wait(struct diag *d)
{
	double due = d->last_call + d->opt->poll_interval;

	if (d->retry_at > due)
		due = d->retry_at;
	if (d->deadline > 0 && due >= d->deadline) {
		d->expired = true;
		d->outcome = OUTCOME_TIMEOUT;
		return -1;
	}
	if (signals_sleep(due - mono_now()) < 0) {
		d->outcome = OUTCOME_INTERRUPTED;
		return -1;
	}
	d->last_call = mono_now();
	d->polls++;
	return 0;
}

/*
 * A throttled poll: no failed poll (the service is well, only busy), but
 * a poll of --max-polls all the same; the next one waits the backoff.
 */
static void
poll_throttled(struct diag *d, const struct aliyun_reply *r)
{
	double delay = backoff_delay(++d->throttle_streak, d->opt->poll_interval,
	    r->retry_after, (double)arc4random() / 4294967296.0);

	verbose("poll %d of task %s throttled (%s); next in %.2f s", d->polls,
	    d->task_id, r->code ? r->code : "no code", delay);
	d->retry_at = mono_now() + delay;
}

int
step_poll(struct diag *d)
{
	const struct options *o = d->opt;
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	struct poll_failures failed = { 0, NULL };
	bool warned_status = false;
	int rc = -1;

	if (!d->attached)
		d->polls = 0;
	/* An attached task is polled at once (a fleet spreads them out). */
	if (d->attached || d->last_call == 0)
		d->last_call = mono_now() - o->poll_interval + d->poll_offset;
	while (d->polls < o->max_polls) {
		const char *status;

		aliyun_reply_release(&r);
		diag_gate_release(d);	/* not held over the interval */
		if (poll_wait(d) < 0)
			goto out;
		run(d, &r, CMD_GET_RESULT, NULL);
		if (interrupted(d, &r))
			goto out;
		if (d->expired) {
			/* --max-wait came while it waited for its turn: not sent. */
			d->polls--;
			d->outcome = OUTCOME_TIMEOUT;
			goto out;
		}
		if (r.throttled) {
			poll_throttled(d, &r);
			continue;
		}
		d->throttle_streak = 0;
		if (!r.ok && (r.kind == API_TRANSIENT || r.kind == API_GARBAGE)) {
			if (poll_failed(d, &failed, r.from_server ? "sysom" :
			    "aliyun", &r, aliyun_describe(&r)) < 0)
				goto out;
			continue;
		}
		if (!r.ok) {
			if (!unknown_task(d, &r))
				step_failed(d, &r);
			goto out;
		}
		if ((status = diag_take_reply(d, &r)) == NULL) {
			if (poll_failed(d, &failed, "sysom", NULL,
			    xstrdup("the reply has no data.status")) < 0)
				goto out;
			continue;
		}
		failed.count = 0;
		progress_poll(d->task_id, d->status, d->polls, o->max_polls);
		if (poll_done(d, status, &warned_status, &rc))
			goto out;
	}
	d->outcome = OUTCOME_TIMEOUT;
out:
	free(failed.cause);
	aliyun_reply_release(&r);
	return rc;
}
