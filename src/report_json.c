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
summary(const struct report *r)
{
	cJSON *s = cJSON_CreateObject();

	json_add(s, "overall_status", json_str_or_null(r->overall_status));
	json_add(s, "root_cause", json_str_or_null(r->root_cause));
	json_add(s, "suggestions", r->suggestions ? ref_or_null(r->suggestions) :
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
report_error_json(const struct report *r)
{
	cJSON *e;

	if (!r->has_error)
		return cJSON_CreateNull();
	e = cJSON_CreateObject();
	json_add(e, "code", text_or_null(r->error.code));
	json_add(e, "source", json_str_or_null(r->error.source));
	json_add(e, "message", text_or_null(r->error.message));
	json_add(e, "request_id", text_or_null(r->error.request_id));
	return e;
}

cJSON *
report_warnings_json(const struct strvec *warnings)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < warnings->n; i++)
		if (!cJSON_AddItemToArray(a, text_or_null(warnings->v[i])))
			die("out of memory");
	return a;
}

static const char *
mode_word(enum report_mode m)
{
	return m == REPORT_MODE_REALTIME ? "realtime" :
	    m == REPORT_MODE_HISTORICAL ? "historical" : NULL;
}

cJSON *
report_envelope(const struct report *r)
{
	bool success = r->result != NULL;
	bool window = r->mode != REPORT_MODE_UNKNOWN;
	cJSON *env = cJSON_CreateObject();

	json_add(env, "schema_version", cJSON_CreateNumber(1));
	json_add(env, "ok", cJSON_CreateBool(exit_code_ok(r->exit_code)));
	json_add(env, "outcome", cJSON_CreateString(outcome_name(r->outcome)));
	json_add(env, "exit_code", cJSON_CreateNumber(r->exit_code));
	json_add(env, "region", json_str_or_null(r->region));
	json_add(env, "instance", json_str_or_null(r->instance));
	json_add(env, "product", json_str_or_null(r->product));
	json_add(env, "mode", json_str_or_null(mode_word(r->mode)));
	json_add(env, "start_time", window ? cJSON_CreateNumber(r->start_time) :
	    cJSON_CreateNull());
	json_add(env, "end_time", window ? cJSON_CreateNumber(r->end_time) :
	    cJSON_CreateNull());
	json_add(env, "task_id", json_str_or_null(r->task_id));
	json_add(env, "attached", cJSON_CreateBool(r->attached));
	json_add(env, "status", json_str_or_null(r->status));
	json_add(env, "polls", cJSON_CreateNumber(r->polls));
	json_add(env, "resume_command", json_str_or_null(r->resume));
	json_add(env, "summary", success ? summary(r) : cJSON_CreateNull());
	json_add(env, "issues", success && r->issues ? ref_or_null(r->issues) :
	    success ? cJSON_CreateArray() : cJSON_CreateNull());
	json_add(env, "result", success ? ref_or_null(r->result) :
	    cJSON_CreateNull());
	json_add(env, "error", report_error_json(r));
	json_add(env, "warnings", report_warnings_json(r->warnings));
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
report_json(FILE *f, const struct report *r)
{
	return report_print_json(f, report_envelope(r));
}
