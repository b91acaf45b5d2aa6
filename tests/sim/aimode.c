/*
 * "configure ai-mode": the global AI-mode settings of CLI 3.3.3 and later,
 * kept in $HOME/.aliyun/ai-mode.json and shared by every run
 * (config/configure_ai_mode.go and sysconfig/aimode of v3.4.11).  The file
 * is read the way Go's json.Unmarshal reads it into the CLI's struct, so a
 * test may write it by hand: keys match ignoring case, an unreadable or
 * mistyped document counts as the default (AI mode off), a missing file
 * too.  It is written back as MarshalIndent with a tab writes it, without
 * a final newline and without an empty user_agent.  "show" prints the
 * settings with the User-Agent the CLI would really send.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define DEFAULT_UA	"AlibabaCloud-Agent-Skills"
#define ENABLED_MARKER	"AlibabaCloud-AIMode/enabled"
#define MAX_UA_LEN	256

/* The settings; user_agent and ossutil (NULL: nil) are owned. */
struct aimode {
	int	 enabled;
	char	*user_agent;
	cJSON	*ossutil;
};

/* Every subcommand accepts the persistent flags of "ai-mode". */
static const char *const ai_flags[] = {
	"--profile", "--user-agent", "--ossutil", NULL
};

static const char *const subs[] = {
	"show", "enable", "disable", "set-user-agent", "reset-user-agent",
	"set-ossutil", "reset-ossutil", NULL
};

static int
in_list(const char *w, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(w, list[i]) == 0)
			return 1;
	return 0;
}

static void
aimode_release(struct aimode *m)
{
	free(m->user_agent);
	cJSON_Delete(m->ossutil);
	memset(m, 0, sizeof(*m));
}

/* Go's path.Clean: no "//", no ".", ".." resolved lexically. */
static char *
path_clean(const char *path)
{
	struct sbuf out = SBUF_INIT;
	char *copy, *elem, *save = NULL;
	size_t *ends = NULL, n = 0;
	int rooted = path[0] == '/';

	copy = xstrdup(path);
	ends = xcalloc(strlen(path) + 1, sizeof(*ends));
	sbuf_add(&out, "", 0);
	for (elem = strtok_r(copy, "/", &save); elem != NULL;
	    elem = strtok_r(NULL, "/", &save)) {
		if (strcmp(elem, ".") == 0)
			continue;
		if (strcmp(elem, "..") == 0 && n > 0 &&
		    strcmp(out.buf + (n > 1 ? ends[n - 2] + 1 : 0), "..") != 0) {
			n--;
			out.len = n > 0 ? ends[n - 1] : 0;
			out.buf[out.len] = '\0';
			continue;
		}
		if (strcmp(elem, "..") == 0 && n == 0 && rooted)
			continue;
		if (n > 0)
			sbuf_addc(&out, '/');
		sbuf_adds(&out, elem);
		ends[n++] = out.len;
	}
	free(copy);
	free(ends);
	if (rooted) {
		char *r = xmalloc(out.len + 2);

		r[0] = '/';
		memcpy(r + 1, out.buf, out.len + 1);
		sbuf_release(&out);
		return r;
	}
	if (out.len == 0)
		sbuf_addc(&out, '.');
	return sbuf_detach(&out);
}

static char *
aimode_path(const struct sim *s)
{
	char *dir, *path, *clean;

	dir = path_join(s->home, ".aliyun");
	path = path_join(dir, "ai-mode.json");
	clean = path_clean(path);
	free(dir);
	free(path);
	return clean;
}

/* A Go error text of errno: strerror, first letter in lower case. */
static void
go_errno(struct sbuf *sb, int err)
{
	const char *msg = strerror(err);

	sbuf_addc(sb, (char)tolower((unsigned char)msg[0]));
	sbuf_adds(sb, msg + 1);
}

/*
 * Why text is not JSON, in the words of Go's encoding/json scanner
 * ("invalid character 'x' after object key", "unexpected end of JSON
 * input"), for set-ossutil's message.  A recursive descent over the same
 * grammar; p is advanced, *why set on the first error.
 */
struct scan {
	const char	*p;
	const char	*end;
	struct sbuf	*why;
};

static int
scan_fail(struct scan *sc, const char *context)
{
	unsigned char c;

	if (sc->p >= sc->end) {
		sbuf_adds(sc->why, "unexpected end of JSON input");
		return -1;
	}
	c = (unsigned char)*sc->p;
	if (c == '\'')
		sbuf_adds(sc->why, "invalid character '\\'' ");
	else if (c == '"')
		sbuf_adds(sc->why, "invalid character '\"' ");
	else if (c >= 0x20 && c < 0x7f)
		sbuf_addf(sc->why, "invalid character '%c' ", c);
	else if (c == '\n' || c == '\r' || c == '\t')
		sbuf_addf(sc->why, "invalid character '\\%c' ",
		    c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
	else
		sbuf_addf(sc->why, "invalid character '\\x%02x' ", c);
	sbuf_adds(sc->why, context);
	return -1;
}

static void
scan_space(struct scan *sc)
{
	while (sc->p < sc->end && strchr(" \t\r\n", *sc->p) != NULL &&
	    *sc->p != '\0')
		sc->p++;
}

static int	scan_value(struct scan *);

static int
scan_string(struct scan *sc)
{
	int i;

	for (sc->p++; sc->p < sc->end; sc->p++) {
		if (*sc->p == '"') {
			sc->p++;
			return 0;
		}
		if ((unsigned char)*sc->p < 0x20)
			return scan_fail(sc, "in string literal");
		if (*sc->p != '\\')
			continue;
		if (++sc->p >= sc->end)
			break;
		if (strchr("\"\\/bfnrt", *sc->p) != NULL && *sc->p != '\0')
			continue;
		if (*sc->p != 'u')
			return scan_fail(sc, "in string escape code");
		for (i = 0; i < 4; i++) {
			if (++sc->p >= sc->end)
				return scan_fail(sc, "");
			if (!isxdigit((unsigned char)*sc->p))
				return scan_fail(sc, "in \\u hexadecimal "
				    "character escape");
		}
	}
	return scan_fail(sc, "");
}

static int
scan_digits(struct scan *sc, const char *context)
{
	if (sc->p >= sc->end || !isdigit((unsigned char)*sc->p))
		return scan_fail(sc, context);
	while (sc->p < sc->end && isdigit((unsigned char)*sc->p))
		sc->p++;
	return 0;
}

static int
scan_number(struct scan *sc)
{
	if (*sc->p == '-')
		sc->p++;
	if (sc->p < sc->end && *sc->p == '0')
		sc->p++;
	else if (scan_digits(sc, "in numeric literal") == -1)
		return -1;
	if (sc->p < sc->end && *sc->p == '.') {
		sc->p++;
		if (scan_digits(sc, "after decimal point in numeric literal")
		    == -1)
			return -1;
	}
	if (sc->p < sc->end && (*sc->p == 'e' || *sc->p == 'E')) {
		sc->p++;
		if (sc->p < sc->end && (*sc->p == '+' || *sc->p == '-'))
			sc->p++;
		if (scan_digits(sc, "in exponent of numeric literal") == -1)
			return -1;
	}
	return 0;
}

static int
scan_literal(struct scan *sc, const char *word)
{
	struct sbuf ctx = SBUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; word[i] != '\0'; i++, sc->p++) {
		if (sc->p < sc->end && *sc->p == word[i])
			continue;
		sbuf_addf(&ctx, "in literal %s (expecting '%c')", word,
		    word[i]);
		rc = scan_fail(sc, ctx.buf);
		break;
	}
	sbuf_release(&ctx);
	return rc;
}

static int
scan_value(struct scan *sc)
{
	char close;

	scan_space(sc);
	if (sc->p >= sc->end)
		return scan_fail(sc, "");
	switch (*sc->p) {
	case '"':
		return scan_string(sc);
	case 't':
		return scan_literal(sc, "true");
	case 'f':
		return scan_literal(sc, "false");
	case 'n':
		return scan_literal(sc, "null");
	case '{':
	case '[':
		close = *sc->p == '{' ? '}' : ']';
		sc->p++;
		scan_space(sc);
		if (sc->p < sc->end && *sc->p == close) {
			sc->p++;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				scan_space(sc);
				if (sc->p >= sc->end || *sc->p != '"')
					return scan_fail(sc, "looking for "
					    "beginning of object key string");
				if (scan_string(sc) == -1)
					return -1;
				scan_space(sc);
				if (sc->p >= sc->end || *sc->p != ':')
					return scan_fail(sc,
					    "after object key");
				sc->p++;
			}
			if (scan_value(sc) == -1)
				return -1;
			scan_space(sc);
			if (sc->p < sc->end && *sc->p == close) {
				sc->p++;
				return 0;
			}
			if (sc->p >= sc->end || *sc->p != ',')
				return scan_fail(sc, close == '}' ?
				    "after object key:value pair" :
				    "after array element");
			sc->p++;
		}
	default:
		if (*sc->p == '-' || isdigit((unsigned char)*sc->p))
			return scan_number(sc);
		return scan_fail(sc, "looking for beginning of value");
	}
}

/* Whether text[0..len) is JSON as Go reads it; if not, why says why. */
static int
go_json_ok(struct sbuf *why, const char *text, size_t len)
{
	struct scan sc;

	sc.p = text;
	sc.end = text + len;
	sc.why = why;
	if (scan_value(&sc) == 0) {
		scan_space(&sc);
		if (sc.p < sc.end)
			(void)scan_fail(&sc, "after top-level value");
	}
	return why->len == 0;
}

/*
 * Parse text as json.Unmarshal would accept it (cJSON alone also takes
 * "01", a byte-order mark, trailing bytes); NULL when Go would refuse it.
 */
static cJSON *
parse_strict(const char *text, size_t len)
{
	struct sbuf why = SBUF_INIT;
	int ok;

	ok = go_json_ok(&why, text, len);
	sbuf_release(&why);
	return ok ? cJSON_ParseWithLength(text, len) : NULL;
}

/* Go's strings.TrimSpace: ASCII blanks, NEL, NBSP and the Unicode spaces. */
static char *
trim_space(const char *s)
{
	static const char *const wide[] = {
		"\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\x80",
		"\xe2\x80\x81", "\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84",
		"\xe2\x80\x85", "\xe2\x80\x86", "\xe2\x80\x87", "\xe2\x80\x88",
		"\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xa8", "\xe2\x80\xa9",
		"\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80", NULL
	};
	size_t len = strlen(s), i, w;
	int moved;

	do {
		moved = 0;
		if (len > 0 && strchr(" \t\n\v\f\r", *s) != NULL) {
			s++, len--, moved = 1;
			continue;
		}
		for (i = 0; wide[i] != NULL; i++) {
			w = strlen(wide[i]);
			if (len >= w && memcmp(s, wide[i], w) == 0) {
				s += w, len -= w, moved = 1;
				break;
			}
		}
	} while (moved && len > 0);
	do {
		moved = 0;
		if (len > 0 && strchr(" \t\n\v\f\r", s[len - 1]) != NULL) {
			len--, moved = 1;
			continue;
		}
		for (i = 0; wide[i] != NULL; i++) {
			w = strlen(wide[i]);
			if (len >= w && memcmp(s + len - w, wide[i], w) == 0) {
				len -= w, moved = 1;
				break;
			}
		}
	} while (moved && len > 0);
	return xstrndup(s, len);
}

/*
 * sysconfig/aimode normalizePluginSpecialOSSUTIL: a string that holds
 * JSON becomes that value, a blank string nil.  Takes v; returns the value.
 */
static cJSON *
normalize_ossutil(cJSON *v)
{
	cJSON *parsed;
	char *t;

	if (!cJSON_IsString(v))
		return v;
	t = trim_space(v->valuestring);
	if (t[0] == '\0') {
		free(t);
		cJSON_Delete(v);
		return NULL;
	}
	parsed = parse_strict(t, strlen(t));
	free(t);
	if (parsed == NULL)
		return v;
	cJSON_Delete(v);
	json_go_value(parsed);
	return parsed;
}

/*
 * Fill m from the decoded document as json.Unmarshal fills the struct
 * {Enabled bool; UserAgent string; PluginSpecialOSSUTIL any}: keys match
 * exactly or ignoring case, later keys win, null leaves a field alone.
 * Returns -1 on a type mismatch, which makes the CLI use the defaults.
 */
static int
decode(struct aimode *m, const cJSON *root)
{
	const cJSON *c;
	struct sbuf sb = SBUF_INIT;

	if (cJSON_IsNull(root))
		return 0;
	if (!cJSON_IsObject(root))
		return -1;
	for (c = root->child; c != NULL; c = c->next) {
		if (cJSON_IsNull(c) && strcasecmp(c->string, "ossutil") != 0)
			continue;
		if (strcasecmp(c->string, "enabled") == 0) {
			if (!cJSON_IsBool(c))
				return -1;
			m->enabled = cJSON_IsTrue(c);
		} else if (strcasecmp(c->string, "user_agent") == 0) {
			if (!cJSON_IsString(c))
				return -1;
			sb.len = 0;
			utf8_fix(&sb, c->valuestring);
			free(m->user_agent);
			m->user_agent = xstrdup(sb.buf);
		} else if (strcasecmp(c->string, "ossutil") == 0) {
			cJSON_Delete(m->ossutil);
			m->ossutil = NULL;
			if (cJSON_IsNull(c))
				continue;
			m->ossutil = cJSON_Duplicate(c, 1);
			if (m->ossutil == NULL)
				die("out of memory");
			json_go_value(m->ossutil);
		}
	}
	sbuf_release(&sb);
	return 0;
}

/*
 * aimode.Load: the defaults when the file is missing or not a usable
 * document.  Returns 0, or -1 after printing the CLI's error when the file
 * exists but cannot be read.
 */
static int
aimode_load(const struct sim *s, struct aimode *m)
{
	struct sbuf text = SBUF_INIT, why = SBUF_INIT;
	cJSON *root;
	char *path;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	m->user_agent = xstrdup("");
	path = aimode_path(s);
	if (read_file(path, &text) == -1) {
		if (errno != ENOENT) {
			sbuf_addf(&why, "%s %s: ", errno == EISDIR ? "read" :
			    "open", path);
			go_errno(&why, errno);
			host_error(s, "load ai-mode config failed: %s", why.buf);
			rc = -1;
		}
		goto out;
	}
	root = parse_strict(text.buf, text.len);
	if (root != NULL && decode(m, root) == -1) {
		aimode_release(m);
		m->user_agent = xstrdup("");
	}
	cJSON_Delete(root);
	m->ossutil = normalize_ossutil(m->ossutil);
out:
	free(path);
	sbuf_release(&text);
	sbuf_release(&why);
	return rc;
}

/* aimode.Save: tab-indented, user_agent and ossutil only when set. */
static int
aimode_save(const struct sim *s, const struct aimode *m)
{
	struct sbuf text = SBUF_INIT, why = SBUF_INIT;
	cJSON *j;
	char *path;
	int rc = 0;

	j = cJSON_CreateObject();
	if (j == NULL || cJSON_AddBoolToObject(j, "enabled", m->enabled) ==
	    NULL || (m->user_agent[0] != '\0' && cJSON_AddStringToObject(j,
	    "user_agent", m->user_agent) == NULL))
		die("out of memory");
	if (m->ossutil != NULL) {
		cJSON *dup = cJSON_Duplicate(m->ossutil, 1);

		if (dup == NULL)
			die("out of memory");
		cJSON_AddItemToObject(j, "ossutil", dup);
	}
	json_print_go(&text, j, "\t");
	path = aimode_path(s);
	if (write_file_atomic(path, text.buf, text.len) == -1) {
		sbuf_addf(&why, "open %s: ", path);
		go_errno(&why, errno);
		host_error(s, "%s", why.buf);
		rc = 1;
	}
	free(path);
	cJSON_Delete(j);
	sbuf_release(&text);
	sbuf_release(&why);
	return rc;
}

/* util.SanitizeUserAgent: at most 256 bytes, printable ASCII only. */
static void
sanitize_ua(struct sbuf *sb, const char *raw)
{
	size_t i;

	for (i = 0; i < MAX_UA_LEN && raw[i] != '\0'; i++)
		if ((unsigned char)raw[i] >= 0x20 &&
		    (unsigned char)raw[i] <= 0x7e)
			sbuf_addc(sb, raw[i]);
	if (sb->buf == NULL)
		sbuf_add(sb, "", 0);
}

/* aimode.EffectiveUserAgent: the user's segment, else the default. */
static void
effective_ua(struct sbuf *sb, const struct aimode *m)
{
	char *t = trim_space(m->user_agent);

	sanitize_ua(sb, t[0] != '\0' ? t : DEFAULT_UA);
	free(t);
}

/* aimode.RequestUserAgentSuffix: "" when off, else marker and segment. */
static void
request_suffix(struct sbuf *sb, const struct aimode *m)
{
	struct sbuf both = SBUF_INIT, seg = SBUF_INIT;
	char *t;

	sbuf_add(sb, "", 0);
	if (!m->enabled)
		return;
	effective_ua(&seg, m);
	if (seg.len == 0) {
		sbuf_adds(sb, ENABLED_MARKER);
	} else {
		sbuf_addf(&both, "%s %s", ENABLED_MARKER, seg.buf);
		t = trim_space(both.buf);
		sbuf_adds(sb, t);
		free(t);
	}
	sbuf_release(&both);
	sbuf_release(&seg);
}

static void
add_string(cJSON *j, const char *key, const char *v)
{
	if (cJSON_AddStringToObject(j, key, v) == NULL)
		die("out of memory");
}

/* doAiModeShow: MarshalIndent with two spaces, then a newline. */
static int
ai_show(const struct sim *s, const struct aimode *m)
{
	struct sbuf ua = SBUF_INIT, suf = SBUF_INIT, out = SBUF_INIT;
	cJSON *j, *dup;
	char *path;

	effective_ua(&ua, m);
	request_suffix(&suf, m);
	path = aimode_path(s);
	j = cJSON_CreateObject();
	if (j == NULL || cJSON_AddBoolToObject(j, "enabled", m->enabled) ==
	    NULL)
		die("out of memory");
	if (m->user_agent[0] != '\0')
		add_string(j, "user_agent", m->user_agent);
	if (m->ossutil != NULL) {
		if ((dup = cJSON_Duplicate(m->ossutil, 1)) == NULL)
			die("out of memory");
		cJSON_AddItemToObject(j, "ossutil", dup);
	}
	add_string(j, "effective_user_agent", ua.buf);
	if (suf.len > 0)
		add_string(j, "request_user_agent_suffix", suf.buf);
	add_string(j, "config_file", path);
	json_print_go(&out, j, "  ");
	sbuf_addc(&out, '\n');
	(void)out_write(1, out.buf, out.len);
	cJSON_Delete(j);
	free(path);
	sbuf_release(&ua);
	sbuf_release(&suf);
	sbuf_release(&out);
	return 0;
}

/* set-ossutil --ossutil JSON: the value decoded, stored under "ossutil". */
static int
ai_set_ossutil(const struct sim *s, struct aimode *m)
{
	struct sbuf why = SBUF_INIT;
	const char *v = args_get(&s->args, "--ossutil", NULL);
	cJSON *parsed;
	char *t;
	int rc;

	t = trim_space(v != NULL ? v : "");
	if (t[0] == '\0') {
		free(t);
		host_error(s, "--ossutil is required for set-ossutil (JSON "
		    "text, e.g. '{\"k\":1}')");
		return 1;
	}
	if (!go_json_ok(&why, t, strlen(t))) {
		host_error(s, "invalid JSON for --ossutil: %s", why.buf);
		sbuf_release(&why);
		free(t);
		return 1;
	}
	parsed = cJSON_Parse(t);
	free(t);
	if (parsed == NULL)
		die("out of memory");
	json_go_value(parsed);
	cJSON_Delete(m->ossutil);
	m->ossutil = cJSON_IsNull(parsed) ? NULL : parsed;
	if (m->ossutil == NULL)
		cJSON_Delete(parsed);
	rc = aimode_save(s, m);
	return rc;
}

/*
 * configure ai-mode [show | enable | disable | set-user-agent |
 * reset-user-agent | set-ossutil | reset-ossutil]; no subcommand is show.
 */
int
cmd_ai_mode(struct sim *s)
{
	struct aimode m;
	const char *sub, *bad, *ua;
	int rc;

	if (!s->sc.ai_mode || version_before(s, "3.3.3"))
		return not_a_command(s, "ai-mode", NULL);
	sub = s->args.npos > 2 ? s->args.pos[2] : "show";
	if ((bad = args_check(&s->args, ai_flags, NULL)) != NULL)
		return invalid_flag(s, bad, ai_flags);
	if (s->args.npos > 2 && !in_list(sub, subs))
		return not_a_command(s, sub, subs);
	if (s->args.npos > 3)
		return not_a_command(s, s->args.pos[3], NULL);
	if (aimode_load(s, &m) == -1) {
		aimode_release(&m);
		return 1;
	}
	if (strcmp(sub, "show") == 0) {
		rc = ai_show(s, &m);
	} else if (strcmp(sub, "set-user-agent") == 0) {
		ua = args_get(&s->args, "--user-agent", NULL);
		if (ua == NULL || ua[0] == '\0') {
			host_error(s, "--user-agent is required for "
			    "set-user-agent");
			rc = 1;
		} else {
			free(m.user_agent);
			m.user_agent = xstrdup(ua);
			rc = aimode_save(s, &m);
		}
	} else if (strcmp(sub, "reset-user-agent") == 0) {
		m.user_agent[0] = '\0';
		rc = aimode_save(s, &m);
	} else if (strcmp(sub, "set-ossutil") == 0) {
		rc = ai_set_ossutil(s, &m);
	} else if (strcmp(sub, "reset-ossutil") == 0) {
		cJSON_Delete(m.ossutil);
		m.ossutil = NULL;
		rc = aimode_save(s, &m);
	} else {
		m.enabled = strcmp(sub, "enable") == 0;
		rc = aimode_save(s, &m);
	}
	aimode_release(&m);
	return rc;
}
