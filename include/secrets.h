/*
 * The credentials pai-diag can know, registered for masking by value
 * (redact.h): those in its environment and those of every profile of
 * aliyun's configuration file.
 */
#ifndef PAI_DIAG_SECRETS_H
#define PAI_DIAG_SECRETS_H

/*
 * Registers with redact_add_secret() and redact_add_secret_pair() every
 * credential value of the environment (ALIBABA_CLOUD_ACCESS_KEY_ID and its
 * kin, each id paired with its secret; security and bearer tokens) and of
 * every profile in $HOME/.aliyun/config.json (access_key_id with
 * access_key_secret, sts_token, private_key, access_token,
 * oauth_access_token, oauth_refresh_token, bearer_token, external_id).
 * What is missing, unreadable or unparsable is skipped without a word; the
 * file is read only when it is a regular file of at most 4 MiB, and nothing
 * of it is printed or kept anywhere else.  Call it before any output and
 * before any thread starts (redact.h).
 */
void secrets_load(void);

#endif
