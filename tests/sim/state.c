/*
 * State that outlives one simulated aliyun process: rule use counters, the
 * number of polls per task, the number of invokes, the plugins installed so
 * far and the params of the last invoke.  It is one JSON document,
 * state.json, in the state directory.  Every read-modify-write holds an
 * exclusive flock(2) on the file "lock" beside it, because fleet runs start
 * many simulator processes at once; the document itself is replaced with
 * rename(2), so a reader never sees half of it.  The tasks of
 * task.per_instance, which a fleet makes by the thousand, each have their
 * own small file under tasks/ instead, so that no run reads or rewrites
 * the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

#include "sim.h"

#define STATE_FILE	"state.json"
#define LOCK_FILE	"lock"

/* Create the state directory if needed, take the lock; returns its fd. */
static int
state_lock(const struct sim *s)
{
	char *path;
	int fd;

	if (mkdir_p(s->state_dir, 0700) == -1)
		die("cannot create state directory '%s': %s", s->state_dir,
		    strerror(errno));
	path = path_join(s->state_dir, LOCK_FILE);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1)
		die("cannot open '%s': %s", path, strerror(errno));
	while (flock(fd, LOCK_EX) == -1)
		if (errno != EINTR)
			die("cannot lock '%s': %s", path, strerror(errno));
	free(path);
	return fd;
}

static void
state_unlock(int fd)
{
	(void)flock(fd, LOCK_UN);
	(void)close(fd);
}

/* The state document (a new empty one when there is none); caller frees. */
static cJSON *
state_read(const struct sim *s)
{
	struct sbuf text = SBUF_INIT;
	cJSON *root = NULL;
	char *path;

	path = path_join(s->state_dir, STATE_FILE);
	if (read_file(path, &text) == 0)
		root = cJSON_ParseWithLength(text.buf, text.len);
	sbuf_release(&text);
	free(path);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		root = cJSON_CreateObject();
		if (root == NULL)
			die("out of memory");
	}
	return root;
}

static void
state_write(const struct sim *s, const cJSON *root)
{
	struct sbuf text = SBUF_INIT;
	char *path;

	json_print(&text, root, 2);
	sbuf_addc(&text, '\n');
	path = path_join(s->state_dir, STATE_FILE);
	if (write_file_atomic(path, text.buf, text.len) == -1)
		die("cannot write '%s': %s", path, strerror(errno));
	free(path);
	sbuf_release(&text);
}

/* The object member name of root, created when missing. */
static cJSON *
section(cJSON *root, const char *name)
{
	cJSON *j = cJSON_GetObjectItemCaseSensitive(root, name);

	if (cJSON_IsObject(j))
		return j;
	cJSON_DeleteItemFromObjectCaseSensitive(root, name);
	j = cJSON_AddObjectToObject(root, name);
	if (j == NULL)
		die("out of memory");
	return j;
}

static long
number_of(const cJSON *obj, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(j) ? (long)j->valuedouble : 0;
}

static void
set_number(cJSON *obj, const char *key, double v)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	if (cJSON_AddNumberToObject(obj, key, v) == NULL)
		die("out of memory");
}

/*
 * Use up one answer of the rule with the given key, which may answer times
 * times in all.  Returns 1 when it may answer (and counts it), 0 when it
 * is used up.
 */
int
state_take_rule(const struct sim *s, const char *key, long times)
{
	cJSON *root, *rules;
	long n;
	int fd, ok = 0;

	fd = state_lock(s);
	root = state_read(s);
	rules = section(root, "rules");
	n = number_of(rules, key);
	if (n < times) {
		set_number(rules, key, (double)n + 1);
		state_write(s, root);
		ok = 1;
	}
	cJSON_Delete(root);
	state_unlock(fd);
	return ok;
}

/* Increment counter sec.key; returns its value before the increment. */
long
state_bump(const struct sim *s, const char *sec, const char *key)
{
	cJSON *root, *obj;
	long n;
	int fd;

	fd = state_lock(s);
	root = state_read(s);
	obj = section(root, sec);
	n = number_of(obj, key);
	set_number(obj, key, (double)n + 1);
	state_write(s, root);
	cJSON_Delete(root);
	state_unlock(fd);
	return n;
}

/* Whether flag sec.key is set. */
int
state_flag(const struct sim *s, const char *sec, const char *key)
{
	cJSON *root;
	const cJSON *obj;
	int fd, set;

	fd = state_lock(s);
	root = state_read(s);
	obj = cJSON_GetObjectItemCaseSensitive(root, sec);
	set = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
	cJSON_Delete(root);
	state_unlock(fd);
	return set;
}

void
state_set_flag(const struct sim *s, const char *sec, const char *key)
{
	cJSON *root, *obj;
	int fd;

	fd = state_lock(s);
	root = state_read(s);
	obj = section(root, sec);
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	if (cJSON_AddTrueToObject(obj, key) == NULL)
		die("out of memory");
	state_write(s, root);
	cJSON_Delete(root);
	state_unlock(fd);
}

/* Store a copy of j under key. */
void
state_put_json(const struct sim *s, const char *key, const cJSON *j)
{
	cJSON *root, *dup;
	int fd;

	dup = cJSON_Duplicate(j, 1);
	if (dup == NULL)
		die("out of memory");
	fd = state_lock(s);
	root = state_read(s);
	cJSON_DeleteItemFromObjectCaseSensitive(root, key);
	cJSON_AddItemToObject(root, key, dup);
	state_write(s, root);
	cJSON_Delete(root);
	state_unlock(fd);
}

/* A copy of what is stored under key, or NULL; caller frees. */
cJSON *
state_get_json(const struct sim *s, const char *key)
{
	cJSON *root, *j;
	int fd;

	fd = state_lock(s);
	root = state_read(s);
	j = cJSON_DetachItemFromObjectCaseSensitive(root, key);
	cJSON_Delete(root);
	state_unlock(fd);
	return j;
}

/* Write "<pid>\n" to the file name of the state directory. */
void
state_write_pid(const struct sim *s, const char *name, long pid)
{
	char b[32], *path;
	int n, fd;

	fd = state_lock(s);
	n = snprintf(b, sizeof(b), "%ld\n", pid);
	if (n < 0 || (size_t)n >= sizeof(b))
		die("pid too long");
	path = path_join(s->state_dir, name);
	if (write_file_atomic(path, b, (size_t)n) == -1)
		die("cannot write '%s': %s", path, strerror(errno));
	free(path);
	state_unlock(fd);
}

/*
 * The file name of task id under tasks/: the id itself when it is short
 * and made of [A-Za-z0-9_-], else "~" and a hash of it, so that an id
 * from the command line never names a path.
 */
static char *
task_path(const struct sim *s, const char *id)
{
	struct sbuf name = SBUF_INIT;
	unsigned long long h = 1469598103934665603ULL;
	size_t n = strlen(id), k;
	char *dir, *path;

	if (n > 0 && n <= 64 && strspn(id, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n) {
		sbuf_adds(&name, id);
	} else {
		for (k = 0; k < n; k++) {
			h ^= (unsigned char)id[k];
			h *= 1099511628211ULL;
		}
		sbuf_addf(&name, "~%016llx-%zu", h, n);
	}
	dir = path_join(s->state_dir, "tasks");
	if (mkdir_p(dir, 0700) == -1)
		die("cannot create '%s': %s", dir, strerror(errno));
	path = path_join(dir, name.buf);
	free(dir);
	sbuf_release(&name);
	return path;
}

/*
 * Edit the record of task id (task.per_instance): fn gets the record, an
 * empty object when there is none, under the lock, and returns 1 to have
 * it written back or 0 to leave the file alone.
 */
void
state_task_edit(const struct sim *s, const char *id,
    int (*fn)(cJSON *, void *), void *arg)
{
	struct sbuf text = SBUF_INIT;
	cJSON *rec = NULL;
	char *path;
	int fd;

	fd = state_lock(s);
	path = task_path(s, id);
	if (read_file(path, &text) == 0)
		rec = cJSON_ParseWithLength(text.buf, text.len);
	if (!cJSON_IsObject(rec)) {
		cJSON_Delete(rec);
		if ((rec = cJSON_CreateObject()) == NULL)
			die("out of memory");
	}
	if (fn(rec, arg)) {
		text.len = 0;
		json_print(&text, rec, 0);
		sbuf_addc(&text, '\n');
		if (write_file_atomic(path, text.buf, text.len) == -1)
			die("cannot write '%s': %s", path, strerror(errno));
	}
	cJSON_Delete(rec);
	free(path);
	sbuf_release(&text);
	state_unlock(fd);
}

/* Take the state lock for a caller's own file; returns the fd to release. */
int
state_lock_fd(const struct sim *s)
{
	return state_lock(s);
}

void
state_unlock_fd(int fd)
{
	state_unlock(fd);
}
