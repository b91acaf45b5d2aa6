/*
 * Messages: errors, warnings, verbose and plain lines on stderr.  Relayed
 * text is redacted by the callers before it gets here (see redact.h);
 * these functions only format, make safe and print.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "msg.h"
#include "output.h"
#include "progress.h"
#include "redact.h"
#include "strvec.h"

int msg_verbosity;
_Thread_local struct strvec *msg_warnings;

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

	vsnprintf(line, sizeof(line), fmt, ap);
	if (safe)
		shown = redact_str(line);
	progress_hold();
	if (msg_target)
		output_stderrf("pai-diag: %s%s: %s\n", prefix, msg_target,
		    shown ? shown : line);
	else
		output_stderrf("pai-diag: %s%s\n", prefix, shown ? shown : line);
	progress_resume();
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

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	shown = redact_str(line);
	progress_hold();
	output_stderrf("%s\n", shown);
	progress_resume();
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

static void die_report(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* die()'s line (xalloc.h): like any message, but not redacted. */
static void
die_report(const char *fmt, va_list ap)
{
	vreport("fatal: ", false, fmt, ap);
}

/*
 * die() prints through die_report() in every program linked with this
 * module, from before main() on.
 */
__attribute__((constructor)) static void
msg_take_die(void)
{
	set_die_routine(die_report);
}
