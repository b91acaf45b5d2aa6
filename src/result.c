/*
 * What a finished task's reply says: the engine result (also when it came
 * as a JSON string), the target its echoed params name, the verdict of its
 * overall status, and the summary fields the reports show.  The result is
 * read in place from the reply's text (jscan.h); only its summary becomes
 * a tree.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jscan.h"
#include "json.h"
#include "redact.h"
#include "workflow.h"

bool
diag_task_failed(const struct diag *d)
{
	return d->status && strcasecmp(d->status, "Fail") == 0;
}

const char *const diag_result_keys[] = {
	"result", "diagnosis_result", "output", "report", NULL,
};

/*
 * The reply's result: data.result, unless it is absent or null; then the
 * first of the other names that is there.
 */
static struct jspan
result_member(const struct diag *d)
{
	const struct jspan *h = d->held;

	if (h[0].p && !(h[0].n == 4 && memcmp(h[0].p, "null", 4) == 0))
		return h[0];
	for (size_t i = 1; diag_result_keys[i]; i++)
		if (h[i].p)
			return h[i];
	return h[0];
}

/*
 * A result that came as a JSON string, decoded in place (decoding never
 * lengthens) and read as cJSON_Parse() reads a string: after a byte-order
 * mark and white space, one value, whatever follows it.
 */
static struct jspan
decode_result(struct diag *d, struct jspan v)
{
	char *s = d->reply_text + (v.p - d->reply_text);
	size_t n = jscan_str_buf(v, s);
	const char *end;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if ((end = jscan_value(s, s + n)) == NULL)
		return (struct jspan){ NULL, 0 };
	while ((unsigned char)*s <= 0x20)
		s++;
	return (struct jspan){ s, (size_t)(end - s) };
}

static void
result_release(struct diag_result *res)
{
	cJSON_Delete(res->summary);
	free(res->url);
	memset(res, 0, sizeof(*res));
}

bool
diag_take_result(struct diag *d)
{
	struct diag_result *res = &d->res;
	struct jspan v = result_member(d), key, m, sum = { NULL, 0 };
	struct jspan url = { NULL, 0 }, issues = { NULL, 0 };
	struct jiter it;
	size_t n_issues = 0;
	char *s;

	result_release(res);
	if (jscan_is_string(v))
		v = decode_result(d, v);
	if (!jscan_is_object(v))
		return false;
	/* One walk over the members: the first of each name counts. */
	jscan_first(&it, v);
	while (jscan_next(&it, &key, &m)) {
		if (!sum.p && jscan_key_is(key, "summary"))
			sum = m;
		else if (!url.p && jscan_key_is(key, "url"))
			url = m;
		else if (!issues.p && jscan_key_is(key, "issues")) {
			issues = m;
			n_issues = it.count;
		}
		res->ok = true;
	}
	if (!res->ok)
		return false;	/* {} */
	res->text = v;
	if (sum.p) {
		res->summary = cJSON_ParseWithLength(sum.p, sum.n);
		redact_tree(res->summary);
	}
	if ((s = jscan_str(url)) != NULL) {
		res->url = redact_str(s);
		free(s);
	}
	if (jscan_is_array(issues)) {
		res->issues = issues;
		res->n_issues = n_issues;
	}
	return true;
}

void
diag_reply_drop(struct diag *d)
{
	cJSON *kept = d->res.summary;

	d->res.summary = NULL;
	diag_reply_release(d);
	d->res.ok = true;
	d->res.summary = kept;
}

void
diag_reply_release(struct diag *d)
{
	result_release(&d->res);
	cJSON_Delete(d->reply);
	free(d->reply_text);
	d->reply = d->data = NULL;
	d->reply_text = NULL;
	memset(d->held, 0, sizeof(d->held));
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

/* Keeps a reply's text (owned from now on), tree and held members. */
static const char *
take(struct diag *d, char *text, cJSON *json, const struct jspan *held)
{
	const char *status;

	diag_reply_release(d);
	d->reply_text = text;
	d->reply = json;
	memcpy(d->held, held, sizeof(d->held));
	d->data = json_obj(d->reply, "data");
	status = json_str(d->data, "status");
	if (status == NULL)
		return NULL;
	free(d->status);
	d->status = redact_str(status);
	diag_take_echo(d);
	return status;
}

const char *
diag_take_reply(struct diag *d, struct aliyun_reply *r)
{
	cJSON *json = r->json;

	r->json = NULL;
	return take(d, buf_detach(&r->c.out, NULL), json, r->held);
}

const char *
diag_take_reply_text(struct diag *d, const char *text, size_t len)
{
	char *copy = xmalloc(len + 1);
	struct jspan held[JSON_HELD_MAX];
	cJSON *json;

	memcpy(copy, text, len);
	copy[len] = '\0';
	json = json_parse_held(copy, len, diag_result_keys, held);
	if (json == NULL) {
		free(copy);
		return NULL;
	}
	return take(d, copy, json, held);
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
	return d->res.summary;
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

const char *
diag_url(const struct diag *d)
{
	const char *url = json_str(d->data, "url");

	return url ? url : d->res.url;
}
