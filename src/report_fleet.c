/*
 * The fleet reports: a table with one line per target (its outcome,
 * overall status and root cause or error), then every target's own report
 * in the run's format; or one JSON document holding every target's
 * envelope.  Both read the views report_fleet_view() made.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <unistd.h>

#include "msg.h"
#include "output.h"
#include "redact.h"
#include "report.h"
#include "wrap.h"

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
report_fleet_part(FILE *out, const struct report *r, bool json,
    const struct text_look *look, bool markdown)
{
	if (r->spooled) {
		copy_part(out, r);
	} else if (json) {
		report_json_at(out, r, RUN_DEPTH);
	} else if (!r->has_result && r->outcome != OUTCOME_TIMEOUT &&
	    !r->task_failed) {
		char *msg = one_line(r->error.message, 4000);
		int col = fprintf(out, markdown ? "**%s**: " : "%s: ",
		    outcome_name(r->outcome));

		wrap_put(out, msg, strlen(msg), markdown ? 0 : look->width, col,
		    "  ");
		fputc('\n', out);
		free(msg);
	} else if (markdown) {
		report_markdown(out, r);
	} else {
		report_text(out, r, look);
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
		report_fleet_part(out, &v->runs[i], true, NULL, false);
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

/* One target's line of the Markdown table. */
static void
md_row(FILE *out, const struct report *r)
{
	const char *prod = r->product, *overall = r->overall_status;
	char *cause = one_line(r->has_result ? r->root_cause :
	    r->error.message, 200);

	for (char *p = cause; *p; p++)
		if (*p == '|')
			*p = '/';
	fprintf(out, "| %s | %s | %s | %s | %s | %s |\n", r->name,
	    r->region ? r->region : "-", prod ? prod : "-",
	    outcome_name(r->outcome), overall ? overall : "-", cause);
	free(cause);
}

/*
 * The text table: TARGET, REGION, PRODUCT, OUTCOME and STATUS as wide as
 * their widest cell (ids and outcomes whole; a status past STATUS_MAX
 * columns cut), then ROOT CAUSE in what is left of the width, at least
 * CAUSE_MIN columns, cut with an ellipsis.
 */
enum { C_TARGET, C_REGION, C_PRODUCT, C_OUTCOME, C_STATUS, C_CAUSE, NCOL };
#define STATUS_MAX 9
#define CAUSE_MIN 12
static const char *const heads[NCOL] = {
	"TARGET", "REGION", "PRODUCT", "OUTCOME", "STATUS", "ROOT CAUSE",
};

/* The first line of s (or "-"), redacted, cut to max columns; owned. */
static char *
cell(const char *s, int max)
{
	char *c = one_line(s, SIZE_MAX), *cut;
	size_t n = strlen(c), fit;

	if (wrap_cols(c, n) <= max)
		return c;
	/* The ellipsis right after the last word kept. */
	for (fit = wrap_fit(c, n, max - 1); fit > 0 && c[fit - 1] == ' '; fit--)
		;
	cut = xasprintf("%.*s\xe2\x80\xa6", (int)fit, c);
	free(c);
	return cut;
}

/* A target's cells; its root cause only when cause > 0 (its width). */
static void
row_cells(const struct report *r, char *c[NCOL], int cause)
{
	const char *why = r->has_result ? r->root_cause : r->task_failed ?
	    report_failure_message(r) : r->error.message;

	c[C_TARGET] = cell(r->name, INT_MAX);
	c[C_REGION] = cell(r->region, INT_MAX);
	c[C_PRODUCT] = cell(r->product, INT_MAX);
	c[C_OUTCOME] = cell(outcome_name(r->outcome), INT_MAX);
	c[C_STATUS] = cell(r->overall_status, STATUS_MAX);
	c[C_CAUSE] = cause > 0 ? cell(why, cause) : NULL;
}

static void
put_row(FILE *out, const char *const c[NCOL], const int w[NCOL])
{
	for (int i = 0; i < C_CAUSE; i++) {
		fputs(c[i], out);
		for (int pad = w[i] - wrap_cols(c[i], strlen(c[i])); pad >= 0;
		    pad--)
			fputc(' ', out);
	}
	fprintf(out, "%s\n", c[C_CAUSE]);
}

static void
free_cells(char *c[NCOL])
{
	for (int i = 0; i < NCOL; i++)
		free(c[i]);
}

static void
text_table(FILE *out, const struct report_fleet *v, int width)
{
	int w[NCOL];
	char *c[NCOL];

	for (int i = 0; i < NCOL; i++)
		w[i] = wrap_cols(heads[i], strlen(heads[i]));
	for (size_t k = 0; k < v->n; k++) {
		row_cells(&v->runs[k], c, 0);
		for (int i = 0; i < C_CAUSE; i++)
			w[i] = MAX(w[i], wrap_cols(c[i], strlen(c[i])));
		free_cells(c);
	}
	w[C_CAUSE] = width;
	for (int i = 0; i < C_CAUSE; i++)
		w[C_CAUSE] -= w[i] + 1;
	w[C_CAUSE] = MAX(w[C_CAUSE], CAUSE_MIN);
	put_row(out, heads, w);
	for (size_t k = 0; k < v->n; k++) {
		row_cells(&v->runs[k], c, w[C_CAUSE]);
		put_row(out, (const char *const *)c, w);
		free_cells(c);
	}
}

int
report_fleet_text(FILE *out, const struct report_fleet *v,
    const struct text_look *look, bool markdown)
{
	if (v->n == 0)	/* --discover found nothing: stderr said so */
		fputs(markdown ? "# SysOM diagnosis of a fleet\n\nNo target was "
		    "diagnosed.\n" : "No target was diagnosed.\n", out);
	else if (markdown) {
		fputs("# SysOM diagnosis of a fleet\n\n"
		    "| Target | Region | Product | Outcome | Overall status | "
		    "Root cause |\n|---|---|---|---|---|---|\n", out);
		for (size_t i = 0; i < v->n; i++)
			md_row(out, &v->runs[i]);
	} else
		text_table(out, v, look->width ? look->width : WRAP_DEFAULT);
	for (size_t i = 0; i < v->n; i++) {
		const struct report *r = &v->runs[i];

		out_safe_point(out);
		fprintf(out, markdown ? "\n---\n\n## %s\n\n" : "\n=== %s ===\n",
		    r->name);
		report_fleet_part(out, r, false, look, markdown);
	}
	return ferror(out) ? -1 : 0;
}
