/*
 * Fleet mode; see fleet.h.  Threads keep the code of a target the same as
 * a single run's: each worker takes the next target and runs its steps
 * 8-10 with child_run(), which blocks.  The number of workers is --jobs,
 * so no more than that many aliyun processes live at once.  A signal wakes
 * only one thread, so every wait is capped (signals_wait_cap) and the others
 * notice within a tenth of a second.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "child.h"
#include "fdio.h"
#include "fleet.h"
#include "msg.h"
#include "params.h"
#include "signals.h"
#include "resume.h"

#define WAIT_CAP 0.1

static int
rank(enum outcome o)
{
	return outcome_rank(o);
}

void
fleet_init(struct fleet *f, const struct options *base, int jobs)
{
	memset(f, 0, sizeof(*f));
	f->base = base;
	f->jobs = jobs;
	if (hcreate_r((size_t)2 * FLEET_MAX_TARGETS, &f->seen) == 0)
		die("out of memory");
	pthread_mutex_init(&f->gate, NULL);
	pthread_mutex_init(&f->spool_lock, NULL);
}

/* The spool, an unlinked file in $TMPDIR; NULL when it cannot be made. */
static FILE *
spool_open(void)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/pai-diag-spool.XXXXXX",
	    dir && *dir ? dir : "/tmp");
	int fd = mkostemp(path, O_CLOEXEC);
	FILE *file = NULL;

	if (fd >= 0) {
		unlink(path);
		if ((file = fdopen(fd, "w+")) == NULL)
			close(fd);
	}
	free(path);
	return file;
}

/*
 * A finished target with a result: its part of the report to the spool,
 * then its result freed (but what the fleet's table shows).  On a write
 * error the target keeps its result and is rendered at the end.
 */
/* The spool is given up (under spool_lock): the fleet's warning, once. */
static void
spool_failed(struct fleet *f, const char *what, int err)
{
	const char *target = msg_target;
	struct strvec *warnings = msg_warnings;

	f->spool_failed = true;
	msg_target = NULL;	/* not this target's warning */
	msg_warnings = &f->setup.warnings;
	warning("cannot %s a spool file in $TMPDIR (%s): results are held in "
	    "memory until the report", what, strerror(err));
	msg_target = target;
	msg_warnings = warnings;
}

static void
spool(struct fleet *f, struct fleet_target *t)
{
	off_t at;

	if (f->part == NULL || !t->d.res.ok)
		return;
	pthread_mutex_lock(&f->spool_lock);
	if (f->spool && !f->spool_failed && fseeko(f->spool, 0, SEEK_END) ==
	    0 && (at = ftello(f->spool)) >= 0) {
		f->part(f->spool, &t->d, f->part_arg);
		if (fflush(f->spool) == 0 && !ferror(f->spool)) {
			t->spooled = true;
			t->spool_at = (long long)at;
			t->spool_len = (size_t)(ftello(f->spool) - at);
		} else {
			spool_failed(f, "write", errno ? errno : EIO);
		}
	}
	pthread_mutex_unlock(&f->spool_lock);
	if (t->spooled)
		diag_reply_drop(&t->d);
}

struct pool {
	struct fleet *f;
	pthread_mutex_t lock;
	size_t next, done, failed;
};

static void
count(struct pool *p, const struct diag *d)
{
	size_t running;

	pthread_mutex_lock(&p->lock);
	p->done++;
	if (!outcome_is_verdict(d->outcome))
		p->failed++;
	running = (p->next < p->f->n ? p->next : p->f->n) - p->done;
	progress_target_end(d->outcome, d->task_id, d->polls);
	msg_target = NULL;
	/* The view (progress.h) counts for people; ndjson stays as it was. */
	if (msg_progress == PROGRESS_NDJSON)
		progress("fleet: %zu of %zu done (%zu failed), %zu running",
		    p->done, p->f->n, p->failed, running);
	pthread_mutex_unlock(&p->lock);
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	struct fleet *f = p->f;

	for (;;) {
		struct fleet_target *t;
		size_t i;

		pthread_mutex_lock(&p->lock);
		i = p->next < f->n ? p->next++ : f->n;
		pthread_mutex_unlock(&p->lock);
		if (i >= f->n || signals_first())
			break;
		t = &f->t[i];
		msg_warnings = &t->d.warnings;
		msg_target = t->instance ? t->instance : t->task_id;
		progress_target_begin(msg_target, t->d.opt->region);
		/* Attached tasks poll at once: spread them over the interval. */
		t->d.poll_offset = f->base->poll_interval *
		    (double)(i % (size_t)f->jobs) / f->jobs;
		t->d.aliyun.gate = &f->gate;
		diag_target(&t->d, &f->setup);
		if (f->ended)
			f->ended(&t->d, f->part_arg);
		spool(f, t);
		diag_gate_release(&t->d);
		/* Its child environment (a copy of ours) is not needed again. */
		aliyun_release(&t->d.aliyun);
		count(p, &t->d);
	}
	msg_target = NULL;
	msg_warnings = NULL;
	return NULL;
}

static void
run_targets(struct fleet *f)
{
	struct pool p = { .f = f };
	pthread_t *threads;
	size_t nthreads = (size_t)f->jobs < f->n ? (size_t)f->jobs : f->n, k;

	pthread_mutex_init(&p.lock, NULL);
	threads = xcalloc(nthreads, sizeof(*threads));
	progress_fleet_begin(f->n, f->jobs);
	signals_wait_cap = WAIT_CAP;
	for (k = 0; k < nthreads; k++)
		if (pthread_create(&threads[k], NULL, worker, &p) != 0)
			break;
	if (k == 0)
		worker(&p);	/* no thread could start: do it here */
	for (size_t j = 0; j < k; j++)
		pthread_join(threads[j], NULL);
	progress_fleet_end();
	signals_wait_cap = 0;
	free(threads);
	pthread_mutex_destroy(&p.lock);
	/* Targets a signal kept from starting are interrupted too. */
	for (size_t i = 0; i < f->n; i++) {
		struct diag *d = &f->t[i].d;

		if (d->outcome == OUTCOME_HEALTHY && !d->res.ok &&
		    d->status == NULL && !d->error_set)
			diag_interrupt(d, signals_first());
	}
}

/*
 * One resume command for every target that goes on: each task, and each
 * target a signal kept from starting (marked so that its own envelope
 * says how to start it).
 */
static char *
resume_all(struct fleet *f)
{
	struct resume_target *r = xcalloc(f->n ? f->n : 1, sizeof(*r));
	size_t n = 0;
	char *resume;

	for (size_t i = 0; i < f->n; i++) {
		struct fleet_target *t = &f->t[i];
		struct diag *d = &t->d;

		/* A task that ended (a verdict, or Fail) has nothing to resume. */
		if (d->task_id && !outcome_is_verdict(d->outcome) &&
		    d->outcome != OUTCOME_DIAGNOSIS_FAILED)
			r[n++] = (struct resume_target){ .task_id = d->task_id,
			    .region = t->region };
		else if (!d->task_id && t->instance &&
		    d->outcome == OUTCOME_INTERRUPTED) {
			d->resume_instance = true;
			r[n++] = (struct resume_target){ .instance = t->instance,
			    .region = t->region, .product = t->product };
		}
	}
	resume = resume_fleet(f->base, r, n);
	free(r);
	return resume;
}

/* The setup's run: the aliyun found, and the warnings of the options. */
static void
setup_init(struct fleet *f, const char *aliyun_path,
    const struct strvec *early_warnings)
{
	diag_init(&f->setup, f->base);
	f->setup.aliyun.path = xstrdup(aliyun_path ? aliyun_path : "aliyun");
	for (size_t i = 0; i < early_warnings->n; i++)
		strvec_push(&f->setup.warnings, early_warnings->v[i]);
}

/* Whether SysOM must be initialised: a diagnosis may be started. */
static bool
need_sysom(const struct fleet *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->t[i].instance)
			return true;
	return f->base->discover != NULL;
}

/* Each target's own options: the run's, with its target and region. */
static void
targets_init(struct fleet *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct fleet_target *t = &f->t[i];

		t->opt = *f->base;
		t->opt.instance = t->instance;
		t->opt.task_id = t->task_id;
		t->opt.product = t->product;
		t->opt.region = t->region;
		diag_init(&t->d, &t->opt);
	}
}

/* The regions of the run, for the started event: "a,b", the first 16; owned. */
static char *
regions(const struct fleet *f)
{
	struct strvec seen = STRVEC_INIT;
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < f->base->nregions + f->n; i++) {
		const char *r = i < f->base->nregions ? f->base->regions[i] :
		    f->t[i - f->base->nregions].region;
		size_t k = 0;

		while (k < seen.n && strcmp(seen.v[k], r) != 0)
			k++;
		if (k < seen.n)
			continue;
		if (seen.n == 16) {
			buf_adds(&b, ",...");
			break;
		}
		strvec_push(&seen, r);
		buf_addf(&b, "%s%s", b.len ? "," : "", r);
	}
	strvec_clear(&seen);
	return buf_detach(&b, NULL);
}

/* The worst target's outcome and exit code, or the setup's without any. */
static void
verdict(struct fleet *f)
{
	int worst = -1;

	for (size_t i = 0; i < f->n; i++) {
		struct diag *d = &f->t[i].d;

		if (f->setup.outcome == OUTCOME_INTERRUPTED &&
		    !d->res.ok && d->outcome == OUTCOME_HEALTHY)
			diag_interrupt(d, f->setup.signal);
		if (d->outcome == OUTCOME_TIMEOUT)
			diag_finish(d);
		if (worst < 0 || rank(d->outcome) <
		    rank(f->t[worst].d.outcome))
			worst = (int)i;
	}
	if (worst >= 0) {
		f->outcome = f->t[worst].d.outcome;
		f->exit_code = diag_exit_code(&f->t[worst].d, f->base->fail_on);
	} else {
		f->outcome = f->setup.outcome;
		f->exit_code = diag_exit_code(&f->setup, f->base->fail_on);
	}
}

void
fleet_run(struct fleet *f, const char *aliyun_path,
    const struct strvec *early_warnings)
{
	char *resume, *where;
	int ok;

	setup_init(f, aliyun_path, early_warnings);
	where = regions(f);
	progress_started(where, "fleet");
	free(where);
	ok = diag_setup(&f->setup, need_sysom(f)) == 0 &&
	    (f->base->discover == NULL || fleet_discover(f) == 0);
	msg_warnings = &f->setup.warnings;
	targets_init(f);
	if (ok) {
		if (f->part && (f->spool = spool_open()) == NULL)
			spool_failed(f, "make", errno);
		run_targets(f);
	} else {
		for (size_t i = 0; i < f->n; i++)
			diag_copy_error(&f->t[i].d, &f->setup);
	}
	msg_warnings = &f->setup.warnings;
	diag_cleanup(&f->setup);
	if (signals_first() && f->setup.outcome != OUTCOME_INTERRUPTED) {
		f->setup.outcome = OUTCOME_INTERRUPTED;
		f->setup.signal = signals_first();
	}
	verdict(f);
	if (f->outcome == OUTCOME_INTERRUPTED) {
		resume = resume_all(f);
		if (resume)
			error("interrupted; resume the fleet with: %s", resume);
		else
			error("interrupted");
		free(resume);
	}
}

int
fleet_plan(struct fleet *f, const char *aliyun_path,
    const struct strvec *early_warnings)
{
	int rc = 0;

	setup_init(f, aliyun_path, early_warnings);
	if (f->base->discover)
		rc = fleet_discover(f);
	msg_warnings = &f->setup.warnings;
	targets_init(f);
	for (size_t i = 0; rc < 0 && i < f->n; i++)
		diag_copy_error(&f->t[i].d, &f->setup);
	verdict(f);
	return rc;
}

void
fleet_release(struct fleet *f)
{
	for (size_t i = 0; i < f->n; i++) {
		if (f->n && f->t[i].d.opt)
			diag_release(&f->t[i].d);
		free(f->t[i].instance);
		free(f->t[i].task_id);
		free(f->t[i].region);
	}
	free(f->t);
	hdestroy_r(&f->seen);
	strvec_clear(&f->keys);
	if (f->setup.opt)
		diag_release(&f->setup);
	if (f->spool)
		fclose(f->spool);
	f->spool = NULL;
	f->t = NULL;
	f->n = f->alloc = 0;
}
