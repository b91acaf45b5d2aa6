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
#include "output.h"
#include "redact.h"
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

/* Writes a formatted text to stderr, in one write, masked. */
static void emit(const char *fmt, ...) PRINTF_LIKE(1, 2);

static void
emit(const char *fmt, ...)
{
	char small[1024], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		output_stderr(small, (size_t)n);
		return;
	}
	va_start(ap, fmt);
	n = vasprintf(&big, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	output_stderr(big, (size_t)n);
	free(big);
}

void
progress_end(void)
{
	if (progress_open) {
		emit("\r\033[K");
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
		emit("%s\n", text);
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
			emit("pai-diag: [%s] %s\n", msg_target, safe);
		else {
			emit("\r\033[Kpai-diag: %s", safe);
			progress_open = true;
		}
		break;
	case PROGRESS_PLAIN:
		utc_now(when, sizeof(when));
		emit("%s pai-diag: %s%s%s%s\n", when, msg_target ? "[" : "",
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

static void vreport(const char *prefix, bool safe, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));

/*
 * One message line.  Its text is made safe for a terminal (redact()):
 * messages quote paths, ids and aliyun's words, and none of them may
 * bring a control character, a bidi override or a secret along.  die()
 * passes safe = false: it may be reporting that memory ran out.
 */
static void
vreport(const char *prefix, bool safe, const char *fmt, va_list ap)
{
	char line[4096], *shown = NULL;

	progress_end();
	vsnprintf(line, sizeof(line), fmt, ap);
	if (safe)
		shown = redact_str(line);
	if (msg_target)
		emit("pai-diag: %s%s: %s\n", prefix, msg_target,
		    shown ? shown : line);
	else
		emit("pai-diag: %s%s\n", prefix, shown ? shown : line);
	free(shown);
}

void
error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", true, fmt, ap);
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
	vreport("warning: ", true, fmt, ap);
	va_end(ap);
}

void
plain(const char *fmt, ...)
{
	char line[4096], *shown;
	va_list ap;

	progress_end();
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	shown = redact_str(line);
	emit("%s\n", shown);
	free(shown);
}

void
inform(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", true, fmt, ap);
	va_end(ap);
}

void
verbose(const char *fmt, ...)
{
	va_list ap;

	if (msg_verbosity < 1)
		return;
	va_start(ap, fmt);
	vreport("", true, fmt, ap);
	va_end(ap);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", false, fmt, ap);
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
