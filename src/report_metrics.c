/*
 * --metrics-file: Prometheus metrics of each run in the text format the
 * node_exporter textfile collector reads, so a scheduler's runs can be
 * graphed and alerted on.  Every family is a gauge with its HELP and TYPE
 * once, before its samples; a run is one series per family, labelled with
 * its region, instance and product.  Label values are escaped as the
 * exposition format asks (backslash, double quote, newline), and the text
 * goes through the sink like any report, so nothing secret is written.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "output.h"
#include "report.h"
#include "workflow.h"

/* What a run's series are labelled with; strings borrowed. */
struct labels {
	const char *region, *instance, *product;
	bool shown;	/* false: the same labels as an earlier run's */
};

/*
 * pai_diag_status: 0 healthy, 1 warn, 2 critical, 3 no verdict (the run
 * failed).  A regression is a verdict too: its overall status's level.
 */
static int
status_value(const struct report *r)
{
	enum outcome o = r->outcome;

	if (o == OUTCOME_REGRESSED)
		o = diag_verdict(r->overall_status);
	switch (o) {
	case OUTCOME_HEALTHY:
		return 0;
	case OUTCOME_WARN:
		return 1;
	case OUTCOME_CRITICAL:
		return 2;
	default:
		return 3;
	}
}

/* Whether an earlier run shown has the labels l. */
static bool
taken(const struct labels *l, const struct labels *earlier, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (earlier[i].shown && strcmp(l->region, earlier[i].region) ==
		    0 && strcmp(l->instance, earlier[i].instance) == 0 &&
		    strcmp(l->product, earlier[i].product) == 0)
			return true;
	return false;
}

/*
 * A run's labels: its instance, given or echoed by its task; a task whose
 * instance is not known is its task id.  A series is never written twice:
 * a task that echoes an instance already shown is its task id, and a run
 * whose labels are still taken is left out (the earlier one stands).
 */
static void
label(struct labels *l, const struct labels *earlier, size_t n,
    const struct report *r)
{
	const char *task = r->task_id ? r->task_id : r->name;

	l->region = r->region ? r->region : "unknown";
	l->product = r->product ? r->product : "unknown";
	l->instance = r->instance ? r->instance : task ? task : "unknown";
	if (task && taken(l, earlier, n))
		l->instance = task;
	l->shown = !taken(l, earlier, n);
}

/* A label value, escaped. */
static void
put_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void
put_labels(FILE *f, const char *name, const struct labels *l,
    const char *severity)
{
	fprintf(f, "%s{region=\"", name);
	put_value(f, l->region);
	fputs("\",instance=\"", f);
	put_value(f, l->instance);
	fputs("\",product=\"", f);
	put_value(f, l->product);
	if (severity) {
		fputs("\",severity=\"", f);
		put_value(f, severity);
	}
	fputs("\"} ", f);
}

static void
family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* A severity lower-cased, but what masking put in it. */
static char *
lower(const char *severity)
{
	char *s = xstrdup(severity ? severity : "unknown");

	for (char *p = s; *p; p++) {
		if (strncmp(p, REDACTED, REDACTED_LEN) == 0)
			p += REDACTED_LEN - 1;
		else
			*p = (char)tolower((unsigned char)*p);
	}
	return s;
}

static void
tally_add(struct severity_tally *t, const char *severity)
{
	char *s = lower(severity);

	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].severity, s) == 0) {
			t->v[i].n++;
			free(s);
			return;
		}
	}
	t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
	t->v[t->n].severity = s;
	t->v[t->n++].n = 1;
}

/* Counts r's issues by severity (redacted, lower-cased) into t. */
static void
tally(struct severity_tally *t, const struct report *r)
{
	struct report_issues is;
	struct issue_fields fields;
	struct jspan issue;

	memset(t, 0, sizeof(*t));
	report_issues_first(&is, r);
	while (report_issues_next(&is, &issue)) {
		report_issue_fields(&fields, issue);
		tally_add(t, fields.severity);
		report_issue_fields_release(&fields);
	}
}

static void
tally_release(struct severity_tally *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].severity);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

void
report_keep(struct diag *d, const struct report *r)
{
	tally_release(&d->tally);
	tally(&d->tally, r);
	d->tally.kept = true;
}

static void
issues(FILE *f, const struct report *runs, const struct labels *l, size_t n)
{
	family(f, "pai_diag_issues", "Issues the last diagnosis found, by "
	    "severity.");
	for (size_t i = 0; i < n; i++) {
		struct severity_tally own;
		const struct severity_tally *t = runs[i].tally;

		if (!l[i].shown)
			continue;
		if (t == NULL) {
			tally(&own, &runs[i]);
			t = &own;
		}
		for (size_t k = 0; k < t->n; k++) {
			put_labels(f, "pai_diag_issues", &l[i],
			    t->v[k].severity);
			fprintf(f, "%zu\n", t->v[k].n);
		}
		if (t == &own)
			tally_release(&own);
		out_safe_point(f);
	}
}

/* The families with one sample a run. */
enum scalar { STATUS, ENDED, ELAPSED };

static void
scalars(FILE *f, enum scalar what, const struct report *runs,
    const struct labels *l, size_t n)
{
	static const char *const names[] = { "pai_diag_status",
	    "pai_diag_last_run_timestamp_seconds",
	    "pai_diag_run_duration_seconds" };
	static const char *const helps[] = { "Verdict of the last diagnosis: "
	    "0 healthy, 1 warn, 2 critical, 3 failed (no verdict).",
	    "Unix time the last diagnosis ended.",
	    "Wall time of the last diagnosis, in seconds." };

	family(f, names[what], helps[what]);
	for (size_t i = 0; i < n; i++) {
		if (!l[i].shown)
			continue;
		put_labels(f, names[what], &l[i], NULL);
		if (what == STATUS)
			fprintf(f, "%d\n", status_value(&runs[i]));
		else
			fprintf(f, "%.3f\n", what == ENDED ? runs[i].ended :
			    runs[i].elapsed);
	}
}

int
report_metrics(FILE *f, const struct report *runs, size_t n)
{
	struct labels *l = xcalloc(n ? n : 1, sizeof(*l));

	for (size_t i = 0; i < n; i++)
		label(&l[i], l, i, &runs[i]);
	scalars(f, STATUS, runs, l, n);
	issues(f, runs, l, n);
	scalars(f, ENDED, runs, l, n);
	scalars(f, ELAPSED, runs, l, n);
	free(l);
	return ferror(f) ? -1 : 0;
}

/* The runs a metrics file is filled with. */
struct fill_arg {
	const struct report *runs;
	size_t n;
};

static int
fill(int fd, const void *arg)
{
	const struct fill_arg *a = arg;
	struct out out;
	int rc;

	if (out_open(&out, fd) < 0)
		return -1;
	rc = report_metrics(out.f, a->runs, a->n);
	if (out_close(&out) < 0)
		return -1;
	if (rc < 0)
		errno = EIO;
	return rc;
}

int
report_metrics_file(const char *path, const struct report *runs, size_t n)
{
	struct fill_arg a = { runs, n };

	return out_replace(path, fill, &a);
}
