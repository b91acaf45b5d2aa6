/*
 * The aliyun CLI as pai-diag sees it.  Output is read tolerantly because
 * most of its shape is unverified (aliyun-facts.md §5): codes are found in
 * whichever error form carries them, casing is tried both ways, and the
 * classification rests on codes, not on English wording, wherever a code
 * exists.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aliyun.h"
#include "buf.h"
#include "json.h"
#include "msg.h"
#include "redact.h"

extern char **environ;

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* DEBUG=sdk dumps signed requests; the rest pai-diag sets itself. */
static bool
env_dropped(const struct aliyun *a, const char *kv)
{
	static const char *const drop[] = {
		"DEBUG=", "LC_ALL=", "LANG=", "NO_COLOR=",
	};

	for (size_t i = 0; i < sizeof(drop) / sizeof(*drop); i++)
		if (has_prefix(kv, drop[i]))
			return true;
	return a->auto_install_env &&
	    has_prefix(kv, "ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=");
}

void
aliyun_env(struct aliyun *a)
{
	strvec_clear(&a->env);
	for (char **e = environ; e && *e; e++)
		if (!env_dropped(a, *e))
			strvec_push(&a->env, *e);
	strvec_push(&a->env, "NO_COLOR=1");
	strvec_push(&a->env, "LANG=C");
	if (a->auto_install_env)
		strvec_push(&a->env, "ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=true");
}

void
aliyun_release(struct aliyun *a)
{
	free(a->path);
	a->path = NULL;
	strvec_clear(&a->env);
}

void
shell_quote(struct buf *b, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_./:=@%+,-") == strlen(s)) {
		buf_adds(b, s);
		return;
	}
	buf_adds(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			buf_adds(b, "'\\''");
		else
			buf_add(b, s, 1);
	}
	buf_adds(b, "'");
}

char *
aliyun_cmdline(char *const *argv)
{
	struct buf b = BUF_INIT;
	char *line, *safe;

	for (size_t i = 0; argv[i]; i++) {
		if (i)
			buf_adds(&b, " ");
		shell_quote(&b, argv[i]);
	}
	line = buf_detach(&b, NULL);
	safe = redact_str(line);
	free(line);
	return safe;
}

static void
set_field(char **field, const char *s, size_t len)
{
	if (*field || s == NULL)
		return;
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0)
		return;
	*field = redact(s, len);
}

static void
set_str(char **field, const char *s)
{
	if (s)
		set_field(field, s, strlen(s));
}

/* Takes Code, Message, RequestId and the RAM action from an error body. */
static void
fields_from_body(struct aliyun_reply *r, const cJSON *body)
{
	const cJSON *j_detail;
	double status;

	set_str(&r->code, json_str_any(body, "Code", "code", "error_code",
	    "ErrorCode", NULL));
	set_str(&r->message, json_str_any(body, "Message", "message", NULL));
	set_str(&r->request_id, json_str_any(body, "RequestId", "request_id",
	    "requestId", NULL));
	j_detail = json_obj(body, "AccessDeniedDetail");
	set_str(&r->auth_action, json_str(j_detail, "AuthAction"));
	if (!r->http_status && (json_num(body, "statusCode", &status) ||
	    json_num(body, "StatusCode", &status) ||
	    json_num(body, "http_status", &status)) &&
	    status >= 100 && status < 600)
		r->http_status = (int)status;
}

/*
 * The later envelope may carry the code only in its recovery command:
 * "aliyun openapiexplorer get-error-code-solutions --error-code 'X' ...".
 */
static void
code_from_recovery(struct aliyun_reply *r, const cJSON *envelope)
{
	const char *cmd = json_str(json_obj(envelope, "recovery"), "command");
	const char *p = cmd ? strstr(cmd, "--error-code") : NULL;
	size_t n;

	if (r->code || p == NULL)
		return;
	p += strlen("--error-code");
	p += strspn(p, " ='\"");
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-");
	/* An empty code ("--error-code '' --request-id ..."): none. */
	if (n && *p != '-')
		set_field(&r->code, p, n);
}

/* The value after "Key:" on the line of text that starts with it. */
static const char *
line_value(const char *text, const char *key, size_t *len)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, kl) == 0) {
			const char *v = p + kl, *e = strchr(v, '\n');

			*len = e ? (size_t)(e - v) : strlen(v);
			return v;
		}
	}
	return NULL;
}

/*
 * The TEA Message line: "code: 400, <Message> request id: <id>"; takes the
 * message and the request id out of it.
 */
static void
tea_message(struct aliyun_reply *r, const char *m, size_t len)
{
	const char *end = m + len, *comma;
	static const char rid[] = " request id:";
	size_t rl = sizeof(rid) - 1;

	while (m < end && *m == ' ')
		m++;
	comma = memchr(m, ',', (size_t)(end - m));
	/* cppcheck-suppress knownConditionTrueFalse ; the loop may stop early */
	if ((size_t)(end - m) > 6 && strncmp(m, "code: ", 6) == 0 && comma)
		m = comma + 1;
	for (const char *p = end; (size_t)(p - m) >= rl; p--) {
		if (strncmp(p - rl, rid, rl) == 0) {
			set_field(&r->request_id, p, (size_t)(end - p));
			end = p - rl;
			break;
		}
	}
	set_field(&r->message, m, (size_t)(end - m));
}

/* The TEA block a plugin prints: SDKError: / StatusCode: / Code: / ... */
static void
parse_sdkerror(struct aliyun_reply *r, const char *err)
{
	const char *v;
	size_t len;

	if ((v = line_value(err, "Data:", &len)) != NULL) {
		cJSON *data = cJSON_ParseWithLength(v, len);

		fields_from_body(r, data);
		cJSON_Delete(data);
	}
	if ((v = line_value(err, "StatusCode:", &len)) != NULL && !r->http_status)
		r->http_status = (int)strtol(v, NULL, 10);
	if ((v = line_value(err, "Code:", &len)) != NULL)
		set_field(&r->code, v, len);
	if ((v = line_value(err, "Message:", &len)) != NULL && !r->message)
		tea_message(r, v, len);
}

/* The built-in form: ERROR: SDK.ServerError / ErrorCode: / ... */
static void
parse_server_error(struct aliyun_reply *r, const char *err)
{
	const char *v;
	size_t len;

	if ((v = line_value(err, "ErrorCode:", &len)) != NULL)
		set_field(&r->code, v, len);
	if ((v = line_value(err, "RequestId:", &len)) != NULL)
		set_field(&r->request_id, v, len);
	if ((v = line_value(err, "Message:", &len)) != NULL)
		set_field(&r->message, v, len);
	if ((v = line_value(err, "AccessDeniedDetail:", &len)) != NULL) {
		cJSON *d = cJSON_ParseWithLength(v, len);

		set_str(&r->auth_action, json_str(d, "AuthAction"));
		cJSON_Delete(d);
	}
}

/* Finds "AuthAction" in any layout: JSON, Go map or "Key: value". */
static void
find_auth_action(struct aliyun_reply *r, const char *text)
{
	const char *p = strstr(text, "AuthAction");
	size_t n;

	if (r->auth_action || p == NULL)
		return;
	p += strlen("AuthAction");
	p += strspn(p, "\"': =");
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789:-_.*/");
	if (n && memchr(p, ':', n))
		set_field(&r->auth_action, p, n);
}

static bool
contains_ci(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

static bool
code_is(const char *code, const char *prefix)
{
	return code && strncasecmp(code, prefix, strlen(prefix)) == 0;
}

static enum api_kind
kind_of(const struct aliyun_reply *r, const char *text, const char *category,
    int status)
{
	static const char *const credential_codes[] = {
		"InvalidAccessKeyId", "InvalidAccessKeySecret",
		"SignatureDoesNotMatch", "InvalidSecurityToken",
		"IncompleteSignature",
	};
	static const char *const access_codes[] = {
		"Forbidden", "NoPermission", "NotAuthorized", "AccessDenied",
		"Unauthorized",
	};
	static const char *const transient_codes[] = {
		"Throttling", "ServiceUnavailable", "InternalError",
		"Sysom.ServerError", "ServerBusy", "RequestTimeout",
		"Sysom.InternalError",
	};
	static const char *const network_words[] = {
		"dial tcp", "connection refused", "connection reset",
		"context deadline exceeded", "i/o timeout", "no such host",
		"TLS handshake", "request to ", "network is unreachable",
		"Client.Timeout", "unexpected EOF",
	};
	const char *code = r->code;

	if (contains_ci(text, "EntityNotExist.Role") ||
	    contains_ci(text, "role not exist") ||
	    contains_ci(text, "aliyunserviceroleforsysom"))
		return API_ROLE_MISSING;
	if (code_is(code, "Sysom.TaskInProgress"))
		return API_TASK_IN_PROGRESS;
	for (size_t i = 0; i < sizeof(credential_codes) /
	    sizeof(*credential_codes); i++)
		if (code_is(code, credential_codes[i]))
			return API_CREDENTIALS;
	for (size_t i = 0; i < sizeof(access_codes) / sizeof(*access_codes); i++)
		if (code_is(code, access_codes[i]))
			return API_ACCESS;
	for (size_t i = 0; i < sizeof(transient_codes) / sizeof(*transient_codes); i++)
		if (code && contains_ci(code, transient_codes[i]))
			return API_TRANSIENT;
	if (category) {
		if (contains_ci(category, "PERMISSION"))
			return API_ACCESS;
		if (contains_ci(category, "AUTH"))
			return API_CREDENTIALS;
		if (contains_ci(category, "THROTTL") ||
		    contains_ci(category, "NETWORK"))
			return API_TRANSIENT;
	}
	if (r->http_status == 403)
		return API_ACCESS;
	if (r->http_status == 429 || r->http_status >= 500)
		return API_TRANSIENT;
	if (code && (contains_ci(code, "NotFound") || contains_ci(code, "NotExist")))
		return API_NOT_FOUND;
	if (r->http_status == 404)
		return API_NOT_FOUND;
	if (strstr(text, "Configuration failed, use `aliyun configure`") ||
	    (status == 3 && !code))
		return API_PROFILE;
	if (!code) {
		for (size_t i = 0; i < sizeof(network_words) / sizeof(*network_words); i++)
			if (strstr(text, network_words[i]))
				return API_TRANSIENT;
		if (strstr(text, "not a valid command") ||
		    strstr(text, "not a vaild command") ||
		    strstr(text, "invalid flag"))
			return API_USAGE;
	}
	return API_OTHER;
}

/* Flow control, among the transient failures: retried, never a failed poll. */
static bool
is_throttling(const struct aliyun_reply *r, const char *category)
{
	return code_is(r->code, "Throttling") ||
	    code_is(r->code, "ServiceUnavailable") ||
	    r->http_status == 429 || r->http_status == 503 ||
	    (category && contains_ci(category, "THROTTL"));
}

/*
 * The wait a throttled answer asks for, in seconds: its header
 * x-acs-retry-after (milliseconds), which the server form prints among
 * the RespHeaders ("X-Acs-Retry-After:[200]").
 */
static double
retry_after_of(const char *text)
{
	const char *p = strcasestr(text, "X-Acs-Retry-After:");
	double v;

	if (p == NULL)
		return 0;
	p += strlen("X-Acs-Retry-After:");
	v = strtod(p + strspn(p, " ["), NULL);
	return v > 0 && v < 3600e3 ? v / 1000 : 0;
}

/* The first line of text that starts with "ERROR:", without the prefix. */
static const char *
error_line(const char *text, size_t *len)
{
	const char *v = line_value(text, "ERROR:", len);

	return v;
}

/*
 * The message of a failure when nothing better was found: the last
 * non-blank line aliyun printed says the most.
 */
static void
message_from_last_line(struct aliyun_reply *r, const char *text)
{
	const char *end = text + strlen(text), *start;

	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	for (start = end; start > text && start[-1] != '\n'; start--)
		;
	set_field(&r->message, start, (size_t)(end - start));
}

/*
 * The classification proper, on NUL-terminated buffers it may change: the
 * colour is stripped in place, so a 20 MB reply is never copied.
 */
static void
classify(struct aliyun_reply *r, int status, char *o, size_t outlen, char *e,
    size_t errlen, bool want_json)
{
	const char *first, *v;
	char *category = NULL;
	cJSON *envelope = NULL;
	struct buf all = BUF_INIT;
	bool failed = status != 0;
	size_t len;

	outlen = strip_ansi(o, outlen);
	errlen = strip_ansi(e, errlen);

	r->json = r->hold ? json_parse_held(o, outlen, r->hold, r->held) :
	    json_parse_output(o, outlen);

	/* The one-line envelope: stderr's first non-blank byte is '{'. */
	first = e + strspn(e, " \t\r\n");
	if (*first == '{' && (envelope = json_parse_output(first,
	    errlen - (size_t)(first - e))) != NULL) {
		const char *cat = json_str(envelope, "category");

		fields_from_body(r, envelope);
		set_str(&r->request_id, json_str(envelope, "requestId"));
		code_from_recovery(r, envelope);
		if (cat)
			category = xstrdup(cat);
		failed = true;
	} else if (strstr(e, "SDKError:")) {
		parse_sdkerror(r, e);
		failed = true;
	} else if (strstr(e, "SDK.ServerError")) {
		parse_server_error(r, e);
		failed = true;
	}
	if ((v = error_line(e, &len)) != NULL) {
		/* aliyun 3.4.11 can print ERROR: and still exit 0. */
		failed = true;
		if (!r->message)
			set_field(&r->message, v, len);
	}
	if (!failed && r->json) {
		/* A business failure in an exit-0 body (HTTP 200). */
		const char *code = json_str(r->json, "code");
		const char *pcode = json_str(r->json, "Code");

		if ((code && strcasecmp(code, "Success") != 0) || pcode) {
			fields_from_body(r, r->json);
			failed = true;
		}
	}
	if (!failed && want_json && r->json == NULL) {
		r->kind = API_GARBAGE;
		set_str(&r->message, outlen ? "aliyun printed output that is not "
		    "a JSON document" : "aliyun printed nothing");
		goto out;
	}
	if (!failed) {
		r->ok = true;
		r->kind = API_OK;
		goto out;
	}

	buf_add(&all, o, outlen);
	buf_adds(&all, "\n");
	buf_add(&all, e, errlen);
	find_auth_action(r, buf_str(&all));
	r->from_server = r->code != NULL || r->http_status != 0;
	r->kind = kind_of(r, buf_str(&all), category, status);
	if (r->kind == API_TRANSIENT && is_throttling(r, category)) {
		r->throttled = true;
		r->retry_after = retry_after_of(buf_str(&all));
	}
	if (!r->message)
		message_from_last_line(r, errlen ? e : o);
out:
	buf_release(&all);
	cJSON_Delete(envelope);
	free(category);
}

void
aliyun_classify(struct aliyun_reply *r, int status, const char *out,
    size_t outlen, const char *err, size_t errlen, bool want_json)
{
	char *o = xmalloc(outlen + 1), *e = xmalloc(errlen + 1);

	memcpy(o, out, outlen);
	o[outlen] = '\0';
	memcpy(e, err, errlen);
	e[errlen] = '\0';
	classify(r, status, o, outlen, e, errlen, want_json);
	free(o);
	free(e);
}

int
aliyun_run(struct aliyun *a, struct aliyun_reply *r, bool want_json,
    char *const *argv)
{
	char *line;

	r->c.path = a->path;
	r->c.argv = argv;
	r->c.envp = strvec_argv(&a->env);
	r->c.timeout = a->call_timeout;
	r->c.max_output = ALIYUN_MAX_OUTPUT;
	r->c.gate = a->gate;
	r->c.gate_held = &a->gate_held;
	child_run(&r->c);

	line = aliyun_cmdline(argv);
	if (r->c.status < 0 && r->c.spawn_errno)
		verbose("run: %s (%.3f s, cannot start: %s)", line, r->c.elapsed,
		    strerror(r->c.spawn_errno));
	else
		verbose("run: %s (%.3f s, %s %d)", line, r->c.elapsed,
		    r->c.term_signal ? "signal" : "exit",
		    r->c.term_signal ? r->c.term_signal : r->c.status);
	free(line);

	if (r->c.status < 0 && r->c.spawn_errno) {
		r->kind = API_OTHER;
		set_str(&r->message, strerror(r->c.spawn_errno));
	} else if (r->c.timed_out) {
		r->kind = API_TRANSIENT;
		set_str(&r->message, "timed out");
	} else if (r->c.too_big) {
		r->kind = API_OTHER;
		set_str(&r->message, "printed more than 64 MiB");
	} else if (r->c.interrupted) {
		r->kind = API_OTHER;
		set_str(&r->message, "interrupted");
	} else {
		char none[1] = "";

		/* Our own buffers: classified in place, not copied. */
		classify(r, r->c.status, r->c.out.data ? r->c.out.data : none,
		    r->c.out.len, r->c.err.data ? r->c.err.data : none,
		    r->c.err.len, want_json);
	}
	r->c.argv = NULL;
	r->c.envp = NULL;
	return r->ok ? 0 : -1;
}

void
aliyun_reply_release(struct aliyun_reply *r)
{
	child_release(&r->c);
	cJSON_Delete(r->json);
	free(r->code);
	free(r->message);
	free(r->request_id);
	free(r->auth_action);
	memset(r, 0, sizeof(*r));
	r->c.status = -1;
}

char *
aliyun_describe(const struct aliyun_reply *r)
{
	struct buf b = BUF_INIT;

	if (r->c.timed_out) {
		buf_addf(&b, "no answer within %g s (--call-timeout); the "
		    "process group was killed", r->c.timeout);
		return buf_detach(&b, NULL);
	}
	if (r->c.too_big) {
		buf_addf(&b, "printed more than %u MiB on one stream; refused",
		    ALIYUN_MAX_OUTPUT >> 20);
		return buf_detach(&b, NULL);
	}
	if (r->code)
		buf_addf(&b, "%s: ", r->code);
	buf_adds(&b, r->message ? r->message : "failed");
	if (r->c.term_signal && !r->code)
		buf_addf(&b, " (killed by signal %d)", r->c.term_signal);
	else if (r->c.status > 0 && !r->code && !r->message)
		buf_addf(&b, " (exit %d)", r->c.status);
	if (r->request_id)
		buf_addf(&b, " (request id %s)", r->request_id);
	return buf_detach(&b, NULL);
}
