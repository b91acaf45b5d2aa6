/*
 * The outcomes a run can end in, and the one table that says, for each,
 * its name in the JSON envelope, its exit code and its rank in a fleet
 * (which target's outcome is the fleet's verdict).  Nothing else maps an
 * outcome to a number or a name.
 */
#ifndef PAI_DIAG_OUTCOME_H
#define PAI_DIAG_OUTCOME_H

#include <stdbool.h>

enum outcome {
	OUTCOME_HEALTHY,
	OUTCOME_WARN,
	OUTCOME_CRITICAL,
	OUTCOME_DIAGNOSIS_FAILED,
	OUTCOME_TIMEOUT,
	OUTCOME_INTERRUPTED,
	OUTCOME_INVALID_TARGET,
	OUTCOME_UNSUPPORTED_TARGET,
	OUTCOME_ACCESS_DENIED,
	OUTCOME_ENVIRONMENT_ERROR,
	OUTCOME_USAGE_ERROR,
	OUTCOME_INTERNAL_ERROR,
	OUTCOME_REGRESSED,	/* --fail-on new: a serious issue is new */
};

/* The envelope's name of an outcome ("healthy", "usage_error", ...). */
const char *outcome_name(enum outcome o);

/*
 * The exit code of an outcome, before --fail-on is applied: warn 10,
 * critical 11, interrupted 130 (use 128 + signal for the real one).
 */
int outcome_exit_code(enum outcome o);

/*
 * The outcome's severity in a fleet, 0 the worst: a fleet ends in the
 * outcome of lowest rank among its targets.  Invalid and unsupported
 * targets share a rank.
 */
int outcome_rank(enum outcome o);

/* Whether the outcome is a verdict of a finished task (healthy/warn/critical). */
bool outcome_is_verdict(enum outcome o);
/* The envelope's "ok": the exit code of a run that produced a verdict. */
bool exit_code_ok(int exit_code);

#endif
