/*
 * What the history is for (see history.h): issues matched across runs by
 * their fingerprint, the diff of two envelopes, --baseline, and the
 * documents of `pai-diag history` and `pai-diag diff`.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "history.h"
#include "json.h"
#include "msg.h"
#include "report.h"
#include "workflow.h"

char *
history_fingerprint(const cJSON *issue)
{
	const char *parts[3] = { json_str(issue, "item"),
	    json_str(issue, "subsystem"),
	    json_str_any(issue, "title", "name", NULL) };
	struct buf b = BUF_INIT;

	for (int i = 0; i < 3; i++) {
		const char *s = parts[i] ? parts[i] : "";
		bool space = false;

		if (i > 0)
			buf_add(&b, "\x1f", 1);
		for (; *s; s++) {
			unsigned char c = (unsigned char)*s;

			if (isdigit(c)) {
				/* 79.6, 1,200 and 3 are all one number. */
				while (isdigit((unsigned char)s[1]) ||
				    ((s[1] == '.' || s[1] == ',') &&
				    isdigit((unsigned char)s[2])))
					s++;
				c = '#';
			} else if (isspace(c)) {
				space = b.len > 0;
				continue;
			}
			if (space)
				buf_add(&b, " ", 1);
			space = false;
			c = (unsigned char)tolower(c);
			buf_add(&b, &c, 1);
		}
	}
	return buf_detach(&b, NULL);
}

bool
history_serious(const cJSON *issue)
{
	static const char *const mild[] = { "info", "ok", "normal", "notice",
	    "pass", "passed", "healthy", "none", "low" };
	const char *sev = json_str_any(issue, "severity", "level", NULL);

	/* No severity, or one not known: Warn, as an unknown status is. */
	if (sev == NULL)
		return true;
	for (size_t i = 0; i < sizeof(mild) / sizeof(mild[0]); i++)
		if (strcasecmp(sev, mild[i]) == 0)
			return false;
	return true;
}

/* An issue's fingerprint and its place, for matching by sorting. */
struct mark {
	char *fp;
	const cJSON *issue;
	bool matched;
};

static int
by_fp(const void *a, const void *b)
{
	return strcmp((*(struct mark *const *)a)->fp,
	    (*(struct mark *const *)b)->fp);
}

static struct mark *
marks(const cJSON *env, size_t *n)
{
	const cJSON *issues = cJSON_GetObjectItemCaseSensitive(env, "issues"),
	    *it;
	struct mark *m;
	size_t i = 0;

	if (!cJSON_IsArray(issues))
		issues = NULL;
	*n = (size_t)cJSON_GetArraySize(issues);
	m = xcalloc(*n ? *n : 1, sizeof(*m));
	cJSON_ArrayForEach(it, issues) {
		m[i].fp = history_fingerprint(it);
		m[i++].issue = it;
	}
	return m;
}

static void
marks_free(struct mark *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].fp);
	free(m);
}

/* An unmatched mark of sorted (by fingerprint) with fingerprint fp. */
static struct mark *
match(struct mark **sorted, size_t n, const char *fp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(sorted[mid]->fp, fp) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && strcmp(sorted[lo]->fp, fp) == 0; lo++)
		if (!sorted[lo]->matched)
			return sorted[lo];
	return NULL;
}

/* {"task_id", "outcome", "overall_status"} of an envelope. */
static cJSON *
side(const cJSON *env)
{
	cJSON *s = cJSON_CreateObject();
	const cJSON *summary = cJSON_GetObjectItemCaseSensitive(env, "summary");

	json_add(s, "task_id", json_str_or_null(json_str(env, "task_id")));
	json_add(s, "outcome", json_str_or_null(json_str(env, "outcome")));
	json_add(s, "overall_status", json_str_or_null(json_str(summary,
	    "overall_status")));
	return s;
}

cJSON *
history_diff(const cJSON *from, const cJSON *to)
{
	size_t nf, nt;
	struct mark *f = marks(from, &nf), *t = marks(to, &nt), **sorted;
	cJSON *diff = cJSON_CreateObject(), *added = cJSON_CreateArray(),
	    *resolved = cJSON_CreateArray(), *persisting = cJSON_CreateArray();
	cJSON *a = side(from), *b = side(to);
	const char *sa = json_str(a, "overall_status"),
	    *sb = json_str(b, "overall_status");

	/* Each issue of the newer run takes one equal of the older, once. */
	sorted = xcalloc(nf ? nf : 1, sizeof(struct mark *));
	for (size_t i = 0; i < nf; i++)
		sorted[i] = &f[i];
	qsort(sorted, nf, sizeof(struct mark *), by_fp);
	for (size_t i = 0; i < nt; i++) {
		struct mark *m = match(sorted, nf, t[i].fp);

		if (m)
			m->matched = true;
		cJSON_AddItemToArray(m ? persisting : added,
		    cJSON_Duplicate(t[i].issue, true));
	}
	for (size_t i = 0; i < nf; i++)
		if (!f[i].matched)
			cJSON_AddItemToArray(resolved,
			    cJSON_Duplicate(f[i].issue, true));
	free(sorted);
	marks_free(f, nf);
	marks_free(t, nt);
	json_add(diff, "from", a);
	json_add(diff, "to", b);
	json_add(diff, "status_changed", cJSON_CreateBool((sa == NULL) !=
	    (sb == NULL) || (sa && sb && strcasecmp(sa, sb) != 0)));
	json_add(diff, "new", added);
	json_add(diff, "resolved", resolved);
	json_add(diff, "persisting", persisting);
	return diff;
}

bool
history_regressed(const cJSON *diff)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(diff, "new"))
		if (history_serious(it))
			return true;
	return false;
}

/* "2026-12-06T04:35:12Z" of a stamp 20261206T043512Z; owned. */
static char *
iso_time(const char *stamp)
{
	return xasprintf("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", stamp, stamp + 4,
	    stamp + 6, stamp + 9, stamp + 11, stamp + 13);
}

static int
render_own(FILE *f, const void *arg)
{
	struct report r;
	int rc;

	report_view(&r, arg, 0);
	rc = report_json(f, &r);
	report_release(&r);
	return rc;
}

/* The run's envelope as -o json prints it (before masking), parsed. */
static cJSON *
own_envelope(const struct diag *d)
{
	return json_rendered(render_own, d);
}

void
history_compare(struct diag *d)
{
	const struct options *o = d->opt;
	bool last = o->baseline && strcmp(o->baseline, "last") == 0;
	const char *instance, *region;
	struct history_entry e;
	cJSON *base, *own;
	char err[512], *when;

	if (o->baseline == NULL || !d->res.ok)
		return;
	history_place(d, &region, &instance);
	base = history_load(o->baseline, last ? instance : NULL, last ? region :
	    NULL, &e, err, sizeof(err));
	if (base == NULL) {
		warning("--baseline: %s; every issue counts as new", err);
		base = cJSON_CreateObject();
	}
	own = own_envelope(d);
	cJSON_Delete(d->baseline);
	d->baseline = history_diff(base, own);
	when = e.path ? iso_time(e.stamp) : NULL;
	json_add(cJSON_GetObjectItemCaseSensitive(d->baseline, "from"), "time",
	    json_str_or_null(when));
	free(when);
	if (o->fail_on == FAIL_ON_NEW && history_regressed(d->baseline))
		d->outcome = OUTCOME_REGRESSED;
	history_entry_release(&e);
	cJSON_Delete(base);
	cJSON_Delete(own);
}

/* The number of issues an envelope holds (0 for none or null). */
static int
issue_count(const cJSON *env)
{
	const cJSON *issues = cJSON_GetObjectItemCaseSensitive(env, "issues");

	return cJSON_IsArray(issues) ? cJSON_GetArraySize(issues) : 0;
}

cJSON *
history_list_doc(const char *instance, const char *region, char *err,
    size_t errlen)
{
	struct history h;
	cJSON *doc, *runs;

	if (history_list(&h, instance, region, err, errlen) < 0)
		return NULL;
	doc = cJSON_CreateObject();
	runs = cJSON_CreateArray();
	json_add(doc, "schema_version", cJSON_CreateNumber(1));
	json_add(doc, "ok", cJSON_CreateTrue());
	json_add(doc, "exit_code", cJSON_CreateNumber(0));
	for (size_t i = 0; i < h.n; i++) {
		const struct history_entry *e = &h.e[i];
		cJSON *run = cJSON_CreateObject(), *env;
		char why[512], *when = iso_time(e->stamp);

		/* A file that cannot be read is listed, its fields null. */
		env = history_read(e->path, why, sizeof(why));
		json_add(run, "time", cJSON_CreateString(when));
		json_add(run, "task_id", cJSON_CreateString(e->task_id));
		json_add(run, "instance", cJSON_CreateString(e->instance));
		json_add(run, "region", cJSON_CreateString(e->region));
		json_add(run, "outcome", json_str_or_null(json_str(env,
		    "outcome")));
		json_add(run, "overall_status", json_str_or_null(json_str(
		    cJSON_GetObjectItemCaseSensitive(env, "summary"),
		    "overall_status")));
		json_add(run, "issues", env ? cJSON_CreateNumber(issue_count(env))
		    : cJSON_CreateNull());
		json_add(run, "path", cJSON_CreateString(e->path));
		cJSON_AddItemToArray(runs, run);
		cJSON_Delete(env);
		free(when);
	}
	json_add(doc, "history", runs);
	history_release(&h);
	return doc;
}

cJSON *
history_diff_doc(const char *a, const char *b, const char *instance,
    const char *region, char *err, size_t errlen)
{
	struct history_entry ea, eb;
	cJSON *from, *to = NULL, *diff = NULL, *doc;
	char *when;

	if ((from = history_load(a, instance, region, &ea, err, errlen)) ==
	    NULL)
		return NULL;
	if ((to = history_load(b, instance, region, &eb, err, errlen)) == NULL)
		goto out;
	diff = history_diff(from, to);
	doc = cJSON_CreateObject();
	json_add(doc, "schema_version", cJSON_CreateNumber(1));
	json_add(doc, "diff", cJSON_CreateTrue());
	json_add(doc, "ok", cJSON_CreateTrue());
	json_add(doc, "exit_code", cJSON_CreateNumber(0));
	json_add(doc, "instance", cJSON_CreateString(eb.instance));
	json_add(doc, "region", cJSON_CreateString(eb.region));
	when = iso_time(ea.stamp);
	json_add(cJSON_GetObjectItemCaseSensitive(diff, "from"), "time",
	    cJSON_CreateString(when));
	free(when);
	when = iso_time(eb.stamp);
	json_add(cJSON_GetObjectItemCaseSensitive(diff, "to"), "time",
	    cJSON_CreateString(when));
	free(when);
	while (diff->child) {
		cJSON *m = cJSON_DetachItemViaPointer(diff, diff->child);

		cJSON_AddItemToObject(doc, m->string, m);
	}
	cJSON_Delete(diff);
	diff = doc;
	history_entry_release(&eb);
out:
	history_entry_release(&ea);
	cJSON_Delete(from);
	cJSON_Delete(to);
	return diff;
}
