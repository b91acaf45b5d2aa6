/*
 * The resume command; see resume.h.  Single runs and fleets print the
 * same shape, so both build it here.
 */
#include <stdlib.h>

#include "aliyun.h"
#include "buf.h"
#include "resume.h"

char *
resume_command(const struct options *o, const char *region,
    const char *const *task_ids, size_t n)
{
	struct buf b = BUF_INIT;

	if (n == 0)
		return NULL;
	buf_adds(&b, "pai-diag --region ");
	shell_quote(&b, region);
	for (size_t i = 0; i < n; i++) {
		buf_adds(&b, " --task-id ");
		shell_quote(&b, task_ids[i]);
	}
	if (o->profile) {
		buf_adds(&b, " --profile ");
		shell_quote(&b, o->profile);
	}
	if (o->aliyun_from_flag) {
		buf_adds(&b, " --aliyun ");
		shell_quote(&b, o->aliyun);
	}
	return buf_detach(&b, NULL);
}
