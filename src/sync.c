/* sync.c - the sync command (see sync.h). */
#define _GNU_SOURCE 1 /* realpath(3), flock(2) */
#include "sync.h"
#include "announce.h"
#include "caps.h"
#include "config.h"
#include "feed.h"
#include "fetch.h"
#include "fsatomic.h"
#include "images.h"
#include "pipeline.h"
#include "import.h"
#include "json.h"
#include "msg.h"
#include "site.h"
#include "post.h"
#include "postopt.h"
#include "state.h"
#include "store.h"
#include "strmap.h"
#include "date.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How many consecutive failures make a louder report. */
#define LOUD_FAILURES 10

enum feed_status { FS_OK, FS_NOT_MODIFIED, FS_BLOCKED, FS_GONE, FS_FAILED };

static const char *const status_names[] = { "ok", "not-modified", "blocked", "gone", "failed" };

struct feedrun {
	const struct config_feed *cf;
	struct import_opts io;
	struct post_kv extra[POSTOPT_MAX_EXTRA];
	struct store *store;
	char *state_output;       /* the output folder as the state records it */
	enum feed_status status;
	long http;
	size_t written, updated, present, edited, skipped, errors;
	char *error;
};

struct run {
	const struct sync_opts *o;
	struct config *cfg;
	struct state *state;
	struct feedrun *feeds;
	size_t nfeeds;
	/* one store per output folder */
	struct store **stores;
	char **store_dirs;
	size_t nstores;
	/* one image downloader per images folder */
	struct images **images;
	size_t nimages;
	struct sync_stats *stats;
	size_t done, new_posts;
	char now[32];
	char *state_dir;          /* real path of the state file's folder */
	struct pipe_created created;
	bool oom;                 /* the state could not record something */
};

/* The output folder as the state records it: relative to the state
 * file's folder when inside it, else its real path, so the same folder
 * spelled another way (`sync -c /abs/path`) is the same folder. */
static char *state_output_of(const struct run *r, const struct store *st)
{
	size_t n = r->state_dir ? strlen(r->state_dir) : 0;

	if (!st->real)
		return strdup(st->dir);
	if (n && strncmp(st->real, r->state_dir, n) == 0 && st->real[n] == '/')
		return strdup(st->real + n + 1);
	if (n && strcmp(st->real, r->state_dir) == 0)
		return strdup(".");
	return strdup(st->real);
}

/* Every output folder is opened (and locked) before anything is fetched:
 * another writer makes the run stop before it did anything. */
static int get_store(struct run *r, const char *dir, struct store **out, struct m2j_err *err)
{
	size_t i;
	struct store **ns;
	char **nd;
	int rc;

	for (i = 0; i < r->nstores; i++) {
		if (strcmp(r->store_dirs[i], dir) == 0) {
			*out = r->stores[i];
			return 0;
		}
	}
	/* the elements are pointers: sizeof *p is right (clang-tidy 14 false positive)
	 * NOLINTNEXTLINE(bugprone-sizeof-expression) */
	ns = realloc(r->stores, (r->nstores + 1) * sizeof *ns);
	if (!ns)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	r->stores = ns;
	nd = realloc(r->store_dirs, (r->nstores + 1) * sizeof *nd);
	if (!nd)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	r->store_dirs = nd;
	if ((rc = store_open(dir, (r->o->dry_run ? STORE_DRY_RUN : 0) |
	                          (r->o->wait_lock ? STORE_WAIT : 0), out, err)))
		return rc;
	store_set_batch(*out, true);
	r->store_dirs[r->nstores] = strdup(dir);
	if (!r->store_dirs[r->nstores]) {
		store_close(*out);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	r->stores[r->nstores++] = *out;
	return 0;
}

/* The downloader of a feed's images folder (created on first use). */
static int get_images(struct run *r, struct feedrun *fr, struct m2j_err *err)
{
	struct images **ni;
	size_t i;
	int rc;

	for (i = 0; i < r->nimages; i++) {
		if (strcmp(images_dir(r->images[i]), fr->io.images_dir) == 0) {
			fr->io.images = r->images[i];
			return 0;
		}
	}
	/* the elements are pointers: sizeof *p is right (clang-tidy 14 false positive)
	 * NOLINTNEXTLINE(bugprone-sizeof-expression) */
	ni = realloc(r->images, (r->nimages + 1) * sizeof *ni);
	if (!ni)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	r->images = ni;
	fr->io.timeout = r->cfg->timeout;
	fr->io.connect_timeout = r->cfg->connect_timeout;
	fr->io.user_agent = r->cfg->user_agent;
	if ((rc = import_images_open(&fr->io, err)))
		return rc;
	r->images[r->nimages++] = fr->io.images;
	return 0;
}

static void set_error(struct feedrun *fr, enum feed_status st, const char *msg)
{
	fr->status = st;
	free(fr->error);
	fr->error = strdup(msg);
}

static bool looks_like_html(const struct buf *b)
{
	size_t i = 0;

	while (i < b->len && (b->data[i] == ' ' || b->data[i] == '\n' || b->data[i] == '\r' ||
	                      b->data[i] == '\t'))
		i++;
	return b->len - i >= 5 && (strncmp(b->data + i, "<!DOC", 5) == 0 ||
	                           strncmp(b->data + i, "<!doc", 5) == 0 ||
	                           strncmp(b->data + i, "<html", 5) == 0 ||
	                           strncmp(b->data + i, "<HTML", 5) == 0);
}

static void feed_done(struct fetch_req *req, void *ctx)
{
	struct run *r = ctx;
	struct feedrun *fr = req->user;
	struct state_feed *sf = state_feed_get(r->state, fr->cf->url, true);
	struct feed *f = NULL;
	struct m2j_err err = { 0, "" };
	char *bh = NULL;

	fr->http = req->res.status;
	if (!sf) {
		set_error(fr, FS_FAILED, "out of memory");
		goto out;
	}
	if (req->rc != 0) {
		if (req->res.status == 403 || req->res.cf_mitigated)
			set_error(fr, FS_BLOCKED, req->err.msg);
		else if (req->res.status == 404 || req->res.status == 410)
			set_error(fr, FS_GONE, req->err.msg);
		else
			set_error(fr, FS_FAILED, req->err.msg);
		goto out;
	}
	if (req->res.status == 304) {
		fr->status = FS_NOT_MODIFIED;
		goto out;
	}
	if (!(bh = state_hash_hex(req->res.body.data, req->res.body.len)))
		r->oom = true; /* the state could not remember the body: an error */
	if (bh && sf->body_hash && strcmp(bh, sf->body_hash) == 0 && !r->o->force) {
		/* no validators, or the server ignores them: same bytes */
		fr->status = FS_NOT_MODIFIED;
		goto out;
	}
	if (feed_parse_url(req->res.body.data, req->res.body.len, req->res.charset,
	                   req->res.effective_url ? req->res.effective_url : fr->cf->url, &f,
	                   &err) != 0) {
		if (req->res.cf_mitigated || looks_like_html(&req->res.body))
			set_error(fr, FS_BLOCKED, "an HTML page instead of a feed (a challenge page?)");
		else
			set_error(fr, FS_FAILED, err.msg);
		goto out;
	}
	if (fr->io.images_dir && get_images(r, fr, &err) != 0) {
		set_error(fr, FS_FAILED, err.msg);
		goto out;
	}
	if (f->repairs)
		msg_note("%s: repaired: %s", fr->cf->url, f->repairs);
	{
		struct pipe_ctx c;
		struct pipe_stats ps;

		memset(&c, 0, sizeof c);
		memset(&ps, 0, sizeof ps);
		c.label = fr->cf->url;
		c.feed_id = fr->cf->url;
		c.is_medium = f->is_medium;
		c.post = &fr->io.post;
		c.store = fr->store;
		c.output = fr->io.output;
		c.state = r->state;
		c.state_output = fr->state_output;
		c.images = fr->io.images;
		c.include_responses = fr->io.include_responses;
		c.dry_run = r->o->dry_run;
		c.force = r->o->force;
		c.update = !r->o->no_update && r->cfg->update;
		pipeline_fallback_date(&c, req->res.last_modified);
		if (fr->io.images) /* this feed's image budget (issue 11) */
			images_set_budget(fr->io.images, config_feed_image_budget(r->cfg, fr->cf));
		c.created = &r->created;
		if (pipeline_run(&c, f->items, f->nitems, &ps, &err) != 0) {
			r->oom = true;
			set_error(fr, FS_FAILED, err.msg);
		}
		fr->written = ps.n[ITEM_WRITTEN];
		fr->updated = ps.n[ITEM_UPDATED];
		fr->present = ps.n[ITEM_PRESENT];
		fr->edited = ps.n[ITEM_EDITED] + ps.n[ITEM_UNVERIFIED];
		fr->skipped = ps.n[ITEM_RESPONSE] + ps.n[ITEM_PREVIEW] + ps.n[ITEM_FILTERED];
		fr->errors += ps.n[ITEM_FAILED] + ps.n[ITEM_NOSPACE];
		r->stats->responses += ps.n[ITEM_RESPONSE];
		r->stats->edited += fr->edited;
		r->stats->item_errors += ps.n[ITEM_FAILED] + ps.n[ITEM_NOSPACE];
		if (f->dropped) {
			/* a cut feed is an incomplete run */
			char m[200];

			feed_dropped_msg(f, m, sizeof m);
			set_error(fr, FS_FAILED, m);
		}
	}
	if (fr->errors == 0 && fr->status == FS_OK) {
		/* remember validators only once the feed went through */
		if (state_set(&sf->etag, req->res.etag) || state_set(&sf->last_modified,
		                                                     req->res.last_modified) ||
		    state_set(&sf->body_hash, bh))
			r->oom = true;
	}
out:
	if (sf) {
		if (fr->status == FS_OK || fr->status == FS_NOT_MODIFIED) {
			if (fr->errors == 0) {
				sf->failures = 0;
				if (state_set(&sf->last_error, NULL))
					r->oom = true;
			}
			if (state_set(&sf->last_success, r->now))
				r->oom = true;
		} else {
			if (sf->failures < INT_MAX) /* saturates */
				sf->failures++;
			if (state_set(&sf->last_error, fr->error))
				r->oom = true;
		}
	}
	feed_free(f);
	free(bh);
	fetch_result_release(&req->res);
	r->done++;
	r->new_posts += fr->written + fr->updated;
	msg_progress("%zu of %zu feeds, %zu posts written", r->done, r->nfeeds, r->new_posts);
}

/* One sync per state file: an flock on the state file's folder (a folder
 * cannot be deleted from under the run, and no lock file is left in the
 * site).  Skipped when that folder is an output folder: its store holds
 * the same lock already. */
static int take_lock(struct run *r, int *fd, struct m2j_err *err)
{
	char dir[CAP_PATH_LEN];
	const char *path = r->cfg->state, *slash = strrchr(path, '/');
	size_t i;

	*fd = -1;
	if (slash)
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	else
		snprintf(dir, sizeof dir, ".");
	if (!r->o->dry_run && fsatomic_mkdirs(dir, err))
		return err->code;
	if (!(r->state_dir = realpath(dir, NULL)) && r->o->dry_run)
		return 0;
	if (!r->state_dir)
		return m2j_err_set(err, errno == ENOMEM ? M2J_ENOMEM : M2J_EIO, "%s: %s", dir,
		                   strerror(errno));
	for (i = 0; i < r->nstores; i++)
		if (r->stores[i]->real && strcmp(r->stores[i]->real, r->state_dir) == 0)
			return 0;
	if (r->o->dry_run)
		return 0;
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return m2j_err_set(err, M2J_EIO, "cannot open %s: %s", dir, strerror(errno));
	while (flock(*fd, r->o->wait_lock ? LOCK_EX : LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		if (e == EINTR)
			continue;
		close(*fd);
		*fd = -1;
		if (e == EWOULDBLOCK)
			return m2j_err_set(err, M2J_ELOCKED, "another sync of %s is running "
			                   "(--wait waits for it)", path);
		return m2j_err_set(err, M2J_EIO, "cannot lock %s: %s", dir, strerror(e));
	}
	return 0;
}

/* The announcements of the posts this run created (announce.h). */
static void announce_all(struct run *r)
{
	size_t i, j, k, na;

	for (i = 0; i < r->created.n; i++) {
		const struct pipe_new *pn = &r->created.v[i];
		const struct config_feed *cf = NULL;
		const struct config_announce *a;

		for (j = 0; j < r->cfg->nfeeds && !cf; j++)
			if (strcmp(r->cfg->feeds[j].url, pn->feed) == 0)
				cf = &r->cfg->feeds[j];
		a = config_feed_announce(r->cfg, cf, &na);
		for (k = 0; k < na; k++) {
			struct m2j_err err = { 0, "" };
			char *name = NULL;

			if (announce_write(&a[k], pn, &name, &err) != 0) {
				msg_error("%s: announcement of %s: %s", pn->feed, pn->path, err.msg);
				r->stats->item_errors++;
			} else {
				msg_note("%s: announced %s as %s/%s", pn->feed, pn->path, a[k].dir, name);
			}
			free(name);
		}
	}
}

static void print_json(const struct run *r)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	buf_addstr(&b, "{\"feeds\":[");
	for (i = 0; i < r->nfeeds; i++) {
		const struct feedrun *fr = &r->feeds[i];

		buf_addstr(&b, i ? ",\n{" : "\n{");
		buf_addstr(&b, "\"url\":");
		json_str(&b, fr->cf->url);
		buf_addf(&b, ",\"status\":\"%s\",\"http\":%ld,\"new\":%zu,\"updated\":%zu,"
		         "\"present\":%zu,\"edited\":%zu,\"skipped\":%zu,\"error\":",
		         status_names[fr->status], fr->http, fr->written, fr->updated, fr->present,
		         fr->edited, fr->skipped);
		json_str(&b, fr->error);
		buf_addch(&b, '}');
	}
	buf_addstr(&b, "\n],\"posts\":[");
	for (i = 0; i < r->created.n; i++) {
		const struct pipe_new *pn = &r->created.v[i];
		char when[40];

		date_format_fm(pn->date, when, sizeof when);
		buf_addstr(&b, i ? ",\n{\"path\":" : "\n{\"path\":");
		json_str(&b, pn->path);
		buf_addstr(&b, ",\"title\":");
		json_str(&b, pn->title);
		buf_addstr(&b, ",\"link\":");
		json_str(&b, pn->link);
		buf_addstr(&b, ",\"author\":");
		json_str(&b, pn->author);
		buf_addstr(&b, ",\"feed\":");
		json_str(&b, pn->feed);
		buf_addstr(&b, ",\"date\":");
		json_str(&b, when);
		buf_addch(&b, '}');
	}
	buf_addf(&b, "\n],\"new\":%zu,\"updated\":%zu,\"failed\":%zu}\n", r->stats->written,
	         r->stats->updated, r->stats->failed);
	if (!b.failed)
		msg_print(b.data, b.len);
	buf_release(&b);
}

static void report(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nfeeds; i++) {
		struct feedrun *fr = &r->feeds[i];
		struct state_feed *sf = state_feed_get(r->state, fr->cf->url, false);
		int fails = sf ? sf->failures : 1;

		r->stats->written += fr->written;
		r->stats->updated += fr->updated;
		r->stats->present += fr->present;
		if (fr->status == FS_NOT_MODIFIED)
			r->stats->not_modified++;
		if (fr->status == FS_OK || fr->status == FS_NOT_MODIFIED) {
			if (fr->errors)
				r->stats->reported_failed++;
			msg_note("%s: %s (HTTP %ld): %zu new, %zu updated, %zu present, %zu edited, "
			         "%zu skipped", fr->cf->url, status_names[fr->status], fr->http,
			         fr->written, fr->updated, fr->present, fr->edited, fr->skipped);
			continue;
		}
		r->stats->failed++;
		if (fails < r->cfg->failures_before_report) {
			msg_note("%s: %s: %s (failure %d of %d before it is reported)", fr->cf->url,
			         status_names[fr->status], fr->error ? fr->error : "",
			         fails, r->cfg->failures_before_report);
			continue;
		}
		r->stats->reported_failed++;
		if (fails >= LOUD_FAILURES)
			msg_error("%s: %s: %s (failing for %d runs in a row%s%s)", fr->cf->url,
			          status_names[fr->status], fr->error ? fr->error : "", fails,
			          sf && sf->last_success ? ", last success " : ", never succeeded",
			          sf && sf->last_success ? sf->last_success : "");
		else
			msg_error("%s: %s: %s", fr->cf->url, status_names[fr->status],
			          fr->error ? fr->error : "");
	}
}

int sync_run(const struct sync_opts *o, struct sync_stats *stats, struct m2j_err *err)
{
	struct run r;
	struct fetch_req *reqs = NULL;
	struct fetch_multi_opts mo;
	int lockfd = -1, rc;
	size_t i;

	memset(&r, 0, sizeof r);
	memset(stats, 0, sizeof *stats);
	r.o = o;
	r.stats = stats;
	if ((rc = config_load(o->config_path, &r.cfg, err)))
		return rc;
	stats->feeds = r.cfg->nfeeds;
	if (o->check)
		goto done;
	for (i = 0; i < r.cfg->nfeeds; i++) {
		struct store *st;

		if ((rc = get_store(&r, config_feed_output(r.cfg, &r.cfg->feeds[i]), &st, err)))
			goto done;
	}
	if ((rc = take_lock(&r, &lockfd, err)))
		goto done;
	{
		/* a layout the site lacks: said once per folder and layout */
		struct strmap warned;

		memset(&warned, 0, sizeof warned);
		for (i = 0; i < r.cfg->nfeeds; i++) {
			const struct config_feed *cf = &r.cfg->feeds[i];
			struct buf k = BUF_INIT(0);

			buf_addf(&k, "%s\n%s", config_feed_output(r.cfg, cf), config_feed_layout(r.cfg, cf));
			if (!k.failed && !strmap_get(&warned, k.data, NULL) && !strmap_put(&warned, k.data, 0))
				site_layout_warning(config_feed_output(r.cfg, cf), config_feed_layout(r.cfg, cf));
			buf_release(&k);
		}
		strmap_release(&warned);
	}
	if ((rc = state_load(r.cfg->state, &r.state, err))) {
		/* a state we must not overwrite (not a file, newer), or no memory */
		if (rc != M2J_EPARSE)
			goto done;
		msg_warn("%s; starting from an empty state (no duplicate can come of it)", err->msg);
		m2j_err_clear(err);
		if (!(r.state = state_new())) {
			rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
			goto done;
		}
	}
	/* a day, not a second: the state file changes once a day at most
	 * when nothing else did, so a site that commits it gets clean diffs */
	date_format_ymd((int64_t)time(NULL), r.now, sizeof r.now);
	r.nfeeds = r.cfg->nfeeds;
	r.feeds = calloc(r.nfeeds ? r.nfeeds : 1, sizeof *r.feeds);
	reqs = calloc(r.nfeeds ? r.nfeeds : 1, sizeof *reqs);
	if (!r.feeds || !reqs) {
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < r.nfeeds; i++) {
		const struct config_feed *cf = &r.cfg->feeds[i];
		struct feedrun *fr = &r.feeds[i];
		struct state_feed *sf = state_feed_get(r.state, cf->url, false);

		fr->cf = cf;
		import_opts_default(&fr->io);
		fr->io.output = config_feed_output(r.cfg, cf);
		fr->io.post.layout = config_feed_layout(r.cfg, cf);
		fr->io.post.author = config_feed_author(r.cfg, cf);
		fr->io.include_responses = config_feed_include_responses(r.cfg, cf);
		config_feed_post(r.cfg, cf, &fr->io.post, fr->extra, POSTOPT_MAX_EXTRA,
		                 &fr->io.images_dir, &fr->io.images_url);
		fr->io.dry_run = o->dry_run;
		if ((rc = get_store(&r, fr->io.output, &fr->store, err)))
			goto done;
		if (!(fr->state_output = state_output_of(&r, fr->store))) {
			rc = m2j_err_set(err, M2J_ENOMEM, "out of memory");
			goto done;
		}
		reqs[i].url = cf->url;
		reqs[i].user = fr;
		reqs[i].opts.timeout = r.cfg->timeout;
		reqs[i].opts.connect_timeout = r.cfg->connect_timeout;
		reqs[i].opts.max_size = r.cfg->max_size;
		reqs[i].opts.user_agent = r.cfg->user_agent;
		if (sf && !o->force) {
			reqs[i].opts.if_none_match = sf->etag;
			reqs[i].opts.if_modified_since = sf->last_modified;
		}
	}
	memset(&mo, 0, sizeof mo);
	mo.concurrency = r.cfg->concurrency;
	mo.per_host = r.cfg->per_host;
	mo.max_tries = 3;
	mo.budget_seconds = r.cfg->timeout * 3;
	if ((rc = fetch_many(reqs, r.nfeeds, &mo, feed_done, &r, err)))
		goto done;
	msg_progress_done();
	if (r.oom) {
		/* the state cannot tell what was written: save nothing */
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory: the state was not saved");
		goto done;
	}
	report(&r);
	/* posts reach the disk before the state that records them */
	for (i = 0; i < r.nstores; i++)
		if ((rc = store_flush(r.stores[i], err)))
			goto done;
	if (!o->dry_run && (rc = state_save(r.state, r.cfg->state, err)))
		goto done;
	/* after the posts and the state are on disk: at most once per post */
	announce_all(&r);
	if (o->json)
		print_json(&r);
done:
	if (reqs)
		for (i = 0; i < r.nfeeds; i++)
			fetch_result_release(&reqs[i].res);
	free(reqs);
	for (i = 0; r.feeds && i < r.nfeeds; i++) {
		free(r.feeds[i].error);
		free(r.feeds[i].state_output);
	}
	free(r.state_dir);
	pipe_created_release(&r.created);
	free(r.feeds);
	for (i = 0; i < r.nstores; i++) {
		store_close(r.stores[i]);
		free(r.store_dirs[i]);
	}
	free(r.stores);
	free(r.store_dirs);
	for (i = 0; i < r.nimages; i++)
		images_free(r.images[i]);
	free(r.images);
	state_free(r.state);
	config_free(r.cfg);
	if (lockfd >= 0)
		close(lockfd);
	return rc;
}
