/*
 * The history of diagnoses; see history.h.  Everything here is plain
 * files: a directory per region and target, a file per run, written to a
 * temporary name and renamed, so a reader sees a whole envelope or none
 * and two runs never write the same file.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "buf.h"
#include "fdio.h"
#include "history.h"
#include "json.h"
#include "msg.h"
#include "output.h"
#include "params.h"
#include "report.h"
#include "workflow.h"

char *
history_dir(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	/* The XDG rule: a relative path is invalid and ignored. */
	if (state && *state == '/')
		return xasprintf("%s/pai-diag/history", state);
	if (home && *home)
		return xasprintf("%s/.local/state/pai-diag/history", home);
	return NULL;
}

/* mkdir -p, each new directory private to the user. */
static int
mkdirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

/* A file name of the history: STAMP-TASK.json; sets stamp and task. */
static bool
parse_name(const char *name, char stamp[17], char **task)
{
	size_t n = strlen(name);
	char err[128];

	if (n < 16 + 1 + 1 + 5 || name[8] != 'T' || name[15] != 'Z' ||
	    name[16] != '-' || strcmp(name + n - 5, ".json") != 0)
		return false;
	for (int i = 0; i < 15; i++)
		if (i != 8 && !isdigit((unsigned char)name[i]))
			return false;
	*task = xstrndup(name + 17, n - 17 - 5);
	if (check_task_id(*task, err, sizeof(err)) < 0) {
		free(*task);
		return false;
	}
	memcpy(stamp, name, 16);
	stamp[16] = '\0';
	return true;
}

static int
by_stamp(const void *a, const void *b)
{
	const struct history_entry *x = a, *y = b;
	int c = strcmp(x->stamp, y->stamp);

	return c ? c : strcmp(x->path, y->path);
}

/* Adds the runs stored in dir (REGION/INSTANCE) to h. */
static void
list_dir(struct history *h, size_t *alloc, const char *dir,
    const char *region, const char *instance)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		struct history_entry e = { 0 };

		if (!parse_name(de->d_name, e.stamp, &e.task_id))
			continue;
		if (h->n == *alloc) {
			*alloc = *alloc ? *alloc * 2 : 16;
			h->e = xreallocarray(h->e, *alloc, sizeof(*h->e));
		}
		e.path = xasprintf("%s/%s", dir, de->d_name);
		e.region = xstrdup(region);
		e.instance = xstrdup(instance);
		h->e[h->n++] = e;
	}
	closedir(d);
}

/* The names of the directories in dir, each passing check (or "-"). */
static void
subdirs(const char *dir, int (*check)(const char *, char *, size_t),
    struct strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char err[128];

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, "-") == 0 ||
		    check(de->d_name, err, sizeof(err)) == 0)
			strvec_push(out, de->d_name);
	closedir(d);
}

int
history_list(struct history *h, const char *instance, const char *region,
    char *err, size_t errlen)
{
	char *base = history_dir();
	struct strvec regions = STRVEC_INIT;
	size_t alloc = 0;

	memset(h, 0, sizeof(*h));
	if (base == NULL) {
		snprintf(err, errlen, "no history: neither XDG_STATE_HOME nor "
		    "HOME is set");
		return -1;
	}
	subdirs(base, check_region, &regions);
	for (size_t i = 0; i < regions.n; i++) {
		struct strvec targets = STRVEC_INIT;
		char *rdir;

		if (region && strcmp(region, regions.v[i]) != 0)
			continue;
		rdir = xasprintf("%s/%s", base, regions.v[i]);
		subdirs(rdir, check_instance_id, &targets);
		for (size_t k = 0; k < targets.n; k++) {
			char *tdir;

			if (instance && strcmp(instance, targets.v[k]) != 0)
				continue;
			tdir = xasprintf("%s/%s", rdir, targets.v[k]);
			list_dir(h, &alloc, tdir, regions.v[i], targets.v[k]);
			free(tdir);
		}
		strvec_clear(&targets);
		free(rdir);
	}
	strvec_clear(&regions);
	free(base);
	if (h->n > 1)
		qsort(h->e, h->n, sizeof(*h->e), by_stamp);
	return 0;
}

void
history_entry_release(struct history_entry *e)
{
	free(e->path);
	free(e->region);
	free(e->instance);
	free(e->task_id);
	memset(e, 0, sizeof(*e));
}

void
history_release(struct history *h)
{
	for (size_t i = 0; i < h->n; i++)
		history_entry_release(&h->e[i]);
	free(h->e);
	memset(h, 0, sizeof(*h));
}

/* Removes the oldest runs of a target's directory past keep. */
static void
prune(const char *dir, const char *region, const char *instance, int keep)
{
	struct history h = { 0 };
	size_t alloc = 0;

	list_dir(&h, &alloc, dir, region, instance);
	if (h.n > 1)
		qsort(h.e, h.n, sizeof(*h.e), by_stamp);
	for (size_t i = 0; i + (size_t)keep < h.n; i++)
		unlink(h.e[i].path);
	history_release(&h);
}

/* A name from SysOM's echo is used only when it is a valid one. */
static const char *
valid_or_dash(const char *s, int (*check)(const char *, char *, size_t))
{
	char err[128];

	return s && check(s, err, sizeof(err)) == 0 ? s : "-";
}

void
history_place(const struct diag *d, const char **region,
    const char **instance)
{
	const struct options *o = d->opt;

	*region = valid_or_dash(o->region ? o->region : d->echo_region,
	    check_region);
	*instance = valid_or_dash(o->instance ? o->instance :
	    d->echo_instance, check_instance_id);
}

/* Writes the envelope into fd, masked; 0, or -1 with errno. */
static int
write_envelope(int fd, const struct diag *d, int exit_code)
{
	struct report r;
	struct out out;
	int rc;

	if (out_open(&out, fd) < 0)
		return -1;
	report_view(&r, d, exit_code);
	rc = report_json(out.f, &r);
	report_release(&r);
	if (out_close(&out) < 0 || rc < 0)
		return -1;
	return fsync(fd);
}

int
history_save(const struct diag *d, int exit_code, int keep)
{
	const char *region, *instance;
	char stamp[17], *base, *dir = NULL, *path = NULL, *tmp = NULL;
	time_t now = time(NULL);
	struct tm tm;
	int fd = -1, rc = -1, saved;

	if (!d->res.ok || d->task_id == NULL)
		return 0;
	if ((base = history_dir()) == NULL) {
		warning("the diagnosis is not kept in the history: neither "
		    "XDG_STATE_HOME nor HOME is set (or give --no-history)");
		return -1;
	}
	history_place(d, &region, &instance);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	dir = xasprintf("%s/%s/%s", base, region, instance);
	path = xasprintf("%s/%s-%s.json", dir, stamp, d->task_id);
	tmp = xasprintf("%s/.%s-%s.XXXXXX", dir, stamp, d->task_id);
	if (mkdirs(dir) < 0 || (fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		goto fail;
	if (write_envelope(fd, d, exit_code) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail_unlink;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail_unlink;
	prune(dir, region, instance, keep);
	rc = 0;
	goto out;
fail_unlink:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
fail:
	warning("the diagnosis is not kept in the history: %s: %s (or give "
	    "--no-history)", fd < 0 && access(dir, W_OK) < 0 ? dir : path,
	    strerror(errno));
out:
	free(base);
	free(dir);
	free(path);
	free(tmp);
	return rc;
}

cJSON *
history_read(const char *path, char *err, size_t errlen)
{
	struct stat st;
	struct buf b = BUF_INIT;
	cJSON *env = NULL;
	int fd = fdio_open_read(path, &st);

	if (fd < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	if (fdio_read_all(fd, &b, HISTORY_MAX_FILE) < 0)
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    errno == E2BIG ? "larger than 256 MiB" : strerror(errno));
	else if ((env = cJSON_ParseWithLength(b.data ? b.data : "", b.len)) ==
	    NULL || !cJSON_IsObject(env)) {
		cJSON_Delete(env);
		env = NULL;
		snprintf(err, errlen, "'%s' holds no JSON envelope", path);
	}
	close(fd);
	buf_release(&b);
	return env;
}

cJSON *
history_load(const char *which, const char *instance, const char *region,
    struct history_entry *entry, char *err, size_t errlen)
{
	bool last = strcmp(which, "last") == 0,
	    previous = strcmp(which, "previous") == 0;
	struct history h;
	size_t pick = 0;
	bool found = false;
	cJSON *env = NULL;

	memset(entry, 0, sizeof(*entry));
	if ((last || previous) && instance == NULL) {
		snprintf(err, errlen, "'%s' needs the target: give --instance",
		    which);
		return NULL;
	}
	if (history_list(&h, instance, region, err, errlen) < 0)
		return NULL;
	if (last || previous) {
		found = h.n >= (last ? 1u : 2u);
		pick = found ? h.n - (last ? 1 : 2) : 0;
	} else {
		for (size_t i = 0; i < h.n; i++)
			if (strcmp(h.e[i].task_id, which) == 0) {
				found = true;
				pick = i;	/* the newest of the task's runs */
			}
	}
	if (!found)
		snprintf(err, errlen, "%s%s%s%s%s is not in the history",
		    last || previous ? "the " : "task ", which,
		    last ? " run" : previous ? " run" : "",
		    instance ? " of " : "", instance ? instance : "");
	else if ((env = history_read(h.e[pick].path, err, errlen)) != NULL) {
		*entry = h.e[pick];
		memset(&h.e[pick], 0, sizeof(h.e[pick]));
	}
	history_release(&h);
	return env;
}
