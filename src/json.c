/*
 * Typed access to cJSON trees; see json.h.
 */
#include <ctype.h>
#include <stdarg.h>
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

/*
 * The document in aliyun's output: from the first line that starts with '{'
 * to its end, followed only by white space; NULL when there is none.
 */
static const char *
document(const char *text, size_t len, const char **end)
{
	size_t i = 0;

	while (i < len && text[i] != '{') {
		while (i < len && text[i] != '\n')
			i++;
		i++;
	}
	if (i >= len || (*end = jscan_value(text + i, text + len)) == NULL)
		return NULL;
	for (const char *p = *end; p < text + len; p++)
		if (!isspace((unsigned char)*p))
			return NULL;
	return text + i;
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

/* The "data" object without its held members. */
static cJSON *
held_data(struct jspan data, const char *const *keys, struct jspan *held)
{
	cJSON *obj = cJSON_CreateObject();
	struct jiter it;
	struct jspan key, val;

	jscan_first(&it, data);
	while (jscan_next(&it, &key, &val)) {
		size_t i;

		for (i = 0; keys[i] && !jscan_key_is(key, keys[i]); i++)
			;
		if (keys[i] == NULL)
			add_member(obj, key, val);
		else if (held[i].p == NULL)
			held[i] = val;
	}
	return obj;
}

cJSON *
json_parse_held(const char *text, size_t len, const char *const *keys,
    struct jspan *held)
{
	const char *end, *doc = document(text, len, &end);
	struct jspan root = { doc, doc ? (size_t)(end - doc) : 0 }, key, val;
	struct jiter it;
	bool data_seen = false;
	cJSON *tree;

	for (size_t i = 0; keys[i]; i++)
		held[i] = (struct jspan){ NULL, 0 };
	if (doc == NULL)
		return NULL;
	tree = cJSON_CreateObject();
	jscan_first(&it, root);
	while (jscan_next(&it, &key, &val)) {
		if (!data_seen && jscan_key_is(key, "data") &&
		    jscan_is_object(val)) {
			char *name = jscan_str(key);

			json_add(tree, name, held_data(val, keys, held));
			free(name);
			data_seen = true;
		} else {
			add_member(tree, key, val);
		}
	}
	return tree;
}
