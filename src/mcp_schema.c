/*
 * The MCP server's tools as tools/list shows them: name, description and
 * the JSON Schemas of their arguments and of their structuredContent.
 * The output schemas say what every answer holds and leave the rest open
 * (the envelope's own schema is docs/envelope.schema.json), since a
 * client checks each answer against them.
 */
#include <stddef.h>

#include "mcp_run.h"

#define STR "{\"type\":\"string\"}"
#define OBJ "{\"type\":\"object\"}"

/* The arguments of a new diagnosis: its targets, region and window. */
#define DIAGNOSIS_ARGS \
	"\"region\":{\"type\":\"string\",\"description\":\"region of the " \
	"targets, e.g. cn-hangzhou (a target may name its own as " \
	"ID@REGION)\"}," \
	"\"instances\":{\"type\":\"array\",\"items\":" STR ",\"description\":" \
	"\"EAS service ids (eas-m-...) or DLC job ids (dlc...), each ID or " \
	"ID@REGION\"}," \
	"\"instance\":{\"type\":\"string\",\"description\":\"one target, " \
	"as in instances\"}," \
	"\"product\":{\"type\":\"string\",\"description\":\"EAS or DLC; " \
	"inferred from the id when absent\"}," \
	"\"since\":{\"type\":\"string\",\"description\":\"a historical " \
	"window ending now: 90s, 30m, 2h, 1d\"}," \
	"\"start\":{\"type\":\"string\",\"description\":\"window start: Unix " \
	"seconds or ISO 8601\"}," \
	"\"end\":{\"type\":\"string\",\"description\":\"window end (default " \
	"now; needs start)\"}," \
	"\"description\":{\"type\":\"string\",\"description\":\"the problem, " \
	"in English\"}," \
	"\"uid\":{\"type\":\"string\",\"description\":\"account id owning " \
	"the resource\"}"

/* A task as wait and result answer it. */
#define TASK_ITEM \
	"{\"type\":\"object\",\"properties\":{\"task_id\":" STR "," \
	"\"region\":" STR ",\"status\":{\"type\":\"string\",\"enum\":" \
	"[\"done\",\"running\"]},\"polls\":{\"type\":\"integer\"}," \
	"\"task_status\":" STR ",\"warning\":" STR ",\"outcome\":" STR "," \
	"\"exit_code\":{\"type\":\"integer\"},\"source\":" STR "," \
	"\"envelope\":" OBJ "},\"required\":[\"task_id\",\"status\"]}"

#define TASK_IDS \
	"\"task_ids\":{\"type\":\"array\",\"items\":" STR ",\"description\":" \
	"\"the tasks diagnose started: TASK@REGION (or TASK with " \
	"region)\"}," \
	"\"task_id\":{\"type\":\"string\",\"description\":\"one task, as in " \
	"task_ids\"}," \
	"\"region\":{\"type\":\"string\",\"description\":\"region of the " \
	"tasks given without one\"}"

const struct mcp_tool mcp_tools[] = {
	{ "diagnose", "Starts a SysOM root-cause diagnosis of each PAI EAS "
	    "service or DLC job and returns at once with its task (TASK@REGION)"
	    "; the first call also sets the aliyun CLI up (AI mode), which is "
	    "put back when the server ends.  Then call wait with the tasks.",
	    "{\"type\":\"object\",\"properties\":{" DIAGNOSIS_ARGS "}}",
	    "{\"type\":\"object\",\"properties\":{\"tasks\":{\"type\":\"array\","
	    "\"items\":{\"type\":\"object\",\"properties\":{\"instance\":" STR
	    ",\"region\":" STR ",\"product\":" STR ",\"task_id\":" STR
	    ",\"task\":" STR ",\"attached\":{\"type\":\"boolean\"},"
	    "\"outcome\":" STR ",\"exit_code\":{\"type\":\"integer\"},"
	    "\"error\":" OBJ "},\"required\":[\"instance\"]}},"
	    "\"started\":{\"type\":\"integer\"}},"
	    "\"required\":[\"tasks\",\"started\"]}",
	    mcp_tool_diagnose },
	{ "wait", "Polls tasks that diagnose started until each is done or "
	    "timeout_seconds (at most 50) pass; a done task comes with its "
	    "report (the JSON envelope of pai-diag -o json), a running one "
	    "with its status: call wait again for it.  Sends a progress "
	    "notification after each poll round when given a progressToken.",
	    "{\"type\":\"object\",\"properties\":{" TASK_IDS ","
	    "\"timeout_seconds\":{\"type\":\"number\",\"minimum\":0,"
	    "\"maximum\":50,\"default\":50},"
	    "\"poll_interval\":{\"type\":\"number\",\"minimum\":0,"
	    "\"description\":\"seconds between polls (default the server's "
	    "--poll-interval)\"}}}",
	    "{\"type\":\"object\",\"properties\":{\"tasks\":{\"type\":\"array\","
	    "\"items\":" TASK_ITEM "},\"done\":{\"type\":\"boolean\"}},"
	    "\"required\":[\"tasks\",\"done\"]}",
	    mcp_tool_wait },
	{ "result", "The report of a finished task: from the history of "
	    "kept runs, else one poll of it (then it may still be running).",
	    "{\"type\":\"object\",\"properties\":{" TASK_IDS "},"
	    "\"required\":[\"task_id\"]}",
	    "{\"type\":\"object\",\"properties\":{\"tasks\":{\"type\":\"array\","
	    "\"items\":" TASK_ITEM "}},\"required\":[\"tasks\"]}",
	    mcp_tool_result },
	{ "doctor", "Checks the aliyun CLI and its credentials, changing "
	    "nothing (pai-diag doctor -o json).",
	    "{\"type\":\"object\",\"properties\":{}}", OBJ, mcp_tool_doctor },
	{ "plan", "The plan of a diagnosis, running nothing: every aliyun "
	    "command in order and the params sent (pai-diag --dry-run).",
	    "{\"type\":\"object\",\"properties\":{" DIAGNOSIS_ARGS "}}",
	    "{\"type\":\"object\",\"properties\":{\"plans\":{\"type\":\"array\","
	    "\"items\":" OBJ "}},\"required\":[\"plans\"]}",
	    mcp_tool_plan },
	{ "history", "The diagnoses kept in the history, oldest first; of one "
	    "target when instance is given.",
	    "{\"type\":\"object\",\"properties\":{\"instance\":{\"type\":"
	    "\"string\",\"description\":\"ID or ID@REGION\"}}}",
	    "{\"type\":\"object\",\"properties\":{\"history\":{\"type\":"
	    "\"array\"}},\"required\":[\"history\"]}",
	    mcp_tool_history },
	{ "diff", "What changed between two kept runs: new, resolved and "
	    "persisting issues.  a and b are task ids, or last and previous "
	    "of the instance.",
	    "{\"type\":\"object\",\"properties\":{\"a\":" STR ",\"b\":" STR ","
	    "\"instance\":{\"type\":\"string\",\"description\":\"ID or "
	    "ID@REGION\"}},\"required\":[\"a\",\"b\"]}",
	    OBJ, mcp_tool_diff },
};
const size_t mcp_ntools = sizeof(mcp_tools) / sizeof(mcp_tools[0]);
