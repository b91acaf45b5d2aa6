/*
 * The report view; see report.h.  Everything the renderers used to work
 * out from a struct diag each on its own (the target given or echoed, its
 * mode and window, the result's summary, the error) is decided here once,
 * so the text, Markdown and JSON reports cannot disagree about it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fleet.h"
#include "json.h"
#include "msg.h"
#include "report.h"
#include "workflow.h"

/* The target: the one given, else what the task's echoed params say. */
static void
target(struct report *r, const struct diag *d)
{
	const struct options *o = d->opt;

	r->name = o->instance ? o->instance : o->task_id;
	if (d->outcome == OUTCOME_USAGE_ERROR)
		return;	/* what was given may not be valid: no target */
	r->region = o->region ? o->region : d->echo_region;
	if (o->instance) {
		r->instance = o->instance;
		r->product = product_name(o->product);
		r->mode = o->historical ? REPORT_MODE_HISTORICAL :
		    REPORT_MODE_REALTIME;
		r->start_time = (double)o->start_time;
		r->end_time = (double)o->end_time;
		return;
	}
	r->echoed = true;
	r->instance = d->echo_instance;
	r->product = d->echo_product;
	if (d->echo_known) {
		r->mode = d->echo_realtime ? REPORT_MODE_REALTIME :
		    REPORT_MODE_HISTORICAL;
		r->start_time = d->echo_start;
		r->end_time = d->echo_end;
	}
}

/*
 * The words the reports put before a failed task's message, which SysOM's
 * err_msg often begins with itself ("Diagnosis failed: ...").
 */
#define FAILED "diagnosis failed"

const char *
report_failure_message(const struct report *r)
{
	const char *m = r->error.message ? r->error.message : "", *p;

	for (;;) {
		if (strncasecmp(m, FAILED, strlen(FAILED)) != 0)
			return m;
		p = m + strlen(FAILED);
		p += strspn(p, " \t");
		if (*p != ':')
			return m;
		p++;
		p += strspn(p, " \t");
		if (*p == '\0')
			return m;	/* nothing but the words: kept */
		m = p;
	}
}

void
report_view(struct report *r, const struct diag *d, int exit_code)
{
	memset(r, 0, sizeof(*r));
	r->outcome = d->outcome;
	r->exit_code = exit_code;
	target(r, d);

	r->task_id = d->task_id;
	r->attached = d->attached;
	r->status = d->status;
	r->task_failed = diag_task_failed(d);
	r->polls = d->polls;
	r->throttled = d->throttled;
	r->resume = diag_resume_command(d);
	r->baseline = d->baseline;

	r->has_result = d->res.ok;
	r->result = d->res.text;
	r->overall_status = diag_overall_status(d);
	r->root_cause = diag_root_cause(d);
	r->suggestions = diag_suggestions(d);
	r->issues = d->res.issues;
	r->n_issues = d->res.n_issues;
	r->url = diag_url(d);

	if (d->error_set) {
		r->has_error = true;
		r->error.code = d->err.code;
		r->error.source = d->err.source;
		r->error.message = d->err.message;
		r->error.request_id = d->err.request_id;
	}
	r->warnings = &d->warnings;
	r->ended = d->ended ? d->ended : (double)time(NULL);
	r->elapsed = d->elapsed;
	if (d->tally.kept)
		r->tally = &d->tally;
}

void
report_release(struct report *r)
{
	free(r->resume);
	r->resume = NULL;
}

void
report_fleet_view(struct report_fleet *v, const struct fleet *f)
{
	memset(v, 0, sizeof(*v));
	v->outcome = f->outcome;
	v->exit_code = f->exit_code;
	v->runs = xcalloc(f->n ? f->n : 1, sizeof(*v->runs));
	v->n = f->n;
	for (size_t i = 0; i < f->n; i++) {
		const struct diag *d = &f->t[i].d;

		report_view(&v->runs[i], d, diag_exit_code(d, f->base->fail_on));
		if (f->t[i].spooled) {
			v->runs[i].spooled = true;
			v->runs[i].spool_fd = fileno(f->spool);
			v->runs[i].spool_at = f->t[i].spool_at;
			v->runs[i].spool_len = f->t[i].spool_len;
		}
	}
	v->warnings = &f->setup.warnings;
}

void
report_fleet_release(struct report_fleet *v)
{
	for (size_t i = 0; i < v->n; i++)
		report_release(&v->runs[i]);
	free(v->runs);
	v->runs = NULL;
	v->n = 0;
}

void
report_issues_first(struct report_issues *is, const struct report *r)
{
	memset(is, 0, sizeof(*is));
	if (r->n_issues > 0)
		jscan_first(&is->it, r->issues);
}

bool
report_issues_next(struct report_issues *is, struct jspan *issue)
{
	struct jspan key;

	return is->it.p != NULL && jscan_next(&is->it, &key, issue);
}

static const char *const known[] = {
	"severity", "level", "title", "name", "detail", "description",
};
#define N_KNOWN (sizeof(known) / sizeof(*known))

bool
report_issue_known(const char *key, size_t n, struct jspan value)
{
	for (size_t i = 0; i < N_KNOWN; i++)
		if (strlen(known[i]) == n && memcmp(key, known[i], n) == 0)
			return jscan_is_string(value);
	return false;
}

/* The string of the first member named known[i] (redacted), or NULL. */
static char *
field(const struct jspan *first, size_t i)
{
	struct jtext t;

	if (!jscan_is_string(first[i]))
		return NULL;
	jtext_string(&t, first[i]);
	return jtext_cstr(&t);
}

void
report_issue_fields(struct issue_fields *f, struct jspan issue)
{
	struct jspan first[N_KNOWN] = { { NULL, 0 } }, key, val;
	struct jiter it;
	struct jtext t;

	memset(f, 0, sizeof(*f));
	if (!jscan_is_object(issue))
		return;
	jscan_first(&it, issue);
	while (jscan_next(&it, &key, &val)) {
		jtext_name(&t, key);
		for (size_t i = 0; i < N_KNOWN; i++)
			if (!first[i].p && strlen(known[i]) == t.n &&
			    memcmp(t.s, known[i], t.n) == 0)
				first[i] = val;
		jtext_release(&t);
	}
	/* As json_str_any(): the first name whose member is a string. */
	f->severity = field(first, jscan_is_string(first[0]) ? 0 : 1);
	f->title = field(first, jscan_is_string(first[2]) ? 2 : 3);
	f->detail = field(first, jscan_is_string(first[4]) ? 4 : 5);
}

void
report_issue_fields_release(struct issue_fields *f)
{
	free(f->severity);
	free(f->title);
	free(f->detail);
	memset(f, 0, sizeof(*f));
}
