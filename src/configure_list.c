/*
 * Reading the table `aliyun configure list` prints: one row per profile,
 * name | credential | Valid | Region | Language, the current one marked
 * with " *".  Only what may be shown is kept; the credential cell gives
 * its mode word and nothing else.
 */
#include <ctype.h>
#include <string.h>

#include "configure_list.h"

static void
trim_into(char *dst, size_t dstlen, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= dstlen)
		len = dstlen - 1;
	memmove(dst, s, len);
	dst[len] = '\0';
}

/*
 * Parses one table row: name | credential... | Valid | Region | Language.
 * The credential cell may itself contain '|', so the last three fields are
 * counted from the end.  Returns 0 for a profile row.
 */
int
parse_profile_row(const char *line, size_t len, struct profile_info *row)
{
	const char *bars[64];
	size_t nbars = 0;
	char valid[16], mode[64];
	const char *cred, *colon;
	size_t credlen;

	for (size_t i = 0; i < len && nbars < 64; i++)
		if (line[i] == '|')
			bars[nbars++] = line + i;
	if (nbars < 4)
		return -1;
	trim_into(row->name, sizeof(row->name), line, (size_t)(bars[0] - line));
	if (row->name[0] == '\0' || strcmp(row->name, "Profile") == 0 ||
	    strspn(row->name, "-") == strlen(row->name))
		return -1;
	row->current = false;
	len = strlen(row->name);
	/* cppcheck-suppress pointerOutOfBoundsCond ; len < sizeof(row->name) */
	if (len >= 2 && strcmp(row->name + len - 2, " *") == 0) {
		row->current = true;
		row->name[len - 2] = '\0';
		trim_into(row->name, sizeof(row->name), row->name,
		    strlen(row->name));
	}
	trim_into(valid, sizeof(valid), bars[nbars - 3] + 1,
	    (size_t)(bars[nbars - 2] - bars[nbars - 3] - 1));
	trim_into(row->region, sizeof(row->region), bars[nbars - 2] + 1,
	    (size_t)(bars[nbars - 1] - bars[nbars - 2] - 1));
	row->valid = strcmp(valid, "Valid") == 0;
	row->has_region = row->region[0] != '\0';
	/* The mode word is what stands before the first ':' of the cell. */
	cred = bars[0] + 1;
	credlen = (size_t)(bars[nbars - 3] - cred);
	trim_into(mode, sizeof(mode), cred, credlen);
	colon = strchr(mode, ':');
	if (colon)
		mode[colon - mode] = '\0';
	/* Some cells start with a word that is not the mode's name. */
	if (strcmp(mode, "ProcessCommand") == 0)
		strlcpy(mode, "External", sizeof(mode));
	else if (strcmp(mode, "arn") == 0)
		strlcpy(mode, "RamRoleArnWithEcs", sizeof(mode));
	if (strspn(mode, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
	    != strlen(mode))
		mode[0] = '\0';
	strlcpy(row->mode, mode, sizeof(row->mode));
	return 0;
}
