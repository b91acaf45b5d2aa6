/*
 * Progress lines and ndjson events; see progress.h.  Every line is
 * redacted (it may quote aliyun's words) and written masked through
 * output.c, like every other byte pai-diag prints.
 *
 * A fleet's targets are threads, and on a terminal they share one block
 * of lines at the bottom of stderr (view.c): every write to stderr that
 * goes through here or msg.c is made under one lock, which also guards
 * the block's state, so a line never lands inside the block.
 */
#include <pthread.h>
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
#include "view.h"

_Thread_local const char *msg_target;
enum progress_mode msg_progress = PROGRESS_PLAIN;
static double progress_t0;	/* monotonic start of the run */

void
progress_end(void)
{
	pthread_mutex_lock(&view_lock);
	view_end_line();
	pthread_mutex_unlock(&view_lock);
}

void
progress_hold(void)
{
	pthread_mutex_lock(&view_lock);
	view_end_line();
	view_erase();
}

void
progress_resume(void)
{
	view_draw();
	pthread_mutex_unlock(&view_lock);
}

static double
elapsed(void)
{
	if (progress_t0 == 0)
		progress_t0 = mono_now();
	return mono_now() - progress_t0;
}

/* One ndjson event: the fixed keys, then the caller's members. */
static void
event(const char *name, cJSON *members)
{
	char when[32];
	cJSON *e = cJSON_CreateObject();
	char *text;

	view_utc_now(when, sizeof(when));
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

/*
 * A fleet target's step on a terminal is its line's new state (view.c);
 * any other line while the block is up goes above it.  Lock held.
 */
static void
human_tty(const char *safe)
{
	if (view_step(safe))
		return;
	if (view_erase()) {
		output_stderrf("pai-diag: %s\n", safe);
		view_draw();
	} else if (msg_target) {
		output_stderrf("pai-diag: [%s] %s\n", msg_target, safe);
	} else {
		view_line(safe);
	}
}

static void
human(const char *text)
{
	char *safe = redact_str(text);

	pthread_mutex_lock(&view_lock);
	switch (msg_progress) {
	case PROGRESS_TTY:
		human_tty(safe);
		break;
	case PROGRESS_PLAIN:
		view_plain(msg_target, safe);
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&view_lock);
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
	if (!view_poll(task_id, status, attempt, max_polls))
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


void
progress_fleet_begin(size_t targets, int jobs)
{
	if (msg_progress == PROGRESS_TTY || msg_progress == PROGRESS_PLAIN)
		view_begin(targets, jobs, msg_progress == PROGRESS_TTY);
}

void
progress_fleet_end(void)
{
	view_end();
}

void
progress_target_begin(const char *target, const char *region)
{
	view_target_begin(target, region);
}

void
progress_task(const char *task_id)
{
	view_task(task_id);
}

void
progress_target_end(enum outcome o, const char *task_id, int polls)
{
	view_target_end(msg_target, o, task_id, polls);
}
