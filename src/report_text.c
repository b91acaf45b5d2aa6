/*
 * The text report: a header naming the target and the task, the verdict,
 * the root cause, numbered suggestions and the issues, then where to see
 * the task in the SysOM console.  Issue objects have no documented keys,
 * so the known ones (severity, title, detail) lead and every other key is
 * shown generically.  A timed-out task prints the public skill's template
 * and nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json.h"
#include "msg.h"
#include "output.h"
#include "redact.h"
#include "report.h"

#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

static const char *
severity_color(const char *s)
{
	if (s == NULL)
		return "";
	if (strcasecmp(s, "Critical") == 0 || strcasecmp(s, "Error") == 0)
		return RED;
	if (strcasecmp(s, "Warn") == 0 || strcasecmp(s, "Warning") == 0)
		return YELLOW;
	if (strcasecmp(s, "Info") == 0 || strcasecmp(s, "Normal") == 0)
		return GREEN;
	return "";
}

/* Prints s redacted, each continuation line indented. */
static void
put_text(FILE *f, const char *s, const char *indent)
{
	char *safe = redact_str(s);

	for (char *p = safe; *p; p++) {
		fputc(*p, f);
		if (*p == '\n' && p[1])
			fputs(indent, f);
	}
	free(safe);
}

/*
 * Text from the engine's result, already safe (redact_tree() made the
 * summary so, jprint.h each issue's text): written as is, each
 * continuation line indented.
 */
static void
put_clean_n(FILE *f, const char *s, size_t n, const char *indent)
{
	const char *nl, *end = s + n;

	while ((nl = memchr(s, '\n', (size_t)(end - s))) != NULL &&
	    nl + 1 < end) {
		fwrite(s, 1, (size_t)(nl - s) + 1, f);
		fputs(indent, f);
		s = nl + 1;
	}
	fwrite(s, 1, (size_t)(end - s), f);
}

static void
put_clean(FILE *f, const char *s, const char *indent)
{
	put_clean_n(f, s, strlen(s), indent);
}

/* A suggestion as one line: strings as text, the rest compact JSON. */
static void
put_value(FILE *f, const cJSON *v)
{
	char *s;

	if (cJSON_IsString(v)) {
		put_clean(f, v->valuestring, "");
		return;
	}
	s = cJSON_PrintUnformatted(v);
	if (s) {
		put_clean(f, s, "");
		cJSON_free(s);
	}
}

/* An issue's value as one line, from its text. */
static void
put_span(FILE *f, struct jspan v)
{
	struct jtext t;

	jtext_value(&t, v);
	put_clean_n(f, t.s, t.n, "");
	jtext_release(&t);
}

static void
format_time(char *out, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		snprintf(out, len, "%lld", (long long)t);
}

static void
header(FILE *f, const struct report *r)
{
	char from[64], to[64];

	fprintf(f, "Instance:  ");
	put_text(f, r->instance ? r->instance : "(unknown)", "");
	fprintf(f, "\nProduct:   ");
	put_text(f, r->product ? r->product : "(unknown)", "");
	fprintf(f, "\nRegion:    ");
	put_text(f, r->region ? r->region : "(unknown)", "");
	if (r->mode == REPORT_MODE_HISTORICAL && !r->echoed) {
		format_time(from, sizeof(from), (int64_t)r->start_time);
		format_time(to, sizeof(to), (int64_t)r->end_time);
		fprintf(f, "\nMode:      historical, %s to %s", from, to);
	} else if (r->mode != REPORT_MODE_UNKNOWN) {
		fprintf(f, "\nMode:      %s", r->mode == REPORT_MODE_REALTIME ?
		    "real-time" : "historical");
	}
	fprintf(f, "\nTask:      %s%s\n", r->task_id,
	    r->attached ? " (attached to a running task)" : "");
}

/* The members of an issue that are not its known fields, one a line. */
static void
other_members(FILE *f, struct jspan issue)
{
	struct jiter it;
	struct jspan key, val;
	struct jtext k;

	jscan_first(&it, issue);
	while (jscan_next(&it, &key, &val)) {
		bool hide = jtext_key(&k, key) && !jscan_is_literal(val);

		if (!report_issue_known(k.s, k.n, val)) {
			fputs("      ", f);
			put_clean_n(f, k.s, k.n, "");
			fputs(": ", f);
			if (hide)
				fputs(REDACTED, f);
			else
				put_span(f, val);
			fputc('\n', f);
		}
		jtext_release(&k);
	}
}

static void
issue(FILE *f, struct jspan j_issue, bool color)
{
	struct issue_fields fields;
	const char *sev, *title, *detail;

	if (!jscan_is_object(j_issue)) {
		fputs("  - ", f);
		put_span(f, j_issue);
		fputc('\n', f);
		return;
	}
	report_issue_fields(&fields, j_issue);
	sev = fields.severity;
	title = fields.title;
	detail = fields.detail;
	fputs("  ", f);
	if (sev) {
		fprintf(f, "%s[", color ? severity_color(sev) : "");
		put_clean(f, sev, "");
		fprintf(f, "]%s ", color && *severity_color(sev) ? RESET : "");
	}
	put_clean(f, title ? title : "(untitled)", "    ");
	fputc('\n', f);
	if (detail) {
		fputs("      ", f);
		put_clean(f, detail, "      ");
		fputc('\n', f);
	}
	report_issue_fields_release(&fields);
	other_members(f, j_issue);
}

int
report_text(FILE *f, const struct report *r, bool color)
{
	const char *overall, *cause, *url;
	const cJSON *j_list, *j_item;
	int n;

	if (r->outcome == OUTCOME_TIMEOUT) {
		/* The public skill's template, exactly. */
		fprintf(f, "\xe2\x8f\xb3 SysOM diagnosis task timed out\n"
		    "- Task ID: %s\n- Current status: %s\n"
		    "- Suggestion: Please continue waiting for the diagnosis to "
		    "complete.\n", r->task_id, r->status ? r->status : "unknown");
		goto out;
	}
	if (r->outcome == OUTCOME_DIAGNOSIS_FAILED && r->task_failed) {
		header(f, r);
		fprintf(f, "\nDiagnosis failed: ");
		put_text(f, r->error.message, "  ");
		fputc('\n', f);
		goto out;
	}
	if (!r->has_result)
		goto out;

	header(f, r);
	overall = r->overall_status;
	fprintf(f, "\nOverall status: %s", color ? severity_color(overall) : "");
	put_clean(f, overall ? overall : "(not given)", "");
	fprintf(f, "%s\n", color && *severity_color(overall) ? RESET : "");

	cause = r->root_cause;
	fprintf(f, "\nRoot cause:\n  ");
	put_clean(f, cause ? cause : "(not given)", "  ");
	fputc('\n', f);

	j_list = r->suggestions;
	if (cJSON_GetArraySize(j_list) > 0) {
		fprintf(f, "\nSuggestions:\n");
		n = 0;
		cJSON_ArrayForEach(j_item, j_list) {
			fprintf(f, "  %d. ", ++n);
			put_value(f, j_item);
			fputc('\n', f);
		}
	}

	if (r->n_issues > 0) {
		struct report_issues is;
		struct jspan v;

		fprintf(f, "\nIssues (%zu):\n", r->n_issues);
		report_issues_first(&is, r);
		while (report_issues_next(&is, &v)) {
			issue(f, v, color);
			out_safe_point(f);
		}
	}

	url = r->url;
	if (url) {
		fprintf(f, "\nSysOM console: ");
		put_text(f, url, "");
		fputc('\n', f);
	}
out:
	return ferror(f) ? -1 : 0;
}
