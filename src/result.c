/*
 * What a finished task's reply says: the engine result (also when it came
 * as a JSON string), the target its echoed params name, the verdict of its
 * overall status, and the summary fields the reports show.
 */
#include <stdlib.h>
#include <strings.h>

#include "json.h"
#include "redact.h"
#include "workflow.h"

bool
diag_task_failed(const struct diag *d)
{
	return d->status && strcasecmp(d->status, "Fail") == 0;
}

cJSON *
diag_take_result(struct diag *d)
{
	cJSON *j_res = json_get(d->data, "result");

	if (j_res == NULL || cJSON_IsNull(j_res))
		j_res = json_get_any(d->data, "diagnosis_result", "output",
		    "report", NULL);
	if (cJSON_IsString(j_res) && j_res->valuestring) {
		cJSON_Delete(d->result_root);
		d->result_root = cJSON_Parse(j_res->valuestring);
		j_res = d->result_root;
	}
	if (!cJSON_IsObject(j_res) || j_res->child == NULL)
		return NULL;
	return j_res;
}

void
diag_take_echo(struct diag *d)
{
	const cJSON *j_params = json_get(d->data, "params");
	cJSON *decoded = NULL;
	double st = 0, et = 0;

	if (cJSON_IsString(j_params))
		j_params = decoded = cJSON_Parse(j_params->valuestring);
	if (!cJSON_IsObject(j_params) || d->echo_known)
		goto out;
	d->echo_known = true;
	if (json_str(j_params, "instance"))
		d->echo_instance = redact_str(json_str(j_params, "instance"));
	if (json_str(j_params, "product"))
		d->echo_product = redact_str(json_str(j_params, "product"));
	if (json_str(j_params, "region"))
		d->echo_region = redact_str(json_str(j_params, "region"));
	json_num(j_params, "start_time", &st);
	json_num(j_params, "end_time", &et);
	d->echo_realtime = st == 0 && et == 0;
	d->echo_start = st;
	d->echo_end = et;
out:
	cJSON_Delete(decoded);
}

const char *
diag_take_reply(struct diag *d, cJSON **reply)
{
	const char *status;

	cJSON_Delete(d->reply);
	d->reply = *reply;
	*reply = NULL;
	d->data = json_obj(d->reply, "data");
	status = json_str(d->data, "status");
	if (status == NULL)
		return NULL;
	free(d->status);
	d->status = redact_str(status);
	diag_take_echo(d);
	return status;
}

enum outcome
diag_verdict(const char *overall)
{
	if (overall == NULL)
		return OUTCOME_WARN;
	if (strcasecmp(overall, "Info") == 0)
		return OUTCOME_HEALTHY;
	if (strcasecmp(overall, "Critical") == 0)
		return OUTCOME_CRITICAL;
	return OUTCOME_WARN;
}

static const cJSON *
summary(const struct diag *d)
{
	return json_get(d->result, "summary");
}

const char *
diag_overall_status(const struct diag *d)
{
	return json_str(summary(d), "overall_status");
}

const char *
diag_root_cause(const struct diag *d)
{
	const cJSON *j_sum = summary(d);

	/* Other SysOM services send the summary as plain text. */
	if (cJSON_IsString(j_sum))
		return j_sum->valuestring;
	return json_str(j_sum, "root_cause");
}

cJSON *
diag_suggestions(const struct diag *d)
{
	return json_arr(summary(d), "suggestions");
}

cJSON *
diag_issues(const struct diag *d)
{
	return json_arr(d->result, "issues");
}

const char *
diag_url(const struct diag *d)
{
	const char *url = json_str(d->data, "url");

	return url ? url : json_str(d->result, "url");
}
