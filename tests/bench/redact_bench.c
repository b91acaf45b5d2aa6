/*
 * make bench-redact: the masking and redaction of a 20 MB engine result,
 * timed.  Builds three documents of 50,000 issues each (every issue an
 * object with item, subsystem, severity, title, a detail sentence holding
 * ':' and '=', and a metrics object of three numbers), printed as cJSON
 * prints them:
 *
 *   plain  the issues as SysOM writes them;
 *   keys   full of key-like words: token, secret and Signature in prose and
 *          as keys (so some values are masked), SignatureMethod, max_tokens;
 *   cjk    Chinese text and emoji in every string.
 *
 * With three secrets registered (an AccessKey pair and an STS token), it
 * prints for each document the best of five runs of redact_mask() and
 * redact() over the text, and of redact_tree() over the parsed tree (the
 * parse is not timed), in milliseconds and MB/s.
 *
 * Then adversarial inputs, each one short piece repeated (or, for
 * "x...x:", one long word and a separator): text made to make a scan run
 * far, read back far or start over.  redact_mask() and redact() are timed
 * over 2 MB and over 8 MB of each (best of five, in CPU time); the time
 * for 8 MB should be about four times the time for 2 MB.  Each line gives
 * the MB/s at 8 MB, the ratio of the times (a ratio over 5 is measured
 * again, up to three times, and the lowest kept), and LINEAR when both
 * ratios are at most 5, else NOT LINEAR.  A quick look at 128 KB and
 * 512 KB comes first, so that a quadratic case is reported, not waited
 * for.  "redact_bench adversarial" runs only these.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "msg.h"
#include "redact.h"

#define ISSUES 50000
#define RUNS 5

enum shape { PLAIN, KEYS, CJK };

static const char *const shape_names[] = { "plain", "keys", "cjk" };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
add_str(cJSON *o, const char *k, const char *v)
{
	if (cJSON_AddStringToObject(o, k, v) == NULL)
		die("out of memory");
}

static void
add_num(cJSON *o, const char *k, double v)
{
	if (cJSON_AddNumberToObject(o, k, v) == NULL)
		die("out of memory");
}

/* One issue of the given shape, about 400 bytes printed. */
static cJSON *
issue(enum shape sh, int i)
{
	static const char *const sev[] = { "Info", "Warn", "Critical" };
	static const char *const sub[] = { "gpu", "memory", "network", "disk",
		"kernel", "scheduler" };
	cJSON *o = cJSON_CreateObject(), *m;
	char item[64], title[256], detail[512];

	snprintf(item, sizeof(item), "check_%05d", i);
	switch (sh) {
	case PLAIN:
		snprintf(title, sizeof(title), "GPU %d reported %d Xid errors in "
		    "the last hour on node cn-hangzhou-%d", i % 8, i % 13, i);
		snprintf(detail, sizeof(detail), "Reason: the driver reset the "
		    "device after ECC errors; threshold=%d, observed=%d, "
		    "window=3600s. Action: drain the node, run nvidia-smi -q "
		    "and compare with baseline: expected=0 uncorrectable.",
		    i % 5, i % 7);
		break;
	case KEYS:
		snprintf(title, sizeof(title), "Signature mismatch and token "
		    "refresh: the secret rotation of service %d", i);
		snprintf(detail, sizeof(detail), "The security token expired; "
		    "SignatureMethod=HMAC-SHA1, max_tokens: 4096, the secret "
		    "manager said: rotate soon, retries=%d, Signature of the "
		    "model=%08x, token budget: %d, next: retry in 30s.",
		    i % 4, i * 2654435761U, i % 1000);
		break;
	case CJK:
		snprintf(title, sizeof(title), "显存不足导致推理服务重启 %d 次 "
		    "\xf0\x9f\x94\xa5 节点 cn-hangzhou-%d", i % 9, i);
		snprintf(detail, sizeof(detail), "原因：模型加载时显存占用超过 "
		    "阈值=%d%%，观察值=%d%%；建议：减小批大小或升级规格 "
		    "\xe2\x9c\x85 参考：文档=显存优化 \xf0\x9f\x9a\x80 "
		    "时间窗口=3600秒。", 90 + i % 5, 95 + i % 5);
		break;
	}
	add_str(o, "item", item);
	add_str(o, "subsystem", sub[i % 6]);
	add_str(o, "severity", sev[i % 3]);
	add_str(o, "title", title);
	add_str(o, "detail", detail);
	if (sh == KEYS) {
		add_str(o, "token", "tk-0123456789abcdef");
		add_str(o, "SignatureMethod", "HMAC-SHA1");
		add_num(o, "max_tokens", 4096);
	}
	m = cJSON_AddObjectToObject(o, "metrics");
	if (m == NULL)
		die("out of memory");
	add_num(m, "usage", (double)(i % 100) / 3);
	add_num(m, "errors", i % 17);
	add_num(m, "latency_ms", 12.5 + i % 40);
	return o;
}

/* The document's text; owned (cJSON_free). */
static char *
document(enum shape sh)
{
	cJSON *doc = cJSON_CreateObject(), *arr, *sum;
	char *text;

	sum = cJSON_AddObjectToObject(doc, "summary");
	add_str(sum, "overall_status", "Warn");
	add_str(sum, "root_cause", sh == CJK ? "显存不足" : "GPU memory exhausted");
	arr = cJSON_AddArrayToObject(doc, "issues");
	if (sum == NULL || arr == NULL)
		die("out of memory");
	for (int i = 0; i < ISSUES; i++)
		if (!cJSON_AddItemToArray(arr, issue(sh, i)))
			die("out of memory");
	text = cJSON_Print(doc);
	if (text == NULL)
		die("out of memory");
	cJSON_Delete(doc);
	return text;
}

static void
report(const char *what, double secs, size_t bytes)
{
	printf("  %-12s %8.1f ms %8.0f MB/s\n", what, secs * 1e3,
	    (double)bytes / 1e6 / secs);
}

static void
bench(enum shape sh)
{
	char *text = document(sh);
	size_t len = strlen(text), changed = 0;
	double best_mask = 1e9, best_redact = 1e9, best_tree = 1e9;

	for (int r = 0; r < RUNS; r++) {
		struct buf b = BUF_INIT;
		cJSON *tree = cJSON_Parse(text);
		double t0;
		char *out;

		if (tree == NULL)
			die("the benchmark document does not parse");
		t0 = now();
		redact_mask(&b, text, len);
		if (now() - t0 < best_mask)
			best_mask = now() - t0;
		changed = b.len != len || memcmp(b.data, text, len) != 0;
		buf_release(&b);

		t0 = now();
		out = redact(text, len);
		if (now() - t0 < best_redact)
			best_redact = now() - t0;
		free(out);

		t0 = now();
		redact_tree(tree);
		if (now() - t0 < best_tree)
			best_tree = now() - t0;
		cJSON_Delete(tree);
	}
	printf("%s: %.1f MB, %d issues, masking %s it\n", shape_names[sh],
	    (double)len / 1e6, ISSUES, changed ? "changes" : "leaves");
	report("redact_mask", best_mask, len);
	report("redact", best_redact, len);
	report("redact_tree", best_tree, len);
	cJSON_free(text);
}

/* The adversarial inputs: a piece to repeat, or "x" then what follows. */
static const struct {
	const char *name, *piece;
	size_t n;		/* bytes of piece (it may hold a NUL) */
	bool tail;		/* x...x then piece, once */
} adv[] = {
#define P(name, s) { name, s, sizeof(s) - 1, false }
	P("a:", "a:"),
	P("token:", "token:"),
	{ "x...x:", ":", 1, true },
	{ "x...xtoken:", "token:", 6, true },
	P("\"a\":\"", "\"a\":\""),
	P("STS.", "STS."),
	P("LTAI", "LTAI"),
	P("\\u00", "\\u00"),
	P("%3D", "%3D"),
	P("<token>", "<token>"),
	P("<token a=", "<token a="),
	P("password=x ", "password=x "),
	P(":=", ":="),
	P("\xc3\xa9 (e-acute)", "\xc3\xa9"),
	P("ESC [", "\x1b["),
	P("\"token\": \"", "\"token\": \""),
	P("\\\"token\\\":[", "\\\"token\\\":["),
	P("{\"token\":[", "{\"token\":["),
	P("token='\" ", "token='\" "),
	P("\\n ", "\n "),
	P("\\r\\n\\t", "\r\n\t"),
	P("\" ", "\" "),
	P("x>", "x>"),
	P("\\u003e", "\\u003e"),
	P("sk=", "sk="),
	P("Authorization: ", "Authorization: "),
#undef P
};

/* size bytes of input k; owned. */
static char *
adv_text(size_t k, size_t size)
{
	char *s = malloc(size);
	size_t i = 0;

	if (s == NULL)
		die("out of memory");
	if (adv[k].tail) {
		memset(s, 'x', size - adv[k].n);
		memcpy(s + size - adv[k].n, adv[k].piece, adv[k].n);
		return s;
	}
	for (; i + adv[k].n <= size; i += adv[k].n)
		memcpy(s + i, adv[k].piece, adv[k].n);
	memset(s + i, ' ', size - i);
	return s;
}

/* CPU seconds of this thread: the machine may be busy with more. */
static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Best of five of redact_mask() (what 0) or redact() (1) over s. */
static double
adv_time(const char *s, size_t size, int what)
{
	double best = 1e9;

	for (int r = 0; r < 5; r++) {
		struct buf b = BUF_INIT;
		double t0 = cpu_now(), t;

		if (what == 0)
			redact_mask(&b, s, size);
		else
			free(redact(s, size));
		t = cpu_now() - t0;
		buf_release(&b);
		if (t < best)
			best = t;
	}
	return best;
}

/* The times over small and big bytes of input k; false when small ones are
 * already far from linear. */
static bool
adv_pair(size_t k, size_t small, size_t big, double t[2][2])
{
	char *a = adv_text(k, small), *b = adv_text(k, big);
	bool ok = true;

	for (int w = 0; w < 2 && ok; w++) {
		t[w][0] = adv_time(a, small, w);
		t[w][1] = adv_time(b, big, w);
		if (t[w][1] > 0.05 && t[w][1] / t[w][0] > 8)
			ok = false;
	}
	free(a);
	free(b);
	return ok;
}

static void
adversarial(void)
{
	const size_t small = 2000000, big = 8000000;

	printf("\nadversarial inputs: best of 5 (CPU time) over %.0f MB and "
	    "%.0f MB\n",
	    small / 1e6, big / 1e6);
	printf("  %-18s %22s %22s  %s\n", "input", "redact_mask",
	    "redact", "verdict");
	printf("  %-18s %7s %6s %7s %7s %6s %7s\n", "", "ms 8MB", "MB/s",
	    "ratio", "ms 8MB", "MB/s", "ratio");
	for (size_t k = 0; k < sizeof(adv) / sizeof(adv[0]); k++) {
		double t[2][2] = { { 1, 0 }, { 1, 0 } }, rm, rr;

		if (!adv_pair(k, 128000, 512000, t)) {
			printf("  %-18s NOT LINEAR already at 128 KB -> 512 KB: "
			    "redact_mask x%.1f, redact x%.1f\n", adv[k].name,
			    t[0][1] / t[0][0], t[1][0] > 0 ? t[1][1] / t[1][0] : 0);
			continue;
		}
		/*
		 * Another program on the machine can only make a ratio look
		 * worse now and then; a superlinear scan stays above 5.  So a
		 * ratio over 5 is measured twice more, the lowest kept.
		 */
		rm = rr = 1e9;
		for (int tries = 0; tries < 3 && (rm > 5 || rr > 5); tries++) {
			adv_pair(k, small, big, t);
			if (t[0][1] / t[0][0] < rm)
				rm = t[0][1] / t[0][0];
			if (t[1][1] / t[1][0] < rr)
				rr = t[1][1] / t[1][0];
		}
		printf("  %-18s %7.1f %6.0f %7.2f %7.1f %6.0f %7.2f  %s\n",
		    adv[k].name, t[0][1] * 1e3, big / 1e6 / t[0][1], rm,
		    t[1][1] * 1e3, big / 1e6 / t[1][1], rr,
		    rm <= 5 && rr <= 5 ? "LINEAR" : "NOT LINEAR");
	}
}

int
main(int argc, char **argv)
{
	redact_add_secret_pair("LTAI5tXq9RvB3nKw8ZpYm2Lc",
	    "wQ7vZr2KpX9mB4nT6yH1cJ8dF3sL5g");
	redact_add_secret("CAIS8x7Ud2VfQm9KzPL4c1Rt5yWn3HbGAJ0eXoTkMsl6Bi/rEq+NvYpa");
	/* "redact_bench adversarial": only those. */
	if (argc < 2 || strcmp(argv[1], "adversarial") != 0) {
		printf("redact benchmark: 3 secrets registered, best of %d "
		    "runs\n", RUNS);
		bench(PLAIN);
		bench(KEYS);
		bench(CJK);
	}
	adversarial();
	return 0;
}
