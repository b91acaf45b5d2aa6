/*
 * Writing the report; see report_write.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "msg.h"
#include "output.h"
#include "report.h"
#include "report_write.h"
#include "signals.h"

/*
 * How the text reports look: a report file is neither coloured nor
 * wrapped (nor is stdout when the file could not be written after all).
 */
static struct text_look
look_of(const struct options *o)
{
	struct text_look look = { o->color, o->width };

	if (o->output_file)
		look = (struct text_look){ false, 0 };
	return look;
}

/* A run's own report, from its view. */
static int
render_view(FILE *f, const struct report *r, const struct options *o)
{
	struct text_look look = look_of(o);

	if (o->format == FORMAT_JSON)
		return report_json(f, r);
	if (o->format == FORMAT_JUNIT)
		return report_junit(f, r);
	/*
	 * A run that ended in an error has no text report; a report file
	 * still says what happened rather than being left empty.
	 */
	if (o->output_file && !r->has_result && r->has_error &&
	    r->outcome != OUTCOME_TIMEOUT && !r->task_failed) {
		fprintf(f, "%s%s: %s\n", o->format == FORMAT_MARKDOWN ?
		    "**error** " : "error: ", outcome_name(r->outcome),
		    r->error.message);
		return ferror(f) ? -1 : 0;
	}
	if (o->format == FORMAT_MARKDOWN)
		return report_markdown(f, r);
	return report_text(f, r, &look);
}

/*
 * A fleet target's own part of the report, written to the spool as it
 * ends; what the metrics need of its result is kept, as it is dropped next.
 */
void
report_fleet_part_of(FILE *out, struct diag *d, const void *arg)
{
	const struct options *o = arg;
	struct text_look look = look_of(o);
	struct report r;

	report_view(&r, d, diag_exit_code(d, o->fail_on));
	if (o->format == FORMAT_JUNIT)
		report_junit_case(out, &r);
	else
		report_fleet_part(out, &r, o->format == FORMAT_JSON, &look,
		    o->format == FORMAT_MARKDOWN);
	if (o->metrics_file)
		report_keep(d, &r);
	report_release(&r);
}


/* Renders whichever report the run calls for. */
static int
render(FILE *f, const struct diag *d, const struct shown *s,
    const struct options *o, int code)
{
	const struct diag_plan *plan = s->plan;
	const struct fleet *fleet = s->fleet;
	bool json = o->format == FORMAT_JSON;
	struct text_look look = look_of(o);
	struct report_fleet v;
	struct report r;
	int rc;

	if (s->doc)
		return json ? report_history_json(f, s->doc) : o->diff ?
		    report_diff_text(f, s->doc) : report_history_text(f, s->doc);
	if (fleet && o->dry_run)
		return json ? report_fleet_plan_json(f, fleet, code) :
		    report_fleet_plan_text(f, fleet);
	if (fleet) {
		report_fleet_view(&v, fleet);
		rc = json ? report_fleet_json(f, &v) :
		    o->format == FORMAT_JUNIT ? report_fleet_junit(f, &v) :
		    report_fleet_text(f, &v, &look,
		    o->format == FORMAT_MARKDOWN);
		report_fleet_release(&v);
		return rc;
	}
	if (o->dry_run && d->outcome == OUTCOME_HEALTHY)
		return json ? report_plan_json(f, d, plan, code) :
		    report_plan_text(f, d, plan);
	/* A doctor refused as a usage error found nothing to report. */
	if (o->doctor && d->outcome != OUTCOME_USAGE_ERROR)
		return json ? report_doctor_json(f, d, code) :
		    report_doctor_text(f, d);
	report_view(&r, d, code);
	rc = render_view(f, &r, o);
	report_release(&r);
	return rc;
}

/* Renders into a sink on fd; 0, or -1 with errno. */
static int
render_to(int fd, const struct diag *d, const struct shown *s,
    const struct options *o, int code)
{
	struct out out;
	int rc;

	if (out_open(&out, fd) < 0)
		return -1;
	rc = render(out.f, d, s, o, code);
	if (out_close(&out) < 0)
		return -1;
	if (rc < 0)
		errno = EIO;
	return rc;
}

/*
 * Opens a FIFO or a device named by --output-file for writing, without
 * blocking past a signal while a FIFO waits for its reader.
 */
static int
open_in_place(const char *path)
{
	for (;;) {
		int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

		if (fd >= 0 || errno != ENXIO)
			return fd;
		if (signals_sleep(0.1) < 0) {
			errno = EINTR;
			return -1;
		}
	}
}

/* What a report file is filled with: the report, as render_to() renders it. */
struct render_args {
	const struct diag *d;
	const struct shown *s;
	const struct options *o;
	int code;
};

static int
fill_report(int fd, const void *arg)
{
	const struct render_args *a = arg;

	return render_to(fd, a->d, a->s, a->o, a->code);
}

/*
 * --output-file: a regular file is replaced atomically (out_replace()), so
 * PATH never holds half a report.  A device or a FIFO is written in place.
 * Returns 0, or -1 with errno.
 */
static int
write_file(const struct diag *d, const struct shown *s,
    const struct options *o, int code)
{
	const char *path = o->output_path ? o->output_path : o->output_file;
	struct render_args args = { d, s, o, code };
	int fd, saved;

	if (!o->output_in_place)
		return out_replace(path, fill_report, &args);
	if ((fd = open_in_place(path)) < 0)
		return -1;
	if (fill_report(fd, &args) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

/*
 * Writes the report.  A closed stdout ends quietly; a report file that
 * cannot be written after all goes to stdout instead, with exit 1: the
 * verdict is never lost.
 */
static int
write_report(const struct diag *d, const struct shown *s,
    const struct options *o, int code)
{
	int rc = code;

	if (o->output_file) {
		if (write_file(d, s, o, code) == 0)
			return code;
		/* The report keeps the diagnosis's exit code; the run's is 1. */
		error("cannot write the report to '%s': %s; it follows on "
		    "stdout", o->output_file, strerror(errno));
		rc = 1;
	}
	if (render_to(STDOUT_FILENO, d, s, o, code) < 0) {
		if (errno == EPIPE)
			return rc;
		error("cannot write the report: %s", strerror(errno));
		return 1;
	}
	return rc;
}

/*
 * --metrics-file, after the report: each target's metrics.  A file that
 * cannot be written after all is an error and exit 1; the report stands.
 */
static int
write_metrics(const struct diag *d, const struct fleet *fleet,
    const struct options *o, int code)
{
	const char *path = o->metrics_path ? o->metrics_path : o->metrics_file;
	struct report_fleet v;
	struct report r;
	int rc;

	if (fleet) {
		report_fleet_view(&v, fleet);
		rc = report_metrics_file(path, v.runs, v.n);
		report_fleet_release(&v);
	} else {
		report_view(&r, d, code);
		rc = report_metrics_file(path, &r, 1);
		report_release(&r);
	}
	if (rc == 0)
		return code;
	error("cannot write the metrics to '%s': %s", o->metrics_file,
	    strerror(errno));
	return 1;
}

/*
 * The report, then the metrics; none after a usage error, which may be
 * found before the metrics file was checked.
 */
int
report_write(const struct diag *d, const struct shown *s,
    const struct options *o, int code)
{
	code = write_report(d, s, o, code);
	if (o->metrics_file && (s->fleet || d->outcome != OUTCOME_USAGE_ERROR))
		code = write_metrics(d, s->fleet, o, code);
	return code;
}
