/*
 * AI mode, saved and shared; see aimode.h.  A run is identified by its pid
 * and its start time (from /proc), so a pid reused by another process
 * does not keep a dead run alive.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

#include <cjson/cJSON.h>

#include "aimode.h"
#include "json.h"
#include "msg.h"
#include "signals.h"
#include "state.h"

/* How often a waiting run tries the lock again. */
#define LOCK_RETRY 0.05

int
aimode_parse_show(const char *text, size_t len, struct aimode_state *st)
{
	cJSON *doc = json_parse_output(text, len), *j_on;
	const char *ua;

	memset(st, 0, sizeof(*st));
	j_on = json_get(doc, "enabled");
	if (!cJSON_IsBool(j_on)) {
		cJSON_Delete(doc);
		return -1;
	}
	st->enabled = cJSON_IsTrue(j_on);
	ua = json_str(doc, "user_agent");
	if (ua && *ua)
		st->user_agent = xstrdup(ua);
	cJSON_Delete(doc);
	return 0;
}

/* The start time of a process (clock ticks since boot), or 0. */
static unsigned long long
start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* After "pid (comm)": state is field 3, starttime field 22. */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	for (int field = 2; field < 22; field++)
		if ((p = strchr(p + 1, ' ')) == NULL)
			return 0;
	t = strtoull(p + 1, NULL, 10);
	return t;
}

static bool
alive(pid_t pid, double started)
{
	unsigned long long t;

	if (pid <= 0 || (kill(pid, 0) < 0 && errno != EPERM))
		return false;
	t = start_time(pid);
	return t == 0 || started == 0 || (double)t == started;
}

/* A name for the configuration directory: FNV-1a of its path. */
static char *
register_name(const char *config_dir)
{
	unsigned long long h = 14695981039346656037ULL;

	for (const unsigned char *p = (const unsigned char *)config_dir; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return xasprintf("ai-mode-%016llx.json", h);
}

int
aimode_lock(struct aimode *m, const char *config_dir, double timeout)
{
	double give_up = timeout >= 0 ? mono_now() + timeout : 0;
	char *lock;
	int seen = signals_count();

	if (m->dir == NULL) {
		if ((m->dir = state_dir(true)) == NULL)
			return 0;
		m->name = register_name(config_dir);
	}
	lock = xasprintf("%s/%s.lock", m->dir, m->name);
	m->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	free(lock);
	if (m->lock_fd < 0)
		goto fail;
	/* flock() would block past a signal: try, then sleep a little. */
	while (flock(m->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			goto fail;
		if (signals_count() > seen) {
			errno = EINTR;
			goto fail;
		}
		if (give_up && mono_now() >= give_up) {
			errno = ETIMEDOUT;
			goto fail;
		}
		signals_poll(NULL, 0, LOCK_RETRY);
	}
	return 0;
fail:
	if (m->lock_fd >= 0) {
		int saved = errno;

		close(m->lock_fd);
		errno = saved;
	}
	m->lock_fd = -1;
	return -1;
}

void
aimode_unlock(struct aimode *m)
{
	if (m->lock_fd >= 0)
		close(m->lock_fd);	/* releases the flock */
	m->lock_fd = -1;
}

/*
 * The register's live runs other than this one, as a new array (owned);
 * fills m->saved when the register holds it.
 */
static cJSON *
live_others(struct aimode *m)
{
	cJSON *reg = m->dir ? state_read(m->dir, m->name) : NULL;
	cJSON *runs = cJSON_CreateArray(), *j_run;
	const cJSON *j_saved = json_obj(reg, "saved"), *j_on;

	if (runs == NULL)
		die("out of memory");
	j_on = json_get(j_saved, "enabled");
	if (cJSON_IsBool(j_on) && !m->saved_known) {
		const char *ua = json_str(j_saved, "user_agent");

		aimode_state_release(&m->saved);
		m->saved.enabled = cJSON_IsTrue(j_on);
		m->saved.user_agent = ua && *ua ? xstrdup(ua) : NULL;
		m->saved_known = true;
	}
	cJSON_ArrayForEach(j_run, json_arr(reg, "runs")) {
		double pid = 0, started = 0;

		json_num(j_run, "pid", &pid);
		json_num(j_run, "start", &started);
		if ((pid_t)pid == getpid() || !alive((pid_t)pid, started))
			continue;
		cJSON_AddItemToArray(runs, cJSON_Duplicate(j_run, true));
	}
	cJSON_Delete(reg);
	return runs;
}

int
aimode_others(struct aimode *m)
{
	cJSON *runs = live_others(m);
	int n = cJSON_GetArraySize(runs);

	cJSON_Delete(runs);
	return n;
}

/* Writes the register: what the user had, and these runs (taken). */
static int
write_register(struct aimode *m, cJSON *runs)
{
	cJSON *reg = cJSON_CreateObject(), *saved = cJSON_CreateObject();
	char *text;
	int rc;

	json_add(saved, "enabled", cJSON_CreateBool(m->saved.enabled));
	json_add(saved, "user_agent", json_str_or_null(m->saved.user_agent));
	json_add(reg, "saved", saved);
	json_add(reg, "runs", runs);
	if ((text = cJSON_Print(reg)) == NULL)
		die("out of memory");
	rc = state_write(m->dir, m->name, text);
	cJSON_free(text);
	cJSON_Delete(reg);
	return rc;
}

int
aimode_join(struct aimode *m, const struct aimode_state *st)
{
	cJSON *runs, *me;

	if (m->dir == NULL)
		return 0;
	runs = live_others(m);
	if (!m->saved_known) {
		m->saved.enabled = st->enabled;
		m->saved.user_agent = st->user_agent ?
		    xstrdup(st->user_agent) : NULL;
		m->saved_known = true;
	}
	me = cJSON_CreateObject();
	json_add(me, "pid", cJSON_CreateNumber((double)getpid()));
	json_add(me, "start", cJSON_CreateNumber((double)start_time(getpid())));
	cJSON_AddItemToArray(runs, me);
	if (write_register(m, runs) < 0) {
		warning("cannot record this run in '%s/%s': %s; AI mode is "
		    "not shared with other pai-diag runs", m->dir, m->name,
		    strerror(errno));
		return -1;
	}
	m->joined = true;
	return 0;
}

int
aimode_leave(struct aimode *m, bool restored)
{
	cJSON *runs;
	int n;

	if (m->dir == NULL)
		return 0;
	runs = live_others(m);
	n = cJSON_GetArraySize(runs);
	m->joined = false;
	if (n == 0 && restored) {
		char *file = xasprintf("%s/%s", m->dir, m->name);

		cJSON_Delete(runs);
		if (unlink(file) < 0 && errno != ENOENT)
			warning("cannot remove '%s': %s", file, strerror(errno));
		free(file);
		return 0;
	}
	if (m->saved_known)
		write_register(m, runs);
	else
		cJSON_Delete(runs);
	return n;
}

void
aimode_state_release(struct aimode_state *st)
{
	free(st->user_agent);
	st->user_agent = NULL;
}

void
aimode_release(struct aimode *m)
{
	aimode_unlock(m);
	aimode_state_release(&m->saved);
	free(m->dir);
	free(m->name);
	m->dir = m->name = NULL;
}
