/*
 * The CLI's system commands: version, configure (ai-mode, set, list, get)
 * and plugin.  None of them accepts --user-agent, and none accepts a flag
 * it does not know: both are usage errors with exit 2, the hazard of
 * aliyun-facts.md section 3.  "configure ai-mode" keeps its state in
 * $HOME/.aliyun/ai-mode.json, one file shared by every run, as the real one
 * does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define SKILL_UA	"AlibabaCloud-Agent-Skills"

static const char *const plain_flags[] = { "--profile", NULL };
static const char *const ua_flags[] = { "--user-agent", "--profile", NULL };
static const char *const plugin_names[] = {
	"aliyun-cli-eas", "aliyun-cli-pai-dlc", "aliyun-cli-sysom", NULL
};

int
cmd_version(struct sim *s)
{
	const char *bad;

	if ((bad = args_check(&s->args, plain_flags, NULL)) != NULL)
		return invalid_flag(s, bad, plain_flags);
	out_printf(1, "%s\n", s->sc.version);
	return 0;
}

static char *
ai_mode_path(const struct sim *s)
{
	char *dir, *path;

	dir = path_join(s->home, ".aliyun");
	path = path_join(dir, "ai-mode.json");
	free(dir);
	return path;
}

/* The AI-mode settings, {"enabled":false,"user_agent":""} by default. */
static cJSON *
ai_mode_read(const struct sim *s)
{
	struct sbuf text = SBUF_INIT;
	cJSON *j = NULL, *out;
	char *path;

	path = ai_mode_path(s);
	if (read_file(path, &text) == 0)
		j = cJSON_ParseWithLength(text.buf, text.len);
	out = cJSON_CreateObject();
	if (out == NULL ||
	    cJSON_AddBoolToObject(out, "enabled", cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(j, "enabled"))) == NULL ||
	    cJSON_AddStringToObject(out, "user_agent",
	    prof_str(j, "user_agent")) == NULL)
		die("out of memory");
	cJSON_Delete(j);
	sbuf_release(&text);
	free(path);
	return out;
}

static int
ai_mode_write(const struct sim *s, int enabled, const char *ua)
{
	struct sbuf text = SBUF_INIT;
	cJSON *j;
	char *path;
	int rc;

	j = cJSON_CreateObject();
	if (j == NULL || cJSON_AddBoolToObject(j, "enabled", enabled) == NULL
	    || cJSON_AddStringToObject(j, "user_agent", ua) == NULL)
		die("out of memory");
	json_print(&text, j, 2);
	sbuf_addc(&text, '\n');
	path = ai_mode_path(s);
	rc = write_file_atomic(path, text.buf, text.len);
	if (rc == -1)
		host_error(s, "write %s: %s", path, strerror(errno));
	free(path);
	sbuf_release(&text);
	cJSON_Delete(j);
	return rc == -1 ? 1 : 0;
}

static int
ai_mode_show(const struct sim *s)
{
	cJSON *j;
	const char *ua;
	int on;

	j = ai_mode_read(s);
	on = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "enabled"));
	ua = prof_str(j, "user_agent");
	if (cJSON_AddStringToObject(j, "effective_user_agent",
	    !on ? "" : ua[0] != '\0' ? ua : SKILL_UA) == NULL)
		die("out of memory");
	json_put_pretty(1, j);
	cJSON_Delete(j);
	return 0;
}

/* configure ai-mode enable | disable | set-user-agent | show */
static int
cmd_ai_mode(struct sim *s)
{
	static const char *const subs[] = {
		"enable", "disable", "set-user-agent", "show", NULL
	};
	const char *sub, *bad, *ua;
	cJSON *cur;
	int rc, enabled;

	if (!s->sc.ai_mode || version_before(s, "3.3.3"))
		return not_a_command(s, "ai-mode", NULL);
	sub = s->args.npos > 2 ? s->args.pos[2] : NULL;
	if (sub == NULL) {
		out_puts(1, "Usage: aliyun configure ai-mode "
		    "<enable|disable|set-user-agent|show>\n");
		return 0;
	}
	if (strcmp(sub, "set-user-agent") != 0 &&
	    (bad = args_check(&s->args, plain_flags, NULL)) != NULL)
		return invalid_flag(s, bad, plain_flags);
	if (strcmp(sub, "set-user-agent") == 0 &&
	    (bad = args_check(&s->args, ua_flags, NULL)) != NULL)
		return invalid_flag(s, bad, ua_flags);
	if (strcmp(sub, "show") == 0)
		return ai_mode_show(s);
	if (strcmp(sub, "enable") != 0 && strcmp(sub, "disable") != 0 &&
	    strcmp(sub, "set-user-agent") != 0)
		return not_a_command(s, sub, subs);
	cur = ai_mode_read(s);
	enabled = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cur,
	    "enabled"));
	ua = prof_str(cur, "user_agent");
	if (strcmp(sub, "set-user-agent") == 0) {
		ua = args_get(&s->args, "--user-agent", NULL);
		if (ua == NULL || ua[0] == '\0') {
			host_error(s, "%s", tr(s, "--user-agent is required "
			    "for set-user-agent",
			    "set-user-agent 需要 --user-agent 参数"));
			cJSON_Delete(cur);
			return 1;
		}
	} else
		enabled = strcmp(sub, "enable") == 0;
	rc = ai_mode_write(s, enabled, ua);
	cJSON_Delete(cur);
	return rc;
}

/* configure with no subcommand is interactive; stdin gives it nothing. */
static int
cmd_configure_interactive(struct sim *s)
{
	out_puts(1, "Configuring profile 'default' in 'AK' authenticate "
	    "mode...\nAccess Key Id []: ");
	host_error(s, "%s", tr(s, "failed to read user input: EOF",
	    "读取用户输入失败：EOF"));
	return 1;
}

int
cmd_configure(struct sim *s)
{
	static const char *const subs[] = {
		"ai-mode", "delete", "get", "list", "set", "switch", NULL
	};
	const char *sub = s->args.npos > 1 ? s->args.pos[1] : NULL;

	if (sub == NULL)
		return cmd_configure_interactive(s);
	if (strcmp(sub, "ai-mode") == 0)
		return cmd_ai_mode(s);
	if (strcmp(sub, "list") == 0)
		return cmd_configure_list(s);
	if (strcmp(sub, "set") == 0)
		return cmd_configure_set(s);
	if (strcmp(sub, "get") == 0)
		return cmd_configure_get(s);
	return not_a_command(s, sub, subs);
}

static int
plugin_update(struct sim *s)
{
	const char *mode = s->sc.plugin_update;
	size_t i;

	if (strcmp(mode, "none") == 0) {
		out_puts(1, "No plugins installed.\n");
		return 0;
	}
	if (strcmp(mode, "offline") == 0) {
		host_error(s, "failed to get plugin index: Get \"https://"
		    "aliyuncli.alicdn.com/plugins/plugin-index.json\": dial "
		    "tcp: lookup aliyuncli.alicdn.com: no such host");
		return 1;
	}
	if (strcmp(mode, "ok") == 0) {
		out_puts(1, "All plugins are up to date.\n");
		return 0;
	}
	out_puts(1, "Checking for updates for 3 installed plugin(s)...\n");
	if (strcmp(mode, "fail") == 0) {
		host_error(s, "1 plugin(s) failed to update");
		return 1;
	}
	for (i = 0; plugin_names[i] != NULL; i++)
		out_printf(1, "Downloading %s %s...\nPlugin %s %s installed "
		    "successfully!\n", plugin_names[i], PLUGIN_VERSION,
		    plugin_names[i], PLUGIN_VERSION);
	return 0;
}

static int
plugin_installed(const struct sim *s, const char *name)
{
	return s->sc.plugins_installed || state_flag(s, "plugins", name);
}

static int
plugin_list(struct sim *s)
{
	size_t i;
	int any = 0;

	for (i = 0; plugin_names[i] != NULL; i++) {
		if (!plugin_installed(s, plugin_names[i]))
			continue;
		if (!any)
			out_puts(1, "Name                 Version\n");
		any = 1;
		out_printf(1, "%-20s %s\n", plugin_names[i], PLUGIN_VERSION);
	}
	if (!any)
		out_puts(1, "No plugins installed.\n");
	return 0;
}

static int
plugin_install(struct sim *s)
{
	static const char *const flags[] = { "--names", "--profile", NULL };
	const char *bad, *names;
	size_t i;

	if ((bad = args_check(&s->args, flags, NULL)) != NULL)
		return invalid_flag(s, bad, flags);
	names = args_get(&s->args, "--names", NULL);
	for (i = 0; names != NULL && plugin_names[i] != NULL; i++)
		if (strcmp(names, plugin_names[i]) == 0)
			break;
	if (names == NULL || plugin_names[i] == NULL) {
		host_error(s, "plugin '%s' not found in the plugin index",
		    names ? names : "");
		return 1;
	}
	out_printf(1, "Downloading %s %s...\nPlugin %s %s installed "
	    "successfully!\n", names, PLUGIN_VERSION, names, PLUGIN_VERSION);
	state_set_flag(s, "plugins", names);
	return 0;
}

int
cmd_plugin(struct sim *s)
{
	static const char *const subs[] = {
		"install", "list", "update", NULL
	};
	const char *sub = s->args.npos > 1 ? s->args.pos[1] : NULL;
	const char *bad;

	if (sub != NULL && strcmp(sub, "install") == 0)
		return plugin_install(s);
	if ((bad = args_check(&s->args, plain_flags, NULL)) != NULL)
		return invalid_flag(s, bad, plain_flags);
	if (sub == NULL) {
		out_puts(1, "Usage: aliyun plugin <install|list|update>\n");
		return 0;
	}
	if (strcmp(sub, "update") == 0)
		return plugin_update(s);
	if (strcmp(sub, "list") == 0)
		return plugin_list(s);
	return not_a_command(s, sub, subs);
}
