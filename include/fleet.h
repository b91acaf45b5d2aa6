/*
 * Fleet mode: several targets in one run.  The setup steps and the final
 * ai-mode disable run once; each target then goes through validation,
 * invoke and polling on its own, up to --jobs at a time, each in a thread
 * of its own with its own struct diag.  One target failing never stops the
 * others; the run's exit code is the worst target's.
 */
#ifndef PAI_DIAG_FLEET_H
#define PAI_DIAG_FLEET_H

#include <pthread.h>
#include <search.h>
#include <stdbool.h>
#include <stdio.h>

#include "defaults.h"
#include "options.h"
#include "workflow.h"

#define FLEET_MAX_TARGETS 10000
/* --instances-file: the longest line, the largest file. */
#define FLEET_MAX_LINE 4096
#define FLEET_MAX_FILE (4 << 20)

struct fleet_target {
	char *instance;		/* owned; NULL for a task */
	char *task_id;		/* owned; NULL for an instance */
	char *region;		/* owned: its own, else the run's --region */
	enum product product;
	struct options opt;	/* the run's options for this target */
	struct diag d;
	/* Its own report, written to the spool as it ended (see fleet). */
	bool spooled;
	long long spool_at;
	size_t spool_len;
};

/*
 * Writes a finished target's own part of the fleet report to out, and
 * keeps in d what the reports need of its result, which is dropped next.
 */
typedef void fleet_part_fn(FILE *out, struct diag *d, const void *arg);
/* What is done with a target once it has ended (its history), first. */
typedef void fleet_ended_fn(struct diag *d, const void *arg);

struct fleet {
	const struct options *base;
	struct fleet_target *t;
	size_t n, alloc;
	int jobs;
	struct diag setup;	/* steps 1-7 and 11, and the run's warnings */
	enum outcome outcome;	/* the worst target's */
	int exit_code;

	/*
	 * Bounded memory, whatever the number and size of the results: one
	 * large answer is read at a time (gate, child.h), and a target that
	 * ends with a result has its part of the report written by part()
	 * to the spool, an unlinked file in $TMPDIR, and its result freed.
	 * Without part (or when the spool cannot be written) results stay
	 * in memory until the report.
	 */
	pthread_mutex_t gate;
	fleet_ended_fn *ended;
	fleet_part_fn *part;
	const void *part_arg;	/* of both */
	FILE *spool;
	pthread_mutex_t spool_lock;
	bool spool_failed;

	/* The targets added so far, to merge one given twice. */
	struct hsearch_data seen;
	struct strvec keys;
};

/* Prepares an empty fleet over the base options (borrowed). */
void fleet_init(struct fleet *f, const struct options *base, int jobs);

/*
 * Adds a target: an instance "ID" or "ID@REGION" (product from prod, else
 * --product, else inferred; region from the id, else region, else
 * --region), or a task "TASK" or "TASK@REGION".  One already added is
 * merged with a warning (discovered says how it came).  Returns 0, or -1
 * with a reason in err.
 */
int fleet_add_instance(struct fleet *f, const char *spec, const char *prod,
    const char *region, bool discovered, char *err, size_t errlen);
int fleet_add_task(struct fleet *f, const char *spec, char *err,
    size_t errlen);

/*
 * Reads --instances-file (path "-" is stdin): one "ID [PRODUCT|-]
 * [REGION]" a line ("-": the product inferred; ID may be ID@REGION),
 * blank lines and '#' comments ignored; lines of at most FLEET_MAX_LINE
 * bytes without NUL, FLEET_MAX_FILE in all.  A FIFO or a terminal is read
 * so that a signal ends the wait.  Returns 0, or -1 with a reason naming
 * the line in err.
 */
int fleet_read_file(struct fleet *f, const char *path, char *err,
    size_t errlen);

/*
 * --discover: lists the EAS services of every --region with the aliyun of
 * f->setup (set up, or for --dry-run only resolved) and adds those whose
 * Status --discover-status names (all without it).  Returns 0, or -1 with
 * the error in f->setup.
 */
int fleet_discover(struct fleet *f);

/*
 * Runs the whole fleet, cleanup included, and sets outcome and exit_code.
 * The early warnings (from reading the options) lead the fleet's own.
 */
void fleet_run(struct fleet *f, const char *aliyun_path,
    const struct strvec *early_warnings);

/*
 * --dry-run: discovery (read-only) but no setup; the targets are ready to
 * be listed, and outcome and exit_code say whether discovery failed.
 * Returns 0, or -1 then.
 */
int fleet_plan(struct fleet *f, const char *aliyun_path,
    const struct strvec *early_warnings);

/* Its reports: report_fleet_view() and the renderers in report.h. */

void fleet_release(struct fleet *f);

#endif
