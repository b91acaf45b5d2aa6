/*
 * The diagnosis workflow.  The steps table below is the whole ritual on one
 * screen: each step is a function that runs one aliyun command (or a few),
 * reads the reply, and either lets the run go on (0) or ends it (-1) after
 * recording the outcome and the error.  The final ai-mode disable is not a
 * step: it runs after the table on every path on which ai-mode enable
 * succeeded.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aimode.h"
#include "aliyun.h"
#include "buf.h"
#include "commands.h"
#include "json.h"
#include "msg.h"
#include "signals.h"
#include "params.h"
#include "redact.h"
#include "resume.h"
#include "state.h"
#include "workflow.h"

#define DISABLE_TIMEOUT 10.0
#define MAX_INVOKES 3
#define MAX_FAILED_POLLS 3
#define MAX_EAS_PAGES 50
#define RAM_DOC "references/ram-policies.md"

enum step_flags {
	SETUP = 1,	/* changes the user's aliyun configuration */
	TARGET = 2,	/* validates and starts a task; not with --task-id */
	PHASE_SETUP = 4,	/* once per run, whatever the targets */
	PHASE_TARGET = 8,	/* once per target */
};

struct step {
	const char *name;	/* progress line; NULL: the step says more */
	int (*fn)(struct diag *d);
	unsigned flags;
	enum cmd_id cmd;	/* the command it runs, for the dry-run plan */
};

static int step_ai_mode(struct diag *d);
static int step_user_agent(struct diag *d);
static int step_plugin_update(struct diag *d);
static int step_version(struct diag *d);
static int step_auto_install(struct diag *d);
static int step_credentials(struct diag *d);
static int step_initial_sysom(struct diag *d);
static int step_validate(struct diag *d);
static int step_invoke(struct diag *d);
static int step_poll(struct diag *d);

static const struct step steps[] = {
	{ "enabling aliyun AI mode", step_ai_mode, SETUP | PHASE_SETUP,
	    CMD_AI_MODE_ENABLE },
	{ "setting the user agent", step_user_agent, SETUP | PHASE_SETUP,
	    CMD_SET_USER_AGENT },
	{ "updating aliyun plugins", step_plugin_update, SETUP | PHASE_SETUP,
	    CMD_PLUGIN_UPDATE },
	{ "checking the aliyun version", step_version, PHASE_SETUP,
	    CMD_VERSION },
	{ "enabling plugin auto-install", step_auto_install,
	    SETUP | PHASE_SETUP, CMD_AUTO_PLUGIN_INSTALL },
	{ "checking credentials", step_credentials, PHASE_SETUP,
	    CMD_CONFIGURE_LIST },
	{ "initialising SysOM", step_initial_sysom, TARGET | PHASE_SETUP,
	    CMD_INITIAL_SYSOM },
	{ NULL, step_validate, TARGET | PHASE_TARGET, CMD_LIST_SERVICES },
	{ NULL, step_invoke, TARGET | PHASE_TARGET, CMD_INVOKE },
	{ NULL, step_poll, PHASE_TARGET, CMD_GET_RESULT },
};

void
diag_init(struct diag *d, const struct options *opt)
{
	memset(d, 0, sizeof(*d));
	d->opt = opt;
	d->outcome = OUTCOME_HEALTHY;
	d->aimode.lock_fd = -1;
	msg_warnings = &d->warnings;
}

static void
set_error(struct diag *d, const char *source, const char *code,
    const char *message, const char *request_id)
{
	if (d->error_set)
		return;
	d->error_set = true;
	d->err.source = source;
	d->err.code = xstrdup(code);
	d->err.message = xstrdup(message);
	d->err.request_id = request_id ? xstrdup(request_id) : NULL;
}

void
diag_copy_error(struct diag *d, const struct diag *from)
{
	d->outcome = from->outcome;
	d->signal = from->signal;
	if (from->error_set)
		set_error(d, from->err.source, from->err.code, from->err.message,
		    from->err.request_id);
}

/* Ends the run: prints the error and records it for the reports. */
static int vfail(struct diag *d, enum outcome o, const char *source,
    const char *code, const char *request_id, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

static int
vfail(struct diag *d, enum outcome o, const char *source, const char *code,
    const char *request_id, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		die("out of memory");
	d->outcome = o;
	error("%s", msg);
	set_error(d, source, code ? code : outcome_name(o), msg, request_id);
	free(msg);
	return -1;
}

void
diag_fail(struct diag *d, enum outcome o, const char *source, const char *code,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(d, o, source, code, NULL, fmt, ap);
	va_end(ap);
}

static int fail(struct diag *d, enum outcome o, const char *source,
    const char *code, const char *request_id, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int
fail(struct diag *d, enum outcome o, const char *source, const char *code,
    const char *request_id, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(d, o, source, code, request_id, fmt, ap);
	va_end(ap);
	return rc;
}

/* Ends the run for a reply that failed; the error's source and code. */
static int
fail_reply(struct diag *d, enum outcome o, const struct aliyun_reply *r,
    const char *source, const char *what)
{
	char *why = aliyun_describe(r);
	int rc;

	rc = fail(d, o, r->from_server ? source : "aliyun", r->code,
	    r->request_id, "%s: %s", what, why);
	free(why);
	return rc;
}

/* A reply cut short by SIGINT/SIGTERM/SIGHUP ends the run as interrupted. */
static bool
interrupted(struct diag *d, const struct aliyun_reply *r)
{
	if (!r->c.interrupted && signals_first() == 0)
		return false;
	d->outcome = OUTCOME_INTERRUPTED;
	return true;
}

/*
 * Runs one of the commands of commands.c with this run's values; page is
 * for the ListServices paging.  Returns what aliyun_run() returns.
 */
static int
run(struct diag *d, struct aliyun_reply *r, enum cmd_id id, const char *page)
{
	const struct options *o = d->opt;
	struct cmd_values v = {
		.region = o->region, .instance = o->instance,
		.params = d->params, .task_id = d->task_id, .page = page,
		.profile = o->profile, .user_agent = d->restore_user_agent,
	};
	struct strvec argv = STRVEC_INIT;
	int rc;

	command_argv(id, &v, &argv);
	rc = aliyun_run(&d->aliyun, r, command_is_business(id),
	    strvec_argv(&argv));
	strvec_clear(&argv);
	return rc;
}

static const char *wanted_profile(const struct diag *d);

/* Where the credentials come from, for messages; static or d's. */
static const char *
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

/*
 * run(), and once more after --poll-interval when the answer was a
 * transient failure (network, 5xx, throttling), as the skill does.  A
 * call past --call-timeout is not tried again: that would double a wait
 * of minutes.
 */
static int
run_retrying(struct diag *d, struct aliyun_reply *r, enum cmd_id id,
    const char *page)
{
	char *why;

	if (run(d, r, id, page) == 0)
		return 0;
	if (r->kind != API_TRANSIENT || r->c.timed_out || r->c.interrupted ||
	    signals_first())
		return -1;
	why = aliyun_describe(r);
	warning("'aliyun %s' failed: %s; trying again", command_name(id), why);
	free(why);
	aliyun_reply_release(r);
	if (signals_sleep(d->opt->poll_interval) < 0)
		return -1;
	return run(d, r, id, page);
}

static int
fail_access(struct diag *d, const struct aliyun_reply *r, const char *source,
    const char *action, const char *what)
{
	char *why = aliyun_describe(r);
	int rc;

	if (r->kind == API_CREDENTIALS) {
		rc = fail(d, OUTCOME_ACCESS_DENIED, source, r->code, r->request_id,
		    "%s: the credentials were refused: %s; the AccessKey secret "
		    "is wrong, the key or its STS token has expired or been "
		    "disabled, or this machine's clock is off: check the "
		    "credentials aliyun uses (%s) and the system time", what, why,
		    credentials_in_use(d));
	} else if (r->kind == API_PROFILE) {
		rc = fail(d, OUTCOME_ACCESS_DENIED, "aliyun", r->code, r->request_id,
		    "%s: no valid credentials: %s; configure them with 'aliyun "
		    "configure' or the ALIBABA_CLOUD_* environment variables",
		    what, why);
	} else {
		rc = fail(d, OUTCOME_ACCESS_DENIED, source, r->code, r->request_id,
		    "%s: permission denied: %s; the RAM user needs '%s' (see %s)",
		    what, why, r->auth_action ? r->auth_action : action, RAM_DOC);
	}
	free(why);
	return rc;
}

static bool
is_access(const struct aliyun_reply *r)
{
	return r->kind == API_ACCESS || r->kind == API_PROFILE ||
	    r->kind == API_CREDENTIALS;
}

/* Runs `aliyun version`; keeps the version when it printed one. */
static void
run_version(struct diag *d, struct aliyun_reply *r)
{
	char *v;
	size_t len;

	d->version_known = true;
	if (run(d, r, CMD_VERSION, NULL) < 0)
		return;
	v = xstrdup(buf_str(&r->c.out));
	len = strlen(v);
	while (len && isspace((unsigned char)v[len - 1]))
		v[--len] = '\0';
	if (version_cmp(v, "0.0") != -2)
		d->version = v;
	else
		free(v);
}

/* Makes sure `aliyun version` ran; returns the version or NULL. */
static const char *
ensure_version(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;

	if (!d->version_known) {
		run_version(d, &r);
		aliyun_reply_release(&r);
	}
	return d->version;
}

/*
 * A setup step failed: exit 3, saying whether the CLI is simply too old
 * (for which `aliyun version` runs if it has not yet).
 */
static int
fail_setup(struct diag *d, struct aliyun_reply *r, const char *what)
{
	const char *v;

	if (interrupted(d, r))
		return -1;
	if (r->c.too_big)
		return fail_reply(d, OUTCOME_INTERNAL_ERROR, r, "aliyun", what);
	v = ensure_version(d);
	if (v && version_cmp(v, ALIYUN_MIN_VERSION) < 0)
		return fail(d, OUTCOME_ENVIRONMENT_ERROR, "aliyun", NULL, NULL,
		    "%s failed and aliyun %s is older than %s; update it (see "
		    "references/cli-installation-guide.md)", what, v, ALIYUN_MIN_VERSION);
	return fail_reply(d, OUTCOME_ENVIRONMENT_ERROR, r, "aliyun", what);
}

/* aliyun's configuration directory: where AI mode lives. */
static char *
aliyun_config_dir(void)
{
	const char *home = getenv("HOME");

	return xasprintf("%s/.aliyun", home && *home ? home : "");
}

/* What AI mode the user has now, without changing it. */
static void
learn_ai_mode(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;

	/* A failure or an answer we cannot read counts as "was off". */
	if (run(d, &r, CMD_AI_MODE_SHOW, NULL) < 0 ||
	    aimode_parse_show(buf_str(&r.c.out), r.c.out.len, &d->ai_before) < 0)
		verbose("cannot read aliyun's AI mode; counting it as off");
	aliyun_reply_release(&r);
}

/*
 * Step 1.  Another live pai-diag run that set AI mode up is joined, not
 * repeated; else the user's AI mode is learnt (or taken from the register
 * of a run that died before putting it back) and enabled.  The register's
 * lock is held until step 2 has run, so no other run sees half a setup.
 */
static int
step_ai_mode(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	char *cfg = aliyun_config_dir();
	int rc = 0;

	if (aimode_lock(&d->aimode, cfg, -1) < 0) {
		free(cfg);
		if (errno == EINTR || signals_first()) {
			d->outcome = OUTCOME_INTERRUPTED;
			return -1;
		}
		warning("cannot lock the AI mode register: %s; not "
		    "coordinating with other pai-diag runs", strerror(errno));
	} else {
		free(cfg);
	}
	if (aimode_others(&d->aimode) > 0) {
		verbose("another pai-diag run has set AI mode up; sharing it");
		aimode_join(&d->aimode, &d->ai_before);
		aimode_unlock(&d->aimode);
		d->ai_shared = true;
		return 0;
	}
	if (!d->aimode.saved_known)
		learn_ai_mode(d);
	if (signals_first())
		return -1;
	if (run(d, &r, CMD_AI_MODE_ENABLE, NULL) == 0) {
		d->ai_mode_on = true;
	} else if (r.kind == API_USAGE && !interrupted(d, &r)) {
		/* Before 3.3.3 there is no ai-mode; "vaild" before 3.4.3. */
		d->no_ai_mode = true;
		aimode_unlock(&d->aimode);
		warning("this aliyun has no 'configure ai-mode' (it came in "
		    "3.3.3): its calls go unattributed");
	} else {
		rc = fail_setup(d, &r, "'aliyun configure ai-mode enable'");
	}
	aliyun_reply_release(&r);
	return rc;
}

/* Step 2; then this run is in the register, and its lock is let go. */
static int
step_user_agent(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	int rc = 0;

	if (d->no_ai_mode || d->ai_shared)
		return 0;
	if (run(d, &r, CMD_SET_USER_AGENT, NULL) < 0)
		rc = fail_setup(d, &r, "'aliyun configure ai-mode set-user-agent'");
	else {
		aimode_join(&d->aimode, &d->ai_before);
		aimode_unlock(&d->aimode);
	}
	aliyun_reply_release(&r);
	return rc;
}

/* A recent update by the same aliyun makes step 3 unnecessary. */
static bool
plugins_fresh(const struct diag *d)
{
	return !d->opt->update_plugins && d->aliyun.path &&
	    state_plugin_update_fresh(d->aliyun.path, time(NULL));
}

static int
step_plugin_update(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	int rc = 0;

	if (plugins_fresh(d)) {
		verbose("skipping 'aliyun plugin update': it succeeded less than "
		    "24 hours ago (--update-plugins forces it)");
		return 0;
	}
	if (run(d, &r, CMD_PLUGIN_UPDATE, NULL) == 0) {
		state_plugin_update_record(d->aliyun.path, time(NULL));
	} else if (interrupted(d, &r)) {
		rc = -1;
	} else {
		/*
		 * It fails when any installed plugin, even one pai-diag never
		 * uses, fails to update, or when the index is out of reach:
		 * never a reason to stop.  Nothing is recorded, so the next
		 * run tries again.
		 */
		char *why = aliyun_describe(&r);

		warning("'aliyun plugin update' failed: %s; going on with the "
		    "plugins installed", why);
		free(why);
	}
	aliyun_reply_release(&r);
	return rc;
}

static int
step_version(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	int rc = 0;

	if (!d->version_known)
		run_version(d, &r);
	if (interrupted(d, &r)) {
		rc = -1;
	} else if (!r.ok && (r.c.status >= 0 || r.c.spawn_errno)) {
		rc = fail_reply(d, OUTCOME_ENVIRONMENT_ERROR, &r, "aliyun",
		    "'aliyun version' failed");
	} else if (d->version == NULL) {
		char *shown = redact_str(buf_str(&r.c.out));

		shown[strcspn(shown, "\r\n")] = '\0';

		rc = fail(d, OUTCOME_ENVIRONMENT_ERROR, "aliyun", NULL, NULL,
		    "'aliyun version' printed '%.64s', not a version", shown);
		free(shown);
	} else if (version_cmp(d->version, ALIYUN_MIN_VERSION) < 0) {
		rc = fail(d, OUTCOME_ENVIRONMENT_ERROR, "aliyun", NULL, NULL,
		    "aliyun %s is older than %s; update it (see "
		    "references/cli-installation-guide.md)", d->version,
		    ALIYUN_MIN_VERSION);
	}
	aliyun_reply_release(&r);
	return rc;
}

static const char *
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
static bool
env_credentials(void)
{
	return env_keys() && env_nonempty("ALIBABA_CLOUD_REGION_ID");
}

/* Did `configure set` fail because the profile is missing or invalid? */
static bool
profile_problem(const struct aliyun_reply *r)
{
	const char *m = r->message;

	if (r->c.timed_out || r->c.too_big || m == NULL)
		return false;
	return strstr(m, "fail to set configuration") ||
	    strstr(m, "region can't be empty") || strstr(m, "unknown profile") ||
	    strcasestr(m, "is empty") || strcasestr(m, "invalid") ||
	    r->kind == API_PROFILE;
}

static int
step_auto_install(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	int rc = 0;

	run(d, &r, CMD_AUTO_PLUGIN_INSTALL, NULL);
	if (r.ok)
		goto out;
	if (interrupted(d, &r)) {
		rc = -1;
	} else if (!profile_problem(&r)) {
		rc = fail_setup(d, &r,
		    "'aliyun configure set --auto-plugin-install true'");
	} else if (env_credentials()) {
		/* No usable profile, but the environment has credentials. */
		d->aliyun.auto_install_env = true;
		aliyun_env(&d->aliyun);
		warning("'aliyun configure set --auto-plugin-install true' "
		    "failed (no usable profile); using environment credentials "
		    "and ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=true instead");
	} else {
		rc = fail(d, OUTCOME_ACCESS_DENIED, "aliyun", NULL, NULL,
		    "no valid aliyun profile%s%s%s and no complete environment "
		    "credentials (ALIBABA_CLOUD_ACCESS_KEY_ID, "
		    "ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_REGION_ID); "
		    "run 'aliyun configure' outside pai-diag",
		    d->opt->profile ? " ('" : "",
		    d->opt->profile ? d->opt->profile : "",
		    d->opt->profile ? "')" : "");
	}
out:
	aliyun_reply_release(&r);
	return rc;
}

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
static int
parse_profile_row(const char *line, size_t len, struct profile_info *row)
{
	const char *bars[64];
	size_t nbars = 0;
	char valid[16], region[64], mode[64];
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
	trim_into(region, sizeof(region), bars[nbars - 2] + 1,
	    (size_t)(bars[nbars - 1] - bars[nbars - 2] - 1));
	row->valid = strcmp(valid, "Valid") == 0;
	row->has_region = region[0] != '\0';
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

static int
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

static int
step_initial_sysom(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	int rc = 0;

	if (run_retrying(d, &r, CMD_INITIAL_SYSOM, NULL) == 0)
		goto out;
	if (interrupted(d, &r)) {
		rc = -1;
	} else if (r.kind == API_CREDENTIALS || r.kind == API_PROFILE) {
		rc = fail_access(d, &r, "sysom", "sysom:InitialSysom",
		    "cannot initialise SysOM");
	} else if (is_access(&r) || r.kind == API_ROLE_MISSING) {
		char *why = aliyun_describe(&r);

		rc = fail(d, OUTCOME_ACCESS_DENIED, r.from_server ? "sysom" :
		    "aliyun", r.code, r.request_id, "cannot initialise SysOM: %s; "
		    "check that SysOM is activated for this account and that the "
		    "RAM user has '%s' and may create the service-linked role "
		    "AliyunServiceRoleForSysom (see %s)", why,
		    r.auth_action ? r.auth_action : "sysom:InitialSysom", RAM_DOC);
		free(why);
	} else {
		rc = fail_reply(d, OUTCOME_INTERNAL_ERROR, &r, "sysom",
		    "cannot initialise SysOM");
	}
out:
	aliyun_reply_release(&r);
	return rc;
}

/* Looks for Services[].ServiceId == id; sets *count to the page's size. */
static bool
eas_page_has(const cJSON *body, const char *id, int *count)
{
	const cJSON *j_services = json_arr(body, "Services"), *j_svc;

	*count = cJSON_GetArraySize(j_services);
	cJSON_ArrayForEach(j_svc, j_services) {
		/* Some entries carry only ServiceUid, which equals the id. */
		const char *sid = json_str_any(j_svc, "ServiceId", "ServiceUid",
		    NULL);

		if (sid && strcmp(sid, id) == 0)
			return true;
	}
	return false;
}

static int
fail_validate(struct diag *d, const struct aliyun_reply *r,
    const char *source, const char *action, const char *what)
{
	if (interrupted(d, r))
		return -1;
	if (is_access(r))
		return fail_access(d, r, source, action, what);
	return fail_reply(d, OUTCOME_INTERNAL_ERROR, r, source, what);
}

static int
validate_eas(struct diag *d)
{
	const struct options *o = d->opt;
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	const char *what = "cannot list EAS services";
	double total = -1;
	int count, seen = 0, rc = 0;
	bool found;

	if (run_retrying(d, &r, CMD_LIST_SERVICES, NULL) < 0) {
		rc = fail_validate(d, &r, "eas", "eas:ListServices", what);
		goto out;
	}
	found = eas_page_has(r.json, o->instance, &count);
	/*
	 * The filter matches names, not ids: page through everything, until
	 * TotalCount is covered (a server may send short pages before the
	 * end); without a TotalCount, until a page is short.
	 */
	for (int page = 1; !found && page <= MAX_EAS_PAGES; page++) {
		char num[16];

		snprintf(num, sizeof(num), "%d", page);
		aliyun_reply_release(&r);
		if (run_retrying(d, &r, CMD_LIST_SERVICES_PAGE, num) < 0) {
			rc = fail_validate(d, &r, "eas", "eas:ListServices", what);
			goto out;
		}
		found = eas_page_has(r.json, o->instance, &count);
		seen += count;
		total = -1;
		json_num(r.json, "TotalCount", &total);
		if (count == 0 || (total >= 0 ? seen >= total :
		    count < EAS_PAGE_SIZE))
			break;
	}
	if (!found)
		rc = fail(d, OUTCOME_INVALID_TARGET, "pai-diag", NULL, NULL,
		    "EAS service '%s' not found in region '%s'; check the service "
		    "id and the region", o->instance, o->region);
out:
	aliyun_reply_release(&r);
	return rc;
}

static bool
dlc_not_found(const struct aliyun_reply *r)
{
	return r->kind == API_NOT_FOUND || (r->message &&
	    (strcasestr(r->message, "not found") ||
	    strcasestr(r->message, "not exist")));
}

static int
validate_dlc(struct diag *d)
{
	const struct options *o = d->opt;
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	const char *type;
	char *shown;
	int rc = 0;

	if (run_retrying(d, &r, CMD_GET_JOB, NULL) < 0) {
		if (!interrupted(d, &r) && !is_access(&r) && dlc_not_found(&r))
			rc = fail(d, OUTCOME_INVALID_TARGET, "pai-dlc", r.code,
			    r.request_id, "DLC job '%s' not found in region '%s'; "
			    "check the job id and the region", o->instance,
			    o->region);
		else
			rc = fail_validate(d, &r, "pai-dlc", "pai-dlc:GetJob",
			    "cannot get the DLC job");
		goto out;
	}
	if (json_str(r.json, "JobId") == NULL) {
		rc = fail(d, OUTCOME_INVALID_TARGET, "pai-dlc", NULL, NULL,
		    "DLC job '%s' not found in region '%s'; check the job id and "
		    "the region", o->instance, o->region);
		goto out;
	}
	type = json_str(r.json, "ResourceType");
	if (type == NULL || strcmp(type, "Lingjun") != 0) {
		shown = redact_str(type && *type ? type : "no resource type");
		rc = fail(d, OUTCOME_UNSUPPORTED_TARGET, "pai-diag", NULL, NULL,
		    "DLC job '%s' runs on %.64s; SysOM diagnosis supports only DLC "
		    "jobs on Lingjun resources", o->instance, shown);
		free(shown);
	}
out:
	aliyun_reply_release(&r);
	return rc;
}

static int
step_validate(struct diag *d)
{
	progress("validating %s %s in %s", product_name(d->opt->product),
	    d->opt->instance, d->opt->region);
	return d->opt->product == PRODUCT_EAS ? validate_eas(d) : validate_dlc(d);
}

/* The id in "...: ocd(<id>)", when it is one we can pass on; owned. */
static char *
in_progress_id(const struct aliyun_reply *r)
{
	const char *texts[3] = { buf_str(&r->c.err), buf_str(&r->c.out),
	    r->message ? r->message : "" };
	char err[128];

	for (int i = 0; i < 3; i++) {
		const char *p = strstr(texts[i], "ocd(");
		const char *end = p ? strchr(p + 4, ')') : NULL;
		char *id;

		if (end == NULL)
			continue;
		id = xstrndup(p + 4, (size_t)(end - p - 4));
		if (check_task_id(id, err, sizeof(err)) == 0)
			return id;
		free(id);
	}
	return NULL;
}

/* The params JSON of invoke-diagnosis, printed once; owned by d. */
static void
build_params(struct diag *d)
{
	const struct options *o = d->opt;
	struct diag_params p = {
		.instance = o->instance, .region = o->region,
		.product = o->product, .start_time = o->start_time,
		.end_time = o->end_time, .uid = o->uid,
		.ocd_description = o->ocd_description,
	};
	cJSON *j_params;

	if (o->instance == NULL || d->params)
		return;
	j_params = params_json(&p);
	d->params = cJSON_PrintUnformatted(j_params);
	cJSON_Delete(j_params);
	if (d->params == NULL)
		die("out of memory");
}

static int
step_invoke(struct diag *d)
{
	const struct options *o = d->opt;
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	char err[128];
	int rc = -1;

	for (int invoke = 1; invoke <= MAX_INVOKES; invoke++) {
		const char *id;

		progress("invoking the SysOM diagnosis of %s", o->instance);
		aliyun_reply_release(&r);
		d->last_call = mono_now();
		if (run_retrying(d, &r, CMD_INVOKE, NULL) == 0) {
			id = json_str(json_obj(r.json, "data"), "task_id");
			if (id == NULL || check_task_id(id, err, sizeof(err)) < 0) {
				fail(d, OUTCOME_INTERNAL_ERROR, "sysom", NULL,
				    json_str(r.json, "request_id"),
				    "invoke-diagnosis answered Success without a "
				    "usable task id");
				goto out;
			}
			d->task_id = xstrdup(id);
			rc = 0;
			goto out;
		}
		if (interrupted(d, &r))
			goto out;
		if (r.kind != API_TASK_IN_PROGRESS)
			break;
		if ((d->task_id = in_progress_id(&r)) != NULL) {
			d->attached = true;
			progress("a diagnosis of %s is already running: task %s",
			    o->instance, d->task_id);
			rc = 0;
			goto out;
		}
		if (invoke < MAX_INVOKES && signals_sleep(o->poll_interval) < 0) {
			d->outcome = OUTCOME_INTERRUPTED;
			goto out;
		}
	}
	if (r.kind == API_TASK_IN_PROGRESS)
		fail(d, OUTCOME_DIAGNOSIS_FAILED, "sysom", r.code, r.request_id,
		    "another diagnosis of %s is running and SysOM did not say "
		    "which task it is; still in progress after %d invokes, try "
		    "again later", o->instance, MAX_INVOKES);
	else if (is_access(&r) || r.kind == API_ROLE_MISSING) {
		if (r.kind == API_ROLE_MISSING) {
			char *why = aliyun_describe(&r);

			fail(d, OUTCOME_ACCESS_DENIED, "sysom", r.code, r.request_id,
			    "cannot invoke the diagnosis: %s; the SysOM service-linked "
			    "role is missing: check that SysOM is activated (aliyun "
			    "sysom initial-sysom --check-only false)", why);
			free(why);
		} else
			fail_access(d, &r, "sysom", "sysom:InvokeDiagnosis",
			    "cannot invoke the diagnosis");
	} else if (r.kind == API_TRANSIENT || r.kind == API_GARBAGE ||
	    !r.from_server)
		fail_reply(d, OUTCOME_INTERNAL_ERROR, &r, "sysom",
		    "cannot invoke the diagnosis");
	else
		fail_reply(d, OUTCOME_DIAGNOSIS_FAILED, &r, "sysom",
		    "SysOM rejected the diagnosis");
out:
	aliyun_reply_release(&r);
	return rc;
}

bool
diag_task_failed(const struct diag *d)
{
	return d->status && strcasecmp(d->status, "Fail") == 0;
}

cJSON *
diag_take_result(struct diag *d)
{
	cJSON *j_res = json_get(d->data, "result");

	if (j_res == NULL || cJSON_IsNull(j_res))
		j_res = json_get_any(d->data, "diagnosis_result", "output",
		    "report", NULL);
	if (cJSON_IsString(j_res) && j_res->valuestring) {
		cJSON_Delete(d->result_root);
		d->result_root = cJSON_Parse(j_res->valuestring);
		j_res = d->result_root;
	}
	if (!cJSON_IsObject(j_res) || j_res->child == NULL)
		return NULL;
	return j_res;
}

void
diag_take_echo(struct diag *d)
{
	const cJSON *j_params = json_get(d->data, "params");
	cJSON *decoded = NULL;
	double st = 0, et = 0;

	if (cJSON_IsString(j_params))
		j_params = decoded = cJSON_Parse(j_params->valuestring);
	if (!cJSON_IsObject(j_params) || d->echo_known)
		goto out;
	d->echo_known = true;
	if (json_str(j_params, "instance"))
		d->echo_instance = redact_str(json_str(j_params, "instance"));
	if (json_str(j_params, "product"))
		d->echo_product = redact_str(json_str(j_params, "product"));
	if (json_str(j_params, "region"))
		d->echo_region = redact_str(json_str(j_params, "region"));
	json_num(j_params, "start_time", &st);
	json_num(j_params, "end_time", &et);
	d->echo_realtime = st == 0 && et == 0;
	d->echo_start = st;
	d->echo_end = et;
out:
	cJSON_Delete(decoded);
}

enum outcome
diag_verdict(const char *overall)
{
	if (overall == NULL)
		return OUTCOME_WARN;
	if (strcasecmp(overall, "Info") == 0)
		return OUTCOME_HEALTHY;
	if (strcasecmp(overall, "Critical") == 0)
		return OUTCOME_CRITICAL;
	return OUTCOME_WARN;
}

/* A Success reply: the verdict, or exit 1 when there is nothing to show. */
static int
finish_success(struct diag *d, const char *request_id)
{
	const char *overall;

	d->result = diag_take_result(d);
	redact_tree(d->result);
	if (d->result == NULL)
		return fail(d, OUTCOME_INTERNAL_ERROR, "sysom", "EmptyResult",
		    request_id, "task %s succeeded but its result is empty or "
		    "not JSON; see it in the SysOM console", d->task_id);
	overall = diag_overall_status(d);
	d->outcome = diag_verdict(overall);
	if (overall == NULL)
		warning("the result has no summary.overall_status; counted as "
		    "Warn");
	else if (strcasecmp(overall, "Info") != 0 &&
	    strcasecmp(overall, "Warn") != 0 &&
	    strcasecmp(overall, "Critical") != 0)
		warning("unknown overall_status '%.64s'; counted as Warn", overall);
	return 0;
}

static int
step_poll(struct diag *d)
{
	const struct options *o = d->opt;
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	bool warned_status = false;
	int failed = 0, rc = -1;
	char *cause = NULL;

	if (!d->attached)
		d->polls = 0;
	/* An attached task is polled at once (a fleet spreads them out). */
	if (d->attached || d->last_call == 0)
		d->last_call = mono_now() - o->poll_interval + d->poll_offset;
	while (d->polls < o->max_polls) {
		const char *status;

		/* The cadence counts from the start of the previous call. */
		if (signals_sleep(d->last_call + o->poll_interval -
		    mono_now()) < 0) {
			d->outcome = OUTCOME_INTERRUPTED;
			goto out;
		}
		aliyun_reply_release(&r);
		d->last_call = mono_now();
		d->polls++;
		run(d, &r, CMD_GET_RESULT, NULL);
		if (interrupted(d, &r))
			goto out;
		if (!r.ok && (r.kind == API_TRANSIENT || r.kind == API_GARBAGE)) {
			free(cause);
			cause = aliyun_describe(&r);
			if (++failed >= MAX_FAILED_POLLS) {
				fail(d, OUTCOME_INTERNAL_ERROR, r.from_server ? "sysom"
				    : "aliyun", r.code, r.request_id, "%d polls of task "
				    "%s failed in a row: %s", failed, d->task_id, cause);
				goto out;
			}
			warning("poll %d of task %s failed: %s; retrying", d->polls,
			    d->task_id, cause);
			continue;
		}
		if (!r.ok) {
			if (is_access(&r))
				fail_access(d, &r, "sysom", "sysom:GetDiagnosisResult",
				    "cannot read the diagnosis result");
			else if (r.c.too_big || !r.from_server)
				fail_reply(d, OUTCOME_INTERNAL_ERROR, &r, "sysom",
				    "cannot read the diagnosis result");
			else
				fail_reply(d, OUTCOME_DIAGNOSIS_FAILED, &r, "sysom",
				    "cannot read the diagnosis result");
			goto out;
		}
		cJSON_Delete(d->reply);
		d->reply = r.json;
		r.json = NULL;
		d->data = json_obj(d->reply, "data");
		status = json_str(d->data, "status");
		if (status == NULL) {
			free(cause);
			cause = xstrdup("the reply has no data.status");
			if (++failed >= MAX_FAILED_POLLS) {
				fail(d, OUTCOME_INTERNAL_ERROR, "sysom", NULL, NULL,
				    "%d polls of task %s failed in a row: %s", failed,
				    d->task_id, cause);
				goto out;
			}
			warning("poll %d of task %s failed: %s; retrying",
			    d->polls, d->task_id, cause);
			continue;
		}
		failed = 0;
		free(d->status);
		d->status = redact_str(status);
		diag_take_echo(d);
		progress_poll(d->task_id, d->status, d->polls, o->max_polls);
		if (strcasecmp(status, "Success") == 0) {
			rc = finish_success(d, json_str(d->reply, "request_id"));
			goto out;
		}
		if (strcasecmp(status, "Fail") == 0) {
			const char *msg = json_str(d->data, "err_msg");
			char *shown = redact_str(msg && *msg ? msg :
			    "the engine gave no reason");

			d->outcome = OUTCOME_DIAGNOSIS_FAILED;
			error("diagnosis task %s failed: %s", d->task_id, shown);
			set_error(d, "sysom", "diagnosis_failed", shown,
			    json_str(d->reply, "request_id"));
			free(shown);
			goto out;
		}
		if (strcasecmp(status, "Ready") != 0 &&
		    strcasecmp(status, "Running") != 0 && !warned_status) {
			warned_status = true;
			warning("unknown task status '%.64s'; polling on as if "
			    "Running", d->status);
		}
	}
	d->outcome = OUTCOME_TIMEOUT;
out:
	free(cause);
	aliyun_reply_release(&r);
	return rc;
}

/*
 * One restoring command of step 11, capped by DISABLE_TIMEOUT and given
 * up on at the next signal.  Returns 0 when it went through.
 */
static int
run_restore(struct diag *d, enum cmd_id id)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	double saved = d->aliyun.call_timeout;
	int rc;

	d->aliyun.call_timeout = DISABLE_TIMEOUT;
	r.c.abort_signals = signals_count() + 1;
	rc = run(d, &r, id, NULL);
	d->aliyun.call_timeout = saved;
	if (r.c.interrupted && !d->signal)
		d->signal = signals_first();
	aliyun_reply_release(&r);
	return rc;
}

/*
 * Step 11: puts the user's AI mode back, on every path on which this run
 * changed it or joined a run that did, unless other live runs still rely
 * on it (the last of them does it).  Their own user agent, or none; AI
 * mode off again only when it was off.
 */
static void
cleanup(struct diag *d)
{
	struct aimode *m = &d->aimode;
	const struct aimode_state *was;
	char *cfg;
	bool ua_ok = false, off_ok;

	if (!d->ai_mode_on && !m->joined) {
		aimode_unlock(m);
		return;
	}
	/* What to put back; on giving up, what to tell the user to do. */
	was = m->saved_known ? &m->saved : &d->ai_before;
	off_ok = was->enabled;
	if (signals_count() >= 2)
		goto advise;
	if (m->lock_fd < 0) {
		cfg = aliyun_config_dir();
		if (aimode_lock(m, cfg, DISABLE_TIMEOUT) < 0) {
			free(cfg);
			goto advise;
		}
		free(cfg);
	}
	if (aimode_others(m) > 0) {
		aimode_leave(m, false);
		aimode_unlock(m);
		verbose("other pai-diag runs still use AI mode; the last of "
		    "them puts yours back");
		return;
	}
	d->restore_user_agent = was->user_agent;
	ua_ok = run_restore(d, was->user_agent ? CMD_RESTORE_USER_AGENT :
	    CMD_RESET_USER_AGENT) == 0;
	if (!was->enabled)
		off_ok = signals_count() < 2 &&
		    run_restore(d, CMD_AI_MODE_DISABLE) == 0;
	aimode_leave(m, ua_ok && off_ok);
	aimode_unlock(m);
	if (ua_ok && off_ok)
		return;
advise:
	if (!ua_ok)
		warning("could not put your AI mode user agent back; run "
		    "'aliyun configure ai-mode %s' yourself", was->user_agent ?
		    "set-user-agent --user-agent ...' with your own, or "
		    "'aliyun configure ai-mode reset-user-agent" :
		    "reset-user-agent");
	if (!off_ok)
		warning("could not switch aliyun's AI mode off; run 'aliyun "
		    "configure ai-mode disable' yourself");
	if (d->outcome != OUTCOME_INTERRUPTED && signals_first()) {
		d->outcome = OUTCOME_INTERRUPTED;
		d->signal = signals_first();
	}
}

/*
 * Runs the steps of the table whose phase is in phases, in order, until one
 * ends the run or a signal arrives.
 */
static void
run_steps(struct diag *d, unsigned phases)
{
	const struct options *o = d->opt;

	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
		const struct step *s = &steps[i];
		int rc;

		if (!(s->flags & phases) || ((s->flags & SETUP) && o->no_setup) ||
		    ((s->flags & TARGET) && (o->task_id || d->skip_target_steps)))
			continue;
		if (signals_first()) {
			d->outcome = OUTCOME_INTERRUPTED;
			break;
		}
		if (s->name)
			progress("%s", s->name);
		rc = s->fn(d);
		if (signals_first())
			d->outcome = OUTCOME_INTERRUPTED;
		if (rc < 0 || d->outcome == OUTCOME_INTERRUPTED)
			break;
	}
	if (d->outcome == OUTCOME_INTERRUPTED && !d->signal)
		d->signal = signals_first();
}

static void
prepare(struct diag *d)
{
	const struct options *o = d->opt;

	d->aliyun.call_timeout = o->call_timeout;
	aliyun_env(&d->aliyun);
	build_params(d);
	if (o->task_id) {
		d->task_id = xstrdup(o->task_id);
		d->attached = true;
	}
}

void
diag_run(struct diag *d)
{
	const struct options *o = d->opt;

	prepare(d);
	progress_started(o->region, o->instance ? o->instance : o->task_id);
	run_steps(d, PHASE_SETUP | PHASE_TARGET);
	diag_cleanup(d);
	diag_finish(d);
}

int
diag_setup(struct diag *d, bool need_sysom)
{
	prepare(d);
	d->skip_target_steps = !need_sysom;
	run_steps(d, PHASE_SETUP);
	return d->error_set || d->outcome != OUTCOME_HEALTHY ? -1 : 0;
}

void
diag_target(struct diag *d, const struct diag *setup)
{
	prepare(d);
	free(d->aliyun.path);
	d->aliyun.path = xstrdup(setup->aliyun.path);
	d->aliyun.auto_install_env = setup->aliyun.auto_install_env;
	aliyun_env(&d->aliyun);
	run_steps(d, PHASE_TARGET);
	if (d->outcome == OUTCOME_INTERRUPTED)
		diag_interrupt(d, d->signal);
}

/* What ended the run, for the envelope's error message. */
static const char *
interruption(int sig)
{
	switch (sig) {
	case SIGTERM:
		return "terminated by SIGTERM";
	case SIGHUP:
		return "hung up (SIGHUP)";
	default:
		return "interrupted by SIGINT";
	}
}

void
diag_interrupt(struct diag *d, int sig)
{
	d->outcome = OUTCOME_INTERRUPTED;
	d->signal = sig;
	if (d->task_id == NULL && d->opt->task_id) {
		d->task_id = xstrdup(d->opt->task_id);
		d->attached = true;
	}
	set_error(d, "pai-diag", "interrupted", interruption(sig), NULL);
}

void
diag_cleanup(struct diag *d)
{
	progress_end();
	cleanup(d);
	progress_end();
}

void
diag_finish(struct diag *d)
{
	char *resume = diag_resume_command(d);

	if (d->outcome == OUTCOME_INTERRUPTED) {
		set_error(d, "pai-diag", "interrupted", interruption(d->signal),
		    NULL);
		if (resume)
			error("interrupted; the diagnosis goes on: resume with: %s",
			    resume);
		else
			error("interrupted");
	} else if (d->outcome == OUTCOME_TIMEOUT) {
		inform("task %s is still %s after %d polls; resume with: %s",
		    d->task_id, d->status ? d->status : "unknown", d->polls,
		    resume);
	}
	free(resume);
}

void
diag_doctor(struct diag *d)
{
	d->aliyun.call_timeout = d->opt->call_timeout;
	aliyun_env(&d->aliyun);
	if (step_version(d) == 0 && !signals_first())
		step_credentials(d);
	if (signals_first()) {
		d->outcome = OUTCOME_INTERRUPTED;
		d->signal = signals_first();
	}
}

/* Adds one planned command, its placeholders filled where known. */
static void
plan_add(const struct diag *d, struct diag_plan *p, enum cmd_id id,
    const char *note)
{
	const struct options *o = d->opt;
	struct cmd_values v = {
		.region = o->region, .instance = o->instance,
		.params = d->params, .task_id = o->task_id ? o->task_id :
		    "TASK_ID", .page = "N", .profile = o->profile,
	};

	if (p->n == sizeof(p->cmds) / sizeof(*p->cmds))
		die("plan too long");
	command_argv(id, &v, &p->cmds[p->n].argv);
	p->cmds[p->n].note = note;
	p->n++;
}

void
diag_plan(struct diag *d, struct diag_plan *p)
{
	const struct options *o = d->opt;

	build_params(d);
	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
		const struct step *s = &steps[i];

		if (((s->flags & SETUP) && o->no_setup) ||
		    ((s->flags & TARGET) && o->task_id) ||
		    (s->cmd == CMD_PLUGIN_UPDATE && plugins_fresh(d)))
			continue;
		if (s->cmd == CMD_AI_MODE_ENABLE)
			plan_add(d, p, CMD_AI_MODE_SHOW, "learns your AI mode, to "
			    "put it back; not when another pai-diag run has set "
			    "it up");
		if (s->cmd == CMD_LIST_SERVICES && o->product == PRODUCT_DLC) {
			plan_add(d, p, CMD_GET_JOB, "ResourceType must be Lingjun");
		} else if (s->cmd == CMD_LIST_SERVICES) {
			plan_add(d, p, CMD_LIST_SERVICES, "needs a Services[] "
			    "entry whose ServiceId is the id exactly");
			plan_add(d, p, CMD_LIST_SERVICES_PAGE, "only when the "
			    "filter matched none: N = 1, 2, ... until TotalCount "
			    "services are seen or a page is empty, at most 50");
		} else {
			plan_add(d, p, s->cmd, s->cmd == CMD_GET_RESULT ?
			    "repeated until Success or Fail" : NULL);
		}
	}
	if (!o->no_setup) {
		plan_add(d, p, CMD_RESET_USER_AGENT, "or set-user-agent "
		    "--user-agent with your own, when you had one; on every "
		    "path, by the last pai-diag run to end");
		plan_add(d, p, CMD_AI_MODE_DISABLE, "only when AI mode was off "
		    "before; last");
	}
}

void
diag_plan_release(struct diag_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		strvec_clear(&p->cmds[i].argv);
	p->n = 0;
}

char *
diag_resume_command(const struct diag *d)
{
	const char *task = d->task_id;

	return resume_command(d->opt, d->opt->region ? d->opt->region :
	    d->echo_region ? d->echo_region : "REGION", &task, task ? 1 : 0);
}

static const cJSON *
summary(const struct diag *d)
{
	return json_get(d->result, "summary");
}

const char *
diag_overall_status(const struct diag *d)
{
	return json_str(summary(d), "overall_status");
}

const char *
diag_root_cause(const struct diag *d)
{
	const cJSON *j_sum = summary(d);

	/* Other SysOM services send the summary as plain text. */
	if (cJSON_IsString(j_sum))
		return j_sum->valuestring;
	return json_str(j_sum, "root_cause");
}

cJSON *
diag_suggestions(const struct diag *d)
{
	return json_arr(summary(d), "suggestions");
}

cJSON *
diag_issues(const struct diag *d)
{
	return json_arr(d->result, "issues");
}

const char *
diag_url(const struct diag *d)
{
	const char *url = json_str(d->data, "url");

	return url ? url : json_str(d->result, "url");
}

/* An outcome as an exit code: --fail-on for verdicts, 128+N for signals. */
int
diag_exit_code(const struct diag *d, enum fail_on fail_on)
{
	switch (d->outcome) {
	case OUTCOME_WARN:
		return fail_on == FAIL_ON_WARN ? 10 : 0;
	case OUTCOME_CRITICAL:
		return fail_on == FAIL_ON_NEVER ? 0 : 11;
	case OUTCOME_INTERRUPTED:
		return 128 + (d->signal ? d->signal : 2);
	default:
		return outcome_exit_code(d->outcome);
	}
}

void
diag_release(struct diag *d)
{
	aliyun_release(&d->aliyun);
	aimode_release(&d->aimode);
	aimode_state_release(&d->ai_before);
	free(d->task_id);
	free(d->status);
	cJSON_Delete(d->reply);
	cJSON_Delete(d->result_root);
	free(d->echo_instance);
	free(d->echo_product);
	free(d->echo_region);
	free(d->err.code);
	free(d->err.message);
	free(d->err.request_id);
	strvec_clear(&d->warnings);
	free(d->version);
	cJSON_free(d->params);
	if (msg_warnings == &d->warnings)
		msg_warnings = NULL;
}
