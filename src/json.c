/*
 * Typed access to cJSON trees; see json.h.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "json.h"
#include "xalloc.h"

cJSON *
json_get(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

cJSON *
json_obj(const cJSON *obj, const char *key)
{
	cJSON *j = json_get(obj, key);

	return cJSON_IsObject(j) ? j : NULL;
}

cJSON *
json_arr(const cJSON *obj, const char *key)
{
	cJSON *j = json_get(obj, key);

	return cJSON_IsArray(j) ? j : NULL;
}

const char *
json_str(const cJSON *obj, const char *key)
{
	cJSON *j = json_get(obj, key);

	/* j != NULL first: cJSON_IsString(NULL) is false, but not to gcc's
	 * -fanalyzer, which cannot see into libcjson. */
	return j != NULL && cJSON_IsString(j) && j->valuestring ?
	    j->valuestring : NULL;
}

bool
json_num(const cJSON *obj, const char *key, double *out)
{
	cJSON *j = json_get(obj, key);

	if (j == NULL || !cJSON_IsNumber(j))
		return false;
	*out = j->valuedouble;
	return true;
}

const char *
json_str_any(const cJSON *obj, ...)
{
	va_list ap;
	const char *key, *v = NULL;

	va_start(ap, obj);
	while (v == NULL && (key = va_arg(ap, const char *)) != NULL)
		v = json_str(obj, key);
	va_end(ap);
	return v;
}

cJSON *
json_get_any(const cJSON *obj, ...)
{
	va_list ap;
	const char *key;
	cJSON *v = NULL;

	va_start(ap, obj);
	while (v == NULL && (key = va_arg(ap, const char *)) != NULL)
		v = json_get(obj, key);
	va_end(ap);
	return v;
}

void
json_add(cJSON *obj, const char *key, cJSON *v)
{
	if (v == NULL || !cJSON_AddItemToObject(obj, key, v))
		die("out of memory");
}

cJSON *
json_str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* Where the document in aliyun's output starts: the first line with '{'. */
static const char *
document_start(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && text[i] != '{') {
		while (i < len && text[i] != '\n')
			i++;
		i++;
	}
	return i < len ? text + i : NULL;
}

/* Whether only white space is left from p. */
static bool
blank(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!isspace((unsigned char)*p))
			return false;
	return true;
}

/*
 * The document in aliyun's output: from the first line that starts with '{'
 * to its end, followed only by white space; NULL when there is none.
 */
static const char *
document(const char *text, size_t len, const char **end)
{
	const char *doc = document_start(text, len);

	if (doc == NULL || (*end = jscan_value(doc, text + len)) == NULL ||
	    !blank(*end, text + len))
		return NULL;
	return doc;
}

cJSON *
json_parse_output(const char *text, size_t len)
{
	const char *end, *doc = document(text, len, &end);

	return doc ? cJSON_ParseWithLength(doc, (size_t)(end - doc)) : NULL;
}

/* The member's value parsed and added to obj under its decoded key. */
static void
add_member(cJSON *obj, struct jspan key, struct jspan val)
{
	char *name = jscan_str(key);
	cJSON *v = cJSON_ParseWithLength(val.p, val.n);

	if (v == NULL)
		die("out of memory");	/* jscan_value() accepted it */
	json_add(obj, name, v);
	free(name);
}

/*
 * The "data" object at p without its held members, added to tree; its end,
 * or NULL when cJSON would refuse it.
 */
static const char *
add_data(cJSON *tree, struct jspan name, const char *p, const char *end,
    const char *const *keys, struct jspan *held)
{
	cJSON *data = cJSON_CreateObject();
	struct jspan key, val;
	struct jiter it;
	char *s = jscan_str(name);
	bool bad;

	json_add(tree, s, data);
	free(s);
	jscan_first_unchecked(&it, p, end, 2);
	while (jscan_next_checked(&it, &key, &val, &bad)) {
		size_t i;

		for (i = 0; keys[i] && !jscan_key_is(key, keys[i]); i++)
			;
		if (keys[i] == NULL)
			add_member(data, key, val);
		else if (held[i].p == NULL)
			held[i] = val;
	}
	return bad ? NULL : it.p;
}

/*
 * One walk checks the document and builds the tree: the root's members are
 * checked as they are read, and the first "data" object is walked the same
 * way, so a held member is read once (to check it), not again to skip it.
 */
cJSON *
json_parse_held(const char *text, size_t len, const char *const *keys,
    struct jspan *held)
{
	const char *doc = document_start(text, len), *end = text + len, *v;
	struct jspan key, val;
	struct jiter it;
	bool data_seen = false, bad = true;
	cJSON *tree;

	for (size_t i = 0; keys[i]; i++)
		held[i] = (struct jspan){ NULL, 0 };
	if (doc == NULL)
		return NULL;
	tree = cJSON_CreateObject();
	jscan_first_unchecked(&it, doc, end, 1);
	while (jscan_member_checked(&it, &key, &v, &bad)) {
		const char *after;

		/* As json_obj(): the first "data", if it is an object. */
		bool data = !data_seen && jscan_key_is(key, "data");

		data_seen = data_seen || data;
		if (data && v < end && *v == '{') {
			after = add_data(tree, key, v, end, keys, held);
		} else if ((after = jscan_value_at(v, end, 1)) != NULL) {
			val = (struct jspan){ v, (size_t)(after - v) };
			add_member(tree, key, val);
		}
		if (after == NULL) {
			bad = true;
			break;
		}
		jscan_member_done(&it, after);
	}
	if (bad || !blank(it.p, end)) {
		cJSON_Delete(tree);
		return NULL;
	}
	return tree;
}

cJSON *
json_rendered(int (*fn)(FILE *f, const void *arg), const void *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cJSON *j;

	if (f == NULL)
		die("out of memory");
	fn(f, arg);
	if (fclose(f) != 0)
		die("out of memory");
	j = cJSON_ParseWithLength(text, len);
	free(text);
	return j ? j : cJSON_CreateObject();
}
