/*
 * aliyun: classification of every reply form of aliyun-facts.md (success
 * bodies, the plugin SDKError block, ERROR: SDK.ServerError, both JSON
 * envelopes, HTTP-200 business errors, the profile gate, usage errors,
 * network errors, garbage), the one-line description, and the redacted,
 * shell-quoted command line.
 */
#include <stdlib.h>
#include <string.h>

#include "aimode.h"
#include "aliyun.h"
#include "configure_list.h"
#include "buf.h"
#include "json.h"
#include "test.h"

#define AK "LTAI5tAbCdEfGhIjKlMnOpQr"

#define RAM_MSG "User not authorized to operate on the specified resource, " \
	"or this API doesn't support RAM."
#define TIP_MSG "A diagnosis task is already in progress for this " \
	"instance, please wait for it to finish: ocd(Vq7mZ2xK)"
#define TIP_RID "3E1D5C7B-2A49-5F60-8B1C-D2E3F4A5B6C7"

/* Classifies C-string output (no NULs) into r. */
static void
classify(struct aliyun_reply *r, int status, const char *out, const char *err,
    bool want_json)
{
	aliyun_classify(r, status, out, strlen(out), err, strlen(err),
	    want_json);
}

/* aliyun_describe(r) must equal want. */
static void
describes(const struct aliyun_reply *r, const char *want, int line)
{
	char *got = aliyun_describe(r);

	test_check_str(got, want, __FILE__, line, "aliyun_describe(r)");
	free(got);
}

/* §4.1, §4.2, §4.5, §4.12, §4.13, §4.16: exit 0 bodies. */
static void
test_success(void)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;

	classify(&r, 0, "{\n  \"RequestId\": \"1F0C2B7E-6A3D-5C1B-9E44-"
	    "2B7A90C3D5E1\",\n  \"code\": \"Success\",\n  \"message\": \"\",\n"
	    "  \"data\": { \"role_exist\": true }\n}\n", "", true);
	CHECK(r.ok);
	CHECK_INT(r.kind, API_OK);
	CHECK(r.json != NULL);
	CHECK_STR(json_str(r.json, "RequestId"),
	    "1F0C2B7E-6A3D-5C1B-9E44-2B7A90C3D5E1");
	CHECK_STR(r.code, NULL);
	CHECK_STR(r.message, NULL);
	CHECK(!r.from_server);
	aliyun_reply_release(&r);

	classify(&r, 0, "{\n  \"code\": \"Success\",\n  \"message\": \"\",\n"
	    "  \"data\": { \"task_id\": \"Vq7mZ2xK\" },\n  \"request_id\": "
	    "\"8D2E4C61-0B7F-5A93-A1C2-6E5F4D3B2A10\"\n}\n", "", true);
	CHECK(r.ok);
	CHECK_INT(r.kind, API_OK);
	CHECK_STR(json_str(json_obj(r.json, "data"), "task_id"), "Vq7mZ2xK");
	aliyun_reply_release(&r);

	/* Built-in layout: TAB-indented, sorted keys. */
	classify(&r, 0, "{\n\t\"code\": \"Success\",\n\t\"data\": {\n\t\t"
	    "\"result\": {\"summary\": {\"overall_status\": \"Info\"}},\n\t\t"
	    "\"status\": \"Success\",\n\t\t\"task_id\": \"Vq7mZ2xK\"\n\t},\n\t"
	    "\"message\": \"\",\n\t\"request_id\": \"R2\"\n}\n", "", true);
	CHECK(r.ok);
	CHECK_STR(json_str(json_obj(r.json, "data"), "status"), "Success");
	aliyun_reply_release(&r);

	/* EAS ListServices: PascalCase, no code. */
	classify(&r, 0, "{\"PageNumber\":1,\"PageSize\":100,\"RequestId\":"
	    "\"40325405-579C-4D82-B7A1-2C3D4E5F6A7B\",\"TotalCount\":1,"
	    "\"Services\":[{\"ServiceId\":\"eas-m-bp79exq2lzbd0ctdfu\","
	    "\"ServiceName\":\"qwen_chat_prod\",\"Status\":\"Running\","
	    "\"Message\":\"Service start successfully\"}]}\n", "", true);
	CHECK(r.ok);
	CHECK_INT(r.kind, API_OK);
	CHECK_INT(cJSON_GetArraySize(json_arr(r.json, "Services")), 1);
	aliyun_reply_release(&r);

	classify(&r, 0, "{\"PageNumber\":1,\"PageSize\":100,\"RequestId\":"
	    "\"5B6C7D8E\",\"Services\":[],\"TotalCount\":0}", "", true);
	CHECK(r.ok);
	CHECK_INT(r.kind, API_OK);
	aliyun_reply_release(&r);

	/* DLC GetJob, Lingjun. */
	classify(&r, 0, "{\"RequestId\":\"5C6D7E8F\",\"JobId\":"
	    "\"dlcabc123def456\",\"ResourceType\":\"Lingjun\",\"Status\":"
	    "\"Running\",\"Duration\":43200}\n", "", true);
	CHECK(r.ok);
	CHECK_STR(json_str(r.json, "ResourceType"), "Lingjun");
	aliyun_reply_release(&r);

	/* A system command with plain text output. */
	classify(&r, 0, "3.4.11\n", "", false);
	CHECK(r.ok);
	CHECK_INT(r.kind, API_OK);
	CHECK(r.json == NULL);
	aliyun_reply_release(&r);

	classify(&r, 0, "", "", false);
	CHECK(r.ok);
	aliyun_reply_release(&r);

	/* §2.5: the auto-install preamble on both streams. */
	classify(&r, 0, "Downloading aliyun-cli-sysom 0.1.2...\nPlugin "
	    "aliyun-cli-sysom 0.1.2 installed successfully!\n{\"code\":"
	    "\"Success\",\"message\":\"\",\"data\":{\"task_id\":\"Vq7mZ2xK\"},"
	    "\"request_id\":\"8D2E4C61\"}\n", "Plugin 'aliyun-cli-sysom' is "
	    "required for command 'sysom invoke-diagnosis' but not installed.\n"
	    "Auto-installing plugin 'aliyun-cli-sysom'...\n", true);
	CHECK(r.ok);
	CHECK_INT(r.kind, API_OK);
	CHECK_STR(json_str(json_obj(r.json, "data"), "task_id"), "Vq7mZ2xK");
	aliyun_reply_release(&r);
}

static const char sdkerror_tip[] =
    "SDKError:\n"
    "   StatusCode: 400\n"
    "   Code: Sysom.TaskInProgress\n"
    "   Message: code: 400, " TIP_MSG " request id: " TIP_RID "\n"
    "   Data: {\"Code\":\"Sysom.TaskInProgress\",\"HostId\":"
    "\"sysom.cn-hangzhou.aliyuncs.com\",\"Message\":\"" TIP_MSG "\","
    "\"Recommend\":\"https://api.aliyun.com/troubleshoot?q=Sysom."
    "TaskInProgress&product=SysOM&requestId=" TIP_RID "\",\"RequestId\":\""
    TIP_RID "\",\"statusCode\":400}\n";

static const char sdkerror_ram[] =
    "SDKError:\n"
    "   StatusCode: 403\n"
    "   Code: Forbidden.RAM\n"
    "   Message: code: 403, " RAM_MSG " request id: "
    "A1B2C3D4-E5F6-5789-8ABC-DEF012345678\n"
    "   Data: {\"AccessDeniedDetail\":{\"AuthAction\":\"eas:ListServices\","
    "\"AuthPrincipalDisplayName\":\"diag-bot\",\"AuthPrincipalOwnerId\":"
    "\"1234567890123456\",\"AuthPrincipalType\":\"SubUser\","
    "\"EncodedDiagnosticMessage\":\"AQEAAAAAaOq5Gx0uZk1hM2l4b0p3...\","
    "\"NoPermissionType\":\"ImplicitDeny\",\"PolicyType\":"
    "\"AccountLevelIdentityBasedPolicy\"},\"Code\":\"Forbidden.RAM\","
    "\"HostId\":\"pai-eas.cn-hangzhou.aliyuncs.com\",\"Message\":\""
    RAM_MSG "\",\"Recommend\":\"https://api.aliyun.com/troubleshoot?q="
    "Forbidden.RAM&product=eas&requestId=A1B2C3D4-E5F6-5789-8ABC-"
    "DEF012345678\",\"RequestId\":\"A1B2C3D4-E5F6-5789-8ABC-DEF012345678\","
    "\"statusCode\":403}\n";

/* §4.8 and §4.14 as a plugin prints them. */
static void
test_sdkerror(void)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;

	classify(&r, 1, "", sdkerror_tip, true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_TASK_IN_PROGRESS);
	CHECK_STR(r.code, "Sysom.TaskInProgress");
	CHECK_STR(r.message, TIP_MSG);
	CHECK_STR(r.request_id, TIP_RID);
	CHECK_STR(r.auth_action, NULL);
	CHECK_INT(r.http_status, 400);
	CHECK(r.from_server);
	describes(&r, "Sysom.TaskInProgress: " TIP_MSG " (request id " TIP_RID
	    ")", __LINE__);
	aliyun_reply_release(&r);

	classify(&r, 1, "", sdkerror_ram, true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_ACCESS);
	CHECK_STR(r.code, "Forbidden.RAM");
	CHECK_STR(r.message, RAM_MSG);
	CHECK_STR(r.request_id, "A1B2C3D4-E5F6-5789-8ABC-DEF012345678");
	CHECK_STR(r.auth_action, "eas:ListServices");
	CHECK_INT(r.http_status, 403);
	CHECK(r.from_server);
	describes(&r, "Forbidden.RAM: " RAM_MSG " (request id "
	    "A1B2C3D4-E5F6-5789-8ABC-DEF012345678)", __LINE__);
	aliyun_reply_release(&r);

	/* No Data line: the Message line loses its prefix and suffix. */
	classify(&r, 1, "", "SDKError:\n   StatusCode: 403\n   Code: "
	    "Forbidden.RAM\n   Message: code: 403, " RAM_MSG " request id: "
	    "A1B2C3D4-E5F6-5789-8ABC-DEF012345678\n", true);
	CHECK_INT(r.kind, API_ACCESS);
	CHECK_STR(r.code, "Forbidden.RAM");
	CHECK_STR(r.message, RAM_MSG);
	CHECK_STR(r.request_id, "A1B2C3D4-E5F6-5789-8ABC-DEF012345678");
	CHECK_INT(r.http_status, 403);
	aliyun_reply_release(&r);

	/* TaskInProgress without an id in the text (ACK-SKILL variant). */
	classify(&r, 1, "", "SDKError:\n   StatusCode: 400\n   Code: "
	    "Sysom.TaskInProgress\n   Message: code: 400, A diagnosis task is "
	    "already in progress request id: R9\n", true);
	CHECK_INT(r.kind, API_TASK_IN_PROGRESS);
	CHECK_STR(r.message, "A diagnosis task is already in progress");
	CHECK_STR(r.request_id, "R9");
	aliyun_reply_release(&r);

	/* With an ERROR: prefix, as the facts allow. */
	{
		char *e = malloc(sizeof(sdkerror_tip) + 8);

		strcpy(e, "ERROR: ");
		strcat(e, sdkerror_tip);
		classify(&r, 1, "", e, true);
		CHECK_INT(r.kind, API_TASK_IN_PROGRESS);
		CHECK_STR(r.code, "Sysom.TaskInProgress");
		CHECK_STR(r.message, TIP_MSG);
		CHECK_STR(r.request_id, TIP_RID);
		aliyun_reply_release(&r);
		free(e);
	}

	/* Throttling, 503, DLC NotFound 404 and its numeric-code kin. */
	classify(&r, 1, "", "SDKError:\n   StatusCode: 400\n   Code: "
	    "Throttling.User\n   Message: code: 400, Request was denied due to "
	    "user flow control. request id: R1\n   Data: {\"Code\":"
	    "\"Throttling.User\",\"Message\":\"Request was denied due to user "
	    "flow control.\",\"RequestId\":\"R1\",\"statusCode\":400}\n", true);
	CHECK_INT(r.kind, API_TRANSIENT);
	CHECK_STR(r.code, "Throttling.User");
	CHECK_STR(r.message, "Request was denied due to user flow control.");
	aliyun_reply_release(&r);

	classify(&r, 1, "", "SDKError:\n   StatusCode: 503\n   Code: "
	    "Sysom.GatewayError\n   Message: code: 503, upstream unavailable "
	    "request id: R2\n", true);
	CHECK_INT(r.kind, API_TRANSIENT);
	CHECK_INT(r.http_status, 503);
	aliyun_reply_release(&r);

	classify(&r, 1, "", "SDKError:\n   StatusCode: 429\n   Code: "
	    "TooManyRequests\n   Message: code: 429, slow down request id: "
	    "R3\n", true);
	CHECK_INT(r.kind, API_TRANSIENT);
	aliyun_reply_release(&r);

	classify(&r, 1, "", "SDKError:\n   StatusCode: 404\n   Code: NotFound\n"
	    "   Message: code: 404, Job dlcnotexist0001 not found request id: "
	    "8E9F0A1B-2C3D-4E5F-8A6B-7C8D9E0F1A2B\n   Data: {\"Code\":"
	    "\"NotFound\",\"HostId\":\"pai-dlc.cn-beijing.aliyuncs.com\","
	    "\"Message\":\"Job dlcnotexist0001 not found\",\"Recommend\":"
	    "\"https://api.aliyun.com/troubleshoot?q=NotFound&product=pai-dlc"
	    "\",\"RequestId\":\"8E9F0A1B-2C3D-4E5F-8A6B-7C8D9E0F1A2B\","
	    "\"statusCode\":404}\n", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_NOT_FOUND);
	CHECK_STR(r.code, "NotFound");
	CHECK_STR(r.message, "Job dlcnotexist0001 not found");
	CHECK_STR(r.request_id, "8E9F0A1B-2C3D-4E5F-8A6B-7C8D9E0F1A2B");
	CHECK_INT(r.http_status, 404);
	aliyun_reply_release(&r);

	classify(&r, 1, "", "SDKError:\n   StatusCode: 404\n   Code: "
	    "100400027\n   Message: code: 404, job not exist request id: R4\n"
	    "   Data: {\"Code\":100400027,\"Message\":\"job not exist\","
	    "\"RequestId\":\"R4\",\"statusCode\":404}\n", true);
	CHECK_INT(r.kind, API_NOT_FOUND);
	CHECK_STR(r.code, "100400027");
	CHECK_INT(r.http_status, 404);
	aliyun_reply_release(&r);

	/* §4.9 InvalidParameter: a plain service error. */
	classify(&r, 1, "", "SDKError:\n   StatusCode: 400\n   Code: "
	    "Sysom.InvalidParameter\n   Message: code: 400, Invalid parameters "
	    "passed when calling the interface. ocd_description contains "
	    "invalid characters. request id: 9A8B7C6D\n", true);
	CHECK_INT(r.kind, API_OTHER);
	CHECK_STR(r.code, "Sysom.InvalidParameter");
	CHECK_STR(r.message, "Invalid parameters passed when calling the "
	    "interface. ocd_description contains invalid characters.");
	CHECK_STR(r.request_id, "9A8B7C6D");
	aliyun_reply_release(&r);
}

/* The built-in "ERROR: SDK.ServerError" form, exit 1. */
static void
test_server_error(void)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;

	classify(&r, 1, "", "ERROR: SDK.ServerError\nErrorCode: "
	    "Sysom.TaskInProgress\nRecommend: https://api.aliyun.com/"
	    "troubleshoot?q=Sysom.TaskInProgress&product=SysOM&requestId="
	    TIP_RID "\nRequestId: " TIP_RID "\nMessage: " TIP_MSG "\n", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_TASK_IN_PROGRESS);
	CHECK_STR(r.code, "Sysom.TaskInProgress");
	CHECK_STR(r.request_id, TIP_RID);
	CHECK_STR(r.message, TIP_MSG);
	CHECK(r.from_server);
	aliyun_reply_release(&r);

	/* v1.63-era SDKs: RespHeaders and AccessDeniedDetail lines. */
	classify(&r, 1, "", "ERROR: SDK.ServerError\nErrorCode: Forbidden.RAM\n"
	    "Recommend: https://api.aliyun.com/troubleshoot?q=Forbidden.RAM\n"
	    "RequestId: 6C5B4A39-2817-5F6E-9D4C-3B2A19087F6E\nMessage: " RAM_MSG
	    "\nRespHeaders: map[Access-Control-Allow-Origin:[*] "
	    "Content-Type:[application/json;charset=utf-8]]\n"
	    "AccessDeniedDetail: {\"AuthAction\":\"sysom:InvokeDiagnosis\","
	    "\"NoPermissionType\":\"ImplicitDeny\"}\n", true);
	CHECK_INT(r.kind, API_ACCESS);
	CHECK_STR(r.code, "Forbidden.RAM");
	CHECK_STR(r.request_id, "6C5B4A39-2817-5F6E-9D4C-3B2A19087F6E");
	CHECK_STR(r.message, RAM_MSG);
	CHECK_STR(r.auth_action, "sysom:InvokeDiagnosis");
	describes(&r, "Forbidden.RAM: " RAM_MSG " (request id "
	    "6C5B4A39-2817-5F6E-9D4C-3B2A19087F6E)", __LINE__);
	aliyun_reply_release(&r);

	/* The same with the detail as a Go map. */
	classify(&r, 1, "", "ERROR: SDK.ServerError\nErrorCode: NoPermission\n"
	    "RequestId: R5\nMessage: no permission\nAccessDeniedDetail: "
	    "map[AuthAction:sysom:GetDiagnosisResult NoPermissionType:"
	    "ImplicitDeny]\n", true);
	CHECK_INT(r.kind, API_ACCESS);
	CHECK_STR(r.code, "NoPermission");
	CHECK_STR(r.auth_action, "sysom:GetDiagnosisResult");
	aliyun_reply_release(&r);

	/* Colour around the lines (§2.5). */
	classify(&r, 1, "", "\033[1;31mERROR: SDK.ServerError\nErrorCode: "
	    "Throttling.User\nRecommend: x\nRequestId: R6\nMessage: Request "
	    "was denied due to user flow control.\n\033[0m", true);
	CHECK_INT(r.kind, API_TRANSIENT);
	CHECK_STR(r.code, "Throttling.User");
	CHECK_STR(r.request_id, "R6");
	CHECK_STR(r.message, "Request was denied due to user flow control.");
	CHECK_LACKS(r.message, "\033");
	aliyun_reply_release(&r);

	classify(&r, 1, "", "\033[1;31mERROR: SDK.ServerError\n\033[0m"
	    "\033[1;31mErrorCode: Forbidden.RAM\n\033[0mRequestId: R7\n"
	    "Message: " RAM_MSG "\n", true);
	CHECK_INT(r.kind, API_ACCESS);
	CHECK_STR(r.code, "Forbidden.RAM");
	aliyun_reply_release(&r);
}

/* The one-line JSON envelopes on stderr (§2.3). */
static void
test_envelope(void)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;

	classify(&r, 4, "", "{\"ok\":false,\"category\":\"PERMISSION_ERROR\","
	    "\"code\":\"Forbidden.RAM\",\"message\":\"" RAM_MSG "\","
	    "\"suggestions\":[\"grant sysom:InvokeDiagnosis\"],\"retryable\":"
	    "false,\"requestId\":\"6C5B4A39-2817-5F6E-9D4C-3B2A19087F6E\","
	    "\"recovery\":{\"command\":\"aliyun ram attach-policy-to-user\"}}\n",
	    true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_ACCESS);
	CHECK_STR(r.code, "Forbidden.RAM");
	CHECK_STR(r.message, RAM_MSG);
	CHECK_STR(r.request_id, "6C5B4A39-2817-5F6E-9D4C-3B2A19087F6E");
	aliyun_reply_release(&r);

	/* The category decides when the code says nothing known. */
	classify(&r, 4, "", "{\"ok\":false,\"category\":\"PERMISSION_ERROR\","
	    "\"code\":\"Sysom.UserDenied\",\"message\":\"denied\","
	    "\"retryable\":false}", true);
	CHECK_INT(r.kind, API_ACCESS);
	CHECK_STR(r.code, "Sysom.UserDenied");
	aliyun_reply_release(&r);

	classify(&r, 5, "", "{\"ok\":false,\"category\":\"THROTTLING\","
	    "\"code\":\"Sysom.TooFast\",\"message\":\"slow down\","
	    "\"retryable\":true,\"requestId\":\"R8\"}\n", true);
	CHECK_INT(r.kind, API_TRANSIENT);
	CHECK_STR(r.code, "Sysom.TooFast");
	CHECK_STR(r.request_id, "R8");
	aliyun_reply_release(&r);

	classify(&r, 5, "", "{\"ok\":false,\"category\":\"THROTTLING_ERROR\","
	    "\"code\":\"Throttling.User\",\"message\":\"Request was denied due "
	    "to user flow control.\",\"retryable\":true}\n", true);
	CHECK_INT(r.kind, API_TRANSIENT);
	aliyun_reply_release(&r);

	/* Leading blank lines before the envelope. */
	classify(&r, 4, "", "\n  {\"ok\":false,\"category\":\"PERMISSION_ERROR\","
	    "\"code\":\"Forbidden.RAM\",\"message\":\"m\"}\n", true);
	CHECK_INT(r.kind, API_ACCESS);
	CHECK_STR(r.code, "Forbidden.RAM");
	aliyun_reply_release(&r);

	/* The later shape, exit 2, with the unverified extra key names. */
	classify(&r, 2, "", "{\"message\":\"" RAM_MSG "\",\"did_you_mean\":[],"
	    "\"recovery\":{\"action\":\"diagnose_error_code\",\"command\":"
	    "\"aliyun openapiexplorer get-error-code-solutions --error-code "
	    "'Forbidden.RAM'\",\"hint\":\"check the RAM policy\"},\"code\":"
	    "\"Forbidden.RAM\",\"http_status\":403,\"request_id\":\"R10\"}\n",
	    true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_ACCESS);
	CHECK_STR(r.code, "Forbidden.RAM");
	CHECK_STR(r.message, RAM_MSG);
	CHECK_STR(r.request_id, "R10");
	aliyun_reply_release(&r);

	classify(&r, 2, "", "{\"message\":\"Request was denied due to user "
	    "flow control.\",\"error_code\":\"Throttling.User\",\"RequestId\":"
	    "\"R11\"}\n", true);
	CHECK_INT(r.kind, API_TRANSIENT);
	CHECK_STR(r.code, "Throttling.User");
	CHECK_STR(r.request_id, "R11");
	aliyun_reply_release(&r);

	classify(&r, 2, "", "{\"message\":\"task running\",\"ErrorCode\":"
	    "\"Sysom.TaskInProgress\",\"requestId\":\"R12\"}", true);
	CHECK_INT(r.kind, API_TASK_IN_PROGRESS);
	CHECK_STR(r.code, "Sysom.TaskInProgress");
	CHECK_STR(r.request_id, "R12");
	aliyun_reply_release(&r);

	/*
	 * The later shape with the code only in the recovery command: facts
	 * §2.6 says to match codes anywhere in the output.
	 */
	classify(&r, 2, "", "{\"message\":\"" RAM_MSG "\",\"did_you_mean\":[],"
	    "\"recovery\":{\"action\":\"diagnose_error_code\",\"command\":"
	    "\"aliyun openapiexplorer get-error-code-solutions --error-code "
	    "'Forbidden.RAM' --product sysom\",\"hint\":\"h\"}}\n", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_ACCESS);
	aliyun_reply_release(&r);

	/* A usage error in the later shape. */
	classify(&r, 2, "", "{\"message\":\"'ai-mode' is not a valid command\","
	    "\"did_you_mean\":[\"ai\"],\"recovery\":{\"action\":\"fix_command\","
	    "\"command\":\"aliyun configure --help\",\"hint\":\"h\"}}\n", false);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_USAGE);
	CHECK_STR(r.message, "'ai-mode' is not a valid command");
	CHECK(!r.from_server);
	aliyun_reply_release(&r);
}

/* HTTP-200 business errors on stdout with exit 0 (§2.4, §4.10). */
static void
test_business(void)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;

	classify(&r, 0, "{\n  \"code\": \"SysomOpenAPI.AssumeRoleFailed\",\n"
	    "  \"message\": \"SysomOpenAPIAssumeRoleException: EntityNotExist."
	    "Role The role not exists: acs:ram::1234567890123456:role/"
	    "aliyunserviceroleforsysom\",\n  \"data\": {},\n  \"request_id\": "
	    "\"2B3C4D5E-6F70-5182-93A4-B5C6D7E8F901\"\n}\n", "", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_ROLE_MISSING);
	CHECK_STR(r.code, "SysomOpenAPI.AssumeRoleFailed");
	CHECK_STR(r.request_id, "2B3C4D5E-6F70-5182-93A4-B5C6D7E8F901");
	CHECK_STR(r.message, "SysomOpenAPIAssumeRoleException: EntityNotExist."
	    "Role The role not exists: acs:ram::1234567890123456:role/"
	    "aliyunserviceroleforsysom");
	CHECK(r.json != NULL);
	aliyun_reply_release(&r);

	/* The role message alone, under an undocumented code. */
	classify(&r, 0, "{\"code\":\"Sysom.Error\",\"message\":\"The role not "
	    "exists\",\"data\":{},\"request_id\":\"R13\"}", "", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_ROLE_MISSING);
	aliyun_reply_release(&r);

	/*
	 * Sysom.ClusterNotFound at HTTP 200: a failure.  It is a plain service
	 * error (exit 6 in the workflow), not throttling, not access.
	 */
	classify(&r, 0, "{\"code\":\"Sysom.ClusterNotFound\",\"message\":"
	    "\"cluster not found\",\"data\":{},\"request_id\":\"R14\"}\n", "",
	    true);
	CHECK(!r.ok);
	CHECK(r.kind == API_OTHER || r.kind == API_NOT_FOUND);
	CHECK_STR(r.code, "Sysom.ClusterNotFound");
	CHECK_STR(r.message, "cluster not found");
	CHECK_STR(r.request_id, "R14");
	describes(&r, "Sysom.ClusterNotFound: cluster not found (request id "
	    "R14)", __LINE__);
	aliyun_reply_release(&r);

	/* A PascalCase error body on stdout at exit 0. */
	classify(&r, 0, "{\"Code\":\"Forbidden.RAM\",\"Message\":\"" RAM_MSG
	    "\",\"RequestId\":\"R15\",\"AccessDeniedDetail\":{\"AuthAction\":"
	    "\"pai-dlc:GetJob\"}}", "", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_ACCESS);
	CHECK_STR(r.code, "Forbidden.RAM");
	CHECK_STR(r.auth_action, "pai-dlc:GetJob");
	CHECK_STR(r.request_id, "R15");
	aliyun_reply_release(&r);
}

/* The host's own errors. */
static void
test_host_errors(void)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	static const char *const secrets[] = {
		AK, "LTAI", "Zm9vYmFy", "CAISsecretTOKEN", "secretTOKEN", NULL,
	};
	char *d;

	/* §3 signed URL leak. */
	classify(&r, 1, "", "ERROR: Post \"https://sysom.cn-hangzhou."
	    "aliyuncs.com/?AccessKeyId=" AK "&Action=InvokeDiagnosis&Format="
	    "JSON&SecurityToken=CAISsecretTOKEN&Signature=Zm9vYmFy%3D&"
	    "SignatureMethod=HMAC-SHA1\": dial tcp 47.96.0.1:443: connect: "
	    "connection refused\n", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_TRANSIENT);
	CHECK(!r.from_server);
	CHECK_HAS(r.message, "connection refused");
	d = aliyun_describe(&r);
	for (size_t i = 0; secrets[i]; i++) {
		CHECK_LACKS(r.message, secrets[i]);
		CHECK_LACKS(d, secrets[i]);
	}
	free(d);
	aliyun_reply_release(&r);

	classify(&r, 1, "", "ERROR: Post \"https://sysom.cn-hangzhou."
	    "aliyuncs.com/?AccessKeyId=" AK "&Signature=Zm9vYmFy\": context "
	    "deadline exceeded (Client.Timeout exceeded while awaiting "
	    "headers)\n", true);
	CHECK_INT(r.kind, API_TRANSIENT);
	CHECK_LACKS(r.message, "LTAI");
	CHECK_LACKS(r.message, "Zm9vYmFy");
	aliyun_reply_release(&r);

	classify(&r, 1, "", "ERROR: request to sysom.cn-hangzhou.aliyuncs.com "
	    "failed: dial tcp: lookup sysom.cn-hangzhou.aliyuncs.com: no such "
	    "host\n", true);
	CHECK_INT(r.kind, API_TRANSIENT);
	aliyun_reply_release(&r);

	/* The profile gate, exit 3. */
	classify(&r, 3, "", "ERROR: region can't be empty\nConfiguration "
	    "failed, use `aliyun configure` to configure it\n", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_PROFILE);
	CHECK_STR(r.code, NULL);
	CHECK_STR(r.message, "region can't be empty");
	r.c.status = 3;
	describes(&r, "region can't be empty", __LINE__);
	aliyun_reply_release(&r);

	classify(&r, 3, "", "\033[1;31mERROR: unknown profile prod, run "
	    "configure to check\n\033[0m\033[1;33mConfiguration failed, use "
	    "`aliyun configure` to configure it\n\033[0m", true);
	CHECK_INT(r.kind, API_PROFILE);
	CHECK_STR(r.message, "unknown profile prod, run configure to check");
	aliyun_reply_release(&r);

	/* Usage errors, exit 2; the old spelling too. */
	classify(&r, 2, "\nDid you mean:\n  ai\n", "ERROR: 'ai-mode' is not a "
	    "vaild command\n", false);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_USAGE);
	CHECK_STR(r.message, "'ai-mode' is not a vaild command");
	aliyun_reply_release(&r);

	classify(&r, 2, "", "ERROR: 'ai-mode' is not a valid command\n", false);
	CHECK_INT(r.kind, API_USAGE);
	aliyun_reply_release(&r);

	classify(&r, 2, "", "ERROR: invalid flag --user-agent; available "
	    "flags: --profile\n", false);
	CHECK_INT(r.kind, API_USAGE);
	aliyun_reply_release(&r);

	/* 3.4.11: a corrupt config prints ERROR: and exits 0 (no newline). */
	classify(&r, 0, "", "ERROR: load current configuration failed invalid "
	    "character 'x' looking for beginning of value", false);
	CHECK(!r.ok);
	CHECK(r.kind != API_OK);
	CHECK_STR(r.message, "load current configuration failed invalid "
	    "character 'x' looking for beginning of value");
	aliyun_reply_release(&r);

	classify(&r, 0, "", "ERROR: load current configuration failed x", true);
	CHECK(!r.ok);
	CHECK(r.kind != API_OK);
	aliyun_reply_release(&r);

	/* A plugin killed by a signal: 255, nothing printed. */
	classify(&r, 255, "", "", true);
	CHECK(!r.ok);
	CHECK(r.kind != API_OK);
	r.c.status = 255;
	/* 255 is an exit code (no signal has that number). */
	d = aliyun_describe(&r);
	CHECK_HAS(d, "255");
	CHECK_LACKS(d, "signal 127");
	free(d);
	aliyun_reply_release(&r);

	classify(&r, 1, "", "ERROR: 'sysom' is not a valid built-in product.\n"
	    "\nPlease install the plugin.\n", true);
	CHECK(!r.ok);
	CHECK_STR(r.message, "'sysom' is not a valid built-in product.");
	aliyun_reply_release(&r);

	/* Descriptions of the child's own failures. */
	r.c.timed_out = true;
	r.c.timeout = 300;
	describes(&r, "no answer within 300 s (--call-timeout); the process "
	    "group was killed", __LINE__);
	aliyun_reply_release(&r);
	r.c.status = 137;
	r.c.term_signal = 9;
	describes(&r, "failed (killed by signal 9)", __LINE__);
	aliyun_reply_release(&r);
}

/* Exit 0 without a usable document, and bytes that must not crash. */
static void
test_garbage(void)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	static const char nul_out[] = "{\"code\":\"Success\"}\0\xff";
	static const char nul_err[] = "ERROR: bad\0thing\xff\n";

	classify(&r, 0, "<html><body><h1>502 Bad Gateway</h1></body></html>\n",
	    "", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_GARBAGE);
	CHECK(r.json == NULL);
	CHECK(r.message != NULL);
	aliyun_reply_release(&r);

	classify(&r, 0, "{\"code\":\"Success\",\"data\":{\"task_", "", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_GARBAGE);
	aliyun_reply_release(&r);

	classify(&r, 0, "{\"code\":\"Success\"} trailing", "", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_GARBAGE);
	aliyun_reply_release(&r);

	classify(&r, 0, "", "", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_GARBAGE);
	aliyun_reply_release(&r);

	classify(&r, 0, "\n\n", "", true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_GARBAGE);
	aliyun_reply_release(&r);

	/* NUL bytes and invalid UTF-8 in both streams. */
	aliyun_classify(&r, 0, nul_out, sizeof(nul_out) - 1, "", 0, true);
	CHECK(!r.ok);
	CHECK_INT(r.kind, API_GARBAGE);
	aliyun_reply_release(&r);

	aliyun_classify(&r, 1, nul_out, sizeof(nul_out) - 1, nul_err,
	    sizeof(nul_err) - 1, true);
	CHECK(!r.ok);
	CHECK_LACKS(r.message, "\xff");
	aliyun_reply_release(&r);

	aliyun_classify(&r, 1, "\xff\xfe\0\x01", 4, "\x80\0\xc3", 3, true);
	CHECK(!r.ok);
	CHECK_LACKS(r.message, "\xff");
	CHECK_LACKS(r.message, "\x80");
	CHECK_LACKS(r.message, "\x01");
	aliyun_reply_release(&r);

	/* Strings kept from a body are redacted and made printable. */
	classify(&r, 0, "{\"code\":\"Sysom.X\",\"message\":\"bad \xff byte "
	    "\\u001b[31m key " AK "\",\"request_id\":\"R16\"}", "", true);
	CHECK(!r.ok);
	CHECK_STR(r.message, "bad ? byte  key [REDACTED]");
	CHECK_STR(r.request_id, "R16");
	aliyun_reply_release(&r);
}

/* cmdline of argv must equal want. */
static void
cmdline_is(char *const *argv, const char *want, int line)
{
	char *got = aliyun_cmdline(argv);

	test_check_str(got, want, __FILE__, line, "aliyun_cmdline(argv)");
	free(got);
}

static void
test_cmdline(void)
{
	char *invoke[] = {
		"aliyun", "sysom", "invoke-diagnosis", "--service-name", "ocd",
		"--channel", "ecs", "--params",
		"{\"instance\":\"eas-m-x\",\"type\":\"ocd\"}", "--user-agent",
		ALIYUN_UA, NULL,
	};
	char *odd[] = {
		"aliyun", "a'b", "", "a b", "$(id)", "x;y", "`id`", "*", "~",
		"--flag=value", "cn-hangzhou", NULL,
	};
	char *secret[] = {
		"aliyun", "--access-key-id", AK, "version", NULL,
	};
	char *url[] = {
		"curl", "https://x/?AccessKeyId=" AK "&Signature=abc%2B", NULL,
	};
	char *none[] = { NULL };
	struct buf b = BUF_INIT;

	cmdline_is(invoke, "aliyun sysom invoke-diagnosis --service-name ocd "
	    "--channel ecs --params '{\"instance\":\"eas-m-x\",\"type\":\"ocd\"}' "
	    "--user-agent AlibabaCloud-Agent-Skills/alibabacloud-aes-sysom-pai-"
	    "diagnosis", __LINE__);
	cmdline_is(odd, "aliyun 'a'\\''b' '' 'a b' '$(id)' 'x;y' '`id`' '*' "
	    "'~' --flag=value cn-hangzhou", __LINE__);
	cmdline_is(secret, "aliyun --access-key-id [REDACTED] version",
	    __LINE__);
	cmdline_is(url, "curl 'https://x/?AccessKeyId=[REDACTED]&Signature="
	    "[REDACTED]'", __LINE__);
	cmdline_is(none, "", __LINE__);

	shell_quote(&b, "plain-word_1.2");
	CHECK_STR(buf_str(&b), "plain-word_1.2");
	buf_reset(&b);
	shell_quote(&b, "with space");
	CHECK_STR(buf_str(&b), "'with space'");
	buf_reset(&b);
	shell_quote(&b, "");
	CHECK_STR(buf_str(&b), "''");
	buf_reset(&b);
	shell_quote(&b, "it's");
	CHECK_STR(buf_str(&b), "'it'\\''s'");
	buf_reset(&b);
	shell_quote(&b, "'");
	CHECK_STR(buf_str(&b), "''\\'''");
	buf_reset(&b);
	shell_quote(&b, "a\nb");
	CHECK_STR(buf_str(&b), "'a\nb'");
	buf_reset(&b);
	shell_quote(&b, "/usr/local/bin/aliyun");
	CHECK_STR(buf_str(&b), "/usr/local/bin/aliyun");
	buf_release(&b);
}

/* Rows of `configure list`: the cell with the secret gives only its mode. */
static void
test_configure_list_rows(void)
{
	static const struct {
		const char *line;
		int rc;
		const char *name, *mode;
		bool current, valid, region;
	} cases[] = {
		{ "default * | AK:***456         | Valid   | cn-hangzhou | en", 0,
		    "default", "AK", true, true, true },
		{ "sts       | StsToken:***x|y   | Invalid |             | en", 0,
		    "sts", "StsToken", false, false, false },
		{ "ext | ProcessCommand: cmd --a | Valid | cn-beijing | en", 0,
		    "ext", "External", false, true, true },
		{ "ecs | arn:acs:ram::1:role/r | Valid | cn-beijing | en", 0,
		    "ecs", "RamRoleArnWithEcs", false, true, true },
		{ "odd | ***LTAIsecret | Valid | cn-beijing | en", 0,
		    "odd", "", false, true, true },
		{ "Profile | Credential | Valid | Region | Language", -1,
		    NULL, NULL, false, false, false },
		{ "--------- | ---- | ---- | ---- | ----", -1, NULL, NULL, false,
		    false, false },
		{ "no bars here", -1, NULL, NULL, false, false, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct profile_info row;

		memset(&row, 0, sizeof(row));
		CHECK_INT(parse_profile_row(cases[i].line, strlen(cases[i].line),
		    &row), cases[i].rc);
		if (cases[i].rc < 0)
			continue;
		CHECK_STR(row.name, cases[i].name);
		CHECK_STR(row.mode, cases[i].mode);
		CHECK(row.current == cases[i].current);
		CHECK(row.valid == cases[i].valid);
		CHECK(row.has_region == cases[i].region);
	}
}

/* The answer of `configure ai-mode show`, in its forms. */
static void
test_aimode_show(void)
{
	static const struct {
		const char *text;
		int rc;
		bool enabled;
		const char *ua;
	} cases[] = {
		{ "{\"enabled\": true, \"user_agent\": \"mine/1\"}\n", 0,
		    true, "mine/1" },
		{ "{\"enabled\": false, \"user_agent\": \"\"}", 0, false, NULL },
		{ "{\"enabled\": true}", 0, true, NULL },
		/* A preamble before the JSON, as a plugin install prints. */
		{ "Installing plugin...\n{\"enabled\": true, "
		    "\"user_agent\": null}", 0, true, NULL },
		{ "{\"enabled\": \"true\"}", -1, false, NULL },
		{ "{\"user_agent\": \"x\"}", -1, false, NULL },
		{ "AI mode: on", -1, false, NULL },
		{ "", -1, false, NULL },
		{ "[true]", -1, false, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aimode_state st = { .enabled = true };

		CHECK_INT(aimode_parse_show(cases[i].text,
		    strlen(cases[i].text), &st), cases[i].rc);
		CHECK(st.enabled == cases[i].enabled);
		CHECK_STR(st.user_agent, cases[i].ua);
		free(st.user_agent);
	}
}

void
test_aliyun(void)
{
	test_success();
	test_sdkerror();
	test_server_error();
	test_envelope();
	test_business();
	test_host_errors();
	test_garbage();
	test_cmdline();
	test_aimode_show();
	test_configure_list_rows();
}
