/*
 * The plugin-update record; see state.h.  The executable's identity is
 * part of the record because a new aliyun (an upgrade, another install)
 * may come with other plugins.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "fdio.h"
#include "json.h"
#include "msg.h"
#include "state.h"

#define RECORD "plugin-update.json"

char *
state_dir(bool create)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir, *parent;

	if (xdg && *xdg == '/')
		dir = xasprintf("%s/pai-diag", xdg);
	else if (home && *home)
		dir = xasprintf("%s/.local/state/pai-diag", home);
	else
		return NULL;
	if (!create)
		return dir;
	/* The parents as usual, our own directory private. */
	for (char *p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			*p = '/';
			goto fail;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		goto fail;
	return dir;
fail:
	parent = xstrdup(strerror(errno));
	warning("cannot create the state directory '%s': %s", dir, parent);
	free(parent);
	free(dir);
	return NULL;
}

/*
 * The executable's identity.  Whole numbers only: they survive the trip
 * through JSON doubles exactly (a fractional mtime would not).
 */
static int
identity(const char *path, double id[3])
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	id[0] = (double)st.st_size;
	id[1] = (double)st.st_mtim.tv_sec;
	id[2] = (double)st.st_mtim.tv_nsec;
	return 0;
}

bool
state_plugin_update_fresh(const char *aliyun_path, time_t now)
{
	char *dir = state_dir(false);
	double id[3], rid[3], at;
	const char *rpath;
	cJSON *rec = NULL;
	bool fresh = false;

	if (dir == NULL || identity(aliyun_path, id) < 0 ||
	    (rec = state_read(dir, RECORD)) == NULL)
		goto out;
	rpath = json_str(rec, "aliyun_path");
	if (rpath == NULL || !json_num(rec, "size", &rid[0]) ||
	    !json_num(rec, "mtime", &rid[1]) ||
	    !json_num(rec, "mtime_nsec", &rid[2]) ||
	    !json_num(rec, "updated_at", &at)) {
		warning("ignoring the corrupt state file '%s/%s'", dir, RECORD);
		goto out;
	}
	fresh = strcmp(rpath, aliyun_path) == 0 && rid[0] == id[0] &&
	    rid[1] == id[1] && rid[2] == id[2] && at <= (double)now &&
	    (double)now - at < PLUGIN_UPDATE_MAX_AGE;
out:
	cJSON_Delete(rec);
	free(dir);
	return fresh;
}

int
state_write(const char *dir, const char *name, const char *text)
{
	char *file = xasprintf("%s/%s", dir, name);
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	size_t len = strlen(text);
	int fd, rc = -1, saved;

	if ((fd = mkstemp(tmp)) < 0)
		goto out;
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, file) < 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto out;
	}
	rc = 0;
out:
	saved = errno;
	free(file);
	free(tmp);
	errno = saved;
	return rc;
}

cJSON *
state_read(const char *dir, const char *name)
{
	char *file = xasprintf("%s/%s", dir, name);
	struct buf b = BUF_INIT;
	struct stat st;
	cJSON *doc = NULL;
	int fd;

	/* Never blocks: a FIFO or a device there is not a record. */
	if ((fd = fdio_open_read(file, &st)) < 0)
		goto out;
	if (!S_ISREG(st.st_mode))
		warning("ignoring the state file '%s': not a regular file", file);
	else if (fdio_read_all(fd, &b, 1 << 16) == 0 &&
	    (doc = cJSON_ParseWithLength(buf_str(&b), b.len)) == NULL)
		warning("ignoring the corrupt state file '%s'", file);
	close(fd);
out:
	buf_release(&b);
	free(file);
	return doc;
}

int
state_plugin_update_record(const char *aliyun_path, time_t now)
{
	char *dir = state_dir(true), *text = NULL;
	double id[3];
	cJSON *rec = NULL;
	int rc = -1;

	if (dir == NULL || identity(aliyun_path, id) < 0)
		goto out;
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "aliyun_path", aliyun_path);
	cJSON_AddNumberToObject(rec, "size", id[0]);
	cJSON_AddNumberToObject(rec, "mtime", id[1]);
	cJSON_AddNumberToObject(rec, "mtime_nsec", id[2]);
	cJSON_AddNumberToObject(rec, "updated_at", (double)now);
	if ((text = cJSON_Print(rec)) == NULL)
		die("out of memory");
	if ((rc = state_write(dir, RECORD, text)) < 0)
		warning("cannot record the plugin update in '%s': %s", dir,
		    strerror(errno));
out:
	cJSON_free(text);
	cJSON_Delete(rec);
	free(dir);
	return rc;
}
