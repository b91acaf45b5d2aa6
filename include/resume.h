/*
 * The resume commands: the pai-diag command line that attaches again to
 * tasks that are still running, for a single run (one task) and for a
 * fleet (every task that goes on, and every target it never started).
 * It owns nothing but those lines' shapes.
 */
#ifndef PAI_DIAG_RESUME_H
#define PAI_DIAG_RESUME_H

#include <stddef.h>

#include "options.h"

/*
 * "pai-diag --region R --task-id T1 [--task-id T2 ...]" with --profile and
 * --aliyun (only when it came from the flag) as o gives them; every word is
 * shell-quoted.  region is the one to name (o's own may be NULL for a run
 * that learnt it from its task).  Returns NULL when n is 0; owned.
 */
char *resume_command(const struct options *o, const char *region,
    const char *const *task_ids, size_t n);

/*
 * A fleet's target that was never started, as a run of its own:
 * "pai-diag --region R --instance ID" with --product when the id does not
 * tell it, the window as it was asked (--start and --end, absolute), the
 * description, the uid, --profile and --aliyun.  Owned.
 */
char *resume_instance(const struct options *o);

/* A fleet's target that goes on: its task, or its instance not started. */
struct resume_target {
	const char *instance;	/* NULL for a task */
	const char *task_id;
	const char *region;
	enum product product;	/* an instance's */
};

/*
 * The fleet's resume command: "pai-diag --task-id T@R -i ID@R ..." with
 * every target, and what resume_instance() adds when instances are among
 * them.  --product applies to every instance of a command, so instances
 * whose id does not tell their product come in a command of their own for
 * each product, after "; ".  Returns NULL when n is 0; owned.
 */
char *resume_fleet(const struct options *o, const struct resume_target *t,
    size_t n);

#endif
