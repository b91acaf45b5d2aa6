/*
 * rate: the run's rate budget on a fake clock (calls spaced so that no
 * sliding second holds more than --max-rate, turns in order, the rate
 * halved by a throttled answer and climbing back after a quiet while, a
 * deadline), the backoff's bounds, and which answers are throttling, in
 * each of aliyun's error forms, with the retry-after they carry.
 */
#include <string.h>

#include "aliyun.h"
#include "rate.h"
#include "test.h"

static double fake_clock;

static double
fake_now(void)
{
	return fake_clock;
}

static int
fake_sleep(double seconds)
{
	fake_clock += seconds;
	return 0;
}

static void
fake_rate(struct rate *r, int max)
{
	rate_init(r, max);
	fake_clock = 1000;
	r->now = fake_now;
	r->sleep = fake_sleep;
	r->last_throttled = r->last_climb = fake_clock;
}

/* The most of the times t[0..n) (ascending) in any window [x, x + 1). */
static int
most_in_a_second(const double *t, int n)
{
	int most = 0;

	for (int i = 0, j = 0; i < n; i++) {
		while (t[i] - t[j] >= 1)
			j++;
		if (i - j + 1 > most)
			most = i - j + 1;
	}
	return most;
}

static void
test_spacing(void)
{
	struct rate r;
	double t[200], sent;

	for (int max = 1; max <= 50; max += 7) {
		fake_rate(&r, max);
		for (int i = 0; i < 200; i++) {
			CHECK_INT(rate_take(&r, 0, &t[i]), 0);
			CHECK_DBL(t[i], fake_clock);
		}
		/* Never more than max in a sliding second, and not far under. */
		CHECK(most_in_a_second(t, 200) <= max);
		CHECK(most_in_a_second(t, 200) >= max * 9 / 10 - 1);
		/* (each turn may overshoot by the shortest sleep, 1 ms) */
		CHECK(t[199] - t[0] <= 199 * (RATE_SLACK / max + 0.001));
	}
	/* No budget: no wait at all. */
	fake_rate(&r, 0);
	for (int i = 0; i < 5; i++)
		CHECK_INT(rate_take(&r, 0, &sent), 0);
	CHECK_DBL(fake_clock, 1000);
	CHECK_DBL(rate_current(&r), 0);
}

static void
test_adapt(void)
{
	struct rate r;
	double sent, first;

	fake_rate(&r, 10);
	CHECK_INT(rate_take(&r, 0, &first), 0);
	rate_throttled(&r, first);
	CHECK_DBL(rate_current(&r), 5);
	/* An answer to a call sent before the cut: no second cut. */
	rate_throttled(&r, first);
	CHECK_DBL(rate_current(&r), 5);
	CHECK_INT(r.throttled, 2);
	/* Sent after it, at the lower rate: cut again, down to the floor. */
	for (int i = 0; i < 10; i++) {
		fake_clock += 0.01;
		CHECK_INT(rate_take(&r, 0, &sent), 0);
		rate_throttled(&r, sent);
	}
	CHECK_DBL(rate_current(&r), RATE_FLOOR);
	/* Spaced at the floor's rate now. */
	CHECK_INT(rate_take(&r, 0, &first), 0);
	CHECK_INT(rate_take(&r, 0, &sent), 0);
	CHECK(sent - first >= RATE_SLACK / RATE_FLOOR - 1e-9);
	/* Quiet: a tenth of the budget a second, back to it, no further. */
	fake_clock += RATE_QUIET;
	for (int i = 0; i < 40; i++) {
		fake_clock += RATE_CLIMB_EVERY;
		CHECK_INT(rate_take(&r, 0, &sent), 0);
	}
	CHECK_DBL(rate_current(&r), 10);
}

static void
test_deadline(void)
{
	struct rate r;
	double sent;

	fake_rate(&r, 1);
	CHECK_INT(rate_take(&r, 0, &sent), 0);
	/* The next turn is 1.1 s away; a deadline in 0.5 s comes first. */
	CHECK_INT(rate_take(&r, fake_clock + 0.5, &sent), 1);
	CHECK_DBL(fake_clock, 1000.5);
	/* The turn given up is not waited for by the next one. */
	CHECK_INT(rate_take(&r, 0, &sent), 0);
	CHECK(sent >= 1000 + RATE_SLACK - 1e-9 && sent < 1000 + RATE_SLACK + 0.01);
	CHECK_INT(r.head, r.tail);
	CHECK_INT(r.ngone, 0);
}

static void
test_backoff(void)
{
	/* From the base up to base * 2^streak, capped at 60 s. */
	CHECK_DBL(backoff_delay(1, 1, 0, 0), 1);
	CHECK_DBL(backoff_delay(1, 1, 0, 0.5), 1.5);
	CHECK(backoff_delay(1, 1, 0, 0.999999) < 2);
	CHECK_DBL(backoff_delay(3, 1, 0, 0.5), 4.5);
	CHECK(backoff_delay(30, 1, 0, 0.999999) <= BACKOFF_CAP);
	CHECK(backoff_delay(30, 1, 0, 0.999999) > BACKOFF_CAP - 0.001);
	CHECK_DBL(backoff_delay(1000, 10, 0, 0), 10);
	/* A base over the cap is the cap. */
	CHECK_DBL(backoff_delay(2, 600, 0, 0.5), BACKOFF_CAP);
	/* --poll-interval 0: a small base all the same. */
	CHECK_DBL(backoff_delay(1, 0, 0, 0), BACKOFF_MIN_BASE);
	/* Never less than the retry-after, which is capped too. */
	CHECK_DBL(backoff_delay(1, 1, 7.5, 0.2), 7.5);
	CHECK_DBL(backoff_delay(1, 1, 0.2, 0.2), 1.2);
	CHECK_DBL(backoff_delay(1, 1, 900, 0), BACKOFF_CAP);
	for (int s = 1; s < 12; s++)
		for (double u = 0; u < 1; u += 0.125) {
			double v = backoff_delay(s, 0.5, 0, u);

			CHECK(v >= 0.5 && v <= BACKOFF_CAP);
		}
}

/* Classifies a failed command's stderr. */
static void
throttled(const char *err, int status, bool want, double retry_after,
    int line)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;

	aliyun_classify(&r, status, "", 0, err, strlen(err), true);
	if (!test_check_int(r.throttled, want, __FILE__, line, "throttled") ||
	    !test_check_dbl(r.retry_after, retry_after, __FILE__, line,
	    "retry_after"))
		return (void)aliyun_reply_release(&r);
	CHECK_INT(r.kind, API_TRANSIENT);
	aliyun_reply_release(&r);
}

#define THROTTLED(err, st, want, ra) throttled((err), (st), (want), (ra), __LINE__)

static void
test_throttling_forms(void)
{
	/* The plugin's TEA block, each code. */
	THROTTLED("SDKError:\n   StatusCode: 429\n   Code: Throttling.User\n"
	    "   Message: code: 429, Request was denied due to user flow control."
	    " request id: R1\n", 1, true, 0);
	THROTTLED("SDKError:\n   StatusCode: 400\n   Code: Throttling.Api\n",
	    1, true, 0);
	THROTTLED("SDKError:\n   StatusCode: 400\n   Code: Throttling\n", 1,
	    true, 0);
	THROTTLED("SDKError:\n   StatusCode: 503\n   Code: ServiceUnavailable\n",
	    1, true, 0);
	/* HTTP 503 or 429 alone. */
	THROTTLED("SDKError:\n   StatusCode: 503\n   Code: Sysom.GatewayError\n",
	    1, true, 0);
	THROTTLED("SDKError:\n   StatusCode: 429\n   Code: TooManyRequests\n",
	    1, true, 0);
	/* The server form, with the header in milliseconds. */
	THROTTLED("ERROR: SDK.ServerError\nErrorCode: Throttling.User\n"
	    "RequestId: R2\nMessage: Request was denied due to user flow "
	    "control.\nRespHeaders: map[Content-Length:[305] X-Acs-Request-Id:"
	    "[R2] X-Acs-Retry-After:[1500] X-Acs-Trace-Id:[0b8f]]\n", 1, true,
	    1.5);
	THROTTLED("ERROR: SDK.ServerError\nErrorCode: ServiceUnavailable\n"
	    "RequestId: R3\nMessage: The request has failed due to a temporary "
	    "failure of the server.\n", 1, true, 0);
	/* Both envelopes. */
	THROTTLED("{\"ok\":false,\"category\":\"THROTTLING_ERROR\",\"code\":"
	    "\"Throttling.User\",\"message\":\"slow down\",\"retryable\":true,"
	    "\"requestId\":\"R4\"}\n", 5, true, 0);
	THROTTLED("{\"ok\":false,\"category\":\"THROTTLING_ERROR\",\"message\":"
	    "\"slow down\"}\n", 5, true, 0);
	THROTTLED("{\"message\":\"slow down\",\"code\":\"Throttling.User\","
	    "\"request_id\":\"R5\",\"http_status\":429,\"retryable\":true}\n",
	    2, true, 0);
	THROTTLED("{\"message\":\"busy\",\"code\":\"Sysom.Busy\",\"request_id\":"
	    "\"R6\",\"http_status\":503}\n", 2, true, 0);
	/* Other transient failures are not throttling. */
	THROTTLED("SDKError:\n   StatusCode: 500\n   Code: InternalError\n", 1,
	    false, 0);
	THROTTLED("ERROR: Post \"https://sysom.cn-hangzhou.aliyuncs.com/\": "
	    "dial tcp: i/o timeout\n", 1, false, 0);
	/* Nor is access denied, even with 429 around. */
	{
		struct aliyun_reply r = ALIYUN_REPLY_INIT;
		const char *e = "SDKError:\n   StatusCode: 403\n   Code: "
		    "Forbidden.RAM\n";

		aliyun_classify(&r, 1, "", 0, e, strlen(e), true);
		CHECK_INT(r.kind, API_ACCESS);
		CHECK(!r.throttled);
		aliyun_reply_release(&r);
	}
}

void
test_rate(void)
{
	test_spacing();
	test_adapt();
	test_deadline();
	test_backoff();
	test_throttling_forms();
}
