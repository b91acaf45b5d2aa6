/*
 * The JSON envelope (schema_version 1).  Every key is always present, null
 * when it does not apply, so a wrapper can read it without guessing.  The
 * engine's result and issues are streamed from the reply's text by jprint
 * (redacted as they go), so a 20 MB result is never a tree nor a document
 * in memory; the rest of the envelope is a small tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jprint.h"
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

/* The envelope as a tree, but for the result's issues and text. */
static cJSON *
envelope(const struct report *r)
{
	bool success = r->has_result;
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
	json_add(env, "throttled", cJSON_CreateNumber(r->throttled));
	json_add(env, "resume_command", json_str_or_null(r->resume));
	json_add(env, "summary", success ? summary(r) : cJSON_CreateNull());
	/* Streamed from the reply by report_json_at() when success. */
	json_add(env, "issues", success ? cJSON_CreateArray() :
	    cJSON_CreateNull());
	json_add(env, "result", cJSON_CreateNull());
	json_add(env, "error", report_error_json(r));
	json_add(env, "warnings", report_warnings_json(r->warnings));
	if (r->baseline)
		json_add(env, "baseline", cJSON_Duplicate(r->baseline, true));
	return env;
}

static void
tabs(FILE *f, int n)
{
	while (n-- > 0)
		fputc('\t', f);
}

/*
 * A tree as cJSON_Print() lays it out at depth: its own print with depth
 * more tabs after each newline (cJSON escapes every newline in a string).
 */
static void
print_tree(FILE *f, const cJSON *v, int depth)
{
	char *text = cJSON_Print(v), *p, *nl;

	if (text == NULL)
		die("out of memory");
	for (p = text; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		fwrite(p, 1, (size_t)(nl - p) + 1, f);
		tabs(f, depth);
	}
	fputs(p, f);
	cJSON_free(text);
}

static bool
named(const char *const *names, const char *name)
{
	for (; names && *names; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

void
report_print_members(FILE *f, const cJSON *doc, int depth,
    const char *const *stream, report_member_fn *member, const void *arg)
{
	const cJSON *m;

	fputs("{\n", f);
	cJSON_ArrayForEach(m, doc) {
		/* Our own names: nothing to escape. */
		tabs(f, depth + 1);
		fprintf(f, "\"%s\":\t", m->string);
		if (named(stream, m->string))
			member(f, arg, m->string, depth + 1);
		else
			print_tree(f, m, depth + 1);
		fputs(m->next ? ",\n" : "\n", f);
	}
	tabs(f, depth);
	fputc('}', f);
}

/* The envelope's issues and result, straight from the reply's text. */
static void
result_member(FILE *f, const void *arg, const char *name, int depth)
{
	const struct report *r = arg;
	struct jout o = JOUT_FILE(f, true);

	if (strcmp(name, "result") == 0)
		jprint(&o, r->result, depth);
	else if (r->n_issues > 0)
		jprint(&o, r->issues, depth);
	else
		fputs("[]", f);
	jprint_done(&o);
}

void
report_json_at(FILE *f, const struct report *r, int depth)
{
	static const char *const streamed[] = { "issues", "result", NULL };
	cJSON *env = envelope(r);

	report_print_members(f, env, depth, r->has_result ? streamed : NULL,
	    result_member, r);
	cJSON_Delete(env);
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
	report_json_at(f, r, 0);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}
