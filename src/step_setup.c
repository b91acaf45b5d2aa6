/*
 * Steps 1 to 5, which set aliyun up for the run (AI mode and its user
 * agent, plugins, the version check, plugin auto-install), and step 11,
 * which puts the user's AI mode back.  A failing setup command is exit 3,
 * or "update aliyun" when the CLI is older than pai-diag needs.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aimode.h"
#include "buf.h"
#include "msg.h"
#include "redact.h"
#include "signals.h"
#include "state.h"
#include "steps.h"

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
const char *
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
int
fail_setup(struct diag *d, const struct aliyun_reply *r, const char *what)
{
	const char *v = ensure_version(d);

	if (v && version_cmp(v, ALIYUN_MIN_VERSION) < 0)
		return fail(d, OUTCOME_ENVIRONMENT_ERROR, "aliyun", NULL, NULL,
		    "%s failed and aliyun %s is older than %s; update it (see "
		    "references/cli-installation-guide.md)", what, v, ALIYUN_MIN_VERSION);
	return fail_reply(d, OUTCOME_ENVIRONMENT_ERROR, r, "aliyun", what);
}

/* aliyun's configuration directory: where AI mode lives. */
char *
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
int
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
		rc = step_failed(d, &r);
	}
	aliyun_reply_release(&r);
	return rc;
}

/* Step 2; then this run is in the register, and its lock is let go. */
int
step_user_agent(struct diag *d)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	int rc = 0;

	if (d->no_ai_mode || d->ai_shared)
		return 0;
	if (run(d, &r, CMD_SET_USER_AGENT, NULL) < 0)
		rc = step_failed(d, &r);
	else {
		aimode_join(&d->aimode, &d->ai_before);
		aimode_unlock(&d->aimode);
	}
	aliyun_reply_release(&r);
	return rc;
}

/* A recent update by the same aliyun makes step 3 unnecessary. */
bool
plugins_fresh(const struct diag *d)
{
	return !d->opt->update_plugins && d->aliyun.path &&
	    state_plugin_update_fresh(d->aliyun.path, time(NULL));
}

int
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

int
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

int
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
		rc = step_failed(d, &r);
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
void
step_restore(struct diag *d)
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
