/*
 * The inside of the MCP server's tools, shared by mcp_run.c (reading
 * arguments, running a diagnosis from them, its answer as JSON),
 * mcp_tools.c (diagnose, wait, result), mcp_reports.c (doctor, plan,
 * history, diff) and mcp_schema.c (the table of tools).  Nothing outside
 * the MCP server includes this header.
 */
#ifndef PAI_DIAG_MCP_RUN_H
#define PAI_DIAG_MCP_RUN_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "mcp.h"
#include "strvec.h"

/* The most targets or tasks one call takes. */
#define MCP_MAX_TARGETS 64

/*
 * One diagnosis as a tool runs it: a command line made of its arguments
 * (argv[0] pushed by mcp_run_start(); push the rest), read over the option
 * table by mcp_run_parse() exactly as main() reads one, so every value is
 * checked as the CLI checks it; then the server's own options (profile,
 * --no-setup) apply.  mcp_run_parse() returns 0, or -1 with the usage
 * error in r->d; either way mcp_run_release() frees it all.
 */
struct run {
	struct strvec argv;
	struct cli cli;
	struct options opt;
	struct diag d;
};

void mcp_run_start(struct run *r);
/* The command line of a target: common's options (past argv[0]), then it. */
void mcp_run_target(struct run *r, const struct strvec *common,
    const char *spec);
int mcp_run_parse(struct mcp *m, struct run *r);
void mcp_run_release(struct run *r);

/*
 * Arguments: 0, or MCP_BAD_ARGS with *text saying why.  mcp_arg_str():
 * an optional string (*v NULL when absent).  mcp_arg_num(): an optional
 * number in [min, max] (*v left when absent).  mcp_arg_list(): the array
 * of strings named many and the one string named one, onto out; at least
 * one in all, at most MCP_MAX_TARGETS.  mcp_diagnosis_args(): region,
 * product, window, description and uid as options onto argv.
 */
int mcp_arg_str(const cJSON *args, const char *key, const char **v,
    char **text);
int mcp_arg_num(const cJSON *args, const char *key, double min, double max,
    double *v, char **text);
int mcp_arg_list(const cJSON *args, const char *many, const char *one,
    struct strvec *out, char **text);
int mcp_diagnosis_args(const cJSON *args, struct strvec *argv, char **text);

/* A run's outcome, exit code and error onto item. */
void mcp_add_error(cJSON *item, const struct diag *d);
/* "outcome: message" of a run that failed; owned. */
char *mcp_error_text(const struct diag *d);

/* The tools (mcp_tool_fn). */
mcp_tool_fn mcp_tool_diagnose, mcp_tool_wait, mcp_tool_result,
    mcp_tool_doctor, mcp_tool_plan, mcp_tool_history, mcp_tool_diff;

#endif
