/*
 * The reports of `pai-diag history` and `pai-diag diff`, and the part of
 * a diagnosis's report that --baseline adds.  Each renders the document
 * history.c built, so the text and the JSON cannot disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "json.h"
#include "msg.h"
#include "output.h"
#include "redact.h"
#include "report.h"

/* A field of a stored document, shown safe, or "-"; owned. */
static char *
field(const cJSON *obj, const char *key)
{
	const char *s = json_str(obj, key);

	return redact_str(s && *s ? s : "-");
}

int
report_history_text(FILE *f, const cJSON *doc)
{
	const cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "history"),
	    *run;

	if (cJSON_GetArraySize(runs) == 0) {
		fputs("No diagnosis in the history.\n", f);
		return ferror(f) ? -1 : 0;
	}
	/* Every run kept has a result: its status says its outcome. */
	fprintf(f, "%-16s %-8s %-24s %-12s %-8s %s\n", "TIME (UTC)", "TASK",
	    "TARGET", "REGION", "STATUS", "ISSUES");
	cJSON_ArrayForEach(run, runs) {
		char *s[5] = { field(run, "time"), field(run, "task_id"),
		    field(run, "instance"), field(run, "region"),
		    field(run, "overall_status") };
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(run, "issues");

		/* 2026-12-06T04:37:37Z as 2026-12-06 04:37 */
		if (strlen(s[0]) >= 16) {
			s[0][10] = ' ';
			s[0][16] = '\0';
		}
		fprintf(f, "%-16s %-8s %-24s %-12s %-8s ", s[0], s[1], s[2],
		    s[3], s[4]);
		if (cJSON_IsNumber(n))
			fprintf(f, "%d\n", n->valueint);
		else
			fputs("-\n", f);
		for (int i = 0; i < 5; i++)
			free(s[i]);
		out_safe_point(f);
	}
	return ferror(f) ? -1 : 0;
}

/* One issue of a diff: "  Critical  title  [item/subsystem]". */
static void
issue_line(FILE *f, const cJSON *issue, bool markdown)
{
	const char *sev = json_str_any(issue, "severity", "level", NULL),
	    *title = json_str_any(issue, "title", "name", NULL),
	    *item = json_str(issue, "item"), *sub = json_str(issue, "subsystem");
	char *line = xasprintf(markdown ? "- **%s** %s%s%s%s%s%s" :
	    "  %-9s %s%s%s%s%s%s", sev ? sev : "-",
	    title ? title : "(no title)", item || sub ? "  [" : "",
	    item ? item : "", item && sub ? "/" : "", sub ? sub : "",
	    item || sub ? "]" : "");
	char *safe = redact_str(line);

	fprintf(f, "%s\n", safe);
	free(safe);
	free(line);
	out_safe_point(f);
}

static void
issue_list(FILE *f, const cJSON *doc, const char *key, const char *title,
    bool markdown)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, key), *it;

	fprintf(f, markdown ? "\n**%s (%d)**\n\n" : "%s (%d)%s\n", title,
	    cJSON_GetArraySize(list), cJSON_GetArraySize(list) ? ":" : "");
	cJSON_ArrayForEach(it, list)
		issue_line(f, it, markdown);
}

/* "Warn -> Critical (task A, 2026-... -> task B, 2026-...)". */
static void
change_line(FILE *f, const cJSON *doc)
{
	const cJSON *from = cJSON_GetObjectItemCaseSensitive(doc, "from"),
	    *to = cJSON_GetObjectItemCaseSensitive(doc, "to");
	char *s[6] = { field(from, "overall_status"), field(to,
	    "overall_status"), field(from, "task_id"), field(from, "time"),
	    field(to, "task_id"), field(to, "time") };

	fprintf(f, "Overall status: %s -> %s%s\n", s[0], s[1],
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc,
	    "status_changed")) ? "" : " (unchanged)");
	fprintf(f, "From task %s (%s) to task %s (%s)\n", s[2], s[3], s[4],
	    s[5]);
	for (int i = 0; i < 6; i++)
		free(s[i]);
}

/* The three lists of a diff. */
static void
diff_lists(FILE *f, const cJSON *doc, bool markdown)
{
	issue_list(f, doc, "new", "New", markdown);
	issue_list(f, doc, "resolved", "Resolved", markdown);
	issue_list(f, doc, "persisting", "Persisting", markdown);
}

int
report_diff_text(FILE *f, const cJSON *doc)
{
	char *target = field(doc, "instance"), *region = field(doc, "region");

	fprintf(f, "Changes of %s in %s\n", target, region);
	free(target);
	free(region);
	change_line(f, doc);
	fputc('\n', f);
	diff_lists(f, doc, false);
	return ferror(f) ? -1 : 0;
}

void
report_baseline_text(FILE *f, const cJSON *diff, bool markdown)
{
	const cJSON *from = cJSON_GetObjectItemCaseSensitive(diff, "from");
	char *task = field(from, "task_id"), *when = field(from, "time"),
	    *was = field(from, "overall_status");

	out_safe_point(f);
	if (json_str(from, "task_id"))
		fprintf(f, markdown ? "\n## Changes since task %s (%s)\n\n"
		    "Overall status then: %s\n" : "\nChanges since task %s "
		    "(%s), overall status then %s:\n", task, when, was);
	else
		fputs(markdown ? "\n## Changes\n\nNo earlier run is kept: every "
		    "issue is new.\n" : "\nChanges: no earlier run is kept, "
		    "every issue is new:\n", f);
	diff_lists(f, diff, markdown);
	free(task);
	free(when);
	free(was);
}

int
report_history_json(FILE *f, const cJSON *doc)
{
	char *text = cJSON_Print(doc);

	if (text == NULL)
		die("out of memory");
	fprintf(f, "%s\n", text);
	cJSON_free(text);
	return ferror(f) ? -1 : 0;
}
