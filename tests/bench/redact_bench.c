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

int
main(void)
{
	redact_add_secret_pair("LTAI5tXq9RvB3nKw8ZpYm2Lc",
	    "wQ7vZr2KpX9mB4nT6yH1cJ8dF3sL5g");
	redact_add_secret("CAIS8x7Ud2VfQm9KzPL4c1Rt5yWn3HbGAJ0eXoTkMsl6Bi/rEq+NvYpa");
	printf("redact benchmark: 3 secrets registered, best of %d runs\n", RUNS);
	bench(PLAIN);
	bench(KEYS);
	bench(CJK);
	return 0;
}
