/*
 * The --dry-run plan and the doctor report, in text and JSON.  Neither
 * ran a diagnosis, so they have shapes of their own; both carry
 * schema_version and the exit code like the envelope does.
 */
#include <stdio.h>
#include <stdlib.h>

#include "aliyun.h"
#include "fleet.h"
#include "json.h"
#include "msg.h"
#include "params.h"
#include "redact.h"
#include "report.h"
#include "workflow.h"

static void
budget(FILE *f, const struct options *o)
{
	fprintf(f, "Polling: at most %d polls, %g s apart (up to %g s); each "
	    "aliyun call is capped at %g s.\n", o->max_polls, o->poll_interval,
	    o->max_polls * o->poll_interval, o->call_timeout);
}

int
report_plan_text(FILE *f, const struct diag *d, const struct diag_plan *p)
{
	fputs("Dry run: nothing was run. These aliyun commands would run, in "
	    "order:\n\n", f);
	for (size_t i = 0; i < p->n; i++) {
		char *line = aliyun_cmdline(p->cmds[i].argv.v);

		fprintf(f, "%3zu. %s\n", i + 1, line);
		if (p->cmds[i].note)
			fprintf(f, "     (%s)\n", p->cmds[i].note);
		free(line);
	}
	if (d->params)
		fprintf(f, "\nParams JSON: %s\n", d->params);
	fputc('\n', f);
	budget(f, d->opt);
	return ferror(f) ? -1 : 0;
}

int
report_plan_json(FILE *f, const struct diag *d, const struct diag_plan *p,
    int exit_code)
{
	const struct options *o = d->opt;
	cJSON *doc = cJSON_CreateObject(), *cmds = cJSON_CreateArray();

	json_add(doc, "schema_version", cJSON_CreateNumber(1));
	json_add(doc, "dry_run", cJSON_CreateTrue());
	json_add(doc, "ok", cJSON_CreateBool(exit_code == 0));
	json_add(doc, "exit_code", cJSON_CreateNumber(exit_code));
	for (size_t i = 0; i < p->n; i++) {
		cJSON *c = cJSON_CreateObject(), *argv = cJSON_CreateArray();
		const struct strvec *sv = &p->cmds[i].argv;

		for (size_t k = 0; k < sv->n; k++) {
			char *safe = redact_str(sv->v[k]);

			cJSON_AddItemToArray(argv, cJSON_CreateString(safe));
			free(safe);
		}
		json_add(c, "argv", argv);
		json_add(c, "note", json_str_or_null(p->cmds[i].note));
		cJSON_AddItemToArray(cmds, c);
	}
	json_add(doc, "commands", cmds);
	json_add(doc, "params", d->params ? cJSON_Parse(d->params) :
	    cJSON_CreateNull());
	json_add(doc, "poll_interval", cJSON_CreateNumber(o->poll_interval));
	json_add(doc, "max_polls", cJSON_CreateNumber(o->max_polls));
	json_add(doc, "call_timeout", cJSON_CreateNumber(o->call_timeout));
	json_add(doc, "warnings", report_warnings_json(&d->warnings));
	return report_print_json(f, doc);
}

/* Where a region comes from: its JSON name and how the text report says it. */
struct region_source {
	const char *name, *label;
};

static const struct region_source FROM_FLAG = { "flag", "--region" },
    FROM_ENV = { "environment", "ALIBABA_CLOUD_REGION_ID" },
    FROM_PROFILE = { "profile", "the profile" };

/*
 * The region a diagnosis would name, and where it comes from: --region,
 * the environment, the profile; NULL when none says.  Owned, safe text.
 */
static char *
doctor_region(const struct diag *d, const struct region_source **from)
{
	const char *env = getenv("ALIBABA_CLOUD_REGION_ID");

	if (d->opt->region) {
		*from = &FROM_FLAG;
		return redact_str(d->opt->region);
	}
	if (env && *env) {
		*from = &FROM_ENV;
		return redact_str(env);
	}
	if (d->profile_found && d->profile.has_region) {
		*from = &FROM_PROFILE;
		return redact_str(d->profile.region);
	}
	*from = NULL;
	return NULL;
}

int
report_doctor_text(FILE *f, const struct diag *d)
{
	const struct region_source *from;
	char *region = doctor_region(d, &from);

	const char *v = d->version;

	fprintf(f, "aliyun:       %s", d->aliyun.path ? d->aliyun.path :
	    "not found");
	if (v)
		fprintf(f, ", version %s (%s %s)", v, version_cmp(v, ALIYUN_MIN_VERSION) >=
		    0 ? "at least" : "older than", ALIYUN_MIN_VERSION);
	fputs("\nprofile:      ", f);
	if (d->profile_found)
		fprintf(f, "%s (%s), %s", d->profile.name, d->profile.mode[0] ?
		    d->profile.mode : "no credential mode", d->profile.valid ?
		    "valid" : "not valid");
	else
		fputs(d->version ? "none usable" : "not checked", f);
	fprintf(f, "\nenvironment:  %s\n", d->env_credentials ?
	    "complete credentials (ALIBABA_CLOUD_ACCESS_KEY_ID, "
	    "..._SECRET and a region)" : "no complete credentials");
	if (region == NULL)
		fputs("region:       not set: give --region to each diagnosis\n", f);
	else
		fprintf(f, "region:       %s (from %s)\n", region, from->label);
	free(region);
	if (d->error_set)
		fprintf(f, "verdict:      not ready: %s\n", d->err.message);
	else
		fputs("verdict:      ready: a diagnosis can run\n", f);
	return ferror(f) ? -1 : 0;
}

int
report_doctor_json(FILE *f, const struct diag *d, int exit_code)
{
	cJSON *doc = cJSON_CreateObject(), *a = cJSON_CreateObject(), *p;
	struct report r;
	const struct region_source *from;
	char *region;

	json_add(doc, "schema_version", cJSON_CreateNumber(1));
	json_add(doc, "doctor", cJSON_CreateTrue());
	json_add(doc, "ok", cJSON_CreateBool(exit_code == 0));
	json_add(doc, "outcome", cJSON_CreateString(outcome_name(d->outcome)));
	json_add(doc, "exit_code", cJSON_CreateNumber(exit_code));
	json_add(a, "path", json_str_or_null(d->aliyun.path));
	json_add(a, "version", json_str_or_null(d->version));
	json_add(a, "version_ok", cJSON_CreateBool(d->version &&
	    version_cmp(d->version, ALIYUN_MIN_VERSION) >= 0));
	json_add(doc, "aliyun", a);
	if (d->profile_found) {
		p = cJSON_CreateObject();
		json_add(p, "name", cJSON_CreateString(d->profile.name));
		json_add(p, "mode", json_str_or_null(d->profile.mode[0] ?
		    d->profile.mode : NULL));
		json_add(p, "valid", cJSON_CreateBool(d->profile.valid));
	} else
		p = cJSON_CreateNull();
	json_add(doc, "profile", p);
	json_add(doc, "environment_credentials", cJSON_CreateBool(d->env_credentials));
	region = doctor_region(d, &from);
	if (region) {
		p = cJSON_CreateObject();
		json_add(p, "name", cJSON_CreateString(region));
		json_add(p, "from", cJSON_CreateString(from->name));
		free(region);
	} else
		p = cJSON_CreateNull();
	json_add(doc, "region", p);
	report_view(&r, d, exit_code);
	json_add(doc, "error", report_error_json(&r));
	json_add(doc, "warnings", report_warnings_json(r.warnings));
	report_release(&r);
	return report_print_json(f, doc);
}

/* A fleet's target as the plan lists it: its id, or "task ID". */
static char *
plan_name(const struct fleet_target *t)
{
	return t->instance ? redact_str(t->instance) :
	    xasprintf("task %s", t->task_id);
}

int
report_fleet_plan_text(FILE *f, const struct fleet *fleet)
{
	/* Discovery failed: stderr has said why. */
	if (fleet->setup.error_set)
		return 0;
	fprintf(f, "Dry run: nothing was run%s.\nOne setup, then %zu target%s, "
	    "up to %d at a time:\n\n", fleet->base->discover ? " but the "
	    "listing of EAS services" : "", fleet->n, fleet->n == 1 ? "" : "s",
	    fleet->jobs);
	if (fleet->n > 0)
		fprintf(f, "%-31s %-15s %s\n", "TARGET", "REGION", "PRODUCT");
	for (size_t i = 0; i < fleet->n; i++) {
		const struct fleet_target *t = &fleet->t[i];
		char *name = plan_name(t), *region = redact_str(t->region);

		fprintf(f, "%-31s %-15s %s\n", name, region,
		    t->instance ? product_name(t->product) : "-");
		free(name);
		free(region);
	}
	fputc('\n', f);
	budget(f, fleet->base);
	return ferror(f) ? -1 : 0;
}

int
report_fleet_plan_json(FILE *f, const struct fleet *fleet, int exit_code)
{
	cJSON *doc = cJSON_CreateObject(), *targets = cJSON_CreateArray();
	const struct options *o = fleet->base;
	struct report r;

	json_add(doc, "schema_version", cJSON_CreateNumber(1));
	json_add(doc, "dry_run", cJSON_CreateTrue());
	json_add(doc, "fleet", cJSON_CreateTrue());
	json_add(doc, "ok", cJSON_CreateBool(exit_code == 0));
	json_add(doc, "outcome", cJSON_CreateString(outcome_name(fleet->outcome)));
	json_add(doc, "exit_code", cJSON_CreateNumber(exit_code));
	for (size_t i = 0; i < fleet->n; i++) {
		const struct fleet_target *t = &fleet->t[i];
		cJSON *j = cJSON_CreateObject();

		json_add(j, "instance", json_str_or_null(t->instance));
		json_add(j, "task_id", json_str_or_null(t->task_id));
		json_add(j, "product", json_str_or_null(t->instance ?
		    product_name(t->product) : NULL));
		json_add(j, "region", cJSON_CreateString(t->region));
		cJSON_AddItemToArray(targets, j);
	}
	json_add(doc, "targets", targets);
	json_add(doc, "jobs", cJSON_CreateNumber(fleet->jobs));
	json_add(doc, "poll_interval", cJSON_CreateNumber(o->poll_interval));
	json_add(doc, "max_polls", cJSON_CreateNumber(o->max_polls));
	json_add(doc, "call_timeout", cJSON_CreateNumber(o->call_timeout));
	report_view(&r, &fleet->setup, exit_code);
	json_add(doc, "error", report_error_json(&r));
	json_add(doc, "warnings", report_warnings_json(r.warnings));
	report_release(&r);
	return report_print_json(f, doc);
}
