/*
 * API errors in every form pai-diag has to recognise (aliyun-facts.md
 * section 2): the TEA "SDKError:" block a plugin prints, the host's
 * "ERROR: SDK.ServerError" lines, the two one-line JSON envelopes of newer
 * releases, an HTTP-200 business error on stdout, and the 3.4.11 network
 * error that leaks the whole signed URL.  One error body, any form, so a
 * test can check that pai-diag reads the same code out of each of them.
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* Fake but well-formed signing material, which pai-diag must never show. */
#define FAKE_SIGNATURE	"q3F%2Bk9sZ0xYb1vT7mN2pL4wR8eE%3D"
#define FAKE_STS	"CAIS8AF1q6Ft5B2yfSjIr5bSEsKGu7pE0pSdV1%2FlnzYRQ" \
			    "%2BZIgqLzpjz2IHFPeXZ"
#define FAKE_DATE	"Thu, 20 Aug 2026 10:15:02 GMT"

static const struct {
	const char	*name;
	enum err_form	 form;
} forms[] = {
	{ "plugin", FORM_PLUGIN },
	{ "server", FORM_SERVER },
	{ "envelope", FORM_ENVELOPE },
	{ "envelope2", FORM_ENVELOPE2 },
	{ "business", FORM_BUSINESS },
	{ "network", FORM_NETWORK },
	{ NULL, FORM_PLUGIN }
};

static const struct {
	const char	*category;
	int		 exit_code;
} categories[] = {
	{ "USAGE_ERROR", 2 },
	{ "AUTH_ERROR", 3 },
	{ "PERMISSION_ERROR", 4 },
	{ "THROTTLING_ERROR", 5 },
	{ "NETWORK_ERROR", 6 },
	{ "SERVICE_ERROR", 7 },
	{ "INTERNAL_ERROR", 1 },
	{ NULL, 1 }
};

int
form_parse(const char *name, enum err_form *form)
{
	size_t i;

	for (i = 0; forms[i].name != NULL; i++) {
		if (strcmp(forms[i].name, name) == 0) {
			*form = forms[i].form;
			return 0;
		}
	}
	return -1;
}

/* The first label of a product's endpoint: sysom, pai-eas, pai-dlc. */
const char *
product_host(const char *product)
{
	if (strcmp(product, "eas") == 0)
		return "pai-eas";
	return product;
}

static const char *
api_version(const char *product)
{
	if (strcmp(product, "eas") == 0)
		return "2021-07-01";
	if (strcmp(product, "pai-dlc") == 0)
		return "2020-12-03";
	return "2023-12-30";
}

/* The API action of a plugin subcommand: invoke-diagnosis, InvokeDiagnosis. */
void
action_name(struct sbuf *sb, const char *sub)
{
	int up = 1;

	for (; *sub != '\0'; sub++) {
		if (*sub == '-') {
			up = 1;
			continue;
		}
		if (up && *sub >= 'a' && *sub <= 'z')
			sbuf_addc(sb, (char)(*sub - 'a' + 'A'));
		else
			sbuf_addc(sb, *sub);
		up = 0;
	}
}

/*
 * An HTTP error body in the order the services send it; caller frees.
 * product names the product in the Recommend link.
 */
cJSON *
api_error_body(const char *code, const char *message, const char *rid,
    const char *host, const char *product)
{
	struct sbuf rec = SBUF_INIT;
	cJSON *b;

	sbuf_addf(&rec, "https://api.aliyun.com/troubleshoot?q=%s&product=%s"
	    "&requestId=%s", code, product, rid);
	b = cJSON_CreateObject();
	if (b == NULL ||
	    cJSON_AddStringToObject(b, "RequestId", rid) == NULL ||
	    cJSON_AddStringToObject(b, "HostId", host) == NULL ||
	    cJSON_AddStringToObject(b, "Code", code) == NULL ||
	    cJSON_AddStringToObject(b, "Message", message) == NULL ||
	    cJSON_AddStringToObject(b, "Recommend", rec.buf) == NULL)
		die("out of memory");
	sbuf_release(&rec);
	return b;
}

/* A member of the body as text ("" when absent); caller frees. */
static char *
body_text(const cJSON *body, const char *key)
{
	const char *v;

	if (!cJSON_IsObject(body))
		return xstrdup(strcmp(key, "Message") == 0 &&
		    cJSON_IsString(body) ? body->valuestring : "");
	v = json_text(body, key);
	return xstrdup(v ? v : "");
}

/* The signed query string of a request, as the SDK builds it. */
void
signed_query(struct sbuf *sb, const char *product, const char *sub,
    const char *region)
{
	sbuf_addf(sb, "AccessKeyId=%s&Action=", FAKE_AK_ID);
	action_name(sb, sub);
	sbuf_addf(sb, "&Format=JSON&RegionId=%s&SecurityToken=%s&Signature=%s"
	    "&SignatureMethod=HMAC-SHA1&SignatureNonce=5f0c3a1e9b7d4c2a8e6f"
	    "&SignatureVersion=1.0&Timestamp=2026-08-20T10%%3A15%%3A02Z"
	    "&Version=%s", region, FAKE_STS, FAKE_SIGNATURE,
	    api_version(product));
}

/* The Data member of a TEA error: the body, sorted, with statusCode. */
static void
tea_data(struct sbuf *sb, const struct api_error *e)
{
	cJSON *d;

	if (cJSON_IsObject(e->body))
		d = cJSON_Duplicate(e->body, 1);
	else {
		d = cJSON_CreateObject();
		if (d != NULL && cJSON_IsString(e->body))
			(void)cJSON_AddStringToObject(d, "message",
			    e->body->valuestring);
	}
	if (d == NULL || cJSON_AddNumberToObject(d, "statusCode",
	    e->http) == NULL)
		die("out of memory");
	json_sort_keys(d);
	json_print(sb, d, 0);
	cJSON_Delete(d);
}

static int
emit_plugin(const struct api_error *e)
{
	struct sbuf sb = SBUF_INIT;
	char *code, *msg, *rid;

	code = body_text(e->body, "Code");
	msg = body_text(e->body, "Message");
	rid = body_text(e->body, "RequestId");
	sbuf_addf(&sb, "SDKError:\n   StatusCode: %d\n   Code: %s\n"
	    "   Message: code: %d, %s request id: %s\n   Data: ",
	    e->http, code, e->http, msg, rid);
	tea_data(&sb, e);
	sbuf_addc(&sb, '\n');
	(void)out_write(2, sb.buf, sb.len);
	sbuf_release(&sb);
	free(code);
	free(msg);
	free(rid);
	return 1;
}

static int
emit_server(const struct sim *s, const struct api_error *e)
{
	struct sbuf sb = SBUF_INIT, compact = SBUF_INIT;
	const cJSON *detail;
	char *code, *msg, *rid, *rec;

	code = body_text(e->body, "Code");
	msg = body_text(e->body, "Message");
	rid = body_text(e->body, "RequestId");
	rec = body_text(e->body, "Recommend");
	if (cJSON_IsObject(e->body))
		json_print(&compact, e->body, 0);
	else
		sbuf_adds(&compact, cJSON_IsString(e->body) ?
		    e->body->valuestring : "");
	sbuf_addf(&sb, "SDK.ServerError\nErrorCode: %s\nRecommend: %s\n"
	    "RequestId: %s\nMessage: %s\n", code, rec, rid, msg);
	sbuf_addf(&sb, "RespHeaders: map[Access-Control-Allow-Origin:[*] "
	    "Connection:[keep-alive] Content-Length:[%zu] Content-Type:"
	    "[application/json;charset=utf-8] Date:[%s] Keep-Alive:"
	    "[timeout=25] Vary:[Accept-Encoding] X-Acs-Request-Id:[%s] ",
	    compact.len, FAKE_DATE, rid);
	/* Go prints a map with its keys sorted: Request < Retry < Trace. */
	if (e->retry_after_ms >= 0)
		sbuf_addf(&sb, "X-Acs-Retry-After:[%lld] ", e->retry_after_ms);
	sbuf_adds(&sb, "X-Acs-Trace-Id:[0b8f2c9d6e1a4b7c]]");
	detail = cJSON_GetObjectItemCaseSensitive(e->body,
	    "AccessDeniedDetail");
	if (detail != NULL) {
		cJSON *d = cJSON_Duplicate(detail, 1);

		if (d == NULL)
			die("out of memory");
		json_sort_keys(d);
		sbuf_adds(&sb, "\nAccessDeniedDetail: ");
		json_print(&sb, d, 0);
		cJSON_Delete(d);
	}
	host_error(s, "%s", sb.buf);
	sbuf_release(&sb);
	sbuf_release(&compact);
	free(code);
	free(msg);
	free(rid);
	free(rec);
	return 1;
}

/* The PR #1405 category of an error, from its code and HTTP status. */
static const char *
category_of(const struct api_error *e, const char *code)
{
	if (e->category != NULL)
		return e->category;
	if (e->http == 401 || strncmp(code, "InvalidAccessKeyId", 18) == 0 ||
	    strncmp(code, "SignatureDoesNotMatch", 21) == 0 ||
	    strncmp(code, "InvalidSecurityToken", 20) == 0)
		return "AUTH_ERROR";
	if (e->http == 403 || strncmp(code, "Forbidden", 9) == 0 ||
	    strncmp(code, "NoPermission", 12) == 0)
		return "PERMISSION_ERROR";
	if (e->http == 429 || strncmp(code, "Throttling", 10) == 0)
		return "THROTTLING_ERROR";
	return "SERVICE_ERROR";
}

static int
category_exit(const char *category)
{
	size_t i;

	for (i = 0; categories[i].category != NULL; i++)
		if (strcmp(categories[i].category, category) == 0)
			break;
	return categories[i].exit_code;
}

static void
add_string(cJSON *obj, const char *key, const char *v)
{
	if (cJSON_AddStringToObject(obj, key, v) == NULL)
		die("out of memory");
}

static void
emit_json_line(cJSON *j)
{
	struct sbuf sb = SBUF_INIT;

	json_print(&sb, j, 0);
	sbuf_addc(&sb, '\n');
	(void)out_write(2, sb.buf, sb.len);
	sbuf_release(&sb);
}

static void
recovery_command(struct sbuf *sb, const char *code)
{
	sbuf_addf(sb, "aliyun openapiexplorer get-error-code-solutions "
	    "--error-code '%s'", code);
}

static int
emit_envelope(const struct api_error *e)
{
	struct sbuf cmd = SBUF_INIT;
	const char *cat;
	cJSON *j, *arr, *rec;
	char *code, *msg, *rid;
	int retry;

	code = body_text(e->body, "Code");
	msg = body_text(e->body, "Message");
	rid = body_text(e->body, "RequestId");
	cat = category_of(e, code);
	retry = strcmp(cat, "THROTTLING_ERROR") == 0 ||
	    strcmp(cat, "NETWORK_ERROR") == 0 || e->http >= 500;
	recovery_command(&cmd, code);
	j = cJSON_CreateObject();
	if (j == NULL || cJSON_AddFalseToObject(j, "ok") == NULL)
		die("out of memory");
	add_string(j, "category", cat);
	add_string(j, "code", code);
	add_string(j, "message", msg);
	arr = cJSON_AddArrayToObject(j, "suggestions");
	if (arr == NULL)
		die("out of memory");
	cJSON_AddItemToArray(arr, cJSON_CreateString(
	    strcmp(cat, "PERMISSION_ERROR") == 0 ?
	    "Grant the RAM permission named in the error to the caller" :
	    "Check the error code and the request parameters"));
	if (cJSON_AddBoolToObject(j, "retryable", retry) == NULL)
		die("out of memory");
	add_string(j, "requestId", rid);
	rec = cJSON_AddObjectToObject(j, "recovery");
	if (rec == NULL)
		die("out of memory");
	add_string(rec, "command", cmd.buf);
	emit_json_line(j);
	cJSON_Delete(j);
	sbuf_release(&cmd);
	free(code);
	free(msg);
	free(rid);
	return category_exit(cat);
}

static int
emit_envelope2(const struct api_error *e)
{
	struct sbuf cmd = SBUF_INIT;
	cJSON *j, *rec;
	char *code, *msg, *rid;

	code = body_text(e->body, "Code");
	msg = body_text(e->body, "Message");
	rid = body_text(e->body, "RequestId");
	recovery_command(&cmd, code);
	sbuf_addf(&cmd, " --request-id '%s'", rid);
	j = cJSON_CreateObject();
	if (j == NULL)
		die("out of memory");
	add_string(j, "message", msg);
	add_string(j, "code", code);
	add_string(j, "request_id", rid);
	if (cJSON_AddNumberToObject(j, "http_status", e->http) == NULL ||
	    (e->throttled && cJSON_AddTrueToObject(j, "retryable") == NULL) ||
	    cJSON_AddArrayToObject(j, "did_you_mean") == NULL)
		die("out of memory");
	rec = cJSON_AddObjectToObject(j, "recovery");
	if (rec == NULL)
		die("out of memory");
	add_string(rec, "action", "diagnose_error_code");
	add_string(rec, "command", cmd.buf);
	add_string(rec, "hint", "Run the command to see how to solve this "
	    "error code");
	emit_json_line(j);
	cJSON_Delete(j);
	sbuf_release(&cmd);
	free(code);
	free(msg);
	free(rid);
	return 2;
}

static int
emit_network(const struct sim *s, const struct api_error *e)
{
	struct sbuf q = SBUF_INIT;

	signed_query(&q, e->product, e->sub, e->region);
	host_error(s, "Post \"https://%s.%s.aliyuncs.com/?%s\": dial tcp "
	    "100.100.80.10:443: connect: connection refused",
	    product_host(e->product), e->region, q.buf);
	sbuf_release(&q);
	return 1;
}

/* Print e in its form; returns the exit code that form comes with. */
int
api_error_emit(const struct sim *s, const struct api_error *e)
{
	switch (e->form) {
	case FORM_PLUGIN:
		return emit_plugin(e);
	case FORM_SERVER:
		return emit_server(s, e);
	case FORM_ENVELOPE:
		return emit_envelope(e);
	case FORM_ENVELOPE2:
		return emit_envelope2(e);
	case FORM_BUSINESS:
		if (cJSON_IsObject(e->body))
			json_put_pretty(1, e->body);
		else if (cJSON_IsString(e->body))
			out_printf(1, "%s\n", e->body->valuestring);
		return 0;
	case FORM_NETWORK:
		return emit_network(s, e);
	}
	return 1;
}
