/*
 * Step 6: which credentials aliyun will use (a profile from `configure
 * list`, the ALIBABA_CLOUD_* environment, or both), and whether they are
 * complete, before any call that needs them.  Nothing `configure list`
 * prints is ever relayed: some of its cells hold secrets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "configure_list.h"
#include "msg.h"
#include "steps.h"

const char *
env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* AccessKey id and secret in the environment (region not required). */
static bool
env_keys(void)
{
	return env_nonempty("ALIBABA_CLOUD_ACCESS_KEY_ID") &&
	    env_nonempty("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
}

/* Complete environment credentials: keys and a region. */
bool
env_credentials(void)
{
	return env_keys() && env_nonempty("ALIBABA_CLOUD_REGION_ID");
}

/* The profile API calls will use: --profile, the env, else the current. */
static const char *
wanted_profile(const struct diag *d)
{
	const char *p = d->opt->profile;

	if (p == NULL || strcmp(p, "default") == 0) {
		const char *e = env_nonempty("ALIBABACLOUD_PROFILE");

		if (!e)
			e = env_nonempty("ALIBABA_CLOUD_PROFILE");
		if (!e)
			e = env_nonempty("ALICLOUD_PROFILE");
		if (e)
			p = e;
	}
	return p;
}

/* Where the credentials come from, for messages; static or d's. */
const char *
credentials_in_use(const struct diag *d)
{
	static _Thread_local char text[192];
	const char *p = wanted_profile(d);

	if (d->profile_found && d->profile.valid)
		snprintf(text, sizeof(text), "profile '%s'", d->profile.name);
	else if (p)
		snprintf(text, sizeof(text), "profile '%s'", p);
	else if (d->env_credentials)
		snprintf(text, sizeof(text), "the ALIBABA_CLOUD_* environment "
		    "variables");
	else
		snprintf(text, sizeof(text), "the current profile");
	return text;
}

int
step_credentials(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	struct profile_info row, found;
	const char *want = wanted_profile(d), *text, *line;
	bool have = false;
	int rc = 0;

	/* Never relay any of this output: some cells hold secrets. */
	run(d, &r, CMD_CONFIGURE_LIST, NULL);
	if (interrupted(d, &r)) {
		rc = -1;
		goto out;
	}
	if (r.c.timed_out || r.c.too_big) {
		char *why = aliyun_describe(&r);

		/* Only our own description: its output is never relayed. */
		rc = fail(d, r.c.too_big ? OUTCOME_INTERNAL_ERROR :
		    OUTCOME_ENVIRONMENT_ERROR, "aliyun", NULL, NULL,
		    "'aliyun configure list': %s", why);
		free(why);
		goto out;
	}
	text = r.c.status == 0 ? buf_str(&r.c.out) : "";
	for (line = text; *line; ) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (parse_profile_row(line, len, &row) == 0 &&
		    (want ? strcmp(row.name, want) == 0 : row.current)) {
			found = row;
			have = true;
			break;
		}
		line += len + (end ? 1 : 0);
	}
	d->profile_found = have;
	if (have)
		d->profile = found;
	d->env_credentials = env_keys() &&
	    (env_nonempty("ALIBABA_CLOUD_REGION_ID") || (have && found.has_region));
	if (have && found.valid) {
		verbose("using aliyun profile '%s' (%s)", found.name,
		    found.mode[0] ? found.mode : "no credential mode");
		goto out;
	}
	/* Environment credentials fill what the profile lacks. */
	if (d->env_credentials) {
		verbose("using credentials from the environment");
		goto out;
	}
	if (have)
		rc = fail(d, OUTCOME_ACCESS_DENIED, "aliyun", NULL, NULL,
		    "aliyun profile '%s' (%s) is not valid and the environment "
		    "has no complete credentials; fix it with 'aliyun configure "
		    "--profile %s' outside pai-diag", found.name,
		    found.mode[0] ? found.mode : "no credential mode", found.name);
	else if (r.c.status == 0 && want)
		rc = fail(d, OUTCOME_ACCESS_DENIED, "aliyun", NULL, NULL,
		    "aliyun has no profile '%s' and the environment has no "
		    "complete credentials (ALIBABA_CLOUD_ACCESS_KEY_ID, "
		    "ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_REGION_ID)",
		    want);
	else
		rc = fail(d, OUTCOME_ACCESS_DENIED, "aliyun", NULL, NULL,
		    "no valid aliyun profile and no complete environment "
		    "credentials (ALIBABA_CLOUD_ACCESS_KEY_ID, "
		    "ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_REGION_ID); "
		    "run 'aliyun configure' outside pai-diag");
out:
	aliyun_reply_release(&r);
	return rc;
}
