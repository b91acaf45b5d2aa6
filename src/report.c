/*
 * The report view; see report.h.  Everything the renderers used to work
 * out from a struct diag each on its own (the target given or echoed, its
 * mode and window, the result's summary, the error) is decided here once,
 * so the text, Markdown and JSON reports cannot disagree about it.
 */
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "json.h"
#include "msg.h"
#include "redact.h"
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
	r->resume = diag_resume_command(d);

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

struct issue_fields
report_issue_fields(const cJSON *j_issue)
{
	struct issue_fields f = {
		json_str_any(j_issue, "severity", "level", NULL),
		json_str_any(j_issue, "title", "name", NULL),
		json_str_any(j_issue, "detail", "description", NULL),
	};

	return f;
}

void
report_issues_first(struct report_issues *is, const struct report *r)
{
	memset(is, 0, sizeof(*is));
	if (r->n_issues > 0)
		jscan_first(&is->it, r->issues);
}

const cJSON *
report_issues_next(struct report_issues *is)
{
	struct jspan key, val;

	cJSON_Delete(is->issue);
	is->issue = NULL;
	if (is->it.p == NULL || !jscan_next(&is->it, &key, &val))
		return NULL;
	if ((is->issue = cJSON_ParseWithLength(val.p, val.n)) == NULL)
		die("out of memory");	/* jscan_value() accepted it */
	redact_tree(is->issue);
	return is->issue;
}
