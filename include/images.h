/* images.h - download the images a post references into the site (issue 6,
 * --download-images DIR, --images-url PREFIX).
 *
 * Flow: images_new; images_collect for every item body (with the same base
 * URL html2md gets); images_fetch once (or after each collect: it only
 * handles what is new); html2md_convert with rewrite_url = images_rewrite,
 * rewrite_ctx = the struct images; images_free.
 *
 * What is collected: the src of every <img> (data-src when src is empty, as
 * html2md renders it) that the post shows: outside every element the
 * element policy hides (elements.h: script, style, noscript, a closed
 * dialog, svg...), inside <object>/<embed> whose content is rendered,
 * sanitized and resolved with url_sanitize(raw, base, URL_IMAGE); only
 * http(s) URLs (data: images stay inline in the post); never Medium's
 * tracking pixel (medium.com/_/stat).  <picture><source srcset> is not
 * collected: html2md does not render it, only the <img> inside.
 *
 * File names (images_stem + an extension): a Medium image
 * (host medium.com or a subdomain, or one of opts.id_hosts) whose last path
 * segment is a Medium id, "1*WFzv1c-q205hJLlazLz43g.png" (the '*' may be
 * written %2A), is named "1-WFzv1c-q205hJLlazLz43g": the same image at
 * another /max/NNN/ or resize:fit:NNN size has the same name and is
 * downloaded once (the largest size registered wins).  Any other URL: its
 * last path segment, percent-decoded, without its extension, every byte
 * outside [A-Za-z0-9_-] folded into '-', at most 60 bytes, no leading or
 * trailing '-' ("image" when nothing is left), then '-' and 10 hex digits
 * of a 64-bit FNV-1a hash of the whole (sanitized) URL.  So a name only
 * holds [A-Za-z0-9_.-], never starts with '.' or '-', has one '.', and is
 * at most 80 bytes.
 *
 * Extension: from the bytes, which must agree with an image Content-Type:
 * the response must say image/png, image/jpeg (or jpg, pjpeg), image/gif
 * or image/webp AND the body must start with the PNG, JPEG, GIF or WebP
 * signature; the extension (.png .jpg .gif .webp) follows the signature, so
 * the web server serving the file by extension sends the right type.
 * Everything else is refused with a warning, SVG included: an SVG file on
 * the site's own origin runs its script when opened directly (new tab, a
 * link to it), so a downloaded SVG would be stored XSS; it stays a remote
 * URL in the post.
 *
 * On disk: "already present" means a regular file (not a symlink) named
 * stem + one of the four extensions exists in dir, so a re-run downloads
 * nothing and needs no state.  A download is written to a temporary file
 * in dir (".m2j-img-PID-N.tmp", O_CREAT|O_EXCL|O_NOFOLLOW, mode 0666 minus
 * umask), fsynced, then linked to its name with linkat (which never replaces
 * or follows an existing name) and the temporary unlinked.
 *
 * Ownership: struct images owns copies of every string of the options and
 * every URL registered; images_rewrite returns a string the caller frees
 * with free().
 */
#ifndef M2J_IMAGES_H
#define M2J_IMAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "htmldoc.h"

struct images_opts {
	const char *dir;         /* where files go, created if missing; required */
	const char *url_prefix;  /* site path in posts, e.g. "/assets/images/medium";
	                          * NULL: "/" + dir (dir must then be relative) */
	size_t max_size;         /* per image, bytes; 0 = CAP_IMAGE_SIZE */
	long timeout, connect_timeout; /* seconds; 0 = fetch defaults */
	long budget;             /* seconds for each images_fetch call, all
	                          * downloads together; 0 = default
	                          * (images_budget_default(timeout)) */
	const char *user_agent;  /* NULL = fetch default */
	int concurrency, per_host; /* <= 0: fetch_many defaults */
	bool dry_run;            /* decide names, create and download nothing */
	/* Hosts (and their subdomains) whose Medium ids name files; NULL =
	 * { "medium.com", NULL }.  NULL-terminated, copied. */
	const char *const *id_hosts;
};

struct images_counts {
	size_t downloaded; /* files written by this object */
	size_t present;    /* already on disk, not downloaded */
	size_t failed;     /* refused or failed (each one warned) */
	size_t planned;    /* dry run: would be downloaded */
	size_t over_budget; /* not downloaded: the image budget was spent */
};

struct images;

/* Caller frees *out with images_free.  M2J_EUSAGE for a missing dir or a
 * NULL url_prefix with an absolute dir; M2J_ENOMEM. */
int images_new(const struct images_opts *o, struct images **out, struct m2j_err *err);
void images_free(struct images *im);
/* The folder images go to (borrowed). */
const char *images_dir(const struct images *im);

/* Registers the images of html[0..len) (see above).  The same URL (or the
 * same Medium id) registered twice is one file.  M2J_ENOMEM only; HTML
 * that does not parse registers nothing. */
int images_collect(struct images *im, const char *html, size_t len, const char *base,
                   struct m2j_err *err);
/* The same over a tree already parsed (the item pipeline's). */
int images_collect_doc(struct images *im, const struct htmldoc *d, const char *base,
                       struct m2j_err *err);

/* Registers one image URL (raw, resolved against base like a src).  Returns
 * 0 also when the URL is refused or skipped (then nothing is registered). */
int images_add(struct images *im, const char *raw, const char *base, struct m2j_err *err);

/* Looks on disk for every file registered since the last call, and
 * downloads those missing through fetch_many (opts' limits, one retry of
 * 429/503/502/504).  Each failed or refused image calls warn(ctx, msg)
 * (warn may be NULL) with "image URL: reason"; its URL then stays as it is
 * in the post.  Returns 0, or a fatal M2J_EIO (cannot create or open dir),
 * M2J_ENOSPACE (disk full), M2J_ENOMEM, M2J_EINTERNAL. */
int images_fetch(struct images *im, void (*warn)(void *ctx, const char *msg), void *ctx,
                 struct m2j_err *err);

/* The image budget (issue 11): each images_fetch call downloads in
 * batches of `concurrency`, every timeout cut to what is left of the
 * budget, so the call ends within it whatever the servers do.  Past it the
 * remaining images (and those cut by it) keep their URLs, counted in
 * over_budget, with ONE warning "N not downloaded: the image budget of B s
 * is spent (they keep their URLs)" and no error. */
#define IMAGES_BUDGET_FACTOR 4
/* IMAGES_BUDGET_FACTOR times timeout (CAP_TIMEOUT_DEFAULT when <= 0). */
long images_budget_default(long timeout);
/* Sets the budget of the next images_fetch calls (0 = default); sync sets
 * each feed's before fetching its images. */
void images_set_budget(struct images *im, long seconds);

/* html2md's rewrite_url (ctx = struct images *): for URL_IMAGE and a URL
 * registered whose file is on disk (downloaded now or before; in a dry run
 * also one that would be downloaded, with the extension the URL suggests),
 * returns "<url_prefix>/<name>" (caller frees); otherwise NULL. */
char *images_rewrite(void *ctx, int use, const char *url);

/* Counts so far (borrowed, valid until images_free). */
const struct images_counts *images_counts(const struct images *im);

/* The file name stem of an absolute URL (see above) into out (at least
 * IMAGES_STEM_MAX bytes).  id_hosts as in the options (NULL = default). */
#define IMAGES_STEM_MAX 96
void images_stem(const char *url, const char *const *id_hosts, char *out, size_t outsz);

/* The extension (".png", ".jpg", ".gif", ".webp") for an image body whose
 * Content-Type is ctype (lower case, no parameters), or NULL when refused;
 * *why then says why (static string). */
const char *images_type(const char *ctype, const void *body, size_t len, const char **why);

#endif
