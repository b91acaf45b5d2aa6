/*
 * Step 8: the target exists and SysOM can diagnose it.  EAS: the service
 * is in the region (ListServices, filtered, then paged when the filter
 * matched only names); DLC: the job exists and runs on Lingjun.  The same
 * paging lists a region's services for a fleet's --discover.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "msg.h"
#include "redact.h"
#include "steps.h"

/* A service's id; some entries carry only ServiceUid, which equals it. */
static const char *
service_id(const cJSON *svc)
{
	return json_str_any(svc, "ServiceId", "ServiceUid", NULL);
}

/* What to do with each service of a page; true ends the paging. */
typedef bool service_fn(const cJSON *svc, void *arg);

/* Calls fn on each of the page's services; sets *count to their number. */
static bool
each_on_page(const cJSON *body, service_fn *fn, void *arg, int *count)
{
	const cJSON *j_services = json_arr(body, "Services"), *j_svc;

	*count = cJSON_GetArraySize(j_services);
	cJSON_ArrayForEach(j_svc, j_services)
		if (fn(j_svc, arg))
			return true;
	return false;
}

/*
 * Pages through every EAS service of the region, until TotalCount is
 * covered (a server may send short pages before the end) or, without a
 * TotalCount, until a page is short; fn sees each service and may end it.
 * Returns 1 when fn did, 0 after the last page, -1 after a failed call
 * (step_failed() has ended the run).
 */
static int
each_service(struct diag *d, service_fn *fn, void *arg)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	double total;
	int count, seen = 0, rc = 0;

	for (int page = 1; rc == 0 && page <= MAX_EAS_PAGES; page++) {
		char num[16];

		snprintf(num, sizeof(num), "%d", page);
		aliyun_reply_release(&r);
		if (run_retrying(d, &r, CMD_LIST_SERVICES_PAGE, num) < 0) {
			rc = step_failed(d, &r);
			break;
		}
		if (each_on_page(r.json, fn, arg, &count))
			rc = 1;
		seen += count;
		total = -1;
		json_num(r.json, "TotalCount", &total);
		if (count == 0 || (total >= 0 ? seen >= total :
		    count < EAS_PAGE_SIZE))
			break;
	}
	aliyun_reply_release(&r);
	return rc;
}

/* arg: the id looked for, a const char *. */
static bool
is_instance(const cJSON *svc, void *arg)
{
	const char *sid = service_id(svc), *const *id = arg;

	return sid && strcmp(sid, *id) == 0;
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
	const char *id = o->instance;
	int count, rc;

	validating(d);
	if (run_retrying(d, &r, CMD_LIST_SERVICES, NULL) < 0) {
		rc = step_failed(d, &r);
		aliyun_reply_release(&r);
		return rc;
	}
	/* The filter matches names, not ids: then every page is read. */
	rc = each_on_page(r.json, is_instance, &id, &count) ? 1 :
	    each_service(d, is_instance, &id);
	aliyun_reply_release(&r);
	if (rc == 0)
		rc = fail(d, OUTCOME_INVALID_TARGET, "pai-diag", NULL, NULL,
		    "EAS service '%s' not found in region '%s'; check the service "
		    "id and the region", o->instance, o->region);
	return rc < 0 ? -1 : 0;
}

static bool
add_service(const cJSON *svc, void *arg)
{
	const char *sid = service_id(svc), *status = json_str(svc, "Status");

	if (sid)
		strvec_pushf(arg, "%s\t%s", sid, status ? status : "");
	return false;
}

int
step_list_services(struct diag *d, struct strvec *found)
{
	progress("listing the EAS services of %s", d->opt->region);
	return each_service(d, add_service, found) < 0 ? -1 : 0;
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
