/*
 * `aliyun configure list`: its table read one row at a time, keeping only
 * what may ever be shown (configure_list.c).
 */
#ifndef PAI_DIAG_CONFIGURE_LIST_H
#define PAI_DIAG_CONFIGURE_LIST_H

#include <stdbool.h>
#include <stddef.h>

/* What `configure list` says of a profile: only what may ever be shown. */
struct profile_info {
	char name[128];
	char mode[32];		/* the credential mode word: AK, StsToken... */
	bool current;
	bool valid;
	bool has_region;
	char region[64];	/* as the row gives it; may be anything */
};


/*
 * Parses one row, name | credential... | Valid | Region | Language (the
 * credential cell may hold '|').  Returns 0 for a profile row, -1 for a
 * heading, a rule or anything else.
 */
int parse_profile_row(const char *line, size_t len, struct profile_info *row);

#endif
