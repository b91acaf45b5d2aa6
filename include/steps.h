/*
 * The step engine's inside, shared by workflow.c (the table and the runner)
 * and the step files: step_setup.c (steps 1-5 and the restore, step 11),
 * step_credentials.c (step 6), step_target.c (step 8), step_task.c (steps
 * 7, 9 and 10).  Nothing outside the workflow includes this header.
 *
 * Every failure of an aliyun call in a step goes through step_failed(),
 * which reads the step's row of the table: its failure policy says which
 * outcome an access, a transient or any other failure is.  Steps handle
 * only their real special cases themselves (TaskInProgress, a DLC job that
 * does not exist, the profile fallback, a failed plugin update).
 */
#ifndef PAI_DIAG_STEPS_H
#define PAI_DIAG_STEPS_H

#include <stdbool.h>

#include "aliyun.h"
#include "commands.h"
#include "defaults.h"
#include "diag.h"

#define RAM_DOC "references/ram-policies.md"

/* How a step's failed aliyun call ends the run. */
struct fail_policy {
	const char *what;	/* "cannot list EAS services": message start */
	const char *source;	/* error source when the server answered */
	const char *action;	/* RAM action to name when the reply has none */
	/*
	 * Advice in place of "the RAM user needs ACTION", for access denied
	 * and for a missing service-linked role; a hint with `then` names the
	 * RAM action between its two parts.  No role hint: a missing role is
	 * no access problem for this step.
	 */
	struct hint {
		const char *text, *then;
	} denied_hint, role_hint;
	const char *rejected;	/* message start of an `other` failure */
	bool setup;		/* a setup command: exit 3, or "update aliyun" */
	enum outcome transient;	/* network, throttling, 5xx, garbage */
	enum outcome other;	/* any other answer of the server */
};

enum step_flags {
	SETUP = 1,		/* changes the user's aliyun configuration */
	TARGET = 2,		/* validates and starts a task; not with --task-id */
	PHASE_SETUP = 4,	/* once per run, whatever the targets */
	PHASE_TARGET = 8,	/* once per target */
	PHASE_RESTORE = 16,	/* after the table, on every path (step 11) */
	EAS_ONLY = 32,
	DLC_ONLY = 64,
	WAITS = 128,		/* waits for the task: not when a run only starts it */
};

/* One row of the table: what runs, when, how it fails, what it plans. */
struct step {
	const char *name;	/* progress line; NULL: the step says more */
	int (*fn)(struct diag *d);
	unsigned flags;
	bool (*skip)(const struct diag *d);	/* not needed this time */
	struct fail_policy fail;
	struct {
		enum cmd_id cmd;
		const char *note;
	} plan[2];		/* the commands it runs, for --dry-run */
};

/* The steps, defined in the files named above. */
int step_ai_mode(struct diag *d);
int step_user_agent(struct diag *d);
int step_plugin_update(struct diag *d);
bool plugins_fresh(const struct diag *d);
int step_version(struct diag *d);
int step_auto_install(struct diag *d);
int step_credentials(struct diag *d);
int step_initial_sysom(struct diag *d);
int step_validate_eas(struct diag *d);
int step_validate_dlc(struct diag *d);
/*
 * --discover: every EAS service of d's region onto found, as "ID\tSTATUS"
 * (STATUS empty when the service has none), under step_validate_eas's
 * failure policy.  Returns 0, or -1 when the run has ended.
 */
int step_list_services(struct diag *d, struct strvec *found);
int step_invoke(struct diag *d);
int step_poll(struct diag *d);
void step_restore(struct diag *d);

/* The table, for the runner and the --dry-run plan. */
extern const struct step diag_steps[];
extern const size_t diag_nsteps;
/* Whether row s runs for these options (setup, target, product, skip). */
bool step_wanted(const struct diag *d, const struct step *s);

/* Runs a command of commands.c with this run's values (page: ListServices),
 * after its turn in the rate budget (step_run.c). */
int run(struct diag *d, struct aliyun_reply *r, enum cmd_id id,
    const char *page);
/* run(), once more after --poll-interval for a transient failure, and
 * again after a backoff for as long as it is throttled. */
int run_retrying(struct diag *d, struct aliyun_reply *r, enum cmd_id id,
    const char *page);
/* Ends the run by the step's failure policy; returns -1. */
int step_failed(struct diag *d, const struct aliyun_reply *r);
/* Ends the run with outcome o and a message; returns -1. */
int fail(struct diag *d, enum outcome o, const char *source, const char *code,
    const char *request_id, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* The same for a reply: "what: <why>", its code and request id. */
int fail_reply(struct diag *d, enum outcome o, const struct aliyun_reply *r,
    const char *source, const char *what);
/* Records the error that ended the run (the first one only). */
void set_error(struct diag *d, const char *source, const char *code,
    const char *message, const char *request_id);
/* A reply cut short by a signal: marks the run interrupted. */
bool interrupted(struct diag *d, const struct aliyun_reply *r);
bool is_access(const struct aliyun_reply *r);

/* A setup command failed: exit 3, or "update aliyun" (step_setup.c). */
int fail_setup(struct diag *d, const struct aliyun_reply *r,
    const char *what);
/* Runs `aliyun version` once; the version or NULL (step_setup.c). */
const char *ensure_version(struct diag *d);
/* aliyun's configuration directory, where AI mode lives; owned. */
char *aliyun_config_dir(void);

/* Credentials (step_credentials.c). */
const char *env_nonempty(const char *name);
bool env_credentials(void);
const char *credentials_in_use(const struct diag *d);

/* The params JSON of invoke-diagnosis, built once (step_task.c). */
void build_params(struct diag *d);

#endif
