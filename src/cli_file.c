/*
 * The checks of the files a run writes (--output-file, --metrics-file),
 * made before any aliyun call: a report that could never be written is a
 * usage error, not a verdict lost after a long diagnosis.  See cli.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "xalloc.h"

/*
 * Whether a file can be made in dir: by making (and removing) one, which
 * also answers for root and for read-only mounts, where access() cannot.
 */
static int
can_create_in(const char *dir)
{
	char *tmp = xasprintf("%s/.pai-diag.XXXXXX", dir);
	int fd = mkstemp(tmp), saved = errno;

	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	errno = saved;
	return fd >= 0 ? 0 : -1;
}

/* Replaced by rename(): the directory of path must take a new file. */
static int
check_dir(struct diag *d, const char *option, const char *given,
    const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat st;
	int rc = 0;

	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strlcpy(dir, ".", strlen(dir) + 1);
	if (stat(dir, &st) < 0)
		rc = cli_usage_error(d, "cannot use --%s '%s': directory '%s': "
		    "%s", option, given, dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		rc = cli_usage_error(d, "cannot use --%s '%s': '%s' is not a "
		    "directory", option, given, dir);
	else if (can_create_in(dir) < 0)
		rc = cli_usage_error(d, "cannot write to --%s '%s': directory "
		    "'%s': %s", option, given, dir, strerror(errno));
	free(dir);
	return rc;
}

/* What stat() found at a file option's path; 0 or a usage error. */
static int
check_existing(struct diag *d, const char *option, const char *path,
    const struct stat *st, bool *in_place)
{
	if (S_ISDIR(st->st_mode))
		return cli_usage_error(d, "--%s '%s' is a directory", option,
		    path);
	if (S_ISSOCK(st->st_mode))
		return cli_usage_error(d, "--%s '%s' is a socket", option, path);
	/* A collector reads regular files; only a report may go to a pipe. */
	if (in_place == NULL && !S_ISREG(st->st_mode))
		return cli_usage_error(d, "--%s '%s' is not a regular file",
		    option, path);
	if (access(path, W_OK) < 0)
		return cli_usage_error(d, "cannot write to --%s '%s': %s",
		    option, path, strerror(errno));
	if (in_place)
		*in_place = !S_ISREG(st->st_mode);
	return 0;
}

int
cli_check_file(struct diag *d, const char *option, const char *path,
    bool *in_place, char **real)
{
	struct stat st;

	if (*path == '\0')
		return cli_usage_error(d, "--%s is empty", option);
	if (path[strlen(path) - 1] == '/')
		return cli_usage_error(d, "--%s '%s' names a directory", option,
		    path);
	if (stat(path, &st) == 0) {
		if (check_existing(d, option, path, &st, in_place) < 0)
			return -1;
		/* A device or a FIFO is written in place, never renamed over. */
		if ((in_place && *in_place) ||
		    (*real = realpath(path, NULL)) == NULL)
			return 0;
		return check_dir(d, option, path, *real);
	}
	if (errno != ENOENT)
		return cli_usage_error(d, "cannot use --%s '%s': %s", option,
		    path, strerror(errno));
	return check_dir(d, option, path, path);
}
