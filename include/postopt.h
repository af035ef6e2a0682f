/* postopt.h - the options that shape a post (front matter fields, --clean,
 * member-only previews, images), shared by `import`, `import-archive` and
 * the config of `sync`, so each is spelled and checked the same way. */
#ifndef M2J_POSTOPT_H
#define M2J_POSTOPT_H

#include <stdbool.h>

#include "cli.h"
#include "err.h"
#include "post.h"

#define POSTOPT_MAX_EXTRA 64

/* Option ids, above any command's own. */
enum {
	PO_AUTHOR = 1000, PO_LAYOUT, PO_TAGS, PO_CANONICAL, PO_CLEAN, PO_FIELD, PO_FIELDS,
	PO_MEMBER_ONLY, PO_DOWNLOAD_IMAGES, PO_IMAGES_URL, PO_IMAGE_BUDGET, PO_TAG
};

/* The entries to put in a command's option table. */
#define POSTOPT_TABLE \
	{ "author", 0, CLI_ARG, PO_AUTHOR }, \
	{ "layout", 0, CLI_ARG, PO_LAYOUT }, \
	{ "tags", 0, CLI_NOARG, PO_TAGS }, \
	{ "tag", 0, CLI_ARG, PO_TAG }, \
	{ "canonical", 0, CLI_NOARG, PO_CANONICAL }, \
	{ "clean", 0, CLI_NOARG, PO_CLEAN }, \
	{ "field", 0, CLI_ARG, PO_FIELD }, \
	{ "fields", 0, CLI_ARG, PO_FIELDS }, \
	{ "member-only", 0, CLI_ARG, PO_MEMBER_ONLY }, \
	{ "download-images", 0, CLI_ARG, PO_DOWNLOAD_IMAGES }, \
	{ "images-url", 0, CLI_ARG, PO_IMAGES_URL }, \
	{ "image-budget", 0, CLI_ARG, PO_IMAGE_BUDGET }

/* Their lines in --help. */
extern const char postopt_usage[];

/* What the options say, beside struct post_opts. */
struct postopt {
	struct post_opts *po;   /* borrowed: filled in place */
	struct post_kv extra[POSTOPT_MAX_EXTRA];
	char *extra_mem[POSTOPT_MAX_EXTRA]; /* owned copies of the keys */
	const char *tag[POSTOPT_MAX_EXTRA]; /* --tag NAME, borrowed from argv */
	const char *images_dir; /* --download-images, or NULL */
	const char *images_url; /* --images-url, or NULL (default: "/" + dir) */
	long image_budget;      /* --image-budget SECONDS, 0 = default (images.h) */
};

void postopt_init(struct postopt *p, struct post_opts *po);
void postopt_release(struct postopt *p);

/* Applies option id with arg.  Returns 0 when applied, 1 when id is not a
 * post option, or M2J_EUSAGE with err filled. */
int postopt_apply(struct postopt *p, int id, const char *arg, struct m2j_err *err);

/* "image,description,medium_id,updated" (any subset, commas or spaces) ->
 * POST_F_* bits.  0 or M2J_EUSAGE. */
int postopt_fields(const char *list, unsigned *fields, struct m2j_err *err);
/* "stub" or "skip". */
int postopt_member_only(const char *s, enum post_member_only *out, struct m2j_err *err);
/* A --field key: [A-Za-z_][A-Za-z0-9_-]*, at most 64 bytes, not one of
 * ours. */
bool postopt_key_ok(const char *key);

#endif
