/*
 * The outcome table: names, exit codes and fleet ranks as the contract
 * (docs/json-envelope.md, --help) gives them.
 */
#include <stddef.h>

#include "outcome.h"
#include "test.h"

void
test_outcome(void)
{
	/* The fleet's order, worst first; invalid and unsupported tie. */
	static const enum outcome worst_first[] = {
		OUTCOME_INTERRUPTED, OUTCOME_USAGE_ERROR,
		OUTCOME_ENVIRONMENT_ERROR, OUTCOME_ACCESS_DENIED,
		OUTCOME_INTERNAL_ERROR, OUTCOME_DIAGNOSIS_FAILED,
		OUTCOME_TIMEOUT, OUTCOME_INVALID_TARGET, OUTCOME_CRITICAL,
		OUTCOME_WARN, OUTCOME_HEALTHY,
	};

	for (size_t i = 1; i < sizeof(worst_first) / sizeof(*worst_first); i++)
		CHECK(outcome_rank(worst_first[i - 1]) <
		    outcome_rank(worst_first[i]));
	CHECK_INT(outcome_rank(OUTCOME_UNSUPPORTED_TARGET),
	    outcome_rank(OUTCOME_INVALID_TARGET));

	CHECK_STR(outcome_name(OUTCOME_HEALTHY), "healthy");
	CHECK_STR(outcome_name(OUTCOME_UNSUPPORTED_TARGET), "unsupported_target");
	CHECK_STR(outcome_name(OUTCOME_INTERNAL_ERROR), "internal_error");
	CHECK_INT(outcome_exit_code(OUTCOME_HEALTHY), 0);
	CHECK_INT(outcome_exit_code(OUTCOME_WARN), 10);
	CHECK_INT(outcome_exit_code(OUTCOME_CRITICAL), 11);
	CHECK_INT(outcome_exit_code(OUTCOME_INTERRUPTED), 130);
	CHECK_INT(outcome_exit_code(OUTCOME_USAGE_ERROR), 2);
	CHECK_INT(outcome_exit_code(OUTCOME_ENVIRONMENT_ERROR), 3);
	CHECK_INT(outcome_exit_code(OUTCOME_ACCESS_DENIED), 4);
	CHECK_INT(outcome_exit_code(OUTCOME_INVALID_TARGET), 5);
	CHECK_INT(outcome_exit_code(OUTCOME_UNSUPPORTED_TARGET), 5);
	CHECK_INT(outcome_exit_code(OUTCOME_DIAGNOSIS_FAILED), 6);
	CHECK_INT(outcome_exit_code(OUTCOME_TIMEOUT), 7);
	CHECK_INT(outcome_exit_code(OUTCOME_INTERNAL_ERROR), 1);

	CHECK(outcome_is_verdict(OUTCOME_WARN));
	CHECK(!outcome_is_verdict(OUTCOME_TIMEOUT));
	CHECK(exit_code_ok(0) && exit_code_ok(10) && exit_code_ok(11));
	CHECK(!exit_code_ok(1) && !exit_code_ok(130) && !exit_code_ok(5));
}
