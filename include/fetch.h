/* fetch.h - downloads with libcurl.  The only module that includes curl.h.
 *
 * Protocols: http, https and file; redirects (at most CAP_REDIRECTS) only to
 * http and https.  gzip/deflate accepted; the body is capped at max_size
 * after decompression and the transfer is abandoned as soon as it crosses it.
 */
#ifndef M2J_FETCH_H
#define M2J_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

struct fetch_opts {
	long timeout;          /* seconds for the whole transfer */
	long connect_timeout;  /* seconds */
	size_t max_size;       /* bytes, after decompression */
	const char *user_agent;      /* NULL = "medium2jekyll/VERSION" */
	const char *if_none_match;   /* ETag to send, or NULL */
	const char *if_modified_since; /* Last-Modified value to send, or NULL */
};

struct fetch_result {
	long status;          /* HTTP status (0 for file://) */
	struct buf body;
	char *content_type;   /* may be NULL */
	char *charset;        /* from Content-Type, may be NULL */
	char *etag;           /* may be NULL */
	char *last_modified;  /* may be NULL */
	char *retry_after;    /* may be NULL */
	char *effective_url;  /* after redirects, may be NULL */
	bool cf_mitigated;    /* Cloudflare challenge header seen */
};

int fetch_global_init(struct m2j_err *err);
void fetch_global_cleanup(void);

void fetch_result_init(struct fetch_result *r);
void fetch_result_release(struct fetch_result *r);

/* One blocking download.  Returns 0 with r filled when the transfer ended
 * with a 2xx (or 304, when a validator was sent); otherwise an error code
 * (M2J_EHTTP naming status and URL, M2J_EFETCH with curl's message,
 * M2J_ELIMIT for a body over max_size), r->status still set. */
int fetch_url(const char *url, const struct fetch_opts *o,
              struct fetch_result *r, struct m2j_err *err);

/* Many downloads at once (libcurl multi): at most `concurrency` transfers,
 * `per_host` per host.  Each request is filled in place; `done` (may be
 * NULL) is called as each one finishes. */
struct fetch_req {
	const char *url;        /* borrowed */
	struct fetch_opts opts; /* borrowed strings */
	struct fetch_result res;
	struct m2j_err err;
	int rc;                 /* as fetch_url's return */
	void *user;
};

struct fetch_multi_opts {
	int concurrency;
	int per_host;
};

int fetch_many(struct fetch_req *reqs, size_t n, const struct fetch_multi_opts *mo,
               void (*done)(struct fetch_req *req, void *ctx), void *ctx,
               struct m2j_err *err);

#endif
