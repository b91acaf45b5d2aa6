/*
 * The reports on stdout (or a file): the text report and the JSON
 * envelope of the contract, both rendered from one finished struct diag.
 * Every string that came from aliyun or the engine is redacted first.
 */
#ifndef PAI_DIAG_REPORT_H
#define PAI_DIAG_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "workflow.h"

/*
 * Writes the text report; returns 0 or -1 on a write error.  The result
 * must have been through redact_tree() (the workflow does it as soon as a
 * task succeeds): its strings are written as they are.
 */
int report_text(FILE *f, const struct diag *d, bool color);

/*
 * Writes the JSON envelope with the given exit code; returns 0 or -1 on a
 * write error.
 */
int report_json(FILE *f, const struct diag *d, int exit_code);

/* The text report's content as Markdown. */
int report_markdown(FILE *f, const struct diag *d);

/* The --dry-run plan. */
int report_plan_text(FILE *f, const struct diag *d, const struct diag_plan *p);
int report_plan_json(FILE *f, const struct diag *d, const struct diag_plan *p,
    int exit_code);

/* The `doctor` report. */
int report_doctor_text(FILE *f, const struct diag *d);
int report_doctor_json(FILE *f, const struct diag *d, int exit_code);

/*
 * The known fields of one issue of the result (their keys are not
 * documented: severity or level, title or name, detail or description);
 * each NULL when absent.  Borrowed.
 */
struct issue_fields {
	const char *severity, *title, *detail;
};
struct issue_fields report_issue_fields(const cJSON *j_issue);

/* The envelope as a tree (owned; the result is attached by reference). */
cJSON *report_envelope(const struct diag *d, int exit_code);
/* Prints a document and deletes it; 0, or -1 on a write error. */
int report_print_json(FILE *f, cJSON *doc);

/* The envelope's "error" (or null) and "warnings" members; owned. */
cJSON *report_error_json(const struct diag *d);
cJSON *report_warnings_json(const struct diag *d);

#endif
