/* test_store.c - the posts folder: presence by identity from the front
 * matter only (a post of any size), a guid-recording post never found by
 * link, the folder lock, stale temporaries removed at open, atomic add
 * that never replaces, the real path. */
#define _GNU_SOURCE 1
#include "harness.h"
#include "store.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void put(const char *name, const char *text, size_t pad)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	if (!f)
		return;
	fputs(text, f);
	for (size_t i = 0; i < pad; i++)
		fputc('a', f);
	fclose(f);
}

static void ident_of(const char *guid, const char *link, struct ident *id)
{
	struct ident_src s;

	memset(&s, 0, sizeof s);
	s.guid = guid;
	s.link = link;
	s.synthesise = true;
	if (ident_make(&s, id) != 0)
		memset(id, 0, sizeof *id);
}

int main(void)
{
	struct store *s = NULL, *t = NULL;
	struct m2j_err e = { 0, "" };
	struct ident id;
	const char *name = NULL, *have;
	char p[512];
	int rc;

	snprintf(dir, sizeof dir, "%s/m2j-store-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		OK(0, "mkdtemp");
		return 1;
	}
	put("2024-01-01-big.md", "---\ntitle: Big\noriginal_link: https://ex.org/big\n---\n",
	    (size_t)9 << 20);
	put("2024-01-02-ep.md", "---\ntitle: Ep 1\noriginal_link: https://pod.example/show\n"
	    "guid: ep-1\n---\nbody\n", 0);
	put("notes.txt", "not a post", 0);
	put(".m2j-999999-1.tmp", "a dead run's", 0);

	INT_EQ(store_open(dir, 0, &s, &e), 0, "open (%s)", e.msg);
	snprintf(p, sizeof p, "%s/.m2j-999999-1.tmp", dir);
	OK(access(p, F_OK) != 0, "a dead run's temporary is removed at open");
	OK(s && s->real && s->real[0] == '/', "the folder's real path is known");

	ident_of(NULL, "http://ex.org/big#top", &id);
	have = store_find(s, &id, &e);
	STR_EQ(have, "2024-01-01-big.md", "a 9 MiB post is indexed (front matter only), found by "
	       "its link over http");
	ident_release(&id);

	ident_of("ep-2", "https://pod.example/show", &id);
	OK(store_find(s, &id, &e) == NULL, "a post recording guid ep-1 is not episode 2 by link");
	INT_EQ(store_add(s, "2024-01-03-ep", &id, "---\ntitle: Ep 2\n---\n", 20, false, &name, &e), 0,
	       "episode 2 added (%s)", e.msg);
	ident_release(&id);
	ident_of("ep-1", "https://pod.example/show", &id);
	STR_EQ(store_find(s, &id, &e), "2024-01-02-ep.md", "episode 1 found by its guid");
	rc = store_add(s, "2024-01-02-ep", &id, "x", 1, false, &name, &e);
	INT_EQ(rc, 0, "a taken name gets a suffix");
	STR_EQ(name, "2024-01-02-ep-2.md", "the suffixed name");
	ident_release(&id);

	/* one writer per folder */
	e.code = 0;
	rc = store_open(dir, 0, &t, &e);
	INT_EQ(rc, M2J_ELOCKED, "a second writer of the folder is refused");
	OK(strstr(e.msg, "another run is writing") != NULL, "the message says why (%s)", e.msg);
	INT_EQ(store_open(dir, STORE_DRY_RUN, &t, &e), 0, "a dry run takes no lock");
	store_close(t);
	store_close(s);
	INT_EQ(store_open(dir, 0, &s, &e), 0, "the lock goes with the store");
	store_close(s);

	/* a folder spelled another way is the same folder */
	snprintf(p, sizeof p, "%s/./", dir);
	INT_EQ(store_open(p, STORE_DRY_RUN, &s, &e), 0, "open by another spelling");
	INT_EQ(store_open(dir, STORE_DRY_RUN, &t, &e), 0, "and by the first");
	OK(s && t && strcmp(s->real, t->real) == 0, "one real path");
	store_close(s);
	store_close(t);
	snprintf(p, sizeof p, "rm -rf '%s'", dir);
	if (system(p) != 0)
		printf("(could not remove %s)\n", dir);
	return HARNESS_END();
}
