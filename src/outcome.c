/*
 * The outcome table; see outcome.h.  The ranks are the order the contract
 * gives for a fleet's verdict, worst first.
 */
#include <stdbool.h>

#include "outcome.h"

static const struct {
	const char *name;
	int exit_code;
	int rank;
} outcomes[] = {
	[OUTCOME_INTERRUPTED] = { "interrupted", 130, 0 },
	[OUTCOME_USAGE_ERROR] = { "usage_error", 2, 1 },
	[OUTCOME_ENVIRONMENT_ERROR] = { "environment_error", 3, 2 },
	[OUTCOME_ACCESS_DENIED] = { "access_denied", 4, 3 },
	[OUTCOME_INTERNAL_ERROR] = { "internal_error", 1, 4 },
	[OUTCOME_DIAGNOSIS_FAILED] = { "diagnosis_failed", 6, 5 },
	[OUTCOME_TIMEOUT] = { "timeout", 7, 6 },
	[OUTCOME_INVALID_TARGET] = { "invalid_target", 5, 7 },
	[OUTCOME_UNSUPPORTED_TARGET] = { "unsupported_target", 5, 7 },
	[OUTCOME_REGRESSED] = { "regressed", 12, 8 },
	[OUTCOME_CRITICAL] = { "critical", 11, 9 },
	[OUTCOME_WARN] = { "warn", 10, 10 },
	[OUTCOME_HEALTHY] = { "healthy", 0, 11 },
};

const char *
outcome_name(enum outcome o)
{
	return outcomes[o].name;
}

int
outcome_exit_code(enum outcome o)
{
	return outcomes[o].exit_code;
}

int
outcome_rank(enum outcome o)
{
	return outcomes[o].rank;
}

bool
outcome_is_verdict(enum outcome o)
{
	return o == OUTCOME_HEALTHY || o == OUTCOME_WARN ||
	    o == OUTCOME_CRITICAL || o == OUTCOME_REGRESSED;
}

bool
exit_code_ok(int exit_code)
{
	return exit_code == outcome_exit_code(OUTCOME_HEALTHY) ||
	    exit_code == outcome_exit_code(OUTCOME_WARN) ||
	    exit_code == outcome_exit_code(OUTCOME_CRITICAL) ||
	    exit_code == outcome_exit_code(OUTCOME_REGRESSED);
}
