/*
 * The CLI's configuration, $HOME/.aliyun/config.json, and everything that
 * reads it: the table of "configure list", the validation that "configure
 * set" runs first, "configure get" (which prints the secret, the reason
 * pai-diag must never run it) and the profile gate in front of every
 * business command.  The rules follow aliyun-facts.md section 1.2: list and
 * set see only the file; API calls pick the profile from --profile, the
 * profile environment variables or the file's current profile, and let the
 * credential environment variables fill the fields the profile leaves empty.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim.h"

static const char *const list_flags[] = { "--profile", NULL };
static const char *const set_flags[] = {
	"--auto-plugin-install", "--profile", NULL
};
static const char *const get_flags[] = { "--profile", NULL };

/* What each credential mode needs besides a region; aliyun-facts.md 1.2. */
struct mode_need {
	const char	*mode;
	int		 ak;		/* access_key_id and access_key_secret */
	const char	*fields[4];
};

static const struct mode_need needs[] = {
	{ "AK", 1, { NULL } },
	{ "StsToken", 1, { "sts_token", NULL } },
	{ "RamRoleArn", 1, { "ram_role_arn", "ram_session_name", NULL } },
	{ "EcsRamRole", 0, { NULL } },
	{ "RamRoleArnWithEcs", 0, { "ram_role_arn", NULL } },
	{ "RsaKeyPair", 0, { "private_key", "key_pair_name", NULL } },
	{ "External", 0, { "process_command", NULL } },
	{ "CredentialsURI", 0, { "credentials_uri", NULL } },
	{ "ChainableRamRoleArn", 0, { "source_profile", "ram_role_arn",
	    NULL } },
	{ "OIDC", 0, { "oidc_provider_arn", "oidc_token_file",
	    "ram_role_arn" } },
	{ "CloudSSO", 0, { "cloud_sso_sign_in_url", "cloud_sso_access_config",
	    "cloud_sso_account_id" } },
	{ NULL, 0, { NULL } }
};

/*
 * Load config.json.  Returns 0 (s->config NULL when there is no file), or
 * -1 when the file cannot be used: the 3.4.11 "load current configuration
 * failed" case, which the scenario can also force.
 */
int
config_load(struct sim *s)
{
	struct sbuf text = SBUF_INIT;
	struct stat st;
	int rc = 0;

	if (s->sc.corrupt_config)
		return -1;
	if (stat(s->config_path, &st) == -1 && errno == ENOENT)
		return 0;
	if (read_file(s->config_path, &text) == -1)
		rc = -1;
	else
		s->config = cJSON_ParseWithLength(text.buf, text.len);
	if (rc == 0 && !cJSON_IsObject(s->config))
		rc = -1;
	sbuf_release(&text);
	return rc;
}

/* A string member of a profile, "" when absent. */
const char *
prof_str(const cJSON *p, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(p, key);

	return cJSON_IsString(j) && j->valuestring ? j->valuestring : "";
}

/* The name of the file's current profile ("default" without a file). */
const char *
config_current(const struct sim *s)
{
	const char *cur = prof_str(s->config, "current");

	return cur[0] != '\0' ? cur : "default";
}

static cJSON *
find_profile(cJSON *config, const char *name)
{
	cJSON *p, *profiles;

	profiles = cJSON_GetObjectItemCaseSensitive(config, "profiles");
	cJSON_ArrayForEach(p, profiles)
		if (strcmp(prof_str(p, "name"), name) == 0)
			return p;
	return NULL;
}

/* The profile called name in the file, or NULL; borrowed. */
const cJSON *
config_profile(const struct sim *s, const char *name)
{
	return find_profile(s->config, name);
}

static int
region_ok(const char *r)
{
	return strspn(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-") == strlen(r);
}

/*
 * Why profile p is not valid, in the CLI's order: region, region syntax,
 * mode, the mode's fields.  Appends the reason to why and returns 1, or
 * returns 0 for a valid profile.
 */
static int
profile_invalid(const cJSON *p, struct sbuf *why)
{
	const char *region = prof_str(p, "region_id");
	const char *mode = prof_str(p, "mode");
	const char *name = prof_str(p, "name");
	const struct mode_need *m;
	size_t i;

	if (region[0] == '\0') {
		sbuf_adds(why, "region can't be empty");
		return 1;
	}
	if (!region_ok(region)) {
		sbuf_addf(why, "invalid region %s", region);
		return 1;
	}
	if (mode[0] == '\0') {
		sbuf_addf(why, "profile %s is not configure yet, run `aliyun "
		    "configure --profile %s` first", name, name);
		return 1;
	}
	for (m = needs; m->mode != NULL; m++)
		if (strcmp(m->mode, mode) == 0)
			break;
	if (m->mode == NULL) {
		sbuf_addf(why, "invalid mode: %s", mode);
		return 1;
	}
	if (m->ak && prof_str(p, "access_key_id")[0] == '\0') {
		sbuf_adds(why, "invalid access_key_id: ");
		return 1;
	}
	if (m->ak && prof_str(p, "access_key_secret")[0] == '\0') {
		sbuf_adds(why, "invalid access_key_secret: ");
		return 1;
	}
	for (i = 0; i < 4 && m->fields[i] != NULL; i++) {
		if (prof_str(p, m->fields[i])[0] == '\0') {
			sbuf_addf(why, "invalid %s", m->fields[i]);
			return 1;
		}
	}
	return 0;
}

/* The last three characters of v, or one '*' per character when shorter. */
static void
last_n(struct sbuf *sb, const char *v, size_t n)
{
	size_t len = strlen(v), i;

	if (len <= n) {
		for (i = 0; i < len; i++)
			sbuf_addc(sb, '*');
		return;
	}
	sbuf_adds(sb, v + len - n);
}

/* The Credential cell of configure list; aliyun-facts.md 1.2. */
static void
credential_cell(struct sbuf *sb, const cJSON *p)
{
	const char *mode = prof_str(p, "mode");
	const char *ak = prof_str(p, "access_key_id");

	if (strcmp(mode, "AK") == 0 || strcmp(mode, "StsToken") == 0) {
		sbuf_addf(sb, "%s:***", mode);
		last_n(sb, ak, 3);
	} else if (strcmp(mode, "RamRoleArn") == 0) {
		sbuf_adds(sb, "RamRoleArn:***");
		last_n(sb, ak, 3);
		if (prof_str(p, "external_id")[0] != '\0') {
			sbuf_addc(sb, ':');
			last_n(sb, prof_str(p, "external_id"), 3);
		}
	} else if (strcmp(mode, "RamRoleArnWithEcs") == 0) {
		sbuf_adds(sb, "arn:***");
		last_n(sb, prof_str(p, "ram_role_arn"), 3);
	} else if (strcmp(mode, "EcsRamRole") == 0) {
		sbuf_addf(sb, "EcsRamRole:%s", prof_str(p, "ram_role_name"));
	} else if (strcmp(mode, "RsaKeyPair") == 0) {
		sbuf_addf(sb, "RsaKeyPair:%s", prof_str(p, "key_pair_name"));
	} else if (strcmp(mode, "ChainableRamRoleArn") == 0) {
		sbuf_addf(sb, "ChainableRamRoleArn:%s:%s",
		    prof_str(p, "source_profile"), prof_str(p, "ram_role_arn"));
	} else if (strcmp(mode, "External") == 0) {
		sbuf_addf(sb, "ProcessCommand:%s",
		    prof_str(p, "process_command"));
	} else if (strcmp(mode, "CredentialsURI") == 0) {
		sbuf_addf(sb, "CredentialsURI:%s",
		    prof_str(p, "credentials_uri"));
	} else if (strcmp(mode, "OIDC") == 0) {
		sbuf_adds(sb, "OIDC:***");
		last_n(sb, prof_str(p, "oidc_provider_arn"), 5);
		sbuf_adds(sb, "@***");
		last_n(sb, prof_str(p, "oidc_token_file"), 5);
		sbuf_addf(sb, "@%s", prof_str(p, "ram_role_arn"));
	} else if (strcmp(mode, "CloudSSO") == 0) {
		sbuf_addf(sb, "CloudSSO:%s@%s",
		    prof_str(p, "cloud_sso_account_id"),
		    prof_str(p, "cloud_sso_access_config"));
	}
}

#define NCOLS	5

/* Width of a cell in runes, as Go's tabwriter counts it. */
static size_t
runes(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * Lay rows out like Go's tabwriter with minwidth 8 and padding 1: every
 * column but the last is as wide as its widest cell plus one, at least 8.
 */
static void
tabwrite(struct sbuf *out, char *(*rows)[NCOLS], size_t nrows)
{
	size_t width[NCOLS - 1], r, c, w;

	for (c = 0; c < NCOLS - 1; c++) {
		width[c] = 8;
		for (r = 0; r < nrows; r++) {
			w = runes(rows[r][c]) + 1;
			if (w > width[c])
				width[c] = w;
		}
	}
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < NCOLS - 1; c++) {
			sbuf_adds(out, rows[r][c]);
			for (w = runes(rows[r][c]); w < width[c]; w++)
				sbuf_addc(out, ' ');
		}
		sbuf_adds(out, rows[r][NCOLS - 1]);
		sbuf_addc(out, '\n');
	}
}

static void
list_row(char **row, const cJSON *p, const char *current)
{
	struct sbuf sb = SBUF_INIT, why = SBUF_INIT;
	const char *name = prof_str(p, "name");

	sbuf_adds(&sb, name);
	if (strcmp(name, current) == 0)
		sbuf_adds(&sb, " *");
	row[0] = sbuf_detach(&sb);
	sbuf_adds(&sb, "| ");
	credential_cell(&sb, p);
	row[1] = sbuf_detach(&sb);
	sbuf_adds(&sb, profile_invalid(p, &why) ? "| Invalid" : "| Valid");
	row[2] = sbuf_detach(&sb);
	sbuf_addf(&sb, "| %s", prof_str(p, "region_id"));
	row[3] = sbuf_detach(&sb);
	sbuf_addf(&sb, "| %s", prof_str(p, "language"));
	row[4] = sbuf_detach(&sb);
	sbuf_release(&why);
}

/* configure list: the profiles of the file, in file order. */
int
cmd_configure_list(struct sim *s)
{
	static const char *const head[2][NCOLS] = {
		{ "Profile", "| Credential ", "| Valid", "| Region",
		    "| Language" },
		{ "---------", "| ------------------", "| -------",
		    "| ----------------", "| --------" }
	};
	struct sbuf out = SBUF_INIT;
	char *(*rows)[NCOLS];
	const cJSON *p, *profiles;
	const char *bad;
	size_t n, r, c;

	if ((bad = args_check(&s->args, list_flags, NULL)) != NULL)
		return invalid_flag(s, bad, list_flags);
	if (s->config == NULL) {
		host_error(s, tr(s, "load configure failed: stat %s: no such "
		    "file or directory", "加载配置失败：stat %s：文件不存在"),
		    s->config_path);
		return 1;
	}
	profiles = cJSON_GetObjectItemCaseSensitive(s->config, "profiles");
	n = 2 + (size_t)cJSON_GetArraySize(profiles);
	rows = xcalloc(n, sizeof(*rows));
	for (r = 0; r < 2; r++)
		for (c = 0; c < NCOLS; c++)
			rows[r][c] = xstrdup(head[r][c]);
	r = 2;
	cJSON_ArrayForEach(p, profiles)
		list_row(rows[r++], p, config_current(s));
	tabwrite(&out, rows, r);
	(void)out_write(1, out.buf, out.len);
	for (r = 0; r < n; r++)
		for (c = 0; c < NCOLS; c++)
			free(rows[r][c]);
	free(rows);
	sbuf_release(&out);
	return 0;
}

/* Write s->config back, tab-indented as the Go CLI writes it. */
static int
config_save(struct sim *s)
{
	char *text;
	int rc;

	text = cJSON_Print(s->config);
	if (text == NULL)
		die("out of memory");
	rc = write_file_atomic(s->config_path, text, strlen(text));
	cJSON_free(text);
	return rc;
}

/*
 * configure set --auto-plugin-install BOOL [--profile NAME]: validates the
 * profile as the file has it, then stores the flag on it.
 */
int
cmd_configure_set(struct sim *s)
{
	struct sbuf why = SBUF_INIT;
	const char *bad, *name, *v;
	cJSON *p, *empty = NULL;
	int present, rc = 1, on;

	if ((bad = args_check(&s->args, set_flags, NULL)) != NULL)
		return invalid_flag(s, bad, set_flags);
	v = args_get(&s->args, "--auto-plugin-install", &present);
	if (present && (v == NULL || (strcmp(v, "true") != 0 &&
	    strcmp(v, "false") != 0))) {
		host_error(s, tr(s, "invalid value for --auto-plugin-install: "
		    "%s", "--auto-plugin-install 的值无效：%s"), v ? v : "");
		return 1;
	}
	on = present && strcmp(v, "true") == 0;
	name = args_get(&s->args, "--profile", NULL);
	if (name == NULL || name[0] == '\0')
		name = config_current(s);
	p = find_profile(s->config, name);
	if (p == NULL) {
		/* a new, empty profile: it fails the region check */
		empty = cJSON_CreateObject();
		if (empty == NULL || cJSON_AddStringToObject(empty, "name",
		    name) == NULL)
			die("out of memory");
		p = empty;
	}
	if (profile_invalid(p, &why)) {
		host_error(s, tr(s, "fail to set configuration: %s",
		    "设置配置失败：%s"), why.buf);
		goto out;
	}
	if (present) {
		cJSON_DeleteItemFromObjectCaseSensitive(p,
		    "auto_plugin_install");
		if (cJSON_AddBoolToObject(p, "auto_plugin_install", on) ==
		    NULL)
			die("out of memory");
		if (config_save(s) == -1) {
			host_error(s, "fail to set configuration: write %s: "
			    "%s", s->config_path, strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	cJSON_Delete(empty);
	sbuf_release(&why);
	return rc;
}

/* configure get: the whole profile, secret included, as the CLI does. */
int
cmd_configure_get(struct sim *s)
{
	const char *bad, *name;
	const cJSON *p;
	cJSON *empty = NULL;
	char *text;

	if ((bad = args_check(&s->args, get_flags, NULL)) != NULL)
		return invalid_flag(s, bad, get_flags);
	name = args_get(&s->args, "--profile", NULL);
	if (name == NULL || name[0] == '\0')
		name = config_current(s);
	p = config_profile(s, name);
	if (p == NULL) {
		empty = cJSON_CreateObject();
		if (empty == NULL || cJSON_AddStringToObject(empty, "name",
		    name) == NULL)
			die("out of memory");
		p = empty;
	}
	text = cJSON_Print(p);
	if (text == NULL)
		die("out of memory");
	out_printf(1, "%s\n", text);
	cJSON_free(text);
	cJSON_Delete(empty);
	return 0;
}

static const char *
env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* The field of p, or the environment variable when the field is empty. */
static const char *
field_or_env(const cJSON *p, const char *key, const char *env)
{
	const char *v = prof_str(p, key);

	if (v[0] == '\0' && env_nonempty(env) != NULL)
		return env_nonempty(env);
	return v;
}

/* The profile name an API call uses: flag, environment, current. */
static const char *
gate_profile_name(const struct sim *s)
{
	static const char *const envs[] = {
		"ALIBABACLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE",
		"ALICLOUD_PROFILE", NULL
	};
	const char *flag, *v;
	size_t i;

	flag = args_get(&s->args, "--profile", NULL);
	if (flag != NULL && flag[0] != '\0' && strcmp(flag, "default") != 0)
		return flag;
	for (i = 0; envs[i] != NULL; i++)
		if ((v = env_nonempty(envs[i])) != NULL)
			return v;
	if (flag != NULL && flag[0] != '\0')
		return flag;
	return config_current(s);
}

static int
gate_fail(const struct sim *s, const char *reason)
{
	host_error(s, "%s", reason);
	host_tip(s, "%s", tr(s, "Configuration failed, use `aliyun configure` "
	    "to configure it", "配置失败，请使用 `aliyun configure` 进行配置"));
	return 3;
}

/*
 * The host's check before a plugin runs.  Returns 0 with g filled, or the
 * exit code (3) after printing the error and its tip.
 */
int
gate_check(struct sim *s, struct gate *g)
{
	struct sbuf why = SBUF_INIT;
	const char *name, *region, *mode, *ak, *secret, *flag;
	const cJSON *p;
	int rc;

	memset(g, 0, sizeof(*g));
	name = gate_profile_name(s);
	p = config_profile(s, name);
	if (p == NULL && (s->config != NULL || strcmp(name, "default") != 0)) {
		sbuf_addf(&why, tr(s, "unknown profile %s, run configure to "
		    "check", "未知的配置 %s，请运行 configure 检查"), name);
		rc = gate_fail(s, why.buf);
		sbuf_release(&why);
		return rc;
	}
	region = field_or_env(p, "region_id", "ALIBABA_CLOUD_REGION_ID");
	flag = args_get(&s->args, "--region", NULL);
	if (flag != NULL && flag[0] != '\0')
		region = flag;
	ak = field_or_env(p, "access_key_id", "ALIBABA_CLOUD_ACCESS_KEY_ID");
	secret = field_or_env(p, "access_key_secret",
	    "ALIBABA_CLOUD_ACCESS_KEY_SECRET");
	mode = prof_str(p, "mode");
	if (region[0] == '\0')
		return gate_fail(s, tr(s, "region can't be empty",
		    "region 不能为空"));
	if (!region_ok(region)) {
		sbuf_addf(&why, tr(s, "invalid region %s", "无效的地域 %s"),
		    region);
		rc = gate_fail(s, why.buf);
		sbuf_release(&why);
		return rc;
	}
	if ((mode[0] == '\0' || strcmp(mode, "AK") == 0 ||
	    strcmp(mode, "StsToken") == 0 || strcmp(mode, "RamRoleArn") == 0)
	    && (ak[0] == '\0' || secret[0] == '\0'))
		return gate_fail(s, tr(s, "AccessKeyId/AccessKeySecret is "
		    "empty! run configure to check",
		    "AccessKeyId/AccessKeySecret 为空！请运行 configure 检查"));
	g->name = xstrdup(name);
	g->region = xstrdup(region);
	g->auto_plugin_install = cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(p, "auto_plugin_install"));
	return 0;
}

void
gate_release(struct gate *g)
{
	free(g->name);
	free(g->region);
	g->name = g->region = NULL;
}
