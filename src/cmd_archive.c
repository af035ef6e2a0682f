/* cmd_archive.c - the import-archive command (see cmd_archive.h). */
#include "cmd_archive.h"
#include "caps.h"
#include "cli.h"
#include "feed.h"
#include "images.h"
#include "import.h"
#include "marchive.h"
#include "medium_export.h"
#include "msg.h"
#include "postopt.h"
#include "pipeline.h"
#include "post.h"
#include "store.h"
#include "summary.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"Usage: medium2jekyll import-archive ARCHIVE [options]\n"
	"\n"
	"ARCHIVE is the .zip of Medium's \"Download your information\", or the\n"
	"folder it unpacks to.  Every posts/YYYY-MM-DD_*.html becomes a post, as\n"
	"`import` writes it; a post already in the output folder (same Medium post\n"
	"id, whether it came from the feed or the archive) is not written again.\n"
	"\n"
	"Options:\n"
	"  -o, --output DIR         where posts go (default _posts, created if missing)\n"
	"      --drafts DIR         also write drafts (draft_*.html) into DIR as Jekyll\n"
	"                           drafts (DIR/slug.md, dated the day of the export);\n"
	"                           default: drafts are skipped\n"
	"      --include-responses  also import responses (comments), skipped by default\n"
	"  -n, --dry-run            say what would be written, write nothing\n"
	"  -q, --quiet              print errors only\n"
	"  -v, --verbose            also say what was skipped and why\n"
	"  -h, --help               this help\n"
	"      --version            print the version\n"
	"\n";

static const char usage_tail[] =
	"\n"
	"A response is a published file with no subtitle and no title graf whose\n"
	"text starts with its title.  Members with an absolute or \"..\" path,\n"
	"symlinks, and members over 16 MiB are refused; nothing is ever unpacked.\n"
	"On a terminal (or with -v) a summary line ends the run.\n"
	"\n"
	"Exit status: 0 every post written or already present; 1 some member or\n"
	"post failed or was refused (each named on stderr); 2 usage error.\n";

const char *const cmd_archive_help[] = { usage, postopt_usage, usage_tail, NULL };

enum { O_OUTPUT = 1, O_DRAFTS, O_INCLUDE_RESPONSES, O_DRY_RUN };

static const struct cli_opt opts_table[] = {
	CLI_COMMON_TABLE,
	{ "output", 'o', CLI_ARG, O_OUTPUT },
	{ "drafts", 0, CLI_ARG, O_DRAFTS },
	{ "include-responses", 0, CLI_NOARG, O_INCLUDE_RESPONSES },
	{ "dry-run", 'n', CLI_NOARG, O_DRY_RUN },
	POSTOPT_TABLE,
	{ NULL, 0, CLI_NOARG, 0 }
};

struct run {
	const char *archive;
	const char *output, *drafts_dir;
	bool include_responses, dry_run;
	struct post_opts post;
	struct store *posts, *drafts;
	struct images *images;     /* --download-images, or NULL */
	size_t files, written, drafts_written, present, responses, drafts_skipped;
	size_t failed, refused;
};

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static bool want(void *ctx, const char *name)
{
	bool draft;
	char id[13];

	(void)ctx;
	return medium_export_name(base_name(name), &draft, id);
}

/* The archive hands its post's tree over, as it built it. */
static int open_archive_src(void *ctx, size_t i, const struct post_opts *o,
                            struct post_src *src, struct m2j_err *err)
{
	(void)i;
	return medium_export_src(ctx, o, src, err);
}

/* One post (or draft) through the item pipeline.  0, or M2J_ENOSPACE to
 * stop the walk. */
static int write_post(struct run *r, const char *member, struct medium_export_post *mp)
{
	struct post_opts po = r->post;
	struct m2j_err err = { 0, "" };
	struct store **st = mp->draft ? &r->drafts : &r->posts;
	const char *dir = mp->draft ? r->drafts_dir : r->output;
	struct pipe_ctx c;
	struct pipe_stats ps;
	char label[CAP_PATH_LEN];

	if (!*st && store_open(dir, r->dry_run ? STORE_DRY_RUN : 0, st, &err) != 0) {
		r->failed++;
		msg_error("%s", err.msg);
		return err.code == M2J_ENOSPACE ? M2J_ENOSPACE : 0;
	}
	if (!r->dry_run)
		store_set_batch(*st, true);
	snprintf(label, sizeof label, "%s: %s", r->archive, member);
	po.conv.base_url = mp->item.link;
	memset(&c, 0, sizeof c);
	memset(&ps, 0, sizeof ps);
	c.label = label;
	c.is_medium = true; /* an archive of Medium's: its links carry the post id */
	c.post = &po;
	c.store = *st;
	c.output = dir;
	c.include_responses = true; /* the archive's own rule decided already */
	c.dry_run = r->dry_run;
	c.drafts = mp->draft;
	c.images = r->images;
	c.open_src = open_archive_src;
	c.open_ctx = mp;
	if (pipeline_run(&c, &mp->item, 1, &ps, &err) != 0) {
		r->failed++;
		msg_error("%s: %s", label, err.msg);
		return err.code;
	}
	r->present += ps.n[ITEM_PRESENT];
	r->failed += ps.n[ITEM_FAILED] + ps.n[ITEM_NOSPACE];
	if (mp->draft)
		r->drafts_written += ps.n[ITEM_WRITTEN];
	else
		r->written += ps.n[ITEM_WRITTEN];
	return ps.n[ITEM_NOSPACE] ? M2J_ENOSPACE : 0;
}

static int visit(void *ctx, const struct marchive_member *m)
{
	struct run *r = ctx;
	struct medium_export_post mp;
	struct m2j_err err = { 0, "" };
	int rc;

	if (m->refused) {
		r->refused++;
		msg_error("%s: %s: %s", r->archive, m->name, m->refused);
		return 0;
	}
	r->files++;
	if (medium_export_parse(base_name(m->name), m->data, m->len, &mp, &err) != 0) {
		r->failed++;
		msg_error("%s: %s: %s", r->archive, m->name, err.msg);
		return 0;
	}
	if (mp.draft && !r->drafts_dir) {
		r->drafts_skipped++;
		msg_note("%s: %s: a draft, skipped (--drafts DIR imports it)", r->archive, m->name);
		rc = 0;
	} else if (mp.response && !r->include_responses) {
		r->responses++;
		msg_note("%s: %s: a response, skipped (--include-responses imports it)", r->archive,
		         m->name);
		rc = 0;
	} else {
		rc = write_post(r, m->name, &mp);
	}
	medium_export_release(&mp);
	return rc;
}

/* The run's counts as the summary line of every import reads them. */
static void summary_run(const struct run *r)
{
	struct import_stats s;

	memset(&s, 0, sizeof s);
	s.sources = 1;
	s.written = r->written + r->drafts_written;
	s.present = r->present;
	s.responses = r->responses;
	s.drafts_skipped = r->drafts_skipped;
	s.failed = r->failed + r->refused;
	summary_import("import-archive", &s, r->dry_run);
}

static int archive_main(int argc, char **argv, struct postopt *pop, struct m2j_err *err)
{
	struct run r;
	struct cli_state st;
	struct marchive_visitor v;
	const char *arg;
	bool done;
	int id, c, rc;

	memset(&r, 0, sizeof r);
	r.output = "_posts";
	r.post.layout = "post-external";
	postopt_init(pop, &r.post);
	m2j_err_clear(err);
	cli_init(&st, argc - 1, argv + 1);
	while ((c = cli_next(&st, opts_table, &id, &arg, err)) > 0) {
		if (c == 2) {
			if (r.archive) {
				m2j_err_set(err, M2J_EUSAGE, "one ARCHIVE only");
				c = -1;
				break;
			}
			r.archive = arg;
			continue;
		}
		if (cli_common(id, cmd_archive_help, &done)) {
			if (done)
				return CLI_OK;
			continue;
		}
		switch (id) {
		case O_OUTPUT: r.output = arg; break;
		case O_DRAFTS: r.drafts_dir = arg; break;
		case O_INCLUDE_RESPONSES: r.include_responses = true; break;
		case O_DRY_RUN: r.dry_run = true; break;
		default:
			if (postopt_apply(pop, id, arg, err) < 0 || err->code)
				c = -1;
			break;
		}
		if (c < 0)
			break;
	}
	if (c < 0 || !r.archive) {
		if (!r.archive && c >= 0)
			m2j_err_set(err, M2J_EUSAGE, "needs an ARCHIVE (.zip or folder)");
		return CLI_USAGE;
	}
	if (!*r.output || (r.drafts_dir && !*r.drafts_dir)) {
		m2j_err_set(err, M2J_EUSAGE, "empty folder name");
		return CLI_USAGE;
	}
	{
		/* the downloader import opens, with the same options and defaults */
		struct import_opts io;

		import_opts_default(&io);
		io.images_dir = pop->images_dir;
		io.images_url = pop->images_url;
		io.image_budget = pop->image_budget;
		io.dry_run = r.dry_run;
		if (import_images_open(&io, err) != 0)
			return CLI_FAILED;
		r.images = io.images;
	}
	v.want = want;
	v.visit = visit;
	v.ctx = &r;
	rc = marchive_walk(r.archive, &v, err);
	images_free(r.images);
	if (!rc && r.posts && (rc = store_flush(r.posts, err)) == 0 && r.drafts)
		rc = store_flush(r.drafts, err);
	store_close(r.posts);
	store_close(r.drafts);
	if (rc && rc != M2J_ENOSPACE)
		m2j_err_prefix(err, "%s", r.archive);
	else if (rc)
		m2j_err_set(err, rc, "%s: stopped: the disk is full", r.archive);
	if (!rc || r.files || r.refused) /* else the archive could not be read */
		summary_run(&r);
	return rc || r.failed || r.refused ? CLI_FAILED : CLI_OK;
}

int cmd_archive(int argc, char **argv, struct m2j_err *err)
{
	struct postopt pop;
	int rc;

	memset(&pop, 0, sizeof pop);
	rc = archive_main(argc, argv, &pop, err);
	postopt_release(&pop);
	return rc;
}
