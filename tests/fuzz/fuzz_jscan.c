/*
 * Fuzz target: the JSON text reader and printer (jscan, jprint) and the
 * poll reply's parse (json_parse_held) against cJSON itself, over any
 * bytes.
 *
 * Checked: jscan_value() accepts exactly what cJSON_ParseWithLengthOpts()
 * accepts and ends at the same byte; for what it accepts, jprint() prints,
 * in both layouts, what cJSON_Print() and cJSON_PrintUnformatted() print
 * of the parsed tree after redact_tree(); json_parse_held() takes the same
 * documents as json_parse_output(), and its tree with the held "result"
 * put back prints as the whole tree does.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "fuzz.h"
#include "jprint.h"
#include "jscan.h"
#include "json.h"
#include "redact.h"

static char *
printed(const char *p, size_t n, bool fmt)
{
	struct buf b = BUF_INIT;
	struct jout o = JOUT_BUF(&b, fmt);

	jprint(&o, (struct jspan){ p, n }, 0);
	buf_add(&b, "", 0);
	return buf_detach(&b, NULL);
}

static void
same(const char *what, char *got, char *want)
{
	if (want == NULL)
		fuzz_fail("cJSON printed nothing", got, strlen(got));
	if (strcmp(got, want) != 0) {
		fuzz_show("cJSON printed", want, strlen(want));
		fuzz_fail(what, got, strlen(got));
	}
	free(got);
	cJSON_free(want);
}

static void
check_value(const char *s, size_t size)
{
	const char *cend = NULL, *jend = jscan_value(s, s + size), *p = s;
	cJSON *j = cJSON_ParseWithLengthOpts(s, size, &cend, false);

	if ((j != NULL) != (jend != NULL) || (j && cend != jend))
		fuzz_fail(j ? "jscan_value() refuses what cJSON takes" :
		    "jscan_value() takes what cJSON refuses", s, size);
	if (j == NULL)
		return;
	while ((unsigned char)*p <= 0x20)
		p++;
	redact_tree(j);
	same("jprint() differs from cJSON_Print()",
	    printed(p, (size_t)(jend - p), true), cJSON_Print(j));
	same("compact jprint() differs from cJSON_PrintUnformatted()",
	    printed(p, (size_t)(jend - p), false), cJSON_PrintUnformatted(j));
	cJSON_Delete(j);
}

static void
check_held(const char *s, size_t size)
{
	static const char *const keys[] = { "result", NULL };
	struct jspan held[JSON_HELD_MAX];
	cJSON *whole = json_parse_output(s, size);
	cJSON *tree = json_parse_held(s, size, keys, held), *data, *res, *gone;
	char *a, *b;

	if ((whole == NULL) != (tree == NULL))
		fuzz_fail("json_parse_held() and json_parse_output() disagree",
		    s, size);
	if (whole == NULL)
		return;
	data = cJSON_GetObjectItemCaseSensitive(tree, "data");
	if (held[0].p && cJSON_IsObject(data)) {
		/* Put the held result back where the whole tree has it. */
		cJSON *whole_data = cJSON_GetObjectItemCaseSensitive(whole,
		    "data");

		res = cJSON_ParseWithLength(held[0].p, held[0].n);
		while ((gone = cJSON_DetachItemFromObjectCaseSensitive(
		    whole_data, "result")) != NULL)
			cJSON_Delete(gone);
		cJSON_AddItemToObject(whole_data, "result", res ?
		    cJSON_Duplicate(res, true) : cJSON_CreateNull());
		cJSON_AddItemToObject(data, "result", res ? res :
		    cJSON_CreateNull());
	}
	a = cJSON_PrintUnformatted(tree);
	b = cJSON_PrintUnformatted(whole);
	if (a == NULL || b == NULL || strcmp(a, b) != 0)
		fuzz_fail("json_parse_held() tree differs", s, size);
	cJSON_free(a);
	cJSON_free(b);
	cJSON_Delete(whole);
	cJSON_Delete(tree);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	check_value(s, size);
	check_held(s, size);
	return 0;
}
