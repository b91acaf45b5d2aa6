/*
 * formats: the JUnit report and the Prometheus metrics rendered from
 * report views built by hand, for what the end-to-end tests cannot feed
 * them (bytes that are not UTF-8, series that would repeat).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "test.h"
#include "workflow.h"

#define FFFD "\xef\xbf\xbd"

/* A run that ended in an error, its message the text given. */
static struct report
failed_run(const char *message)
{
	struct report r;

	memset(&r, 0, sizeof(r));
	r.outcome = OUTCOME_INTERNAL_ERROR;
	r.exit_code = 1;
	r.name = r.instance = "eas-m-x";
	r.region = "cn-hangzhou";
	r.product = "EAS";
	r.has_error = true;
	r.error.message = message;
	r.ended = 1796533066.5;
	r.elapsed = 2.25;
	return r;
}

/* The JUnit report of runs[0], or the metrics of runs; owned. */
static char *
rendered(bool junit, const struct report *runs, size_t n)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	CHECK_INT(junit ? report_junit(f, runs) : report_metrics(f, runs, n), 0);
	fclose(f);
	return s;
}

/*
 * XML 1.0: the five special characters as entities, controls dropped,
 * U+FFFF dropped, a byte that is not UTF-8 (a stray one, a surrogate, an
 * overlong form, a cut character) as U+FFFD, line ends in attributes as
 * references.
 */
static void
test_junit_escapes(void)
{
	struct report r = failed_run("a\xff<b>&\"'\x01\x1f\xef\xbf\xbf"
	    "\xed\xa0\x80\xc0\xaf\tc\nd \xe4\xb8\xad \xe4\xb8");
	char *s = rendered(true, &r, 1);

	CHECK_HAS(s, "<error message=\"a" FFFD "&lt;b&gt;&amp;&quot;&apos;"
	    FFFD FFFD FFFD FFFD FFFD "&#9;c&#10;d \xe4\xb8\xad " FFFD FFFD
	    "\" type=\"internal_error\">a" FFFD "&lt;b&gt;&amp;&quot;&apos;"
	    FFFD FFFD FFFD FFFD FFFD "\tc\nd \xe4\xb8\xad " FFFD FFFD "\n"
	    "</error>\n");
	CHECK_HAS(s, "<testsuite name=\"pai-diag\" tests=\"1\" failures=\"0\" "
	    "errors=\"1\" skipped=\"0\" time=\"2.250\" "
	    "timestamp=\"2026-12-06T04:57:44\">\n");
	CHECK_HAS(s, "<testcase classname=\"pai-diag.cn-hangzhou\" "
	    "name=\"eas-m-x\" time=\"2.250\">\n");
	CHECK_LACKS(s, "\x01");
	free(s);
}

/* A healthy verdict is a pass; one that fails under --fail-on a failure. */
static void
test_junit_verdicts(void)
{
	struct report r = failed_run(NULL);
	char *s;

	r.has_error = false;
	r.outcome = OUTCOME_WARN;
	r.overall_status = "Warn";
	r.exit_code = 0;	/* --fail-on critical */
	s = rendered(true, &r, 1);
	CHECK_LACKS(s, "<failure");
	CHECK_LACKS(s, "<error");
	free(s);
	r.exit_code = 10;
	r.root_cause = "x & y";
	s = rendered(true, &r, 1);
	CHECK_HAS(s, "<failure message=\"overall status Warn\" type=\"warn\">"
	    "Root cause: x &amp; y\n</failure>\n");
	free(s);
}

/*
 * Metrics: a task without a known instance is its task id; a series is
 * never written twice; a regression is its overall status's level.
 */
static void
test_metrics_series(void)
{
	struct report runs[3] = { failed_run("e"), failed_run("e"),
	    failed_run("e") };
	char *s;

	runs[1].instance = runs[1].product = NULL;
	runs[1].name = runs[1].task_id = "TaskA";
	runs[1].outcome = OUTCOME_REGRESSED;
	runs[1].overall_status = "Critical";
	s = rendered(false, runs, 3);
	CHECK_STR(s,
	    "# HELP pai_diag_status Verdict of the last diagnosis: 0 healthy, "
	    "1 warn, 2 critical, 3 failed (no verdict).\n"
	    "# TYPE pai_diag_status gauge\n"
	    "pai_diag_status{region=\"cn-hangzhou\",instance=\"eas-m-x\","
	    "product=\"EAS\"} 3\n"
	    "pai_diag_status{region=\"cn-hangzhou\",instance=\"TaskA\","
	    "product=\"unknown\"} 2\n"
	    "# HELP pai_diag_issues Issues the last diagnosis found, by "
	    "severity.\n"
	    "# TYPE pai_diag_issues gauge\n"
	    "# HELP pai_diag_last_run_timestamp_seconds Unix time the last "
	    "diagnosis ended.\n"
	    "# TYPE pai_diag_last_run_timestamp_seconds gauge\n"
	    "pai_diag_last_run_timestamp_seconds{region=\"cn-hangzhou\","
	    "instance=\"eas-m-x\",product=\"EAS\"} 1796533066.500\n"
	    "pai_diag_last_run_timestamp_seconds{region=\"cn-hangzhou\","
	    "instance=\"TaskA\",product=\"unknown\"} 1796533066.500\n"
	    "# HELP pai_diag_run_duration_seconds Wall time of the last "
	    "diagnosis, in seconds.\n"
	    "# TYPE pai_diag_run_duration_seconds gauge\n"
	    "pai_diag_run_duration_seconds{region=\"cn-hangzhou\","
	    "instance=\"eas-m-x\",product=\"EAS\"} 2.250\n"
	    "pai_diag_run_duration_seconds{region=\"cn-hangzhou\","
	    "instance=\"TaskA\",product=\"unknown\"} 2.250\n");
	free(s);
}

void
test_formats(void)
{
	test_junit_escapes();
	test_junit_verdicts();
	test_metrics_series();
}
