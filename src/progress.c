/*
 * Progress lines and ndjson events; see progress.h.  Every line is
 * redacted (it may quote aliyun's words) and written masked through
 * output.c, like every other byte pai-diag prints.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "output.h"
#include "progress.h"
#include "redact.h"
#include "signals.h"

_Thread_local const char *msg_target;
enum progress_mode msg_progress = PROGRESS_PLAIN;
static bool progress_open;	/* a terminal line waits to be finished */
static double progress_t0;	/* monotonic start of the run */

void
progress_end(void)
{
	if (progress_open) {
		output_stderrf("\r\033[K");
		progress_open = false;
	}
}

static double
elapsed(void)
{
	if (progress_t0 == 0)
		progress_t0 = mono_now();
	return mono_now() - progress_t0;
}

/* "2026-11-29T05:50:00Z", UTC wall clock. */
static void
utc_now(char *out, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, len, "%lld", (long long)t);
}

/* One ndjson event: the fixed keys, then the caller's members. */
static void
event(const char *name, cJSON *members)
{
	char when[32];
	cJSON *e = cJSON_CreateObject();
	char *text;

	utc_now(when, sizeof(when));
	cJSON_AddStringToObject(e, "event", name);
	cJSON_AddStringToObject(e, "time", when);
	cJSON_AddNumberToObject(e, "elapsed", (double)(long)(elapsed() * 1000) / 1000);
	while (members && members->child) {
		cJSON *m = cJSON_DetachItemViaPointer(members, members->child);

		cJSON_AddItemToObject(e, m->string, m);
	}
	cJSON_Delete(members);
	text = cJSON_PrintUnformatted(e);
	if (text)
		output_stderrf("%s\n", text);
	cJSON_free(text);
	cJSON_Delete(e);
}

static void
human(const char *text)
{
	char when[32], *safe = redact_str(text);

	switch (msg_progress) {
	case PROGRESS_TTY:
		/* In a fleet each target's lines are named; no updating line. */
		if (msg_target)
			output_stderrf("pai-diag: [%s] %s\n", msg_target, safe);
		else {
			output_stderrf("\r\033[Kpai-diag: %s", safe);
			progress_open = true;
		}
		break;
	case PROGRESS_PLAIN:
		utc_now(when, sizeof(when));
		output_stderrf("%s pai-diag: %s%s%s%s\n", when, msg_target ? "[" : "",
		    msg_target ? msg_target : "", msg_target ? "] " : "", safe);
		break;
	default:
		break;
	}
	free(safe);
}

void
progress(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (msg_progress == PROGRESS_NONE)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (msg_progress == PROGRESS_NDJSON) {
		cJSON *m = cJSON_CreateObject();

		if (msg_target)
			cJSON_AddStringToObject(m, "target", msg_target);
		cJSON_AddStringToObject(m, "step", line);
		event("step", m);
		return;
	}
	human(line);
}

void
progress_poll(const char *task_id, const char *status, int attempt,
    int max_polls)
{
	char line[512];

	if (msg_progress == PROGRESS_NDJSON) {
		cJSON *m = cJSON_CreateObject();

		if (msg_target)
			cJSON_AddStringToObject(m, "target", msg_target);
		cJSON_AddStringToObject(m, "task_id", task_id);
		cJSON_AddNumberToObject(m, "attempt", attempt);
		cJSON_AddNumberToObject(m, "max_polls", max_polls);
		json_add(m, "status", json_str_or_null(status));
		event("poll", m);
		return;
	}
	snprintf(line, sizeof(line), "task %s: %s (poll %d/%d, %.0f s)",
	    task_id, status ? status : "no answer", attempt, max_polls,
	    elapsed());
	human(line);
}

void
progress_started(const char *region, const char *target)
{
	cJSON *m;

	elapsed();
	if (msg_progress != PROGRESS_NDJSON)
		return;
	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "region", region);
	cJSON_AddStringToObject(m, "target", target);
	event("started", m);
}

void
progress_done(const char *outcome, int exit_code, const char *task_id)
{
	cJSON *m;

	if (msg_progress != PROGRESS_NDJSON)
		return;
	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "outcome", outcome);
	cJSON_AddNumberToObject(m, "exit_code", exit_code);
	json_add(m, "task_id", json_str_or_null(task_id));
	event("done", m);
}
