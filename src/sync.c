/* sync.c - the sync command (see sync.h). */
#include "sync.h"
#include "caps.h"
#include "config.h"
#include "feed.h"
#include "fetch.h"
#include "images.h"
#include "ident.h"
#include "import.h"
#include "json.h"
#include "msg.h"
#include "post.h"
#include "postopt.h"
#include "state.h"
#include "store.h"
#include "strmap.h"
#include "date.h"

#include <errno.h>
#include <fcntl.h>
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
};

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
	if ((rc = store_open(dir, r->o->dry_run, out, err)))
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

static void image_warn(void *ctx, const char *msg)
{
	msg_warn("%s: %s", (const char *)ctx, msg); /* msg starts with "image URL: " */
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

/* "M:<id>" or "L:<link>": the item's identity in the state file. */
static int item_key(const struct feed *f, const struct feed_item *it, struct buf *k)
{
	char id[13];

	if (post_medium_id(f, it, id)) {
		buf_addstr(k, "M:");
		buf_addstr(k, id);
	} else {
		buf_addstr(k, "L:");
		ident_link_norm(it->link ? it->link : it->guid ? it->guid : it->title, k);
	}
	return k->failed ? -1 : 0;
}

/* A hash of what the item says (title, link, date, body), to see that it
 * changed in the feed; folded field by field, nothing copied. */
static char *item_hash(const struct feed_item *it)
{
	const char *f[3];
	uint64_t h = strmap_hash("", 0);
	char *out = malloc(17);
	size_t i;

	if (!out)
		return NULL;
	f[0] = it->title ? it->title : "";
	f[1] = it->link ? it->link : "";
	f[2] = it->html ? it->html : "";
	for (i = 0; i < 3; i++)
		h = strmap_hash_more(h, f[i], strlen(f[i]) + 1);
	h = strmap_hash_more(h, &it->date, sizeof it->date);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
	return out;
}

static void drop_report(void *ctx, const char *what)
{
	const struct feed_item *it = ctx;

	msg_note("item \"%s\": %s", post_item_label(it), what);
}

/* One item of a parsed feed: new, present, changed (rewritten while
 * unedited), or edited (left alone, reported once). */
static void sync_item(struct run *r, struct feedrun *fr, const struct feed *f,
                      const struct feed_item *it)
{
	const char *label = fr->cf->url;
	struct buf key = BUF_INIT(0), cur = BUF_INIT(0);
	struct m2j_err err = { 0, "" };
	struct state_post *sp;
	struct post_opts po = fr->io.post;
	struct post p;
	char *ih = NULL, *th = NULL;
	const char *have, *name;
	bool built = false, response = false;

	if (!fr->io.include_responses && post_is_response(f, it, &response, &err)) {
		fr->errors++;
		r->stats->item_errors++;
		msg_error("%s: item \"%s\": %s", label, post_item_label(it), err.msg);
		return;
	}
	if (response) {
		fr->skipped++;
		r->stats->responses++;
		msg_note("%s: item \"%s\": a response, skipped", label, post_item_label(it));
		return;
	}
	if (post_is_preview(it) && fr->io.post.member_only == POST_MEMBER_SKIP) {
		fr->skipped++;
		msg_note("%s: item \"%s\": a member-only preview, skipped", label, post_item_label(it));
		return;
	}
	if (item_key(f, it, &key) || !(ih = item_hash(it))) {
		set_error(fr, FS_FAILED, "out of memory");
		fr->errors++;
		goto out;
	}
	sp = state_post_get(r->state, key.data, false);
	if (sp && sp->item_hash && strcmp(sp->item_hash, ih) == 0 && !r->o->force) {
		fr->present++;
		goto out;
	}
	po.conv.base_url = it->base ? it->base : it->link;
	if (fr->io.images) {
		po.conv.rewrite_url = images_rewrite;
		po.conv.rewrite_ctx = fr->io.images;
	}
	po.conv.report = drop_report;
	po.conv.report_ctx = (void *)(uintptr_t)it;
	if (post_build(f, it, &po, &p, &err) != 0) {
		fr->errors++;
		r->stats->item_errors++;
		msg_error("%s: item \"%s\": %s", label, post_item_label(it), err.msg);
		goto out;
	}
	built = true;
	if (!(th = state_hash_hex(p.text.data, p.text.len))) {
		fr->errors++;
		goto out;
	}
	if (sp && sp->file && (!sp->output || strcmp(sp->output, fr->io.output) == 0)) {
		/* ours from an earlier run: the item changed in the feed */
		if (store_read(fr->store, sp->file, &cur, &err) != 0) {
			/* deleted or moved by a person: leave it so */
			msg_note("%s: item \"%s\": %s is gone, not recreated", label,
			         post_item_label(it), sp->file);
			state_set(&sp->item_hash, ih);
			fr->present++;
			goto out;
		}
		if (cur.len == p.text.len && memcmp(cur.data, p.text.data, cur.len) == 0) {
			state_set(&sp->item_hash, ih);
			state_set(&sp->hash, th);
			fr->present++;
			goto out;
		}
		{
			char *curh = state_hash_hex(cur.data, cur.len);
			bool edited = !curh || !sp->hash || strcmp(curh, sp->hash) != 0;

			free(curh);
			if (edited && !r->o->force) {
				fr->edited++;
				r->stats->edited++;
				msg_warn("%s: item \"%s\" changed in the feed, but %s/%s was edited by hand: "
				         "left alone (--force rewrites it)", label, post_item_label(it),
				         fr->io.output, sp->file);
				state_set(&sp->item_hash, ih);
				goto out;
			}
		}
		if (r->o->no_update || !r->cfg->update) {
			fr->present++;
			goto out;
		}
		if (!r->o->dry_run && store_replace(fr->store, sp->file, p.text.data, p.text.len, &err)) {
			fr->errors++;
			r->stats->item_errors++;
			msg_error("%s: item \"%s\": %s", label, post_item_label(it), err.msg);
			goto out;
		}
		fr->updated++;
		msg_out("%s %s/%s", r->o->dry_run ? "would update" : "updated", fr->io.output, sp->file);
		state_set(&sp->item_hash, ih);
		state_set(&sp->hash, th);
		goto out;
	}
	/* not in the state: present in the folder (state lost, or imported by
	 * hand), or new */
	have = store_find(fr->store, p.medium_id, p.link, &err);
	if (have) {
		fr->present++;
		if ((sp = state_post_get(r->state, key.data, true))) {
			struct buf file = BUF_INIT(0);
			bool same;

			/* it counts as ours (updatable) only while it is exactly
			 * what we would write */
			same = store_read(fr->store, have, &file, NULL) == 0 && file.len == p.text.len &&
			       memcmp(file.data, p.text.data, file.len) == 0;
			buf_release(&file);
			state_set(&sp->file, have);
			state_set(&sp->output, fr->io.output);
			state_set(&sp->guid, it->guid);
			state_set(&sp->item_hash, ih);
			state_set(&sp->hash, same ? th : "edited");
		}
		goto out;
	}
	if (err.code) {
		fr->errors++;
		msg_error("%s: %s", label, err.msg);
		goto out;
	}
	if (store_add(fr->store, p.base, p.medium_id, p.link, p.text.data, p.text.len,
	              r->o->dry_run, &name, &err) != 0) {
		fr->errors++;
		r->stats->item_errors++;
		msg_error("%s: item \"%s\": %s", label, post_item_label(it), err.msg);
		goto out;
	}
	fr->written++;
	msg_out("%s %s/%s", r->o->dry_run ? "would write" : "new", fr->io.output, name);
	if ((sp = state_post_get(r->state, key.data, true))) {
		state_set(&sp->file, name);
		state_set(&sp->output, fr->io.output);
		state_set(&sp->guid, it->guid);
		state_set(&sp->item_hash, ih);
		state_set(&sp->hash, th);
	}
out:
	if (built)
		post_release(&p);
	buf_release(&key);
	buf_release(&cur);
	free(ih);
	free(th);
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
	size_t i;

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
	bh = state_hash_hex(req->res.body.data, req->res.body.len);
	if (bh && sf->body_hash && strcmp(bh, sf->body_hash) == 0 && !r->o->force) {
		/* no validators, or the server ignores them: same bytes */
		fr->status = FS_NOT_MODIFIED;
		goto out;
	}
	if (feed_parse(req->res.body.data, req->res.body.len, req->res.charset, &f, &err) != 0) {
		if (req->res.cf_mitigated || looks_like_html(&req->res.body))
			set_error(fr, FS_BLOCKED, "an HTML page instead of a feed (a challenge page?)");
		else
			set_error(fr, FS_FAILED, err.msg);
		goto out;
	}
	if (get_store(r, fr->io.output, &fr->store, &err) != 0) {
		set_error(fr, FS_FAILED, err.msg);
		goto out;
	}
	if (fr->io.images_dir) {
		if (get_images(r, fr, &err) != 0) {
			set_error(fr, FS_FAILED, err.msg);
			goto out;
		}
		for (i = 0; i < f->nitems && !err.code; i++)
			if (f->items[i].html)
				images_collect(fr->io.images, f->items[i].html, strlen(f->items[i].html),
				               f->items[i].base ? f->items[i].base : f->items[i].link, &err);
		if (!err.code)
			images_fetch(fr->io.images, image_warn, (void *)(uintptr_t)fr->cf->url, &err);
		if (err.code) {
			set_error(fr, FS_FAILED, err.msg);
			goto out;
		}
	}
	for (i = 0; i < f->nitems; i++)
		sync_item(r, fr, f, &f->items[i]);
	if (fr->errors == 0) {
		/* remember validators only once the feed went through */
		state_set(&sf->etag, req->res.etag);
		state_set(&sf->last_modified, req->res.last_modified);
		state_set(&sf->body_hash, bh);
	}
out:
	if (sf) {
		if (fr->status == FS_OK || fr->status == FS_NOT_MODIFIED) {
			if (fr->errors == 0) {
				sf->failures = 0;
				state_set(&sf->last_error, NULL);
			}
			state_set(&sf->last_success, r->now);
		} else {
			sf->failures++;
			state_set(&sf->last_error, fr->error);
		}
	}
	feed_free(f);
	free(bh);
	fetch_result_release(&req->res);
	r->done++;
	r->new_posts += fr->written + fr->updated;
	msg_progress("%zu of %zu feeds, %zu posts written", r->done, r->nfeeds, r->new_posts);
}

static int take_lock(const char *state_path, int *fd, struct m2j_err *err)
{
	struct buf p = BUF_INIT(0);
	struct flock fl;

	buf_addf(&p, "%s.lock", state_path);
	if (p.failed)
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	*fd = open(p.data, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (*fd < 0) {
		int rc = m2j_err_set(err, M2J_EIO, "cannot open lock file %s: %s", p.data, strerror(errno));

		buf_release(&p);
		return rc;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(*fd, F_SETLK, &fl) != 0) {
		int rc = m2j_err_set(err, M2J_ELOCKED, "another sync is running (lock %s held)", p.data);

		close(*fd);
		*fd = -1;
		buf_release(&p);
		return rc;
	}
	buf_release(&p);
	return 0;
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
	if ((rc = take_lock(r.cfg->state, &lockfd, err)))
		goto done;
	if ((rc = state_load(r.cfg->state, &r.state, err))) {
		if (rc == M2J_ENOMEM)
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
	report(&r);
	/* posts reach the disk before the state that records them */
	for (i = 0; i < r.nstores; i++)
		if ((rc = store_flush(r.stores[i], err)))
			goto done;
	if (!o->dry_run && (rc = state_save(r.state, r.cfg->state, err)))
		goto done;
	if (o->json)
		print_json(&r);
done:
	if (reqs)
		for (i = 0; i < r.nfeeds; i++)
			fetch_result_release(&reqs[i].res);
	free(reqs);
	for (i = 0; r.feeds && i < r.nfeeds; i++)
		free(r.feeds[i].error);
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
