/*
 * The MCP tools that run no diagnosis: `doctor`, `plan` (the --dry-run
 * plan), `history` and `diff`, each the document its command prints with
 * -o json.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "json.h"
#include "mcp_run.h"
#include "msg.h"
#include "outcome.h"
#include "params.h"
#include "report.h"
#include "workflow.h"

static int
render_doctor(FILE *f, const void *arg)
{
	const struct diag *d = arg;

	return report_doctor_json(f, d, diag_exit_code(d, FAIL_ON_WARN));
}

int
mcp_tool_doctor(struct mcp *m, const cJSON *args, cJSON **out,
    char **text)
{
	struct run r;
	int rc = 0;

	(void)args;
	mcp_run_start(&r);
	strvec_push(&r.argv, "doctor");
	if (mcp_run_parse(m, &r) < 0) {
		*text = mcp_error_text(&r.d);
		rc = MCP_TOOL_ERROR;
	} else {
		r.d.aliyun.path = xstrdup(m->base->aliyun.path);
		diag_doctor(&r.d);
		*out = json_rendered(render_doctor, &r.d);
		*text = xasprintf("doctor: %s", outcome_name(r.d.outcome));
	}
	mcp_run_release(&r);
	return rc;
}

/* A target's plan, what report_plan_json() takes. */
struct planned {
	const struct diag *d;
	const struct diag_plan *p;
};

static int
render_plan(FILE *f, const void *arg)
{
	const struct planned *pl = arg;

	return report_plan_json(f, pl->d, pl->p, 0);
}

/* One target's --dry-run plan, or why it has none. */
static cJSON *
plan_one(struct mcp *m, const struct strvec *common, const char *spec)
{
	struct diag_plan plan;
	struct planned pl = { NULL, &plan };
	cJSON *item;
	struct run r;

	memset(&plan, 0, sizeof(plan));
	mcp_run_target(&r, common, spec);
	strvec_push(&r.argv, "--dry-run");
	if (mcp_run_parse(m, &r) < 0) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "instance", spec);
		mcp_add_error(item, &r.d);
	} else {
		r.d.aliyun.path = xstrdup(m->base->aliyun.path);
		diag_plan(&r.d, &plan);
		pl.d = &r.d;
		item = json_rendered(render_plan, &pl);
	}
	diag_plan_release(&plan);
	mcp_run_release(&r);
	return item;
}

int
mcp_tool_plan(struct mcp *m, const cJSON *args, cJSON **out,
    char **text)
{
	struct strvec common = STRVEC_INIT, targets = STRVEC_INIT;
	cJSON *plans;
	int rc;

	strvec_push(&common, "pai-diag");
	if ((rc = mcp_arg_list(args, "instances", "instance", &targets, text)) < 0 ||
	    (rc = mcp_diagnosis_args(args, &common, text)) < 0)
		goto out;
	*out = cJSON_CreateObject();
	plans = cJSON_AddArrayToObject(*out, "plans");
	for (size_t i = 0; i < targets.n; i++)
		cJSON_AddItemToArray(plans, plan_one(m, &common, targets.v[i]));
	*text = xasprintf("the plan of %zu target(s); nothing ran", targets.n);
out:
	strvec_clear(&common);
	strvec_clear(&targets);
	return rc;
}

/* The optional target of history and diff: ID or ID@REGION. */
static int
history_target(const cJSON *args, char **id, char **region, char **text)
{
	const char *spec;
	char err[256];

	*id = *region = NULL;
	if (mcp_arg_str(args, "instance", &spec, text) < 0)
		return MCP_BAD_ARGS;
	if (spec && (split_target(spec, id, region, err, sizeof(err)) < 0 ||
	    check_instance_id(*id, err, sizeof(err)) < 0)) {
		*text = xasprintf("instance: %s", err);
		return MCP_TOOL_ERROR;
	}
	return 0;
}

int
mcp_tool_history(struct mcp *m, const cJSON *args, cJSON **out,
    char **text)
{
	char *id, *region, err[512];
	int rc;

	(void)m;
	if ((rc = history_target(args, &id, &region, text)) == 0) {
		if ((*out = history_list_doc(id, region, err,
		    sizeof(err))) == NULL) {
			*text = xasprintf("history: %s", err);
			rc = MCP_TOOL_ERROR;
		} else {
			*text = xasprintf("%d run(s) kept", cJSON_GetArraySize(
			    cJSON_GetObjectItem(*out, "history")));
		}
	}
	free(id);
	free(region);
	return rc;
}

/* A run diff compares: a task id, or last / previous of the instance. */
static int
check_run(const char *run, const char *id, char **text)
{
	char err[256];

	if (strcmp(run, "last") == 0 || strcmp(run, "previous") == 0) {
		if (id != NULL)
			return 0;
		*text = xasprintf("diff %s needs the instance", run);
		return MCP_TOOL_ERROR;
	}
	if (check_task_id(run, err, sizeof(err)) < 0) {
		*text = xasprintf("diff: %s (or last, previous)", err);
		return MCP_TOOL_ERROR;
	}
	return 0;
}

int
mcp_tool_diff(struct mcp *m, const cJSON *args, cJSON **out,
    char **text)
{
	char *id = NULL, *region = NULL, err[512];
	const char *a, *b;
	int rc;

	(void)m;
	if ((rc = mcp_arg_str(args, "a", &a, text)) < 0 ||
	    (rc = mcp_arg_str(args, "b", &b, text)) < 0)
		return rc;
	if (a == NULL || b == NULL) {
		*text = xstrdup("diff needs a and b");
		return MCP_BAD_ARGS;
	}
	if ((rc = history_target(args, &id, &region, text)) < 0 ||
	    (rc = check_run(a, id, text)) < 0 || (rc = check_run(b, id,
	    text)) < 0)
		goto out;
	if ((*out = history_diff_doc(a, b, id, region, err,
	    sizeof(err))) == NULL) {
		*text = xasprintf("diff: %s", err);
		rc = MCP_TOOL_ERROR;
	} else {
		*text = xasprintf("%d new, %d resolved, %d persisting",
		    cJSON_GetArraySize(cJSON_GetObjectItem(*out, "new")),
		    cJSON_GetArraySize(cJSON_GetObjectItem(*out, "resolved")),
		    cJSON_GetArraySize(cJSON_GetObjectItem(*out, "persisting")));
	}
out:
	free(id);
	free(region);
	return rc;
}
