/*
 * The diagnosis itself, as the rest of the program sees it: run it whole,
 * or in parts for a fleet; plan it; read what it found.  The steps are a
 * table in workflow.c (see steps.h); the state is struct diag (diag.h).
 */
#ifndef PAI_DIAG_WORKFLOW_H
#define PAI_DIAG_WORKFLOW_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "diag.h"
#include "options.h"

/* Prepares d for a run with the given options; nothing runs yet. */
void diag_init(struct diag *d, const struct options *opt);

/*
 * Runs the whole workflow, cleanup included, and sets d->outcome.  The
 * aliyun executable must already be resolved into d->aliyun.path.
 */
void diag_run(struct diag *d);

/*
 * The same run in parts, for fleet mode: diag_setup() runs steps 1-7 once
 * (7 only when need_sysom) and returns 0 when they went through;
 * diag_target() runs steps 8-10 for one target with the environment the
 * setup established (thread-safe across targets); diag_cleanup() is step
 * 11; diag_finish() prints what an interrupted or timed-out run must say.
 */
int diag_setup(struct diag *d, bool need_sysom);
void diag_target(struct diag *d, const struct diag *setup);
void diag_cleanup(struct diag *d);
/*
 * --discover: the EAS services of d's region (d's options name it) onto
 * found as "ID\tSTATUS", with the aliyun the setup found.  Returns 0, or
 * -1 with d's outcome and error set.
 */
int diag_discover(struct diag *d, const struct diag *setup,
    struct strvec *found);
/* Marks a run interrupted by sig (its task, if any, goes on). */
void diag_interrupt(struct diag *d, int sig);
void diag_finish(struct diag *d);

/* `pai-diag doctor`: steps 4 and 6 only, recording what they found. */
void diag_doctor(struct diag *d);

/* The --dry-run plan: every command a run would start, in order. */
struct diag_plan {
	struct {
		struct strvec argv;
		const char *note;	/* static text, or NULL */
	} cmds[16];
	size_t n;
};

void diag_plan(struct diag *d, struct diag_plan *p);
void diag_plan_release(struct diag_plan *p);

/* Records a usage or start-up error before any step ran. */
void diag_fail(struct diag *d, enum outcome o, const char *source,
    const char *code, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * The command that resumes the task (resume_command() for the run's one
 * task), or NULL when none exists; owned.
 */
char *diag_resume_command(const struct diag *d);

/*
 * Copies from's outcome, signal and error (when d has none yet) into d:
 * a fleet target that never ran ends as its setup did.
 */
void diag_copy_error(struct diag *d, const struct diag *from);

/* The result's summary fields, borrowed; NULL when absent. */
const char *diag_overall_status(const struct diag *d);
const char *diag_root_cause(const struct diag *d);
cJSON *diag_suggestions(const struct diag *d);
const char *diag_url(const struct diag *d);

/* The members of a poll reply's "data" that may hold the engine result. */
extern const char *const diag_result_keys[];

/*
 * Reading a poll's reply (d->data): the engine result of a Success into
 * d->res, decoded when it came as a JSON string (false when there is none
 * or it is empty); what the task's echoed params say of its target; the
 * verdict of an overall_status (any case; unknown or missing counts as
 * Warn).
 */
bool diag_take_result(struct diag *d);
/*
 * Keeps a poll's reply, taking its text, its tree and what it held (the
 * caller set r->hold to diag_result_keys) as d->reply_text, d->reply,
 * d->data and d->held, and its status (shown safe) in d->status; returns
 * the raw status, borrowed, or NULL when the reply has none.
 * diag_take_reply_text() does the same from a copy of text (for tests),
 * and also returns NULL when text holds no JSON document.
 * diag_reply_release() frees the reply and the result read from it.
 */
const char *diag_take_reply(struct diag *d, struct aliyun_reply *r);
const char *diag_take_reply_text(struct diag *d, const char *text,
    size_t len);
void diag_reply_release(struct diag *d);
/*
 * Frees the reply and the result's text once its report was written,
 * keeping that there was a result and its summary (a fleet's table).
 */
void diag_reply_drop(struct diag *d);

/*
 * Lets a fleet's memory gate go (child.h) when this run holds it: done
 * before each command and before a poll's wait, and by the fleet when
 * the target has ended (its result spooled), so one target holds it only
 * while it works on a large answer.
 */
void diag_gate_release(struct diag *d);
void diag_take_echo(struct diag *d);
enum outcome diag_verdict(const char *overall);

/* Whether the task's last status was Fail (in any case). */
bool diag_task_failed(const struct diag *d);

/* The exit code of the run's outcome under --fail-on. */
int diag_exit_code(const struct diag *d, enum fail_on fail_on);

void diag_release(struct diag *d);

#endif
