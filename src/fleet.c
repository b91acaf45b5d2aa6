/*
 * Fleet mode; see fleet.h.  Threads keep the code of a target the same as
 * a single run's: each worker takes the next target and runs its steps
 * 8-10 with child_run(), which blocks.  The number of workers is --jobs,
 * so no more than that many aliyun processes live at once.  A signal wakes
 * only one thread, so every wait is capped (signals_wait_cap) and the others
 * notice within a tenth of a second.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "child.h"
#include "fdio.h"
#include "fleet.h"
#include "msg.h"
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

static struct fleet_target *
add(struct fleet *f)
{
	struct fleet_target *t;

	if (f->n == f->alloc) {
		f->alloc = f->alloc ? f->alloc * 2 : 8;
		f->t = xreallocarray(f->t, f->alloc, sizeof(*f->t));
	}
	t = &f->t[f->n++];
	memset(t, 0, sizeof(*t));
	return t;
}

int
fleet_add_instance(struct fleet *f, const char *id, const char *prod,
    char *err, size_t errlen)
{
	enum product p;
	struct fleet_target *t;

	if (f->n >= FLEET_MAX_TARGETS) {
		snprintf(err, errlen, "more than %d targets", FLEET_MAX_TARGETS);
		return -1;
	}
	if (check_instance_id(id, err, errlen) < 0)
		return -1;
	p = prod ? parse_product(prod) : f->base->product;
	if (prod && p == PRODUCT_NONE) {
		snprintf(err, errlen, "product must be EAS or DLC, not '%.64s'",
		    prod);
		return -1;
	}
	if (p == PRODUCT_NONE && (p = infer_product(id)) == PRODUCT_NONE) {
		snprintf(err, errlen, "cannot tell the product of '%s' from its "
		    "prefix; give EAS or DLC after it", id);
		return -1;
	}
	t = add(f);
	t->instance = xstrdup(id);
	t->product = p;
	return 0;
}

int
fleet_add_task(struct fleet *f, const char *task_id, char *err,
    size_t errlen)
{
	struct fleet_target *t;

	if (f->n >= FLEET_MAX_TARGETS) {
		snprintf(err, errlen, "more than %d targets", FLEET_MAX_TARGETS);
		return -1;
	}
	if (check_task_id(task_id, err, errlen) < 0)
		return -1;
	t = add(f);
	t->task_id = xstrdup(task_id);
	return 0;
}

int
fleet_read_file(struct fleet *f, const char *path, char *err, size_t errlen)
{
	struct fdio_reader *r = NULL;
	struct buf line = BUF_INIT;
	struct stat st;
	char why[256];
	int fd, lineno = 0, rc = 0, got;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : fdio_open_read(path, &st);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	r = xmalloc(sizeof(*r));
	fdio_reader_init(r, fd);
	while (rc == 0 && (got = fdio_getline(r, &line, FLEET_MAX_LINE,
	    FLEET_MAX_FILE)) > 0) {
		char *p = line.data, *id, *prod, *rest;

		lineno++;
		if (memchr(line.data, '\0', line.len)) {
			snprintf(err, errlen, "%s line %d: a NUL byte", path,
			    lineno);
			rc = -1;
			break;
		}
		if ((rest = strchr(p, '#')) != NULL)
			*rest = '\0';
		id = strtok_r(p, " \t\r", &rest);
		if (id == NULL)
			continue;
		prod = strtok_r(NULL, " \t\r", &rest);
		if (strtok_r(NULL, " \t\r", &rest) != NULL) {
			snprintf(err, errlen, "%s line %d: expected 'ID [PRODUCT]'",
			    path, lineno);
			rc = -1;
		} else if (fleet_add_instance(f, id, prod, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s line %d: %s", path, lineno, why);
			rc = -1;
		}
	}
	if (rc == 0 && got < 0) {
		if (errno == E2BIG && r->total > FLEET_MAX_FILE)
			snprintf(err, errlen, "%s: more than %d MiB (at line %d)",
			    path, FLEET_MAX_FILE >> 20, lineno + 1);
		else if (errno == E2BIG)
			snprintf(err, errlen, "%s line %d: longer than %d bytes",
			    path, lineno + 1, FLEET_MAX_LINE);
		else if (errno == EINTR)
			snprintf(err, errlen, "%s: reading was interrupted", path);
		else
			snprintf(err, errlen, "cannot read '%s': %s", path,
			    strerror(errno));
		rc = -1;
	}
	buf_release(&line);
	free(r);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
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

/* One resume command for every task that goes on. */
static char *
resume_all(const struct fleet *f)
{
	const char **ids = xcalloc(f->n ? f->n : 1, sizeof(*ids));
	size_t n = 0;
	char *resume;

	for (size_t i = 0; i < f->n; i++) {
		const struct diag *d = &f->t[i].d;

		/* A task that ended (a verdict, or Fail) has nothing to resume. */
		if (d->task_id && !outcome_is_verdict(d->outcome) &&
		    d->outcome != OUTCOME_DIAGNOSIS_FAILED)
			ids[n++] = d->task_id;
	}
	resume = resume_command(f->base, f->base->region, ids, n);
	free(ids);
	return resume;
}

void
fleet_run(struct fleet *f, const char *aliyun_path,
    const struct strvec *early_warnings)
{
	bool need_sysom = false;
	char *resume;
	int worst = -1;

	for (size_t i = 0; i < f->n; i++) {
		struct fleet_target *t = &f->t[i];

		t->opt = *f->base;
		t->opt.instance = t->instance;
		t->opt.task_id = t->task_id;
		t->opt.product = t->product;
		diag_init(&t->d, &t->opt);
		need_sysom |= t->instance != NULL;
	}
	diag_init(&f->setup, f->base);
	f->setup.aliyun.path = xstrdup(aliyun_path);
	for (size_t i = 0; i < early_warnings->n; i++)
		strvec_push(&f->setup.warnings, early_warnings->v[i]);
	progress_started(f->base->region, "fleet");
	if (diag_setup(&f->setup, need_sysom) == 0) {
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

	for (size_t i = 0; i < f->n; i++) {
		struct diag *d = &f->t[i].d;
		int r = rank(d->outcome);

		if (f->setup.outcome == OUTCOME_INTERRUPTED &&
		    !d->res.ok && d->outcome == OUTCOME_HEALTHY)
			diag_interrupt(d, f->setup.signal);
		if (d->outcome == OUTCOME_TIMEOUT)
			diag_finish(d);
		if (worst < 0 || r < rank(f->t[worst].d.outcome))
			worst = (int)i;
	}
	f->outcome = worst >= 0 ? f->t[worst].d.outcome : OUTCOME_HEALTHY;
	f->exit_code = worst >= 0 ?
	    diag_exit_code(&f->t[worst].d, f->base->fail_on) : 0;
	if (f->outcome == OUTCOME_INTERRUPTED) {
		resume = resume_all(f);
		if (resume)
			error("interrupted; the diagnoses go on: resume with: %s",
			    resume);
		else
			error("interrupted");
		free(resume);
	}
}

void
fleet_release(struct fleet *f)
{
	for (size_t i = 0; i < f->n; i++) {
		if (f->n && f->t[i].d.opt)
			diag_release(&f->t[i].d);
		free(f->t[i].instance);
		free(f->t[i].task_id);
	}
	free(f->t);
	if (f->setup.opt)
		diag_release(&f->setup);
	if (f->spool)
		fclose(f->spool);
	f->spool = NULL;
	f->t = NULL;
	f->n = f->alloc = 0;
}
