/*
 * params: validation of every value that reaches an aliyun argv or the
 * params JSON, product inference, the three TIME forms, durations, decimal
 * seconds, ocd_description, the past-time hint, version comparison and the
 * exact params JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "params.h"
#include "test.h"

static char err[512];

/* A string of n copies of c; owned. */
static char *
repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	if (s == NULL)
		abort();
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Checks that fn rejects s with a non-empty, printable error. */
#define REJECTS(fn, s) do { \
	err[0] = '\0'; \
	CHECK_INT(fn((s), err, sizeof(err)), -1); \
	CHECK(err[0] != '\0'); \
	CHECK_LACKS(err, "\033"); \
	CHECK_LACKS(err, "\n"); \
} while (0)
#define ACCEPTS(fn, s) do { \
	err[0] = '\0'; \
	CHECK_INT(fn((s), err, sizeof(err)), 0); \
	CHECK_STR(err, ""); \
} while (0)

static void
test_region(void)
{
	char *longv = repeat('a', 300);

	ACCEPTS(check_region, "cn-hangzhou");
	ACCEPTS(check_region, "cn-beijing");
	ACCEPTS(check_region, "ap-southeast-1");
	ACCEPTS(check_region, "us-east-1");

	REJECTS(check_region, "");
	REJECTS(check_region, "cn-hangzhou;rm -rf /");
	REJECTS(check_region, "cn-hangzhou&&id");
	REJECTS(check_region, "cn-$(id)");
	REJECTS(check_region, "`id`");
	REJECTS(check_region, "cn|id");
	REJECTS(check_region, "cn>x");
	REJECTS(check_region, "-cn-hangzhou");
	REJECTS(check_region, "--profile");
	REJECTS(check_region, "region=cn-hangzhou");
	REJECTS(check_region, "cn hangzhou");
	REJECTS(check_region, " cn-hangzhou");
	REJECTS(check_region, "cn-hangzhou\n");
	REJECTS(check_region, "cn-hangzhou\t");
	REJECTS(check_region, "cn-hangzhou\033[31m");
	REJECTS(check_region, longv);
	REJECTS(check_region, "cn-\xe6\x9d\xad\xe5\xb7\x9e");	/* cn-杭州 */
	REJECTS(check_region, "cn-hangzhou\xff");
	REJECTS(check_region, "CN-Hangzhou");
	REJECTS(check_region, "cn-Hangzhou");
	REJECTS(check_region, "cn_hangzhou");
	REJECTS(check_region, "cn.hangzhou");
	REJECTS(check_region, "cn/hangzhou");

	/* The message names what is wrong. */
	check_region("-cn", err, sizeof(err));
	CHECK_HAS(err, "'-'");
	check_region("cn;x", err, sizeof(err));
	CHECK_HAS(err, "';'");
	check_region("CN-Hangzhou", err, sizeof(err));
	CHECK_HAS(err, "lower case");
	free(longv);
}

static void
test_instance(void)
{
	char *longv = repeat('a', 257);

	ACCEPTS(check_instance_id, "eas-m-bp79exq2lzbd0ctdfu");
	ACCEPTS(check_instance_id, "dlcabc123def456");
	ACCEPTS(check_instance_id, "dlc1a2b3c4d5e6f");
	ACCEPTS(check_instance_id, "My_Service-01");

	REJECTS(check_instance_id, "");
	REJECTS(check_instance_id, "-rf");
	REJECTS(check_instance_id, "--user-agent");
	REJECTS(check_instance_id, "-");
	REJECTS(check_instance_id, "eas-m-x;id");
	REJECTS(check_instance_id, "eas-m-x && id");
	REJECTS(check_instance_id, "$(id)");
	REJECTS(check_instance_id, "eas-m-`id`");
	REJECTS(check_instance_id, "eas-m-x'");
	REJECTS(check_instance_id, "eas-m-x\"");
	REJECTS(check_instance_id, "eas m");
	REJECTS(check_instance_id, "instance=eas-m-x");
	REJECTS(check_instance_id, "eas-m-x\n");
	REJECTS(check_instance_id, "\teas-m-x");
	REJECTS(check_instance_id, "eas/../x");
	REJECTS(check_instance_id, "eas.m.x");
	REJECTS(check_instance_id, longv);
	REJECTS(check_instance_id, "eas-m-\xc3\xa9");		/* é */
	REJECTS(check_instance_id, "eas-m-\xe6\x98\xbe");	/* 显 */
	REJECTS(check_instance_id, "eas-m-\x01");

	check_instance_id("eas-m-x;id", err, sizeof(err));
	CHECK_HAS(err, "';'");
	/* A control character is named, never echoed raw. */
	check_instance_id("eas\x1b[2J", err, sizeof(err));
	CHECK_LACKS(err, "\x1b");
	free(longv);
}

static void
test_task(void)
{
	char *max = repeat('a', 64), *over = repeat('a', 65);
	char *longv = repeat('Z', 300);

	ACCEPTS(check_task_id, "Vq7mZ2xK");
	ACCEPTS(check_task_id, "ihqhAcrt");
	ACCEPTS(check_task_id, "a-b_c");
	ACCEPTS(check_task_id, max);

	REJECTS(check_task_id, over);
	REJECTS(check_task_id, longv);
	REJECTS(check_task_id, "");
	REJECTS(check_task_id, "-x");
	REJECTS(check_task_id, "--task-id");
	REJECTS(check_task_id, "Vq7m Z2xK");
	REJECTS(check_task_id, "Vq7m;Z2xK");
	REJECTS(check_task_id, "ocd(Vq7mZ2xK)");
	REJECTS(check_task_id, "a=b");
	REJECTS(check_task_id, "Vq7m\nZ2xK");
	REJECTS(check_task_id, "Vq7m\xe2\x8f\xb3");
	REJECTS(check_task_id, "Vq7m.Z2xK");
	free(max);
	free(over);
	free(longv);
}

static void
test_uid(void)
{
	ACCEPTS(check_uid, "1");
	ACCEPTS(check_uid, "1234567890123456");
	ACCEPTS(check_uid, "12345678901234567");
	ACCEPTS(check_uid, "10000000000000000000");
	ACCEPTS(check_uid, "18446744073709551614");
	ACCEPTS(check_uid, "18446744073709551615");	/* 2^64 - 1 */

	REJECTS(check_uid, "");
	REJECTS(check_uid, "0");
	REJECTS(check_uid, "00");
	REJECTS(check_uid, "0123");
	REJECTS(check_uid, "18446744073709551616");	/* 2^64 */
	REJECTS(check_uid, "18446744073709551620");
	REJECTS(check_uid, "19000000000000000000");
	REJECTS(check_uid, "99999999999999999999");
	REJECTS(check_uid, "100000000000000000000");	/* 21 digits */
	REJECTS(check_uid, "123456789012345678901");
	REJECTS(check_uid, "-1");
	REJECTS(check_uid, "+1");
	REJECTS(check_uid, " 1");
	REJECTS(check_uid, "1 ");
	REJECTS(check_uid, "12a");
	REJECTS(check_uid, "1e5");
	REJECTS(check_uid, "0x10");
	REJECTS(check_uid, "1;id");
	REJECTS(check_uid, "\xef\xbc\x91");		/* fullwidth 1 */
}

static void
test_product(void)
{
	CHECK_INT(parse_product("EAS"), PRODUCT_EAS);
	CHECK_INT(parse_product("eas"), PRODUCT_EAS);
	CHECK_INT(parse_product("Eas"), PRODUCT_EAS);
	CHECK_INT(parse_product("DLC"), PRODUCT_DLC);
	CHECK_INT(parse_product("dlc"), PRODUCT_DLC);
	CHECK_INT(parse_product("dLc"), PRODUCT_DLC);
	CHECK_INT(parse_product(""), PRODUCT_NONE);
	CHECK_INT(parse_product("ECS"), PRODUCT_NONE);
	CHECK_INT(parse_product("EAS "), PRODUCT_NONE);
	CHECK_INT(parse_product("EASX"), PRODUCT_NONE);
	CHECK_INT(parse_product("DL"), PRODUCT_NONE);

	CHECK_INT(infer_product("eas-m-x"), PRODUCT_EAS);
	CHECK_INT(infer_product("eas-m-bp79exq2lzbd0ctdfu"), PRODUCT_EAS);
	CHECK_INT(infer_product("dlcabc"), PRODUCT_DLC);
	CHECK_INT(infer_product("dlc1a2b3c4d5e6f"), PRODUCT_DLC);
	CHECK_INT(infer_product("dlc-x"), PRODUCT_NONE);
	CHECK_INT(infer_product("dlc"), PRODUCT_NONE);
	CHECK_INT(infer_product("EAS-x"), PRODUCT_NONE);
	CHECK_INT(infer_product("DLCabc"), PRODUCT_NONE);
	CHECK_INT(infer_product("eas"), PRODUCT_NONE);
	CHECK_INT(infer_product("easy"), PRODUCT_NONE);
	CHECK_INT(infer_product("foo"), PRODUCT_NONE);
	CHECK_INT(infer_product("xdlcabc"), PRODUCT_NONE);
	CHECK_INT(infer_product(""), PRODUCT_NONE);

	CHECK_STR(product_name(PRODUCT_EAS), "EAS");
	CHECK_STR(product_name(PRODUCT_DLC), "DLC");
	CHECK_STR(product_name(PRODUCT_NONE), NULL);
}

/* parse_time of s must give want. */
static void
time_is(const char *s, int64_t want, int line)
{
	int64_t t = -12345;

	err[0] = '\0';
	if (!test_check_int(parse_time(s, &t, err, sizeof(err)), 0, __FILE__,
	    line, s))
		fprintf(stderr, "    (error: %s)\n", err);
	test_check_int(t, want, __FILE__, line, s);
}

static void
time_bad(const char *s, int line)
{
	int64_t t = -12345;

	err[0] = '\0';
	test_check_int(parse_time(s, &t, err, sizeof(err)), -1, __FILE__, line,
	    s);
	test_check(err[0] != '\0', __FILE__, line, "error message is set");
}

static void
test_time(void)
{
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();

	/* Unix seconds. */
	time_is("1787191200", 1787191200, __LINE__);
	time_is("1755655200", 1755655200, __LINE__);
	time_is("1", 1, __LINE__);

	/* Local time (UTC+8, no DST). */
	time_is("2026-08-20 10:00", 1787191200, __LINE__);
	time_is("2026-08-20 10:00:00", 1787191200, __LINE__);
	time_is("2026-08-20 10:00:59", 1787191259, __LINE__);
	time_is("2025-08-20 10:00", 1755655200, __LINE__);
	time_is("2026-08-20T10:00", 1787191200, __LINE__);
	time_is("2026-08-20T10:00:30", 1787191230, __LINE__);
	time_is("2024-02-29 00:00", 1709136000, __LINE__);
	time_is("2026-12-31 23:59:59", 1798732799, __LINE__);

	/* ISO 8601 with an offset: the local zone does not matter. */
	time_is("2026-08-20T02:00:00Z", 1787191200, __LINE__);
	time_is("2026-08-20T02:00Z", 1787191200, __LINE__);
	time_is("2026-08-20T10:00:00+08:00", 1787191200, __LINE__);
	time_is("2026-08-20T10:00+08:00", 1787191200, __LINE__);
	time_is("2026-08-19T20:30:00-05:30", 1787191200, __LINE__);
	time_is("2026-08-20T02:00:00+00:00", 1787191200, __LINE__);
	time_is("2026-08-20T02:00:00-00:00", 1787191200, __LINE__);
	time_is("1970-01-01T00:00:00Z", 0, __LINE__);

	/* Another zone, in summer time: EDT is UTC-4. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	time_is("2026-07-01 12:00", 1782921600, __LINE__);
	time_is("2026-01-15 12:00", 1768496400, __LINE__);	/* EST, UTC-5 */
	time_is("2026-07-01T16:00:00Z", 1782921600, __LINE__);

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	time_bad("", __LINE__);
	time_bad("now", __LINE__);
	time_bad("2026-02-30 10:00", __LINE__);
	time_bad("2025-02-29 10:00", __LINE__);
	time_bad("2026-04-31 10:00", __LINE__);
	time_bad("2026-13-01 10:00", __LINE__);
	time_bad("2026-00-01 10:00", __LINE__);
	time_bad("2026-08-00 10:00", __LINE__);
	time_bad("2026-08-20 24:00", __LINE__);
	time_bad("2026-08-20 10:60", __LINE__);
	time_bad("2026-08-20 10:00:61", __LINE__);
	time_bad("2026-08-20 10:00x", __LINE__);
	time_bad("2026-08-20 10:00:00 ", __LINE__);
	time_bad("2026-08-20 10:00 extra", __LINE__);
	time_bad("2026-8-1 10:00", __LINE__);
	time_bad("2026-8-1", __LINE__);
	time_bad("2026-08-20", __LINE__);
	time_bad("2026-08-20 10", __LINE__);
	time_bad("2026/08/20 10:00", __LINE__);
	time_bad("2026-08-20T10:00:00+0800", __LINE__);
	time_bad("2026-08-20T10:00:00+8:00", __LINE__);
	time_bad("2026-08-20T10:00:00+24:00", __LINE__);
	time_bad("2026-08-20T10:00:00ZZ", __LINE__);
	time_bad("2026-08-20T10:00:00z+", __LINE__);
	time_bad("-1", __LINE__);
	time_bad("+1787191200", __LINE__);
	time_bad(" 1787191200", __LINE__);
	time_bad("1787191200 ", __LINE__);
	time_bad("1.5", __LINE__);
	time_bad("1e9", __LINE__);
	time_bad("0x10", __LINE__);
	time_bad("99999999999999999999", __LINE__);

	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else
		unsetenv("TZ");
	tzset();
}

#define DURATION_IS(s, want) do { \
	int64_t v_ = -1; \
	CHECK_INT(parse_duration((s), &v_, err, sizeof(err)), 0); \
	CHECK_INT(v_, (want)); \
} while (0)
#define DURATION_BAD(s) do { \
	int64_t v_ = -1; \
	err[0] = '\0'; \
	CHECK_INT(parse_duration((s), &v_, err, sizeof(err)), -1); \
	CHECK(err[0] != '\0'); \
} while (0)

static void
test_duration(void)
{
	DURATION_IS("90s", 90);
	DURATION_IS("1s", 1);
	DURATION_IS("30m", 1800);
	DURATION_IS("2h", 7200);
	DURATION_IS("1d", 86400);
	DURATION_IS("30d", 2592000);
	DURATION_IS("720h", 2592000);
	DURATION_IS("2592000s", 2592000);
	DURATION_IS("010m", 600);

	DURATION_BAD("0s");
	DURATION_BAD("0d");
	DURATION_BAD("00m");
	DURATION_BAD("31d");
	DURATION_BAD("721h");
	DURATION_BAD("2592001s");
	DURATION_BAD("10");
	DURATION_BAD("");
	DURATION_BAD("s");
	DURATION_BAD("10x");
	DURATION_BAD("10w");
	DURATION_BAD("10ms");
	DURATION_BAD("10 m");
	DURATION_BAD(" 10m");
	DURATION_BAD("10m ");
	DURATION_BAD("-5m");
	DURATION_BAD("+5m");
	DURATION_BAD("1.5h");
	DURATION_BAD("1h30m");
	DURATION_BAD("999999999d");
	DURATION_BAD("99999999999999999999s");
	DURATION_BAD("18446744073709551617s");

	parse_duration("31d", &(int64_t){ 0 }, err, sizeof(err));
	CHECK_HAS(err, "30 days");
}

#define SECONDS_IS(s, lo, hi, want) do { \
	double v_ = -1; \
	CHECK_INT(parse_seconds((s), (lo), (hi), &v_, err, sizeof(err)), 0); \
	CHECK_DBL(v_, (want)); \
} while (0)
#define SECONDS_BAD(s, lo, hi) do { \
	double v_ = -1; \
	err[0] = '\0'; \
	CHECK_INT(parse_seconds((s), (lo), (hi), &v_, err, sizeof(err)), -1); \
	CHECK(err[0] != '\0'); \
} while (0)

static void
test_seconds(void)
{
	SECONDS_IS("0", 0, 3600, 0);
	SECONDS_IS("10", 0, 3600, 10);
	SECONDS_IS("0.5", 0, 3600, 0.5);
	SECONDS_IS("3600", 0, 3600, 3600);
	SECONDS_IS("3600.0", 0, 3600, 3600);
	SECONDS_IS("1", 1, 3600, 1);
	SECONDS_IS("2.25", 0, 3600, 2.25);

	SECONDS_BAD("3600.1", 0, 3600);
	SECONDS_BAD("3601", 0, 3600);
	SECONDS_BAD("0", 1, 3600);
	SECONDS_BAD("0.5", 1, 3600);
	SECONDS_BAD("-1", 0, 3600);
	SECONDS_BAD("-0", 0, 3600);
	SECONDS_BAD("+1", 0, 3600);
	SECONDS_BAD("1e3", 0, 3600);
	SECONDS_BAD("1E3", 0, 3600);
	SECONDS_BAD("nan", 0, 3600);
	SECONDS_BAD("NAN", 0, 3600);
	SECONDS_BAD("inf", 0, 3600);
	SECONDS_BAD("infinity", 0, 3600);
	SECONDS_BAD("0x10", 0, 3600);
	SECONDS_BAD("", 0, 3600);
	SECONDS_BAD(" 1", 0, 3600);
	SECONDS_BAD("1 ", 0, 3600);
	SECONDS_BAD("1s", 0, 3600);
	SECONDS_BAD("1,5", 0, 3600);
	SECONDS_BAD("1.2.3", 0, 3600);
	SECONDS_BAD(".", 0, 3600);
	SECONDS_BAD("99999999999999999999999", 0, 3600);
}

/* normalize_description of s must give want. */
static void
norm_is(const char *s, const char *want, int line)
{
	char *got;

	err[0] = '\0';
	got = normalize_description(s, err, sizeof(err));
	test_check_str(got, want, __FILE__, line, s);
	free(got);
}

/* ... must fail with an error containing each of the fragments. */
static void
norm_bad(const char *s, const char *frag1, const char *frag2, int line)
{
	char *got;

	err[0] = '\0';
	got = normalize_description(s, err, sizeof(err));
	test_check_str(got, NULL, __FILE__, line, s);
	test_check(err[0] != '\0', __FILE__, line, "error message is set");
	if (frag1)
		test_check_has(err, frag1, true, __FILE__, line, "err");
	if (frag2)
		test_check_has(err, frag2, true, __FILE__, line, "err");
	free(got);
}

static void
test_description(void)
{
	norm_is("GPU OOM instance restart", "GPU_OOM_instance_restart", __LINE__);
	norm_is("  GPU   OOM  ", "GPU_OOM", __LINE__);
	norm_is("GPU\tOOM\ninstance\r\nrestart", "GPU_OOM_instance_restart",
	    __LINE__);
	norm_is("a \t\n\v\f b", "a_b", __LINE__);
	norm_is("\t\n a \n\t", "a", __LINE__);
	norm_is("v1.2_x~y-z", "v1.2_x~y-z", __LINE__);
	norm_is("_.~-", "_.~-", __LINE__);
	norm_is("GPU_OOM", "GPU_OOM", __LINE__);
	norm_is("", "", __LINE__);
	norm_is("   ", "", __LINE__);
	norm_is("\t\n\r", "", __LINE__);
	norm_is("x", "x", __LINE__);

	norm_bad("GPU OOM, restart", "','", NULL, __LINE__);
	/* 显存溢出: the first offending character and its code point. */
	norm_bad("\xe6\x98\xbe\xe5\xad\x98\xe6\xba\xa2\xe5\x87\xba",
	    "\xe6\x98\xbe", "U+663E", __LINE__);
	norm_bad("GPU \xe6\x98\xbe\xe5\xad\x98", "\xe6\x98\xbe", "U+663E",
	    __LINE__);
	norm_bad("caf\xc3\xa9", "\xc3\xa9", "U+00E9", __LINE__);
	norm_bad("a/b", "'/'", NULL, __LINE__);
	norm_bad("a;rm -rf", "';'", NULL, __LINE__);
	norm_bad("$(id)", "'$'", NULL, __LINE__);
	norm_bad("it's", NULL, NULL, __LINE__);
	norm_bad("say \"hi\"", "'\"'", NULL, __LINE__);
	norm_bad("50%", "'%'", NULL, __LINE__);
	norm_bad("a+b", "'+'", NULL, __LINE__);

	/* Bytes that are not printable are named, never echoed. */
	norm_bad("a\x01" "b", "0x01", NULL, __LINE__);
	CHECK_LACKS(err, "\x01");
	norm_bad("a\xff" "b", "0xff", NULL, __LINE__);
	CHECK_LACKS(err, "\xff");
	norm_bad("a\x1b[31mb", NULL, NULL, __LINE__);
	CHECK_LACKS(err, "\x1b");
}

static void
test_past_time(void)
{
	CHECK(mentions_past_time("yesterday"));
	CHECK(mentions_past_time("GPU OOM since yesterday"));
	CHECK(mentions_past_time("Yesterday the service restarted"));
	CHECK(mentions_past_time("latency spiked this morning"));
	CHECK(mentions_past_time("This Morning"));
	CHECK(mentions_past_time("crashed last night"));
	CHECK(mentions_past_time("restarted 2 hours ago"));
	CHECK(mentions_past_time("it happened earlier today"));
	CHECK(mentions_past_time("OOM at 3pm"));
	CHECK(mentions_past_time("OOM at 3 pm"));
	CHECK(mentions_past_time("OOM at 10:30"));
	CHECK(mentions_past_time("at 9am"));
	CHECK(mentions_past_time("GPU_OOM_yesterday"));

	CHECK(!mentions_past_time("agony"));
	CHECK(!mentions_past_time("latency"));
	CHECK(!mentions_past_time("high latency at most endpoints"));
	CHECK(!mentions_past_time("at most"));
	CHECK(!mentions_past_time("GPU OOM"));
	CHECK(!mentions_past_time(""));
	CHECK(!mentions_past_time("instance in chicago region"));
	CHECK(!mentions_past_time("the earliest checkpoint"));
	CHECK(!mentions_past_time("stuck at 80 percent"));
}

/* version_cmp folded to -1, 0, 1, keeping -2. */
static int
vc(const char *a, const char *b)
{
	int r = version_cmp(a, b);

	return r == -2 ? -2 : r < 0 ? -1 : r > 0;
}

static void
test_version(void)
{
	CHECK_INT(vc("3.10.0", "3.9.9"), 1);
	CHECK_INT(vc("3.9.9", "3.10.0"), -1);
	CHECK_INT(vc("3.3.1", "3.3.1"), 0);
	CHECK_INT(vc("3.3.0", "3.3.1"), -1);
	CHECK_INT(vc("3.3.2", "3.3.1"), 1);
	CHECK_INT(vc("3.4.11", "3.4.9"), 1);
	CHECK_INT(vc("3.4.11", "3.3.1"), 1);
	CHECK_INT(vc("0.0.1", "3.3.1"), -1);
	CHECK_INT(vc("4.0.0", "3.3.1"), 1);
	CHECK_INT(vc("3.3", "3.3.0"), 0);
	CHECK_INT(vc("3.3.0", "3.3"), 0);
	CHECK_INT(vc("3.3", "3.3.1"), -1);
	CHECK_INT(vc("3.3.1.1", "3.3.1"), 1);

	CHECK_INT(version_cmp("garbage", "3.3.1"), -2);
	CHECK_INT(version_cmp("3.3.1", "garbage"), -2);
	CHECK_INT(version_cmp("3", "3.3.1"), -2);
	CHECK_INT(version_cmp("v3.4.11", "3.3.1"), -2);
	CHECK_INT(version_cmp("", "3.3.1"), -2);
	CHECK_INT(version_cmp("3..4", "3.3.1"), -2);
	CHECK_INT(version_cmp("3.4.", "3.3.1"), -2);
	CHECK_INT(version_cmp(".3.4", "3.3.1"), -2);
	CHECK_INT(version_cmp("3.4.11-beta", "3.3.1"), -2);
	CHECK_INT(version_cmp("3.4.11 ", "3.3.1"), -2);
	CHECK_INT(version_cmp("3.-4.1", "3.3.1"), -2);
	CHECK_INT(version_cmp("3.+4.1", "3.3.1"), -2);
}

/* The printed params JSON of p. */
static char *
printed(const struct diag_params *p)
{
	cJSON *j = params_json(p);
	char *s = cJSON_PrintUnformatted(j);
	char *copy = strdup(s);

	cJSON_free(s);
	cJSON_Delete(j);
	return copy;
}

static void
test_params_json(void)
{
	struct diag_params eas = {
		.instance = "eas-m-bp79exq2lzbd0ctdfu",
		.region = "cn-hangzhou",
		.product = PRODUCT_EAS,
	};
	struct diag_params dlc = {
		.instance = "dlcabc123def456",
		.region = "cn-beijing",
		.product = PRODUCT_DLC,
		.start_time = 1787184000,
		.end_time = 1787191200,
		.uid = "12345678901234567",
		.ocd_description = "NCCL_timeout_on_node_7",
	};
	char *s;
	cJSON *j;
	double v;

	s = printed(&eas);
	CHECK_STR(s, "{\"instance\":\"eas-m-bp79exq2lzbd0ctdfu\","
	    "\"region\":\"cn-hangzhou\",\"product\":\"EAS\",\"start_time\":0,"
	    "\"end_time\":0,\"type\":\"ocd\",\"ai_roadmap\":true,"
	    "\"enable_sysom_link\":false}");
	free(s);

	s = printed(&dlc);
	CHECK_STR(s, "{\"instance\":\"dlcabc123def456\","
	    "\"region\":\"cn-beijing\",\"product\":\"DLC\","
	    "\"start_time\":1787184000,\"end_time\":1787191200,"
	    "\"type\":\"ocd\",\"ai_roadmap\":true,\"enable_sysom_link\":false,"
	    "\"uid\":12345678901234567,"
	    "\"ocd_description\":\"NCCL_timeout_on_node_7\"}");
	/* The uid is a JSON number, digits intact. */
	j = cJSON_Parse(s);
	CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "uid")));
	cJSON_Delete(j);
	free(s);

	/* The largest uid and a time past 2^31 keep every digit. */
	dlc.uid = "18446744073709551615";
	dlc.start_time = 4102444800;	/* 2100-01-01 */
	dlc.end_time = 4102448400;
	dlc.ocd_description = NULL;
	s = printed(&dlc);
	CHECK_STR(s, "{\"instance\":\"dlcabc123def456\","
	    "\"region\":\"cn-beijing\",\"product\":\"DLC\","
	    "\"start_time\":4102444800,\"end_time\":4102448400,"
	    "\"type\":\"ocd\",\"ai_roadmap\":true,\"enable_sysom_link\":false,"
	    "\"uid\":18446744073709551615}");
	free(s);

	/* An empty description is omitted; so is a NULL one. */
	eas.ocd_description = "";
	j = params_json(&eas);
	CHECK(cJSON_GetObjectItemCaseSensitive(j, "ocd_description") == NULL);
	CHECK(cJSON_GetObjectItemCaseSensitive(j, "uid") == NULL);
	CHECK_INT(cJSON_GetArraySize(j), 8);
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ai_roadmap")));
	CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j,
	    "enable_sysom_link")));
	v = -1;
	CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "start_time")));
	v = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "end_time"));
	CHECK_DBL(v, 0);
	cJSON_Delete(j);

	/* Values are JSON-escaped, never pasted. */
	eas.ocd_description = "a\"b";
	s = printed(&eas);
	CHECK_HAS(s, "\"ocd_description\":\"a\\\"b\"");
	free(s);
}

void
test_params(void)
{
	test_region();
	test_instance();
	test_task();
	test_uid();
	test_product();
	test_time();
	test_duration();
	test_seconds();
	test_description();
	test_past_time();
	test_version();
	test_params_json();
}
