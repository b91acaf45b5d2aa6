/*
 * A fleet's view on stderr and the lock of every line; see view.h.  One
 * block, kept in one place and changed only under view_lock, so the
 * worker threads' lines never land inside it.
 */
#include <sys/ioctl.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "output.h"
#include "redact.h"
#include "signals.h"
#include "view.h"
#include "xalloc.h"

/* The fastest a terminal block is redrawn for a poll, in seconds. */
#define VIEW_THROTTLE 0.15
/* How often the block's clocks move on without news. */
#define VIEW_TICK 1.0

/*
 * Recursive: die() prints through msg.c, and may be called by code that
 * already holds it (an allocation in the view).
 */
pthread_mutex_t view_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static bool line_open;	/* an updating terminal line waits to be finished */

/* A running target of a fleet: its line in the block. */
struct slot {
	bool used;
	const char *target;	/* borrowed from the fleet */
	const char *region;	/* borrowed from its options */
	char state[256];	/* its last step or poll, made safe */
	char status[64];	/* its last task status, for plain's changes */
	double t0;		/* when it started */
};

/* The fleet's view: one, under lock. */
static struct {
	bool on;		/* a fleet's targets run */
	bool tty;		/* as a block on a terminal, else plain lines */
	size_t total, done, critical, warn, healthy, failed, regressed;
	struct slot *slots;
	size_t nslots;
	int drawn;		/* lines of the block now on the terminal */
	double last_draw;
	bool dirty;		/* news not drawn yet (throttled) */
	bool ticking;
	bool stop;
	pthread_t ticker;
	pthread_cond_t wake;
} view = { .wake = PTHREAD_COND_INITIALIZER };

/* The slot of the target this thread works on; NULL outside a fleet. */
static _Thread_local struct slot *my_slot;

/* The terminal block is up: a fleet on a terminal. */
static bool
blocked(void)
{
	return view.on && view.tty;
}

void
view_utc_now(char *out, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, len, "%lld", (long long)t);
}

void
view_plain(const char *target, const char *safe)
{
	char when[32];

	view_utc_now(when, sizeof(when));
	output_stderrf("%s pai-diag: %s%s%s%s\n", when, target ? "[" : "",
	    target ? target : "", target ? "] " : "", safe);
}

void
view_line(const char *safe)
{
	output_stderrf("\r\033[Kpai-diag: %s", safe);
	line_open = true;
}

void
view_end_line(void)
{
	if (line_open)
		output_stderrf("\r\033[K");
	line_open = false;
}

bool
view_erase(void)
{
	if (view.drawn > 0)
		output_stderrf("\r\033[%dA\033[J", view.drawn);
	view.drawn = 0;
	return blocked();
}

/* The terminal's columns and rows (80 by 24 when it does not say). */
static int
term_size(int *rows)
{
	struct winsize ws;

	*rows = 24;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_col == 0)
		return 80;
	if (ws.ws_row > 0)
		*rows = ws.ws_row;
	return ws.ws_col;
}

/*
 * Appends s cut to cols columns and a newline: a line that wrapped would
 * throw the cursor-up redraw off.  A character beyond ASCII counts two
 * columns, as wide as it can be (an id or a region is ASCII; a status
 * SysOM sends may not be).
 */
static void
add_cut(struct buf *b, const char *s, int cols)
{
	int n = 0;
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xc0) == 0x80)
			continue;
		n += c < 0x80 ? 1 : 2;
		if (n > cols)
			break;
	}
	buf_add(b, s, i);
	buf_adds(b, "\n");
}

/* "fleet: 3/7 done: 1 critical, 0 warn, 1 healthy, 1 failed" */
static void
summary(char *out, size_t len)
{
	int n = snprintf(out, len, "fleet: %zu/%zu done: %zu critical, %zu "
	    "warn, %zu healthy, %zu failed", view.done, view.total,
	    view.critical, view.warn, view.healthy, view.failed);

	/* --fail-on new: said only when it happened. */
	if (view.regressed && n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, ", %zu regressed",
		    view.regressed);
}

/* A running target's line: "  [eas-m-x cn-hangzhou] 12 s  <state>". */
static void
slot_line(const struct slot *s, double now, char *out, size_t len)
{
	snprintf(out, len, "  [%s %s] %.0f s  %s", s->target, s->region,
	    now - s->t0, s->state);
}

/*
 * Redraws the block, in one write: cursor up over the old one, clear to
 * the end of the screen, a line per running target (as many as the
 * terminal holds), the summary.  Lock held.
 */
void
view_draw(void)
{
	static _Thread_local bool drawing;	/* die() from in here */
	struct buf b = BUF_INIT;
	char line[512];
	int rows, cols = term_size(&rows) - 1;
	size_t running = 0, shown = 0, room = rows > 3 ? (size_t)rows - 2 : 1;
	double now = mono_now();

	if (!blocked() || drawing)
		return;
	drawing = true;
	for (size_t i = 0; i < view.nslots; i++)
		running += view.slots[i].used;
	if (view.drawn > 0)
		buf_addf(&b, "\r\033[%dA\033[J", view.drawn);
	for (size_t i = 0; i < view.nslots; i++) {
		if (!view.slots[i].used)
			continue;
		if (running > room && shown + 1 == room) {
			snprintf(line, sizeof(line), "  ... and %zu more running",
			    running - shown);
			add_cut(&b, line, cols);
			shown++;
			break;
		}
		slot_line(&view.slots[i], now, line, sizeof(line));
		add_cut(&b, line, cols);
		shown++;
	}
	summary(line, sizeof(line));
	add_cut(&b, line, cols);
	output_stderr(b.data, b.len);
	buf_release(&b);
	view.drawn = (int)shown + 1;
	view.last_draw = now;
	view.dirty = false;
	drawing = false;
}

/* The block's clock: news held back by the throttle, elapsed seconds. */
static void *
tick(void *arg)
{
	struct timespec ts;

	(void)arg;
	pthread_mutex_lock(&view_lock);
	while (!view.stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)(VIEW_THROTTLE * 1e9);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&view.wake, &view_lock, &ts);
		if (!view.stop && (view.dirty ||
		    mono_now() - view.last_draw >= VIEW_TICK))
			view_draw();
	}
	pthread_mutex_unlock(&view_lock);
	return NULL;
}

void
view_begin(size_t targets, int jobs, bool tty)
{
	pthread_mutex_lock(&view_lock);
	/* The setup's updating line stays above the block, finished. */
	if (line_open)
		output_stderrf("\n");
	line_open = false;
	view.tty = tty;
	view.on = true;
	view.total = targets;
	view.done = view.critical = view.warn = view.healthy = 0;
	view.failed = 0;
	view.nslots = jobs > 0 && (size_t)jobs < targets ? (size_t)jobs :
	    targets;
	view.slots = xcalloc(view.nslots ? view.nslots : 1,
	    sizeof(*view.slots));
	view.drawn = 0;
	view.stop = false;
	if (tty) {
		view.ticking = pthread_create(&view.ticker, NULL, tick,
		    NULL) == 0;
		view_draw();
	}
	pthread_mutex_unlock(&view_lock);
}

void
view_end(void)
{
	char line[256];
	bool ticking;

	pthread_mutex_lock(&view_lock);
	if (!view.on) {
		pthread_mutex_unlock(&view_lock);
		return;
	}
	view.stop = true;
	pthread_cond_signal(&view.wake);
	ticking = view.ticking;
	view.ticking = false;
	pthread_mutex_unlock(&view_lock);
	if (ticking)
		pthread_join(view.ticker, NULL);
	pthread_mutex_lock(&view_lock);
	/* The terminal is left with the summary as a finished line. */
	if (view.tty) {
		view_erase();
		summary(line, sizeof(line));
		output_stderrf("pai-diag: %s\n", line);
	}
	view.on = false;
	free(view.slots);
	view.slots = NULL;
	view.nslots = 0;
	pthread_mutex_unlock(&view_lock);
}

void
view_target_begin(const char *target, const char *region)
{
	char line[256];

	pthread_mutex_lock(&view_lock);
	my_slot = NULL;
	for (size_t i = 0; view.on && i < view.nslots; i++) {
		struct slot *s = &view.slots[i];

		if (s->used)
			continue;
		memset(s, 0, sizeof(*s));
		s->used = true;
		s->target = target;
		s->region = region ? region : "-";
		s->t0 = mono_now();
		strlcpy(s->state, "starting", sizeof(s->state));
		my_slot = s;
		break;
	}
	if (my_slot && !view.tty) {
		snprintf(line, sizeof(line), "started in %s", my_slot->region);
		view_plain(target, line);
	} else if (my_slot) {
		view_draw();
	}
	pthread_mutex_unlock(&view_lock);
}

void
view_task(const char *task_id)
{
	char line[256];

	if (my_slot == NULL)
		return;
	snprintf(line, sizeof(line), "task %s: invoked", task_id);
	pthread_mutex_lock(&view_lock);
	if (!view.tty)
		view_plain(my_slot->target, line);
	else
		view_step(line);
	pthread_mutex_unlock(&view_lock);
}

bool
view_step(const char *safe)
{
	if (my_slot == NULL || !view.tty)
		return false;
	strlcpy(my_slot->state, safe, sizeof(my_slot->state));
	view_draw();
	return true;
}

bool
view_poll(const char *task_id, const char *status, int attempt,
    int max_polls)
{
	struct slot *s = my_slot;
	char *safe, line[512];
	bool changed;

	if (s == NULL)
		return false;
	safe = redact_str(status ? status : "no answer");
	pthread_mutex_lock(&view_lock);
	changed = strcmp(s->status, safe) != 0;
	strlcpy(s->status, safe, sizeof(s->status));
	snprintf(line, sizeof(line), "task %s: %s (poll %d/%d)", task_id,
	    safe, attempt, max_polls);
	if (view.tty) {
		strlcpy(s->state, line, sizeof(s->state));
		if (changed || mono_now() - view.last_draw >= VIEW_THROTTLE)
			view_draw();
		else
			view.dirty = true;
	} else if (changed && status && strcasecmp(status, "Success") != 0 &&
	    strcasecmp(status, "Fail") != 0) {
		/* The end of the task is said by its done line. */
		view_plain(s->target, line);
	}
	pthread_mutex_unlock(&view_lock);
	free(safe);
	return true;
}

/* "done: critical (task T, 12 polls)" */
static void
done_line(enum outcome o, const char *task_id, int polls, char *out,
    size_t len)
{
	if (task_id)
		snprintf(out, len, "done: %s (task %s, %d poll%s)",
		    outcome_name(o), task_id, polls, polls == 1 ? "" : "s");
	else
		snprintf(out, len, "done: %s", outcome_name(o));
}

void
view_target_end(const char *target, enum outcome o, const char *task_id,
    int polls)
{
	char line[512], all[256];

	pthread_mutex_lock(&view_lock);
	if (!view.on) {
		pthread_mutex_unlock(&view_lock);
		return;
	}
	view.done++;
	view.critical += o == OUTCOME_CRITICAL;
	view.warn += o == OUTCOME_WARN;
	view.healthy += o == OUTCOME_HEALTHY;
	view.regressed += o == OUTCOME_REGRESSED;
	view.failed += !outcome_is_verdict(o);
	done_line(o, task_id, polls, line, sizeof(line));
	summary(all, sizeof(all));
	if (!view.tty) {
		view_plain(target, line);
		view_plain(NULL, all);
	} else if (my_slot) {
		view_erase();
		output_stderrf("pai-diag: [%s %s] %s\n", my_slot->target,
		    my_slot->region, line);
		my_slot->used = false;
		view_draw();
	}
	my_slot = NULL;
	pthread_mutex_unlock(&view_lock);
}
