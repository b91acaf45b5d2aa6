/*
 * The resume command: the one pai-diag command line that attaches again to
 * tasks that are still running, for a single run (one task) and for a
 * fleet (every task that goes on).  It owns nothing but that line's shape.
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

#endif
