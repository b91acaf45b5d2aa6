/*
 * -o junit: the JUnit XML CI servers read (the Ant/Jenkins schema:
 * testsuites, one testsuite, a testcase per target), so a scheduled
 * pai-diag shows in a CI's test results.  A target whose verdict fails
 * under --fail-on has a failure (its root cause and issues); one that
 * ended without a verdict has an error (its message).  Every text is
 * escaped for XML 1.0 and comes from the views, redacted; the sink masks
 * what is written.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"
#include "report.h"

/* Indents of the elements. */
#define SUITE "  "
#define CASE "    "
#define CHILD "      "

/*
 * The length of the UTF-8 character at s and its code point, or 0 when
 * the bytes are not one (overlong, a surrogate, past U+10FFFF, cut).
 */
static size_t
utf8_char(const unsigned char *s, uint32_t *cp)
{
	size_t n = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 :
	    (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 ? 4 : 0;
	static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 };

	if (n == 0)
		return 0;
	*cp = n == 1 ? *s : *s & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < least[n] || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* Whether XML 1.0 allows the character (its Char production). */
static bool
xml_char(uint32_t cp)
{
	return cp == '\t' || cp == '\n' || cp == '\r' ||
	    (cp >= 0x20 && cp != 0xfffe && cp != 0xffff);
}

/*
 * Text or an attribute's value, escaped: the five special characters as
 * entities, what XML 1.0 does not allow dropped, a byte that is not UTF-8
 * as U+FFFD.  In an attribute, tab and line ends are character references,
 * which a parser keeps (literal ones it would turn into spaces).
 */
static void
put_xml(FILE *f, const char *text, bool attr)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	uint32_t cp = 0;
	size_t n;

	for (; *s; s += n ? n : 1) {
		if ((n = utf8_char(s, &cp)) == 0)
			fputs("\xef\xbf\xbd", f);
		else if (!xml_char(cp))
			continue;
		else if (cp == '&')
			fputs("&amp;", f);
		else if (cp == '<')
			fputs("&lt;", f);
		else if (cp == '>')
			fputs("&gt;", f);
		else if (cp == '"')
			fputs("&quot;", f);
		else if (cp == '\'')
			fputs("&apos;", f);
		else if (attr && (cp == '\t' || cp == '\n' || cp == '\r'))
			fprintf(f, "&#%u;", (unsigned)cp);
		else
			fwrite(s, 1, n, f);
	}
}

/* A verdict the run fails on: a failure; no verdict: an error. */
static bool
failed(const struct report *r)
{
	return outcome_is_verdict(r->outcome) && r->exit_code != 0;
}

static bool
errored(const struct report *r)
{
	return !outcome_is_verdict(r->outcome);
}

/* The failure: the verdict, the root cause and the issues. */
static void
failure(FILE *f, const struct report *r)
{
	struct report_issues is;
	struct issue_fields fields;
	struct jspan issue;

	fputs(CHILD "<failure message=\"", f);
	if (r->outcome == OUTCOME_REGRESSED)
		fputs("an issue at Warn or above is new since the baseline; ", f);
	fputs("overall status ", f);
	put_xml(f, r->overall_status ? r->overall_status : "unknown", true);
	fprintf(f, "\" type=\"%s\">", outcome_name(r->outcome));
	if (r->root_cause) {
		fputs("Root cause: ", f);
		put_xml(f, r->root_cause, false);
		fputs("\n", f);
	}
	report_issues_first(&is, r);
	for (bool first = true; report_issues_next(&is, &issue);
	    first = false) {
		report_issue_fields(&fields, issue);
		fputs(first ? "\nIssues:\n" : "", f);
		fputs("- [", f);
		put_xml(f, fields.severity ? fields.severity : "unknown", false);
		fputs("] ", f);
		put_xml(f, fields.title ? fields.title : "(no title)", false);
		fputs("\n", f);
		report_issue_fields_release(&fields);
		out_safe_point(f);
	}
	fputs("</failure>\n", f);
}

/* What ended a run without a verdict; owned. */
static char *
error_message(const struct report *r)
{
	if (r->task_failed)
		return xasprintf("diagnosis failed: %s",
		    report_failure_message(r));
	if (r->error.message)
		return xstrdup(r->error.message);
	if (r->outcome == OUTCOME_TIMEOUT)
		return xasprintf("task %s is still %s after %d polls",
		    r->task_id ? r->task_id : "?", r->status ? r->status :
		    "unknown", r->polls);
	return xstrdup(outcome_name(r->outcome));
}

/* The error: what ended the run, and how to resume it when it goes on. */
static void
error_element(FILE *f, const struct report *r)
{
	char *message = error_message(r);

	fputs(CHILD "<error message=\"", f);
	put_xml(f, message, true);
	fprintf(f, "\" type=\"%s\">", outcome_name(r->outcome));
	put_xml(f, message, false);
	if (r->resume && (r->outcome == OUTCOME_TIMEOUT ||
	    r->outcome == OUTCOME_INTERRUPTED)) {
		fputs("\nResume with: ", f);
		put_xml(f, r->resume, false);
	}
	fputs("\n</error>\n", f);
	free(message);
}

/* The task and its console, for whoever opens the test's output. */
static void
system_out(FILE *f, const struct report *r)
{
	if (r->task_id == NULL && r->url == NULL)
		return;
	fputs(CHILD "<system-out>", f);
	if (r->task_id) {
		fputs("Task: ", f);
		put_xml(f, r->task_id, false);
		fputs("\n", f);
	}
	if (r->url) {
		fputs("SysOM console: ", f);
		put_xml(f, r->url, false);
		fputs("\n", f);
	}
	fputs("</system-out>\n", f);
}

void
report_junit_case(FILE *f, const struct report *r)
{
	fputs(CASE "<testcase classname=\"pai-diag", f);
	if (r->region) {
		fputs(".", f);
		put_xml(f, r->region, true);
	}
	fputs("\" name=\"", f);
	put_xml(f, r->name ? r->name : "pai-diag", true);
	fprintf(f, "\" time=\"%.3f\">\n", r->elapsed);
	if (failed(r))
		failure(f, r);
	else if (errored(r))
		error_element(f, r);
	system_out(f, r);
	fputs(CASE "</testcase>\n", f);
	out_safe_point(f);
}

/* The suite's counts and its span: from the first start to the last end. */
static void
suite_attributes(FILE *f, const struct report *runs, size_t n)
{
	size_t failures = 0, errors = 0;
	double first = 0, last = 0;
	char stamp[32] = "1970-01-01T00:00:00";
	struct tm tm;
	time_t t;

	for (size_t i = 0; i < n; i++) {
		double began = runs[i].ended - runs[i].elapsed;

		failures += failed(&runs[i]);
		errors += errored(&runs[i]);
		if (i == 0 || began < first)
			first = began;
		if (i == 0 || runs[i].ended > last)
			last = runs[i].ended;
	}
	t = (time_t)first;
	if (gmtime_r(&t, &tm))
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"", n,
	    failures, errors);
	fprintf(f, " skipped=\"0\" time=\"%.3f\" timestamp=\"%s\"",
	    last - first, stamp);
}

static int
document(FILE *f, const struct report *runs, size_t n)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites>\n" SUITE "<testsuite name=\"pai-diag\" ", f);
	suite_attributes(f, runs, n);
	fputs(">\n", f);
	for (size_t i = 0; i < n; i++) {
		/* A fleet's target spooled its testcase as it ended. */
		if (runs[i].spooled)
			report_fleet_part(f, &runs[i], false, NULL, false);
		else
			report_junit_case(f, &runs[i]);
	}
	fputs(SUITE "</testsuite>\n</testsuites>\n", f);
	return ferror(f) ? -1 : 0;
}

int
report_junit(FILE *f, const struct report *r)
{
	return document(f, r, 1);
}

int
report_fleet_junit(FILE *out, const struct report_fleet *v)
{
	return document(out, v->runs, v->n);
}
