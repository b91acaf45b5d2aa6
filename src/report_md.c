/*
 * The Markdown report: the text report's content as headings, a target
 * table, a numbered list of suggestions and a severity table of issues,
 * for tickets and chat.  Table cells escape '|' and fold newlines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "msg.h"
#include "redact.h"
#include "report.h"

/* Redacted text; in a table cell '|' is escaped and lines are joined. */
static void
md(FILE *f, const char *s, bool cell)
{
	char *safe = redact_str(s);

	for (const char *p = safe; *p; p++) {
		if (cell && *p == '|')
			fputs("\\|", f);
		else if (cell && (*p == '\n' || *p == '\t'))
			fputc(' ', f);
		else
			fputc(*p, f);
	}
	free(safe);
}

static void
md_value(FILE *f, const cJSON *v, bool cell)
{
	char *s;

	if (cJSON_IsString(v)) {
		md(f, v->valuestring, cell);
		return;
	}
	if ((s = cJSON_PrintUnformatted(v)) != NULL) {
		md(f, s, cell);
		cJSON_free(s);
	}
}

static void
row(FILE *f, const char *key, const char *value)
{
	fprintf(f, "| %s | ", key);
	md(f, value ? value : "(unknown)", true);
	fputs(" |\n", f);
}

static void
target(FILE *f, const struct diag *d)
{
	const struct options *o = d->opt;
	const char *instance = o->instance ? o->instance : d->echo_instance;

	fputs("# SysOM diagnosis of ", f);
	md(f, instance ? instance : "(unknown)", false);
	fputs("\n\n| | |\n|---|---|\n", f);
	row(f, "Product", o->instance ? product_name(o->product) :
	    d->echo_product);
	row(f, "Region", o->region);
	row(f, "Mode", o->instance ? (o->historical ? "historical" :
	    "real-time") : d->echo_known ? (d->echo_realtime ? "real-time" :
	    "historical") : NULL);
	row(f, "Task", d->task_id);
	if (diag_url(d))
		row(f, "SysOM console", diag_url(d));
	fputc('\n', f);
}

static void
issues(FILE *f, const cJSON *j_issues)
{
	const cJSON *j_issue;

	fprintf(f, "## Issues (%d)\n\n| Severity | Title | Detail |\n"
	    "|---|---|---|\n", cJSON_GetArraySize(j_issues));
	cJSON_ArrayForEach(j_issue, j_issues) {
		struct issue_fields fields = report_issue_fields(j_issue);
		const char *sev = fields.severity, *title = fields.title;
		const char *detail = fields.detail;

		fputs("| ", f);
		md(f, sev ? sev : "", true);
		fputs(" | ", f);
		if (cJSON_IsObject(j_issue))
			md(f, title ? title : "(untitled)", true);
		else
			md_value(f, j_issue, true);
		fputs(" | ", f);
		md(f, detail ? detail : "", true);
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

int
report_markdown(FILE *f, const struct diag *d)
{
	const cJSON *j_list, *j_item;
	const char *overall, *cause;
	int n = 0;

	if (d->outcome == OUTCOME_TIMEOUT) {
		/* The skill's template is the whole report, in any format. */
		return report_text(f, d, false);
	}
	if (d->outcome == OUTCOME_DIAGNOSIS_FAILED && diag_task_failed(d)) {
		target(f, d);
		fputs("## Diagnosis failed\n\n", f);
		md(f, d->err.message, false);
		fputc('\n', f);
		return ferror(f) ? -1 : 0;
	}
	if (d->result == NULL)
		return 0;
	target(f, d);
	overall = diag_overall_status(d);
	fputs("## Overall status: ", f);
	md(f, overall ? overall : "(not given)", false);
	cause = diag_root_cause(d);
	fputs("\n\n## Root cause\n\n", f);
	md(f, cause ? cause : "(not given)", false);
	fputs("\n\n", f);
	j_list = diag_suggestions(d);
	if (cJSON_GetArraySize(j_list) > 0) {
		fputs("## Suggestions\n\n", f);
		cJSON_ArrayForEach(j_item, j_list) {
			fprintf(f, "%d. ", ++n);
			md_value(f, j_item, true);
			fputc('\n', f);
		}
		fputc('\n', f);
	}
	j_list = diag_issues(d);
	if (cJSON_GetArraySize(j_list) > 0)
		issues(f, j_list);
	return ferror(f) ? -1 : 0;
}
