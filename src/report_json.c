/*
 * The JSON envelope (schema_version 1).  Every key is always present, null
 * when it does not apply, so a wrapper can read it without guessing.  The
 * engine's result and issues are attached by reference, not copied: a
 * 20 MB result is printed once, not duplicated first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "msg.h"
#include "redact.h"
#include "report.h"

static cJSON *
ref_or_null(const cJSON *v)
{
	if (v == NULL)
		return cJSON_CreateNull();
	return cJSON_IsArray(v) ? cJSON_CreateArrayReference(v->child) :
	    cJSON_IsObject(v) ? cJSON_CreateObjectReference(v->child) :
	    cJSON_Duplicate(v, true);
}

static cJSON *
summary(const struct diag *d)
{
	cJSON *s = cJSON_CreateObject();
	const cJSON *j_sugg = diag_suggestions(d);

	json_add(s, "overall_status", json_str_or_null(diag_overall_status(d)));
	json_add(s, "root_cause", json_str_or_null(diag_root_cause(d)));
	json_add(s, "suggestions", j_sugg ? ref_or_null(j_sugg) :
	    cJSON_CreateArray());
	return s;
}

/*
 * A member for a message pai-diag composed, or null: passed through redact()
 * again, which changes nothing in a message built from redacted parts but
 * makes it valid UTF-8 where a "%.64s" or a 4 KiB line cut a character.
 */
static cJSON *
text_or_null(const char *s)
{
	char *safe;
	cJSON *j;

	if (s == NULL)
		return cJSON_CreateNull();
	safe = redact_str(s);
	j = cJSON_CreateString(safe);
	free(safe);
	return j;
}

cJSON *
report_error_json(const struct diag *d)
{
	cJSON *e;

	if (!d->error_set)
		return cJSON_CreateNull();
	e = cJSON_CreateObject();
	json_add(e, "code", text_or_null(d->err.code));
	json_add(e, "source", json_str_or_null(d->err.source));
	json_add(e, "message", text_or_null(d->err.message));
	json_add(e, "request_id", text_or_null(d->err.request_id));
	return e;
}

cJSON *
report_warnings_json(const struct diag *d)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < d->warnings.n; i++)
		if (!cJSON_AddItemToArray(a, text_or_null(d->warnings.v[i])))
			die("out of memory");
	return a;
}

cJSON *
report_envelope(const struct diag *d, int exit_code)
{
	const struct options *o = d->opt;
	bool success = d->result != NULL;
	/* A usage error has no target: what was given may not be valid. */
	bool usage = d->outcome == OUTCOME_USAGE_ERROR;
	bool own = o->instance != NULL && !usage;
	const char *mode = NULL;
	cJSON *env = cJSON_CreateObject();
	char *resume = diag_resume_command(d);

	if (own)
		mode = o->historical ? "historical" : "realtime";
	else if (d->echo_known)
		mode = d->echo_realtime ? "realtime" : "historical";
	json_add(env, "schema_version", cJSON_CreateNumber(1));
	json_add(env, "ok", cJSON_CreateBool(exit_code_ok(exit_code)));
	json_add(env, "outcome", cJSON_CreateString(outcome_name(d->outcome)));
	json_add(env, "exit_code", cJSON_CreateNumber(exit_code));
	json_add(env, "region", json_str_or_null(usage ? NULL : o->region ? o->region :
	    d->echo_region));
	json_add(env, "instance", json_str_or_null(own ? o->instance : d->echo_instance));
	json_add(env, "product", json_str_or_null(own ? product_name(o->product) :
	    d->echo_product));
	json_add(env, "mode", json_str_or_null(mode));
	if (own || d->echo_known) {
		json_add(env, "start_time", cJSON_CreateNumber(own ?
		    (double)o->start_time : d->echo_start));
		json_add(env, "end_time", cJSON_CreateNumber(own ?
		    (double)o->end_time : d->echo_end));
	} else {
		json_add(env, "start_time", cJSON_CreateNull());
		json_add(env, "end_time", cJSON_CreateNull());
	}
	json_add(env, "task_id", json_str_or_null(d->task_id));
	json_add(env, "attached", cJSON_CreateBool(d->attached));
	json_add(env, "status", json_str_or_null(d->status));
	json_add(env, "polls", cJSON_CreateNumber(d->polls));
	json_add(env, "resume_command", json_str_or_null(resume));
	json_add(env, "summary", success ? summary(d) : cJSON_CreateNull());
	json_add(env, "issues", success && diag_issues(d) ?
	    ref_or_null(diag_issues(d)) : success ? cJSON_CreateArray() :
	    cJSON_CreateNull());
	json_add(env, "result", success ? ref_or_null(d->result) :
	    cJSON_CreateNull());
	json_add(env, "error", report_error_json(d));
	json_add(env, "warnings", report_warnings_json(d));
	free(resume);
	return env;
}

int
report_print_json(FILE *f, cJSON *doc)
{
	char *text = cJSON_Print(doc);

	if (text == NULL)
		die("out of memory");
	fputs(text, f);
	fputc('\n', f);
	cJSON_free(text);
	cJSON_Delete(doc);
	return ferror(f) ? -1 : 0;
}

int
report_json(FILE *f, const struct diag *d, int exit_code)
{
	return report_print_json(f, report_envelope(d, exit_code));
}
