/*
 * pai-diag's own state between runs: the record of the last successful
 * `aliyun plugin update`, so that it runs once a day rather than on every
 * diagnosis.  Lives in $XDG_STATE_HOME/pai-diag/ (default
 * ~/.local/state/pai-diag/, created 0700), written atomically; a corrupt
 * record is ignored with a warning.
 */
#ifndef PAI_DIAG_STATE_H
#define PAI_DIAG_STATE_H

#include <stdbool.h>
#include <time.h>

#include <cjson/cJSON.h>

#define PLUGIN_UPDATE_MAX_AGE (24 * 3600)

/*
 * Whether a successful plugin update by this same executable (path, size
 * and modification time) is recorded less than PLUGIN_UPDATE_MAX_AGE ago.
 */
bool state_plugin_update_fresh(const char *aliyun_path, time_t now);

/* Records a successful plugin update; -1 (with a warning) on failure. */
int state_plugin_update_record(const char *aliyun_path, time_t now);

/*
 * The state directory (owned by the caller), created when create is set;
 * NULL (after a warning, when creating) when there is none.
 */
char *state_dir(bool create);

/* Writes dir/name atomically (temporary file, fsync, rename): 0 or -1. */
int state_write(const char *dir, const char *name, const char *text);

/*
 * Reads dir/name as JSON (owned tree), or NULL when it is absent or not a
 * regular file or not JSON (with a warning for the last two).
 */
cJSON *state_read(const char *dir, const char *name);

#endif
