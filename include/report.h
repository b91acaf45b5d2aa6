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

/* Writes the text report; returns 0 or -1 on a write error. */
int report_text(FILE *f, const struct diag *d, bool color);

/*
 * Writes the JSON envelope with the given exit code; returns 0 or -1 on a
 * write error.
 */
int report_json(FILE *f, const struct diag *d, int exit_code);

/* Redacts every string of a tree in place (the engine result). */
void redact_tree(cJSON *j);

#endif
