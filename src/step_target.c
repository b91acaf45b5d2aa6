/*
 * Step 8: the target exists and SysOM can diagnose it.  EAS: the service
 * is in the region (ListServices, filtered, then paged when the filter
 * matched only names); DLC: the job exists and runs on Lingjun.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "msg.h"
#include "redact.h"
#include "steps.h"

/* Looks for Services[].ServiceId == id; sets *count to the page's size. */
static bool
eas_page_has(const cJSON *body, const char *id, int *count)
{
	const cJSON *j_services = json_arr(body, "Services"), *j_svc;

	*count = cJSON_GetArraySize(j_services);
	cJSON_ArrayForEach(j_svc, j_services) {
		/* Some entries carry only ServiceUid, which equals the id. */
		const char *sid = json_str_any(j_svc, "ServiceId", "ServiceUid",
		    NULL);

		if (sid && strcmp(sid, id) == 0)
			return true;
	}
	return false;
}

/* Shown before the first call of step 8. */
static void
validating(const struct diag *d)
{
	progress("validating %s %s in %s", product_name(d->opt->product),
	    d->opt->instance, d->opt->region);
}

int
step_validate_eas(struct diag *d)
{
	const struct options *o = d->opt;
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	double total = -1;
	int count, seen = 0, rc = 0;
	bool found;

	validating(d);
	if (run_retrying(d, &r, CMD_LIST_SERVICES, NULL) < 0) {
		rc = step_failed(d, &r);
		goto out;
	}
	found = eas_page_has(r.json, o->instance, &count);
	/*
	 * The filter matches names, not ids: page through everything, until
	 * TotalCount is covered (a server may send short pages before the
	 * end); without a TotalCount, until a page is short.
	 */
	for (int page = 1; !found && page <= MAX_EAS_PAGES; page++) {
		char num[16];

		snprintf(num, sizeof(num), "%d", page);
		aliyun_reply_release(&r);
		if (run_retrying(d, &r, CMD_LIST_SERVICES_PAGE, num) < 0) {
			rc = step_failed(d, &r);
			goto out;
		}
		found = eas_page_has(r.json, o->instance, &count);
		seen += count;
		total = -1;
		json_num(r.json, "TotalCount", &total);
		if (count == 0 || (total >= 0 ? seen >= total :
		    count < EAS_PAGE_SIZE))
			break;
	}
	if (!found)
		rc = fail(d, OUTCOME_INVALID_TARGET, "pai-diag", NULL, NULL,
		    "EAS service '%s' not found in region '%s'; check the service "
		    "id and the region", o->instance, o->region);
out:
	aliyun_reply_release(&r);
	return rc;
}

static bool
dlc_not_found(const struct aliyun_reply *r)
{
	return r->kind == API_NOT_FOUND || (r->message &&
	    (strcasestr(r->message, "not found") ||
	    strcasestr(r->message, "not exist")));
}

int
step_validate_dlc(struct diag *d)
{
	const struct options *o = d->opt;
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	const char *type;
	char *shown;
	int rc = 0;

	validating(d);
	if (run_retrying(d, &r, CMD_GET_JOB, NULL) < 0) {
		if (!interrupted(d, &r) && !is_access(&r) && dlc_not_found(&r))
			rc = fail(d, OUTCOME_INVALID_TARGET, "pai-dlc", r.code,
			    r.request_id, "DLC job '%s' not found in region '%s'; "
			    "check the job id and the region", o->instance,
			    o->region);
		else
			rc = step_failed(d, &r);
		goto out;
	}
	if (json_str(r.json, "JobId") == NULL) {
		rc = fail(d, OUTCOME_INVALID_TARGET, "pai-dlc", NULL, NULL,
		    "DLC job '%s' not found in region '%s'; check the job id and "
		    "the region", o->instance, o->region);
		goto out;
	}
	type = json_str(r.json, "ResourceType");
	if (type == NULL || strcmp(type, "Lingjun") != 0) {
		shown = redact_str(type && *type ? type : "no resource type");
		rc = fail(d, OUTCOME_UNSUPPORTED_TARGET, "pai-diag", NULL, NULL,
		    "DLC job '%s' runs on %.64s; SysOM diagnosis supports only DLC "
		    "jobs on Lingjun resources", o->instance, shown);
		free(shown);
	}
out:
	aliyun_reply_release(&r);
	return rc;
}
