/*
 * Secrets known by value.  Masking by pattern hides what looks like a
 * credential; this module tells masking the credentials pai-diag actually
 * has, so that they are hidden however they turn up: in a plugin's stack
 * trace, base64-encoded in a header, broken across two lines.  They come
 * from the environment aliyun reads and from aliyun's configuration file.
 * The file is opened without blocking (a FIFO in its place must not hang
 * pai-diag), read whole, parsed, and wiped from memory; nothing of it is
 * printed, and only the masking set keeps its values.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "msg.h"
#include "redact.h"
#include "secrets.h"

#define CONFIG_MAX (4 << 20)

/* Environment variables: an AccessKey id and its secret. */
static const struct {
	const char *id, *secret;
} env_pairs[] = {
	{ "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET" },
	{ "ALIBABACLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_SECRET" },
	{ "ALICLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY_SECRET" },
	{ "ACCESS_KEY_ID", "ACCESS_KEY_SECRET" },
	{ "ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY" },
	{ "ALIBABA_CLOUD_CMS_ACCESS_KEY_ID",
	    "ALIBABA_CLOUD_CMS_ACCESS_KEY_SECRET" },
};

/* Environment variables holding a secret alone. */
static const char *const env_values[] = {
	"ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABACLOUD_SECURITY_TOKEN",
	"ALICLOUD_SECURITY_TOKEN", "SECURITY_TOKEN",
	"ALIBABA_CLOUD_BEARER_TOKEN",
};

/* The secret fields of a profile of ~/.aliyun/config.json. */
static const char *const profile_values[] = {
	"sts_token", "private_key", "access_token", "oauth_access_token",
	"oauth_refresh_token", "bearer_token", "external_id",
};

static void
load_env(void)
{
	for (size_t i = 0; i < sizeof(env_pairs) / sizeof(*env_pairs); i++)
		redact_add_secret_pair(getenv(env_pairs[i].id),
		    getenv(env_pairs[i].secret));
	for (size_t i = 0; i < sizeof(env_values) / sizeof(*env_values); i++)
		redact_add_secret(getenv(env_values[i]));
}

/*
 * The contents of a regular file of at most CONFIG_MAX bytes (owned,
 * NUL-terminated, *size bytes, of which *used bytes with the NUL are
 * written and must be wiped), or NULL.  Only what was read is touched: a
 * wipe of the whole buffer would fault in a 4 MiB mapping on every run.
 */
static char *
read_config(const char *path, size_t *size, size_t *used)
{
	struct stat st;
	char *data = NULL;
	size_t n = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > CONFIG_MAX)
		goto out;
	/* One more byte than allowed, to see a file that grew past it. */
	data = xmalloc(CONFIG_MAX + 2);
	while (n < CONFIG_MAX + 1) {
		ssize_t r = read(fd, data + n, CONFIG_MAX + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (n > CONFIG_MAX) {
		explicit_bzero(data, n);
		free(data);
		data = NULL;
		goto out;
	}
	data[n] = '\0';
	*size = n;
	*used = n + 1;
out:
	close(fd);
	return data;
}

/* Wipes the strings of a tree before it is freed. */
static void
wipe_tree(cJSON *j)
{
	cJSON *j_child;

	if (cJSON_IsString(j) && j->valuestring)
		explicit_bzero(j->valuestring, strlen(j->valuestring));
	cJSON_ArrayForEach(j_child, j)
		wipe_tree(j_child);
}

static const char *
str_field(const cJSON *j, const char *key)
{
	const cJSON *j_v = cJSON_GetObjectItemCaseSensitive(j, key);

	return cJSON_IsString(j_v) ? j_v->valuestring : NULL;
}

static void
load_config(void)
{
	const char *home = getenv("HOME");
	char path[PATH_MAX], *data;
	size_t size = 0, used = 0;
	const cJSON *j_profiles, *j_profile;
	cJSON *root;
	int n;

	if (home == NULL || *home == '\0')
		return;
	n = snprintf(path, sizeof(path), "%s/.aliyun/config.json", home);
	if (n < 0 || (size_t)n >= sizeof(path))
		return;
	if ((data = read_config(path, &size, &used)) == NULL)
		return;
	root = cJSON_ParseWithLength(data, size);
	explicit_bzero(data, used);
	free(data);
	if (root == NULL)
		return;
	j_profiles = cJSON_GetObjectItemCaseSensitive(root, "profiles");
	if (!cJSON_IsArray(j_profiles))
		j_profiles = NULL;
	cJSON_ArrayForEach(j_profile, j_profiles) {
		if (!cJSON_IsObject(j_profile))
			continue;
		redact_add_secret_pair(str_field(j_profile, "access_key_id"),
		    str_field(j_profile, "access_key_secret"));
		for (size_t i = 0; i < sizeof(profile_values) /
		    sizeof(*profile_values); i++)
			redact_add_secret(str_field(j_profile,
			    profile_values[i]));
	}
	wipe_tree(root);
	cJSON_Delete(root);
}

void
secrets_load(void)
{
	load_env();
	load_config();
}
