/*
 * The aliyun commands.  Business commands (sysom, eas, pai-dlc) carry the
 * user agent and --profile; system commands (version, configure, plugin)
 * never carry --user-agent, which they would reject, except set-user-agent,
 * whose value it is.  `configure set` takes --profile as well.
 */
#include <stdlib.h>
#include <string.h>

#include "aliyun.h"
#include "commands.h"
#include "msg.h"

#define UA "--user-agent", ALIYUN_UA


static const struct {
	const char *name;	/* product and command, for messages */
	const char *argv[14];
	bool business;
	bool profile;
} commands[] = {
	[CMD_AI_MODE_SHOW] = { "configure ai-mode show",
	    { "configure", "ai-mode", "show" }, false, false },
	[CMD_AI_MODE_ENABLE] = { "configure ai-mode enable",
	    { "configure", "ai-mode", "enable" }, false, false },
	[CMD_SET_USER_AGENT] = { "configure ai-mode set-user-agent",
	    { "configure", "ai-mode", "set-user-agent", UA }, false, false },
	[CMD_PLUGIN_UPDATE] = { "plugin update",
	    { "plugin", "update" }, false, false },
	[CMD_VERSION] = { "version",
	    { "version" }, false, false },
	[CMD_AUTO_PLUGIN_INSTALL] = { "configure set",
	    { "configure", "set", "--auto-plugin-install", "true" },
	    false, true },
	[CMD_CONFIGURE_LIST] = { "configure list",
	    { "configure", "list" }, false, false },
	[CMD_INITIAL_SYSOM] = { "sysom initial-sysom",
	    { "sysom", "initial-sysom", "--check-only", "false", "--source",
	    "aes-skills", UA }, true, true },
	[CMD_LIST_SERVICES] = { "eas list-services",
	    { "eas", "list-services", "--region", "$region", "--filter",
	    "$instance", UA }, true, true },
	[CMD_LIST_SERVICES_PAGE] = { "eas list-services",
	    { "eas", "list-services", "--region", "$region", "--page-number",
	    "$page", "--page-size", DEFAULTS_STR(EAS_PAGE_SIZE), UA }, true, true },
	[CMD_GET_JOB] = { "pai-dlc get-job",
	    { "pai-dlc", "get-job", "--region", "$region", "--job-id",
	    "$instance", UA }, true, true },
	[CMD_INVOKE] = { "sysom invoke-diagnosis",
	    { "sysom", "invoke-diagnosis", "--service-name", "ocd",
	    "--channel", "ecs", "--params", "$params", UA }, true, true },
	[CMD_GET_RESULT] = { "sysom get-diagnosis-result",
	    { "sysom", "get-diagnosis-result", "--task-id", "$task", UA },
	    true, true },
	[CMD_RESTORE_USER_AGENT] = { "configure ai-mode set-user-agent",
	    { "configure", "ai-mode", "set-user-agent", "--user-agent",
	    "$user_agent" }, false, false },
	[CMD_RESET_USER_AGENT] = { "configure ai-mode reset-user-agent",
	    { "configure", "ai-mode", "reset-user-agent" }, false, false },
	[CMD_AI_MODE_DISABLE] = { "configure ai-mode disable",
	    { "configure", "ai-mode", "disable" }, false, false },
};

static const char *
value_of(const char *p, const struct cmd_values *v)
{
	const char *s = strcmp(p, "$region") == 0 ? v->region :
	    strcmp(p, "$instance") == 0 ? v->instance :
	    strcmp(p, "$params") == 0 ? v->params :
	    strcmp(p, "$task") == 0 ? v->task_id :
	    strcmp(p, "$page") == 0 ? v->page :
	    strcmp(p, "$user_agent") == 0 ? v->user_agent : NULL;

	if (s == NULL)
		die("no value for %s", p);
	return s;
}

void
command_argv(enum cmd_id id, const struct cmd_values *v, struct strvec *argv)
{
	strvec_push(argv, "aliyun");
	for (const char *const *a = commands[id].argv; *a; a++)
		strvec_push(argv, **a == '$' ? value_of(*a, v) : *a);
	if (commands[id].profile && v->profile)
		strvec_pushl(argv, "--profile", v->profile, NULL);
}

bool
command_is_business(enum cmd_id id)
{
	return commands[id].business;
}

const char *
command_name(enum cmd_id id)
{
	return commands[id].name;
}
