/*
 * `pai-diag mcp`: a Model Context Protocol server on stdio.  mcp.c owns
 * the transport (one JSON-RPC 2.0 message a line on stdin and stdout,
 * nothing else on stdout) and the protocol (initialize, ping, tools/list,
 * tools/call); mcp_tools.c owns the tools, each a diagnosis in parts: one
 * setup for the server's life (like a fleet's), a task started by
 * `diagnose` and waited for by `wait` in calls short enough for any host.
 */
#ifndef PAI_DIAG_MCP_H
#define PAI_DIAG_MCP_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "diag.h"
#include "fdio.h"
#include "options.h"

/* The longest message read; a longer line is answered with an error. */
#define MCP_MAX_LINE (1u << 20)
/* The longest a `wait` may take: hosts cut a call at 60 seconds. */
#define MCP_MAX_WAIT 50

struct mcp {
	/*
	 * main()'s run: the aliyun it found, then the setup (steps 1-7) at
	 * the first `diagnose`, restored (step 11) when the server ends.
	 */
	struct diag *base;
	const struct options *opt;	/* the server's command line */
	/* The option table: tool arguments are read as a command line. */
	const struct cli_option *table;
	size_t ntable;
	const char *version;
	bool setup_ran;		/* diag_setup() ran: restore at the end */
	bool setup_ok;
	const cJSON *progress_token;	/* the running call's, or NULL */
	bool broken;		/* stdout is gone: the server ends */

	/*
	 * stdin, and what a tool's pauses read from it while it runs: the
	 * messages that came (answered after the call, in order), whether
	 * the client cancelled the call (then it is not answered) and
	 * whether stdin ended.
	 */
	struct fdio_reader *rd;
	struct strvec queued;
	size_t next;		/* the first of queued not handled yet */
	const cJSON *call_id;	/* the running call's id */
	bool cancelled;
	bool ended;
};

/*
 * A tool's answer: 0 with *structured (owned) and *text (owned, short);
 * MCP_TOOL_ERROR with *text saying why (a result with isError: true);
 * MCP_BAD_ARGS with *text (the JSON-RPC error -32602).
 */
enum { MCP_TOOL_ERROR = -1, MCP_BAD_ARGS = -2 };
typedef int mcp_tool_fn(struct mcp *m, const cJSON *args, cJSON **structured,
    char **text);

struct mcp_tool {
	const char *name;
	const char *description;
	const char *input_schema;	/* JSON Schema, as JSON text */
	const char *output_schema;
	mcp_tool_fn *fn;
};

extern const struct mcp_tool mcp_tools[];
extern const size_t mcp_ntools;

/*
 * Sends notifications/progress for the running call when its request
 * gave a progress token; progress must grow from one call to the next.
 */
void mcp_progress(struct mcp *m, double progress, const char *message);

/*
 * A tool's pause of up to seconds between two polls, reading what comes
 * on stdin meanwhile.  Returns 0, or -1 as soon as the client cancels the
 * call, stdin ends or a signal comes: the tool then answers at once.
 */
int mcp_pause(struct mcp *m, double seconds);

/*
 * Serves until stdin ends (0) or a signal comes (128 + its number); the
 * setup, when it ran, is restored first.  m's fields but the flags set.
 */
int mcp_serve(struct mcp *m);

#endif
