/*
 * report: the text report and the JSON envelope rendered from a struct
 * diag built by hand (as the workflow leaves it), asserted byte for byte
 * for the text and key by key for the JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "msg.h"
#include "redact.h"
#include "report.h"
#include "test.h"
#include "workflow.h"

#define AK "LTAI5tAbCdEfGhIjKlMnOpQr"

#define ROOT_CAUSE "Instance eas-m-bp79exq2lzbd0ctdfu-6c9f7d8b5-x2k4p hit " \
	"CUDA out-of-memory: GPU0 memory used 79.6 GiB / 80 GiB while max " \
	"batch size was 64; the inference process (pid 2871, python) was " \
	"restarted 3 times in the last 30 minutes."

/* §4.5: GetDiagnosisResult, Success, ocd result as an object. */
static const char reply_critical[] =
    "{\"code\":\"Success\",\"message\":\"\",\"request_id\":"
    "\"C4D5E6F7-0819-5A2B-8C3D-4E5F60718293\",\"data\":{"
    "\"task_id\":\"Vq7mZ2xK\",\"service_name\":\"ocd\",\"status\":\"Success\","
    "\"code\":0,\"err_msg\":\"\",\"created_at\":\"2026-08-20 10:15:02\","
    "\"updated_at\":\"2026-08-20 10:17:48\",\"params\":{\"instance\":"
    "\"eas-m-bp79exq2lzbd0ctdfu\",\"region\":\"cn-hangzhou\",\"product\":"
    "\"EAS\",\"start_time\":0,\"end_time\":0,\"type\":\"ocd\",\"ai_roadmap\":"
    "true,\"enable_sysom_link\":false,\"ocd_description\":"
    "\"GPU_OOM_instance_restart\"},\"url\":\"/diagnose/detail/Vq7mZ2xK\","
    "\"result\":{\"product\":\"EAS\",\"diagnose_mode\":\"realtime\","
    "\"summary\":{\"overall_status\":\"Critical\",\"root_cause\":\""
    ROOT_CAUSE "\",\"suggestions\":["
    "\"Reduce max batch size or max sequence length in the service config "
    "to lower peak GPU memory.\","
    "\"Enable request queueing / concurrency limits so bursts do not "
    "over-commit GPU memory.\","
    "\"Scale out to more instances or move to a GPU spec with more "
    "memory.\","
    "\"After the change, re-run diagnosis to confirm GPU memory headroom "
    "above 10%.\"]},"
    "\"issues\":["
    "{\"item\":\"gpu_diag\",\"subsystem\":\"GPU\",\"severity\":\"Critical\","
    "\"title\":\"GPU memory exhausted (CUDA OOM)\",\"detail\":\"GPU0 memory "
    "utilization 99.5% (79.6/80 GiB); 3 OOM-triggered restarts of pid 2871 "
    "in 30 min\",\"metrics\":{\"gpu_mem_used_gib\":79.6,"
    "\"gpu_mem_total_gib\":80,\"oom_restarts_30m\":3}},"
    "{\"item\":\"inference_latency\",\"subsystem\":\"Inference\","
    "\"severity\":\"Warn\",\"title\":\"First-token latency elevated\","
    "\"detail\":\"p99 first-token latency 4.8 s vs 1.2 s baseline\","
    "\"metrics\":{\"ttft_p99_ms\":4800,\"ttft_baseline_ms\":1200}},"
    "{\"item\":\"memgraph\",\"subsystem\":\"Memory\",\"severity\":\"Info\","
    "\"title\":\"Host memory normal\",\"detail\":\"MemAvailable 61% of 256 "
    "GiB; no memcg OOM events\",\"metrics\":{\"mem_available_pct\":61}}"
    "]}}}";

/* §4.18's healthy poll. */
static const char reply_healthy[] =
    "{\"code\":\"Success\",\"message\":\"\",\"request_id\":\"R2\",\"data\":{"
    "\"task_id\":\"Vq7mZ2xK\",\"status\":\"Success\",\"code\":0,\"err_msg\":"
    "\"\",\"url\":\"/diagnose/detail/Vq7mZ2xK\",\"result\":{\"summary\":{"
    "\"overall_status\":\"Info\",\"root_cause\":\"No anomaly found\","
    "\"suggestions\":[]},\"issues\":[]}}}";

static const char header_eas[] =
    "Instance:  eas-m-bp79exq2lzbd0ctdfu\n"
    "Product:   EAS\n"
    "Region:    cn-hangzhou\n"
    "Mode:      real-time\n"
    "Task:      Vq7mZ2xK\n";

static const char text_critical[] =
    "\n"
    "Overall status: Critical\n"
    "\n"
    "Root cause:\n"
    "  " ROOT_CAUSE "\n"
    "\n"
    "Suggestions:\n"
    "  1. Reduce max batch size or max sequence length in the service "
    "config to lower peak GPU memory.\n"
    "  2. Enable request queueing / concurrency limits so bursts do not "
    "over-commit GPU memory.\n"
    "  3. Scale out to more instances or move to a GPU spec with more "
    "memory.\n"
    "  4. After the change, re-run diagnosis to confirm GPU memory headroom "
    "above 10%.\n"
    "\n"
    "Issues (3):\n"
    "  [Critical] GPU memory exhausted (CUDA OOM)\n"
    "      GPU0 memory utilization 99.5% (79.6/80 GiB); 3 OOM-triggered "
    "restarts of pid 2871 in 30 min\n"
    "      item: gpu_diag\n"
    "      subsystem: GPU\n"
    "      metrics: gpu_mem_used_gib=79.6 gpu_mem_total_gib=80 "
    "oom_restarts_30m=3\n"
    "  [Warn] First-token latency elevated\n"
    "      p99 first-token latency 4.8 s vs 1.2 s baseline\n"
    "      item: inference_latency\n"
    "      subsystem: Inference\n"
    "      metrics: ttft_p99_ms=4800 ttft_baseline_ms=1200\n"
    "  [Info] Host memory normal\n"
    "      MemAvailable 61% of 256 GiB; no memcg OOM events\n"
    "      item: memgraph\n"
    "      subsystem: Memory\n"
    "      metrics: mem_available_pct=61\n"
    "\n"
    "SysOM console: /diagnose/detail/Vq7mZ2xK\n";

static const char text_healthy[] =
    "\n"
    "Overall status: Info\n"
    "\n"
    "Root cause:\n"
    "  No anomaly found\n"
    "\n"
    "SysOM console: /diagnose/detail/Vq7mZ2xK\n";

static const char text_timeout[] =
    "\xe2\x8f\xb3 SysOM diagnosis task timed out\n"
    "- Task ID: Vq7mZ2xK\n"
    "- Current status: Running\n"
    "- Suggestion: Please continue waiting for the diagnosis to complete.\n";

static const struct options opt_eas = {
	.region = "cn-hangzhou",
	.instance = "eas-m-bp79exq2lzbd0ctdfu",
	.product = PRODUCT_EAS,
	.realtime = true,
	.poll_interval = 10,
	.max_polls = 60,
	.call_timeout = 300,
};

/* A diag as the workflow leaves it after a Success poll of reply. */
static void
diag_success(struct diag *d, const struct options *o, const char *reply,
    enum outcome outcome)
{
	diag_init(d, o);
	d->outcome = outcome;
	d->task_id = xstrdup("Vq7mZ2xK");
	d->status = xstrdup("Success");
	d->polls = 7;
	diag_take_reply_text(d, reply, strlen(reply));
	free(d->status);
	d->status = xstrdup("Success");
	diag_take_result(d);
}

/* The result of d parsed and redacted, as the reports relay it; owned. */
static cJSON *
result_tree(const struct diag *d)
{
	cJSON *j = cJSON_ParseWithLength(d->res.text.p, d->res.text.n);

	redact_tree(j);
	return j;
}

/* The message of a failed task without the reports' own prefix, once. */
static void
failure_prefix(void)
{
	static const struct {
		const char *msg, *want;
	} cases[] = {
		{ "Diagnosis failed: no pods", "no pods" },
		{ "DIAGNOSIS FAILED :no pods", "no pods" },
		{ "diagnosis failed: Diagnosis failed: no pods", "no pods" },
		{ "Diagnosis failed because of x", "Diagnosis failed because of x" },
		{ "Diagnosis failed:", "Diagnosis failed:" },
		{ "no pods: Diagnosis failed: x", "no pods: Diagnosis failed: x" },
		{ "", "" },
	};
	struct report r;

	memset(&r, 0, sizeof(r));
	CHECK_STR(report_failure_message(&r), "");
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		r.error.message = cases[i].msg;
		CHECK_STR(report_failure_message(&r), cases[i].want);
	}
}

/* The text report of d; owned. */
static char *
text_of(const struct diag *d, bool color)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	struct report r;

	report_view(&r, d, 0);
	CHECK_INT(report_text(f, &r, &(struct text_look){ color, 0 }), 0);
	report_release(&r);
	fclose(f);
	return s;
}

/* The Markdown report of d; owned. */
static char *
markdown_of(const struct diag *d)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	struct report r;

	report_view(&r, d, 0);
	CHECK_INT(report_markdown(f, &r), 0);
	report_release(&r);
	fclose(f);
	return s;
}

/* The JSON envelope of d, parsed back; owned. */
static cJSON *
json_of(const struct diag *d, int exit_code)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	cJSON *j;
	struct report r;

	report_view(&r, d, exit_code);
	CHECK_INT(report_json(f, &r), 0);
	report_release(&r);
	fclose(f);
	/* One document, ending in a newline. */
	CHECK(len > 0 && s[len - 1] == '\n');
	j = cJSON_ParseWithLength(s, len);
	CHECK(j != NULL);
	free(s);
	return j;
}

static double
num(const cJSON *j, const char *key)
{
	double v = -999;

	CHECK(json_num(j, key, &v));
	return v;
}

static bool
is_null(const cJSON *j, const char *key)
{
	return cJSON_IsNull(json_get(j, key));
}

static void
test_text_success(void)
{
	struct diag d;
	char *s, *want;

	diag_success(&d, &opt_eas, reply_critical, OUTCOME_CRITICAL);
	s = text_of(&d, false);
	want = xasprintf("%s%s", header_eas, text_critical);
	CHECK_STR(s, want);
	free(want);
	free(s);

	/* Colour: the verdict and the severities. */
	s = text_of(&d, true);
	CHECK_HAS(s, "Overall status: \033[1;31mCritical\033[0m\n");
	CHECK_HAS(s, "  \033[1;31m[Critical]\033[0m GPU memory exhausted");
	CHECK_HAS(s, "  \033[1;33m[Warn]\033[0m First-token");
	free(s);
	diag_release(&d);

	diag_success(&d, &opt_eas, reply_healthy, OUTCOME_HEALTHY);
	s = text_of(&d, false);
	want = xasprintf("%s%s", header_eas, text_healthy);
	CHECK_STR(s, want);
	free(want);
	free(s);
	diag_release(&d);
}

static void
test_text_other(void)
{
	struct diag d;
	struct options o = opt_eas;
	char *s, *old;
	cJSON *j;

	/* Timeout: the skill's template and nothing else. */
	diag_init(&d, &opt_eas);
	d.outcome = OUTCOME_TIMEOUT;
	d.task_id = xstrdup("Vq7mZ2xK");
	d.status = xstrdup("Running");
	d.polls = 60;
	s = text_of(&d, false);
	CHECK_STR(s, text_timeout);
	free(s);
	s = text_of(&d, true);
	CHECK_STR(s, text_timeout);
	free(s);
	diag_release(&d);

	/* A Fail task: the header and err_msg, nothing else. */
	diag_init(&d, &opt_eas);
	d.outcome = OUTCOME_DIAGNOSIS_FAILED;
	d.task_id = xstrdup("Hn4tR8wq");
	d.status = xstrdup("Fail");
	d.error_set = true;
	d.err.code = xstrdup("diagnosis_failed");
	d.err.source = "sysom";
	d.err.message = xstrdup("Diagnosis failed: target instance "
	    "eas-m-bp1q2w3e4r5t6y7u has no running pods to diagnose");
	s = text_of(&d, false);
	CHECK_STR(s, "Instance:  eas-m-bp79exq2lzbd0ctdfu\n"
	    "Product:   EAS\n"
	    "Region:    cn-hangzhou\n"
	    "Mode:      real-time\n"
	    "Task:      Hn4tR8wq\n"
	    "\n"
	    "Diagnosis failed: target instance "
	    "eas-m-bp1q2w3e4r5t6y7u has no running pods to diagnose\n");
	diag_release(&d);
	free(s);
	failure_prefix();

	/* A historical window in local time, an attached task. */
	old = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	o.realtime = false;
	o.historical = true;
	o.start_time = 1787184000;
	o.end_time = 1787191200;
	diag_success(&d, &o, reply_healthy, OUTCOME_HEALTHY);
	d.attached = true;
	s = text_of(&d, false);
	CHECK_HAS(s, "Mode:      historical, 2026-08-20 08:00:00 CST to "
	    "2026-08-20 10:00:00 CST\n");
	CHECK_HAS(s, "Task:      Vq7mZ2xK (attached to a running task)\n");
	free(s);
	diag_release(&d);
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else
		unsetenv("TZ");
	tzset();

	/* --task-id: the target comes from the task's echoed params. */
	o = opt_eas;
	o.instance = NULL;
	o.product = PRODUCT_NONE;
	diag_success(&d, &o, reply_healthy, OUTCOME_HEALTHY);
	d.echo_known = true;
	d.echo_instance = xstrdup("dlcabc123def456");
	d.echo_product = xstrdup("DLC");
	d.echo_realtime = false;
	s = text_of(&d, false);
	CHECK_HAS(s, "Instance:  dlcabc123def456\nProduct:   DLC\n"
	    "Region:    cn-hangzhou\nMode:      historical\n");
	free(s);
	diag_release(&d);

	/*
	 * Without a region of its own the run shows the task's echoed one,
	 * in every format (the Markdown report once showed "(unknown)").
	 */
	o.region = NULL;
	diag_success(&d, &o, reply_healthy, OUTCOME_HEALTHY);
	d.echo_known = true;
	d.echo_instance = xstrdup("dlcabc123def456");
	d.echo_product = xstrdup("DLC");
	d.echo_region = xstrdup("cn-shanghai");
	s = text_of(&d, false);
	CHECK_HAS(s, "Region:    cn-shanghai\n");
	free(s);
	s = markdown_of(&d);
	CHECK_HAS(s, "# SysOM diagnosis of dlcabc123def456\n\n| | |\n|---|---|\n"
	    "| Product | DLC |\n| Region | cn-shanghai |\n| Mode | historical |\n"
	    "| Task | Vq7mZ2xK |\n");
	free(s);
	j = json_of(&d, 0);
	CHECK_STR(json_str(j, "region"), "cn-shanghai");
	CHECK_STR(json_str(j, "resume_command"),
	    "pai-diag --region cn-shanghai --task-id Vq7mZ2xK");
	cJSON_Delete(j);
	diag_release(&d);

	/*
	 * Engine text is made safe (by redact_tree(), as finish_success()
	 * does before any report); unknown issue shapes are tolerated.
	 */
	diag_success(&d, &opt_eas, "{\"data\":{\"task_id\":\"T\",\"result\":{"
	    "\"summary\":\"disk \\u001b[31mfull key " AK "\",\"issues\":["
	    "\"plain string issue\",{\"level\":\"warning\",\"name\":\"n\","
	    "\"extra\":[1,2]},{}]}}}", OUTCOME_WARN);
	s = text_of(&d, false);
	CHECK_LACKS(s, "LTAI");
	CHECK_LACKS(s, "\033");
	CHECK_HAS(s, "Overall status: (not given)\n");
	CHECK_HAS(s, "Root cause:\n  disk full key [REDACTED]\n");
	CHECK_HAS(s, "Issues (3):\n  - plain string issue\n"
	    "  [warning] n\n      extra: [1,2]\n  (untitled)\n");
	CHECK_LACKS(s, "SysOM console");
	free(s);
	diag_release(&d);
}

static void
test_json_success(void)
{
	cJSON *res;
	struct diag d;
	cJSON *j, *j_sum;

	diag_success(&d, &opt_eas, reply_critical, OUTCOME_CRITICAL);
	j = json_of(&d, 11);
	CHECK_DBL(num(j, "schema_version"), 1);
	CHECK(cJSON_IsTrue(json_get(j, "ok")));
	CHECK_STR(json_str(j, "outcome"), "critical");
	CHECK_DBL(num(j, "exit_code"), 11);
	CHECK_STR(json_str(j, "region"), "cn-hangzhou");
	CHECK_STR(json_str(j, "instance"), "eas-m-bp79exq2lzbd0ctdfu");
	CHECK_STR(json_str(j, "product"), "EAS");
	CHECK_STR(json_str(j, "mode"), "realtime");
	CHECK_DBL(num(j, "start_time"), 0);
	CHECK_DBL(num(j, "end_time"), 0);
	CHECK_STR(json_str(j, "task_id"), "Vq7mZ2xK");
	CHECK(cJSON_IsFalse(json_get(j, "attached")));
	CHECK_STR(json_str(j, "status"), "Success");
	CHECK_DBL(num(j, "polls"), 7);
	CHECK_DBL(num(j, "throttled"), 0);
	CHECK_STR(json_str(j, "resume_command"),
	    "pai-diag --region cn-hangzhou --task-id Vq7mZ2xK");
	j_sum = json_obj(j, "summary");
	CHECK_STR(json_str(j_sum, "overall_status"), "Critical");
	CHECK_STR(json_str(j_sum, "root_cause"), ROOT_CAUSE);
	CHECK_INT(cJSON_GetArraySize(json_arr(j_sum, "suggestions")), 4);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(json_arr(j_sum,
	    "suggestions"), 2)), "Scale out to more instances or move to a GPU "
	    "spec with more memory.");
	CHECK_INT(cJSON_GetArraySize(json_arr(j, "issues")), 3);
	res = result_tree(&d);
	CHECK(cJSON_Compare(json_get(j, "issues"), json_get(res, "issues"),
	    true));
	CHECK(cJSON_Compare(json_get(j, "result"), res, true));
	cJSON_Delete(res);
	CHECK_STR(json_str(json_obj(json_obj(j, "result"), "summary"),
	    "overall_status"), "Critical");
	CHECK(is_null(j, "error"));
	CHECK(cJSON_IsArray(json_get(j, "warnings")));
	CHECK_INT(cJSON_GetArraySize(json_get(j, "warnings")), 0);
	CHECK_INT(cJSON_GetArraySize(j), 21);
	cJSON_Delete(j);

	/* --fail-on never: exit 0, the verdict unchanged. */
	j = json_of(&d, 0);
	CHECK(cJSON_IsTrue(json_get(j, "ok")));
	CHECK_STR(json_str(j, "outcome"), "critical");
	CHECK_DBL(num(j, "exit_code"), 0);
	cJSON_Delete(j);
	diag_release(&d);

	diag_success(&d, &opt_eas, reply_healthy, OUTCOME_HEALTHY);
	strvec_push(&d.warnings, "the description mentions a past time");
	j = json_of(&d, 0);
	CHECK(cJSON_IsTrue(json_get(j, "ok")));
	CHECK_STR(json_str(j, "outcome"), "healthy");
	CHECK_STR(json_str(json_obj(j, "summary"), "overall_status"), "Info");
	CHECK_INT(cJSON_GetArraySize(json_get(json_obj(j, "summary"),
	    "suggestions")), 0);
	CHECK(cJSON_IsArray(json_get(j, "issues")));
	CHECK_INT(cJSON_GetArraySize(json_get(j, "issues")), 0);
	CHECK_INT(cJSON_GetArraySize(json_get(j, "warnings")), 1);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(json_get(j,
	    "warnings"), 0)), "the description mentions a past time");
	cJSON_Delete(j);
	diag_release(&d);
}

static void
test_json_other(void)
{
	struct diag d;
	struct options o = opt_eas;
	cJSON *j, *j_err;

	/* Timeout, exit 7. */
	diag_init(&d, &opt_eas);
	d.outcome = OUTCOME_TIMEOUT;
	d.task_id = xstrdup("Vq7mZ2xK");
	d.status = xstrdup("Running");
	d.polls = 60;
	j = json_of(&d, 7);
	CHECK(cJSON_IsFalse(json_get(j, "ok")));
	CHECK_STR(json_str(j, "outcome"), "timeout");
	CHECK_DBL(num(j, "exit_code"), 7);
	CHECK_STR(json_str(j, "task_id"), "Vq7mZ2xK");
	CHECK_STR(json_str(j, "status"), "Running");
	CHECK_DBL(num(j, "polls"), 60);
	CHECK_STR(json_str(j, "resume_command"),
	    "pai-diag --region cn-hangzhou --task-id Vq7mZ2xK");
	CHECK(is_null(j, "summary"));
	CHECK(is_null(j, "issues"));
	CHECK(is_null(j, "result"));
	CHECK(cJSON_IsArray(json_get(j, "warnings")));
	cJSON_Delete(j);
	diag_release(&d);

	/* Access denied before any task, with --profile and --aliyun. */
	o.profile = "prod";
	o.aliyun = "/opt/my aliyun";
	o.aliyun_from_flag = true;
	diag_init(&d, &o);
	d.outcome = OUTCOME_ACCESS_DENIED;
	d.error_set = true;
	d.err.code = xstrdup("Forbidden.RAM");
	d.err.source = "sysom";
	d.err.message = xstrdup("not authorized: sysom:InvokeDiagnosis");
	d.err.request_id = xstrdup("6C5B4A39-2817-5F6E-9D4C-3B2A19087F6E");
	j = json_of(&d, 4);
	CHECK(cJSON_IsFalse(json_get(j, "ok")));
	CHECK_STR(json_str(j, "outcome"), "access_denied");
	CHECK_DBL(num(j, "exit_code"), 4);
	CHECK(is_null(j, "task_id"));
	CHECK(is_null(j, "status"));
	CHECK(is_null(j, "resume_command"));
	CHECK_DBL(num(j, "polls"), 0);
	CHECK(is_null(j, "summary"));
	CHECK(is_null(j, "issues"));
	CHECK(is_null(j, "result"));
	j_err = json_obj(j, "error");
	CHECK_STR(json_str(j_err, "code"), "Forbidden.RAM");
	CHECK_STR(json_str(j_err, "source"), "sysom");
	CHECK_STR(json_str(j_err, "message"),
	    "not authorized: sysom:InvokeDiagnosis");
	CHECK_STR(json_str(j_err, "request_id"),
	    "6C5B4A39-2817-5F6E-9D4C-3B2A19087F6E");
	CHECK_INT(cJSON_GetArraySize(j_err), 4);
	cJSON_Delete(j);

	/* The resume command carries --profile and --aliyun, quoted. */
	d.task_id = xstrdup("Vq7mZ2xK");
	j = json_of(&d, 4);
	CHECK_STR(json_str(j, "resume_command"), "pai-diag --region cn-hangzhou "
	    "--task-id Vq7mZ2xK --profile prod --aliyun '/opt/my aliyun'");
	cJSON_Delete(j);
	diag_release(&d);

	/* A usage error before anything: every key still present. */
	o = opt_eas;
	o.region = NULL;
	o.instance = NULL;
	o.product = PRODUCT_NONE;
	diag_init(&d, &o);
	d.outcome = OUTCOME_USAGE_ERROR;
	d.error_set = true;
	d.err.code = xstrdup("usage_error");
	d.err.source = "pai-diag";
	d.err.message = xstrdup("--region is required");
	j = json_of(&d, 2);
	CHECK_INT(cJSON_GetArraySize(j), 21);
	CHECK(cJSON_IsFalse(json_get(j, "ok")));
	CHECK_STR(json_str(j, "outcome"), "usage_error");
	CHECK(is_null(j, "region"));
	CHECK(is_null(j, "instance"));
	CHECK(is_null(j, "product"));
	CHECK(is_null(j, "mode"));
	CHECK(is_null(j, "start_time"));
	CHECK(is_null(j, "end_time"));
	CHECK_STR(json_str(json_obj(j, "error"), "source"), "pai-diag");
	CHECK(is_null(json_obj(j, "error"), "request_id"));
	cJSON_Delete(j);
	diag_release(&d);

	/* A historical window and an exit code of 10. */
	o = opt_eas;
	o.realtime = false;
	o.historical = true;
	o.start_time = 1787184000;
	o.end_time = 1787191200;
	diag_success(&d, &o, reply_healthy, OUTCOME_WARN);
	j = json_of(&d, 10);
	CHECK(cJSON_IsTrue(json_get(j, "ok")));
	CHECK_STR(json_str(j, "mode"), "historical");
	CHECK_DBL(num(j, "start_time"), 1787184000);
	CHECK_DBL(num(j, "end_time"), 1787191200);
	cJSON_Delete(j);
	diag_release(&d);
}

/*
 * The envelope's messages are valid UTF-8 even where a "%.64s" cut a
 * character in two (found by tests/fuzz/fuzz_result: a long non-ASCII
 * overall_status made the warnings array invalid UTF-8).
 */
static void
test_json_utf8(void)
{
	struct diag d;
	cJSON *j;

	diag_init(&d, &opt_eas);
	d.outcome = OUTCOME_INTERNAL_ERROR;
	d.error_set = true;
	d.err.code = xstrdup("EmptyResult");
	d.err.source = "sysom";
	d.err.message = xstrdup("cut \xc3");
	strvec_push(&d.warnings, "unknown overall_status 'a\xc3\xa9\xc3'; "
	    "counted as Warn");
	j = json_of(&d, 1);
	CHECK_STR(json_str(json_obj(j, "error"), "message"), "cut ?");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(json_arr(j,
	    "warnings"), 0)), "unknown overall_status 'a\xc3\xa9?'; counted as "
	    "Warn");
	cJSON_Delete(j);
	diag_release(&d);
}

static void
test_redact_tree(void)
{
	cJSON *j = cJSON_Parse("{\"a\":\"key " AK "\",\"b\":[\"x\\u0001y\","
	    "{\"c\":\"Signature=abc\"}],\"n\":5,\"ok\":\"fine\"}");

	redact_tree(j);
	CHECK_STR(json_str(j, "a"), "key [REDACTED]");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(json_arr(j, "b"), 0)),
	    "x\\u0001y");
	CHECK_STR(json_str(cJSON_GetArrayItem(json_arr(j, "b"), 1), "c"),
	    "Signature=[REDACTED]");
	CHECK_STR(json_str(j, "ok"), "fine");
	CHECK(cJSON_IsNumber(json_get(j, "n")));
	cJSON_Delete(j);

	/*
	 * Keys too: the envelope prints the result's keys as they are (found
	 * by tests/fuzz/fuzz_result).
	 */
	j = cJSON_Parse("{\"m\":{\"" AK "\":1,\"\\u001b[31mred\":2,"
	    "\"plain\":3}}");
	redact_tree(j);
	CHECK(json_get(json_obj(j, "m"), "[REDACTED]") != NULL);
	CHECK(json_get(json_obj(j, "m"), "red") != NULL);
	CHECK(json_get(json_obj(j, "m"), "plain") != NULL);
	CHECK(json_get(json_obj(j, "m"), AK) == NULL);
	cJSON_Delete(j);
}

void
test_report(void)
{
	test_text_success();
	test_text_other();
	test_json_success();
	test_json_other();
	test_redact_tree();
	test_json_utf8();
}
