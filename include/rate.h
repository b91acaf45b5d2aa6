/*
 * The run's one API rate budget (--max-rate): every business call (sysom,
 * eas, pai-dlc) of every worker takes its turn here before it is spawned,
 * so a fleet of any size never sends more than the budget in any second.
 * Calls are spaced, not burst: a bucket of N tokens refilling N a second
 * can send 2N in a sliding second, a spacing of 1/N s cannot send more
 * than N.  Turns are taken in order (a ticket each), so no worker starves.
 *
 * The rate adapts to the service (AIMD): a throttled answer to a call sent
 * at the current rate halves it; a quiet while later it climbs back to
 * --max-rate a tenth at a time.  Also the backoff of a throttled call:
 * exponential, full jitter, never below the retry-after the answer gave.
 */
#ifndef PAI_DIAG_RATE_H
#define PAI_DIAG_RATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* The slowest the rate is cut to, in calls a second. */
#define RATE_FLOOR 0.5
/* Spacing slack: 1.1/rate s between calls, for the jitter of a spawn. */
#define RATE_SLACK 1.1
/* Seconds without a throttled answer before the rate climbs, and the
 * seconds between two climbs of a tenth of --max-rate. */
#define RATE_QUIET 2.0
#define RATE_CLIMB_EVERY 1.0
/* The longest a waiting turn sleeps before it looks again. */
#define RATE_RECHECK 0.1
/* The cap of a throttled call's backoff, in seconds. */
#define BACKOFF_CAP 60.0
/* The base of the backoff when --poll-interval is 0. */
#define BACKOFF_MIN_BASE 0.05
/* Turns given up before they came, at most (one per worker, FLEET_MAX_JOBS). */
#define RATE_GONE_MAX 128

struct rate {
	pthread_mutex_t lock;
	double max;		/* --max-rate; 0: no budget */
	double cur;		/* the rate now, calls a second */
	double next;		/* the earliest time the next call may go */
	unsigned long head, tail;	/* the turn being served, the next ticket */
	unsigned long gone[RATE_GONE_MAX];	/* tickets left before their turn */
	size_t ngone;
	double last_cut;	/* when the rate was last cut */
	double last_throttled;	/* when a throttled answer last came */
	double last_climb;
	unsigned long throttled;	/* throttled answers in all */
	/* The clock and the sleep: mono_now and signals_sleep, or a test's. */
	double (*now)(void);
	int (*sleep)(double seconds);
};

/* The run's budget, set up by main() (rate_init) before any call. */
extern struct rate rate_run;

void rate_init(struct rate *r, double max_rate);

/*
 * Waits for this call's turn: returns 0 with *sent the time it was let
 * go, -1 when a signal came, 1 when deadline (> 0, on the monotonic
 * clock) came first.  Without a budget it returns 0 at once.
 */
int rate_take(struct rate *r, double deadline, double *sent);

/* A call let go at sent was throttled: the rate is cut, once per cut. */
void rate_throttled(struct rate *r, double sent);

/* The rate now, calls a second (0: no budget). */
double rate_current(struct rate *r);

/*
 * The pause before the retry of a call throttled `streak` times in a row
 * (1 for the first): exponential with full jitter, a uniform draw (u in
 * [0, 1)) between base (--poll-interval) and min(BACKOFF_CAP, base *
 * 2^streak), and never less than retry_after (seconds, 0 when none).
 */
double backoff_delay(int streak, double base, double retry_after, double u);

#endif
