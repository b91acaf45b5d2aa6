/*
 * Typed access to cJSON trees; see json.h.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

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

cJSON *
json_parse_output(const char *text, size_t len)
{
	const char *end = NULL;
	cJSON *root;
	size_t i = 0;

	/* Find the first line that starts with '{'. */
	while (i < len && text[i] != '{') {
		while (i < len && text[i] != '\n')
			i++;
		i++;
	}
	if (i >= len)
		return NULL;
	root = cJSON_ParseWithLengthOpts(text + i, len - i, &end, false);
	if (root == NULL)
		return NULL;
	/* Only whitespace may follow the document. */
	for (; end < text + len; end++) {
		if (!isspace((unsigned char)*end)) {
			cJSON_Delete(root);
			return NULL;
		}
	}
	return root;
}
