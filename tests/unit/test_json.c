/*
 * json: finding the document after aliyun's preamble, refusing trailing
 * garbage, and typed getters that never hand out a value of the wrong type.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "test.h"

static cJSON *
parse(const char *s)
{
	return json_parse_output(s, strlen(s));
}

static void
test_parse_output(void)
{
	cJSON *j;
	double v = 0;

	j = parse("{\"a\":1}");
	CHECK(json_num(j, "a", &v));
	CHECK_DBL(v, 1);
	cJSON_Delete(j);

	j = parse("Downloading aliyun-cli-sysom 0.1.2...\nPlugin aliyun-cli-sysom "
	    "0.1.2 installed successfully!\n{\"code\":\"Success\"}\n");
	CHECK_STR(json_str(j, "code"), "Success");
	cJSON_Delete(j);

	/* Blank and whitespace-only lines before the document. */
	j = parse("\n\n   \n\t\n{\"a\":\"b\"}");
	CHECK_STR(json_str(j, "a"), "b");
	cJSON_Delete(j);

	/* A '{' inside a preamble line is not the start. */
	j = parse("Installing {aliyun-cli-sysom} now {x\n{\"a\":\"b\"}\n");
	CHECK_STR(json_str(j, "a"), "b");
	cJSON_Delete(j);

	/* Multi-line, TAB-indented, trailing whitespace. */
	j = parse("{\n\t\"a\": {\n\t\t\"b\": [1, 2]\n\t}\n}\n\n  \t\r\n");
	CHECK_INT(cJSON_GetArraySize(json_arr(json_obj(j, "a"), "b")), 2);
	cJSON_Delete(j);

	/* Only len bytes are read. */
	j = json_parse_output("{\"a\":1}GARBAGE", 7);
	CHECK(j != NULL);
	cJSON_Delete(j);

	CHECK(parse("{\"a\":1} trailing") == NULL);
	CHECK(parse("{\"a\":1}\nDone.\n") == NULL);
	CHECK(parse("{\"a\":1}\n{\"b\":2}\n") == NULL);
	CHECK(parse("{\"a\":1}}") == NULL);
	CHECK(parse("{\"a\":") == NULL);
	CHECK(parse("{\"code\":\"Success\",\"data\":{\"task_") == NULL);
	CHECK(parse("") == NULL);
	CHECK(parse("\n\n") == NULL);
	CHECK(parse("no json here\n") == NULL);
	CHECK(parse("<html><body>502</body></html>") == NULL);
	CHECK(parse("3.4.11\n") == NULL);
	CHECK(json_parse_output("{\"a\":1}\0", 8) == NULL);
	CHECK(json_parse_output("\0{\"a\":1}", 8) == NULL);
}

static void
test_getters(void)
{
	cJSON *j = cJSON_Parse("{\"s\":\"x\",\"n\":5,\"o\":{\"k\":\"v\"},"
	    "\"a\":[1],\"t\":true,\"z\":null,\"big\":9007199254740992,"
	    "\"u32\":4294967296,\"neg\":-2.5,\"Code\":\"C\",\"code\":7}");
	cJSON *arr = cJSON_Parse("[{\"s\":\"x\"}]");
	double v;

	CHECK_STR(json_str(j, "s"), "x");
	CHECK_STR(json_str(j, "n"), NULL);
	CHECK_STR(json_str(j, "o"), NULL);
	CHECK_STR(json_str(j, "a"), NULL);
	CHECK_STR(json_str(j, "t"), NULL);
	CHECK_STR(json_str(j, "z"), NULL);
	CHECK_STR(json_str(j, "missing"), NULL);
	CHECK_STR(json_str(j, "S"), NULL);	/* case-sensitive */
	CHECK_STR(json_str(NULL, "s"), NULL);
	CHECK_STR(json_str(arr, "s"), NULL);	/* not an object */

	CHECK(json_obj(j, "o") != NULL);
	CHECK_STR(json_str(json_obj(j, "o"), "k"), "v");
	CHECK(json_obj(j, "a") == NULL);
	CHECK(json_obj(j, "s") == NULL);
	CHECK(json_obj(j, "z") == NULL);
	CHECK(json_obj(NULL, "o") == NULL);

	CHECK(json_arr(j, "a") != NULL);
	CHECK(json_arr(j, "o") == NULL);
	CHECK(json_arr(j, "s") == NULL);

	CHECK(json_get(j, "z") != NULL);
	CHECK(cJSON_IsNull(json_get(j, "z")));
	CHECK(json_get(j, "missing") == NULL);
	CHECK(json_get(arr, "s") == NULL);

	v = -1;
	CHECK(json_num(j, "n", &v));
	CHECK_DBL(v, 5);
	v = -1;
	CHECK(!json_num(j, "s", &v));
	CHECK(!json_num(j, "t", &v));
	CHECK(!json_num(j, "z", &v));
	CHECK(!json_num(j, "missing", &v));
	CHECK(!json_num(NULL, "n", &v));
	CHECK_DBL(v, -1);	/* untouched on failure */
	/* Through valuedouble: exact to 2^53, no int saturation. */
	CHECK(json_num(j, "big", &v));
	CHECK_DBL(v, 9007199254740992.0);
	CHECK(json_num(j, "u32", &v));
	CHECK_DBL(v, 4294967296.0);
	CHECK(json_num(j, "neg", &v));
	CHECK_DBL(v, -2.5);

	CHECK_STR(json_str_any(j, "missing", "s", NULL), "x");
	CHECK_STR(json_str_any(j, "n", "s", NULL), "x");	/* skips a number */
	CHECK_STR(json_str_any(j, "Code", "code", NULL), "C");
	CHECK_STR(json_str_any(j, "code", "Code", NULL), "C");
	CHECK_STR(json_str_any(j, "missing", "n", NULL), NULL);
	CHECK_STR(json_str_any(NULL, "s", NULL), NULL);
	CHECK(json_get_any(j, "missing", "n", NULL) == json_get(j, "n"));
	CHECK(json_get_any(j, "code", "Code", NULL) == json_get(j, "code"));
	CHECK(json_get_any(j, "x", "y", NULL) == NULL);

	cJSON_Delete(arr);
	cJSON_Delete(j);
}

void
test_json(void)
{
	test_parse_output();
	test_getters();
}
