/*
 * The diagnosis workflow: the step table (the whole ritual on one screen)
 * and the runner.  Each step is a function in a step_*.c file that runs
 * one aliyun command (or a few), reads the reply, and either lets the run
 * go on (0) or ends it (-1) after recording the outcome and the error; a
 * failed call is routed by the row's failure policy (step_failed()).  The
 * restore of step 11 is not in the loop: it runs after the table on every
 * path on which step 1 changed AI mode.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "msg.h"
#include "signals.h"
#include "resume.h"
#include "steps.h"
#include "workflow.h"

/* A step that words each of its failures itself. */
#define OWN_WORDS { .what = NULL }
#define SYSOM_ACTIVATION { "check that SysOM is activated for this account " \
    "and that the RAM user has '", "' and may create the service-linked " \
    "role AliyunServiceRoleForSysom (see " RAM_DOC ")" }

/*
 * The ritual.  A setup step's failure is exit 3 (or "update aliyun");
 * for the others, access problems are exit 4 and the row says what a
 * transient failure (network, throttling, 5xx) and any other answer are.
 */
const struct step diag_steps[] = {
	{ "enabling aliyun AI mode", step_ai_mode, SETUP | PHASE_SETUP, NULL,
	    { .what = "'aliyun configure ai-mode enable'", .setup = true },
	    { { CMD_AI_MODE_SHOW, "learns your AI mode, to put it back; not "
	    "when another pai-diag run has set it up" },
	    { CMD_AI_MODE_ENABLE, NULL } } },
	{ "setting the user agent", step_user_agent, SETUP | PHASE_SETUP, NULL,
	    { .what = "'aliyun configure ai-mode set-user-agent'",
	    .setup = true },
	    { { CMD_SET_USER_AGENT, NULL } } },
	{ "updating aliyun plugins", step_plugin_update, SETUP | PHASE_SETUP,
	    plugins_fresh, OWN_WORDS,
	    { { CMD_PLUGIN_UPDATE, NULL } } },
	{ "checking the aliyun version", step_version, PHASE_SETUP, NULL,
	    OWN_WORDS,
	    { { CMD_VERSION, NULL } } },
	{ "enabling plugin auto-install", step_auto_install,
	    SETUP | PHASE_SETUP, NULL,
	    { .what = "'aliyun configure set --auto-plugin-install true'",
	    .setup = true },
	    { { CMD_AUTO_PLUGIN_INSTALL, NULL } } },
	{ "checking credentials", step_credentials, PHASE_SETUP, NULL,
	    OWN_WORDS,
	    { { CMD_CONFIGURE_LIST, NULL } } },
	{ "initialising SysOM", step_initial_sysom, TARGET | PHASE_SETUP, NULL,
	    { .what = "cannot initialise SysOM", .source = "sysom",
	    .action = "sysom:InitialSysom", .denied_hint = SYSOM_ACTIVATION,
	    .role_hint = SYSOM_ACTIVATION,
	    .transient = OUTCOME_INTERNAL_ERROR,
	    .other = OUTCOME_INTERNAL_ERROR },
	    { { CMD_INITIAL_SYSOM, NULL } } },
	{ NULL, step_validate_eas, TARGET | PHASE_TARGET | EAS_ONLY, NULL,
	    { .what = "cannot list EAS services", .source = "eas",
	    .action = "eas:ListServices",
	    .transient = OUTCOME_INTERNAL_ERROR,
	    .other = OUTCOME_INTERNAL_ERROR },
	    { { CMD_LIST_SERVICES, "needs a Services[] entry whose ServiceId "
	    "is the id exactly" },
	    { CMD_LIST_SERVICES_PAGE, "only when the filter matched none: "
	    "N = 1, 2, ... until TotalCount services are seen or a page is "
	    "empty, at most " DEFAULTS_STR(MAX_EAS_PAGES) } } },
	{ NULL, step_validate_dlc, TARGET | PHASE_TARGET | DLC_ONLY, NULL,
	    { .what = "cannot get the DLC job", .source = "pai-dlc",
	    .action = "pai-dlc:GetJob",
	    .transient = OUTCOME_INTERNAL_ERROR,
	    .other = OUTCOME_INTERNAL_ERROR },
	    { { CMD_GET_JOB, "ResourceType must be Lingjun" } } },
	{ NULL, step_invoke, TARGET | PHASE_TARGET, NULL,
	    { .what = "cannot invoke the diagnosis", .source = "sysom",
	    .action = "sysom:InvokeDiagnosis",
	    .role_hint = { "the SysOM service-linked role is missing: check "
	    "that SysOM is activated (aliyun sysom initial-sysom --check-only "
	    "false)", NULL }, .rejected = "SysOM rejected the diagnosis",
	    .transient = OUTCOME_INTERNAL_ERROR,
	    .other = OUTCOME_DIAGNOSIS_FAILED },
	    { { CMD_INVOKE, NULL } } },
	{ NULL, step_poll, PHASE_TARGET | WAITS, NULL,
	    { .what = "cannot read the diagnosis result", .source = "sysom",
	    .action = "sysom:GetDiagnosisResult",
	    .transient = OUTCOME_INTERNAL_ERROR,
	    .other = OUTCOME_DIAGNOSIS_FAILED },
	    { { CMD_GET_RESULT, "repeated until Success or Fail" } } },
	{ NULL, NULL, SETUP | PHASE_RESTORE, NULL, OWN_WORDS,
	    { { CMD_RESET_USER_AGENT, "or set-user-agent --user-agent with "
	    "your own, when you had one; on every path, by the last pai-diag "
	    "run to end" },
	    { CMD_AI_MODE_DISABLE, "only when AI mode was off before; last" } } },
};
const size_t diag_nsteps = sizeof(diag_steps) / sizeof(diag_steps[0]);

void
diag_init(struct diag *d, const struct options *opt)
{
	memset(d, 0, sizeof(*d));
	d->opt = opt;
	d->outcome = OUTCOME_HEALTHY;
	d->aimode.lock_fd = -1;
	msg_warnings = &d->warnings;
}

void
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

static int vfail(struct diag *d, enum outcome o, const char *source,
    const char *code, const char *request_id, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

/* Ends the run: prints the error and records it for the reports. */
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

int
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
int
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
bool
interrupted(struct diag *d, const struct aliyun_reply *r)
{
	if (!r->c.interrupted && signals_first() == 0)
		return false;
	d->outcome = OUTCOME_INTERRUPTED;
	return true;
}

void
diag_gate_release(struct diag *d)
{
	if (d->aliyun.gate_held) {
		d->aliyun.gate_held = false;
		pthread_mutex_unlock(d->aliyun.gate);
	}
}

/*
 * An access problem: the credentials were refused, there are none, a RAM
 * permission is missing, or (where the row says so) the service-linked
 * role; the message says which and what to do.
 */
static int
fail_access(struct diag *d, const struct aliyun_reply *r,
    const struct fail_policy *p)
{
	const char *action = r->auth_action ? r->auth_action : p->action;
	const struct hint *hint = r->kind == API_ROLE_MISSING ?
	    &p->role_hint : &p->denied_hint;
	char *why = aliyun_describe(r);
	int rc;

	if (r->kind == API_CREDENTIALS) {
		rc = fail(d, OUTCOME_ACCESS_DENIED, p->source, r->code,
		    r->request_id, "%s: the credentials were refused: %s; the "
		    "AccessKey secret is wrong, the key or its STS token has "
		    "expired or been disabled, or this machine's clock is off: "
		    "check the credentials aliyun uses (%s) and the system time",
		    p->what, why, credentials_in_use(d));
	} else if (r->kind == API_PROFILE) {
		rc = fail(d, OUTCOME_ACCESS_DENIED, "aliyun", r->code,
		    r->request_id, "%s: no valid credentials: %s; configure them "
		    "with 'aliyun configure' or the ALIBABA_CLOUD_* environment "
		    "variables", p->what, why);
	} else if (hint->text) {
		rc = fail(d, OUTCOME_ACCESS_DENIED, r->from_server ? p->source :
		    "aliyun", r->code, r->request_id, "%s: %s; %s%s%s", p->what,
		    why, hint->text, hint->then ? action : "",
		    hint->then ? hint->then : "");
	} else {
		rc = fail(d, OUTCOME_ACCESS_DENIED, p->source, r->code,
		    r->request_id, "%s: permission denied: %s; the RAM user "
		    "needs '%s' (see %s)", p->what, why, action, RAM_DOC);
	}
	free(why);
	return rc;
}

/* The one way a failed call of a step ends the run: the row's policy. */
int
step_failed(struct diag *d, const struct aliyun_reply *r)
{
	const struct fail_policy *p = d->policy;

	if (interrupted(d, r))
		return -1;
	if (d->expired)
		return fail(d, OUTCOME_TIMEOUT, "pai-diag", "timeout", NULL,
		    "%s: --max-wait (%lld s) reached, throttled %d times",
		    p->what, (long long)d->opt->max_wait, d->throttled);
	if (r->c.too_big)
		return fail_reply(d, OUTCOME_INTERNAL_ERROR, r,
		    p->source ? p->source : "aliyun", p->what);
	if (p->setup)
		return fail_setup(d, r, p->what);
	if (is_access(r) || (r->kind == API_ROLE_MISSING && p->role_hint.text))
		return fail_access(d, r, p);
	if (r->kind == API_TRANSIENT || r->kind == API_GARBAGE ||
	    !r->from_server)
		return fail_reply(d, p->transient, r, p->source, p->what);
	return fail_reply(d, p->other, r, p->source, p->rejected ?
	    p->rejected : p->what);
}

bool
is_access(const struct aliyun_reply *r)
{
	return r->kind == API_ACCESS || r->kind == API_PROFILE ||
	    r->kind == API_CREDENTIALS;
}

/*
 * Runs the steps of the table whose phase is in phases, in order, until one
 * ends the run or a signal arrives.
 */
bool
step_wanted(const struct diag *d, const struct step *s)
{
	const struct options *o = d->opt;

	return !((s->flags & SETUP) && o->no_setup) &&
	    !((s->flags & TARGET) && (o->task_id || d->skip_target_steps)) &&
	    !((s->flags & EAS_ONLY) && o->product != PRODUCT_EAS) &&
	    !((s->flags & DLC_ONLY) && o->product != PRODUCT_DLC) &&
	    !((s->flags & WAITS) && d->start_only);
}

/*
 * Runs the steps of the table whose phase is in phases, in order, until one
 * ends the run or a signal arrives.
 */
static void
run_steps(struct diag *d, unsigned phases)
{
	for (size_t i = 0; i < diag_nsteps; i++) {
		const struct step *s = &diag_steps[i];
		int rc;

		if (!(s->flags & phases) || !step_wanted(d, s))
			continue;
		if (signals_first()) {
			d->outcome = OUTCOME_INTERRUPTED;
			break;
		}
		if (s->name)
			progress("%s", s->name);
		d->policy = &s->fail;
		rc = s->fn(d);
		d->policy = NULL;
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
	if (o->max_wait > 0)
		d->deadline = mono_now() + (double)o->max_wait;
	if (o->task_id) {
		d->task_id = xstrdup(o->task_id);
		d->attached = true;
	}
}

/* The run's clock: began, then ended and elapsed (see diag.h). */
static void
clock_run(struct diag *d, bool end)
{
	struct timespec ts;

	if (!end) {
		d->began = mono_now();
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	d->ended = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	d->elapsed = mono_now() - d->began;
}

void
diag_run(struct diag *d)
{
	const struct options *o = d->opt;

	clock_run(d, false);
	prepare(d);
	progress_started(o->region, o->instance ? o->instance : o->task_id);
	run_steps(d, PHASE_SETUP | PHASE_TARGET);
	diag_cleanup(d);
	diag_finish(d);
	clock_run(d, true);
}

int
diag_setup(struct diag *d, bool need_sysom)
{
	prepare(d);
	d->skip_target_steps = !need_sysom;
	run_steps(d, PHASE_SETUP);
	return d->error_set || d->outcome != OUTCOME_HEALTHY ? -1 : 0;
}

/* A fleet's run takes the aliyun the setup found and its environment. */
static void
adopt(struct diag *d, const struct diag *setup)
{
	prepare(d);
	free(d->aliyun.path);
	d->aliyun.path = xstrdup(setup->aliyun.path);
	d->aliyun.auto_install_env = setup->aliyun.auto_install_env;
	aliyun_env(&d->aliyun);
}

void
diag_target(struct diag *d, const struct diag *setup)
{
	clock_run(d, false);
	adopt(d, setup);
	run_steps(d, PHASE_TARGET);
	if (d->outcome == OUTCOME_INTERRUPTED)
		diag_interrupt(d, d->signal);
	clock_run(d, true);
}

int
diag_discover(struct diag *d, const struct diag *setup, struct strvec *found)
{
	int rc;

	adopt(d, setup);
	for (size_t i = 0; i < diag_nsteps; i++)
		if (diag_steps[i].fn == step_validate_eas)
			d->policy = &diag_steps[i].fail;
	rc = step_list_services(d, found);
	d->policy = NULL;
	if (signals_first()) {
		diag_interrupt(d, signals_first());
		rc = -1;
	}
	return rc;
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
	step_restore(d);
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
	} else if (d->outcome == OUTCOME_TIMEOUT && resume && d->expired) {
		inform("task %s is still %s after --max-wait (%lld s, %d polls); "
		    "resume with: %s", d->task_id, d->status ? d->status :
		    "unknown", (long long)d->opt->max_wait, d->polls, resume);
	} else if (d->outcome == OUTCOME_TIMEOUT && resume) {
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

char *
diag_resume_command(const struct diag *d)
{
	const char *task = d->task_id;

	if (task == NULL && d->resume_instance && d->opt->instance)
		return resume_instance(d->opt);
	return resume_command(d->opt, d->opt->region ? d->opt->region :
	    d->echo_region ? d->echo_region : "REGION", &task, task ? 1 : 0);
}

/* An outcome as an exit code: --fail-on for verdicts, 128+N for signals. */
int
diag_exit_code(const struct diag *d, enum fail_on fail_on)
{
	switch (d->outcome) {
	case OUTCOME_WARN:
		return outcome_exit_code(fail_on == FAIL_ON_WARN ?
		    OUTCOME_WARN : OUTCOME_HEALTHY);
	case OUTCOME_CRITICAL:
		return outcome_exit_code(fail_on == FAIL_ON_NEVER ||
		    fail_on == FAIL_ON_NEW ? OUTCOME_HEALTHY : OUTCOME_CRITICAL);
	case OUTCOME_INTERRUPTED:
		return d->signal ? 128 + d->signal :
		    outcome_exit_code(OUTCOME_INTERRUPTED);
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
	for (size_t i = 0; i < d->tally.n; i++)
		free(d->tally.v[i].severity);
	free(d->tally.v);
	diag_reply_release(d);
	free(d->echo_instance);
	free(d->echo_product);
	free(d->echo_region);
	free(d->err.code);
	free(d->err.message);
	free(d->err.request_id);
	strvec_clear(&d->warnings);
	free(d->version);
	cJSON_free(d->params);
	cJSON_Delete(d->baseline);
	if (msg_warnings == &d->warnings)
		msg_warnings = NULL;
}
