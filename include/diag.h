/*
 * The state of one diagnosis: what the steps learn and build up (task id,
 * status, polls, the engine's result or the error that ended the run).
 * The steps write it; the reports read it; workflow.h is its API.
 */
#ifndef PAI_DIAG_DIAG_H
#define PAI_DIAG_DIAG_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "aimode.h"
#include "aliyun.h"
#include "configure_list.h"
#include "msg.h"
#include "options.h"
#include "strvec.h"

struct fail_policy;

struct diag_error {
	char *code;		/* service code, or the outcome's name */
	const char *source;	/* "sysom", "eas", "pai-dlc", "aliyun", "pai-diag" */
	char *message;
	char *request_id;
};

/*
 * The engine's result of a Success: a JSON object with members, as text
 * (inside reply_text, decoded there when it came as a JSON string), and
 * the parts the reports read.  The text is not redacted: the renderers
 * redact what they print from it (jprint.h).
 */
struct diag_result {
	bool ok;		/* there is a result to show */
	struct jspan text;
	cJSON *summary;		/* owned, redacted: its "summary", or NULL */
	char *url;		/* owned, redacted: its "url", or NULL */
	struct jspan issues;	/* its "issues" when an array, else n == 0 */
	size_t n_issues;
};

/*
 * A result's issues counted by severity, lower-cased: what --metrics-file
 * needs of a result a fleet drops once the target's part is spooled
 * (kept is then true; report.h counts them).
 */
struct severity_count {
	char *severity;		/* owned */
	size_t n;
};
struct severity_tally {
	struct severity_count *v;	/* owned */
	size_t n;
	bool kept;
};

struct diag {
	const struct options *opt;
	struct aliyun aliyun;

	enum outcome outcome;
	int signal;		/* SIGINT/SIGTERM that interrupted the run */

	char *task_id;		/* NULL until a task exists */
	bool attached;		/* TaskInProgress or --task-id gave the task */
	bool resume_instance;	/* a fleet target never started: resumed as such */
	cJSON *baseline;	/* --baseline: the diff with it (history.h), owned */
	char *status;		/* last status seen, or NULL */
	int polls;		/* get-diagnosis-result calls made */
	/*
	 * Flow control: the throttled answers of this target, the ones in a
	 * row of its polls (the backoff's exponent), when its next poll may
	 * go at the earliest, and its --max-wait deadline (monotonic, 0:
	 * none), which `expired` says was reached.
	 */
	int throttled;
	int throttle_streak;
	double retry_at;
	double deadline;
	bool expired;

	/*
	 * The last poll's reply: its text, and a tree of all of it but the
	 * engine result, which is read from the text in place (a 20 MB
	 * result is never a tree).  held[] locates data's members named in
	 * diag_result_keys[] in reply_text.
	 */
	char *reply_text;	/* owned */
	cJSON *reply;		/* owned */
	cJSON *data;		/* borrowed from reply: its "data" */
	struct jspan held[JSON_HELD_MAX];
	struct diag_result res;	/* the engine result at Success */

	/* What --task-id learnt from the task's echoed params; owned. */
	char *echo_instance, *echo_product, *echo_region;
	bool echo_realtime;
	double echo_start, echo_end;
	bool echo_known;

	struct diag_error err;
	bool error_set;
	struct severity_tally tally;

	/*
	 * When the run began (monotonic) and ended (Unix time), and its wall
	 * time; 0 for a run that never began (a fleet's target after its
	 * setup failed).
	 */
	double began, ended, elapsed;
	struct strvec warnings;	/* every warning() of the run */

	bool ai_mode_on;	/* step 1 switched AI mode on: restore it */
	bool no_ai_mode;	/* the CLI predates `configure ai-mode` */
	bool ai_shared;		/* another live run had set AI mode up */
	struct aimode_state ai_before;	/* what `show` said before step 1 */
	struct aimode aimode;	/* the register of runs sharing AI mode */
	const char *restore_user_agent;	/* borrowed, for step 11 */
	double last_call;	/* when the last invoke or poll began */
	double poll_offset;	/* fleet: delay of an attached task's 1st poll */
	bool skip_target_steps;	/* fleet setup: no target needs step 7 */
	/* `pai-diag mcp`: the target steps start the task, another call polls */
	bool start_only;
	char *params;		/* the params JSON text (cJSON_free) */
	bool version_known;
	char *version;

	/* What steps 4 and 6 learnt, for `doctor`. */
	struct profile_info profile;
	bool profile_found;
	bool env_credentials;	/* complete credentials in the environment */
	const struct fail_policy *policy;	/* the running step's */
};

#endif
