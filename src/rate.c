/*
 * The run's API rate budget; see rate.h.  The lock is held only to look
 * and to book: the waiting is done outside it, in signals_sleep(), so a
 * signal ends a wait as it ends any other.
 */
#include <string.h>

#include "rate.h"
#include "signals.h"

/* Not libm's: pai-diag links no libm for three comparisons. */
static double
dmin(double a, double b)
{
	return a < b ? a : b;
}

static double
dmax(double a, double b)
{
	return a > b ? a : b;
}

struct rate rate_run = { .lock = PTHREAD_MUTEX_INITIALIZER };

void
rate_init(struct rate *r, double max_rate)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

	memset(r, 0, sizeof(*r));
	r->lock = lock;
	r->max = max_rate;
	r->cur = max_rate;
	r->now = mono_now;
	r->sleep = signals_sleep;
	r->last_throttled = r->last_climb = r->now();
	r->last_cut = -1;
}

/*
 * After a quiet while the rate climbs a tenth of the budget, at most once
 * a RATE_CLIMB_EVERY: slowly, since the service has just said it was too
 * much.  Under the lock.
 */
static void
climb(struct rate *r, double now)
{
	if (r->cur >= r->max || now - r->last_throttled < RATE_QUIET ||
	    now - r->last_climb < RATE_CLIMB_EVERY)
		return;
	r->cur = dmin(r->max, r->cur + r->max / 10);
	r->last_climb = now;
}

/*
 * The head's turn is over: the next ticket is served, skipping those
 * whose holders left before their turn came.  Under the lock.
 */
static void
advance(struct rate *r)
{
	bool skipped;

	r->head++;
	do {
		skipped = false;
		for (size_t i = 0; i < r->ngone; i++) {
			if (r->gone[i] == r->head) {
				r->gone[i] = r->gone[--r->ngone];
				r->head++;
				skipped = true;
				break;
			}
		}
	} while (skipped);
}

/* A holder leaves before its turn (a signal, its deadline).  Under the lock. */
static void
leave(struct rate *r, unsigned long ticket)
{
	if (ticket == r->head)
		advance(r);
	else if (r->ngone < RATE_GONE_MAX)
		r->gone[r->ngone++] = ticket;
	else
		r->ngone = 0, r->head = ticket + 1;	/* cannot happen: jobs cap */
}

/* How long the holder of ticket may sleep before its turn.  Under the lock. */
static double
turn_in(const struct rate *r, unsigned long ticket, double now)
{
	return dmax(r->next - now, 0) +
	    (double)(ticket - r->head) * RATE_SLACK / r->cur;
}

int
rate_take(struct rate *r, double deadline, double *sent)
{
	unsigned long ticket;
	double now, wait;
	int rc = 0;

	if (r->max <= 0) {
		*sent = mono_now();
		return 0;
	}
	pthread_mutex_lock(&r->lock);
	ticket = r->tail++;
	while (now = r->now(), ticket != r->head || now < r->next) {
		if (deadline > 0 && now >= deadline) {
			rc = 1;
			break;
		}
		wait = turn_in(r, ticket, now);
		if (deadline > 0)
			wait = dmin(wait, deadline - now);
		pthread_mutex_unlock(&r->lock);
		rc = r->sleep(dmin(dmax(wait, 0.001), RATE_RECHECK));
		pthread_mutex_lock(&r->lock);
		if (rc < 0)
			break;
	}
	if (rc != 0) {
		leave(r, ticket);
	} else {
		climb(r, now);
		advance(r);
		r->next = now + RATE_SLACK / r->cur;
		*sent = now;
	}
	pthread_mutex_unlock(&r->lock);
	return rc;
}

void
rate_throttled(struct rate *r, double sent)
{
	pthread_mutex_lock(&r->lock);
	r->throttled++;
	r->last_throttled = r->now();
	/*
	 * Answers to calls sent before the last cut say nothing of the rate
	 * now: one cut per round trip, not one per answer.
	 */
	if (r->max > 0 && sent > r->last_cut) {
		r->cur = dmax(r->cur / 2, dmin(RATE_FLOOR, r->max));
		r->last_cut = r->last_throttled;
	}
	pthread_mutex_unlock(&r->lock);
}

double
rate_current(struct rate *r)
{
	double cur;

	pthread_mutex_lock(&r->lock);
	cur = r->max > 0 ? r->cur : 0;
	pthread_mutex_unlock(&r->lock);
	return cur;
}

double
backoff_delay(int streak, double base, double retry_after, double u)
{
	double top;

	if (base < BACKOFF_MIN_BASE)
		base = BACKOFF_MIN_BASE;
	if (streak < 1)
		streak = 1;
	/* base * 2^streak, stopping at the cap. */
	top = base;
	for (int i = 0; i < streak && top < BACKOFF_CAP; i++)
		top *= 2;
	top = dmin(BACKOFF_CAP, top);
	if (base > top)
		base = top;
	return dmax(base + u * (top - base), dmin(retry_after, BACKOFF_CAP));
}
