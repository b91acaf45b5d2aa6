/*
 * The CLI's system commands: version, configure (ai-mode, set, list, get)
 * and plugin.  None of them accepts --user-agent, and none accepts a flag
 * it does not know: both are usage errors with exit 2, the hazard of
 * aliyun-facts.md section 3.  "configure ai-mode" lives in aimode.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static const char *const plain_flags[] = { "--profile", NULL };
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
plugin_installed(const struct sim *s, const char *name)
{
	return s->sc.plugins_installed || state_flag(s, "plugins", name);
}

/* One plugin updated from 0.1.1; failing: its download fails. */
static void
update_one(struct sbuf *out, const char *name, int failing)
{
	sbuf_addf(out, "Updating %s from 0.1.1 to %s...\nDownloading %s "
	    "%s...\n", name, PLUGIN_VERSION, name, PLUGIN_VERSION);
	if (failing)
		sbuf_addf(out, "Failed to update %s: download failed: 503\n",
		    name);
	else
		sbuf_addf(out, "Plugin %s %s installed successfully!\n", name,
		    PLUGIN_VERSION);
}

/*
 * plugin update, as Manager.UpdateAll prints it (cli/plugin/manager.go):
 * one line per installed plugin, then "All plugins are up to date." when
 * none was updated (even when one failed) or "Updated: N", then
 * "Failed: N" and the error.  The real CLI walks a Go map, so its order
 * varies from run to run; here it is alphabetical.
 */
static int
plugin_update(struct sim *s)
{
	const char *mode = s->sc.plugin_update;
	struct sbuf out = SBUF_INIT;
	const char *have[4];
	size_t i, n = 0, updated = 0, failed = 0;
	int fail_first, fail_last;

	if (strcmp(mode, "none") != 0)
		for (i = 0; plugin_names[i] != NULL; i++)
			if (plugin_installed(s, plugin_names[i]))
				have[n++] = plugin_names[i];
	if (n == 0) {
		out_puts(1, "No plugins installed.\n");
		return 0;
	}
	if (strcmp(mode, "offline") == 0) {
		host_error(s, "failed to get plugin index: failed to fetch "
		    "plugin index: Get \"https://aliyuncli.alicdn.com/plugins/"
		    "plugin_pkg_index.json\": dial tcp: lookup "
		    "aliyuncli.alicdn.com: no such host");
		return 1;
	}
	fail_first = strcmp(mode, "fail") == 0;
	fail_last = strcmp(mode, "partial") == 0;
	sbuf_addf(&out, "Checking for updates for %zu installed plugin(s)...\n",
	    n);
	for (i = 0; i < n; i++) {
		if ((fail_first && i == 0) || (fail_last && i == n - 1)) {
			update_one(&out, have[i], 1);
			failed++;
		} else if (strcmp(mode, "updated") == 0 || fail_last) {
			update_one(&out, have[i], 0);
			updated++;
		} else {
			sbuf_addf(&out, "Skipping %s (already up to date: "
			    "%s)\n", have[i], PLUGIN_VERSION);
		}
	}
	if (updated == 0)
		sbuf_adds(&out, "All plugins are up to date.\n");
	else
		sbuf_addf(&out, "Updated: %zu\n", updated);
	if (failed > 0)
		sbuf_addf(&out, "Failed: %zu\n", failed);
	(void)out_write(1, out.buf, out.len);
	sbuf_release(&out);
	if (failed > 0) {
		host_error(s, "%zu plugin(s) failed to update", failed);
		return 1;
	}
	return 0;
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
