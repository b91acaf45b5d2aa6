/*
 * The MCP server's transport and protocol; see mcp.h.  Messages are read
 * a line at a time (at most MCP_MAX_LINE bytes) and answered in order:
 * one tool call runs at a time, which is all a diagnosis in parts needs,
 * since `diagnose` and `wait` each return within seconds.
 *
 * What the tools say is masked like every report (the result of a call,
 * an error's message, a progress message): the payload is printed, masked
 * with redact_mask() and read back.  The frame around it is not masked:
 * it holds only the protocol's words and what the client itself sent (an
 * id, a progress token), and masking would break it, since a value after
 * a key ending in "token" is masked ("progressToken").
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fdio.h"
#include "mcp.h"
#include "msg.h"
#include "redact.h"
#include "signals.h"
#include "workflow.h"

/* JSON-RPC's error codes. */
#define PARSE_ERROR (-32700)
#define INVALID_REQUEST (-32600)
#define METHOD_NOT_FOUND (-32601)
#define INVALID_PARAMS (-32602)

#define PROTOCOL_LATEST "2025-06-18"
static const char *const protocols[] = { PROTOCOL_LATEST, "2025-03-26",
	"2024-11-05", NULL };

static const char instructions[] =
    "Diagnoses PAI EAS services and DLC jobs with Alibaba Cloud SysOM. "
    "Call diagnose to start (it returns task ids at once), then wait with "
    "those ids until every task is done (each wait returns within 50 "
    "seconds; call it again while a task is running); result reads a "
    "finished task again.";

/* Writes one message as a line of stdout. */
static void
send_msg(struct mcp *m, cJSON *msg)
{
	char *s = cJSON_PrintUnformatted(msg);
	size_t n;

	if (s == NULL)
		die("out of memory");
	n = strlen(s);
	s[n] = '\n';	/* over the NUL: the length is known */
	if (!m->broken && fdio_write(STDOUT_FILENO, s, n + 1) < 0) {
		if (errno != EPIPE)
			error("mcp: cannot write to stdout: %s", strerror(errno));
		m->broken = true;
	}
	cJSON_free(s);
}

/* The tree masked as every report is: a new tree. */
static cJSON *
masked(const cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);
	struct buf b = BUF_INIT;
	cJSON *out;

	if (s == NULL)
		die("out of memory");
	redact_mask(&b, s, strlen(s));
	cJSON_free(s);
	out = cJSON_ParseWithLength(b.data, b.len);
	buf_release(&b);
	if (out == NULL)
		die("masked JSON is not JSON");
	return out;
}

static cJSON *
frame(const cJSON *id)
{
	cJSON *msg = cJSON_CreateObject();

	cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
	cJSON_AddItemToObject(msg, "id", id ? cJSON_Duplicate(id, true) :
	    cJSON_CreateNull());
	return msg;
}

static void
send_error(struct mcp *m, const cJSON *id, int code, const char *message)
{
	cJSON *msg = frame(id), *err = cJSON_CreateObject(), *shown;

	cJSON_AddNumberToObject(err, "code", code);
	cJSON_AddStringToObject(err, "message", message);
	shown = masked(err);
	cJSON_Delete(err);
	cJSON_AddItemToObject(msg, "error", shown);
	send_msg(m, msg);
	cJSON_Delete(msg);
}

/* Sends result (taken) as the answer to id. */
static void
send_result(struct mcp *m, const cJSON *id, cJSON *result)
{
	cJSON *msg = frame(id);

	cJSON_AddItemToObject(msg, "result", result);
	send_msg(m, msg);
	cJSON_Delete(msg);
}

void
mcp_progress(struct mcp *m, double progress, const char *message)
{
	cJSON *msg, *params, *text, *shown;

	if (m->progress_token == NULL)
		return;
	text = cJSON_CreateObject();
	cJSON_AddStringToObject(text, "message", message);
	shown = masked(text);
	cJSON_Delete(text);
	msg = cJSON_CreateObject();
	cJSON_AddStringToObject(msg, "jsonrpc", "2.0");
	cJSON_AddStringToObject(msg, "method", "notifications/progress");
	params = cJSON_AddObjectToObject(msg, "params");
	cJSON_AddItemToObject(params, "progressToken",
	    cJSON_Duplicate(m->progress_token, true));
	cJSON_AddNumberToObject(params, "progress", progress);
	cJSON_AddItemToObject(params, "message",
	    cJSON_DetachItemFromObject(shown, "message"));
	cJSON_Delete(shown);
	send_msg(m, msg);
	cJSON_Delete(msg);
}

/* initialize: the client's protocol version when we speak it. */
static void
initialize(struct mcp *m, const cJSON *id, const cJSON *params)
{
	const cJSON *asked = cJSON_GetObjectItemCaseSensitive(params,
	    "protocolVersion");
	const char *version = PROTOCOL_LATEST;
	cJSON *r = cJSON_CreateObject(), *info;

	for (int i = 0; protocols[i]; i++)
		if (cJSON_IsString(asked) && strcmp(asked->valuestring,
		    protocols[i]) == 0)
			version = protocols[i];
	cJSON_AddStringToObject(r, "protocolVersion", version);
	cJSON_AddObjectToObject(cJSON_AddObjectToObject(r, "capabilities"),
	    "tools");
	info = cJSON_AddObjectToObject(r, "serverInfo");
	cJSON_AddStringToObject(info, "name", "pai-diag");
	cJSON_AddStringToObject(info, "version", m->version);
	cJSON_AddStringToObject(r, "instructions", instructions);
	send_result(m, id, r);
}

static cJSON *
schema(const char *text)
{
	cJSON *j = cJSON_Parse(text);

	if (j == NULL)
		die("a tool's schema is not JSON: %.40s", text);
	return j;
}

static void
list_tools(struct mcp *m, const cJSON *id)
{
	cJSON *r = cJSON_CreateObject();
	cJSON *tools = cJSON_AddArrayToObject(r, "tools");

	for (size_t i = 0; i < mcp_ntools; i++) {
		const struct mcp_tool *t = &mcp_tools[i];
		cJSON *j = cJSON_CreateObject();

		cJSON_AddStringToObject(j, "name", t->name);
		cJSON_AddStringToObject(j, "description", t->description);
		cJSON_AddItemToObject(j, "inputSchema", schema(t->input_schema));
		cJSON_AddItemToObject(j, "outputSchema",
		    schema(t->output_schema));
		cJSON_AddItemToArray(tools, j);
	}
	send_result(m, id, r);
}

/* A tool's answer as a CallToolResult, masked. */
static cJSON *
tool_result(cJSON *structured, const char *text, bool is_error)
{
	cJSON *r = cJSON_CreateObject(), *item = cJSON_CreateObject(), *shown;

	cJSON_AddStringToObject(item, "type", "text");
	cJSON_AddStringToObject(item, "text", text ? text : "");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(r, "content"), item);
	if (structured)
		cJSON_AddItemToObject(r, "structuredContent", structured);
	cJSON_AddBoolToObject(r, "isError", is_error);
	shown = masked(r);
	cJSON_Delete(r);
	return shown;
}

static void
call_tool(struct mcp *m, const cJSON *id, const cJSON *params)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(params, "name");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(params,
	    "arguments");
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(params, "_meta");
	const cJSON *token = cJSON_GetObjectItemCaseSensitive(meta,
	    "progressToken");
	const struct mcp_tool *t = NULL;
	cJSON *structured = NULL, *empty = NULL;
	char *text = NULL;
	int rc;

	for (size_t i = 0; cJSON_IsString(name) && i < mcp_ntools; i++)
		if (strcmp(mcp_tools[i].name, name->valuestring) == 0)
			t = &mcp_tools[i];
	if (t == NULL) {
		send_error(m, id, INVALID_PARAMS, cJSON_IsString(name) ?
		    "unknown tool" : "tools/call needs the tool's name");
		return;
	}
	if (args && !cJSON_IsObject(args) && !cJSON_IsNull(args)) {
		send_error(m, id, INVALID_PARAMS, "arguments must be an object");
		return;
	}
	if (args == NULL || cJSON_IsNull(args))
		args = empty = cJSON_CreateObject();
	m->progress_token = cJSON_IsString(token) || cJSON_IsNumber(token) ?
	    token : NULL;
	m->call_id = id;
	m->cancelled = false;
	rc = t->fn(m, args, &structured, &text);
	m->progress_token = m->call_id = NULL;
	if (m->cancelled) {
		/* MCP: a cancelled request is not answered. */
		inform("mcp: %s cancelled by the client", t->name);
		cJSON_Delete(structured);
	} else if (rc == MCP_BAD_ARGS)
		send_error(m, id, INVALID_PARAMS, text);
	else
		send_result(m, id, tool_result(structured, text,
		    rc == MCP_TOOL_ERROR));
	free(text);
	cJSON_Delete(empty);
}

/* A request (it has an id): answered, whatever it asks. */
static void
request(struct mcp *m, const cJSON *id, const char *method,
    const cJSON *params)
{
	if (params && !cJSON_IsObject(params))
		send_error(m, id, INVALID_PARAMS, "params must be an object");
	else if (strcmp(method, "initialize") == 0)
		initialize(m, id, params);
	else if (strcmp(method, "ping") == 0)
		send_result(m, id, cJSON_CreateObject());
	else if (strcmp(method, "tools/list") == 0)
		list_tools(m, id);
	else if (strcmp(method, "tools/call") == 0)
		call_tool(m, id, params);
	else
		send_error(m, id, METHOD_NOT_FOUND, "method not found");
}

/* One line: a request, a notification (never answered) or garbage. */
static void
handle(struct mcp *m, const char *s, size_t n)
{
	cJSON *msg = cJSON_ParseWithLength(s, n);
	const cJSON *id, *method, *version;

	if (msg == NULL) {
		send_error(m, NULL, PARSE_ERROR, "parse error: not JSON");
		return;
	}
	id = cJSON_GetObjectItemCaseSensitive(msg, "id");
	method = cJSON_GetObjectItemCaseSensitive(msg, "method");
	version = cJSON_GetObjectItemCaseSensitive(msg, "jsonrpc");
	if (id && !cJSON_IsString(id) && !cJSON_IsNumber(id))
		id = NULL;
	if (!cJSON_IsObject(msg) || !cJSON_IsString(version) ||
	    strcmp(version->valuestring, "2.0") != 0 ||
	    (method && !cJSON_IsString(method)))
		send_error(m, id, INVALID_REQUEST, "invalid request: not a "
		    "JSON-RPC 2.0 message (batches are not supported)");
	else if (method == NULL && id == NULL)
		send_error(m, NULL, INVALID_REQUEST, "invalid request: no method");
	else if (method && cJSON_GetObjectItemCaseSensitive(msg, "id") &&
	    id == NULL)
		send_error(m, NULL, INVALID_REQUEST, "invalid request: the id "
		    "must be a string or a number");
	else if (method && id)
		request(m, id, method->valuestring,
		    cJSON_GetObjectItemCaseSensitive(msg, "params"));
	/* Else a notification, or the answer to a request we never make. */
	cJSON_Delete(msg);
}

static bool
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/*
 * Reads the next message: 1 with it in line (without its line end), 0 at
 * the end of stdin, -1 with errno.  A line over MCP_MAX_LINE is answered
 * with an error and skipped.
 */
static int
read_message(struct mcp *m, struct buf *line)
{
	int rc = fdio_getline(m->rd, line, MCP_MAX_LINE, SIZE_MAX);

	if (rc < 0 && errno == E2BIG) {
		send_error(m, NULL, INVALID_REQUEST, "invalid request: a message "
		    "is at most 1 MiB; skipped");
		do
			rc = fdio_getline(m->rd, line, MCP_MAX_LINE, SIZE_MAX);
		while (rc < 0 && errno == E2BIG);
		/* The line's tail: read on. */
		if (rc > 0)
			return read_message(m, line);
	}
	if (rc > 0 && line->len > 0 && line->data[line->len - 1] == '\r')
		line->len--;
	return rc;
}

/* Whether the message cancels the running call. */
static bool
cancels(const struct mcp *m, const char *s, size_t n)
{
	cJSON *msg = cJSON_ParseWithLength(s, n);
	const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(msg, "params"), "requestId");
	bool yes = m->call_id && cJSON_IsString(method) &&
	    strcmp(method->valuestring, "notifications/cancelled") == 0 &&
	    id && cJSON_Compare(id, m->call_id, true);

	cJSON_Delete(msg);
	return yes;
}

/* Keeps a message read during a call, to handle after it. */
static void
keep(struct mcp *m, const struct buf *line)
{
	if (blank(line->data, line->len))
		return;
	/* A C string cannot hold it: it is not JSON text anyway. */
	if (memchr(line->data, '\0', line->len))
		send_error(m, NULL, PARSE_ERROR, "parse error: not JSON");
	else
		strvec_push(&m->queued, buf_str(line));
}

int
mcp_pause(struct mcp *m, double seconds)
{
	struct pollfd pfd = { .fd = m->rd->fd, .events = POLLIN };
	double end = mono_now() + seconds;
	struct buf line = BUF_INIT;

	while (!m->cancelled && !m->ended && !signals_first() &&
	    mono_now() < end) {
		int rc;

		if (m->rd->pos == m->rd->len && signals_poll(&pfd, 1,
		    end - mono_now()) <= 0)
			continue;
		if ((rc = read_message(m, &line)) > 0) {
			if (cancels(m, line.data, line.len))
				m->cancelled = true;
			else
				keep(m, &line);
		} else if (rc == 0 || errno != EINTR) {
			m->ended = true;
		}
	}
	buf_release(&line);
	return m->cancelled || m->ended || signals_first() ? -1 : 0;
}

/* The next message kept during a call, or NULL; borrowed. */
static const char *
next_kept(struct mcp *m)
{
	if (m->next < m->queued.n)
		return m->queued.v[m->next++];
	strvec_clear(&m->queued);
	m->next = 0;
	return NULL;
}

/*
 * stdin is read without blocking, so that a signal ends the wait for the
 * next message (signals are only let in while pai-diag polls).  A
 * terminal is left as it is (the shell shares it): wait_input() waits for
 * its next line instead.  Returns the flags to put back, or -1.
 */
static int
stdin_nonblocking(void)
{
	int flags = fcntl(STDIN_FILENO, F_GETFL);

	if (flags < 0 || (flags & O_NONBLOCK) || isatty(STDIN_FILENO) ||
	    fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK) < 0)
		return -1;
	return flags;
}

/*
 * Waits until stdin has something to read, so that no read blocks with
 * the signals shut out; -1 (EINTR) when one came.
 */
static int
wait_input(struct fdio_reader *rd)
{
	struct pollfd pfd = { .fd = rd->fd, .events = POLLIN };

	while (rd->pos == rd->len && !rd->eof) {
		if (signals_count() > 0) {
			errno = EINTR;
			return -1;
		}
		if (signals_poll(&pfd, 1, -1) > 0)
			break;
	}
	return 0;
}

int
mcp_serve(struct mcp *m)
{
	struct fdio_reader *rd = xcalloc(1, sizeof(*rd));
	struct buf line = BUF_INIT;
	int rc = 0, flags = stdin_nonblocking();

	fdio_reader_init(rd, STDIN_FILENO);
	m->rd = rd;
	inform("mcp: serving on stdin and stdout");
	while (!m->broken) {
		const char *kept = next_kept(m);

		if (kept) {
			handle(m, kept, strlen(kept));
			continue;
		}
		if (m->ended || (rc = wait_input(rd)) < 0 ||
		    (rc = read_message(m, &line)) <= 0)
			break;
		if (!blank(line.data, line.len))
			handle(m, line.data, line.len);
	}
	if (rc < 0 && errno != EINTR)
		error("mcp: cannot read stdin: %s", strerror(errno));
	buf_release(&line);
	strvec_clear(&m->queued);
	free(rd);
	m->rd = NULL;
	if (flags >= 0)
		fcntl(STDIN_FILENO, F_SETFL, flags);
	if (m->setup_ran)
		diag_cleanup(m->base);
	return signals_first() ? 128 + signals_first() : 0;
}
