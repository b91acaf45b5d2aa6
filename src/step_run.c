/*
 * How a step runs an aliyun command: with this run's values, after its
 * turn in the run's rate budget (rate.h), and, through run_retrying(),
 * again after a transient failure: once for a network error or a 5xx,
 * with a backoff for as long as the service throttles.
 */
#include <stdlib.h>

#include "msg.h"
#include "rate.h"
#include "signals.h"
#include "steps.h"
#include "workflow.h"

/*
 * A business call waits for its turn in the run's rate budget (rate.h);
 * the wait is not part of --call-timeout, which starts at the spawn, but
 * is part of --max-wait.  Returns 0 with *sent the time it went, else -1
 * with r saying why (a signal, or d->expired).
 */
static int
take_turn(struct diag *d, struct aliyun_reply *r, double *sent)
{
	int rc = d->deadline > 0 && mono_now() >= d->deadline ? 1 :
	    rate_take(&rate_run, d->deadline, sent);

	if (rc == 0)
		return 0;
	r->kind = API_OTHER;
	if (rc < 0) {
		r->c.interrupted = true;
		r->message = xstrdup("interrupted");
	} else {
		d->expired = true;
		r->message = xstrdup("--max-wait reached");
	}
	return -1;
}

/*
 * Runs one of the commands of commands.c with this run's values; page is
 * for the ListServices paging.  Returns what aliyun_run() returns.  The
 * answer before this one is done with: a fleet's memory gate is let go.
 * A throttled answer is counted, for the report and for the run's rate.
 */
int
run(struct diag *d, struct aliyun_reply *r, enum cmd_id id, const char *page)
{
	const struct options *o = d->opt;
	struct cmd_values v = {
		.region = o->region, .instance = o->instance,
		.params = d->params, .task_id = d->task_id, .page = page,
		.profile = o->profile, .user_agent = d->restore_user_agent,
	};
	struct strvec argv = STRVEC_INIT;
	bool business = command_is_business(id);
	double sent = 0;
	int rc;

	diag_gate_release(d);
	if (business && take_turn(d, r, &sent) < 0)
		return -1;
	command_argv(id, &v, &argv);
	r->hold = id == CMD_GET_RESULT ? diag_result_keys : NULL;
	rc = aliyun_run(&d->aliyun, r, business, strvec_argv(&argv));
	strvec_clear(&argv);
	if (r->throttled) {
		d->throttled++;
		rate_throttled(&rate_run, sent);
	}
	return rc;
}

/*
 * Sleeps before the next try of a call that was throttled `streak` times
 * in a row (the backoff of rate.h, from --poll-interval).  Returns -1
 * when a signal came, or when --max-wait would pass first (d->expired):
 * no call could go before it.
 */
static int
throttle_pause(struct diag *d, const struct aliyun_reply *r, int streak)
{
	double delay = backoff_delay(streak, d->opt->poll_interval,
	    r->retry_after, (double)arc4random() / 4294967296.0);

	if (d->deadline > 0 && mono_now() + delay >= d->deadline) {
		d->expired = true;
		return -1;
	}
	verbose("throttled (%s); trying again in %.2f s", r->code ? r->code :
	    "no code", delay);
	diag_gate_release(d);
	return signals_sleep(delay);
}

/*
 * run(), and once more after --poll-interval when the answer was another
 * transient failure (network, 5xx), as the skill does.  A throttled
 * answer is tried again after a backoff (throttle_pause) until it goes
 * through, up to --max-polls tries in all or until --max-wait.  A call
 * past --call-timeout is not tried again: that would double a wait of
 * minutes.
 */
int
run_retrying(struct diag *d, struct aliyun_reply *r, enum cmd_id id,
    const char *page)
{
	int streak = 0, tries = 0;
	char *why;

	for (;;) {
		if (run(d, r, id, page) == 0)
			return 0;
		if (r->kind != API_TRANSIENT || r->c.timed_out ||
		    r->c.interrupted || d->expired || signals_first())
			return -1;
		if (r->throttled) {
			if (++streak >= d->opt->max_polls ||
			    throttle_pause(d, r, streak) < 0)
				return -1;
			aliyun_reply_release(r);
			continue;
		}
		if (tries++ > 0)
			return -1;
		why = aliyun_describe(r);
		warning("'aliyun %s' failed: %s; trying again",
		    command_name(id), why);
		free(why);
		aliyun_reply_release(r);
		if (signals_sleep(d->opt->poll_interval) < 0)
			return -1;
	}
}
