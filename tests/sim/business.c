/*
 * The business commands: the sysom, eas and pai-dlc plugins behind the
 * host.  Before a plugin runs, the host checks the profile (exit 3 on
 * failure) and, when the plugin is missing, installs it in the same run,
 * printing a preamble before the JSON, or refuses (aliyun-facts.md 2.5).
 * Each plugin then answers from the scenario: the SysOM task with its
 * status sequence and result, the EAS services with the name-only fuzzy
 * filter and paging, the DLC jobs.  Bodies follow section 4 of the facts;
 * errors come out in the plugin's TEA form.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "sim.h"

/* The ocd result of aliyun-facts.md 4.5, the default task result. */
static const char default_result[] =
"{\"product\":\"EAS\",\"diagnose_mode\":\"realtime\",\"summary\":{"
"\"overall_status\":\"Critical\",\"root_cause\":\"Instance "
"eas-m-bp79exq2lzbd0ctdfu-6c9f7d8b5-x2k4p hit CUDA out-of-memory: GPU0 "
"memory used 79.6 GiB / 80 GiB while max batch size was 64; the inference "
"process (pid 2871, python) was restarted 3 times in the last 30 minutes.\","
"\"suggestions\":[\"Reduce max batch size or max sequence length in the "
"service config to lower peak GPU memory.\",\"Enable request queueing / "
"concurrency limits so bursts do not over-commit GPU memory.\",\"Scale out "
"to more instances or move to a GPU spec with more memory.\",\"After the "
"change, re-run diagnosis to confirm GPU memory headroom above 10%.\"]},"
"\"issues\":[{\"item\":\"gpu_diag\",\"subsystem\":\"GPU\",\"severity\":"
"\"Critical\",\"title\":\"GPU memory exhausted (CUDA OOM)\",\"detail\":"
"\"GPU0 memory utilization 99.5% (79.6/80 GiB); 3 OOM-triggered restarts "
"of pid 2871 in 30 min\",\"metrics\":{\"gpu_mem_used_gib\":79.6,"
"\"gpu_mem_total_gib\":80,\"oom_restarts_30m\":3}},{\"item\":"
"\"inference_latency\",\"subsystem\":\"Inference\",\"severity\":\"Warn\","
"\"title\":\"First-token latency elevated\",\"detail\":\"p99 first-token "
"latency 4.8 s vs 1.2 s baseline\",\"metrics\":{\"ttft_p99_ms\":4800,"
"\"ttft_baseline_ms\":1200}},{\"item\":\"memgraph\",\"subsystem\":"
"\"Memory\",\"severity\":\"Info\",\"title\":\"Host memory normal\","
"\"detail\":\"MemAvailable 61% of 256 GiB; no memcg OOM events\","
"\"metrics\":{\"mem_available_pct\":61}}]}";

/* What get-diagnosis-result echoes when nothing was invoked. */
static const char default_params[] =
"{\"instance\":\"eas-m-bp79exq2lzbd0ctdfu\",\"region\":\"cn-hangzhou\","
"\"product\":\"EAS\",\"start_time\":0,\"end_time\":0,\"type\":\"ocd\","
"\"ai_roadmap\":true,\"enable_sysom_link\":false}";

static const char *const default_statuses[] = {
	"Ready", "Running", "Running", "Success", NULL
};

static const char *const global_flags[] = {
	"--user-agent", "--profile", "--region", NULL
};

/* One business call: what it is and where it goes. */
struct call {
	struct sim	*s;
	const char	*product;	/* sysom, eas, pai-dlc */
	const char	*sub;		/* invoke-diagnosis, ... */
	const char	*region;	/* --region, else the profile's */
	struct gate	 gate;
};

int
is_business(const char *word)
{
	return strcmp(word, "sysom") == 0 || strcmp(word, "eas") == 0 ||
	    strcmp(word, "pai-dlc") == 0;
}

static void
plugin_name(struct sbuf *sb, const char *product)
{
	sbuf_addf(sb, "aliyun-cli-%s", product);
}

/* The lines a first call prints while it auto-installs the plugin. */
void
plugin_preamble(const struct sim *s, const char *product, const char *sub)
{
	struct sbuf name = SBUF_INIT;

	(void)s;
	plugin_name(&name, product);
	out_printf(2, "Plugin '%s' is required for command '%s %s' but not "
	    "installed.\nAuto-installing plugin '%s'...\n", name.buf, product,
	    sub ? sub : "", name.buf);
	out_printf(1, "Downloading %s %s...\nPlugin %s %s installed "
	    "successfully!\n", name.buf, PLUGIN_VERSION, name.buf,
	    PLUGIN_VERSION);
	sbuf_release(&name);
}

/* The plugin's lines on stdout as the plugin manager installs it. */
static void
install_lines(const char *name)
{
	out_printf(1, "Downloading %s %s...\nPlugin %s %s installed "
	    "successfully!\n", name, PLUGIN_VERSION, name, PLUGIN_VERSION);
}

/*
 * The error of 3.4.11 when a missing plugin is not installed (the plugin
 * index being reachable): red as a whole, exit 1.
 */
static int
not_installed_error(const struct call *c, const char *name)
{
	host_error(c->s, "'%s' is not a valid built-in product.\nA plugin "
	    "'%s' is available which supports this product.\nRun 'aliyun "
	    "plugin install --names %s' to install it.", c->product, name,
	    name);
	return 1;
}

/*
 * One line from stdin, as bufio.Reader.ReadString('\n') reads it.
 * Returns 0 with the line (without its newline) in sb, or -1 when the
 * input ends (or fails) before a newline; *err is then the errno, 0 for
 * end of file.  Unlike Go, it stops after 1 MiB without a newline (a
 * stdin like /dev/zero), taking that as the answer.
 */
static int
read_answer(struct sbuf *sb, int *err)
{
	ssize_t n;
	char ch;

	*err = 0;
	for (;;) {
		n = read(0, &ch, 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*err = errno;
			return -1;
		}
		if (n == 0)
			return -1;
		if (ch == '\n' || sb->len >= (1 << 20))
			return 0;
		sbuf_addc(sb, ch);
	}
}

/*
 * The prompt of interactiveInstallPlugin: everything on stderr, the
 * answer read from stdin.  Returns 0 when the plugin was installed, 1
 * when it was not (after the error), -1 when the answer was no.
 */
static int
prompt_install(const struct call *c, const char *name, const char *cmd)
{
	struct sbuf answer = SBUF_INIT;
	size_t k;
	char *a;
	int err, rc;

	out_printf(2, "Plugin '%s' is required for command '%s' but not "
	    "installed.\nTip: Run 'aliyun configure set --auto-plugin-install "
	    "true' to skip this prompt.\nDo you want to install it? [Y/n]: ",
	    name, cmd);
	if (read_answer(&answer, &err) == -1) {
		if (err == 0)
			host_error(c->s, "failed to read user input: EOF");
		else
			host_error(c->s, "failed to read user input: read "
			    "/dev/stdin: %c%s", tolower(
			    (unsigned char)strerror(err)[0]),
			    strerror(err) + 1);
		sbuf_release(&answer);
		return 1;
	}
	/* strings.TrimSpace(strings.ToLower(answer)) */
	sbuf_add(&answer, "", 0);
	a = answer.buf;
	for (k = 0; a[k] != '\0'; k++)
		a[k] = (char)tolower((unsigned char)a[k]);
	while (k > 0 && isspace((unsigned char)a[k - 1]))
		a[--k] = '\0';
	a += strspn(a, " \t\n\v\f\r");
	rc = strcmp(a, "") == 0 || strcmp(a, "y") == 0 ||
	    strcmp(a, "yes") == 0 ? 0 : -1;
	sbuf_release(&answer);
	if (rc == -1) {
		out_puts(2, "Installation cancelled.\n");
		return -1;
	}
	out_printf(2, "Installing plugin '%s'...\n", name);
	install_lines(name);
	return 0;
}

/*
 * Make sure the product's plugin is there, the way 3.4.11 does it
 * (openapi/commando.go findAndInstallPlugin): with auto-install (the
 * profile's flag, or ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL=true) it is
 * installed in the same run; without, a stdin that is not a character
 * device gets the install hints and the error, and a character device
 * (a terminal, /dev/null, or a closed stdin, which the Go runtime reopens
 * on /dev/null) gets the prompt.  Returns 0, or the exit code after
 * printing why not.
 */
static int
ensure_plugin(struct call *c)
{
	struct sim *s = c->s;
	struct sbuf name = SBUF_INIT, cmd = SBUF_INIT;
	const char *env;
	int rc = 0;

	plugin_name(&name, c->product);
	if (c->sub == NULL || s->sc.plugins_installed ||
	    state_flag(s, "plugins", name.buf))
		goto out;
	sbuf_addf(&cmd, "%s %s", c->product, c->sub);
	env = getenv("ALIBABA_CLOUD_CLI_PLUGIN_AUTO_INSTALL");
	if ((env != NULL && strcmp(env, "true") == 0) ||
	    c->gate.auto_plugin_install) {
		out_printf(2, "Plugin '%s' is required for command '%s' but not "
		    "installed.\nAuto-installing plugin '%s'...\n", name.buf,
		    cmd.buf, name.buf);
		install_lines(name.buf);
	} else if (strcmp(s->stdin_kind, "tty") != 0 &&
	    strcmp(s->stdin_kind, "chr") != 0 &&
	    strcmp(s->stdin_kind, "closed") != 0) {
		out_printf(2, "Plugin '%s' is required for command '%s' but not "
		    "installed.\nInstall it with: aliyun plugin install --names "
		    "%s\nNote: If the above fails (no stable version available), "
		    "try with pre-release versions:\n  aliyun plugin install "
		    "--names %s --enable-pre\n", name.buf, cmd.buf, name.buf,
		    name.buf);
		rc = not_installed_error(c, name.buf);
		goto out;
	} else if ((rc = prompt_install(c, name.buf, cmd.buf)) != 0) {
		if (rc == -1)
			rc = not_installed_error(c, name.buf);
		goto out;
	}
	state_set_flag(s, "plugins", name.buf);
out:
	sbuf_release(&name);
	sbuf_release(&cmd);
	return rc;
}

/*
 * What DEBUG=sdk makes the SDK print: the signed request, credentials
 * and all.  pai-diag removes DEBUG from the environment to avoid it.
 */
void
debug_dump(const struct sim *s, const char *product, const char *sub,
    const char *region, int http)
{
	struct sbuf sb = SBUF_INIT, q = SBUF_INIT;
	const char *debug = getenv("DEBUG"), *ua;

	if (debug == NULL || strstr(debug, "sdk") == NULL)
		return;
	ua = args_get(&s->args, "--user-agent", NULL);
	signed_query(&q, product, sub, region);
	sbuf_addf(&sb, "> POST /?%s HTTP/1.1\n> Host: %s.%s.aliyuncs.com\n"
	    "> Accept-Encoding: identity\n> Authorization: acs %s:"
	    "q3F+k9sZ0xYb1vT7mN2pL4wR8eE=\n> User-Agent: AlibabaCloud (linux; "
	    "amd64) Go/1.22.5 Core/1.63.107 aliyun-cli/%s%s%s\n"
	    "> x-acs-action: ", q.buf, product_host(product), region,
	    FAKE_AK_ID, s->sc.version, ua ? " " : "", ua ? ua : "");
	action_name(&sb, sub);
	sbuf_addf(&sb, "\n>\n< HTTP/1.1 %s\n< Content-Type: "
	    "application/json;charset=utf-8\n<\n", http == 429 ?
	    "429 Too Many Requests" : "200 OK");
	(void)out_write(2, sb.buf, sb.len);
	sbuf_release(&q);
	sbuf_release(&sb);
}

/* Check the flags of a subcommand; returns 0 or the usage exit code. */
static int
check_flags(struct call *c, const char *const *own)
{
	const char *bad = args_check(&c->s->args, global_flags, own);

	if (bad == NULL)
		return 0;
	return invalid_flag(c->s, bad, own);
}

/*
 * The request goes out: through the rate limit (call_admit), then the
 * DEBUG=sdk dump.  Returns -1 to go on, else the exit code of the
 * throttling error already printed.
 */
static int
call_start(struct call *c)
{
	int rc = call_admit(c->s, c->product, c->sub, c->region);

	if (rc == -1)
		debug_dump(c->s, c->product, c->sub, c->region, 200);
	return rc;
}

/* A plugin error with a body built from code and message. */
static int
plugin_error(struct call *c, int http, const char *code, const char *msg,
    const char *rid)
{
	struct sbuf host = SBUF_INIT;
	struct api_error e;
	cJSON *body;
	int rc;

	sbuf_addf(&host, "%s.%s.aliyuncs.com", product_host(c->product),
	    c->region);
	body = api_error_body(code, msg, rid, host.buf,
	    strcmp(c->product, "sysom") == 0 ? "SysOM" : c->product);
	memset(&e, 0, sizeof(e));
	e.form = FORM_PLUGIN;
	e.http = http;
	e.body = body;
	e.product = c->product;
	e.sub = c->sub;
	e.region = c->region;
	rc = api_error_emit(c->s, &e);
	cJSON_Delete(body);
	sbuf_release(&host);
	return rc;
}

/* Sysom.InvalidParameter with the documented message around detail. */
static int
invalid_parameter(struct call *c, const char *detail)
{
	struct sbuf msg = SBUF_INIT;
	int rc;

	sbuf_addf(&msg, "Invalid parameters passed when calling the "
	    "interface. %s.", detail);
	rc = plugin_error(c, 400, "Sysom.InvalidParameter", msg.buf,
	    "9A8B7C6D-5E4F-5A3B-8C2D-1E0F9A8B7C6D");
	sbuf_release(&msg);
	return rc;
}

static void
add_str(cJSON *obj, const char *key, const char *v)
{
	if (cJSON_AddStringToObject(obj, key, v) == NULL)
		die("out of memory");
}

static void
add_num(cJSON *obj, const char *key, double v)
{
	if (cJSON_AddNumberToObject(obj, key, v) == NULL)
		die("out of memory");
}

static cJSON *
new_object(void)
{
	cJSON *j = cJSON_CreateObject();

	if (j == NULL)
		die("out of memory");
	return j;
}

static int
sysom_initial(struct call *c)
{
	static const char *const own[] = { "--check-only", "--source", NULL };
	cJSON *j, *data;
	int rc;

	if ((rc = check_flags(c, own)) != 0)
		return rc;
	if ((rc = call_start(c)) != -1)
		return rc;
	j = new_object();
	add_str(j, "RequestId", "1F0C2B7E-6A3D-5C1B-9E44-2B7A90C3D5E1");
	add_str(j, "code", "Success");
	add_str(j, "message", "");
	data = cJSON_AddObjectToObject(j, "data");
	if (data == NULL || cJSON_AddTrueToObject(data, "role_exist") == NULL)
		die("out of memory");
	json_put_pretty(1, j);
	cJSON_Delete(j);
	return 0;
}

/* Whether every character of v is in [A-Za-z0-9_.~-]. */
static int
description_ok(const char *v)
{
	return strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.~-") == strlen(v);
}

/* Check --params; returns NULL or what is wrong with it (static text). */
static const char *
params_problem(const cJSON *p, struct sbuf *why)
{
	static const char *const need[] = {
		"instance", "region", "product", "type", NULL
	};
	const cJSON *j;
	size_t i;

	if (!cJSON_IsObject(p))
		return "params is not a valid JSON object";
	for (i = 0; need[i] != NULL; i++) {
		j = cJSON_GetObjectItemCaseSensitive(p, need[i]);
		if (!cJSON_IsString(j) || j->valuestring[0] == '\0') {
			sbuf_addf(why, "params.%s is required", need[i]);
			return why->buf;
		}
	}
	j = cJSON_GetObjectItemCaseSensitive(p, "ocd_description");
	if (j != NULL && (!cJSON_IsString(j) ||
	    !description_ok(j->valuestring)))
		return "ocd_description contains invalid characters";
	return NULL;
}

/* Sysom.TaskInProgress naming id ("": no ocd(...) in the message). */
static int
task_in_progress(struct call *c, const char *id)
{
	struct sbuf msg = SBUF_INIT;
	int rc;

	sbuf_adds(&msg, "A diagnosis task is already in progress for this "
	    "instance, please wait for it to finish");
	if (id[0] != '\0')
		sbuf_addf(&msg, ": ocd(%s)", id);
	else
		sbuf_addc(&msg, '.');
	rc = plugin_error(c, 400, "Sysom.TaskInProgress", msg.buf,
	    "3E1D5C7B-2A49-5F60-8B1C-D2E3F4A5B6C7");
	sbuf_release(&msg);
	return rc;
}

/*
 * The task id of task.per_instance: FNV-1a (64 bits) of
 * "<instance>\n<region>", as 8 base-62 digits, least significant first.
 */
static void
task_id_of(char out[9], const char *instance, const char *region)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned long long h = 14695981039346656037ULL;
	const char *p;
	int i;

	for (p = instance; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ (unsigned char)'\n') * 1099511628211ULL;
	for (p = region; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (i = 0; i < 8; i++) {
		out[i] = digits[h % 62];
		h /= 62;
	}
	out[8] = '\0';
}

/*
 * The task as seen for instance: the scenario's, with the overrides of
 * task.by_instance.<instance> in per-instance mode.
 */
static void
task_view(const struct sim *s, const char *instance, struct task *out)
{
	const cJSON *j;

	*out = s->sc.task;
	if (!out->per_instance || instance == NULL)
		return;
	j = cJSON_GetObjectItemCaseSensitive(out->by_instance, instance);
	if (cJSON_IsObject(j))
		(void)task_fill(out, j, "");
}

static long
rec_number(const cJSON *rec, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(rec, key);

	return cJSON_IsNumber(j) ? (long)j->valuedouble : 0;
}

static void
rec_set(cJSON *rec, const char *key, cJSON *v)
{
	if (v == NULL)
		die("out of memory");
	cJSON_DeleteItemFromObjectCaseSensitive(rec, key);
	cJSON_AddItemToObject(rec, key, v);
}

/* What an invoke does to a task record. */
struct invoke_edit {
	const cJSON	*params;
	const char	*in_progress;	/* the view's, or NULL */
	int		 busy;		/* out: answered TaskInProgress */
};

/* The first invoke of an instance with in_progress fails; others issue. */
static int
edit_invoke(cJSON *rec, void *arg)
{
	struct invoke_edit *e = arg;
	long n = rec_number(rec, "invokes");

	rec_set(rec, "invokes", cJSON_CreateNumber((double)n + 1));
	if (n == 0 && e->in_progress != NULL) {
		e->busy = 1;
		return 1;
	}
	rec_set(rec, "issued", cJSON_CreateTrue());
	rec_set(rec, "params", cJSON_Duplicate(e->params, 1));
	return 1;
}

/* The task named by TaskInProgress exists from then on. */
static int
edit_named(cJSON *rec, void *arg)
{
	struct invoke_edit *e = arg;

	rec_set(rec, "issued", cJSON_CreateTrue());
	rec_set(rec, "params", cJSON_Duplicate(e->params, 1));
	return 1;
}

/* A poll of a task record: its count, and a copy of its params. */
struct poll_edit {
	int	 found;
	long	 n;
	cJSON	*params;	/* out, owned by the caller */
};

static int
edit_poll(cJSON *rec, void *arg)
{
	struct poll_edit *e = arg;

	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "issued")))
		return 0;
	e->found = 1;
	e->n = rec_number(rec, "polls");
	rec_set(rec, "polls", cJSON_CreateNumber((double)e->n + 1));
	e->params = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(rec,
	    "params"), 1);
	return 1;
}

/* The body of a successful invoke. */
static void
invoke_success(const char *id)
{
	cJSON *j, *data;

	j = new_object();
	add_str(j, "code", "Success");
	add_str(j, "message", "");
	data = cJSON_AddObjectToObject(j, "data");
	if (data == NULL)
		die("out of memory");
	add_str(data, "task_id", id);
	add_str(j, "request_id", "8D2E4C61-0B7F-5A93-A1C2-6E5F4D3B2A10");
	json_put_pretty(1, j);
	cJSON_Delete(j);
}

/* invoke-diagnosis with task.per_instance: a task per instance and region. */
static int
invoke_per_instance(struct call *c, const cJSON *params)
{
	struct invoke_edit e;
	struct task view;
	const char *inst = json_text(params, "instance");
	char id[9];

	task_view(c->s, inst, &view);
	task_id_of(id, inst, json_text(params, "region"));
	memset(&e, 0, sizeof(e));
	e.params = params;
	e.in_progress = view.in_progress;
	state_task_edit(c->s, id, edit_invoke, &e);
	if (e.busy) {
		if (view.in_progress[0] != '\0')
			state_task_edit(c->s, view.in_progress, edit_named, &e);
		return task_in_progress(c, view.in_progress);
	}
	invoke_success(id);
	return 0;
}

static int
sysom_invoke(struct call *c)
{
	static const char *const own[] = {
		"--service-name", "--channel", "--params", NULL
	};
	struct sbuf why = SBUF_INIT;
	const char *svc, *chan, *text, *problem;
	cJSON *params = NULL;
	int rc;

	if ((rc = check_flags(c, own)) != 0)
		return rc;
	if ((rc = call_start(c)) != -1)
		return rc;
	svc = args_get(&c->s->args, "--service-name", NULL);
	chan = args_get(&c->s->args, "--channel", NULL);
	text = args_get(&c->s->args, "--params", NULL);
	if (svc == NULL || strcmp(svc, "ocd") != 0) {
		rc = invalid_parameter(c, svc == NULL ?
		    "service_name is required" : "service_name is not supported");
		goto out;
	}
	if (chan == NULL || strcmp(chan, "ecs") != 0) {
		rc = invalid_parameter(c, chan == NULL ?
		    "channel is required" : "channel is not supported");
		goto out;
	}
	if (text == NULL) {
		rc = invalid_parameter(c, "params is required");
		goto out;
	}
	params = cJSON_Parse(text);
	if ((problem = params_problem(params, &why)) != NULL) {
		rc = invalid_parameter(c, problem);
		goto out;
	}
	if (c->s->sc.task.per_instance) {
		rc = invoke_per_instance(c, params);
		goto out;
	}
	state_put_json(c->s, "last_params", params);
	if (state_bump(c->s, "counters", "invokes") == 0 &&
	    c->s->sc.task.in_progress != NULL) {
		rc = task_in_progress(c, c->s->sc.task.in_progress);
		goto out;
	}
	invoke_success(c->s->sc.task.id);
	rc = 0;
out:
	cJSON_Delete(params);
	sbuf_release(&why);
	return rc;
}

/* The status of the nth poll (from 0) of a task. */
static const char *
nth_status(const struct task *t, long n)
{
	const cJSON *j;
	long len, i;

	if (t->statuses == NULL) {
		for (i = 0; i < n && default_statuses[i + 1] != NULL; i++)
			;
		return default_statuses[i];
	}
	len = cJSON_GetArraySize(t->statuses);
	j = cJSON_GetArrayItem(t->statuses, (int)(n < len ? n : len - 1));
	return j->valuestring;
}

static const char *
status_request_id(const char *status)
{
	if (strcmp(status, "Ready") == 0)
		return "0A1B2C3D-4E5F-5061-8293-A4B5C6D7E8F9";
	if (strcasecmp(status, "Success") == 0)
		return "C4D5E6F7-0819-5A2B-8C3D-4E5F60718293";
	if (strcasecmp(status, "Fail") == 0)
		return "7B8C9D0E-1F2A-5B3C-9D4E-5F6A7B8C9D0E";
	return "5E6F7A8B-9C0D-51E2-A3F4-B5C6D7E8F9A0";
}

/* "YYYY-MM-DD HH:MM:SS" of the task's start plus secs. */
static void
task_time(cJSON *obj, const char *key, long secs)
{
	struct tm tm;
	time_t t;
	char b[32];

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 7;
	tm.tm_mday = 20;
	tm.tm_hour = 10;
	tm.tm_min = 15;
	tm.tm_sec = 2;
	t = timegm(&tm) + secs;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		die("cannot format a time");
	add_str(obj, key, b);
}

/* The result member of a Success answer. */
static cJSON *
task_result(const struct task *t)
{
	struct sbuf sb = SBUF_INIT;
	cJSON *r, *str;

	r = t->result ? cJSON_Duplicate(t->result, 1) :
	    json_parse_or_die(default_result);
	if (r == NULL)
		die("out of memory");
	if (!t->result_as_string || cJSON_IsString(r))
		return r;
	json_print(&sb, r, 0);
	cJSON_Delete(r);
	str = cJSON_CreateString(sb.buf);
	if (str == NULL)
		die("out of memory");
	sbuf_release(&sb);
	return str;
}

static void
fail_message(cJSON *data, const struct task *t, const cJSON *params)
{
	struct sbuf sb = SBUF_INIT;
	const char *inst;

	if (t->err_msg != NULL) {
		add_str(data, "err_msg", t->err_msg);
		return;
	}
	inst = json_text(params, "instance");
	sbuf_addf(&sb, "Diagnosis failed: target instance %s has no running "
	    "pods to diagnose", inst ? inst : "eas-m-bp1q2w3e4r5t6y7u");
	add_str(data, "err_msg", sb.buf);
	sbuf_release(&sb);
}

static int
sysom_result(struct call *c)
{
	static const char *const own[] = { "--task-id", NULL };
	const struct task *tk = &c->s->sc.task;
	struct task view;
	const struct task *t = &view;
	struct poll_edit pe;
	struct sbuf url = SBUF_INIT;
	const char *id, *status;
	cJSON *j, *data, *params;
	long n;
	int rc, fail;

	if ((rc = check_flags(c, own)) != 0)
		return rc;
	if ((rc = call_start(c)) != -1)
		return rc;
	id = args_get(&c->s->args, "--task-id", NULL);
	if (id == NULL || id[0] == '\0')
		return invalid_parameter(c, "task_id is required");
	if (tk->per_instance) {
		memset(&pe, 0, sizeof(pe));
		state_task_edit(c->s, id, edit_poll, &pe);
		if (!pe.found)
			return invalid_parameter(c, "task not found");
		n = pe.n;
		params = pe.params;
		if (params == NULL)
			params = json_parse_or_die(default_params);
		task_view(c->s, json_text(params, "instance"), &view);
	} else {
		if (strcmp(id, tk->id) != 0 && (tk->in_progress == NULL ||
		    tk->in_progress[0] == '\0' ||
		    strcmp(id, tk->in_progress) != 0))
			return invalid_parameter(c, "task not found");
		n = state_bump(c->s, "polls", id);
		params = state_get_json(c->s, "last_params");
		if (params == NULL)
			params = json_parse_or_die(default_params);
		view = *tk;
	}
	status = nth_status(t, n);
	fail = strcasecmp(status, "Fail") == 0;
	j = new_object();
	add_str(j, "code", "Success");
	add_str(j, "message", "");
	add_str(j, "request_id", status_request_id(status));
	data = cJSON_AddObjectToObject(j, "data");
	if (data == NULL)
		die("out of memory");
	add_str(data, "task_id", id);
	add_str(data, "service_name", "ocd");
	add_str(data, "status", status);
	add_num(data, "code", fail ? 1 : 0);
	if (fail)
		fail_message(data, t, params);
	else
		add_str(data, "err_msg", "");
	task_time(data, "created_at", 0);
	task_time(data, "updated_at", 29 * n);
	cJSON_AddItemToObject(data, "params", params);
	if (!t->url_omit) {
		if (t->url != NULL)
			sbuf_adds(&url, t->url);
		else
			sbuf_addf(&url, "/diagnose/detail/%s", id);
		add_str(data, "url", url.buf);
	}
	if (strcasecmp(status, "Success") == 0)
		cJSON_AddItemToObject(data, "result", task_result(t));
	else if (cJSON_AddObjectToObject(data, "result") == NULL)
		die("out of memory");
	json_put_pretty(1, j);
	cJSON_Delete(j);
	sbuf_release(&url);
	return 0;
}

/* A positive integer flag, def when absent; -1 when malformed. */
static long long
count_flag(const struct call *c, const char *name, long long def)
{
	const char *v, *err;
	long long n;
	int present;

	v = args_get(&c->s->args, name, &present);
	if (!present)
		return def;
	if (v == NULL)
		return -1;
	n = strtonum(v, 1, 1000000, &err);
	return err != NULL ? -1 : n;
}

/* Whether service svc is in region and its name contains filter. */
static int
service_matches(const cJSON *svc, const char *region, const char *filter)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(svc, "Region");

	if (cJSON_IsString(r) && strcmp(r->valuestring, region) != 0)
		return 0;
	if (filter == NULL || filter[0] == '\0')
		return 1;
	return strcasestr(prof_str(svc, "ServiceName"), filter) != NULL;
}

static int
eas_list(struct call *c)
{
	static const char *const own[] = {
		"--filter", "--page-number", "--page-size", NULL
	};
	const char *filter;
	const cJSON *svc;
	cJSON *j, *arr, *dup;
	long long pn, ps, eff, total = 0, first;
	int rc;

	if ((rc = check_flags(c, own)) != 0)
		return rc;
	if ((rc = call_start(c)) != -1)
		return rc;
	pn = count_flag(c, "--page-number", 1);
	ps = count_flag(c, "--page-size", 100);
	if (pn == -1 || ps == -1)
		return plugin_error(c, 400, "InvalidParameter", pn == -1 ?
		    "Invalid parameter PageNumber" : "Invalid parameter PageSize",
		    "2F3A4B5C-6D7E-4F80-9A1B-2C3D4E5F6A7B");
	filter = args_get(&c->s->args, "--filter", NULL);
	j = new_object();
	add_num(j, "PageNumber", (double)pn);
	add_num(j, "PageSize", (double)ps);
	add_str(j, "RequestId", "40325405-579C-4D82-B7A1-2C3D4E5F6A7B");
	arr = cJSON_AddArrayToObject(j, "Services");
	if (arr == NULL)
		die("out of memory");
	/*
	 * eas_page_cap: the server pages by min(asked, cap) but echoes what
	 * was asked, so a page can be short although more pages follow.
	 */
	eff = c->s->sc.eas_page_cap > 0 && ps > c->s->sc.eas_page_cap ?
	    c->s->sc.eas_page_cap : ps;
	first = (pn - 1) * eff;
	cJSON_ArrayForEach(svc, c->s->sc.eas_services) {
		if (!service_matches(svc, c->region, filter))
			continue;
		if (total >= first && total < first + eff) {
			dup = cJSON_Duplicate(svc, 1);
			if (dup == NULL)
				die("out of memory");
			cJSON_AddItemToArray(arr, dup);
		}
		total++;
	}
	if (total == 0)
		cJSON_SetValuestring(cJSON_GetObjectItemCaseSensitive(j,
		    "RequestId"), "5B6C7D8E-9F0A-4B1C-8D2E-3F4A5B6C7D8E");
	add_num(j, "TotalCount", (double)total);
	json_put_pretty(1, j);
	cJSON_Delete(j);
	return 0;
}

static int
dlc_get_job(struct call *c)
{
	static const char *const own[] = { "--job-id", NULL };
	struct sbuf msg = SBUF_INIT;
	const char *id, *jid;
	const cJSON *job = NULL, *k, *reg;
	cJSON *j, *dup;
	int rc;

	if ((rc = check_flags(c, own)) != 0)
		return rc;
	if ((rc = call_start(c)) != -1)
		return rc;
	id = args_get(&c->s->args, "--job-id", NULL);
	cJSON_ArrayForEach(k, c->s->sc.dlc_jobs) {
		jid = prof_str(k, "JobId");
		reg = cJSON_GetObjectItemCaseSensitive(k, "Region");
		if (cJSON_IsString(reg) && strcmp(reg->valuestring,
		    c->region) != 0)
			continue;
		if (id != NULL && jid[0] != '\0' && strcmp(id, jid) == 0) {
			job = k;
			break;
		}
	}
	if (job == NULL) {
		sbuf_addf(&msg, "Job %s not found", id ? id : "");
		rc = plugin_error(c, 404, "NotFound", msg.buf,
		    "8E9F0A1B-2C3D-4E5F-8A6B-7C8D9E0F1A2B");
		sbuf_release(&msg);
		return rc;
	}
	j = new_object();
	if (!cJSON_HasObjectItem(job, "RequestId"))
		add_str(j, "RequestId", "473469C7-AA6F-4DC5-B3DB-0A1B2C3D4E5F");
	cJSON_ArrayForEach(k, job) {
		dup = cJSON_Duplicate(k, 1);
		if (dup == NULL)
			die("out of memory");
		cJSON_AddItemToObject(j, k->string, dup);
	}
	json_put_pretty(1, j);
	cJSON_Delete(j);
	return 0;
}

static int
dispatch(struct call *c)
{
	static const char *const sysom_subs[] = {
		"get-diagnosis-result", "initial-sysom", "invoke-diagnosis", NULL
	};
	static const char *const eas_subs[] = { "list-services", NULL };
	static const char *const dlc_subs[] = { "get-job", NULL };
	const char *p = c->product, *sub = c->sub;

	if (strcmp(p, "sysom") == 0) {
		if (strcmp(sub, "initial-sysom") == 0)
			return sysom_initial(c);
		if (strcmp(sub, "invoke-diagnosis") == 0)
			return sysom_invoke(c);
		if (strcmp(sub, "get-diagnosis-result") == 0)
			return sysom_result(c);
		return not_a_command(c->s, sub, sysom_subs);
	}
	if (strcmp(p, "eas") == 0) {
		if (strcmp(sub, "list-services") == 0)
			return eas_list(c);
		return not_a_command(c->s, sub, eas_subs);
	}
	if (strcmp(sub, "get-job") == 0)
		return dlc_get_job(c);
	return not_a_command(c->s, sub, dlc_subs);
}

/* sysom | eas | pai-dlc SUBCOMMAND [flags] */
int
cmd_business(struct sim *s)
{
	struct call c;
	const char *flag;
	int rc, ua;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.product = s->args.pos[0];
	c.sub = s->args.npos > 1 ? s->args.pos[1] : NULL;
	if (version_before(s, "3.3.0"))
		return not_a_command(s, c.product, NULL);
	(void)args_get(&s->args, "--user-agent", &ua);
	if (ua && version_before(s, "3.3.1"))
		return invalid_flag(s, "--user-agent", NULL);
	if ((rc = gate_check(s, &c.gate)) != 0)
		return rc;
	flag = args_get(&s->args, "--region", NULL);
	c.region = flag != NULL && flag[0] != '\0' ? flag : c.gate.region;
	if ((rc = ensure_plugin(&c)) != 0)
		goto out;
	if (c.sub == NULL) {
		out_printf(1, "Usage: aliyun %s <command> [flags]\n", c.product);
		rc = 0;
		goto out;
	}
	rc = dispatch(&c);
out:
	gate_release(&c.gate);
	return rc;
}
