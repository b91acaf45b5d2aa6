/*
 * Shared declarations of the aliyun simulator, a stand-in for the Alibaba
 * Cloud CLI that pai-diag's tests put first on PATH.  One process answers one
 * command line, the way the real CLI does: it logs what it was given, loads
 * the scenario that describes the simulated cloud, then either replays a
 * scenario rule or behaves like CLI 3.4.11 and its sysom, eas and pai-dlc
 * plugins as aliyun-facts.md describes them.  Anything that must outlive the
 * process (poll counters, installed plugins) lives in the state directory.
 */
#ifndef SIM_H
#define SIM_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#define SIM_FMT(a, b)	__attribute__((format(printf, a, b)))
#define SIM_NORETURN	__attribute__((noreturn))

/* Exit code for a broken scenario or a simulator failure. */
#define SIM_EXIT_BROKEN	125

#define PLUGIN_VERSION	"0.1.2"
#define DEFAULT_TASK_ID	"Vq7mZ2xK"
#define DEFAULT_VERSION	"3.4.11"
#define FAKE_AK_ID	"LTAI5tXXXXXXXXXXXXXXXXXX"

/* A growable byte buffer, always NUL-terminated; sbuf_release() frees it. */
struct sbuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};
#define SBUF_INIT	{ NULL, 0, 0 }

/* One flag of the command line; name is owned, value borrows argv. */
struct arg_flag {
	char		*name;		/* with its dashes, "--region" */
	const char	*value;		/* NULL when no value followed */
};

/* The command line split into positional words and flags. */
struct args {
	const char	**pos;		/* borrowed words, in order */
	size_t		  npos;
	struct arg_flag	 *flags;
	size_t		  nflags;
};

/* The task the simulated SysOM runs (scenario "task"); all borrowed. */
struct task {
	const char	*id;
	const cJSON	*statuses;	/* array of strings, or NULL */
	const cJSON	*result;	/* NULL: the built-in ocd result */
	int		 result_as_string;
	const char	*err_msg;	/* NULL: the built-in message */
	const char	*url;		/* NULL: "/diagnose/detail/<id>" */
	int		 url_omit;	/* url was null or "" */
	const char	*in_progress;	/* NULL: no task in progress */
	int		 per_instance;	/* one task per instance and region */
	const cJSON	*by_instance;	/* instance -> overrides, or NULL */
};

/* A rate limit on business calls (scenario "throttle"); 0: none. */
struct throttle {
	long		 per_second;
	int		 form;		/* an enum err_form */
	const char	*code;
	double		 retry_after;	/* seconds */
	int		 has_retry_after;
};

/* The loaded scenario; root and dir are owned, the rest borrows root. */
struct scenario {
	cJSON		*root;
	char		*dir;		/* base of relative *_file paths */
	const char	*version;
	int		 ai_mode;
	int		 corrupt_config;
	int		 plugins_installed;
	int		 color;
	const char	*plugin_update;
	const cJSON	*eas_services;
	long		 eas_page_cap;	/* 0: no cap */
	const cJSON	*dlc_jobs;
	const cJSON	*rules;
	struct task	 task;
	struct throttle	 throttle;
	long		 linger_ms;	/* close output, wait, then exit */
};

/* What a run knows about itself; filled by main(), read everywhere. */
struct sim {
	int		 argc;		/* without argv[0] */
	char		**argv;
	struct args	 args;
	struct scenario	 sc;
	const char	*stdin_kind;	/* as in the environment log */
	int		 color;		/* colour ERROR and tip lines */
	int		 chinese;	/* host messages in Chinese */
	char		*home;		/* owned; "/" when HOME is unset */
	char		*config_path;	/* owned */
	cJSON		*config;	/* owned; NULL when there is no file */
	char		*state_dir;	/* owned */
	int		 call_admitted;	/* this run's call passed the throttle */
	int		 closed;	/* stdout and stderr are closed */
	char		*fds;		/* owned; open fds above 2, "-": none */
};

/* out.c: output, buffers, JSON printing */
int	 out_write(int, const void *, size_t);
void	 out_puts(int, const char *);
void	 out_printf(int, const char *, ...) SIM_FMT(2, 3);
void	 sbuf_add(struct sbuf *, const void *, size_t);
void	 sbuf_adds(struct sbuf *, const char *);
void	 sbuf_addc(struct sbuf *, char);
void	 sbuf_addf(struct sbuf *, const char *, ...) SIM_FMT(2, 3);
void	 sbuf_vaddf(struct sbuf *, const char *, va_list) SIM_FMT(2, 0);
void	 sbuf_release(struct sbuf *);
char	*sbuf_detach(struct sbuf *);
void	 die(const char *, ...) SIM_FMT(1, 2) SIM_NORETURN;
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*path_join(const char *, const char *);
void	 sleep_ms(long);
SIM_NORETURN void hang_forever(void);
void	 shell_quote(struct sbuf *, const char *);
void	 json_print(struct sbuf *, const cJSON *, int);
void	 json_put_pretty(int, const cJSON *);
void	 json_sort_keys(cJSON *);
void	 json_print_go(struct sbuf *, const cJSON *, const char *);
void	 json_go_value(cJSON *);
size_t	 utf8_len(const unsigned char *);
void	 utf8_fix(struct sbuf *, const char *);
cJSON	*json_parse_or_die(const char *);
const char *json_text(const cJSON *, const char *);
int	 read_file(const char *, struct sbuf *);
int	 write_file_atomic(const char *, const char *, size_t);
int	 mkdir_p(const char *, mode_t);

/* msg.c: the host's own messages, coloured and localised */
const char *tr(const struct sim *, const char *, const char *)
	    __attribute__((format_arg(2)));
void	 host_error(const struct sim *, const char *, ...) SIM_FMT(2, 3);
void	 host_error_nonl(const struct sim *, const char *, ...) SIM_FMT(2, 3);
void	 host_tip(const struct sim *, const char *, ...) SIM_FMT(2, 3);
int	 not_a_command(const struct sim *, const char *, const char *const *);
int	 invalid_flag(const struct sim *, const char *, const char *const *);
int	 version_cmp(const char *, const char *);
int	 version_before(const struct sim *, const char *);

/* args.c */
void	 args_parse(struct args *, int, char **);
void	 args_release(struct args *);
const char *args_get(const struct args *, const char *, int *);
const char *args_check(const struct args *, const char *const *,
	    const char *const *);

/* scenario.c */
int	 scenario_load(struct scenario *, const char *);
void	 scenario_release(struct scenario *);
char	*scenario_path(const struct scenario *, const char *);
int	 task_fill(struct task *, const cJSON *, const char *);

/* state.c */
int	 state_take_rule(const struct sim *, const char *, long);
long	 state_bump(const struct sim *, const char *, const char *);
int	 state_flag(const struct sim *, const char *, const char *);
void	 state_set_flag(const struct sim *, const char *, const char *);
void	 state_put_json(const struct sim *, const char *, const cJSON *);
cJSON	*state_get_json(const struct sim *, const char *);
void	 state_write_pid(const struct sim *, const char *, long);
int	 state_lock_fd(const struct sim *);
void	 state_unlock_fd(int);
void	 state_task_edit(const struct sim *, const char *,
	    int (*)(cJSON *, void *), void *);

/* config.c: config.json, profiles, the gate, configure list/set/get */
int	 config_load(struct sim *);
const cJSON *config_profile(const struct sim *, const char *);
const char *config_current(const struct sim *);
const char *prof_str(const cJSON *, const char *);
int	 cmd_configure_list(struct sim *);
int	 cmd_configure_set(struct sim *);
int	 cmd_configure_get(struct sim *);

/* The profile a business command runs with, after the gate; owned strings. */
struct gate {
	char	*name;
	char	*region;
	int	 auto_plugin_install;
};
int	 gate_check(struct sim *, struct gate *);
void	 gate_release(struct gate *);

/* aimode.c */
int	 cmd_ai_mode(struct sim *);

/* system.c */
int	 cmd_version(struct sim *);
int	 cmd_configure(struct sim *);
int	 cmd_plugin(struct sim *);

/* business.c */
int	 cmd_business(struct sim *);
int	 is_business(const char *);
void	 debug_dump(const struct sim *, const char *, const char *,
	    const char *, int);
void	 plugin_preamble(const struct sim *, const char *, const char *);

/* apierr.c: API errors in the forms of aliyun-facts.md section 2 */
enum err_form {
	FORM_PLUGIN,
	FORM_SERVER,
	FORM_ENVELOPE,
	FORM_ENVELOPE2,
	FORM_BUSINESS,
	FORM_NETWORK
};
struct api_error {
	enum err_form	 form;
	int		 http;
	const cJSON	*body;		/* object, or a string for a raw body */
	const char	*category;	/* envelope only; NULL: from the code */
	const char	*product;	/* sysom, eas, pai-dlc */
	const char	*sub;		/* the plugin subcommand */
	const char	*region;
	long long	 retry_after_ms; /* x-acs-retry-after, -1: none */
	int		 throttled;	/* the answer of the rate limit */
};
int	 form_parse(const char *, enum err_form *);
int	 api_error_emit(const struct sim *, const struct api_error *);
cJSON	*api_error_body(const char *, const char *, const char *,
	    const char *, const char *);
const char *product_host(const char *);
void	 signed_query(struct sbuf *, const char *, const char *,
	    const char *);
void	 action_name(struct sbuf *, const char *);

/* rules.c */
int	 rules_try(struct sim *, int *);

/* throttle.c */
int	 call_admit(struct sim *, const char *, const char *, const char *);

/* main.c */
void	 close_output(struct sim *, long);
void	 log_append(const char *, const struct sbuf *);
void	 argv_quoted(const struct sim *, struct sbuf *);

#endif /* SIM_H */
