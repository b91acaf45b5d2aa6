/*
 * The reports on stdout (or a file).  This module owns the report view:
 * struct report, what a finished run has to show, worked out once from a
 * struct diag by report_view() (which target, given or echoed; the verdict
 * and the result's summary; the error; the resume command).  The renderers
 * (text, Markdown, the JSON envelope, and the fleet's table and document)
 * read only views; none of them reads a struct diag.  Every string that
 * came from aliyun or the engine is redacted before it is shown.
 */
#ifndef PAI_DIAG_REPORT_H
#define PAI_DIAG_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "jprint.h"
#include "jscan.h"
#include "msg.h"
#include "strvec.h"

struct diag;
struct severity_tally;
struct diag_plan;
struct fleet;

enum report_mode {
	REPORT_MODE_UNKNOWN,
	REPORT_MODE_REALTIME,
	REPORT_MODE_HISTORICAL,
};

/* The error that ended a run; strings borrowed. */
struct report_error {
	const char *code, *source, *message, *request_id;
};

/*
 * What one run's reports show.  Strings and cJSON nodes are borrowed from
 * the struct diag the view was made from (which must outlive it), except
 * resume, which the view owns.
 */
struct report {
	enum outcome outcome;
	int exit_code;		/* the run's, under --fail-on */

	/*
	 * The target: as given, else as the task's echoed params say (echoed
	 * is then true); NULL or REPORT_MODE_UNKNOWN when not known, and
	 * always for a usage error (what was given may not be valid).
	 */
	const char *name;	/* as named on the command line: instance or task */
	const char *instance, *product, *region;
	enum report_mode mode;
	bool echoed;
	double start_time, end_time;	/* when mode is known; 0 for real-time */

	/* The task. */
	const char *task_id;	/* NULL when none was started or attached */
	bool attached;
	const char *status;	/* its last status, or NULL */
	bool task_failed;	/* that status was Fail */
	int polls;
	int throttled;		/* answers that were the service's flow control */
	char *resume;		/* owned: the resume command, or NULL */
	const cJSON *baseline;	/* --baseline: the diff with it, or NULL */

	/*
	 * The engine's result, when the task succeeded: its JSON text, not
	 * redacted (renderers print it through jprint.h or redact what they
	 * take from it), and its parts.
	 */
	bool has_result;
	struct jspan result;
	const char *overall_status, *root_cause;	/* redacted */
	const cJSON *suggestions;	/* redacted */
	struct jspan issues;	/* the issues array, or n == 0 */
	size_t n_issues;
	const char *url;	/* the SysOM console address, or NULL */

	bool has_error;
	struct report_error error;	/* all NULL unless has_error */

	/*
	 * When the run ended (Unix time; the view's making for a run that
	 * never began) and its wall time in seconds.
	 */
	double ended, elapsed;
	/* The issues counted by severity when the result was dropped, or NULL. */
	const struct severity_tally *tally;
	const struct strvec *warnings;	/* every warning() of the run */

	/*
	 * A fleet target whose own part was written to the fleet's spool as
	 * it ended (its result then freed): the part is there, at spool_at.
	 */
	bool spooled;
	int spool_fd;
	long long spool_at;
	size_t spool_len;
};

/* Fills r from the finished run d and its exit code. */
void report_view(struct report *r, const struct diag *d, int exit_code);
/* Frees what r owns. */
void report_release(struct report *r);
/*
 * A failed task's message as the reports show it after their own
 * "Diagnosis failed": without that prefix when the message repeats it
 * (any case, before a colon).  Borrowed from r.
 */
const char *report_failure_message(const struct report *r);

/* A fleet's reports: every target's view and the fleet's own fields. */
struct report_fleet {
	enum outcome outcome;	/* the worst target's */
	int exit_code;
	struct report *runs;	/* owned, one per target, in order */
	size_t n;
	const struct strvec *warnings;	/* the setup's, borrowed */
};

/* Fills v from the finished fleet f (which must outlive it). */
void report_fleet_view(struct report_fleet *v, const struct fleet *f);
void report_fleet_release(struct report_fleet *v);

/*
 * The issues of a result, one at a time, as their JSON text: renderers
 * read them through jprint.h, which redacts what it gives.
 */
struct report_issues {
	struct jiter it;
};
void report_issues_first(struct report_issues *is, const struct report *r);
/* The next issue in *issue; false after the last. */
bool report_issues_next(struct report_issues *is, struct jspan *issue);

/*
 * How a text report is drawn for its reader: severities in colour or not,
 * and the width its paragraphs are wrapped to (wrap.h), 0 for none (a
 * pipe or a file: scripts see whole lines).  The fleet's table fits the
 * width, or WRAP_DEFAULT when it is 0.
 */
struct text_look {
	bool color;
	int width;
};

/* Writes the text report; returns 0 or -1 on a write error. */
int report_text(FILE *f, const struct report *r,
    const struct text_look *look);

/*
 * Writes the JSON envelope; returns 0 or -1 on a write error.
 * report_json_at() writes it at a depth (the fleet document's runs are at
 * 2), without a newline after it.
 */
int report_json(FILE *f, const struct report *r);
void report_json_at(FILE *f, const struct report *r, int depth);

/* The text report's content as Markdown. */
int report_markdown(FILE *f, const struct report *r);

/*
 * One target's own part of a fleet report: its envelope at the depth the
 * document holds it (json), or its report after its heading.  The fleet
 * writes it to its spool as a target ends; a spooled part is copied back.
 */
int report_fleet_part(FILE *out, const struct report *r, bool json,
    const struct text_look *look, bool markdown);

/* The fleet reports: a table, then every target's report; or one document. */
int report_fleet_text(FILE *out, const struct report_fleet *v,
    const struct text_look *look, bool markdown);
int report_fleet_json(FILE *out, const struct report_fleet *v);

/*
 * JUnit XML (report_junit.c): one testsuite with a testcase per target, a
 * failure for a verdict that fails under --fail-on, an error for a run
 * that ended without one.  report_junit_case() writes one target's
 * testcase (a fleet's part); report_junit() the document of one run.
 */
int report_junit(FILE *f, const struct report *r);
void report_junit_case(FILE *f, const struct report *r);
int report_fleet_junit(FILE *out, const struct report_fleet *v);

/*
 * Prometheus metrics, the node_exporter textfile collector's format
 * (report_metrics.c): status, issues by severity, end and duration of each
 * of the n runs.  report_metrics_file() replaces path with them.
 * report_keep() counts a result's issues into d->tally (the view r is d's)
 * before a fleet drops the result.
 */
int report_metrics(FILE *f, const struct report *runs, size_t n);
int report_metrics_file(const char *path, const struct report *runs,
    size_t n);
void report_keep(struct diag *d, const struct report *r);

/* The --dry-run plan. */
int report_plan_text(FILE *f, const struct diag *d, const struct diag_plan *p);
/* A fleet's --dry-run: the targets it would diagnose (discovered too). */
struct fleet;
int report_fleet_plan_text(FILE *f, const struct fleet *fleet);
int report_fleet_plan_json(FILE *f, const struct fleet *fleet, int exit_code);
int report_plan_json(FILE *f, const struct diag *d, const struct diag_plan *p,
    int exit_code);

/* `pai-diag history` and `pai-diag diff`: their documents (history.h). */
int report_history_text(FILE *f, const cJSON *doc);
int report_diff_text(FILE *f, const cJSON *doc);
int report_history_json(FILE *f, const cJSON *doc);
/* --baseline's part of a report: the diff, as text or Markdown. */
void report_baseline_text(FILE *f, const cJSON *diff, bool markdown);

/* The `doctor` report. */
int report_doctor_text(FILE *f, const struct diag *d);
int report_doctor_json(FILE *f, const struct diag *d, int exit_code);

/*
 * The known fields of one issue of the result (their keys are not
 * documented: severity or level, title or name, detail or description):
 * the first member of each name, when it is a string; redacted, owned,
 * each NULL when absent.  report_issue_known() says whether a member (its
 * key as jtext_key() gives it, and its value) is one of those names with
 * a string value, which renderers show as the fields rather than again.
 */
struct issue_fields {
	char *severity, *title, *detail;
};
void report_issue_fields(struct issue_fields *f, struct jspan issue);
void report_issue_fields_release(struct issue_fields *f);
bool report_issue_known(const char *key, size_t n, struct jspan value);

/* Prints a document and deletes it; 0, or -1 on a write error. */
int report_print_json(FILE *f, cJSON *doc);

/*
 * Prints the object doc at depth as cJSON_Print() would, but the value of
 * each member named in stream (NULL-terminated, or NULL), which member()
 * writes at the depth it is given: large values written as they stream.
 */
typedef void report_member_fn(FILE *f, const void *arg, const char *name,
    int depth);
void report_print_members(FILE *f, const cJSON *doc, int depth,
    const char *const *stream, report_member_fn *member, const void *arg);

/* The envelope's "error" (or null) and "warnings" members; owned. */
cJSON *report_error_json(const struct report *r);
cJSON *report_warnings_json(const struct strvec *warnings);

#endif
