/*
 * Writing the report where it goes: rendered in the run's format (the
 * diagnosis, a fleet, a plan, doctor, the history) into a sink on stdout,
 * or into --output-file atomically, with stdout as the fallback so that a
 * verdict is never lost.  main() calls report_write() once, at the end;
 * a fleet writes each finished target's part with report_fleet_part_of().
 */
#ifndef PAI_DIAG_REPORT_WRITE_H
#define PAI_DIAG_REPORT_WRITE_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "fleet.h"
#include "options.h"
#include "workflow.h"

/* What a run shows besides its own diagnosis: one of these, or none. */
struct shown {
	const struct diag_plan *plan;	/* --dry-run of one target */
	const struct fleet *fleet;	/* a fleet, or its --dry-run */
	const cJSON *doc;		/* `history` or `diff` */
};

/*
 * Writes the report, then the metrics of --metrics-file.  A closed stdout
 * ends quietly; a report file that cannot be written after all goes to
 * stdout instead, with exit 1; metrics that cannot be written are an
 * error, exit 1.  Returns the exit code: code, or 1.
 */
int report_write(const struct diag *d, const struct shown *s,
    const struct options *o, int code);

/*
 * A fleet target's own part of the report (fleet_part_fn; arg: options),
 * and what the metrics need of its result, kept in d.
 */
void report_fleet_part_of(FILE *out, struct diag *d, const void *arg);

#endif
