/*
 * The simulated API rate limit (scenario "throttle") and the log of
 * business calls (ALIYUN_SIM_CALLTIMES).  A business command that would
 * send its request first asks call_admit(): all simulator processes share
 * one sliding one-second window, the CLOCK_REALTIME times of the calls
 * admitted so far, kept in the state directory under the state lock; a
 * call beyond per_second in any one second gets the throttling error of
 * the scenario's form instead of running, and does not advance the task.
 *
 * The form says who answers.  "plugin" is the plugin's TEA error block;
 * the response header x-acs-retry-after is not part of it.  "server",
 * "envelope" and "envelope2" are the host's own SDK path, which since
 * 3.4.9 retries an error that carries x-acs-retry-after (milliseconds) up
 * to 3 times, waiting min(header, 60 s) each time, silently unless the
 * log level is INFO (openapi/throttling_retry.go); each retry is a new
 * call, admitted or throttled like any other.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>

#include "sim.h"

#define WINDOW_FILE	"throttle"
#define WINDOW_US	1000000LL

/* The host's retry settings: sysconfig/throttlingretry, env over file. */
struct retry_cfg {
	int		 enabled;
	long		 max_attempts;
	long long	 max_delay_ms;
};

/* The call's line of ALIYUN_SIM_CALLTIMES: time, verdict, argv. */
static void
log_call(const struct sim *s, long long now_us, int admitted)
{
	struct sbuf line = SBUF_INIT;
	const char *path = getenv("ALIYUN_SIM_CALLTIMES");

	if (path == NULL || path[0] == '\0')
		return;
	sbuf_addf(&line, "%lld.%06lld %s ", now_us / WINDOW_US,
	    now_us % WINDOW_US, admitted ? "ok" : "throttled");
	argv_quoted(s, &line);
	sbuf_addc(&line, '\n');
	log_append("ALIYUN_SIM_CALLTIMES", &line);
	sbuf_release(&line);
}

static long long
realtime_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		die("clock_gettime: %s", strerror(errno));
	return (long long)ts.tv_sec * WINDOW_US + ts.tv_nsec / 1000;
}

/*
 * Take a place in the window: under the state lock, admit the call when
 * fewer than per_second calls were admitted in the last second (times
 * later than now - 1 s, to the microsecond), and remember it.  The window
 * file holds the last per_second admitted times, one a line.  Returns 1
 * when admitted.
 */
static int
take_slot(const struct sim *s)
{
	const long per = s->sc.throttle.per_second;
	struct sbuf text = SBUF_INIT, out = SBUF_INIT;
	long long now, *times, t;
	long n = 0, in_window = 0, i, first;
	char *path, *p, *end;
	int fd, admitted;

	fd = state_lock_fd(s);
	path = path_join(s->state_dir, WINDOW_FILE);
	times = xcalloc((size_t)per + 1, sizeof(*times));
	if (read_file(path, &text) == 0) {
		for (p = text.buf; *p != '\0' && n < per; p = end) {
			t = strtoll(p, &end, 10);
			if (end == p)
				break;
			times[n++] = t;
			end += strspn(end, "\n");
		}
	}
	now = realtime_us();
	for (i = 0; i < n; i++)
		if (times[i] > now - WINDOW_US)
			in_window++;
	admitted = in_window < per;
	if (admitted) {
		times[n++] = now;
		first = n > per ? n - per : 0;
		for (i = first; i < n; i++)
			sbuf_addf(&out, "%lld\n", times[i]);
		if (write_file_atomic(path, out.buf, out.len) == -1)
			die("cannot write '%s': %s", path, strerror(errno));
	}
	log_call(s, now, admitted);
	state_unlock_fd(fd);
	free(times);
	free(path);
	sbuf_release(&text);
	sbuf_release(&out);
	return admitted;
}

/* Go's strconv.ParseBool. */
static int
parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true",
	    "True", NULL };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false",
	    "False", NULL };
	size_t i;

	for (i = 0; yes[i] != NULL; i++)
		if (strcmp(v, yes[i]) == 0)
			return *out = 1, 0;
	for (i = 0; no[i] != NULL; i++)
		if (strcmp(v, no[i]) == 0)
			return *out = 0, 0;
	return -1;
}

/* A positive integer of the environment, trimmed, or 0. */
static long long
env_positive(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long long n;

	if (v == NULL)
		return 0;
	v += strspn(v, " \t\r\n");
	errno = 0;
	n = strtoll(v, &end, 10);
	end += strspn(end, " \t\r\n");
	return errno == 0 && end != v && *end == '\0' && n > 0 ? n : 0;
}

/*
 * The effective retry settings: $HOME/.aliyun/throttling-retry.json
 * ({"enabled", "max_attempts", "max_delay_ms"}; unreadable or mistyped:
 * ignored), then ALIBABA_CLOUD_THROTTLING_RETRY_{ENABLED,MAX_ATTEMPTS,
 * MAX_DELAY_MS}; then the defaults: on, 3 attempts, 60000 ms.
 */
static void
retry_config(const struct sim *s, struct retry_cfg *rc)
{
	struct sbuf text = SBUF_INIT;
	const cJSON *j;
	cJSON *root = NULL;
	char *dir, *path;
	const char *v;
	int b;

	rc->enabled = 1;
	rc->max_attempts = 0;
	rc->max_delay_ms = 0;
	dir = path_join(s->home, ".aliyun");
	path = path_join(dir, "throttling-retry.json");
	if (read_file(path, &text) == 0)
		root = cJSON_ParseWithLength(text.buf, text.len);
	if (cJSON_IsObject(root)) {
		j = cJSON_GetObjectItemCaseSensitive(root, "enabled");
		if (cJSON_IsBool(j))
			rc->enabled = cJSON_IsTrue(j);
		j = cJSON_GetObjectItemCaseSensitive(root, "max_attempts");
		if (cJSON_IsNumber(j) && j->valuedouble > 0)
			rc->max_attempts = (long)j->valuedouble;
		j = cJSON_GetObjectItemCaseSensitive(root, "max_delay_ms");
		if (cJSON_IsNumber(j) && j->valuedouble > 0)
			rc->max_delay_ms = (long long)j->valuedouble;
	}
	cJSON_Delete(root);
	v = getenv("ALIBABA_CLOUD_THROTTLING_RETRY_ENABLED");
	if (v != NULL) {
		struct sbuf t = SBUF_INIT;
		size_t len;

		v += strspn(v, " \t\r\n");
		sbuf_adds(&t, v);
		for (len = t.len; len > 0 && strchr(" \t\r\n", t.buf[len - 1]);
		    len--)
			t.buf[len - 1] = '\0';
		if (parse_bool(t.buf, &b) == 0)
			rc->enabled = b;
		sbuf_release(&t);
	}
	if (env_positive("ALIBABA_CLOUD_THROTTLING_RETRY_MAX_ATTEMPTS") > 0)
		rc->max_attempts = (long)env_positive(
		    "ALIBABA_CLOUD_THROTTLING_RETRY_MAX_ATTEMPTS");
	if (env_positive("ALIBABA_CLOUD_THROTTLING_RETRY_MAX_DELAY_MS") > 0)
		rc->max_delay_ms = env_positive(
		    "ALIBABA_CLOUD_THROTTLING_RETRY_MAX_DELAY_MS");
	if (rc->max_attempts <= 0)
		rc->max_attempts = 3;
	if (rc->max_delay_ms <= 0)
		rc->max_delay_ms = 60000;
	free(dir);
	free(path);
	sbuf_release(&text);
}

/* Whether the host logs at INFO or below (ALIBABA_CLOUD_CLI_LOG_CONFIG). */
static int
log_info(void)
{
	const char *v = getenv("ALIBABA_CLOUD_CLI_LOG_CONFIG");
	char b[16];
	size_t n;

	if (v == NULL)
		return 0;
	v += strspn(v, " \t\r\n");
	n = strcspn(v, " \t\r\n");
	if (n >= sizeof(b))
		return 0;
	memcpy(b, v, n);
	b[n] = '\0';
	return strcasecmp(b, "DEBUG") == 0 || strcasecmp(b, "INFO") == 0;
}

/* The throttling error of the scenario, in its form; returns the exit. */
static int
throttle_error(const struct sim *s, const char *product, const char *sub,
    const char *region, long long retry_ms)
{
	static const char rid[] = "0C1D2E3F-4A5B-4C6D-8E7F-901A2B3C4D5E";
	struct sbuf host = SBUF_INIT;
	struct api_error e;
	cJSON *body;
	int rc;

	sbuf_addf(&host, "%s.%s.aliyuncs.com", product_host(product), region);
	body = api_error_body(s->sc.throttle.code, "Request was denied due to "
	    "user flow control.", rid, host.buf,
	    strcmp(product, "sysom") == 0 ? "SysOM" : product);
	memset(&e, 0, sizeof(e));
	e.form = s->sc.throttle.form;
	e.http = 429;
	e.body = body;
	e.product = product;
	e.sub = sub;
	e.region = region;
	e.retry_after_ms = retry_ms;
	e.throttled = 1;
	rc = api_error_emit(s, &e);
	cJSON_Delete(body);
	sbuf_release(&host);
	return rc;
}

/*
 * A business call is about to be sent.  Returns -1 when it may go on (and
 * then every later call of this run does too), else the exit code after
 * answering the throttling error.  Without a throttle in the scenario,
 * only logs the call.
 */
int
call_admit(struct sim *s, const char *product, const char *sub,
    const char *region)
{
	const struct throttle *th = &s->sc.throttle;
	struct retry_cfg cfg = { 0, 0, 0 };
	long long retry_ms = -1, delay;
	long attempt, retries = 0;
	int info = log_info();

	if (s->call_admitted)
		return -1;
	if (th->per_second == 0) {
		log_call(s, realtime_us(), 1);
		s->call_admitted = 1;
		return -1;
	}
	if (th->has_retry_after) {
		/* non-negative: round half up without libm */
		retry_ms = (long long)(th->retry_after * 1000 + 0.5);
		retry_config(s, &cfg);
		if (th->form != FORM_PLUGIN && cfg.enabled)
			retries = cfg.max_attempts;
	}
	for (attempt = 0;; attempt++) {
		if (take_slot(s)) {
			s->call_admitted = 1;
			return -1;
		}
		debug_dump(s, product, sub, region, 429);
		if (attempt >= retries)
			break;
		delay = retry_ms < cfg.max_delay_ms ? retry_ms :
		    cfg.max_delay_ms;
		if (info)
			out_printf(2, "aliyun: throttling, retrying in %lldms "
			    "(attempt %ld/%ld)\n", delay, attempt + 1, retries);
		sleep_ms((long)delay);
	}
	if (retries > 0 && info)
		out_printf(2, "aliyun: still throttled after %ld attempts, "
		    "giving up\n", retries);
	return throttle_error(s, product, sub, region, retry_ms);
}
