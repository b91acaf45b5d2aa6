/*
 * What the MCP tools share (see mcp_run.h): a diagnosis read from a
 * command line made of the tool's arguments, the arguments themselves,
 * and what a run says, as JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defaults.h"
#include "mcp_run.h"
#include "msg.h"
#include "outcome.h"
#include "progress.h"
#include "workflow.h"

void
mcp_run_start(struct run *r)
{
	memset(r, 0, sizeof(*r));
	strvec_push(&r->argv, "pai-diag");
}

/*
 * Reads r's command line over the option table as main() does; the
 * server's own options (profile, setup, cadence) then apply.  Returns 0,
 * or -1 with the usage error in r->d.  The server's progress settings
 * stay: a tool's arguments do not choose them.
 */
int
mcp_run_parse(struct mcp *m, struct run *r)
{
	enum progress_mode shown = msg_progress;
	int verbosity = msg_verbosity, rc;

	r->opt = (struct options){ .poll_interval = m->opt->poll_interval,
	    .max_polls = DEFAULT_MAX_POLLS, .call_timeout = DEFAULT_CALL_TIMEOUT,
	    .fail_on = FAIL_ON_WARN, .jobs = DEFAULT_JOBS };
	r->cli = (struct cli){ .table = m->table, .n = m->ntable,
	    .targets = STRVEC_INIT, .multi = STRVEC_INIT };
	diag_init(&r->d, &r->opt);
	rc = cli_parse(&r->cli, &r->d, &r->opt, (int)r->argv.n,
	    r->argv.v);
	msg_progress = shown;
	msg_verbosity = verbosity;
	r->opt.profile = m->opt->profile;
	r->opt.no_setup = m->opt->no_setup;
	return rc;
}

void
mcp_run_target(struct run *r, const struct strvec *common, const char *spec)
{
	mcp_run_start(r);
	for (size_t i = 1; i < common->n; i++)
		strvec_push(&r->argv, common->v[i]);
	strvec_pushl(&r->argv, "--instance", spec, NULL);
}

void
mcp_run_release(struct run *r)
{
	diag_release(&r->d);
	cli_release(&r->cli);
	free(r->opt.ocd_description);
	free(r->opt.output_path);
	strvec_clear(&r->argv);
}

/* --- Arguments ---------------------------------------------------------- */

/* An optional string argument: 0 (*v NULL when absent), or MCP_BAD_ARGS. */
int
mcp_arg_str(const cJSON *args, const char *key, const char **v, char **text)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(args, key);

	*v = NULL;
	if (j == NULL || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsString(j)) {
		*text = xasprintf("%s must be a string", key);
		return MCP_BAD_ARGS;
	}
	*v = j->valuestring;
	return 0;
}

/* An optional number in [min, max], else def; 0 or MCP_BAD_ARGS. */
int
mcp_arg_num(const cJSON *args, const char *key, double min, double max,
    double *v, char **text)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(args, key);

	if (j == NULL || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsNumber(j) || j->valuedouble < min || j->valuedouble > max) {
		*text = xasprintf("%s must be a number from %g to %g", key, min,
		    max);
		return MCP_BAD_ARGS;
	}
	*v = j->valuedouble;
	return 0;
}

/*
 * The list argument (an array of strings) and its one-item form (a
 * string) onto out; at least one, at most MCP_MAX_TARGETS.
 */
int
mcp_arg_list(const cJSON *args, const char *many, const char *one,
    struct strvec *out, char **text)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(args, many), *j;
	const char *single;

	if (mcp_arg_str(args, one, &single, text) < 0)
		return MCP_BAD_ARGS;
	if (list && !cJSON_IsNull(list) && !cJSON_IsArray(list))
		goto bad;
	cJSON_ArrayForEach(j, list) {
		if (!cJSON_IsString(j))
			goto bad;
		strvec_push(out, j->valuestring);
	}
	if (single)
		strvec_push(out, single);
	if (out->n == 0 || out->n > MCP_MAX_TARGETS) {
		*text = xasprintf("give %s (1 to %d), or %s", many,
		    MCP_MAX_TARGETS, one);
		return MCP_BAD_ARGS;
	}
	return 0;
bad:
	*text = xasprintf("%s must be an array of strings", many);
	return MCP_BAD_ARGS;
}

/* The arguments of a new diagnosis, as options onto argv. */
int
mcp_diagnosis_args(const cJSON *args, struct strvec *argv, char **text)
{
	static const char *const keys[] = { "region", "product", "since",
	    "start", "end", "description", "uid" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v;

		if (mcp_arg_str(args, keys[i], &v, text) < 0)
			return MCP_BAD_ARGS;
		if (v) {
			strvec_pushf(argv, "--%s", keys[i]);
			strvec_push(argv, v);
		}
	}
	return 0;
}

/* --- What a run says ----------------------------------------------------- */

/* What ended a run that did not get where it should: onto item. */
void
mcp_add_error(cJSON *item, const struct diag *d)
{
	cJSON *e;

	cJSON_AddStringToObject(item, "outcome", outcome_name(d->outcome));
	cJSON_AddNumberToObject(item, "exit_code",
	    diag_exit_code(d, FAIL_ON_WARN));
	if (!d->error_set)
		return;
	e = cJSON_AddObjectToObject(item, "error");
	cJSON_AddStringToObject(e, "source", d->err.source);
	cJSON_AddStringToObject(e, "code", d->err.code);
	cJSON_AddStringToObject(e, "message", d->err.message);
}

char *
mcp_error_text(const struct diag *d)
{
	return xasprintf("%s: %s", outcome_name(d->outcome), d->error_set ?
	    d->err.message : "no message");
}

