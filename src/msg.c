/*
 * Messages and outcomes.  Relayed text is redacted by the callers before it
 * gets here (see redact.h); these functions only format and print.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "msg.h"
#include "signals.h"
#include "strvec.h"

int msg_verbosity;
_Thread_local struct strvec *msg_warnings;
_Thread_local const char *msg_target;
enum progress_mode msg_progress = PROGRESS_PLAIN;
static bool progress_open;	/* a terminal line waits to be finished */
static double progress_t0;	/* monotonic start of the run */

static const struct {
	const char *name;
	int exit_code;
} outcomes[] = {
	[OUTCOME_HEALTHY] = { "healthy", 0 },
	[OUTCOME_WARN] = { "warn", 10 },
	[OUTCOME_CRITICAL] = { "critical", 11 },
	[OUTCOME_DIAGNOSIS_FAILED] = { "diagnosis_failed", 6 },
	[OUTCOME_TIMEOUT] = { "timeout", 7 },
	[OUTCOME_INTERRUPTED] = { "interrupted", 130 },
	[OUTCOME_INVALID_TARGET] = { "invalid_target", 5 },
	[OUTCOME_UNSUPPORTED_TARGET] = { "unsupported_target", 5 },
	[OUTCOME_ACCESS_DENIED] = { "access_denied", 4 },
	[OUTCOME_ENVIRONMENT_ERROR] = { "environment_error", 3 },
	[OUTCOME_USAGE_ERROR] = { "usage_error", 2 },
	[OUTCOME_INTERNAL_ERROR] = { "internal_error", 1 },
};

const char *
outcome_name(enum outcome o)
{
	return outcomes[o].name;
}

bool
outcome_is_verdict(enum outcome o)
{
	return o == OUTCOME_HEALTHY || o == OUTCOME_WARN || o == OUTCOME_CRITICAL;
}

bool
exit_code_ok(int exit_code)
{
	return exit_code == 0 || exit_code == 10 || exit_code == 11;
}

int
outcome_exit_code(enum outcome o)
{
	return outcomes[o].exit_code;
}

void
progress_end(void)
{
	if (progress_open) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
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
		fprintf(stderr, "%s\n", text);
	fflush(stderr);
	cJSON_free(text);
	cJSON_Delete(e);
}

static void
human(const char *text)
{
	char when[32], line[1200];

	/* In a fleet each target's lines are named; no shared updating line. */
	if (msg_target) {
		snprintf(line, sizeof(line), "[%s] %s", msg_target, text);
		if (msg_progress == PROGRESS_TTY) {
			fprintf(stderr, "pai-diag: %s\n", line);
			fflush(stderr);
			return;
		}
	} else {
		snprintf(line, sizeof(line), "%s", text);
	}

	switch (msg_progress) {
	case PROGRESS_TTY:
		fprintf(stderr, "\r\033[Kpai-diag: %s", line);
		progress_open = true;
		break;
	case PROGRESS_PLAIN:
		utc_now(when, sizeof(when));
		fprintf(stderr, "%s pai-diag: %s\n", when, line);
		break;
	default:
		return;
	}
	fflush(stderr);
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

static void vreport(const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void
vreport(const char *prefix, const char *fmt, va_list ap)
{
	char line[4096];

	progress_end();
	/* One write per message, so lines from a busy run never interleave. */
	vsnprintf(line, sizeof(line), fmt, ap);
	if (msg_target)
		fprintf(stderr, "pai-diag: %s%s: %s\n", prefix, msg_target, line);
	else
		fprintf(stderr, "pai-diag: %s%s\n", prefix, line);
	fflush(stderr);
}

void
error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
}

void
warning(const char *fmt, ...)
{
	va_list ap;

	if (msg_warnings) {
		char line[4096];

		va_start(ap, fmt);
		vsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
		strvec_push(msg_warnings, line);
	}
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void
verbose(const char *fmt, ...)
{
	va_list ap;

	if (msg_verbosity < 1)
		return;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n ? n : 1, size ? size : 1);

	if (q == NULL)
		die("out of memory");
	return q;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		die("out of memory");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		die("out of memory");
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	return s;
}
