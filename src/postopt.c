/* postopt.c - options that shape a post (see postopt.h). */
#include "postopt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char postopt_usage[] =
	"Post options:\n"
	"      --author ID          written as author: (an all-digit id as a number)\n"
	"      --layout NAME        layout: of each post (default post-external)\n"
	"      --tags               tags: the item's categories, as Medium shows them\n"
	"      --tag NAME           a tag added to every post (repeatable)\n"
	"      --canonical          canonical_url: the original link (jekyll-seo-tag)\n"
	"      --clean              drop Medium's tracking pixel, its \"originally\n"
	"                           published\" footer and ?source= tracking queries\n"
	"      --field KEY=VALUE    a static front matter key (repeatable)\n"
	"      --fields LIST        optional item fields: image, description,\n"
	"                           medium_id, updated (comma-separated)\n"
	"      --member-only MODE   Medium member-only previews: stub (default:\n"
	"                           import the preview, ending with a link to the\n"
	"                           rest) or skip\n"
	"      --download-images DIR  download the posts' images into DIR and\n"
	"                           refer to them by site path\n"
	"      --images-url PATH    site path of DIR (default /DIR)\n"
	"      --image-budget SECONDS  time for all image downloads of a feed\n"
	"                           (default 4 times the timeout); past it the\n"
	"                           images left keep their URLs\n";

void postopt_init(struct postopt *p, struct post_opts *po)
{
	memset(p, 0, sizeof *p);
	p->po = po;
}

void postopt_release(struct postopt *p)
{
	size_t i;

	for (i = 0; i < POSTOPT_MAX_EXTRA; i++)
		free(p->extra_mem[i]);
	memset(p->extra_mem, 0, sizeof p->extra_mem);
}

bool postopt_key_ok(const char *key)
{
	size_t i, n = strlen(key);

	if (n == 0 || n > 64 || !((key[0] >= 'a' && key[0] <= 'z') ||
	                          (key[0] >= 'A' && key[0] <= 'Z') || key[0] == '_'))
		return false;
	for (i = 0; i < n; i++) {
		char c = key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	for (i = 0; post_keys[i]; i++)
		if (strcmp(key, post_keys[i]) == 0)
			return false;
	return true;
}

int postopt_fields(const char *list, unsigned *fields, struct m2j_err *err)
{
	static const struct { const char *name; unsigned bit; } names[] = {
		{ "image", POST_F_IMAGE }, { "description", POST_F_DESCRIPTION },
		{ "medium_id", POST_F_MEDIUM_ID }, { "updated", POST_F_UPDATED },
	};
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ", "), i;

		for (i = 0; n && i < sizeof names / sizeof names[0]; i++) {
			if (strlen(names[i].name) == n && strncmp(p, names[i].name, n) == 0) {
				*fields |= names[i].bit;
				break;
			}
		}
		if (n && i == sizeof names / sizeof names[0])
			return m2j_err_set(err, M2J_EUSAGE,
			                   "unknown field \"%.*s\" (known: image, description, medium_id, "
			                   "updated)", (int)(n > 40 ? 40 : n), p);
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

int postopt_member_only(const char *s, enum post_member_only *out, struct m2j_err *err)
{
	if (strcmp(s, "stub") == 0)
		*out = POST_MEMBER_STUB;
	else if (strcmp(s, "skip") == 0)
		*out = POST_MEMBER_SKIP;
	else
		return m2j_err_set(err, M2J_EUSAGE, "--member-only takes stub or skip");
	return 0;
}

/* A --tag NAME: 1 to 100 bytes, no control character. */
static int add_tag(struct postopt *p, const char *name, struct m2j_err *err)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > 100)
		return m2j_err_set(err, M2J_EUSAGE, "--tag needs a NAME of 1 to 100 bytes");
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return m2j_err_set(err, M2J_EUSAGE, "--tag: a NAME may not hold a control "
			                   "character");
	if (p->po->nstatic_tags >= POSTOPT_MAX_EXTRA)
		return m2j_err_set(err, M2J_EUSAGE, "at most %d --tag options", POSTOPT_MAX_EXTRA);
	p->tag[p->po->nstatic_tags++] = name;
	p->po->static_tags = p->tag;
	return 0;
}

int postopt_apply(struct postopt *p, int id, const char *arg, struct m2j_err *err)
{
	struct post_opts *po = p->po;

	switch (id) {
	case PO_AUTHOR: po->author = arg; return 0;
	case PO_LAYOUT: po->layout = arg; return 0;
	case PO_TAGS: po->tags = true; return 0;
	case PO_CANONICAL: po->canonical = true; return 0;
	case PO_CLEAN: po->clean = true; return 0;
	case PO_FIELDS: return postopt_fields(arg, &po->fields, err);
	case PO_MEMBER_ONLY: return postopt_member_only(arg, &po->member_only, err);
	case PO_DOWNLOAD_IMAGES: p->images_dir = arg; return 0;
	case PO_IMAGES_URL: p->images_url = arg; return 0;
	case PO_IMAGE_BUDGET: {
		char *end = NULL;
		long v;

		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v < 1 || v > 86400)
			return m2j_err_set(err, M2J_EUSAGE,
			                   "--image-budget: \"%.40s\" is not a number of seconds (1..86400)",
			                   arg);
		p->image_budget = v;
		return 0;
	}
	case PO_TAG: return add_tag(p, arg, err);
	case PO_FIELD: {
		const char *eq = strchr(arg, '=');
		char *key;
		size_t n = po->nextra;

		if (!eq)
			return m2j_err_set(err, M2J_EUSAGE, "--field needs KEY=VALUE");
		if (n >= POSTOPT_MAX_EXTRA)
			return m2j_err_set(err, M2J_EUSAGE, "at most %d --field options",
			                   POSTOPT_MAX_EXTRA);
		key = strndup(arg, (size_t)(eq - arg));
		if (!key)
			return m2j_err_set(err, M2J_ENOMEM, "out of memory");
		if (!postopt_key_ok(key)) {
			int rc = m2j_err_set(err, M2J_EUSAGE,
			                     "--field: \"%.64s\" is not a key we may add (letters, "
			                     "digits, _ and -; not one of the keys we write)", key);

			free(key);
			return rc;
		}
		p->extra_mem[n] = key;
		p->extra[n].key = key;
		p->extra[n].value = eq + 1;
		po->extra = p->extra;
		po->nextra = n + 1;
		return 0;
	}
	default:
		return 1;
	}
}
