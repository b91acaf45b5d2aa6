/*
 * The history of diagnoses: every run that ended with a result keeps its
 * JSON envelope, masked like everything pai-diag writes, as one file
 *
 *	$XDG_STATE_HOME/pai-diag/history/REGION/INSTANCE/STAMP-TASK.json
 *
 * (XDG_STATE_HOME defaults to ~/.local/state; STAMP is the UTC time the
 * run ended, 20261206T043512Z, so names sort by time).  A file is written
 * whole or not at all (a temporary file renamed into place), and each
 * target keeps its newest HISTORY_KEEP files.  `pai-diag history` lists
 * them, `pai-diag diff` compares two, and --baseline compares a run with
 * one of them as it reports.
 */
#ifndef PAI_DIAG_HISTORY_H
#define PAI_DIAG_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct diag;

#define HISTORY_KEEP 50
/* A stored envelope larger than this is not read back. */
#define HISTORY_MAX_FILE (256 << 20)

/* One stored run, as its path names it; all owned. */
struct history_entry {
	char *path, *region, *instance, *task_id;
	char stamp[17];		/* 20261206T043512Z */
};

struct history {
	struct history_entry *e;	/* oldest first */
	size_t n;
};

/*
 * The history directory: $XDG_STATE_HOME (when absolute) or
 * $HOME/.local/state, then pai-diag/history; owned, NULL when neither
 * variable gives one.
 */
char *history_dir(void);

/*
 * Keeps a finished run that has a result: its envelope (as -o json prints
 * it, with exit_code) written to the history, then the target's oldest
 * files past keep removed.  Safe from several threads for different
 * targets.  Returns 0, or -1 after a warning that says why.
 */
int history_save(const struct diag *d, int exit_code, int keep);

/*
 * The stored runs, oldest first: of one target (instance and region; a
 * NULL region matches any), or of all when instance is NULL.  Returns 0,
 * or -1 with a reason in err (no history directory is an empty history).
 */
int history_list(struct history *h, const char *instance, const char *region,
    char *err, size_t errlen);
void history_release(struct history *h);

/*
 * The stored envelope of a run: a task id, or "last" / "previous" of the
 * target (instance, region: NULL for any).  Returns the parsed envelope
 * (owned) and its entry, or NULL with a reason in err.
 */
cJSON *history_load(const char *which, const char *instance,
    const char *region, struct history_entry *entry, char *err,
    size_t errlen);
void history_entry_release(struct history_entry *e);

/* A stored envelope read whole; NULL with a reason in err. */
cJSON *history_read(const char *path, char *err, size_t errlen);

/*
 * Where a run is kept: its region and instance, as given or as its task
 * echoed them when they are valid names, else "-".  Borrowed from d.
 */
void history_place(const struct diag *d, const char **region,
    const char **instance);

/*
 * The issue's fingerprint, which stays the same across runs while the
 * issue does: its item, subsystem and title, lower-cased, with every run
 * of digits (a number, a count, a percentage) as one '#'.  Owned.
 */
char *history_fingerprint(const cJSON *issue);

/* Whether an issue's severity is Warn or above (Warn, Critical, Error...). */
bool history_serious(const cJSON *issue);

/*
 * The change from one envelope to another: {"from": {...}, "to": {...},
 * "status_changed", "new": [...], "resolved": [...], "persisting":
 * [...]}, the issues as stored (new and persisting from `to`, resolved
 * from `from`), each list in its envelope's order.  Owned.
 */
cJSON *history_diff(const cJSON *from, const cJSON *to);

/* Whether a diff has a new issue at Warn or above. */
bool history_regressed(const cJSON *diff);

/*
 * --baseline: compares a run that ended with a result with the run its
 * option names ("last": the target's newest kept run, so call this before
 * history_save(); or a task id), as d->baseline, the diff with "time" in
 * from.  Without a last run every issue is new, with a warning.  With
 * --fail-on new, a new issue at Warn or above makes the outcome regressed.
 */
void history_compare(struct diag *d);

/*
 * The documents of the two commands, which their reports render (text
 * from the same document as JSON).  `pai-diag history`: {"schema_version",
 * "history": [{"time", "task_id", "instance", "region", "outcome",
 * "overall_status", "issues", "path"}]} oldest first.  `pai-diag diff A
 * B`: {"schema_version", "diff": true, "instance", "region", "from",
 * "to", ...} as history_diff() with "time" in from and to.  Owned, or
 * NULL with a reason in err.
 */
cJSON *history_list_doc(const char *instance, const char *region, char *err,
    size_t errlen);
cJSON *history_diff_doc(const char *a, const char *b, const char *instance,
    const char *region, char *err, size_t errlen);

#endif
