/*
 * The history's pure parts: the issue fingerprint, the severity that
 * counts as a regression, and the diff of two envelopes.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "history.h"
#include "test.h"

static char *
fp(const char *issue)
{
	cJSON *j = cJSON_Parse(issue);
	char *s = history_fingerprint(j);

	cJSON_Delete(j);
	return s;
}

static void
test_fingerprint(void)
{
	char *a, *b;

	a = fp("{\"item\":\"gpu_diag\",\"subsystem\":\"GPU\",\"title\":"
	    "\"GPU memory at 91% of 80 GiB\"}");
	CHECK_STR(a, "gpu_diag\x1fgpu\x1fgpu memory at #% of # gib");
	b = fp("{\"item\":\"gpu_diag\",\"subsystem\":\"GPU\",\"title\":"
	    "\"GPU  memory at 99.5% of 80\tGiB \"}");
	CHECK_STR(a, b);
	free(b);
	/* 1,200 ms and 4800 ms are one number each. */
	b = fp("{\"title\":\"p99 1,200 ms vs 4800 ms\"}");
	CHECK_STR(b, "\x1f\x1fp# # ms vs # ms");
	free(b);
	/* A different item is another issue; name stands for title. */
	b = fp("{\"item\":\"gpu\",\"subsystem\":\"GPU\",\"name\":"
	    "\"GPU memory at 91% of 80 GiB\"}");
	CHECK(strcmp(a, b) != 0);
	CHECK_STR(b, "gpu\x1fgpu\x1fgpu memory at #% of # gib");
	free(b);
	free(a);
	/* Non-string fields count as absent; a trailing dot is no number. */
	a = fp("{\"item\":7,\"subsystem\":null,\"title\":\"v2. done\"}");
	CHECK_STR(a, "\x1f\x1fv#. done");
	free(a);
}

static bool
serious(const char *issue)
{
	cJSON *j = cJSON_Parse(issue);
	bool s = history_serious(j);

	cJSON_Delete(j);
	return s;
}

static void
test_serious(void)
{
	CHECK(serious("{\"severity\":\"Warn\"}"));
	CHECK(serious("{\"severity\":\"CRITICAL\"}"));
	CHECK(serious("{\"level\":\"error\"}"));
	CHECK(serious("{}"));			/* unknown counts as Warn */
	CHECK(serious("{\"severity\":\"odd\"}"));
	CHECK(!serious("{\"severity\":\"Info\"}"));
	CHECK(!serious("{\"severity\":\"normal\"}"));
	CHECK(!serious("{\"level\":\"OK\"}"));
}

static cJSON *
diff(const char *from, const char *to)
{
	cJSON *a = cJSON_Parse(from), *b = cJSON_Parse(to), *d;

	d = history_diff(a, b);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return d;
}

static char *
titles(const cJSON *d, const char *key)
{
	const cJSON *it;
	char out[256] = "";

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(d, key)) {
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "title");

		strlcat(out, cJSON_IsString(t) ? t->valuestring : "?",
		    sizeof(out));
		strlcat(out, ";", sizeof(out));
	}
	return strdup(out);
}

static void
check_lists(const cJSON *d, const char *added, const char *resolved,
    const char *persisting)
{
	char *s;

	CHECK_STR((s = titles(d, "new")), added);
	free(s);
	CHECK_STR((s = titles(d, "resolved")), resolved);
	free(s);
	CHECK_STR((s = titles(d, "persisting")), persisting);
	free(s);
}

static void
test_diff(void)
{
	cJSON *d;

	d = diff("{\"task_id\":\"A\",\"summary\":{\"overall_status\":\"Warn\"},"
	    "\"issues\":[{\"title\":\"x 1\"},{\"title\":\"y\"},{\"title\":\"x 2\"}]}",
	    "{\"task_id\":\"B\",\"summary\":{\"overall_status\":\"warn\"},"
	    "\"issues\":[{\"title\":\"z\",\"severity\":\"Info\"},{\"title\":\"x 9\"}]}");
	/* x # twice before, once now: one persists, one is resolved. */
	check_lists(d, "z;", "y;x 2;", "x 9;");
	CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(d,
	    "status_changed")));
	CHECK(!history_regressed(d));	/* only an Info issue is new */
	CHECK_STR(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(d,
	    "from"), "task_id")->valuestring, "A");
	cJSON_Delete(d);
	/* No issues at all (null, missing, not an array) on either side. */
	d = diff("{\"issues\":null}", "{\"issues\":[{\"title\":\"n\"}],"
	    "\"summary\":{\"overall_status\":\"Critical\"}}");
	check_lists(d, "n;", "", "");
	CHECK(history_regressed(d));	/* no severity: counted as Warn */
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d,
	    "status_changed")));
	cJSON_Delete(d);
	d = diff("{\"issues\":{\"title\":\"n\"}}", "{}");
	check_lists(d, "", "", "");
	CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(d,
	    "status_changed")));
	cJSON_Delete(d);
}

void
test_history(void)
{
	test_fingerprint();
	test_serious();
	test_diff();
}
