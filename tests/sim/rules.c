/*
 * Scenario rules: canned answers that take precedence over the simulated
 * CLI, in the spirit of "aliyun mock".  A rule matches when the words of
 * its "cmd" appear in the command line in order, a flag and the value that
 * follows it in "cmd" staying side by side, so that extra arguments such
 * as --user-agent do not stop a match.  A rule with "times" answers that
 * many times in all, counted in the state directory, then gives way to
 * the next.  Besides output and exit code, a rule can misbehave the way a
 * real CLI run can: be slow, hang, ignore SIGTERM, leave a grandchild
 * behind (in its process group or out of it), die by a signal, flood
 * stdout, or close its output long before it exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "sim.h"

/* A list of words; the strings are owned. */
struct words {
	char	**v;
	size_t	  n;
};

static int
is_flag(const char *t)
{
	return t[0] == '-' && t[1] != '\0';
}

/* Add t, split in two when it is "--flag=value". */
static void
words_add(struct words *w, const char *t)
{
	const char *eq = is_flag(t) ? strchr(t, '=') : NULL;
	char **v;

	v = reallocarray(w->v, w->n + 2, sizeof(*w->v));
	if (v == NULL)
		die("out of memory");
	w->v = v;
	if (eq != NULL) {
		w->v[w->n++] = xstrndup(t, (size_t)(eq - t));
		w->v[w->n++] = xstrdup(eq + 1);
	} else
		w->v[w->n++] = xstrdup(t);
}

static void
words_release(struct words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

static void
words_split(struct words *w, const char *text)
{
	const char *p = text;
	size_t n;
	char *t;

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			break;
		n = strcspn(p, " \t\r\n");
		t = xstrndup(p, n);
		words_add(w, t);
		free(t);
		p += n;
	}
}

/*
 * Whether the rule words occur in argv in order.  A flag followed by a
 * value forms a block that must occur as it is; blocks are placed at their
 * earliest possible position, which finds a match whenever one exists.
 */
static int
words_match(const struct words *argv, const struct words *rule)
{
	size_t i = 0, pos = 0, len, p, k;

	while (i < rule->n) {
		len = is_flag(rule->v[i]) && i + 1 < rule->n &&
		    !is_flag(rule->v[i + 1]) ? 2 : 1;
		for (p = pos; p + len <= argv->n; p++) {
			for (k = 0; k < len; k++)
				if (strcmp(argv->v[p + k], rule->v[i + k]) != 0)
					break;
			if (k == len)
				break;
		}
		if (p + len > argv->n)
			return 0;
		pos = p + len;
		i += len;
	}
	return 1;
}

/* The state key of rule i: its index and a hash of its text. */
static void
rule_key(struct sbuf *key, const cJSON *r, size_t i)
{
	struct sbuf text = SBUF_INIT;
	unsigned long long h = 1469598103934665603ULL;
	size_t k;

	json_print(&text, r, 0);
	for (k = 0; k < text.len; k++) {
		h ^= (unsigned char)text.buf[k];
		h *= 1099511628211ULL;
	}
	sbuf_addf(key, "%zu-%016llx", i, h);
	sbuf_release(&text);
}

static long
number(const cJSON *r, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(r, key);

	return cJSON_IsNumber(j) ? (long)j->valuedouble : 0;
}

static const char *
string(const cJSON *r, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(r, key);

	return cJSON_IsString(j) ? j->valuestring : NULL;
}

/* Write the literal text or the file of a rule to fd. */
static void
emit_text(const struct sim *s, const cJSON *r, const char *key,
    const char *file_key, int fd)
{
	struct sbuf data = SBUF_INIT;
	const char *v;
	char *path;

	if ((v = string(r, key)) != NULL) {
		out_puts(fd, v);
		return;
	}
	if ((v = string(r, file_key)) == NULL)
		return;
	path = scenario_path(&s->sc, v);
	if (read_file(path, &data) == -1)
		die("scenario: cannot read '%s': %s", path, strerror(errno));
	(void)out_write(fd, data.buf, data.len);
	sbuf_release(&data);
	free(path);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

static void
emit_hex(const char *hex)
{
	struct sbuf sb = SBUF_INIT;
	char c;

	for (; hex[0] != '\0' && hex[1] != '\0'; hex += 2) {
		c = (char)(hexval(hex[0]) << 4 | hexval(hex[1]));
		sbuf_add(&sb, &c, 1);
	}
	(void)out_write(1, sb.buf, sb.len);
	sbuf_release(&sb);
}

/* n bytes of filler on stdout, in big writes; stops at a closed pipe. */
static void
emit_filler(long n)
{
	const size_t chunk = 1 << 20;
	char *buf;
	size_t k;

	buf = xmalloc(chunk);
	memset(buf, 'x', chunk);
	while (n > 0) {
		k = (size_t)n < chunk ? (size_t)n : chunk;
		if (out_write(1, buf, k) == -1)
			break;
		n -= (long)k;
	}
	free(buf);
}

/* The HTTP status an error body most likely came with. */
static int
default_http(const cJSON *body)
{
	const char *code = json_text(body, "Code");

	if (code == NULL)
		return 400;
	if (strncmp(code, "Forbidden", 9) == 0 ||
	    strncmp(code, "NoPermission", 12) == 0)
		return 403;
	if (strncmp(code, "Throttling", 10) == 0)
		return 429;
	if (strcmp(code, "NotFound") == 0)
		return 404;
	if (strncmp(code, "InternalError", 13) == 0 ||
	    strncmp(code, "ServiceUnavailable", 18) == 0)
		return 500;
	return 400;
}

static int
emit_error(const struct sim *s, const cJSON *err)
{
	struct api_error e;
	const cJSON *j;
	const char *flag;

	memset(&e, 0, sizeof(e));
	(void)form_parse(string(err, "form"), &e.form);
	e.body = cJSON_GetObjectItemCaseSensitive(err, "body");
	j = cJSON_GetObjectItemCaseSensitive(err, "http");
	e.http = j != NULL ? (int)j->valuedouble : default_http(e.body);
	e.category = string(err, "category");
	e.product = s->args.npos > 0 && is_business(s->args.pos[0]) ?
	    s->args.pos[0] : "sysom";
	e.sub = s->args.npos > 1 ? s->args.pos[1] : "invoke-diagnosis";
	flag = args_get(&s->args, "--region", NULL);
	e.region = flag != NULL && flag[0] != '\0' ? flag : "cn-hangzhou";
	return api_error_emit(s, &e);
}

static int
signal_number(const char *name)
{
	if (strcmp(name, "KILL") == 0)
		return SIGKILL;
	if (strcmp(name, "SEGV") == 0)
		return SIGSEGV;
	if (strcmp(name, "TERM") == 0)
		return SIGTERM;
	if (strcmp(name, "INT") == 0)
		return SIGINT;
	if (strcmp(name, "HUP") == 0)
		return SIGHUP;
	if (strcmp(name, "ABRT") == 0)
		return SIGABRT;
	return 0;
}

/* Die by sig, without leaving a core file behind. */
static SIM_NORETURN void
die_by(int sig)
{
	struct rlimit rl = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)signal(sig, SIG_DFL);
	(void)kill(getpid(), sig);
	_exit(128 + sig);
}

/*
 * Leave a child that sleeps until it is killed (a plugin process), and
 * write its pid to grandchild.pid.  It stays in our process group unless
 * own_session (setsid(2): out of the group a kill of the group reaches);
 * it keeps our stdout and stderr unless quiet, when it puts /dev/null in
 * their place so that the run's close leaves no copy of the pipes open.
 */
static void
spawn_grandchild(const struct sim *s, int own_session, int quiet)
{
	pid_t pid;
	int fd;

	pid = fork();
	if (pid == -1)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (own_session)
			(void)setsid();
		if (quiet && (fd = open("/dev/null", O_WRONLY)) != -1) {
			(void)dup2(fd, 1);
			(void)dup2(fd, 2);
			if (fd > 2)
				(void)close(fd);
		}
		hang_forever();
	}
	state_write_pid(s, "grandchild.pid", (long)pid);
}

/* Answer with rule r; returns the exit code (or never returns). */
static int
answer(struct sim *s, const cJSON *r)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(r, "error");
	const char *v, *product, *flag;
	int rc = 0, sig, closing;

	closing = cJSON_HasObjectItem(r, "close_then_ms") || s->sc.linger_ms > 0;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r,
	    "ignore_sigterm")))
		(void)signal(SIGTERM, SIG_IGN);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "grandchild")))
		spawn_grandchild(s, 0, closing);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r,
	    "grandchild_setsid")))
		spawn_grandchild(s, 1, closing);
	sleep_ms(number(r, "delay_ms"));
	product = s->args.npos > 0 && is_business(s->args.pos[0]) ?
	    s->args.pos[0] : NULL;
	if (product != NULL && s->args.npos > 1) {
		flag = args_get(&s->args, "--region", NULL);
		debug_dump(s, product, s->args.pos[1],
		    flag != NULL && flag[0] != '\0' ? flag : "cn-hangzhou", 200);
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "preamble")))
		plugin_preamble(s, product ? product : "sysom",
		    s->args.npos > 1 ? s->args.pos[1] : "");
	emit_text(s, r, "stdout", "stdout_file", 1);
	if ((v = string(r, "raw_stdout_hex")) != NULL)
		emit_hex(v);
	emit_filler(number(r, "stdout_bytes"));
	emit_text(s, r, "stderr", "stderr_file", 2);
	if (err != NULL)
		rc = emit_error(s, err);
	if (cJSON_HasObjectItem(r, "exit_code"))
		rc = (int)number(r, "exit_code");
	if (cJSON_HasObjectItem(r, "close_then_ms"))
		close_output(s, number(r, "close_then_ms"));
	else if (s->sc.linger_ms > 0)
		close_output(s, s->sc.linger_ms);
	if ((v = string(r, "signal")) != NULL && (sig = signal_number(v)) != 0)
		die_by(sig);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "hang")))
		hang_forever();
	return rc;
}

/*
 * A rule answers a business command in place of the service: the call
 * passes the rate limit first.  Returns -1, or the throttling error's
 * exit code.
 */
static int
rule_call(struct sim *s)
{
	const char *flag;

	if (s->args.npos < 2 || !is_business(s->args.pos[0]))
		return -1;
	flag = args_get(&s->args, "--region", NULL);
	return call_admit(s, s->args.pos[0], s->args.pos[1],
	    flag != NULL && flag[0] != '\0' ? flag : "cn-hangzhou");
}

/*
 * Answer from the first rule that matches and is not used up.  Sets
 * *answered and returns the exit code; *answered 0 means no rule did.
 */
int
rules_try(struct sim *s, int *answered)
{
	struct words argv = { NULL, 0 }, rule = { NULL, 0 };
	struct sbuf key = SBUF_INIT;
	const cJSON *r;
	size_t i = 0;
	long times;
	int hit, rc = 0;

	*answered = 0;
	for (i = 0; i < (size_t)s->argc; i++)
		words_add(&argv, s->argv[i]);
	i = 0;
	cJSON_ArrayForEach(r, s->sc.rules) {
		words_split(&rule, string(r, "cmd"));
		hit = words_match(&argv, &rule);
		words_release(&rule);
		/* a business call is throttled before it can use a rule up */
		if (hit && (rc = rule_call(s)) != -1) {
			*answered = 1;
			break;
		}
		rc = 0;
		times = number(r, "times");
		if (hit && times > 0) {
			key.len = 0;
			rule_key(&key, r, i);
			hit = state_take_rule(s, key.buf, times);
		}
		i++;
		if (hit) {
			*answered = 1;
			rc = answer(s, r);
			break;
		}
	}
	words_release(&argv);
	sbuf_release(&key);
	return rc;
}
