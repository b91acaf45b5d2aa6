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
	const struct options *o = d->opt;
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
	region = valid_or_dash(o->region ? o->region : d->echo_region,
	    check_region);
	instance = valid_or_dash(o->instance ? o->instance : d->echo_instance,
	    check_instance_id);
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

/* Reads a stored envelope; NULL with a reason in err. */
static cJSON *
read_envelope(const char *path, char *err, size_t errlen)
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
	else if ((env = read_envelope(h.e[pick].path, err, errlen)) != NULL) {
		*entry = h.e[pick];
		memset(&h.e[pick], 0, sizeof(h.e[pick]));
	}
	history_release(&h);
	return env;
}

char *
history_fingerprint(const cJSON *issue)
{
	const char *parts[3] = { json_str(issue, "item"),
	    json_str(issue, "subsystem"),
	    json_str_any(issue, "title", "name", NULL) };
	struct buf b = BUF_INIT;

	for (int i = 0; i < 3; i++) {
		const char *s = parts[i] ? parts[i] : "";
		bool space = false;

		if (i > 0)
			buf_add(&b, "\x1f", 1);
		for (; *s; s++) {
			unsigned char c = (unsigned char)*s;

			if (isdigit(c)) {
				/* 79.6, 1,200 and 3 are all one number. */
				while (isdigit((unsigned char)s[1]) ||
				    ((s[1] == '.' || s[1] == ',') &&
				    isdigit((unsigned char)s[2])))
					s++;
				c = '#';
			} else if (isspace(c)) {
				space = b.len > 0;
				continue;
			}
			if (space)
				buf_add(&b, " ", 1);
			space = false;
			c = (unsigned char)tolower(c);
			buf_add(&b, &c, 1);
		}
	}
	return buf_detach(&b, NULL);
}

bool
history_serious(const cJSON *issue)
{
	static const char *const mild[] = { "info", "ok", "normal", "notice",
	    "pass", "passed", "healthy", "none", "low" };
	const char *sev = json_str_any(issue, "severity", "level", NULL);

	/* No severity, or one not known: Warn, as an unknown status is. */
	if (sev == NULL)
		return true;
	for (size_t i = 0; i < sizeof(mild) / sizeof(mild[0]); i++)
		if (strcasecmp(sev, mild[i]) == 0)
			return false;
	return true;
}

/* An issue's fingerprint and its place, for matching by sorting. */
struct mark {
	char *fp;
	const cJSON *issue;
	bool matched;
};

static int
by_fp(const void *a, const void *b)
{
	return strcmp((*(struct mark *const *)a)->fp,
	    (*(struct mark *const *)b)->fp);
}

static struct mark *
marks(const cJSON *env, size_t *n)
{
	const cJSON *issues = cJSON_GetObjectItemCaseSensitive(env, "issues"),
	    *it;
	struct mark *m;
	size_t i = 0;

	if (!cJSON_IsArray(issues))
		issues = NULL;
	*n = (size_t)cJSON_GetArraySize(issues);
	m = xcalloc(*n ? *n : 1, sizeof(*m));
	cJSON_ArrayForEach(it, issues) {
		m[i].fp = history_fingerprint(it);
		m[i++].issue = it;
	}
	return m;
}

static void
marks_free(struct mark *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].fp);
	free(m);
}

/* An unmatched mark of sorted (by fingerprint) with fingerprint fp. */
static struct mark *
match(struct mark **sorted, size_t n, const char *fp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(sorted[mid]->fp, fp) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && strcmp(sorted[lo]->fp, fp) == 0; lo++)
		if (!sorted[lo]->matched)
			return sorted[lo];
	return NULL;
}

/* {"task_id", "outcome", "overall_status"} of an envelope. */
static cJSON *
side(const cJSON *env)
{
	cJSON *s = cJSON_CreateObject();
	const cJSON *summary = cJSON_GetObjectItemCaseSensitive(env, "summary");

	json_add(s, "task_id", json_str_or_null(json_str(env, "task_id")));
	json_add(s, "outcome", json_str_or_null(json_str(env, "outcome")));
	json_add(s, "overall_status", json_str_or_null(json_str(summary,
	    "overall_status")));
	return s;
}

cJSON *
history_diff(const cJSON *from, const cJSON *to)
{
	size_t nf, nt;
	struct mark *f = marks(from, &nf), *t = marks(to, &nt), **sorted;
	cJSON *diff = cJSON_CreateObject(), *added = cJSON_CreateArray(),
	    *resolved = cJSON_CreateArray(), *persisting = cJSON_CreateArray();
	cJSON *a = side(from), *b = side(to);
	const char *sa = json_str(a, "overall_status"),
	    *sb = json_str(b, "overall_status");

	/* Each issue of the newer run takes one equal of the older, once. */
	sorted = xcalloc(nf ? nf : 1, sizeof(*sorted));
	for (size_t i = 0; i < nf; i++)
		sorted[i] = &f[i];
	qsort(sorted, nf, sizeof(*sorted), by_fp);
	for (size_t i = 0; i < nt; i++) {
		struct mark *m = match(sorted, nf, t[i].fp);

		if (m)
			m->matched = true;
		cJSON_AddItemToArray(m ? persisting : added,
		    cJSON_Duplicate(t[i].issue, true));
	}
	for (size_t i = 0; i < nf; i++)
		if (!f[i].matched)
			cJSON_AddItemToArray(resolved,
			    cJSON_Duplicate(f[i].issue, true));
	free(sorted);
	marks_free(f, nf);
	marks_free(t, nt);
	json_add(diff, "from", a);
	json_add(diff, "to", b);
	json_add(diff, "status_changed", cJSON_CreateBool((sa == NULL) !=
	    (sb == NULL) || (sa && sb && strcasecmp(sa, sb) != 0)));
	json_add(diff, "new", added);
	json_add(diff, "resolved", resolved);
	json_add(diff, "persisting", persisting);
	return diff;
}

bool
history_regressed(const cJSON *diff)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(diff, "new"))
		if (history_serious(it))
			return true;
	return false;
}

static int
render_own(FILE *f, const void *arg)
{
	struct report r;
	int rc;

	report_view(&r, arg, 0);
	rc = report_json(f, &r);
	report_release(&r);
	return rc;
}

/* The run's envelope as -o json prints it (before masking), parsed. */
static cJSON *
own_envelope(const struct diag *d)
{
	return json_rendered(render_own, d);
}

static char *iso_time(const char *stamp);

void
history_compare(struct diag *d)
{
	const struct options *o = d->opt;
	bool last = o->baseline && strcmp(o->baseline, "last") == 0;
	/* Where history_save() keeps this target's runs. */
	const char *instance = valid_or_dash(o->instance ? o->instance :
	    d->echo_instance, check_instance_id);
	const char *region = valid_or_dash(o->region ? o->region :
	    d->echo_region, check_region);
	struct history_entry e;
	cJSON *base, *own;
	char err[512], *when;

	if (o->baseline == NULL || !d->res.ok)
		return;
	base = history_load(o->baseline, last ? instance : NULL, last ? region :
	    NULL, &e, err, sizeof(err));
	if (base == NULL) {
		warning("--baseline: %s; every issue counts as new", err);
		base = cJSON_CreateObject();
	}
	own = own_envelope(d);
	cJSON_Delete(d->baseline);
	d->baseline = history_diff(base, own);
	when = e.path ? iso_time(e.stamp) : NULL;
	json_add(cJSON_GetObjectItemCaseSensitive(d->baseline, "from"), "time",
	    json_str_or_null(when));
	free(when);
	if (o->fail_on == FAIL_ON_NEW && history_regressed(d->baseline))
		d->outcome = OUTCOME_REGRESSED;
	history_entry_release(&e);
	cJSON_Delete(base);
	cJSON_Delete(own);
}

/* "2026-12-06T04:35:12Z" of a stamp 20261206T043512Z; owned. */
static char *
iso_time(const char *stamp)
{
	return xasprintf("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", stamp, stamp + 4,
	    stamp + 6, stamp + 9, stamp + 11, stamp + 13);
}

/* The number of issues an envelope holds (0 for none or null). */
static int
issue_count(const cJSON *env)
{
	const cJSON *issues = cJSON_GetObjectItemCaseSensitive(env, "issues");

	return cJSON_IsArray(issues) ? cJSON_GetArraySize(issues) : 0;
}

cJSON *
history_list_doc(const char *instance, const char *region, char *err,
    size_t errlen)
{
	struct history h;
	cJSON *doc, *runs;

	if (history_list(&h, instance, region, err, errlen) < 0)
		return NULL;
	doc = cJSON_CreateObject();
	runs = cJSON_CreateArray();
	json_add(doc, "schema_version", cJSON_CreateNumber(1));
	json_add(doc, "ok", cJSON_CreateTrue());
	json_add(doc, "exit_code", cJSON_CreateNumber(0));
	for (size_t i = 0; i < h.n; i++) {
		const struct history_entry *e = &h.e[i];
		cJSON *run = cJSON_CreateObject(), *env;
		char why[512], *when = iso_time(e->stamp);

		/* A file that cannot be read is listed, its fields null. */
		env = read_envelope(e->path, why, sizeof(why));
		json_add(run, "time", cJSON_CreateString(when));
		json_add(run, "task_id", cJSON_CreateString(e->task_id));
		json_add(run, "instance", cJSON_CreateString(e->instance));
		json_add(run, "region", cJSON_CreateString(e->region));
		json_add(run, "outcome", json_str_or_null(json_str(env,
		    "outcome")));
		json_add(run, "overall_status", json_str_or_null(json_str(
		    cJSON_GetObjectItemCaseSensitive(env, "summary"),
		    "overall_status")));
		json_add(run, "issues", env ? cJSON_CreateNumber(issue_count(env))
		    : cJSON_CreateNull());
		json_add(run, "path", cJSON_CreateString(e->path));
		cJSON_AddItemToArray(runs, run);
		cJSON_Delete(env);
		free(when);
	}
	json_add(doc, "history", runs);
	history_release(&h);
	return doc;
}

cJSON *
history_diff_doc(const char *a, const char *b, const char *instance,
    const char *region, char *err, size_t errlen)
{
	struct history_entry ea, eb;
	cJSON *from, *to = NULL, *diff = NULL, *doc;
	char *when;

	if ((from = history_load(a, instance, region, &ea, err, errlen)) ==
	    NULL)
		return NULL;
	if ((to = history_load(b, instance, region, &eb, err, errlen)) == NULL)
		goto out;
	diff = history_diff(from, to);
	doc = cJSON_CreateObject();
	json_add(doc, "schema_version", cJSON_CreateNumber(1));
	json_add(doc, "diff", cJSON_CreateTrue());
	json_add(doc, "ok", cJSON_CreateTrue());
	json_add(doc, "exit_code", cJSON_CreateNumber(0));
	json_add(doc, "instance", cJSON_CreateString(eb.instance));
	json_add(doc, "region", cJSON_CreateString(eb.region));
	when = iso_time(ea.stamp);
	json_add(cJSON_GetObjectItemCaseSensitive(diff, "from"), "time",
	    cJSON_CreateString(when));
	free(when);
	when = iso_time(eb.stamp);
	json_add(cJSON_GetObjectItemCaseSensitive(diff, "to"), "time",
	    cJSON_CreateString(when));
	free(when);
	while (diff->child) {
		cJSON *m = cJSON_DetachItemViaPointer(diff, diff->child);

		cJSON_AddItemToObject(doc, m->string, m);
	}
	cJSON_Delete(diff);
	diff = doc;
	history_entry_release(&eb);
out:
	history_entry_release(&ea);
	cJSON_Delete(from);
	cJSON_Delete(to);
	return diff;
}
