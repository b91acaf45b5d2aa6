/*
 * Fuzz target: a get-diagnosis-result reply, from aliyun's stdout to the
 * two reports.  The input goes through diag_take_reply_text() (preamble lines
 * allowed); the diag is then built as the workflow's poll step leaves it:
 * data.status, the echoed params, the engine result taken from data.result
 * (or its fallback keys; decoded when it is a JSON string) and redacted, a
 * Fail task's err_msg, the warnings of an unknown status or verdict.  A document without an object "data" is taken as the
 * engine result itself, so bare results make good seeds.  Each input is
 * rendered twice: as a run with its own target (text without colour) and
 * as a --task-id run (text with colour), each also as Markdown and as the
 * JSON envelope.
 *
 * Checked: the text report shows no AccessKey id, and without colour no
 * control character; the Markdown report is shown-safe (fuzz.h); the JSON
 * envelope is one valid UTF-8 document whose every key and string is
 * shown-safe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "buf.h"
#include "json.h"
#include "msg.h"
#include "redact.h"
#include "report.h"
#include "strvec.h"
#include "workflow.h"

static const struct options opt_target = {
	.region = "cn-hangzhou",
	.instance = "eas-m-bp79exq2lzbd0ctdfu",
	.product = PRODUCT_EAS,
	.historical = true,
	.start_time = 1787184000,
	.end_time = 1787191200,
	.poll_interval = 10,
	.max_polls = 60,
	.call_timeout = 300,
};

static const struct options opt_task = {
	.region = "cn-hangzhou",
	.task_id = "Vq7mZ2xK",
	.poll_interval = 10,
	.max_polls = 60,
	.call_timeout = 300,
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	return 0;
}

/*
 * A document without "data" is taken as a bare result: as the reply
 * {"data":{"result":<it>}} (when it has no preamble).
 */
static bool
bare_result(struct diag *d, const uint8_t *data, size_t size)
{
	struct buf b = BUF_INIT;
	bool ok;

	buf_adds(&b, "{\"data\":{\"result\":");
	buf_add(&b, data, size);
	buf_adds(&b, "}}");
	diag_take_reply_text(d, b.data, b.len);
	ok = d->data != NULL;
	buf_release(&b);
	return ok;
}

/* Builds d from the reply as the poll step would; false: nothing to show. */
static bool
build(struct diag *d, const struct options *o, const uint8_t *data,
    size_t size)
{
	const char *status, *msg, *overall;

	diag_init(d, o);
	d->task_id = xstrdup("Vq7mZ2xK");
	d->polls = 3;
	diag_take_reply_text(d, (const char *)data, size);
	if (d->reply == NULL || (d->data == NULL && !bare_result(d, data,
	    size)))
		return false;
	status = json_str(d->data, "status");
	free(d->status);
	d->status = redact_str(status ? status : "Success");
	if (strcmp(d->status, "Success") == 0) {
		diag_take_result(d);
	} else if (strcmp(d->status, "Fail") == 0) {
		msg = json_str(d->data, "err_msg");
		d->outcome = OUTCOME_DIAGNOSIS_FAILED;
		d->error_set = true;
		d->err.code = xstrdup("diagnosis_failed");
		d->err.source = "sysom";
		d->err.message = redact_str(msg && *msg ? msg :
		    "the engine gave no reason");
		d->err.request_id = json_str(d->reply, "request_id") ?
		    redact_str(json_str(d->reply, "request_id")) : NULL;
		return true;
	} else {
		/* As step_poll() warns of a status it does not know. */
		if (strcmp(d->status, "Ready") != 0 &&
		    strcmp(d->status, "Running") != 0)
			strvec_pushf(&d->warnings, "unknown task status '%.64s'; "
			    "polling on as if Running", d->status);
		d->outcome = OUTCOME_TIMEOUT;
		return true;
	}
	if (!d->res.ok) {
		d->outcome = OUTCOME_INTERNAL_ERROR;
		d->error_set = true;
		d->err.code = xstrdup("EmptyResult");
		d->err.source = "sysom";
		d->err.message = xstrdup("the result is empty or not JSON");
		return true;
	}
	overall = diag_overall_status(d);
	d->outcome = diag_verdict(overall);
	/* As finish_success() warns (warning() keeps what it prints). */
	if (overall == NULL)
		strvec_push(&d->warnings, "the result has no "
		    "summary.overall_status; counted as Warn");
	else if (strcasecmp(overall, "Info") != 0 &&
	    strcasecmp(overall, "Warn") != 0 &&
	    strcasecmp(overall, "Critical") != 0)
		strvec_pushf(&d->warnings, "unknown overall_status '%.64s'; "
		    "counted as Warn", overall);
	return true;
}

/* Every key and string of a tree is shown-safe. */
static void
check_tree(const cJSON *j)
{
	const cJSON *j_child;

	if (j->string)
		fuzz_check_shown_str("a JSON key", j->string);
	if (cJSON_IsString(j))
		fuzz_check_shown_str("a JSON string", j->valuestring);
	cJSON_ArrayForEach(j_child, j)
		check_tree(j_child);
}

static void
render(const struct diag *d, bool color)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f;
	cJSON *j;
	struct report r;

	report_view(&r, d, outcome_exit_code(d->outcome));

	if ((f = open_memstream(&s, &len)) == NULL)
		abort();
	/* With colour, a terminal's width too: wrapping is fuzzed as well. */
	if (report_text(f, &r, &(struct text_look){ color, color ? 40 : 0 })
	    != 0)
		abort();
	fclose(f);
	if (color) {
		if (fuzz_key_id(s, len))
			fuzz_fail("the text report shows an AccessKey id", s, len);
	} else
		fuzz_check_shown("the text report", s, len);
	fuzz_check_signed_keys(s);
	free(s);

	s = NULL;
	len = 0;
	if ((f = open_memstream(&s, &len)) == NULL)
		abort();
	if (report_markdown(f, &r) != 0)
		abort();
	fclose(f);
	fuzz_check_shown("the Markdown report", s, len);
	fuzz_check_signed_keys(s);
	free(s);

	s = NULL;
	len = 0;
	if ((f = open_memstream(&s, &len)) == NULL)
		abort();
	if (report_json(f, &r) != 0)
		abort();
	fclose(f);
	if (!fuzz_utf8(s, len))
		fuzz_fail("the JSON report is not UTF-8", s, len);
	j = cJSON_ParseWithLength(s, len);
	if (j == NULL)
		fuzz_fail("the JSON report does not parse", s, len);
	check_tree(j);
	cJSON_Delete(j);
	free(s);
	report_release(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;

	if (build(&d, &opt_target, data, size))
		render(&d, false);
	diag_release(&d);
	if (build(&d, &opt_task, data, size))
		render(&d, true);
	diag_release(&d);
	return 0;
}
