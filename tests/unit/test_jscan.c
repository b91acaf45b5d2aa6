/*
 * jscan and jprint against cJSON itself: the same text accepted or refused
 * and ending at the same byte, the same strings decoded, the same member
 * found, and the streamed print equal to cJSON_Print() of the parsed tree
 * after redact_tree().  Hand-picked edge cases first, then a few thousand
 * random texts built from JSON's pieces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jprint.h"
#include "jscan.h"
#include "json.h"
#include "redact.h"
#include "test.h"

/* jprint of text (a value jscan accepted) into a new string. */
static char *
streamed(const char *text, size_t n, bool fmt, int depth)
{
	struct buf b = BUF_INIT;
	struct jout o = JOUT_BUF(&b, fmt);
	const char *p = text;
	struct jspan v;

	while (p < text + n && (unsigned char)*p <= 0x20)
		p++;
	v.p = p;
	v.n = (size_t)(jscan_value(text, text + n) - p);
	jprint(&o, v, depth);
	buf_add(&b, "", 0);
	return buf_detach(&b, &n);
}

/* Whether jscan agrees with cJSON about text; returns the tree (or NULL). */
static cJSON *
agree(const char *text, size_t n)
{
	const char *cend = NULL, *jend = jscan_value(text, text + n);
	cJSON *j = cJSON_ParseWithLengthOpts(text, n, &cend, false);

	if (!CHECK((j != NULL) == (jend != NULL))) {
		fprintf(stderr, "  text: %.*s\n", (int)n, text);
		cJSON_Delete(j);
		return NULL;
	}
	if (j && !CHECK(cend == jend))
		fprintf(stderr, "  text: %.*s\n", (int)n, text);
	return j;
}

/* The full comparison: acceptance, then both layouts after redaction. */
static void
same(const char *text, size_t n)
{
	cJSON *j = agree(text, n);
	char *want, *got;

	if (j == NULL)
		return;
	redact_tree(j);
	want = cJSON_Print(j);
	got = streamed(text, n, true, 0);
	if (!CHECK_STR(got, want))
		fprintf(stderr, "  text: %.*s\n", (int)n, text);
	free(got);
	cJSON_free(want);
	want = cJSON_PrintUnformatted(j);
	got = streamed(text, n, false, 0);
	CHECK_STR(got, want);
	free(got);
	cJSON_free(want);
	cJSON_Delete(j);
}

static void
test_edges(void)
{
	static const char *const texts[] = {
		"{}", "[]", "{ }", "[ ]", "\"\"", "0", "-0", "012", "1.", ".5",
		"-", "1e", "1e+", "1e5", "1E-2x", "1.5.3", "+1", "0x10",
		"1234567890123456789012345678901234567890123456789012345678901234567890",
		"3.141592653589793", "0.1", "1e300", "1e999", "-1e999",
		"2147483647", "2147483648", "-2147483648", "-2147483649",
		"4294967296", "9007199254740993", "1.0000000000000002", "1e-320",
		"0.0001", "0.00001", "-0.00012", "1.50", "0.10", "1.0", "-0.5",
		"123456789012345", "1234567890123456", "12.0000000000001",
		"-123456789012345.5", "0.000", "100", "-100.25", "7e2",
		"null", "nul", "true", "truex", "false", "[1,]", "{,}", "{\"a\"}",
		"{\"a\":}", "{\"a\":1,}", "[1 2]", "{\"a\" : 1 , \"b\" : [ ] }",
		"\"\\u0041\\u00e9\\u4e2d\\ud83d\\ude00\"", "\"\\ud83d\"",
		"\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"\\uZZZZx\"", "\"\\u12\"",
		"\"\\x\"", "\"a\\\"b\"", "\"tab\there\"", "\"\\/\\b\\f\\n\\r\\t\"",
		"\"\\u0000after\"", "{\"k\\u0000x\":1}", "\"\\", "\"abc",
		"{\"password\":\"hunter22\",\"token\":{\"a\":1},\"secret\":null,"
		"\"Signature\":true,\"max_tokens\":5,\"list\":[{\"apikey\":[1]}]}",
		"{\"AccessKeySecret\":123,\"detail\":\"key LTAI5tAbcdEfghIjklMnop1 "
		"and x=1\"}", "{\"a\\u0000\":{\"\":[[],{},[{}]]}}",
		"{\"\\u001b[31mred\":\"\\u001b[0m\\u0007bell\"}",
		"[\"\\u202e\", \"\\u200b\", \"\\r\\n\"]", "[[[[[[1]]]]]]",
		"\x01{\"a\":1}", "{\"a\":1}\x01", "{\"a\":\"\x01\x1f\x7f\"}",
		"{\"a\":[1, 2.5, -3e2, true, false, null, \"x\"]}",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		same(texts[i], strlen(texts[i]));
}

/* Nesting at cJSON's limit and one past it. */
static void
test_depth(void)
{
	size_t n = 2 * (JSCAN_DEPTH_LIMIT + 1);
	char *t = malloc(n + 1);

	for (size_t depth = JSCAN_DEPTH_LIMIT; depth <= JSCAN_DEPTH_LIMIT + 1;
	    depth++) {
		memset(t, '[', depth);
		memset(t + depth, ']', depth);
		cJSON_Delete(agree(t, 2 * depth));
	}
	free(t);
}

static void
test_strings_and_members(void)
{
	const char *text = "{\"a\":1,\"iss\\u0075es\":[1,2,3],\"issues\":[],"
	    "\"s\":\"x\\ty\\u00e9\",\"n\\u0000ul\":\"cut\\u0000here\"}";
	const char *end = text + strlen(text);
	struct jspan doc = { text, strlen(text) }, v;
	char *s;

	CHECK(jscan_value(text, end) == end);
	CHECK(jscan_get(doc, "issues", &v));
	CHECK_INT(jscan_count(v), 3);	/* the first "issues", escaped */
	CHECK(jscan_get(doc, "s", &v));
	s = jscan_str(v);
	CHECK_STR(s, "x\ty\xc3\xa9");
	free(s);
	CHECK(jscan_get(doc, "n", &v));	/* the key is cut at its NUL */
	s = jscan_str(v);
	CHECK_STR(s, "cut");
	free(s);
	CHECK(!jscan_get(doc, "b", &v));
	CHECK_INT(jscan_count((struct jspan){ "[]", 2 }), 0);
	CHECK_INT(jscan_count((struct jspan){ "[ \n]", 4 }), 0);
	CHECK_INT(jscan_count((struct jspan){ "[[1,2]]", 7 }), 1);
	CHECK_INT(jscan_count((struct jspan){ "[\"a,b\"]", 7 }), 1);
	CHECK_INT(jscan_count((struct jspan){ "[{},{\"a\":[1,2]}, 3]", 20 }), 3);
	CHECK(jscan_get(doc, "a", &v));
	CHECK(jscan_str(v) == NULL);	/* not a string */
}

/* A random text from JSON's pieces, some valid, most nearly so. */
static size_t
random_text(char *out, size_t max, unsigned *seed)
{
	static const char *const pieces[] = {
		"{", "}", "[", "]", "\"", "\"", "\"a\"", "\"token\"", ":", ":",
		",", ",", " ", "\n", "0", "1", "-", ".", "e", "7", "null",
		"true", "false", "\\", "\\u", "d83d", "de00", "00e9", "\\n",
		"\\\"", "x", "\"password\"", "\"secret\":\"s3cr3t-v4lue\"",
		"LTAI5tAbcdEfghIjklMnop1", "\\u0000", "\x01", "\xc3\xa9",
		"{\"k\":[1,{\"a\":\"b\"}]}", "\"Signature=abc&x=1\"", "2.5",
		"1e400", "\x1b[1m",
	};
	size_t n = 0, count = 1 + (size_t)(rand_r(seed) % 24);

	for (size_t i = 0; i < count; i++) {
		const char *p = pieces[rand_r(seed) % (int)(sizeof(pieces) /
		    sizeof(*pieces))];
		size_t len = strlen(p);

		if (n + len >= max)
			break;
		memcpy(out + n, p, len);
		n += len;
	}
	out[n] = '\0';
	return n;
}

static void
test_random(void)
{
	unsigned seed = 20261206;
	char text[512];
	int before = test_failed;

	for (int i = 0; i < 20000 && test_failed == before; i++) {
		size_t n = random_text(text, sizeof(text), &seed);

		same(text, n);
	}
}

/* Whether two trees print the same (cJSON_Compare() takes inf != inf). */
static bool
same_tree(const cJSON *a, const cJSON *b)
{
	char *pa = cJSON_PrintUnformatted(a), *pb = cJSON_PrintUnformatted(b);
	bool same = pa && pb && strcmp(pa, pb) == 0;

	cJSON_free(pa);
	cJSON_free(pb);
	return same;
}

/*
 * json_parse_held() against json_parse_output(): the same documents taken,
 * and the tree plus the held result equal to the whole tree.
 */
static bool
held_agrees(const char *text, size_t n)
{
	static const char *const keys[] = { "result", "report", NULL };
	struct jspan held[JSON_HELD_MAX];
	cJSON *whole = json_parse_output(text, n);
	cJSON *tree = json_parse_held(text, n, keys, held), *res, *data;
	bool ok = (whole == NULL) == (tree == NULL);

	if (ok && whole) {
		data = cJSON_GetObjectItemCaseSensitive(whole, "data");
		res = cJSON_IsObject(data) ?
		    cJSON_DetachItemFromObjectCaseSensitive(data, "result") : NULL;
		if (res && held[0].p) {
			cJSON *h = cJSON_ParseWithLength(held[0].p, held[0].n);

			ok = same_tree(h, res);
			cJSON_Delete(h);
		} else {
			ok = res == NULL && held[0].p == NULL;
		}
		cJSON_Delete(res);
		/* A second "result" is left out of the tree as well. */
		while (ok && cJSON_IsObject(data) && (res =
		    cJSON_DetachItemFromObjectCaseSensitive(data, "result")))
			cJSON_Delete(res);
		while (cJSON_IsObject(data) && (res =
		    cJSON_DetachItemFromObjectCaseSensitive(data, "report")))
			cJSON_Delete(res);
		ok = ok && same_tree(whole, tree);
	}
	cJSON_Delete(whole);
	cJSON_Delete(tree);
	return ok;
}

static void
test_held(void)
{
	static const char *const texts[] = {
		"{\"data\":{\"status\":\"Success\",\"result\":{\"a\":1}}}",
		"preamble\n{\"data\":{\"result\":\"{}\",\"result\":2}}\n",
		"{\"data\":\"x\",\"data\":{\"result\":1}}",
		"{\"data\":{\"result\":[1,]}}", "{\"data\":{}} x",
		"{\"code\":\"Success\",\"data\":{\"report\":{}},\"b\":[]}",
		"{}", "{\"data\":{\"result\":1}", "{\"da\\u0074a\":{\"result\":1}}",
	};
	unsigned seed = 7;
	char text[700], piece[512];
	size_t n;
	int bad = 0;

	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		if (!CHECK(held_agrees(texts[i], strlen(texts[i]))))
			fprintf(stderr, "  text: %s\n", texts[i]);
	for (int i = 0; i < 5000; i++) {
		random_text(piece, sizeof(piece) / 3, &seed);
		n = (size_t)snprintf(text, sizeof(text), "{\"code\":1,\"data\""
		    ":{\"status\":\"S\",\"result\":%s,\"p\":%s}}", piece,
		    i % 2 ? "1" : piece);
		if (!held_agrees(text, n) && bad++ == 0)
			fprintf(stderr, "  held differs: %s\n", text);
	}
	CHECK_INT(bad, 0);
}

/* At a depth, as the envelope and the fleet document embed values. */
static void
test_depth_layout(void)
{
	const char *text = "{\"a\":[{\"b\":{}},[]],\"c\":{\"d\":1}}";
	cJSON *outer = cJSON_Parse("{\"x\":{\"y\":{\"a\":[{\"b\":{}},[]],"
	    "\"c\":{\"d\":1}}}}");
	char *want = cJSON_Print(outer), *got = streamed(text, strlen(text),
	    true, 2), *at = strstr(want, "\"y\":\t");

	/* The value of y, without the two closing lines of x and the root. */
	CHECK(at != NULL);
	at += 5;
	at[strlen(at) - strlen("\n\t}\n}")] = '\0';
	CHECK_STR(got, at);
	free(got);
	cJSON_free(want);
	cJSON_Delete(outer);
}

void
test_jscan(void)
{
	test_edges();
	test_depth();
	test_strings_and_members();
	test_depth_layout();
	test_random();
	test_held();
}
