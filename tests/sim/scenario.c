/*
 * Loading the scenario: the JSON file named by ALIYUN_SIM_SCENARIO that
 * says which cloud the simulator pretends to talk to.  Every key is checked
 * against the documented set and its type, and anything unexpected ends the
 * run with exit 125, so that a typo in a test fails loudly instead of
 * silently testing the default.  Free-form parts (service and job objects,
 * the task result, error bodies) are taken as they are.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

enum kind {
	K_STRING,
	K_STRING_NULL,		/* a string or null */
	K_BOOL,
	K_UINT,			/* a non-negative integer */
	K_UNUM,			/* a non-negative number */
	K_OBJECT,
	K_OBJECT_STRING,	/* an object or a string */
	K_ARRAY,
	K_ANY
};

struct key {
	const char	*name;
	enum kind	 kind;
};

static const struct key top_keys[] = {
	{ "version", K_STRING },
	{ "ai_mode", K_BOOL },
	{ "corrupt_config", K_BOOL },
	{ "plugins_installed", K_BOOL },
	{ "color", K_BOOL },
	{ "plugin_update", K_STRING },
	{ "eas_services", K_ARRAY },
	{ "eas_page_cap", K_UINT },
	{ "dlc_jobs", K_ARRAY },
	{ "task", K_OBJECT },
	{ "rules", K_ARRAY },
	{ "throttle", K_OBJECT },
	{ "linger_ms", K_UINT },
	{ NULL, K_ANY }
};

static const struct key throttle_keys[] = {
	{ "per_second", K_UINT },
	{ "form", K_STRING },
	{ "code", K_STRING },
	{ "retry_after", K_UNUM },
	{ NULL, K_ANY }
};

static const struct key task_keys[] = {
	{ "id", K_STRING },
	{ "statuses", K_ARRAY },
	{ "result", K_ANY },
	{ "result_as_string", K_BOOL },
	{ "err_msg", K_STRING },
	{ "url", K_STRING_NULL },
	{ "in_progress", K_STRING_NULL },
	{ "per_instance", K_BOOL },
	{ "by_instance", K_OBJECT },
	{ NULL, K_ANY }
};

/* What task.by_instance.<instance> may override. */
static const struct key override_keys[] = {
	{ "statuses", K_ARRAY },
	{ "result", K_ANY },
	{ "result_as_string", K_BOOL },
	{ "err_msg", K_STRING },
	{ "url", K_STRING_NULL },
	{ "in_progress", K_STRING_NULL },
	{ NULL, K_ANY }
};

static const struct key rule_keys[] = {
	{ "name", K_STRING },
	{ "cmd", K_STRING },
	{ "times", K_UINT },
	{ "exit_code", K_UINT },
	{ "stdout", K_STRING },
	{ "stderr", K_STRING },
	{ "stdout_file", K_STRING },
	{ "stderr_file", K_STRING },
	{ "error", K_OBJECT },
	{ "delay_ms", K_UINT },
	{ "hang", K_BOOL },
	{ "ignore_sigterm", K_BOOL },
	{ "grandchild", K_BOOL },
	{ "grandchild_setsid", K_BOOL },
	{ "close_then_ms", K_UINT },
	{ "signal", K_STRING },
	{ "stdout_bytes", K_UINT },
	{ "preamble", K_BOOL },
	{ "raw_stdout_hex", K_STRING },
	{ NULL, K_ANY }
};

static const struct key error_keys[] = {
	{ "form", K_STRING },
	{ "http", K_UINT },
	{ "body", K_OBJECT_STRING },
	{ "category", K_STRING },
	{ NULL, K_ANY }
};

static const char *const plugin_update_values[] = {
	"ok", "none", "updated", "partial", "fail", "offline", NULL
};

static const char *const signal_values[] = {
	"", "KILL", "SEGV", "TERM", "INT", "HUP", "ABRT", NULL
};

static int
bad(const char *fmt, ...) SIM_FMT(1, 2);

static int
bad(const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	sbuf_adds(&sb, "aliyun-sim: scenario: ");
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	sbuf_addc(&sb, '\n');
	(void)out_write(2, sb.buf, sb.len);
	sbuf_release(&sb);
	return -1;
}

static int
kind_ok(const cJSON *j, enum kind kind)
{
	double d;

	switch (kind) {
	case K_STRING:
		return cJSON_IsString(j);
	case K_STRING_NULL:
		return cJSON_IsString(j) || cJSON_IsNull(j);
	case K_BOOL:
		return cJSON_IsBool(j);
	case K_UINT:
		if (!cJSON_IsNumber(j))
			return 0;
		d = j->valuedouble;
		return d >= 0 && d < 1e15 && (double)(long long)d == d;
	case K_UNUM:
		return cJSON_IsNumber(j) && j->valuedouble >= 0 &&
		    j->valuedouble < 1e9;
	case K_OBJECT:
		return cJSON_IsObject(j);
	case K_OBJECT_STRING:
		return cJSON_IsObject(j) || cJSON_IsString(j);
	case K_ARRAY:
		return cJSON_IsArray(j);
	case K_ANY:
		return 1;
	}
	return 0;
}

static const char *
kind_name(enum kind kind)
{
	switch (kind) {
	case K_STRING:
		return "a string";
	case K_STRING_NULL:
		return "a string or null";
	case K_BOOL:
		return "true or false";
	case K_UINT:
		return "a non-negative integer";
	case K_UNUM:
		return "a non-negative number";
	case K_OBJECT:
		return "an object";
	case K_OBJECT_STRING:
		return "an object or a string";
	case K_ARRAY:
		return "an array";
	case K_ANY:
		break;
	}
	return "anything";
}

/* Check every member of obj against keys; where prefixes the key names. */
static int
check_keys(const cJSON *obj, const struct key *keys, const char *where)
{
	const cJSON *c;
	size_t i;

	for (c = obj->child; c != NULL; c = c->next) {
		for (i = 0; keys[i].name != NULL; i++)
			if (strcmp(keys[i].name, c->string) == 0)
				break;
		if (keys[i].name == NULL)
			return bad("unknown key '%s%s'", where, c->string);
		if (!kind_ok(c, keys[i].kind))
			return bad("key '%s%s' must be %s", where, c->string,
			    kind_name(keys[i].kind));
	}
	return 0;
}

static int
one_of(const char *v, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(v, list[i]) == 0)
			return 1;
	return 0;
}

static int
check_hex(const char *h)
{
	size_t n = strlen(h);

	return n % 2 == 0 && strspn(h, "0123456789abcdefABCDEF") == n;
}

static int
check_error(const cJSON *e, const char *where)
{
	const cJSON *j;
	enum err_form form;

	if (check_keys(e, error_keys, where) == -1)
		return -1;
	j = cJSON_GetObjectItemCaseSensitive(e, "form");
	if (!cJSON_IsString(j))
		return bad("key '%sform' is required", where);
	if (form_parse(j->valuestring, &form) == -1)
		return bad("key '%sform': unknown form '%s'", where,
		    j->valuestring);
	j = cJSON_GetObjectItemCaseSensitive(e, "http");
	if (j != NULL && (j->valuedouble < 100 || j->valuedouble > 599))
		return bad("key '%shttp' must be an HTTP status", where);
	return 0;
}

static int
check_rule(const cJSON *r, size_t i)
{
	char where[64], ewhere[80];
	const cJSON *j;
	int n;

	if (!cJSON_IsObject(r))
		return bad("rules[%zu] must be an object", i);
	n = snprintf(where, sizeof(where), "rules[%zu].", i);
	if (n < 0 || (size_t)n >= sizeof(where))
		return bad("too many rules");
	if (check_keys(r, rule_keys, where) == -1)
		return -1;
	j = cJSON_GetObjectItemCaseSensitive(r, "cmd");
	if (!cJSON_IsString(j) || strspn(j->valuestring, " \t\n") ==
	    strlen(j->valuestring))
		return bad("key '%scmd' is required and must not be empty",
		    where);
	if (cJSON_HasObjectItem(r, "stdout") &&
	    cJSON_HasObjectItem(r, "stdout_file"))
		return bad("rules[%zu]: stdout and stdout_file exclude each "
		    "other", i);
	if (cJSON_HasObjectItem(r, "stderr") &&
	    cJSON_HasObjectItem(r, "stderr_file"))
		return bad("rules[%zu]: stderr and stderr_file exclude each "
		    "other", i);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "grandchild")) &&
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r,
	    "grandchild_setsid")))
		return bad("rules[%zu]: grandchild and grandchild_setsid "
		    "exclude each other", i);
	j = cJSON_GetObjectItemCaseSensitive(r, "exit_code");
	if (j != NULL && j->valuedouble > 255)
		return bad("key '%sexit_code' must be at most 255", where);
	j = cJSON_GetObjectItemCaseSensitive(r, "signal");
	if (j != NULL && !one_of(j->valuestring, signal_values))
		return bad("key '%ssignal': unknown signal '%s'", where,
		    j->valuestring);
	j = cJSON_GetObjectItemCaseSensitive(r, "raw_stdout_hex");
	if (j != NULL && !check_hex(j->valuestring))
		return bad("key '%sraw_stdout_hex' is not hex", where);
	j = cJSON_GetObjectItemCaseSensitive(r, "error");
	n = snprintf(ewhere, sizeof(ewhere), "%serror.", where);
	if (n < 0 || (size_t)n >= sizeof(ewhere))
		return bad("too many rules");
	if (j != NULL && check_error(j, ewhere) == -1)
		return -1;
	return 0;
}

static int
check_objects(const cJSON *arr, const char *name)
{
	const cJSON *c;
	size_t i = 0;

	cJSON_ArrayForEach(c, arr) {
		if (!cJSON_IsObject(c))
			return bad("%s[%zu] must be an object", name, i);
		i++;
	}
	return 0;
}

/*
 * Set from t the members of tk that t has (everything but id, per_instance
 * and by_instance); where prefixes the key names in messages.  Returns 0,
 * or -1 after saying what is wrong.
 */
int
task_fill(struct task *tk, const cJSON *t, const char *where)
{
	const cJSON *j, *c;

	j = cJSON_GetObjectItemCaseSensitive(t, "statuses");
	if (j != NULL) {
		if (cJSON_GetArraySize(j) == 0)
			return bad("key '%sstatuses' must not be empty", where);
		cJSON_ArrayForEach(c, j)
			if (!cJSON_IsString(c))
				return bad("key '%sstatuses' must hold "
				    "strings", where);
		tk->statuses = j;
	}
	if ((j = cJSON_GetObjectItemCaseSensitive(t, "result")) != NULL)
		tk->result = j;
	if ((j = cJSON_GetObjectItemCaseSensitive(t, "result_as_string")) !=
	    NULL)
		tk->result_as_string = cJSON_IsTrue(j);
	j = cJSON_GetObjectItemCaseSensitive(t, "err_msg");
	if (j != NULL)
		tk->err_msg = j->valuestring;
	j = cJSON_GetObjectItemCaseSensitive(t, "url");
	if (j != NULL) {
		tk->url = NULL;
		tk->url_omit = cJSON_IsNull(j) || j->valuestring[0] == '\0';
		if (!tk->url_omit)
			tk->url = j->valuestring;
	}
	j = cJSON_GetObjectItemCaseSensitive(t, "in_progress");
	if (j != NULL)
		tk->in_progress = cJSON_IsString(j) ? j->valuestring : NULL;
	return 0;
}

static int
load_task(struct scenario *sc, const cJSON *t)
{
	struct task *tk = &sc->task, probe;
	const cJSON *j, *c;
	char where[256];
	int n;

	if (check_keys(t, task_keys, "task.") == -1)
		return -1;
	j = cJSON_GetObjectItemCaseSensitive(t, "id");
	if (j != NULL) {
		if (j->valuestring[0] == '\0')
			return bad("key 'task.id' must not be empty");
		tk->id = j->valuestring;
	}
	if (task_fill(tk, t, "task.") == -1)
		return -1;
	tk->per_instance = cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(t, "per_instance"));
	tk->by_instance = cJSON_GetObjectItemCaseSensitive(t, "by_instance");
	cJSON_ArrayForEach(c, tk->by_instance) {
		n = snprintf(where, sizeof(where), "task.by_instance.%s.",
		    c->string);
		if (n < 0 || (size_t)n >= sizeof(where))
			return bad("task.by_instance: instance name too long");
		if (!cJSON_IsObject(c))
			return bad("key '%.*s' must be an object", n - 1,
			    where);
		if (check_keys(c, override_keys, where) == -1)
			return -1;
		probe = *tk;
		if (task_fill(&probe, c, where) == -1)
			return -1;
	}
	return 0;
}

static int
load_throttle(struct scenario *sc, const cJSON *t)
{
	struct throttle *th = &sc->throttle;
	const cJSON *j;
	enum err_form form;

	if (check_keys(t, throttle_keys, "throttle.") == -1)
		return -1;
	j = cJSON_GetObjectItemCaseSensitive(t, "per_second");
	if (j == NULL || j->valuedouble < 1)
		return bad("key 'throttle.per_second' is required and must be "
		    "at least 1");
	th->per_second = (long)j->valuedouble;
	th->form = FORM_PLUGIN;
	j = cJSON_GetObjectItemCaseSensitive(t, "form");
	if (j != NULL) {
		if (form_parse(j->valuestring, &form) == -1 ||
		    form == FORM_BUSINESS || form == FORM_NETWORK)
			return bad("key 'throttle.form' must be plugin, server, "
			    "envelope or envelope2");
		th->form = (int)form;
	}
	th->code = "Throttling.User";
	j = cJSON_GetObjectItemCaseSensitive(t, "code");
	if (j != NULL) {
		if (j->valuestring[0] == '\0')
			return bad("key 'throttle.code' must not be empty");
		th->code = j->valuestring;
	}
	j = cJSON_GetObjectItemCaseSensitive(t, "retry_after");
	if (j != NULL) {
		th->has_retry_after = 1;
		th->retry_after = j->valuedouble;
	}
	return 0;
}

static int
flag_of(const cJSON *root, const char *key, int def)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(root, key);

	return j == NULL ? def : cJSON_IsTrue(j);
}

static int
load_root(struct scenario *sc)
{
	const cJSON *root = sc->root, *j;
	size_t i = 0;

	if (!cJSON_IsObject(root))
		return bad("the scenario must be a JSON object");
	if (check_keys(root, top_keys, "") == -1)
		return -1;
	j = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (j != NULL)
		sc->version = j->valuestring;
	sc->ai_mode = flag_of(root, "ai_mode", 1);
	sc->corrupt_config = flag_of(root, "corrupt_config", 0);
	sc->plugins_installed = flag_of(root, "plugins_installed", 1);
	sc->color = flag_of(root, "color", 0);
	j = cJSON_GetObjectItemCaseSensitive(root, "plugin_update");
	if (j != NULL) {
		if (!one_of(j->valuestring, plugin_update_values))
			return bad("key 'plugin_update': unknown value '%s'",
			    j->valuestring);
		sc->plugin_update = j->valuestring;
	}
	sc->eas_services = cJSON_GetObjectItemCaseSensitive(root,
	    "eas_services");
	if (sc->eas_services != NULL &&
	    check_objects(sc->eas_services, "eas_services") == -1)
		return -1;
	j = cJSON_GetObjectItemCaseSensitive(root, "eas_page_cap");
	if (j != NULL) {
		if (j->valuedouble < 1)
			return bad("key 'eas_page_cap' must be at least 1");
		sc->eas_page_cap = (long)j->valuedouble;
	}
	sc->dlc_jobs = cJSON_GetObjectItemCaseSensitive(root, "dlc_jobs");
	if (sc->dlc_jobs != NULL &&
	    check_objects(sc->dlc_jobs, "dlc_jobs") == -1)
		return -1;
	j = cJSON_GetObjectItemCaseSensitive(root, "task");
	if (j != NULL && load_task(sc, j) == -1)
		return -1;
	j = cJSON_GetObjectItemCaseSensitive(root, "throttle");
	if (j != NULL && load_throttle(sc, j) == -1)
		return -1;
	j = cJSON_GetObjectItemCaseSensitive(root, "linger_ms");
	if (j != NULL)
		sc->linger_ms = (long)j->valuedouble;
	sc->rules = cJSON_GetObjectItemCaseSensitive(root, "rules");
	cJSON_ArrayForEach(j, sc->rules) {
		if (check_rule(j, i) == -1)
			return -1;
		i++;
	}
	return 0;
}

static void
defaults(struct scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->version = DEFAULT_VERSION;
	sc->ai_mode = 1;
	sc->plugins_installed = 1;
	sc->plugin_update = "ok";
	sc->task.id = DEFAULT_TASK_ID;
}

/*
 * Load the scenario at path (NULL or "": the empty scenario).  Returns 0,
 * or -1 after saying why on stderr; scenario_release() frees it either way.
 */
int
scenario_load(struct scenario *sc, const char *path)
{
	struct sbuf text = SBUF_INIT;
	const char *slash, *err;
	int rc = -1;

	defaults(sc);
	if (path == NULL || path[0] == '\0') {
		sc->dir = xstrdup(".");
		return 0;
	}
	slash = strrchr(path, '/');
	if (slash == NULL)
		sc->dir = xstrdup(".");
	else
		sc->dir = xstrndup(path, slash == path ? 1 :
		    (size_t)(slash - path));
	if (read_file(path, &text) == -1) {
		bad("cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	sc->root = cJSON_ParseWithLength(text.buf, text.len);
	if (sc->root == NULL) {
		err = cJSON_GetErrorPtr();
		bad("'%s' is not valid JSON (near '%.20s')", path,
		    err ? err : "");
		goto out;
	}
	rc = load_root(sc);
out:
	sbuf_release(&text);
	return rc;
}

void
scenario_release(struct scenario *sc)
{
	cJSON_Delete(sc->root);
	free(sc->dir);
	sc->root = NULL;
	sc->dir = NULL;
}

/* The path of a *_file named in the scenario; caller frees. */
char *
scenario_path(const struct scenario *sc, const char *name)
{
	return path_join(sc->dir, name);
}
