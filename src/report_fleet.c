/*
 * The fleet reports: a table with one line per target (its outcome,
 * overall status and root cause or error), then every target's own report
 * in the run's format; or one JSON document holding every target's
 * envelope.  Both read the views report_fleet_view() made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "output.h"
#include "redact.h"
#include "report.h"

static char *one_line(const char *s, size_t max);

/* The depth of a target's envelope in the fleet document. */
#define RUN_DEPTH 2

/*
 * A spooled part copied back, cut for the sink only after a newline (never
 * inside a line, where a masked span could be).
 */
static void
copy_part(FILE *out, const struct report *r)
{
	char chunk[65536];
	size_t left = r->spool_len, carry = 0;
	off_t at = (off_t)r->spool_at;

	while (left > 0) {
		size_t want = sizeof(chunk) - carry, line;
		ssize_t n = pread(r->spool_fd, chunk + carry,
		    want < left ? want : left, at);
		const char *nl;

		if (n <= 0) {
			fputs("\n(this target's report was lost from the spool)\n",
			    out);
			return;
		}
		at += n;
		left -= (size_t)n;
		carry += (size_t)n;
		if ((nl = memrchr(chunk, '\n', carry)) != NULL)
			line = (size_t)(nl - chunk) + 1;
		else if (carry == sizeof(chunk))
			line = carry;	/* a line longer than the chunk */
		else
			continue;
		fwrite(chunk, 1, line, out);
		if (nl)
			out_safe_point(out);
		memmove(chunk, chunk + line, carry - line);
		carry -= line;
	}
	if (carry > 0)
		fwrite(chunk, 1, carry, out);
}

int
report_fleet_part(FILE *out, const struct report *r, bool json, bool color,
    bool markdown)
{
	if (r->spooled) {
		copy_part(out, r);
	} else if (json) {
		report_json_at(out, r, RUN_DEPTH);
	} else if (!r->has_result && r->outcome != OUTCOME_TIMEOUT &&
	    !r->task_failed) {
		char *msg = one_line(r->error.message, 4000);

		fprintf(out, markdown ? "**%s**: %s\n" : "%s: %s\n",
		    outcome_name(r->outcome), msg);
		free(msg);
	} else if (markdown) {
		report_markdown(out, r);
	} else {
		report_text(out, r, color);
	}
	return ferror(out) ? -1 : 0;
}

/* The runs: every target's envelope, as the document's array holds them. */
static void
runs(FILE *out, const void *arg, const char *name, int depth)
{
	const struct report_fleet *v = arg;

	(void)name;
	(void)depth;	/* RUN_DEPTH - 1: a member of the document */
	fputc('[', out);
	for (size_t i = 0; i < v->n; i++) {
		report_fleet_part(out, &v->runs[i], true, false, false);
		if (i + 1 < v->n)
			fputs(", ", out);
		out_safe_point(out);
	}
	fputc(']', out);
}

int
report_fleet_json(FILE *out, const struct report_fleet *v)
{
	static const char *const streamed[] = { "runs", NULL };
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddNumberToObject(doc, "schema_version", 1);
	cJSON_AddTrueToObject(doc, "fleet");
	cJSON_AddBoolToObject(doc, "ok", exit_code_ok(v->exit_code));
	cJSON_AddStringToObject(doc, "outcome", outcome_name(v->outcome));
	cJSON_AddNumberToObject(doc, "exit_code", v->exit_code);
	cJSON_AddItemToObject(doc, "runs", cJSON_CreateArray());
	cJSON_AddItemToObject(doc, "warnings", report_warnings_json(v->warnings));
	report_print_members(out, doc, 0, streamed, runs, v);
	cJSON_Delete(doc);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

/* The first line of s, at most max bytes, redacted; owned. */
static char *
one_line(const char *s, size_t max)
{
	char *safe = redact_str(s ? s : "-"), *cut;
	size_t n = strcspn(safe, "\n");

	if (n <= max) {
		safe[n] = '\0';
		return safe;
	}
	/* Cut on a UTF-8 boundary and mark the cut. */
	while (n > max || (n > 0 && ((unsigned char)safe[n] & 0xc0) == 0x80))
		n--;
	safe[n] = '\0';
	cut = xasprintf("%s...", safe);
	free(safe);
	return cut;
}

/* One target's line of the table. */
static void
table_row(FILE *out, const struct report *r, bool markdown)
{
	const char *prod = r->product, *overall = r->overall_status;
	char *cause = one_line(r->has_result ? r->root_cause :
	    r->error.message, markdown ? 200 : 60);

	if (markdown) {
		for (char *p = cause; *p; p++)
			if (*p == '|')
				*p = '/';
		fprintf(out, "| %s | %s | %s | %s | %s |\n", r->name,
		    prod ? prod : "-", outcome_name(r->outcome),
		    overall ? overall : "-", cause);
	} else {
		char *st = one_line(overall, 9);

		fprintf(out, "%-31s %-8s %-19s %-9s %s\n", r->name,
		    prod ? prod : "-", outcome_name(r->outcome), st, cause);
		free(st);
	}
	free(cause);
}

int
report_fleet_text(FILE *out, const struct report_fleet *v, bool color,
    bool markdown)
{
	fputs(markdown ? "# SysOM diagnosis of a fleet\n\n"
	    "| Target | Product | Outcome | Overall status | Root cause |\n"
	    "|---|---|---|---|---|\n" :
	    "TARGET                          PRODUCT  OUTCOME             STATUS    ROOT CAUSE\n", out);
	for (size_t i = 0; i < v->n; i++)
		table_row(out, &v->runs[i], markdown);
	for (size_t i = 0; i < v->n; i++) {
		const struct report *r = &v->runs[i];

		out_safe_point(out);
		fprintf(out, markdown ? "\n---\n\n## %s\n\n" : "\n=== %s ===\n",
		    r->name);
		report_fleet_part(out, r, false, color, markdown);
	}
	return ferror(out) ? -1 : 0;
}
